"""Which findings of one value exclude each other: one number identity per value, a named
credential over a generic secret."""

from __future__ import annotations

from detection_tool.findings import Finding
from detection_tool.national_ids import GENERIC_ID_KEYS, ID_NUMBERS, IDS_UNDER

# one value is one of these at most: keep the key's type if matched, else the best
_NUMBER_IDENTITIES = frozenset(
    {
        "credit_card_number",
        "masked_card_number",
        "phone_number",
        "us_ssn",
        "us_itin",
        "bank_account_number",
        "bank_routing_number",
        "imei",
        "tax_id",
        "national_id",
        "passport_number",
        "drivers_license",
        "medical_record_number",
        "health_insurance_number",
        *(e.type_id for e in ID_NUMBERS),
    }
)
_SPECIFIC_CREDENTIALS = frozenset(
    {
        "jwt",
        "bearer_token",
        "basic_auth_credentials",
        "aws_access_key",
        "github_token",
        "slack_token",
        "stripe_key",
        "gcp_api_key",
        "azure_key",
        "private_key",
        "connection_string_with_password",
        "gitlab_token",
        "openai_key",
        "twilio_key",
        "sendgrid_key",
        "npm_token",
        "pypi_token",
        "aws_secret_key",
        "password",  # `user:password` under a credential's key
    }
)
_BY_KEY = "value:secret_by_key"  # a credential named by its key only
# country ids whose check names their country (not one many countries' numbers pass)
_COUNTRY_IDS = frozenset(e.type_id for e in ID_NUMBERS if not e.shared_check) | {"us_itin"}


def _country_or_generic(keep: list[Finding], hint: str) -> list[Finding]:
    """Under a generic `national_id` / `tax_id` key: a country id its checksum confirmed names the
    value (`personal_id`: a PESEL), unless its checksum is one many countries share (the key's
    own type then)."""
    countries = [f for f in keep if f.type_id in _COUNTRY_IDS]
    if countries:
        return countries
    return [f for f in keep if f.type_id == hint] or keep


def exclude_rivals(found: list[Finding], hint: str | None) -> list[Finding]:
    """One number identity per value (the key's, when it names one; under a generic
    `national_id` key a checksum-validated country id instead, unless its checksum is one many
    countries share); a named credential hides the generic secret."""
    if len(found) < 2:
        return found
    if (
        hint is not None
        and hint not in _NUMBER_IDENTITIES
        and any(f.type_id == hint for f in found)
    ):
        # the key's own type matched (a ZIP+4 under `zip`): no other number identity
        found = [f for f in found if f.type_id not in _NUMBER_IDENTITIES]
    numbers = [f for f in found if f.type_id in _NUMBER_IDENTITIES]
    if len(numbers) > 1:
        keep: list[Finding] = []
        if hint in _NUMBER_IDENTITIES:
            allowed = {hint} | IDS_UNDER.get(hint, frozenset())
            if hint == "tax_id":
                allowed.add("us_itin")  # a US payee's `tin`
            keep = [f for f in numbers if f.type_id in allowed]
            if hint in GENERIC_ID_KEYS and len(keep) > 1:
                keep = _country_or_generic(keep, hint)
        if not keep:
            keep = [max(numbers, key=lambda f: f.confidence)]
        found = [f for f in found if f.type_id not in _NUMBER_IDENTITIES or f in keep]
    if any(f.type_id in _SPECIFIC_CREDENTIALS and _BY_KEY not in f.reasons for f in found):
        found = [f for f in found if f.type_id != "generic_secret" and _BY_KEY not in f.reasons]
    return found
