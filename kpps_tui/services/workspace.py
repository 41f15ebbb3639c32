"""The workspace as the interface and the commands hold it: the handle every service takes.

They name the type from here, not from store/, which only the services reach into."""

from kpps_tui.store.workspace import Workspace

__all__ = ["Workspace"]
