"""Writing a report to a file in one of the formats, recorded in the audit log (no content)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from linksdesk.core import files
from linksdesk.core.errors import (
    ChangedSinceEarlierReportError,
    OverlapsEarlierReportError,
    UserError,
    ValidationError,
)
from linksdesk.core.vocab import AuditAction
from linksdesk.reports.build import AUDIENCES, EXTERNAL, report_from_store
from linksdesk.reports.csvfile import write_csv
from linksdesk.reports.model import Report
from linksdesk.reports.publication import digest_matches, figures_digest, record_text
from linksdesk.reports.scope import Period, Scope, day_words
from linksdesk.reports.xlsx import write_xlsx
from linksdesk.storage.published import (
    Published,
    add_published,
    digest_key,
    making_digest_key,
    published,
)
from linksdesk.storage.store import Store

FORMATS = ("xlsx", "csv", "pdf")
Progress = Callable[[int, int], None]


def _write(report: Report, fmt: str, out: Path, progress: Progress | None) -> None:
    if fmt == "xlsx":
        write_xlsx(report, out, progress)
    elif fmt == "csv":
        write_csv(report, out)
    else:
        try:  # the PDF builder (reports.pdf, fpdf2) may be missing from a build
            from linksdesk.reports.board_pdf import write_pdf
        except ImportError:
            raise UserError(
                "PDF reports are not available in this build of LinksDesk; use xlsx or csv."
            ) from None
        write_pdf(report, out, progress)


def _published(scope: Scope, digest: str | None = None) -> Published:
    first, last = scope.period.first, scope.period.last
    digests = frozenset() if digest is None else frozenset({digest})
    return Published(first, last, scope.workers, scope.team, dt.date.today(), digests)


def described(report: Published) -> str:
    period = Period(report.first, report.last).words
    if report.team is not None:
        return f"{period}, {report.team}"
    if report.workers is None:
        return f"{period}, all workers"
    n = len(report.workers)
    return f"{period}, {n} worker{'' if n == 1 else 's'}"


def taken_in_words(record: Published, overlapping: list[Published]) -> str:
    """A report taken in from another vault, and the ones it overlaps, in words."""
    said = described(record)
    for e in overlapping:
        said += (
            f" (it overlaps the report for {described(e)}, written from {_whence(e)} on "
            f"{day_words(e.written_on)}: read side by side, the two can give away counts both hide)"
        )
    return said


def check_overlap(store: Store, scope: Scope) -> None:
    """Refuse an external report that overlaps one written from this vault before (the
    caller asks the person, then writes with ``overlap_ok``)."""
    wanted = _published(scope)
    with store.read() as s:
        earlier = published(s)
    for e in earlier:
        if wanted.overlaps(e):
            raise OverlapsEarlierReportError(
                described(e), _whence(e), day_words(e.written_on), described(wanted)
            )


def _whence(report: Published) -> str:
    """Where an earlier report was written: here, or in a vault whose file was taken in."""
    if report.taken_in:
        return "another supervisor's vault (its file was taken in here)"
    return "this vault"


def check_republished(store: Store, scope: Scope, report: Report) -> None:
    """Refuse the very same scope as an earlier external report with different figures:
    the two versions' difference is the records that arrived or changed in between."""
    wanted = _published(scope)
    with store.read() as s:
        key = digest_key(s)
        earlier = [e for e in published(s) if e.same_scope(wanted) and e.digests]
    for e in earlier:  # of this vault (no key yet: none was kept) or taken in from another
        if not any(digest_matches(report, d, key) for d in e.digests):
            raise ChangedSinceEarlierReportError(described(e), _whence(e), day_words(e.written_on))


def export_report(
    store: Store,
    scope: Scope,
    fmt: str,
    out: Path,
    *,
    audience: str = "external",
    progress: Progress | None = None,
    overlap_ok: bool = False,
    **build: object,
) -> Report:
    """Build the report, write it to ``out`` (never over an existing file), audit the write.

    An external one that overlaps an external report written before, or repeats its scope
    with different figures, is refused unless ``overlap_ok`` (the person was told and chose
    to); every external one is remembered, with a keyed digest of its figures.
    """
    if fmt not in FORMATS:
        raise ValidationError(f"The format is one of {', '.join(FORMATS)}.")
    if audience not in AUDIENCES:
        raise ValidationError("The audience is 'internal' (supervision) or 'external'.")
    out = Path(out)
    if out.exists():
        raise UserError(f"{out} already exists; choose another file name. Nothing was written.")
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist. Nothing was written.")
    if audience == EXTERNAL and not overlap_ok:
        check_overlap(store, scope)
    report = report_from_store(store, scope, audience=audience, **build)  # type: ignore[arg-type]
    if audience == EXTERNAL and not overlap_ok:
        check_republished(store, scope, report)
    if audience == EXTERNAL:  # another vault can take the file in and compare (publication)
        report = replace(report, publication=record_text(scope, report, dt.date.today()))
    part = out.with_name(out.name + ".part")
    try:
        _write(report, fmt, part, progress)
        os.chmod(part, 0o600)
        files.flush_to_disk(part)
        os.replace(part, out)
        files.fsync_folder(out.parent)
    except OSError as exc:
        raise files.not_written(exc, "The report", out) from None
    finally:
        with contextlib.suppress(OSError):  # a read-only stick refuses even this
            part.unlink()
    with store.write() as tx:
        # what, period and audience; never content
        tx.audit(AuditAction.EXPORT, f"report {fmt} {audience}", scope.period.label)
        if audience == EXTERNAL:
            digest = figures_digest(report, making_digest_key(tx.session))
            add_published(tx.session, _published(scope, digest))
    return report
