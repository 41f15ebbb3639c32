"""Applicants from the shell: `kpps applicant ...`, `kpps import applicants|tps`, `kpps export
applicants`, `kpps overrides`, `kpps justify`, `kpps paw`, `kpps settings`.

The same services as the terminal interface; exit 1 when something was refused (a row of an
import, a stage change), with the reason on the screen.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kpps_tui.commands.common import PARTLY, count, open_workspace, text_table
from kpps_tui.domain.applicants import LEAVING, Document, HealthCertificate, Stage
from kpps_tui.domain.model import Tps, seat_title
from kpps_tui.domain.nik import mask_nik
from kpps_tui.domain.settings import parse_day
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import applicants, assignments, audit_log, finders, imports, overrides, settings

SHOWN = 50  # added rows listed by name before "and N more"
STAGE_CHOICES = {s.value: s for s in Stage if s not in LEAVING}
LEAVE_CHOICES = {s.value: s for s in LEAVING}
HEALTH_CHECKS = ("blood_pressure", "blood_sugar", "cholesterol")


def register(commands, common: argparse.ArgumentParser, groups: dict) -> None:
    def add(parent, name: str, help_text: str, run) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    for kind, help_text, run in (
        ("applicants", _("add and update applicants from a CSV or XLSX list (matched by NIK)"), cmd_import_applicants),
        ("tps", _("add TPS and update their address and voters from a CSV or XLSX list"), cmd_import_tps),
    ):
        sub = add(groups["import"], kind, help_text, run)
        sub.add_argument("file", metavar="FILE")
        sub.add_argument("--map", metavar="FIELD=HEADER", action="append", default=[], help=_("the column of a field (repeatable); FIELD= leaves a field out"))
        sub.add_argument("--dry-run", action="store_true", help=_("only show what would change"))
        sub.add_argument("--strict", action="store_true", help=_("import nothing if any row is refused"))

    export = add(groups["export"], "applicants", _("the applicant list to CSV or XLSX"), cmd_export_applicants)
    export.add_argument("-o", "--output", metavar="FILE", required=True, help=_("file to write: .csv or .xlsx"))

    report = add(commands, "overrides", _("seats that hold warnings, with the reasons written for them"), cmd_overrides)
    report.add_argument("--tps", metavar="TPS", help=_("only this TPS"))
    report.add_argument("--missing", action="store_true", help=_("only warnings without a written reason (exit 1 if any)"))
    report.add_argument("--csv", action="store_true", help=_("print CSV for a spreadsheet"))
    report.add_argument("--full-nik", action="store_true", help=_("with --csv: every NIK in full (recorded in the log as a reveal)"))

    justify = add(commands, "justify", _("write the reason for a warning that stands on a seat"), cmd_justify)
    justify.add_argument("tps", metavar="TPS")
    justify.add_argument("seat", metavar="SEAT", type=int)
    justify.add_argument("code", metavar="CODE", help=_("the warning's code, as `kpps overrides` shows it"))
    justify.add_argument("reason", metavar="REASON")

    add(commands, "paw", _("seats freed by a member who left, waiting for a replacement (PAW)"), cmd_paw)

    setting = add(commands, "settings", _("show the election's parameters, or change one"), cmd_settings)
    setting.add_argument("action", nargs="?", choices=["set"], help=_("set KEY VALUE changes one parameter"))
    setting.add_argument("key", nargs="?", metavar="KEY")
    setting.add_argument("value", nargs="?", metavar="VALUE")

    group = commands.add_parser("applicant", parents=[common], help=_("applicants: list, show, add, edit, stages, papers"), description=_("applicants: list, show, add, edit, stages, papers"))
    group.set_defaults(run=lambda args: _usage(group))
    sub = group.add_subparsers(title=_("commands"), metavar=_("COMMAND"))

    listing = add(sub, "list", _("list applicants with their stage and eligibility"), cmd_list)
    listing.add_argument("--kecamatan", metavar="CODE")
    listing.add_argument("--desa", metavar="CODE")
    listing.add_argument("--stage", choices=[s.value for s in Stage])
    listing.add_argument("--sex", choices=["L", "P"])
    listing.add_argument("--eligibility", choices=list(applicants.ELIGIBILITY))
    listing.add_argument("--search", metavar="TEXT", default="")

    show = add(sub, "show", _("everything about one applicant"), cmd_show)
    show.add_argument("nik", metavar="NIK")

    for name, help_text, run in (("add", _("register a new applicant"), cmd_add), ("edit", _("change fields of an applicant"), cmd_edit)):
        form = add(sub, name, help_text, run)
        if name == "edit":
            form.add_argument("nik", metavar="NIK")
        form.add_argument("--set", metavar="FIELD=VALUE", action="append", default=[], help=_("a field: nik, name, sex, birth_place, birth_date, address, rt, rw, desa, phone, education, earlier_service, notes, tax (npwp, non-npwp or pns-I to pns-IV)"))

    stage = add(sub, "stage", _("move an applicant to a stage (pendaftar, ms, tms, ditetapkan, dilantik)"), cmd_stage)
    stage.add_argument("nik", metavar="NIK")
    stage.add_argument("stage", choices=list(STAGE_CHOICES))
    stage.add_argument("--reason", action="append", default=[], help=_("why (required for tms; repeatable)"))
    stage.add_argument("--sk", default="", help=_("SK number (for ditetapkan)"))
    stage.add_argument("--sk-date", metavar="DATE", help=_("SK date (for ditetapkan)"))
    stage.add_argument("--on", metavar="DATE", help=_("the day (default: today)"))

    assess = add(sub, "assess", _("set MS or TMS from the rule check (every Pendaftar without NIKs)"), cmd_assess)
    assess.add_argument("niks", metavar="NIK", nargs="*")

    leave = add(sub, "leave", _("record that a member resigned, was dismissed or died; frees the seat for a replacement"), cmd_leave)
    leave.add_argument("nik", metavar="NIK")
    leave.add_argument("how", choices=list(LEAVE_CHOICES))
    leave.add_argument("--reason", required=True)
    leave.add_argument("--on", metavar="DATE")

    respond = add(sub, "respond", _("record a public response (tanggapan masyarakat) about an applicant"), cmd_respond)
    respond.add_argument("nik", metavar="NIK")
    respond.add_argument("text", metavar="TEXT")
    respond.add_argument("--on", metavar="DATE")

    resolve = add(sub, "resolve", _("settle a public response with a note"), cmd_resolve)
    resolve.add_argument("nik", metavar="NIK")
    resolve.add_argument("number", metavar="N", type=int, help=_("the response's number, as `kpps applicant show` lists it"))
    resolve.add_argument("note", metavar="NOTE")

    paper = add(sub, "paper", _("tick a paper as received or not"), cmd_paper)
    paper.add_argument("nik", metavar="NIK")
    paper.add_argument("document", choices=[d.value for d in Document if d is not Document.PARTY_LETTER])
    paper.add_argument("--missing", action="store_true", help=_("not received (default: received)"))
    paper.add_argument("--on", metavar="DATE")

    health = add(sub, "health", _("record the health certificate"), cmd_health)
    health.add_argument("nik", metavar="NIK")
    health.add_argument("--issuer", required=True, help=_("clinic, puskesmas or hospital"))
    health.add_argument("--on", metavar="DATE", help=_("the certificate's date"))
    health.add_argument("--not-normal", action="append", default=[], choices=HEALTH_CHECKS, help=_("a check found not normal (repeatable)"))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    return 2


def _pairs(items: list[str], what: str) -> dict[str, str]:
    found = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise KppsError(N_("Write {what} as KEY=VALUE; {item} is not."), what=what, item=item)
        found[key.strip()] = value.strip()
    return found


def override_pairs(items: list[str]) -> dict[str, str]:
    """--override CODE=REASON, repeated, as the dict services.assignments.assign takes."""
    return _pairs(items, "--override")


def _day(text: str | None) -> date | None:
    return parse_day(text) if text else None


# ---- import and export ---------------------------------------------------------------------------


def cmd_import_applicants(args: argparse.Namespace) -> int:
    return _import(args, imports.preview_applicants, imports.apply_applicants, _describe_person)


def cmd_import_tps(args: argparse.Namespace) -> int:
    return _import(args, imports.preview_tps, imports.apply_tps, _describe_tps)


def _import(args, preview_fn, apply_fn, describe) -> int:
    ws = open_workspace(args)
    preview = preview_fn(ws, Path(args.file), _pairs(args.map, "--map") or None)
    source = {"given": _("given"), "remembered": _("remembered"), "guessed": _("from the column names")}[preview.mapping.source]
    print(_("Columns ({source}): {mapping}").format(source=source, mapping=", ".join(f"{k}={v}" for k, v in preview.mapping.fields.items())))
    for item in preview.added[:SHOWN]:
        print(_("Add: {what}").format(what=describe(ws, item)))
    if len(preview.added) > SHOWN:
        print(_("... and {n} more to add.").format(n=count(len(preview.added) - SHOWN)))
    for update in preview.updated:
        print(_("Row {row}: update {what}: {fields}").format(row=update.row, what=describe(ws, update.before), fields=", ".join(update.fields)))
    for row in preview.refused:
        print(_("Row {row}: refused. {reason}").format(row=row.row, reason=row.reason))
    if preview.extra_cell_rows:
        rows = ", ".join(str(n) for n in preview.extra_cell_rows[:20])
        print(_("Rows {rows} have cells beyond the last column; those cells were ignored.").format(rows=rows))
    print(preview.summary())
    if args.dry_run:
        print(_("Dry run: nothing was written."))
    elif args.strict and preview.refused:
        print(_("Strict: nothing was imported, since rows were refused."))
    else:
        preview.release()
        applied = apply_fn(ws, preview, strict=args.strict)
        if applied.preview.changes != preview.changes:
            print(_("The workspace changed meanwhile; what was done: {summary}").format(summary=applied.preview.summary()))
        print(applied.summary())
        if applied.written and applied.preview.refused:
            print(_("Partly imported: the refused rows above were left out; correct them and import the file again."))
            return PARTLY
    return 1 if preview.refused else 0




def _describe_person(ws, person) -> str:
    return f"{person.name} ({mask_nik(person.nik)}, {ws.region_name(person.desa_code)})"


def _describe_tps(ws, tps: Tps) -> str:
    return f"{tps.code} ({ws.tps_label(tps)})"


def cmd_export_applicants(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    rows = imports.export_applicants(ws, Path(args.output))
    print(_("Wrote {path}: {n} applicants.").format(path=args.output, n=count(rows)))
    return 0


# ---- overrides, PAW, settings ----------------------------------------------------------------------


def cmd_overrides(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    tps = finders.find_tps(ws, args.tps).code if args.tps else None
    rows = overrides.override_rows(ws, tps, unreasoned_only=args.missing)
    if args.csv:
        if args.full_nik:
            audit_log.reveal_all(ws, "kpps overrides --csv", len({r.nik for r in rows}))
        sys.stdout.write(overrides.to_csv(rows, full_nik=args.full_nik))
    elif rows:
        for r in rows:
            reason = r.reason or _("(no written reason)")
            now = "" if r.applies_now else " " + _("(no longer applies)")
            print(f"{r.tps_label} · {seat_title(r.seat)} · {r.name}: [{r.code}] {r.message}{now}")
            print("    " + _("Reason: {reason}").format(reason=reason))
    else:
        print(_("No seat holds a warning."))
    missing = sum(not r.reason for r in rows)
    if not args.csv:
        print(_("{n} warnings on seats, {missing} without a written reason.").format(n=count(len(rows)), missing=count(missing)))
    return 1 if args.missing and rows else 0


def cmd_justify(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    seat = assignments.justify(ws, args.tps, args.seat, args.code, args.reason)
    person = ws.people.get(seat.nik)
    print(_("Reason recorded for {code} on {title} of {tps} ({name}).").format(
        code=args.code, title=seat_title(args.seat), tps=ws.tps_label(ws.tps[args.tps.strip()]), name=person.name if person else seat.nik
    ))
    return 0


def cmd_paw(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    waiting = applicants.seats_waiting_for_replacement(ws)
    for w in waiting:
        stage = _stage_label(w.vacancy.stage)
        print(_("{tps} · {title}: {name} ({stage}, {on}: {reason})").format(
            tps=w.tps_label, title=seat_title(w.seat), name=w.vacancy.name, stage=stage, on=w.vacancy.on, reason=w.vacancy.reason
        ))
    print(_("{n} seats wait for a replacement (PAW).").format(n=count(len(waiting))))
    return 0


def _stage_label(value: str) -> str:
    try:
        return Stage(value).label
    except ValueError:
        return value


def cmd_settings(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    if args.action == "set":
        if not args.key or args.value is None:
            raise KppsError(N_("Write `kpps settings set KEY VALUE`."))
        settings.set_election_setting(ws, args.key, args.value)
    elif args.key:
        raise KppsError(N_("Write `kpps settings set KEY VALUE`."))
    rows = settings.election_settings(ws)
    print(text_table([_("Key"), _("Setting"), _("Value")], [[r.key, r.label, r.value] for r in rows]))
    return 0


# ---- one applicant ------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    rows = applicants.applicant_rows(ws)
    flt = applicants.ApplicantFilter(
        kecamatan=args.kecamatan,
        desa=args.desa,
        stage=Stage(args.stage) if args.stage else None,
        sex=args.sex,
        eligibility=args.eligibility,
        text=args.search,
    )
    shown = applicants.filter_applicants(rows, flt)
    if shown:
        print(text_table(
            [_("NIK"), _("Name"), _("L/P"), _("Age"), _("Desa/Kelurahan"), _("Stage"), _("Eligible?"), _("Seat")],
            [
                [mask_nik(r.person.nik), r.person.name, r.person.sex, str(r.age), r.desa, r.stage.label, r.eligibility_label,
                 f"{r.seat.tps_label} / {r.seat.seat}" if r.seat else ""]
                for r in shown
            ],
        ))
    counts = applicants.count_applicants(shown)
    print(_("{shown} of {total} applicants shown: {women} women, {seated} seated.").format(
        shown=count(counts.total), total=count(len(rows)), women=count(counts.women), seated=count(counts.seated)
    ))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    d = applicants.applicant_detail(ws, args.nik)
    p = d.person
    print(f"{p.name} · NIK {mask_nik(p.nik)} · {p.sex} · {p.birth_place} {p.birth_date.isoformat()} ({d.age})")
    print(f"{p.address} RT {p.rt} RW {p.rw}, {ws.region_name(p.desa_code)}, {ws.region_name(p.kecamatan_code)}")
    print(_("Stage: {stage}").format(stage=p.standing.stage.label))
    print(_("Tax status: {status}").format(status=p.tax.label if p.tax else _("not recorded (withheld as without an NPWP)")))
    for reason in p.standing.reasons:
        print("  - " + reason.message)
    if p.standing.sk_number:
        print(_("SK {number} of {date}").format(number=p.standing.sk_number, date=p.standing.sk_date.isoformat() if p.standing.sk_date else "?"))
    if d.seat:
        print(_("Seat: {title} of {tps}").format(title=seat_title(d.seat.seat), tps=d.seat.tps_label))
        for o in d.overrides:
            print("  " + _("Warning: {message}").format(message=o.message) + " — " + (o.reason or _("(no written reason)")))
    for f in d.findings:
        print(("! " if f.is_hard else "  ") + f.message)
    for paper in d.papers:
        mark = "x" if paper.received else " "
        print(f"[{mark}] {paper.label}" + (f" ({paper.on.isoformat()})" if paper.on else ""))
    if p.health:
        state = _("normal") if p.health.normal else _("not normal")
        print(_("Health certificate: {issuer}, {on}: {state}").format(issuer=p.health.issuer, on=p.health.issued_on or "?", state=state))
    for i, r in enumerate(p.responses, 1):
        state = _("settled: {note}").format(note=r.resolution) if r.resolved else _("open")
        print(_("Public response {n} ({on}): {text} [{state}]").format(n=i, on=r.received_on.isoformat(), text=r.text, state=state))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    person = applicants.add_applicant(ws, _pairs(args.set, "--set"))
    print(_("Added {name} ({nik}).").format(name=person.name, nik=mask_nik(person.nik)))
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    before = finders.find_person(ws, args.nik)
    person = applicants.update_applicant(ws, args.nik, _pairs(args.set, "--set"))
    print(_("Saved {name}.").format(name=person.name) if person != before else _("Nothing changed."))
    return 0


def cmd_stage(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    person = applicants.set_stage(ws, args.nik, STAGE_CHOICES[args.stage], args.reason, args.sk, _day(args.sk_date), _day(args.on))
    print(_("{name} is now {stage}.").format(name=person.name, stage=person.standing.stage.label))
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    result = applicants.assess_many(ws, [n.replace(" ", "") for n in args.niks] or None)
    for person in result.changed:
        reasons = "; ".join(r.message for r in person.standing.reasons)
        print(_("{name}: {stage}").format(name=person.name, stage=person.standing.stage.label) + (f" ({reasons})" if reasons else ""))
    for person, reason in result.refused:
        print(_("{name}: not changed. {reason}").format(name=person.name, reason=reason))
    print(_("{changed} changed, {unchanged} unchanged, {refused} refused.").format(
        changed=count(len(result.changed)), unchanged=count(len(result.unchanged)), refused=count(len(result.refused))
    ))
    return 1 if result.refused else 0


def cmd_leave(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    left = applicants.leave(ws, args.nik, LEAVE_CHOICES[args.how], args.reason, _day(args.on))
    print(_("{name} is now {stage}.").format(name=left.person.name, stage=left.person.standing.stage.label))
    if left.freed:
        code, seat = left.freed
        print(_("Seat {seat} of {tps} is free and waits for a replacement (PAW).").format(seat=seat, tps=ws.tps_label(ws.tps[code])))
    return 0


def cmd_respond(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    person = applicants.add_response(ws, args.nik, args.text, _day(args.on))
    print(_("Public response {n} recorded for {name}; settle it before the appointment.").format(n=len(person.responses), name=person.name))
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    person = applicants.resolve_response(ws, args.nik, args.number - 1, args.note)
    print(_("Public response {n} about {name} is settled.").format(n=args.number, name=person.name))
    return 0


def cmd_paper(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    person = applicants.set_document(ws, args.nik, args.document, not args.missing, _day(args.on))
    state = _("not received") if args.missing else _("received")
    print(_("{paper} of {name}: {state}.").format(paper=Document(args.document).label, name=person.name, state=state))
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    bad = set(args.not_normal)
    certificate = HealthCertificate(_day(args.on), args.issuer.strip(), *(check not in bad for check in HEALTH_CHECKS))
    person = applicants.set_health(ws, args.nik, certificate)
    state = _("normal") if certificate.normal else _("not normal")
    print(_("Health certificate of {name} recorded: {state}.").format(name=person.name, state=state))
    return 0
