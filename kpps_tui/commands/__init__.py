"""The `kpps` commands, one module per group; each has register(), which kpps_tui/cli.py calls."""
