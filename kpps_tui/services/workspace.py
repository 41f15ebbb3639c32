"""The workspace as the interface and the commands hold it: the handle every service takes,
and a session of its own for a worker.

They name the type from here, not from store/, which only the services reach into."""

from kpps_tui.store.workspace import Workspace

__all__ = ["Workspace", "job_session"]


def job_session(ws: Workspace) -> Workspace:
    """A session of its own on the same folder, as the same user: a worker thread works on it,
    so it never shares the screen's in-memory workspace (as another coordinator's would not)."""
    job = Workspace.open(ws.root)
    job.user = ws.user
    job.explain_damage = ws.explain_damage
    return job
