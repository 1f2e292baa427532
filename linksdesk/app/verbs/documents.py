"""``record-pdf`` and ``gp-summary``: documents for and about one participant, as files."""

from __future__ import annotations

import argparse
from pathlib import Path

from linksdesk.app.console import EXIT_OK
from linksdesk.app.vaults import casebook
from linksdesk.core import files


def write_new_file(path: Path, data: bytes) -> None:
    """Write a document holding personal data: readable by its owner only, never over a file,
    whole or not at all (a full memory stick leaves no document cut short)."""
    files.write_whole(path, data, what="The document")


def cmd_record_pdf(args: argparse.Namespace) -> int:
    from linksdesk.casework import own_record
    from linksdesk.reports.participant_record import counted_list

    with casebook(args) as cb:
        pid = own_record.find_by_programme_id(cb, args.participant)
        document = own_record.record_pdf(cb, pid, include_private=args.include_private)
    write_new_file(args.out, document.pdf)
    record = document.record
    if record.complete:
        print(f"Wrote the complete record of {record.person.programme_id} to {args.out}.")
    else:
        print(
            f"Wrote the record of {record.person.programme_id} to {args.out}. Left out: "
            f"{counted_list(record.left_out)} marked private (add --include-private, after "
            "deciding with the person, to include them)."
        )
    return EXIT_OK


def cmd_gp_summary(args: argparse.Namespace) -> int:
    from linksdesk.casework import gp_summary, own_record

    with casebook(args) as cb:
        pid = own_record.find_by_programme_id(cb, args.participant)
        export = gp_summary.export_gp_summary(
            cb, pid, args.format, note_ids=args.note or (), declined=args.declined
        )
    content = export.content
    write_new_file(args.out, content.encode("utf-8") if isinstance(content, str) else content)
    print(f"Wrote the GP summary of {export.summary.programme_id} to {args.out}.")
    return EXIT_OK
