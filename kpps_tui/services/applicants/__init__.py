"""Applicants: the NIK check of the form, adding and editing, stages, papers, health, public
responses, leaving (PAW), and the list the applicant screen shows.

Every change is checked (domain.applicants, domain.rules), stored with the person (one write
per kecamatan file, however many people change) and kept in the person's history and in the
audit log (the store logs every put).

What the terminal interface calls:
    check_nik(ws, text, sex=None, birth_date=None, editing=None) -> NikCheck   as the user types
    add_applicant(ws, fields) -> Person;  update_applicant(ws, nik, fields) -> Person
    set_stage(ws, nik, stage, reasons=(), sk_number="", sk_date=None, on=None) -> Person
    assess(ws, nik) / assess_many(ws, niks) : MS or TMS from the rule check
    leave(ws, nik, stage, reason, on=None) -> Left   (frees the seat, marks it for PAW)
    add_response / resolve_response, set_document, set_health
    applicant_rows(ws), filter_applicants(rows, ApplicantFilter), count_applicants(rows)
    applicant_detail(ws, nik) -> ApplicantDetail

The package is split by use case: form.py (the NIK check, the Builder), commands.py (every
change), queries.py (the read models of the applicants screen and the commands).
"""

from kpps_tui.domain.nik import NikError
from kpps_tui.services.applicants.commands import (
    BulkResult,
    Left,
    add_applicant,
    add_response,
    appoint_many,
    assess,
    assess_many,
    assessment,
    leave,
    noted,
    resolve_response,
    set_document,
    set_health,
    set_stage,
    update_applicant,
)
from kpps_tui.services.applicants.form import (
    FIELD_NAMES,
    MAX_TEXT,
    REQUIRED,
    Builder,
    NikCheck,
    check_nik,
)
from kpps_tui.services.applicants.queries import (
    ELIGIBILITY,
    ApplicantCounts,
    ApplicantDetail,
    ApplicantFilter,
    ApplicantPool,
    ApplicantRow,
    PaperStatus,
    PawSeat,
    applicant_detail,
    applicant_rows,
    count_applicants,
    count_tallies,
    document_label,
    filter_applicants,
    filter_pool,
    papers_of,
    seats_waiting_for_replacement,
)

__all__ = [
    "ApplicantCounts",
    "ApplicantDetail",
    "ApplicantFilter",
    "ApplicantPool",
    "ApplicantRow",
    "Builder",
    "BulkResult",
    "ELIGIBILITY",
    "FIELD_NAMES",
    "Left",
    "MAX_TEXT",
    "NikCheck",
    "NikError",
    "PaperStatus",
    "PawSeat",
    "REQUIRED",
    "add_applicant",
    "add_response",
    "applicant_detail",
    "applicant_rows",
    "appoint_many",
    "assess",
    "assess_many",
    "assessment",
    "check_nik",
    "count_applicants",
    "count_tallies",
    "document_label",
    "filter_applicants",
    "filter_pool",
    "leave",
    "noted",
    "papers_of",
    "resolve_response",
    "seats_waiting_for_replacement",
    "set_document",
    "set_health",
    "set_stage",
    "update_applicant",
]
