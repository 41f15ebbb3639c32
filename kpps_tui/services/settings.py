"""`kpps settings`: the election's parameters, shown and changed one at a time (audit-logged)."""

from __future__ import annotations

from dataclasses import dataclass

from kpps_tui.domain.model import Election
from kpps_tui.domain.settings import SETTINGS, SettingRefused, change_setting, setting_label, show_value
from kpps_tui.i18n import N_
from kpps_tui.store.workspace import Workspace


@dataclass(frozen=True)
class SettingRow:
    key: str
    label: str
    value: str


def election_settings(ws: Workspace) -> list[SettingRow]:
    return [SettingRow(key, setting_label(key), show_value(ws.election, key)) for key in SETTINGS]


def set_election_setting(ws: Workspace, key: str, text: str) -> Election:
    """Change one parameter, refusing values the workspace contradicts (fewer seats than a TPS
    already fills, fewer voters than a TPS already has)."""
    with ws.transaction():
        election = change_setting(ws.election, key.strip(), text)
        if election == ws.election:
            return election
        highest = max((n for t in ws.tps.values() for n in t.seats), default=0)
        if election.seats_per_tps < highest:
            raise SettingRefused(
                N_("A TPS already uses seat {seat}; free it before lowering the seats per TPS to {seats}."),
                seat=highest,
                seats=election.seats_per_tps,
            )
        most = max((t.voters for t in ws.tps.values()), default=0)
        if election.max_voters < most:
            raise SettingRefused(
                N_("A TPS already has {voters} voters; the limit cannot go below that."), voters=most
            )
        ws.put_election(election)
        return election
