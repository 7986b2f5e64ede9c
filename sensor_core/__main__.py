"""`python -m sensor_core` runs the `dsensor` command."""

from sensor_core.cli import main

main()
