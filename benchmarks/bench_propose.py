"""Speed and quality of the proposal (Usulan), against a greedy baseline in the same run.

    python benchmarks/bench_propose.py [--runs 3] [--province DIR | --no-province]

On a private copy of the demo sample (Kotawaringin Barat, about 1,160 empty seats) and on the
province workspace (`kpps init --generate province`, about 13,000 empty seats; generated into
a temporary folder unless --province names one), prints:
  - the seconds of a whole proposal (every TPS): each run, and the best; the targets are
    2 s for the demo and 30 s for the province; in one process and in two worker processes;
  - side by side with the baseline (each TPS in code order takes the first eligible residents
    of its desa): seats filled, soft warnings (a non-resident counts as one: it is the rule
    engine's `outside_desa` warning), TPS short of women, seats given to non-residents;
  - whether the proposal fills at least as many seats, leaves no more TPS short of women and
    carries fewer warnings than the baseline, and whether its objective equals the solver's bound.
Figures are written to benchmarks/results/propose-<time>.json (not versioned).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from common import machine, mark, now_iso, source_state, write_results

from kpps_tui import i18n
from kpps_tui.services import proposals
from kpps_tui.services.proposals import Scope
from kpps_tui.services.setup import generate_province, init_from_sample
from kpps_tui.store.workspace import Workspace

TARGETS = {"demo": 2.0, "province": 30.0}


def measure(name: str, root: Path, runs: int) -> dict:
    ws = Workspace.open(root)
    timings: dict[str, list[float]] = {"one process": [], "two processes": []}
    proposal = None
    for mode, parallel in (("one process", False), ("two processes", True)):
        for _ in range(runs):
            start = time.perf_counter()
            proposal = proposals.propose(ws, Scope("all"), parallel=parallel)
            timings[mode].append(time.perf_counter() - start)
    assert proposal is not None
    ours = proposals.proposal_figures(proposal)
    start = time.perf_counter()
    baseline, _objective = proposals.greedy_figures(ws, Scope("all"))
    greedy_seconds = time.perf_counter() - start
    best = min(min(t) for t in timings.values())
    checks = {
        "under target": best < TARGETS[name],
        "fills at least as many": ours.seats_filled >= baseline.seats_filled,
        "no more TPS short of women": ours.tps_short_of_women <= baseline.tps_short_of_women,
        "fewer warnings": ours.warnings < baseline.warnings,
        "objective equals bound": proposal.objective == proposal.bound,
    }
    print(f"\n== {name}: {len(ws.tps):,} TPS, {len(ws.people):,} applicants, {proposal.empty_seats:,} empty seats")
    for mode, values in timings.items():
        print(f"  whole proposal, {mode:<13}: " + ", ".join(f"{v:.2f}" for v in values) + " s")
    print(f"  best {best:.2f} s (target < {TARGETS[name]:.0f} s: {mark(checks['under target'])}); baseline {greedy_seconds:.2f} s")
    print(f"  {'':<26}{'proposal':>10}{'greedy':>10}")
    for label, key in (
        ("seats filled", "seats_filled"),
        ("soft warnings", "warnings"),
        ("TPS short of women", "tps_short_of_women"),
        ("seats to non-residents", "outside_desa"),
    ):
        print(f"  {label:<26}{getattr(ours, key):>10,}{getattr(baseline, key):>10,}")
    print(f"  objective {proposal.objective.as_dict()}")
    print(f"  bound     {proposal.bound.as_dict()}")
    for label, ok in checks.items():
        print(f"  {label}: {mark(ok)}")
    return {
        "tps": len(ws.tps),
        "applicants": len(ws.people),
        "empty_seats": proposal.empty_seats,
        "seconds": timings,
        "best_seconds": best,
        "target_seconds": TARGETS[name],
        "greedy_seconds": greedy_seconds,
        "proposal": asdict(ours),
        "greedy": asdict(baseline),
        "objective": proposal.objective.as_dict(),
        "bound": proposal.bound.as_dict(),
        "checks": checks,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--province", type=Path, help="an existing province workspace (else one is generated)")
    parser.add_argument("--no-province", action="store_true")
    args = parser.parse_args()
    i18n.set_language("en")
    figures: dict = {"at": now_iso(), "machine": machine(), "source": source_state(), "runs": args.runs}
    with tempfile.TemporaryDirectory(prefix="kpps-bench-propose-") as tmp:
        demo = Path(tmp) / "demo"
        init_from_sample(demo, "demo")
        figures["demo"] = measure("demo", demo, args.runs)
        if not args.no_province:
            province = args.province
            if province is None:
                province = Path(tmp) / "province"
                start = time.perf_counter()
                generate_province(province)
                print(f"\n(province generated in {time.perf_counter() - start:.1f} s)")
            figures["province"] = measure("province", province, args.runs)
    out = write_results("propose", figures)
    print(f"\nwritten to {out}")
    failed = [f"{name}: {check}" for name in ("demo", "province") if name in figures for check, ok in figures[name]["checks"].items() if not ok]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
