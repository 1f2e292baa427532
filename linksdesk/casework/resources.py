"""The community resource directory (ALISS-shaped): edit, verify, problems, CSV in and out."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypedDict, TypeVar, Unpack

from sqlalchemy import and_, case, func, select

from linksdesk.casework import common, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import (
    ExportReport,
    ImportProblem,
    ImportReport,
    Outcome,
    ProblemReport,
    Resource,
    ResourceDemand,
)
from linksdesk.casework.onward import started_on
from linksdesk.core import files, registry
from linksdesk.core.changes import Changes
from linksdesk.core.errors import NotFoundError, ValidationError
from linksdesk.core.ids import uuid7
from linksdesk.core.item_words import named
from linksdesk.core.vocab import AuditAction, ResourceCapacity
from linksdesk.storage.tables import OnwardReferral as OnwardRow
from linksdesk.storage.tables import Resource as ResourceRow

T = TypeVar("T")
Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class Watching(TypedDict, total=False):
    """How an import or export is followed (the keywords the window's runner hands in):
    ``progress(done, total)`` is told after each row; ``cancel()`` returning True stops it
    before the next (an import rolls everything back; an export leaves no file)."""

    progress: Progress | None
    cancel: Cancel | None


# every detail of a resource a worker edits, in the directory's column order (problem reports
# have use cases of their own): the CSV columns, and add_resource's keyword arguments
CSV_COLUMNS: tuple[str, ...] = tuple(
    c for c in registry.columns("resource") if c != "problem_reports"
)
EDITABLE_FIELDS = frozenset(CSV_COLUMNS)
# the details that are text (categories are a list, capacity a choice, last verified a day)
_TEXT = tuple(c for c in CSV_COLUMNS if c not in ("categories", "capacity", "last_verified"))


# -- conversions -------------------------------------------------------------------------------
def _problems(row: ResourceRow) -> tuple[ProblemReport, ...]:
    out = []
    for p in row.problem_reports or []:
        resolved = p.get("resolved_on")
        out.append(
            ProblemReport(
                id=str(p["id"]),
                reported_on=dt.date.fromisoformat(p["reported_on"]),
                text=str(p.get("text", "")),
                resolved_on=dt.date.fromisoformat(resolved) if resolved else None,
            )
        )
    return tuple(out)


def to_resource(row: ResourceRow) -> Resource:
    return to_dto(Resource, row, problem_reports=_problems(row))


def _categories(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, Iterable):
        raise ValidationError("Categories must be a list of words.")
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ValidationError("Categories must be a list of words.")
        name = " ".join(item.split())
        if len(name) > 80:
            raise ValidationError("Categories: each one can be at most 80 characters.")
        if name and name.casefold() not in {c.casefold() for c in out}:
            out.append(name)
    return out


def _capacity(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ResourceCapacity.UNKNOWN.value
    if isinstance(value, str):
        text = value.strip().casefold().replace(" ", "_")
        for member in ResourceCapacity:
            if text in (member.value, member.label.casefold().replace(" ", "_")):
                return member.value
    return records.enum_arg(ResourceCapacity, value, "Capacity").value


def _last_verified(value: Any) -> dt.date | None:
    day = records.date_arg(value, "Last verified")
    if day is not None and day > dt.date.today():
        raise ValidationError("Last verified cannot be in the future.")
    return day


_CHECKS: dict[str, common.Check] = {
    **common.detail_checks("resource", _TEXT, longest={"description": 4000}),
    "categories": _categories,
    "capacity": _capacity,
    "last_verified": _last_verified,
}


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return common.address_details(common.clean(values, _CHECKS, "resource"))


def resource_problem(values: Mapping[str, Any]) -> str | None:
    """Why a resource's details cannot be kept (an email that is no address, a day verified
    still to come), or None: the dialog asks before it closes, so nothing typed is lost."""
    return common.refusal(_clean, {k: v for k, v in values.items() if k in _CHECKS})


# -- directory -----------------------------------------------------------------------------------
def add_resource(
    cb: Casebook,
    *,
    organisation: str,
    service: str,
    description: str | None = None,
    categories: Sequence[str] = (),
    address: str | None = None,
    postcode: str | None = None,
    area: str | None = None,
    when: str | None = None,
    who_for: str | None = None,
    cost: str | None = None,
    accessibility: str | None = None,
    how_to_refer: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    website: str | None = None,
    capacity: ResourceCapacity | str = ResourceCapacity.UNKNOWN,
    last_verified: dt.date | None = None,
) -> Outcome[Resource]:
    given = locals()  # the keyword arguments, one per CSV column
    fields = _clean({name: given[name] for name in CSV_COLUMNS})
    with cb.store.write() as tx:
        row = tx.insert(ResourceRow(problem_reports=[], **fields))
        return Outcome(to_resource(row), tx.changes)


def edit_resource(cb: Casebook, resource_id: str, **fields: Any) -> Outcome[Resource]:
    cleaned = _clean(fields)
    return common.change(cb, ResourceRow, resource_id, "resource", cleaned, to_resource)


def remove_resource(cb: Casebook, resource_id: str) -> Outcome[None]:
    """Take a resource out of the directory (a tombstone: onward referrals to it keep its name)."""
    return common.remove(cb, ResourceRow, resource_id, "resource")


def mark_verified(
    cb: Casebook, resource_id: str, *, on: dt.date | None = None
) -> Outcome[Resource]:
    return edit_resource(cb, resource_id, last_verified=records.today(on))


def get_resource(cb: Casebook, resource_id: str) -> Resource:
    with cb.store.read() as s:
        return to_resource(records.live(s, ResourceRow, resource_id, "resource"))


def list_resources(
    cb: Casebook,
    *,
    category: str | None = None,
    area: str | None = None,
    include_removed: bool = False,
) -> list[Resource]:
    """The directory by organisation and service; filters match case-insensitively."""
    with cb.store.read() as s:
        query = select(ResourceRow)
        if not include_removed:
            query = query.where(ResourceRow.deleted.is_(False))
        if area:
            query = query.where(func.lower(ResourceRow.area) == area.strip().lower())
        rows = s.scalars(
            query.order_by(func.lower(ResourceRow.organisation), func.lower(ResourceRow.service))
        )
        out = [to_resource(r) for r in rows]
    if category:
        wanted = category.strip().casefold()
        out = [r for r in out if wanted in {c.casefold() for c in r.categories}]
    return out


def report_problem(
    cb: Casebook, resource_id: str, text: str, *, on: dt.date | None = None
) -> Outcome[Resource]:
    """Note that a resource's details are wrong (closed, moved, new times) until fixed."""
    body = records.text_arg(text, "Problem", required=True, max_len=2000)
    day = records.today(on)
    with cb.store.write() as tx:
        row = records.live(tx.session, ResourceRow, resource_id, "resource")
        reports = [*(row.problem_reports or [])]
        reports.append(
            {"id": uuid7(), "reported_on": day.isoformat(), "text": body, "resolved_on": None}
        )
        tx.update(row, problem_reports=reports)
        return Outcome(to_resource(row), tx.changes)


