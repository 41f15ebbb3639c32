"""Benchmark: importing an applicant list of 100,000 rows (CSV) into a workspace, and again.

    python benchmarks/bench_import.py [ROWS]

Each step runs in a child process, so its peak memory (max RSS) is its own. Prints, for a
workspace with the Kotawaringin Barat regions and no applicants yet:
  - writing the CSV (semicolons, dd/mm/yyyy dates, as a SIAKBA export might look);
  - the preview (read row by row, check every NIK, date and desa, plan what changes);
  - the import (plan again under the lock, write one file per kecamatan, log every person);
  - the same file again (every row unchanged: nothing written);
with seconds and peak memory of each. No target is asserted: the figures are for comparing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STEP = r"""
import json, resource, sys, time
from datetime import date, timedelta
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import kpps_tui.sample_data.generate as generator
from kpps_tui.domain.nik import make_nik
from kpps_tui.services import imports
from kpps_tui.store.workspace import Workspace

step, folder, rows = sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
started = time.perf_counter()
result = {}
if step == "write":
    regions = generator.read_regions(generator.HERE / "wilayah_kalteng.csv", generator.KABUPATEN)
    ws = Workspace.create(folder / "ws", generator.ELECTION, regions)
    desa = ws.desa_codes()
    lines = ["NIK;Nama;Jenis Kelamin;Tanggal Lahir;Kode Desa;Pendidikan;No HP"]
    for i in range(rows):
        born = date(1970, 1, 1) + timedelta(days=i % 12_000)
        sex = "LP"[i % 2]
        d = desa[i % len(desa)]
        serial = 1 + i // 12_000 * 10 + i % 10
        lines.append(f"{make_nik(d[:8], born, sex, serial)};Orang {i};{sex};{born:%d/%m/%Y};{d};SMA;0812{i:08d}")
    (folder / "list.csv").write_text("\n".join(lines) + "\n")
else:
    ws = Workspace.open(folder / "ws")
    opened = time.perf_counter()
    preview = imports.preview_applicants(ws, folder / "list.csv")
    result["preview"] = preview.summary()
    if step == "import":
        preview.release()
        result["applied"] = imports.apply_applicants(ws, preview).summary()
    result["open_s"] = round(opened - started, 2)
result["seconds"] = round(time.perf_counter() - started, 2)
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps(result))
"""


def run(step: str, folder: Path, rows: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", STEP, str(ROOT), step, str(folder), str(rows)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for step, label in (
            ("write", "write the CSV"),
            ("preview", "preview"),
            ("import", "import"),
            ("import", "the same file again"),
        ):
            result = run(step, folder, rows)
            extra = " ".join(f"{k}={v}" for k, v in result.items() if k not in ("seconds", "peak_mb"))
            print(f"{label:<22} {result['seconds']:>7.1f} s  peak {result['peak_mb']:>5} MB  {extra}")
        size = (folder / "list.csv").stat().st_size
        files = sum(p.stat().st_size for p in (folder / "ws" / "people").glob("*.json"))
        print(f"{rows:,} rows: the CSV is {size / 1e6:.1f} MB, the people files {files / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
