"""Seeded data stores for the sample services: a PostgreSQL table, an S3 bucket, a Kafka topic.

Each gets realistic fake rows plus the run's canary values, so a crawler scan finds personal,
payment and health types, and a privacy check can search the sensor's outputs for the canaries.
"""

from __future__ import annotations

import json
from typing import Any

from examples.services.fakedata import Canaries, luhn_complete

ROWS = 30


def customer_rows(canaries: Canaries) -> list[dict[str, Any]]:
    """Customer records: the canary customer first, then plausible filler customers."""
    rows = [
        {
            "email": canaries.db_email,
            "full_name": f"{canaries.first_name} {canaries.last_name}",
            "phone": canaries.phone,
            "card_number": canaries.db_card,
            "ssn": canaries.ssn,
        }
    ]
    for index in range(1, ROWS):
        rows.append(
            {
                "email": f"customer{index}@shop-example.org",
                "full_name": f"Customer Number{chr(65 + index % 26)}",
                "phone": f"+1 212 555 {index:04d}",
                "card_number": luhn_complete(f"4111{index:011d}"),
                "ssn": f"{100 + index}-{10 + index % 80:02d}-{1000 + index:04d}",
            }
        )
    return rows


def seed_postgres(dsn: str, table: str, canaries: Canaries) -> None:
    """Create `table` (public schema) holding customer rows; `table` must be an identifier."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "CREATE TABLE {} (id serial PRIMARY KEY, email text, full_name text, phone text,"
                " card_number text, ssn text, created_at timestamptz DEFAULT now())"
            ).format(sql.Identifier(table))
        )
        insert = sql.SQL(
            "INSERT INTO {} (email, full_name, phone, card_number, ssn)"
            " VALUES (%(email)s, %(full_name)s, %(phone)s, %(card_number)s, %(ssn)s)"
        ).format(sql.Identifier(table))
        with conn.cursor() as cur:
            cur.executemany(insert, customer_rows(canaries))


def patient_records(canaries: Canaries) -> list[dict[str, Any]]:
    records = [
        {
            "patient": {"email": canaries.s3_email, "date_of_birth": canaries.date_of_birth},
            "medical_record_number": canaries.medical_record,
            "diagnosis": {"icd10_code": "I10", "note": canaries.diagnosis_note},
        }
    ]
    for index in range(1, ROWS):
        records.append(
            {
                "patient": {
                    "email": f"patient{index}@clinic-example.org",
                    "date_of_birth": f"19{60 + index % 40}-0{1 + index % 9}-1{index % 10}",
                },
                "medical_record_number": f"MRN-{40000000 + index}",
                "diagnosis": {"icd10_code": "E11.9", "note": "routine check"},
            }
        )
    return records


def seed_s3(client: Any, bucket: str, canaries: Canaries) -> None:
    """A bucket of NDJSON patient exports under `exports/<day>/patients.ndjson`."""
    client.create_bucket(Bucket=bucket)
    records = patient_records(canaries)
    for day in range(3):
        lines = "\n".join(json.dumps(r) for r in records[day::3]) + "\n"
        client.put_object(
            Bucket=bucket, Key=f"exports/2026-01-0{day + 1}/patients.ndjson", Body=lines.encode()
        )


def signup_events(canaries: Canaries) -> list[dict[str, Any]]:
    events = [{"event": "signup", "user": {"email": canaries.kafka_email, "phone": canaries.phone}}]
    events += [
        {
            "event": "signup",
            "user": {"email": f"new{i}@signup-example.org", "phone": f"+1 646 555 {i:04d}"},
        }
        for i in range(1, ROWS)
    ]
    return events


def seed_kafka(producer_config: dict[str, Any], topic: str, canaries: Canaries) -> None:
    """JSON signup events on `topic` (keyed by event number)."""
    from confluent_kafka import Producer

    producer = Producer(producer_config)
    for index, event in enumerate(signup_events(canaries)):
        producer.produce(topic, key=str(index).encode(), value=json.dumps(event).encode())
    if producer.flush(15) != 0:
        raise RuntimeError("kafka seed: messages not delivered")
