"""Files the user asks for (exports, PDFs, the public key file): written where they say, safely.

- Never inside a workspace: `-o workspace.json` (or the audit log, or the signing key) would
  replace the data itself. Any folder above the output that holds a workspace refuses it.
- A device, a pipe or a terminal (`-o /dev/stdout`, `-o /dev/lp0`, a named pipe) is written as
  it is, without the temporary file and rename that would replace the device node by a file.
- A symbolic link is never replaced, and its target never rewritten behind the user's back: a
  link to a plain file is refused with a sentence naming the target, so the user writes to it
  by its own name if that is meant. A link to a device or pipe (/dev/stdout is one) is written
  through, since there is no file to lose.
- Anything else (a new file, or a plain file the user named) is written atomically: a
  half-written export never replaces a good one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.store.files import atomic_write_bytes
from kpps_tui.store.layout import LOCK_FILE, WORKSPACE_FILE


class OutputRefused(KppsError):
    pass


def write_output(path: Path, payload: bytes, shared: bool = False) -> None:
    """Write `payload` to the file the user named, by the rules above. `shared`: a file made
    for others to read (a public key), so readable by all; a device keeps its own mode."""
    path = Path(path)
    refuse_inside_workspace(path)
    try:
        own = os.lstat(path)
    except FileNotFoundError:
        _write_file(path, payload, shared)
        return
    try:
        target = os.stat(path)
    except FileNotFoundError:  # a link to nowhere: writing would create its target
        raise _link_refused(path) from None
    if stat.S_ISDIR(target.st_mode):
        raise OutputRefused(N_("{path} is a folder; give the name of a file to write."), path=str(path))
    if not stat.S_ISREG(target.st_mode):
        _write_in_place(path, payload)
    elif stat.S_ISLNK(own.st_mode):
        raise _link_refused(path)
    else:
        _write_file(path, payload, shared)


def _write_file(path: Path, payload: bytes, shared: bool) -> None:
    atomic_write_bytes(path, payload)
    if shared:
        os.chmod(path, 0o644)


def refuse_inside_workspace(path: Path) -> None:
    resolved = Path(os.path.realpath(path))
    for folder in resolved.parents:
        if (folder / WORKSPACE_FILE).is_file() and ((folder / LOCK_FILE).exists() or (folder / "tps").is_dir()):
            raise OutputRefused(
                N_("{path} is inside the workspace {workspace}; write it to a folder outside the workspace."),
                path=str(path),
                workspace=str(folder),
            )


def _link_refused(path: Path) -> OutputRefused:
    return OutputRefused(
        N_("{path} is a symbolic link to {target}; nothing was written. To replace that file, give its own name."),
        path=str(path),
        target=os.path.realpath(path),
    )


def _write_in_place(path: Path, payload: bytes) -> None:
    """A device or pipe: opened and written, never replaced (no O_CREAT: it exists)."""
    fd = os.open(path, os.O_WRONLY)
    try:
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
