"""The administrator's own commands a restore would lose, noted beside the server key.

``add-team``, ``add-worker``, ``handover``, ``move-cases`` and ``settings set`` change the
database only: a backup made before one of them does not hold it, and no laptop sends it
back (a worker forgotten strands the cases on their laptop, a handover forgotten puts a
participant back on the worker who left; a setting forgotten reverts a team's limit). So
each one done is noted in ``config.commands_file``, outside the database as revocations
are, with the command as typed (a team or worker added: with ``--id`` and the id it made,
so that, run again, it makes the same id, which a laptop enrolled for the worker holds),
and ``new-epoch`` lists those the restored database lacks, oldest first. They are never
run again for the administrator: the restored state may differ (a case handed on since, a
worker gone), and the administrator decides.

A line holds the moment (the server's clock), the command's words after
``linksdesk-server`` (never a participant's name: these commands take none) and how to
tell the database holds it: the team or worker id it added, the handovers it made, or the
team's settings version it set.
"""

from __future__ import annotations

import json
import logging
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from linksdesk.core.datafiles import json_object
from linksdesk.server.config import PROGRAM, commands_file, note_line
from linksdesk.server.db import Database, now_ms
from linksdesk.server.models import Handover, ProgrammeSetting, ServerMeta, Team, Worker

log = logging.getLogger(__name__)

# the commands noted, as typed after ``linksdesk-server``
NOTED = ("add-team", "add-worker", "handover", "move-cases", "settings set")


@dataclass(frozen=True)
class Noted:
    """A command noted: when it was done, and its words after ``linksdesk-server``."""

    done_ms: int
    argv: tuple[str, ...]

    @property
    def command(self) -> str:
        return shlex.join((PROGRAM, *self.argv))


def note_team(db: Database, argv: Sequence[str], team_id: str) -> str | None:
    """Note ``argv`` (an ``add-team`` done, with ``--id`` and the id it made), which added
    ``team_id``; why the note could not be written (the team stays), else None."""
    return _note(db, argv, {"added_team": team_id})


def note_worker(db: Database, argv: Sequence[str], worker_id: str) -> str | None:
    """Note ``argv`` (an ``add-worker`` done, with ``--id`` and the id it made), which added
    ``worker_id``; why the note could not be written (the worker stays), else None."""
    return _note(db, argv, {"added_worker": worker_id})


def note_handovers(db: Database, argv: Sequence[str], handover_ids: Sequence[str]) -> str | None:
    """Note ``argv`` (a ``handover`` or ``move-cases`` done), which made ``handover_ids``;
    why the note could not be written (the cases stay moved), else None."""
    return _note(db, argv, {"handovers": list(handover_ids)})


def note_setting(db: Database, argv: Sequence[str], team_id: str, version: int) -> str | None:
    """Note ``argv`` (a ``settings set`` done), which gave ``team_id`` settings ``version``;
    why the note could not be written (the setting stands), else None."""
    return _note(db, argv, {"team_id": team_id, "settings_version": version})


def _note(db: Database, argv: Sequence[str], held: dict[str, Any]) -> str | None:
    note = {"ms": now_ms(), "argv": list(argv), "db": _made_ms(db), **held}
    line = json.dumps(note, ensure_ascii=False)
    return note_line(commands_file(db.url), line, "the command")


def _made_ms(db: Database) -> int:
    """When ``init`` made this database: which database a line is about, as one server
    key (and the note beside it) may serve several (a trial's beside the programme's, or
    every PostgreSQL database of the server's user). A restore and ``new-epoch`` keep it."""
    with db.reading() as s:
        meta = ServerMeta.the_row(s)
        return meta.created_ms if meta is not None else 0


def to_run_again(db: Database, since: int) -> list[Noted] | None:
    """The noted commands the database lacks, oldest first: done at or after ``since`` (its
    latest record) and not held in it (a handover it has, a settings version its team
    reached: done before the backup, with no sync after). A line that cannot be read is
    passed over; None when the note cannot be read at all (logged)."""
    path = commands_file(db.url)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("%s beside the server key could not be read: %s", path.name, exc.strerror)
        return None
    made = _made_ms(db)
    entries = [
        e
        for e in map(_entry, lines)
        if e is not None and e["ms"] >= since and e.get("db", made) == made  # (older: no db)
    ]
    if not entries:
        return []
    with db.reading() as s:
        held = _held(s, Handover.id, [h for e in entries for h in e.get("handovers", ())])
        teams = _held(s, Team.id, [e["added_team"] for e in entries if "added_team" in e])
        workers = _held(s, Worker.id, [e["added_worker"] for e in entries if "added_worker" in e])
        top = select(ProgrammeSetting.team_id, func.max(ProgrammeSetting.version))
        versions = {  # (a Result has keys(): not a dict's argument)
            team_id: version
            for team_id, version in s.execute(top.group_by(ProgrammeSetting.team_id))
        }
    lacking = [
        Noted(e["ms"], tuple(e["argv"]))
        for e in entries
        if not (
            ("handovers" in e and set(e["handovers"]) <= held)
            or ("team_id" in e and (versions.get(e["team_id"]) or 0) >= e["settings_version"])
            or e.get("added_team") in teams
            or e.get("added_worker") in workers
        )
    ]
    return sorted(lacking, key=lambda n: n.done_ms)  # stable: the note's order within a ms


def _held(s: Session, column: InstrumentedAttribute[str], wanted: list[str]) -> set[str]:
    """Those of ``wanted`` the database holds in ``column`` (asked 500 at a time)."""
    held: set[str] = set()
    for start in range(0, len(wanted), 500):
        held.update(s.scalars(select(column).where(column.in_(wanted[start : start + 500]))))
    return held


def _entry(line: str) -> dict[str, Any] | None:
    """A line of the note as written by ``_note``, of one kind; None for anything else."""
    e = json_object(line, ms=int, argv=list)
    if e is None or not all(isinstance(a, str) for a in e["argv"]):
        return None
    if not isinstance(e.get("db", 0), int):
        return None
    kinds = [kind for kind in _KINDS if kind in e]
    return e if len(kinds) == 1 and _KINDS[kinds[0]](e) else None


# what a line holds, by the key only that kind has: is it as ``_note`` writes it?
_KINDS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "added_team": lambda e: isinstance(e["added_team"], str) and e["argv"][:1] == ["add-team"],
    "added_worker": lambda e: (
        isinstance(e["added_worker"], str) and e["argv"][:1] == ["add-worker"]
    ),
    "handovers": lambda e: (
        isinstance(e["handovers"], list) and all(isinstance(h, str) for h in e["handovers"])
    ),
    "settings_version": lambda e: (
        isinstance(e["settings_version"], int) and isinstance(e.get("team_id"), str)
    ),
}
