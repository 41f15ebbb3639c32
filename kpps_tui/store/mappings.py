"""Column mappings remembered for the next file with the same headers.

`imports.json` in the workspace folder (TinyDB JSON, written durably and 0600 like the other
files): table mappings, one document per kind of list and set of headers. Written under the
workspace lock by the import services.
"""

from __future__ import annotations

from pathlib import Path

from kpps_tui.store.storage import DurableJSONStorage, read_tinydb_file

MAPPINGS_FILE = "imports.json"


def headers_key(kind: str, headers: list[str]) -> str:
    """The same headers in any order, any case, give the same key."""
    return kind + ":" + "|".join(sorted(" ".join(h.split()).casefold() for h in headers))


def remembered(root: Path, kind: str, headers: list[str]) -> dict[str, str] | None:
    path = Path(root) / MAPPINGS_FILE
    if not path.exists():
        return None
    key = headers_key(kind, headers)
    for doc in read_tinydb_file(path).get("mappings", {}).values():
        if doc.get("key") == key:
            return dict(doc.get("mapping") or {})
    return None


def remember(root: Path, kind: str, headers: list[str], mapping: dict[str, str], at: str, by: str) -> None:
    """Store the mapping for these headers (replacing an older one); call holding the lock."""
    path = Path(root) / MAPPINGS_FILE
    data = read_tinydb_file(path) if path.exists() else {}
    table = data.setdefault("mappings", {})
    key = headers_key(kind, headers)
    doc_id = next((i for i, d in table.items() if d.get("key") == key), None)
    if doc_id is None:
        doc_id = str(max((int(i) for i in table), default=0) + 1)
    doc = {"key": key, "kind": kind, "headers": list(headers), "mapping": dict(sorted(mapping.items())), "at": at, "by": by}
    if table.get(doc_id, {}).get("mapping") == doc["mapping"]:
        return  # already remembered: nothing to write
    table[doc_id] = doc
    DurableJSONStorage(path, initial=data)
