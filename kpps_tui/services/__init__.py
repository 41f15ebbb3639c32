"""Use cases over a workspace. The TUI and the CLI both call these, and nothing else writes."""