def resolve_problem(
    cb: Casebook, resource_id: str, report_id: str, *, on: dt.date | None = None
) -> Outcome[Resource]:
    day = records.today(on)
    with cb.store.write() as tx:
        row = records.live(tx.session, ResourceRow, resource_id, "resource")
        reports = [dict(p) for p in (row.problem_reports or [])]
        for p in reports:
            if p.get("id") == report_id:
                p["resolved_on"] = day.isoformat()
                break
        else:
            raise NotFoundError("That problem report could not be found.")
        tx.update(row, problem_reports=reports)
        return Outcome(to_resource(row), tx.changes)


# -- demand --------------------------------------------------------------------------------------
def resource_demand(cb: Casebook, *, today: dt.date | None = None) -> list[ResourceDemand]:
    """Onward referrals per resource made in the last 30 and 90 days (one query), busiest first."""
    day = records.today(today)
    since_30 = day - dt.timedelta(days=30)
    since_90 = day - dt.timedelta(days=90)
    # by the day each was first recorded (suggested, or made straight away: core.onward)
    started = started_on()
    last_30 = func.coalesce(func.sum(case((started > since_30, 1), else_=0)), 0)
    last_90 = func.count(OnwardRow.id)
    # the window sits in the join so resources with no recent referrals still show (zeros)
    joined = and_(
        OnwardRow.resource_id == ResourceRow.id,
        OnwardRow.deleted.is_(False),
        common.standing(OnwardRow),  # one entered in error was never this resource's
        started > since_90,
        started <= day,
    )
    query = (
        select(
            ResourceRow.id,
            ResourceRow.organisation,
            ResourceRow.service,
            last_30.label("last_30"),
            last_90.label("last_90"),
        )
        .outerjoin(OnwardRow, joined)
        .where(ResourceRow.deleted.is_(False))
        .group_by(ResourceRow.id)
        .order_by(
            last_90.desc(), func.lower(ResourceRow.organisation), func.lower(ResourceRow.service)
        )
    )
    with cb.store.read() as s:
        return [
            ResourceDemand(r.id, r.organisation, r.service, int(r.last_30), int(r.last_90))
            for r in s.execute(query)
        ]


