"""The staffing problem of domain.staffing as a min-cost flow, solved by OR-Tools.

The network is small whatever the number of TPS: source -> applicant (capacity 1) -> a hub per
route and sex (the desa's, the kecamatan's, or everyone's in the cross-kecamatan round) -> the
TPS the hub serves -> sink, with the TPS's free seats as capacity. Women reach a TPS through a
node whose arc to the TPS carries, free of cost, as many women as are missing there; every
other officer pays the level-2 cost. An applicant's arc to a hub costs the levels 3 to 5.

Level 1 is the flow itself: `solve_max_flow_with_min_cost` finds the largest flow (seats
filled), then the least cost among the largest flows. Levels 2 to 5 share one cost, each
weighted above everything the levels after it can add up to, so that the order holds exactly.
The level-1 bound is proved separately by a maximum flow (its minimum cut); the solver's
optimal status proves the rest. Which applicant of a hub sits at which of its TPS makes no
difference to the cost: the hubs are split among their TPS afterwards, best ranked first.
Arcs are added in NIK and code order and the algorithm is deterministic: same problem, same answer.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from kpps_tui.domain.staffing import (
    Applicant,
    Objective,
    OpenTps,
    Problem,
    Residence,
    Solution,
    solution_objective,
)

Hub = tuple[Residence, str, bool]  # route, region key ("" for everyone), women
_LIMIT = 2**62


def _hub_of(a: Applicant, route: Residence) -> Hub:
    if route is Residence.DESA:
        return (route, a.desa_code, a.female)
    if route is Residence.KECAMATAN:
        return (route, a.kecamatan_code, a.female)
    return (route, "", a.female)


def _serves(hub: Hub, t: OpenTps) -> bool:
    route, key, _women = hub
    if route is Residence.DESA:
        return t.desa_code == key
    if route is Residence.KECAMATAN:
        return t.kecamatan_code == key
    return True


def _weights(problem: Problem, most: int) -> tuple[int, int, int, int]:
    """Weights of levels 2 to 5 such that a level outweighs all the levels after it."""
    worst_unsuit = max((a.unsuitability for a in problem.applicants), default=0)
    worst_warnings = max((len(a.warnings) for a in problem.applicants), default=0)
    w5 = 1
    w4 = w5 * (worst_unsuit * most + 1)
    w3 = w4 * (worst_warnings * most + 1)
    w2 = w3 * (int(Residence.OTHER_KECAMATAN) * most + 1)
    if w2 * (most + 1) >= _LIMIT:  # a problem too big for exact level 5: drop it, keep 1-4
        w5, w4 = 0, 1
        w3 = worst_warnings * most + 1
        w2 = w3 * (int(Residence.OTHER_KECAMATAN) * most + 1)
    return w2, w3, w4, w5


def solve(problem: Problem) -> Solution:
    start = time.perf_counter()
    tps = sorted(problem.tps, key=lambda t: t.code)
    people = sorted(problem.applicants, key=lambda a: a.nik)
    seats = sum(len(t.free_seats) for t in tps)
    most = min(seats, len(people))
    if not tps or not people:
        nobody: dict[str, tuple[str, ...]] = {t.code: () for t in tps}
        nothing = solution_objective(problem, nobody)
        return Solution(nobody, nothing, nothing, True, time.perf_counter() - start)
    w2, w3, w4, w5 = _weights(problem, most)
    desa_open = {t.desa_code for t in tps}
    kec_open = {t.kecamatan_code for t in tps}

    # Nodes: 0 source, 1 sink, then applicants, hubs, TPS women nodes, TPS nodes.
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []

    def arc(tail: int, head: int, cap: int, cost: int) -> int:
        tails.append(tail)
        heads.append(head)
        caps.append(cap)
        costs.append(cost)
        return len(tails) - 1

    node = 2
    tps_node: dict[str, int] = {}
    women_node: dict[str, int] = {}
    for t in tps:
        tps_node[t.code], women_node[t.code] = node, node + 1
        node += 2
    hubs: dict[Hub, int] = {}
    joins: list[tuple[Applicant, Hub, int]] = []  # applicant, hub, arc
    for a in people:
        person = node
        node += 1
        arc(0, person, 1, 0)
        for route in problem.routes:
            if route is Residence.DESA and a.desa_code not in desa_open:
                continue
            if route is Residence.KECAMATAN and a.kecamatan_code not in kec_open:
                continue
            hub = _hub_of(a, route)
            if hub not in hubs:
                hubs[hub] = node
                node += 1
            cost = w3 * int(route) + w4 * len(a.warnings) + w5 * a.unsuitability
            joins.append((a, hub, arc(person, hubs[hub], 1, cost)))
    sends: dict[Hub, list[tuple[OpenTps, int]]] = defaultdict(list)
    quota_arcs: list[int] = []
    for hub, hub_node in sorted(hubs.items(), key=lambda item: item[1]):
        women = hub[2]
        for t in tps:
            if _serves(hub, t):
                head = women_node[t.code] if women else tps_node[t.code]
                sends[hub].append((t, arc(hub_node, head, len(t.free_seats), 0 if women else w2)))
    for t in tps:
        free = len(t.free_seats)
        if t.women_missing:
            quota_arcs.append(arc(women_node[t.code], tps_node[t.code], t.women_missing, 0))
        arc(women_node[t.code], tps_node[t.code], free, w2)
        arc(tps_node[t.code], 1, free, 0)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32), np.array(heads, dtype=np.int32), np.array(caps, dtype=np.int64), np.array(costs, dtype=np.int64)
    )
    flow.set_node_supply(0, most)
    flow.set_node_supply(1, -most)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the staffing flow was not solved: status {status}")
    used = flow.flows(np.arange(len(tails), dtype=np.int32))
    picked = {a.nik: hub for a, hub, index in joins if used[index]}
    counts = {hub: [(t, int(used[index])) for t, index in out] for hub, out in sends.items()}
    chosen = _split_hubs(people, picked, counts)

    filled = int(flow.maximum_flow())
    cost = int(flow.optimal_cost())
    quota = sum(int(used[i]) for i in quota_arcs)
    women_missing = sum(t.women_missing for t in tps) - quota
    rest = cost - w2 * (filled - quota)
    residence_cost, rest = divmod(rest, w3)
    warnings_cost, unsuit = divmod(rest, w4) if w4 else (rest, 0)
    bound = Objective(_max_flow_bound(tails, heads, caps), women_missing, residence_cost, warnings_cost, unsuit if w5 else 0)
    reached = solution_objective(problem, chosen)
    if not w5:
        reached = Objective(reached.seats_filled, reached.women_missing, reached.residence, reached.warnings, 0)
    return Solution(chosen, reached, bound, reached == bound, time.perf_counter() - start)


def _max_flow_bound(tails: list[int], heads: list[int], caps: list[int]) -> int:
    """The most seats any staffing can fill, proved by a maximum flow (a minimum cut)."""
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(np.array(tails, dtype=np.int32), np.array(heads, dtype=np.int32), np.array(caps, dtype=np.int64))
    if solver.solve(0, 1) != solver.OPTIMAL:
        raise RuntimeError("the maximum flow was not solved")
    return int(solver.optimal_flow())


def _split_hubs(
    people: list[Applicant], picked: dict[str, Hub], counts: dict[Hub, list[tuple[OpenTps, int]]]
) -> dict[str, tuple[str, ...]]:
    """Give each hub's chosen applicants to the TPS its flow names, best ranked first; a TPS
    with seat 1 free takes its first pick before the others take their second. A person sent
    by their kecamatan's hub goes to a TPS outside their own desa where one is open to them."""
    pools: dict[Hub, list[Applicant]] = defaultdict(list)
    for a in sorted(people, key=lambda a: a.rank):
        if a.nik in picked:
            pools[picked[a.nik]].append(a)
    chosen: dict[str, list[str]] = defaultdict(list)
    for hub, per_tps in counts.items():
        pool = pools.get(hub, [])
        firsts = [t for t, n in per_tps if n and 1 in t.free_seats]
        slots = list(firsts)
        for t, n in per_tps:
            slots.extend([t] * (n - (t in firsts)))
        for t in slots:
            if not pool:
                break
            person = pool[0]
            if hub[0] is Residence.KECAMATAN:
                person = next((a for a in pool if a.desa_code != t.desa_code), pool[0])
            pool.remove(person)
            chosen[t.code].append(person.nik)
    every = {t.code for per_tps in counts.values() for t, _n in per_tps}
    return {code: tuple(chosen.get(code, ())) for code in sorted(every)}
