"""The one exception a long card job stops with (light to import: the screens catch it)."""


class Cancelled(Exception):
    """The user stopped the job; nothing was written."""
