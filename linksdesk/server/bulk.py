"""Bulk inserts of a push batch handed to the driver as they are: one ``executemany`` a table.

SQLAlchemy's Core ``insert()`` with a list of dicts builds each row's parameters in Python
and runs every JSON column's value through its serializer, one call a column a row: a
third of a first sync's write time on the server. :class:`BulkInsert` gives the driver
plain rows instead, each JSON column as the text SQLAlchemy's JSON type would have stored
(:func:`linksdesk.server.sealing.stored_json`), so what is stored and read back is the same.
The statement goes through the session's connection (``exec_driver_sql``): the same
transaction, and the same wrapped errors a concurrent push is retried on.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from linksdesk.server.sealing import stored_json

_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


class BulkInsert:
    """``INSERT INTO table (every column) VALUES (…)`` for rows given as dicts of columns."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.names = tuple(c.name for c in table.columns)
        self._values = itemgetter(*self.names)
        self._json = tuple(i for i, c in enumerate(table.columns) if isinstance(c.type, JSON))
        self._sql: dict[str, str] = {}

    def sql(self, dialect: Dialect) -> str:
        sql = self._sql.get(dialect.name)
        if sql is None:
            quote = dialect.identifier_preparer.quote
            mark = _MARKS[dialect.paramstyle]  # a new driver's style needs a line here
            sql = self._sql[dialect.name] = "INSERT INTO {} ({}) VALUES ({})".format(
                quote(self.table.name),
                ", ".join(quote(n) for n in self.names),
                ", ".join([mark] * len(self.names)),
            )
        return sql

    def run(self, s: Session, rows: Sequence[dict[str, Any]]) -> None:
        """Insert ``rows`` (each holding every column) in the session's transaction."""
        if not rows:
            return
        values, json_at = self._values, self._json
        params = []
        for row in rows:
            out = list(values(row))
            for i in json_at:
                out[i] = stored_json(out[i])
            params.append(tuple(out))
        s.flush()  # what the ORM holds goes first, as the ORM's own execute() would do
        conn = s.connection()
        conn.exec_driver_sql(self.sql(conn.dialect), params)
