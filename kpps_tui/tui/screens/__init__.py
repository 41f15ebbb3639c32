"""The screens of the TUI: the TPS list, one TPS, and the modals they open."""
