"""The shapes most use cases share: check the details given, add a row to a participant's
record, change or remove a live row, list a participant's rows.

Each use case says only what is its own (the table, the checks, what a change sets off);
opening the transaction, finding the participant or row, and returning the DTO with the
changes happen here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypedDict, TypeVar

from sqlalchemy import select

from linksdesk.casework import records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Outcome
from linksdesk.core import registry
from linksdesk.core.errors import MarkedInErrorError, ValidationError
from linksdesk.core.vocab import IN_ERROR_COLUMN, IN_ERROR_FIELDS
from linksdesk.storage.store import WriteTx

T = TypeVar("T")
Check = Callable[[Any], Any]


def clean(values: Mapping[str, Any], checks: Mapping[str, Check], what: str) -> dict[str, Any]:
    """Each value checked by its field's check; a field without one is refused, naming the
    kind of record (``what``) in the message."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        check = checks.get(name)
        if check is None:
            raise ValidationError(f"'{name}' is not a {what} detail that can be changed.")
        out[name] = check(value)
    return out


def refusal(check: Callable[..., object], *args: Any, **kwargs: Any) -> str | None:
    """The words of the ``ValidationError`` that ``check(*args, **kwargs)`` raises, or None
    when it raises none: what a dialog asks of casework's own checks before it closes, so
    nothing typed is lost to a refusal after (the ``*_problem`` functions)."""
    try:
        check(*args, **kwargs)
    except ValidationError as exc:
        return str(exc)
    return None


def problem(values: Mapping[str, Any], checks: Mapping[str, Check], what: str) -> str | None:
    """Why ``values`` cannot be kept, in the first refusing check's words (a reason pasted
    from a letter too long), or None. Values without a check here are left to the use case."""
    return refusal(clean, {k: v for k, v in values.items() if k in checks}, checks, what)


def text(field: str, *, required: bool = False, max_len: int | None = None) -> Check:
    """A check for a text field (``records.text_arg``)."""
    return lambda value: records.text_arg(value, field, required=required, max_len=max_len)


def date(field: str, *, required: bool = False) -> Check:
    """A check for a date field (``records.date_arg``)."""
    return lambda value: records.date_arg(value, field, required=required)


def choice(enum: Any, field: str) -> Check:
    """A check for a choice from ``enum``, kept as its stored value."""
    return lambda value: records.enum_arg(enum, value, field).value


def add_to_participant(
    cb: Casebook,
    participant_id: str,
    table: Any,
    fields: Mapping[str, Any],
    convert: Callable[[Any], T],
    *,
    then: Callable[[WriteTx, Any, Any], None] | None = None,
) -> Outcome[T]:
    """A new row of ``table`` in the participant's record; ``then(tx, person, row)`` does
    what the addition sets off, in the same write."""
    with cb.store.write() as tx:
        person = records.participant(tx.session, participant_id)
        row = tx.insert(table(participant_id=person.id, **fields))
        if then is not None:
            then(tx, person, row)
        return Outcome(convert(row), tx.changes)


def change(
    cb: Casebook,
    table: Any,
    row_id: str,
    what: str,
    values: Mapping[str, Any],
    convert: Callable[[Any], T],
    *,
    then: Callable[[WriteTx, Any], None] | None = None,
) -> Outcome[T]:
    """Set ``values`` on the live row ``row_id`` (a ``what``); ``then(tx, row)`` follows in
    the same write."""
    with cb.store.write() as tx:
        row = records.live(tx.session, table, row_id, what)
        tx.update(row, **values)
        if then is not None:
            then(tx, row)
        return Outcome(convert(row), tx.changes)


def remove(cb: Casebook, table: Any, row_id: str, what: str) -> Outcome[None]:
    """Take out the live row ``row_id`` (a tombstone that syncs)."""
    with cb.store.write() as tx:
        row = records.live(tx.session, table, row_id, what)
        tx.delete(row)
        return Outcome(None, tx.changes)


# -- entered in error ---------------------------------------------------------------------
MAX_REASON = 500


def standing(table: Any) -> Any:
    """SQL: the row is not marked entered in error (``vocab.IN_ERROR_COLUMN``)."""
    return getattr(table, IN_ERROR_COLUMN).is_(None)


def in_error(row: Any) -> bool:
    """Whether a row (or a query row with the column) is marked entered in error."""
    return getattr(row, IN_ERROR_COLUMN) is not None


