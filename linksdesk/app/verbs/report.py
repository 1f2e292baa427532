"""``report``: a supervisor's figures for a period, written to an XLSX, CSV or PDF file."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from linksdesk.app.arguments import vault_verb
from linksdesk.app.console import EXIT_OK
from linksdesk.app.vaults import casebook
from linksdesk.core.errors import UserError

if TYPE_CHECKING:
    from linksdesk.app.arguments import Verbs


def cmd_report(args: argparse.Namespace) -> int:
    from linksdesk.reports.build import resolve_workers
    from linksdesk.reports.export import export_report
    from linksdesk.reports.scope import Period, Scope

    today = dt.date.today()
    period = Period.parse(args.period) if args.period else Period.last_twelve_months(today)
    with casebook(args) as cb:
        workers = resolve_workers(cb.store, args.worker) if args.worker else None
        team = None
        if args.team:
            from linksdesk.reports.teams import resolve_team, team_label

            team_id, members = resolve_team(cb.store, args.team)
            team = team_label(team_id)
            workers = members if workers is None else workers & members
            if not workers:
                raise UserError(f"None of the workers chosen is in {team}.")
        scope = Scope(period, workers, team)
        export_report(cb.store, scope, args.format, args.out, audience=args.audience)
    print(f"Wrote the {args.audience} report for {period.label} to {args.out}.")
    return EXIT_OK


def add_parsers(verbs: Verbs, default_vault: Path) -> None:
    p = vault_verb(
        verbs,
        "report",
        vault=default_vault,
        what="the supervisor's vault",
        help="write a supervisor's report (XLSX, CSV or PDF) for a period",
        description=(
            "Write the team's figures for a period to a file. External reports (the default) "
            "hide small numbers; internal ones (for supervision) show them exactly."
        ),
    )
    p.add_argument("--period", metavar="FIRST..LAST", help="months, e.g. 2026-04..2026-09 "
                   "(default: the last 12 months)")  # fmt: skip
    p.add_argument("--worker", action="append", metavar="W", help="only this worker (repeatable)")
    p.add_argument("--team", metavar="T", help="only the workers of this team")
    p.add_argument("--format", choices=("xlsx", "csv", "pdf"), required=True)
    p.add_argument("--audience", choices=("internal", "external"), default="external")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="file to write")
