"""Real-service test harness shared by every test (see DESIGN.md, 'Real components in tests')."""
