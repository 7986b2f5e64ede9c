"""End to end: live traffic between namespaced services through every component to the console,
and the privacy guarantee over everything the sensor wrote."""

from __future__ import annotations

import pytest

from tests.e2e.datamap import FlowKey, assets_map, data_map, types_of
from tests.e2e.privacy import leaks, outputs
from tests.e2e.stack import E2EStack
from tests.e2e.stores import scan_stores
from tests.harness.postgres import PostgresCluster
from tests.harness.s3 import S3Server

pytestmark = [pytest.mark.privileged, pytest.mark.slow, pytest.mark.integration]

# what the sample services send (examples/services/app.py): every flow and its data types
EXPECTED: dict[FlowKey, dict[str, str]] = {
    ("shop/frontend", "shop/users", "POST", "/login"): {
        "req:$.username": "username", "req:$.password": "password",
        "resp:$.access_token": "jwt",
    },
    ("shop/frontend", "shop/users", "GET", "/users/{id}/health"): {
        "resp:$.medical_record_number": "medical_record_number", "resp:$.ssn": "us_ssn",
        "resp:$.conditions[*].icd10_code": "icd10_code",
        "resp:$.conditions[*].diagnosis": "health_condition",
        "resp:$.medications[*]": "medication",
    },
    ("shop/frontend", "shop/orders", "POST", "/orders"): {
        "resp:$.contact_phone": "phone_number",
        "resp:$.shipping_address.street": "street_address",
        "resp:$.shipping_address.postal_code": "postal_code",
    },
    ("shop/orders", "shop/users", "GET", "/users/{id}"): {
        "resp:$.email": "email", "resp:$.phone": "phone_number",
        "resp:$.first_name": "first_name", "resp:$.last_name": "last_name",
        "resp:$.date_of_birth": "date_of_birth", "resp:$.address.street": "street_address",
    },
    ("shop/orders", "payments/payments", "POST", "/payments"): {
        "req:$.card_number": "credit_card_number", "req:$.card_cvv": "card_cvv",
        "req:$.card_expiry": "card_expiry", "req:$.cardholder_name": "cardholder_name",
        "req:$.billing_email": "email",
    },
    ("payments/payments", "external/api.paygate.example", "POST", "/v1/charges"): {
        "req:$.card.number": "credit_card_number", "req:$.card.cvc": "card_cvv",
        "req:$.payout_iban": "iban", "req:header.authorization": "bearer_token",
    },
}  # fmt: skip
EXPECTED_ASSETS = {
    "postgres": {"$.email": "email", "$.card_number": "credit_card_number", "$.ssn": "us_ssn",
                 "$.full_name": "person_name", "$.phone": "phone_number"},
    "s3": {"$.patient.email": "email", "$.medical_record_number": "medical_record_number",
           "$.diagnosis.icd10_code": "icd10_code", "$.patient.date_of_birth": "date_of_birth"},
    "kafka": {"$.value.user.email": "email", "$.value.user.phone": "phone_number"},
}  # fmt: skip
# types that must never appear on a flow (a detector that over-reaches, or a mixed-up flow)
FORBIDDEN = {
    ("shop/frontend", "shop/users", "POST", "/login"): {"credit_card_number", "iban", "us_ssn"},
    ("shop/orders", "shop/users", "GET", "/users/{id}"): {"credit_card_number", "password"},
    ("shop/frontend", "shop/orders", "POST", "/orders"): {"credit_card_number", "card_cvv"},
}


def test_data_map_and_privacy(
    e2e: E2EStack, postgres: PostgresCluster, s3_server: S3Server
) -> None:
    scan = scan_stores(e2e, postgres, s3_server)
    assert scan.returncode == 0, scan.stderr[-2000:]
    counts = e2e.drive(rounds=8)
    assert counts == {"rounds": 8, "requests": 24, "failed": 0}
    e2e.wait_for(lambda: set(EXPECTED) <= set(data_map(e2e)), 40, "every expected flow")
    found = data_map(e2e)
    assert set(found) == set(EXPECTED)  # nothing unexpected: no unnamed address, no extra flow
    for key, fields in EXPECTED.items():
        for path, type_id in fields.items():
            assert type_id in found[key].get(path, set()), (key, path)
    for key, forbidden in FORBIDDEN.items():
        assert not types_of(found[key]) & forbidden, key
    sensors = {s["sensor_id"] for s in e2e.api("/api/v1/sensors")["sensors"]}
    assert {"digger-a", "digger-b"} & sensors

    assets = assets_map(e2e)
    stores = e2e.stores
    assert set(assets) == {
        ("postgres", f"{stores['postgres']}.public.customers"),
        ("s3", f"{stores['s3']}/exports/{{date}}/patients.ndjson"),
        ("kafka", stores["kafka"]),
    }
    for (source, _), asset_fields in assets.items():
        assert set(EXPECTED_ASSETS[source].items()) <= {
            (path, t) for path, types in asset_fields.items() for t in types
        }, source

    searched = outputs(e2e)
    assert any(k.startswith("file:console") for k in searched)  # the database was searched
    assert searched["topic:heartbeat"]
    assert searched["topic:iplist"]
    assert leaks(e2e) == []
