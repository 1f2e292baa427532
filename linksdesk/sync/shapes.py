"""Each synced table as the device stores it: column conversions, what a pulled change
may set, and new rows written to the driver in bulk."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
)
from sqlalchemy.types import JSON

from linksdesk.storage.store import SYNC_META
from linksdesk.storage.tables import (
    TABLE_BY_NAME,
    Base,
    Participant,
    SyncColumns,
)
from linksdesk.sync.merge import DELETED
from linksdesk.sync.policy import local_columns, shareable_columns
from linksdesk.sync.protocol import (
    Op,
    ServerChange,
    is_participant_routed,
)


# -- column values --------------------------------------------------------------------------
def _convert(column: Any) -> Callable[[Any], Any]:
    return _conversion(column) or (lambda v: v)


def _conversion(column: Any) -> Callable[[Any], Any] | None:
    """How a wire value becomes the column's Python value (None: it is one already)."""
    kind = column.type
    if isinstance(kind, DateTime):
        return lambda v: dt.datetime.fromisoformat(v) if isinstance(v, str) else v
    if isinstance(kind, Date):
        return lambda v: dt.date.fromisoformat(v[:10]) if isinstance(v, str) else v
    if isinstance(kind, Boolean):
        return lambda v: v if v is None else bool(v)
    if isinstance(kind, Integer):
        return lambda v: v if v is None or isinstance(v, bool) else int(v)
    if isinstance(kind, Float):
        return lambda v: v if v is None else float(v)
    return None


def placeholder(column: Any, row_id: str) -> Any:
    kind = column.type
    if column.key == "programme_id":
        return f"~{row_id}"  # unique, and never shown: it only stands in for a tombstone
    if isinstance(kind, DateTime):
        return dt.datetime(1970, 1, 1)
    if isinstance(kind, Date):
        return dt.date(1970, 1, 1)
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 0
    if isinstance(kind, Float):
        return 0.0
    if isinstance(kind, JSON):
        return []
    return ""


@dataclass(frozen=True)
class TableShape:
    cls: type[SyncColumns]
    name: str
    convert: dict[str, Callable[[Any], Any]]
    required: frozenset[str]  # needed to create a row (not null, no default)
    shareable: frozenset[str]
    local: frozenset[str]
    participant_routed: bool
    # the fields a pulled change may set here (columns this version has, neither envelope
    # nor local), and the tombstone
    accepts: frozenset[str] = frozenset()
    # conversions of the columns whose wire value is not already their Python value
    python: dict[str, Callable[[Any], Any]] = field(default_factory=dict)

    def incoming(self, ch: ServerChange) -> dict[str, Any]:
        """The field values ``ch`` sets that this table keeps here (a delete: the tombstone)."""
        if ch.op is Op.DELETE:
            return {DELETED: True}
        fields = ch.fields
        if fields.keys() <= self.accepts:
            return dict(fields)
        return {k: v for k, v in fields.items() if k in self.accepts}

    def to_python(self, name: str, value: Any) -> Any:
        conv = self.convert.get(name)
        return conv(value) if conv else value


def _shape(name: str, cls: type[SyncColumns]) -> TableShape:
    columns = cls.__table__.columns  # type: ignore[attr-defined]
    convert = {c.key: _convert(c) for c in columns}
    required = frozenset(
        c.key
        for c in columns
        if not c.nullable
        and c.default is None
        and c.server_default is None
        and c.key not in SYNC_META
        and not c.primary_key
    )
    local = local_columns(name)
    python = {c.key: f for c in columns if (f := _conversion(c)) is not None}
    return TableShape(
        cls=cls,
        name=name,
        convert=convert,
        required=required,
        shareable=shareable_columns(name),
        local=local,
        participant_routed=is_participant_routed(name),
        accepts=frozenset(convert.keys() - SYNC_META - local) | {DELETED},
        python=python,
    )


SHAPES: dict[str, TableShape] = {name: _shape(name, cls) for name, cls in TABLE_BY_NAME.items()}


def json_safe(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


# parents before children, for rows created by a page (foreign keys)
INSERT_ORDER: tuple[str, ...] = tuple(
    t.name for t in Base.metadata.sorted_tables if t.name in SHAPES
)
assert set(INSERT_ORDER) == set(SHAPES), "every synced table must have an insert order"
_DEFAULTS: dict[str, dict[str, Any]] = {}


def _defaults_of(table: str) -> dict[str, Any]:
    """Every column of ``table`` with the value an insert gives it when not set (Python-side
    defaults; None where the database or nothing fills it), so rows share one statement."""
    if table not in _DEFAULTS:
        out: dict[str, Any] = {}
        for column in SHAPES[table].cls.__table__.columns:  # type: ignore[attr-defined]
            default = column.default
            if column.server_default is not None and default is None:
                continue  # left to the database
            if default is None:
                out[column.key] = None
            elif default.is_scalar:
                out[column.key] = default.arg
            else:
                out[column.key] = _Call(default)
        _DEFAULTS[table] = out
    return {k: (v() if isinstance(v, _Call) else v) for k, v in _DEFAULTS[table].items()}


def fill_defaults(table: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with every column ``_defaults_of`` names (a default made by a call is made
    only for a row that does not set the column)."""
    if table not in _DEFAULTS:
        _defaults_of(table)  # worked out once, kept in _DEFAULTS
    defaults = _DEFAULTS[table]
    static = {k: v for k, v in defaults.items() if not isinstance(v, _Call)}
    calls = [(k, v) for k, v in defaults.items() if isinstance(v, _Call)]
    out = []
    for r in rows:
        row = {**static, **r}
        for k, call in calls:
            if k not in r:
                row[k] = call()
        out.append(row)
    return out


_BINDS: dict[tuple[str, str], dict[str, Callable[[Any], Any] | None]] = {}


def _binds_of(table: str, dialect: Any) -> dict[str, Callable[[Any], Any] | None]:
    """Each column's conversion of a Python value to what the database driver is given
    (SQLAlchemy's own, taken once), so rows can go to the driver directly."""
    key = (dialect.name, table)
    if key not in _BINDS:
        columns = SHAPES[table].cls.__table__.columns  # type: ignore[attr-defined]
        _BINDS[key] = {c.key: c.type._cached_bind_processor(dialect) for c in columns}
    return _BINDS[key]


def insert_rows(conn: Any, table: str, filled: list[dict[str, Any]]) -> None:
    """``filled`` rows of ``table`` to the driver: one executemany per run of rows with the
    same columns, in arrival order (a revision may name one before it as its base); each
    value goes through its column's own conversion, and only the columns that have one
    (dates, flags, JSON) are touched one by one."""
    binds = _binds_of(table, conn.dialect)
    start = 0
    for end in range(1, len(filled) + 1):
        if end < len(filled) and filled[end].keys() == filled[start].keys():
            continue
        names = list(filled[start].keys())
        take = operator.itemgetter(*names)
        convert = [(i, bind) for i, name in enumerate(names) if (bind := binds[name])]
        params: list[tuple[Any, ...]] = []
        for row in filled[start:end]:
            values = list(take(row))
            for i, bind in convert:
                values[i] = bind(values[i])
            params.append(tuple(values))
        quoted = ", ".join(f'"{name}"' for name in names)
        conn.exec_driver_sql(
            f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(names))})', params
        )
        start = end


@dataclass(frozen=True)
class _Call:
    default: Any

    def __call__(self) -> Any:
        return self.default.arg(None)


def pid_of(row: Any) -> str | None:
    if isinstance(row, Participant):
        return row.id
    return getattr(row, "participant_id", None)
