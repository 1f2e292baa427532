"""Time the participant's own record as a PDF for a long case, against fpdf2's own wrapping.

Builds a synthetic participant (contacts, case notes with two versions each, measures) in a
temporary vault, then times: gathering the record (one read), rendering it with
``linksdesk.reports.pdf``, and, as the baseline doing the same work in the same run, laying out
the same case-note text with fpdf2's ``multi_cell`` (which re-measures the whole line for every
character, the reason the builder wraps text itself).

Run: .venv/bin/python benchmarks/documents.py [--contacts 400] [--notes 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")


def main() -> None:
    from fpdf.enums import XPos, YPos

    from linksdesk.casework import contacts, measures, notes, own_record, participants
    from linksdesk.casework.casebook import Casebook
    from linksdesk.core.vocab import ContactKind, MeasureContext, MeasureKind
    from linksdesk.reports.participant_record import render_record_pdf
    from linksdesk.reports.pdf import PdfDocument

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=400)
    parser.add_argument("--notes", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="linksdesk-bench-docs-") as tmp:
        cb, _key = Casebook.create(Path(tmp) / "bench.vault", "benchmark passphrase")
        try:
            person = participants.create_participant(cb, given_name="Long", family_name="Case")
            pid = person.value.id
            start = dt.datetime(2024, 1, 1, 9, 0)
            for i in range(args.contacts):
                contacts.record_contact(
                    cb,
                    pid,
                    kind=ContactKind.APPOINTMENT,
                    at=start + dt.timedelta(days=i),
                    purpose="Talked about money, housing and the walking group. " * 2,
                )
            for i in range(args.notes):
                note = notes.write_note(
                    cb,
                    pid,
                    "We talked about how the week went and what to try next. " * 20,
                    written_at=start + dt.timedelta(days=i, hours=3),
                ).value
                notes.revise_note(
                    cb, note.id, "Corrected. " + note.text, base_revision_id=note.latest.id
                )
            for i in range(30):
                measures.record_measure(
                    cb,
                    pid,
                    MeasureKind.WEMWBS,
                    [3] * 14,
                    context=MeasureContext.REVIEW,
                    taken_on=dt.date(2024, 1, 1) + dt.timedelta(days=10 * i),
                )
            gather, render, baseline = [], [], []
            pages = 0
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                record = own_record.gather_record(cb, pid, include_private=True)
                t1 = time.perf_counter()
                pdf = render_record_pdf(record)
                t2 = time.perf_counter()
                gather.append(t1 - t0)
                render.append(t2 - t1)
                pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
                texts = [r.text for n in record.notes for r in n.revisions]
                # the same note text through the builder and through fpdf2's multi_cell
                with PdfDocument("bench", author="bench") as ours:
                    t3 = time.perf_counter()
                    for text in texts:
                        ours.paragraph(text)
                    ours_s = time.perf_counter() - t3
                with PdfDocument("bench", author="bench") as theirs:
                    raw = theirs._pdf
                    raw.add_page()
                    raw.set_font("DejaVu", "", 10)
                    t4 = time.perf_counter()
                    for text in texts:
                        raw.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                    theirs_s = time.perf_counter() - t4
                baseline.append((ours_s, theirs_s))
        finally:
            cb.lock()

    chars = sum(len(t) for t in texts)
    print(
        f"record: {args.contacts} contacts, {args.notes} case notes x2 versions "
        f"({chars:,} characters of note text), {pages} pages"
    )
    print(f"gather (one read)      median {statistics.median(gather):7.3f} s")
    print(f"render the whole PDF   median {statistics.median(render):7.3f} s")
    ours_m = statistics.median(o for o, _t in baseline)
    theirs_m = statistics.median(t for _o, t in baseline)
    print(f"note text, builder     median {ours_m:7.3f} s")
    print(f"note text, multi_cell  median {theirs_m:7.3f} s (baseline)")
    print(f"ratio builder/baseline {ours_m / theirs_m:7.2f}x")


if __name__ == "__main__":
    main()