def standing_row(session: Any, table: Any, row_id: str, what: str) -> Any:
    """The live row ``row_id`` (a ``what``), refused when it is marked entered in error:
    it cannot be changed any more (the mark is taken off first)."""
    row = records.live(session, table, row_id, what)
    if in_error(row):
        raise MarkedInErrorError(
            f"This {what} is marked entered in error, so it cannot be changed. If the mark "
            "was the mistake, choose Not in error after all first."
        )
    return row


def in_error_problem(reason: str | None, what: str) -> str | None:
    """Why ``reason`` cannot be kept as why a ``what`` was entered in error, or None."""
    if reason is None or not str(reason).strip():
        return f"Say why the {what} was entered in error."
    return refusal(records.text_arg, reason, "Why", required=True, max_len=MAX_REASON)


def mark_in_error(
    cb: Casebook, table: Any, row_id: str, what: str, reason: str, convert: Callable[[Any], T]
) -> Outcome[T]:
    """Mark the live row ``row_id`` (a ``what``) entered in error, with the worker's reason.

    Nothing is deleted: the row keeps what was recorded, gains when and why (one decision
    that syncs, ``WriteTx.update_together``) and from then on counts nowhere. Marking a row
    already marked is refused, so a double press keeps the first reason.
    """
    problem = in_error_problem(reason, what)
    if problem is not None:
        raise ValidationError(problem)
    why = records.text_arg(reason, "Why", required=True, max_len=MAX_REASON)
    with cb.store.write() as tx:
        row = records.live(tx.session, table, row_id, what)
        if in_error(row):
            raise ValidationError(f"This {what} is already marked entered in error.")
        tx.update_together(row, dict(zip(IN_ERROR_FIELDS, (records.now(), why), strict=True)))
        return Outcome(convert(row), tx.changes)


def restore(
    cb: Casebook,
    table: Any,
    row_id: str,
    what: str,
    convert: Callable[[Any], T],
    *,
    then: Callable[[WriteTx, Any], None] | None = None,
) -> Outcome[T]:
    """Take the entered-in-error mark off a ``what`` marked by mistake: it counts again as
    it was recorded; the audit trail keeps both. ``then(tx, row)`` follows in the write."""
    with cb.store.write() as tx:
        row = records.live(tx.session, table, row_id, what)
        if not in_error(row):
            raise ValidationError(f"This {what} is not marked entered in error.")
        tx.update_together(row, dict.fromkeys(IN_ERROR_FIELDS))
        if then is not None:
            then(tx, row)
        return Outcome(convert(row), tx.changes)


def list_of(
    cb: Casebook,
    participant_id: str,
    table: Any,
    convert: Callable[[Any], T],
    order: Iterable[Any],
    where: Iterable[Any] = (),
) -> list[T]:
    """The person's live rows of ``table`` (also ``where``), in ``order``, converted: those
    of every record of the participant's person (``records.person_ids``)."""
    with cb.store.read() as s:
        ids = records.person_ids(s, participant_id)
        rows = s.scalars(
            select(table)
            .where(table.participant_id.in_(ids), table.deleted.is_(False), *where)
            .order_by(*order)
        )
        return [convert(r) for r in rows]


# characters in a detail's text that registry.toml leaves unbounded, unless a use case says
LONG_TEXT = 2000


def detail_checks(
    table: str,
    names: Iterable[str],
    *,
    longest: Mapping[str, int] | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Check]:
    """A check for each text or date detail ``names`` of ``table``, as registry.toml declares
    the column (required or not; a text's length, else ``longest``'s or ``LONG_TEXT``), named
    in messages by ``labels`` or as the name reads ("who_for": "Who for")."""
    out: dict[str, Check] = {}
    for name in names:
        column = registry.BY_NAME[table].types[name]
        label = (labels or {}).get(name) or name.replace("_", " ").capitalize()
        if column.kind == "date":
            out[name] = date(label, required=not column.nullable)
        else:
            max_len = column.max_length or (longest or {}).get(name, LONG_TEXT)
            out[name] = text(label, required=not column.nullable, max_len=max_len)
    return out


class ContactDetails(TypedDict, total=False):
    """How a participant or a resource is reached: registry.toml declares them alike for
    both tables, so ``detail_checks`` checks them alike; ``address_details`` finishes them.
    ``create_participant`` takes them as keyword arguments (``add_resource`` takes the same)."""

    phone: str | None
    email: str | None
    address: str | None
    postcode: str | None


def address_details(values: dict[str, Any]) -> dict[str, Any]:
    """Checked details with a postcode as the post writes it (capitals, single spaces); an
    email must at least look like one."""
    if values.get("postcode"):
        values["postcode"] = " ".join(values["postcode"].upper().split())
    if values.get("email") and "@" not in values["email"]:
        raise ValidationError("Email does not look like an email address.")
    return values
