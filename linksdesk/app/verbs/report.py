"""``report``: a supervisor's figures for a period, written to an XLSX, CSV or PDF file."""

from __future__ import annotations

import argparse
import datetime as dt

from linksdesk.app.console import EXIT_OK
from linksdesk.app.vaults import casebook
from linksdesk.core.errors import UserError


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
