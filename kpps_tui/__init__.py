"""kpps-tui: staff every TPS with its seven KPPS officers, from the keyboard."""

__version__ = "0.1.0"
