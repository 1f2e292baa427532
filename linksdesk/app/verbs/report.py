"""``report``: a supervisor's figures for a period, written to an XLSX, CSV or PDF file;
``published``: external reports written from another vault, taken in to be compared with;
``evaluation``: the pseudonymised evaluation copy, written as CSV files."""

from __future__ import annotations

import argparse
import datetime as dt

from linksdesk.app.console import EXIT_OK
from linksdesk.app.vaults import casebook
from linksdesk.core.errors import OverlapsEarlierReportError, UserError


def cmd_report(args: argparse.Namespace) -> int:
    from linksdesk.reports.build import resolve_workers
    from linksdesk.reports.export import export_report
    from linksdesk.reports.scope import Period, Scope

    today = dt.date.today()
    period = Period.parse(args.period) if args.period else Period.last_twelve_months(today)
    with casebook(args) as cb:
        workers = resolve_workers(cb.store, args.worker) if args.worker else None
        scope = Scope(period, workers)
        if args.team:
            from linksdesk.reports.teams import resolve_team, team_label

            team_id, members = resolve_team(cb.store, args.team)
            scope = Scope.within_team(period, team_label(team_id), members, workers)
            if not scope.workers:
                raise UserError(f"None of the workers chosen is in {team_label(team_id)}.")
        try:
            export_report(
                cb.store,
                scope,
                args.format,
                args.out,
                audience=args.audience,
                overlap_ok=args.overlap_ok,
            )
        except OverlapsEarlierReportError as exc:
            raise UserError(f"{exc} To write it anyway, add --overlap-ok.") from None
    print(f"Wrote the {args.audience} report for {period.label} to {args.out}.")
    return EXIT_OK


def cmd_published(args: argparse.Namespace) -> int:
    from linksdesk.casework.supervision import take_in_published

    with casebook(args) as cb:
        taken = take_in_published(cb, args.files)
    for scope in taken:
        print(f"Took in the external report of {scope}.")
    print("External reports written from this vault are now compared with them as well.")
    return EXIT_OK


def cmd_evaluation(args: argparse.Namespace) -> int:
    from linksdesk.casework.supervision import write_evaluation

    with casebook(args) as cb:
        done = write_evaluation(cb, args.out)
    for sentence in done.said():
        print(sentence)
    return EXIT_OK
