"""`kpps init`: create a workspace from the bundled sample or a generated province."""

from __future__ import annotations

import argparse

from kpps_tui.commands.common import add_command, count, data_dir, data_option
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import browse, setup, users


def register(commands, common: argparse.ArgumentParser) -> None:
    init = add_command(commands, common, "init", _("create a workspace"), cmd_init)
    init.add_argument(
        "--sample",
        nargs="?",
        const="demo",
        choices=setup.SAMPLE_VARIANTS,
        help=_(
            "copy the bundled Kotawaringin Barat sample: demo (two weeks before the appointment, "
            "some seats still empty; the default) or full (every seat filled)"
        ),
    )
    init.add_argument(
        "--generate",
        choices=["province"],
        help=_(
            "generate a synthetic Kalimantan Tengah workspace (14 kab/kota, 4,446 TPS, about "
            "48,000 applicants) for trying the program at province scale"
        ),
    )
    init.add_argument("--group", metavar=_("GROUP"), help=_("share the new workspace with this Unix group (folders 2770, files 0660)"))


def cmd_init(args: argparse.Namespace) -> int:
    dest = data_dir(args)
    if args.generate is None and args.sample is None:
        raise KppsError(
            N_(
                "For now `kpps init` can only create a workspace from the bundled sample: run "
                "`kpps init --sample{data}` (about 60% of seats filled) or "
                "`kpps init --sample full{data}` (every seat filled)."
            ),
            data=data_option(args),
        )
    if args.group:
        users.group_id(args.group)  # an unknown group is said before anything is made
    if args.generate:
        ws, args.sample = setup.generate_province(dest), args.generate
    else:
        ws = setup.init_from_sample(dest, args.sample)
    if args.group:
        users.share_with_group(ws, args.group)
    total = browse.summarize(browse.tps_rows(ws))
    print(
        _(
            "Created a workspace from the {sample} sample in {path}: {tps} TPS, {people} applicants, "
            "{filled} of {seats} seats filled."
        ).format(
            sample=args.sample,
            path=dest,
            tps=count(total.tps_total),
            people=count(len(ws.people)),
            filled=count(total.seats_filled),
            seats=count(total.seats_total),
        )
    )
    print(
        _("Open it with `kpps{data}`, or list its TPS with `kpps tps list{data}`.").format(
            data=data_option(args)
        )
    )
    return 0