# -- CSV -----------------------------------------------------------------------------------------
class _Cancelled(Exception):
    """Raised inside the import transaction to roll everything back."""


def _stop_if(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise _Cancelled


def _each(items: Sequence[T], watch: Watching) -> Iterator[T]:
    """``items`` one by one for an import or export: ``cancel()`` returning True stops it
    before the next (``_Cancelled``); ``progress(done, total)`` is told after each."""
    progress = watch.get("progress")
    for done, item in enumerate(items, start=1):
        _stop_if(watch.get("cancel"))
        yield item
        if progress is not None:
            progress(done, len(items))


def _read_text(source: Path | str | TextIO) -> str:
    if isinstance(source, str | Path):
        try:
            return Path(source).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("The file is not UTF-8 text. Save it as CSV UTF-8.") from None
    text = source.read()
    return text[1:] if text.startswith("\ufeff") else text


def _name_key(fields: Mapping[str, Any]) -> tuple[str, str]:
    """What an import knows a resource by: its organisation and service, any case."""
    return (fields["organisation"].casefold(), fields["service"].casefold())


def _area_key(area: str | None) -> str:
    return " ".join((area or "").split()).casefold()


def _parse(
    text: str, cancel: Cancel | None
) -> tuple[list[tuple[int, int, dict[str, Any]]], list[ImportProblem]]:
    """Cleaned rows with their row and line numbers, and every problem found (nothing
    written)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[ImportProblem] = []
    try:
        header = next(reader)
    except StopIteration:
        return [], [ImportProblem(1, 1, "The file is empty: it needs a header row.")]
    except csv.Error:
        return [], [ImportProblem(1, 1, "The header row is not valid CSV.")]
    names = [h.strip().lower() for h in header]
    missing = [c for c in CSV_COLUMNS if c not in names]
    unknown = [n for n in names if n not in CSV_COLUMNS]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if missing or unknown or duplicated:
        parts = []
        if missing:
            parts.append(f"missing {named('column', len(missing))}: " + ", ".join(missing))
        if unknown:
            parts.append(f"unknown {named('column', len(unknown))}: " + ", ".join(unknown))
        if duplicated:
            parts.append(f"repeated {named('column', len(duplicated))}: " + ", ".join(duplicated))
        return [], [ImportProblem(1, 1, "Header row: " + "; ".join(parts) + ".")]
    rows: list[tuple[int, int, dict[str, Any]]] = []
    # one organisation's service in two areas is two resources (the directory's own export
    # holds both): the area tells them apart
    seen: dict[tuple[str, str, str], int] = {}
    line = reader.line_num
    for row in itertools.count(2):  # as a spreadsheet numbers them, the header row 1
        _stop_if(cancel)
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(ImportProblem(row, start, "This row is not valid CSV."))
            line = reader.line_num
            continue
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue  # blank lines are skipped, not errors
        if len(values) != len(names):
            problems.append(
                ImportProblem(row, start, f"Expected {len(names)} values but found {len(values)}.")
            )
            continue
        raw: dict[str, Any] = dict(zip(names, values, strict=True))
        try:
            if raw["last_verified"].strip():
                try:
                    raw["last_verified"] = dt.date.fromisoformat(raw["last_verified"].strip())
                except ValueError:
                    raise ValidationError(
                        "Last verified must be a date written like 2024-03-31."
                    ) from None
            else:
                raw["last_verified"] = None
            cleaned = _clean(raw)
        except ValidationError as exc:
            problems.append(ImportProblem(row, start, str(exc)))
            continue
        key = (*_name_key(cleaned), _area_key(cleaned["area"]))
        if key in seen:
            problems.append(
                ImportProblem(row, start, f"Same organisation and service as row {seen[key]}.")
            )
            continue
        seen[key] = row
        rows.append((row, start, cleaned))
    return rows, problems


class _Ambiguous(Exception):
    """Rows the directory holds more than one resource for: nothing is imported."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__()
        self.problems = problems


def _matches(
    rows: list[tuple[int, int, dict[str, Any]]], held: Iterable[ResourceRow]
) -> list[ResourceRow | None]:
    """The live resource each row updates (None: a new one). A row updates the resource of
    its organisation and service; where the directory or the file holds that organisation's
    service more than once (in two areas), the one of the row's area, so no area's details
    are written over another's. Refused (nothing imported) where two resources the
    directory holds would both be meant."""
    by_name: dict[tuple[str, str], list[ResourceRow]] = {}
    for r in held:
        by_name.setdefault((r.organisation.casefold(), r.service.casefold()), []).append(r)
    in_file = Counter(_name_key(fields) for _row, _line, fields in rows)
    out: list[ResourceRow | None] = []
    problems: list[ImportProblem] = []
    for row, line, fields in rows:
        name = _name_key(fields)
        group = by_name.get(name, [])
        if len(group) > 1 or in_file[name] > 1:
            group = [r for r in group if _area_key(r.area) == _area_key(fields["area"])]
        if len(group) > 1:
            where = f" in {fields['area']}" if fields["area"] else ""
            problems.append(
                ImportProblem(
                    row,
                    line,
                    f"The directory holds {fields['organisation']} — {fields['service']}"
                    f"{where} {len(group)} times: remove the one not wanted on the "
                    "Resources screen, then import again.",
                )
            )
        out.append(group[0] if group else None)
    if problems:
        raise _Ambiguous(problems)
    return out


def import_resources_csv(
    cb: Casebook, source: Path | str | TextIO, **watch: Unpack[Watching]
) -> Outcome[ImportReport]:
    """Import a directory CSV all or nothing: any bad row means nothing is imported.

    A row whose organisation and service match an existing resource (any case) updates it;
    other rows are added. ``progress(done, total)`` reports rows written; ``cancel()``
    returning True stops and rolls everything back.
    """
    try:
        rows, problems = _parse(_read_text(source), watch.get("cancel"))
    except _Cancelled:
        return Outcome(ImportReport(0, 0, (), cancelled=True), Changes())
    if problems:
        return Outcome(ImportReport(0, 0, tuple(problems)), Changes())
    added = updated = 0
    try:
        with cb.store.write() as tx:
            held = tx.session.scalars(
                select(ResourceRow)
                .where(ResourceRow.deleted.is_(False))
                .order_by(ResourceRow.hlc, ResourceRow.id)
            )
            matched = _matches(rows, held)
            for (_row, _line, fields), row in _each(list(zip(rows, matched, strict=True)), watch):
                if row is None:
                    tx.insert(ResourceRow(problem_reports=[], **fields))
                    added += 1
                elif tx.update(row, **fields):
                    updated += 1
            tx.audit(AuditAction.IMPORT, "resource")
            changes = tx.changes
    except _Cancelled:
        return Outcome(ImportReport(0, 0, (), cancelled=True), Changes())
    except _Ambiguous as refused:
        return Outcome(ImportReport(0, 0, tuple(refused.problems)), Changes())
    return Outcome(ImportReport(added, updated), changes)


def _csv_row(r: Resource) -> list[str]:
    values: dict[str, str] = {
        name: (getattr(r, name) or "") for name in CSV_COLUMNS if name in _TEXT
    }
    values["categories"] = "; ".join(r.categories)
    values["capacity"] = r.capacity.value
    values["last_verified"] = r.last_verified.isoformat() if r.last_verified else ""
    return [values[name] for name in CSV_COLUMNS]


def export_resources_csv(
    cb: Casebook, dest: Path | str | TextIO, **watch: Unpack[Watching]
) -> Outcome[ExportReport]:
    """Write the directory as CSV (the same columns import reads).

    Written to a file, it appears only when complete (a cancelled export leaves no file).
    """
    resources = list_resources(cb)

    def write(out: TextIO) -> int:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for r in _each(resources, watch):
            writer.writerow(_csv_row(r))
        return len(resources)

    try:
        if isinstance(dest, str | Path):
            counted: list[int] = []

            def write_bytes(raw: BinaryIO) -> None:
                out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                try:
                    counted.append(write(out))
                    out.flush()
                finally:
                    out.detach()  # the file is write_whole's to flush and close

            # a full or locked memory stick is said in plain words, and leaves no file cut
            # short (the file dialog asked before an existing file is replaced)
            files.write_whole(Path(dest), write_bytes, what="The export", replace=True)
            written = counted[0]
        else:
            written = write(dest)
    except _Cancelled:
        return Outcome(ExportReport(0, cancelled=True), Changes())
    with cb.store.write() as tx:
        tx.audit(AuditAction.EXPORT, "resource")
    return Outcome(ExportReport(written), Changes())
