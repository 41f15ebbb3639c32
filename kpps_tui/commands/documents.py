"""`kpps export pengumuman-penelitian|pengumuman-penetapan|sk|daftar-hadir|honorarium`: the
office's documents for a TPS, desa, kecamatan or all, as PDF, DOCX or XLSX.

What the office should decide about before signing (empty seats, warnings whose reason is
owed, settings left blank) is printed before the file is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kpps_tui import clock
from kpps_tui.commands.common import count, open_workspace
from kpps_tui.i18n import N_, _
from kpps_tui.services import documents
from kpps_tui.services.documents import DocKind

_HELP = {
    DocKind.PENELITIAN: N_("pengumuman of the administrative review per desa, MS/TMS with reasons (PDF)"),
    DocKind.PENETAPAN: N_("pengumuman of the selection per desa: members per TPS and position (PDF)"),
    DocKind.SK: N_("lampiran of the SK forming the KPPS, per TPS (PDF, DOCX or XLSX)"),
    DocKind.DAFTAR_HADIR: N_("attendance list of the swearing-in per desa, with room to sign (PDF)"),
    DocKind.HONORARIUM: N_("honorarium list: gross, PPh 21 and net per officer, with totals (XLSX or PDF)"),
}


def register(commands: Any, common: argparse.ArgumentParser, groups: dict[str, Any]) -> None:
    for kind in DocKind:
        help_text = _(_HELP[kind])
        sub = groups["export"].add_parser(kind.value, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(run=cmd_export_document, document=kind)
        scope = sub.add_mutually_exclusive_group(required=True)
        scope.add_argument("--tps", metavar="TPS", help=_("one TPS, by its code"))
        scope.add_argument("--desa", metavar=_("CODE_OR_NAME"), help=_("one desa/kelurahan"))
        scope.add_argument("--kecamatan", metavar=_("CODE_OR_NAME"), help=_("one kecamatan"))
        scope.add_argument("--all", action="store_true", help=_("every TPS of the workspace"))
        formats = ", ".join(kind.formats)
        sub.add_argument("-o", "--output", metavar="FILE", required=True, help=_("file to write: {formats}").format(formats=formats))


def cmd_export_document(args: argparse.Namespace) -> int:
    kind: DocKind = args.document
    ws = open_workspace(args)
    scope = documents.resolve_scope(ws, args.tps, args.desa, args.kecamatan, args.all)
    documents.check_output(ws, kind, Path(args.output))  # refuse before the work
    prepared = documents.prepare(ws, kind, scope, clock.today())
    if prepared.gaps:
        print(documents.gaps_summary(prepared.gaps))
        for gap in prepared.gaps:
            print("  " + gap.text)
    for note in prepared.notes:
        print(_("Note: {note}").format(note=note))
    path = documents.write(ws, prepared, Path(args.output))
    print(_("Wrote {path}: {document}, {scope}, {count} people.").format(
        path=path, document=kind.label, scope=documents.scope_title(ws, scope), count=count(prepared.listed)
    ))
    if prepared.full_nik:
        print(_("It holds full NIKs: keep it inside the office. The export is recorded in the audit log."))
    return 0
