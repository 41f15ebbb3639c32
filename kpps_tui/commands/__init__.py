"""Groups of `kpps` commands beyond the core ones in kpps_tui/cli.py; each module has register()."""
