"""Sample HTTP JSON services (users, orders, payments, an external payment gateway) and seeded
data stores, with canary values planted for end-to-end privacy checks (tests/e2e/)."""
