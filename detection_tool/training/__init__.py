"""Corpus generation and model training (dev-only: needs Faker). Not imported at run time."""
