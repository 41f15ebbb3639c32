"""The Textual user interface: the only place in kpps_tui that imports Textual."""
