"""The data-at-rest crawler: plugin manager, scheduling, sampling (built with issue 7)."""
