"""Writing a report to a file in one of the formats, recorded in the audit log (no content)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from linksdesk.core.errors import UserError, ValidationError
from linksdesk.core.vocab import AuditAction
from linksdesk.reports.build import AUDIENCES, report_from_store
from linksdesk.reports.csvfile import write_csv
from linksdesk.reports.model import Report
from linksdesk.reports.scope import Scope
from linksdesk.reports.xlsx import write_xlsx
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


def export_report(
    store: Store,
    scope: Scope,
    fmt: str,
    out: Path,
    *,
    audience: str = "external",
    progress: Progress | None = None,
    **build: object,
) -> Report:
    """Build the report, write it to ``out`` (never over an existing file), audit the write."""
    if fmt not in FORMATS:
        raise ValidationError(f"The format is one of {', '.join(FORMATS)}.")
    if audience not in AUDIENCES:
        raise ValidationError("The audience is 'internal' (supervision) or 'external'.")
    out = Path(out)
    if out.exists():
        raise UserError(f"{out} already exists; choose another file name. Nothing was written.")
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist. Nothing was written.")
    report = report_from_store(store, scope, audience=audience, **build)  # type: ignore[arg-type]
    part = out.with_name(out.name + ".part")
    try:
        _write(report, fmt, part, progress)
        os.chmod(part, 0o600)
        os.replace(part, out)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise UserError(f"The report could not be written to {out}: {exc.strerror}.") from None
    finally:
        part.unlink(missing_ok=True)
    with store.write() as tx:
        # what, period and audience; never content
        tx.audit(AuditAction.EXPORT, f"report {fmt} {audience}", scope.period.label)
    return report
