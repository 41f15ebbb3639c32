"""Kabupaten/kota as the lists and the ringkasan name them, from the codes of their regions."""

from __future__ import annotations

from kpps_tui.store.workspace import Workspace


def kabupaten_code(code: str) -> str:
    """'62.01' of a kecamatan, desa or TPS code such as '62.01.02.1001-003'."""
    return ".".join(code.split(".")[:2])


def kabupaten_name(ws: Workspace, code: str) -> str:
    """A kabupaten/kota as a list shows it: 'KAB. KOTAWARINGIN BARAT' -> 'Kotawaringin Barat',
    'KOTA PALANGKARAYA' -> 'Kota Palangkaraya' (the Kemendagri list writes them in capitals)."""
    name = ws.region_name(code).strip()
    if name.isupper():
        name = name.title()
    for prefix in ("Kab. ", "Kabupaten "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def kabupaten_codes(ws: Workspace) -> list[str]:
    """The kabupaten/kota that hold the workspace's TPS, in code order."""
    return sorted({kabupaten_code(t.desa_code) for t in ws.tps.values()})
