"""An external report's publication record: its scope and a digest of its figures, written into
the file itself, so that another supervisor's vault can take it in and compare its own
external reports with it as with its own (docs/reports.md, "Reports from another vault").

The record holds no figure. Its digest is salted with random bytes given beside it, so anyone
can check it against figures, but the figures are in the file anyway; the workers are named
by a hash of their ids (``storage.published.worker_tag``), which a vault of the same
programme can compare with its own workers and a reader of the file learns nothing from.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from pathlib import Path
from typing import Any

from linksdesk.core.errors import UserError
from linksdesk.core.vocab import AuditAction
from linksdesk.reports.model import PUBLICATION_LABEL, SUPPRESSED_MARK, Column, Kind, Report
from linksdesk.reports.scope import Scope
from linksdesk.storage.published import Published, add_published, published, worker_tag
from linksdesk.storage.store import Store

PREFIX = "LDPUB1."
_FOUND = re.compile(rb"LDPUB1\.[A-Za-z0-9_-]{20,4000}")


def _figure(col: Column) -> bool:
    """A count, a share, or a statistic built on counts; not a number that grows with the
    day alone (how old a worker's newest data is)."""
    return col.kind in (Kind.COUNT, Kind.PERCENT) or (
        col.kind is Kind.NUMBER and bool(col.based_on)
    )


def figures_digest(report: Report, key: bytes) -> str:
    """A keyed digest of every figure the report publishes (hidden ones as hidden), by
    table, row and column: the same in every format, blind to when it was made."""
    cells = [
        [table.key, r, col.key, SUPPRESSED_MARK if (r, j) in table.suppressed else row[j]]
        for section in report.sections
        for table in section.tables
        for r, row in enumerate(table.rows)
        for j, col in enumerate(table.columns)
        if _figure(col)
    ]
    text = json.dumps([report.threshold, cells], separators=(",", ":"), default=str)
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def salted_digest(report: Report) -> str:
    """``salt.digest``: the figures' digest under fresh random bytes given with it."""
    salt = secrets.token_bytes(16)
    return f"{salt.hex()}.{figures_digest(report, salt)}"


def digest_matches(report: Report, digest: str, key: bytes | None) -> bool:
    """Whether ``report`` has the figures of a remembered ``digest``: one of this vault's
    (under its ``key``) or one taken in from another vault's file (salted)."""
    salt, _, found = digest.rpartition(".")
    if salt:
        return hmac.compare_digest(figures_digest(report, bytes.fromhex(salt)), found)
    return key is not None and hmac.compare_digest(figures_digest(report, key), digest)


def record_text(scope: Scope, report: Report, written_on: dt.date) -> str:
    """The record an external report's file carries (one line of letters and digits)."""
    doc = {
        "first": scope.period.first.isoformat(),
        "last": scope.period.last.isoformat(),
        "workers": None if scope.workers is None else sorted(map(worker_tag, scope.workers)),
        "team": scope.team,
        "written_on": written_on.isoformat(),
        "digest": salted_digest(report),
    }
    body = json.dumps(doc, separators=(",", ":")).encode()
    return PREFIX + base64.urlsafe_b64encode(body).decode().rstrip("=")


def take_in(store: Store, paths: list[Path]) -> list[tuple[Published, list[Published]]]:
    """External reports written from another vault, remembered as this vault's own are: its
    later external reports are compared with them. Every file is read before any is kept.
    With each, the reports already remembered that it overlaps: out already, side by side
    they can give away what both hide, and the person should know."""
    found = [read_record(path) for path in paths]
    taken = []
    with store.write() as tx:
        for record in found:
            taken.append((record, [e for e in published(tx.session) if record.overlaps(e)]))
            add_published(tx.session, record)
            period = f"{record.first:%Y-%m}..{record.last:%Y-%m}"
            tx.audit(AuditAction.IMPORT, "published report", period)
    return taken


# a report LinksDesk writes is a few megabytes; a file picked by mistake (a video, a disk
# image) was read whole into memory before anything was said
LARGEST_REPORT = 64 * 1024 * 1024


def read_record(path: Path) -> Published:
    """The scope and digest an external report's file (CSV, XLSX or PDF) carries."""
    try:
        with path.open("rb") as fh:
            data = fh.read(LARGEST_REPORT + 1)
    except OSError as exc:
        raise UserError(f"{path.name} could not be read ({exc.strerror}).") from None
    if len(data) > LARGEST_REPORT:
        raise UserError(
            f"{path.name} is far too big to be a report LinksDesk wrote, so it holds no "
            "publication record. Nothing was taken in; choose the report's own file."
        )
    found = _FOUND.search(data) or (_xlsx_record(path) if data[:2] == b"PK" else None)
    if found is None:
        raise UserError(
            f"{path.name} holds no publication record: only external reports written by "
            "LinksDesk carry one (internal ones, and those of a version before this, do not)."
        )
    return parse_record(found.group().decode())


def _xlsx_record(path: Path) -> re.Match[bytes] | None:
    from openpyxl import load_workbook

    from linksdesk.reports.xlsx import ABOUT_SHEET

    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # any file that is no workbook: said as "no record" by the caller
        return None
    try:
        if ABOUT_SHEET not in book.sheetnames:
            return None
        for label, value, *_ in book[ABOUT_SHEET].iter_rows(max_col=2, values_only=True):
            if label == PUBLICATION_LABEL and isinstance(value, str):
                return _FOUND.fullmatch(value.encode())
        return None
    finally:
        book.close()


def parse_record(text: str) -> Published:
    damaged = UserError(
        "The report's publication record is damaged, so it cannot be compared. Nothing was "
        "taken in; ask for the file as it was written."
    )
    try:
        body = text.removeprefix(PREFIX)
        doc: Any = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        workers = doc["workers"]
        digest = doc["digest"]
        salt, _, found = digest.partition(".")
        if not (len(salt) == 32 and len(found) == 64 and int(digest.replace(".", ""), 16) >= 0):
            raise damaged
        if workers is not None and not all(
            isinstance(w, str) and w == worker_tag(w) for w in workers
        ):
            raise damaged
        team = doc["team"]
        if team is not None and not (isinstance(team, str) and len(team) <= 200):
            raise damaged
        first, last = dt.date.fromisoformat(doc["first"]), dt.date.fromisoformat(doc["last"])
        if last < first:
            raise damaged
        return Published(
            first,
            last,
            None if workers is None else frozenset(workers),
            team,
            dt.date.fromisoformat(doc["written_on"]),
            frozenset({digest}),
        )
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, RecursionError):
        raise damaged from None
