"""An independent count of the ringkasan figures, made from the workspace's files as plain JSON
(what any program reading the TinyDB files would find), for the status tests to compare with."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

DECL_STATES = ("belum", "diserahkan", "ditolak", "terverifikasi")
STAGES = ("pendaftar", "ms", "tms", "ditetapkan", "dilantik", "mengundurkan_diri", "diberhentikan", "meninggal_dunia")


def _table(path: Path, name: str) -> list[dict]:
    return list(json.loads(path.read_text(encoding="utf-8")).get(name, {}).values())


def count_from_files(ws_path: Path, level: str, today: str) -> dict[str, dict]:
    """code -> the JSON row `kpps status --json --by level` should give (without the name)."""
    main = json.loads((ws_path / "workspace.json").read_text(encoding="utf-8"))
    election = main["election"]["1"]
    seats_per_tps = election.get("seats_per_tps", 7)
    wanted = election.get("women_percent", 30)
    people = {p["nik"]: p for f in sorted((ws_path / "people").glob("*.json")) for p in _table(f, "people")}
    cards: Counter[str] = Counter()
    holders: dict[tuple[str, int], str] = {}
    tps_docs = [t for f in sorted((ws_path / "tps").glob("*.json")) for t in _table(f, "tps")]
    for t in tps_docs:
        for seat, doc in t["seats"].items():
            holders[(t["code"], int(seat))] = doc["nik"]
    for f in sorted((ws_path / "cards").glob("*.json")) if (ws_path / "cards").is_dir() else ():
        for card in _table(f, "cards"):
            if card.get("revoked_at") or not card.get("printed_at") or card["valid_until"] < today:
                continue
            if holders.get((card["tps"], card["seat"])) == card["nik"]:
                cards[card["tps"]] += 1

    def key(code: str) -> str:
        parts = {"kabupaten": 2, "kecamatan": 3, "desa": 4}[level]
        return ".".join(code.split(".")[:parts])

    rows: dict[str, dict] = defaultdict(
        lambda: {
            "tps": 0, "tps_full": 0, "seats": 0, "seats_filled": 0, "women_seated": 0,
            "tps_short_of_women": 0, "declarations": dict.fromkeys(DECL_STATES, 0), "cards_valid": 0,
            "paw_open": 0, "applicants": dict.fromkeys(STAGES, 0),
        }
    )
    for region in main["regions"].values():
        if region["code"].count(".") == 3:
            rows[key(region["code"])]  # every desa counts, also one without TPS or applicants
    for t in tps_docs:
        row = rows[key(t["desa"])]
        officers = [people[s["nik"]] for s in t["seats"].values() if s["nik"] in people]
        women = sum(p["sex"] == "P" for p in officers)
        row["tps"] += 1
        row["tps_full"] += len(t["seats"]) >= seats_per_tps
        row["seats"] += seats_per_tps
        row["seats_filled"] += len(t["seats"])
        row["women_seated"] += women
        row["tps_short_of_women"] += bool(officers) and women / len(officers) < wanted / 100
        for p in officers:
            row["declarations"][p["neutrality"]["surat_pernyataan"]["state"]] += 1
        row["cards_valid"] += cards[t["code"]]
        row["paw_open"] += len(set(t.get("paw") or {}) - set(t["seats"]))
    for p in people.values():
        rows[key(p["desa"])]["applicants"][p["standing"]["stage"]] += 1
    return dict(rows)


def without_names(rows: list[dict]) -> dict[str, dict]:
    return {r["code"]: {k: v for k, v in r.items() if k not in ("code", "name")} for r in rows}
