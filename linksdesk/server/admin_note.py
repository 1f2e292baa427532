"""The administrator's own commands a restore would lose, noted beside the server key.

``handover``, ``move-cases`` and ``settings set`` change the database only: a backup made
before one of them does not hold it, and no laptop sends it back (a handover forgotten puts
a participant back on the worker who left; a setting forgotten reverts a team's limit). So
each one done is noted in ``config.commands_file``, outside the database as revocations
are, with the command as typed, and ``new-epoch`` lists those the restored database lacks,
oldest first. They are never run again for the administrator: the restored state may
differ (a case handed on since, a worker gone), and the administrator decides.

A line holds the moment (the server's clock), the command's words after
``linksdesk-server`` (never a participant's name: these commands take none) and how to
tell the database holds it: the handovers it made, or the team's settings version it set.
"""

from __future__ import annotations

import json
import logging
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from linksdesk.server.config import PROGRAM, commands_file, note_line
from linksdesk.server.db import Database, now_ms
from linksdesk.server.models import Handover, ProgrammeSetting

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Noted:
    """A command noted: when it was done, and its words after ``linksdesk-server``."""

    done_ms: int
    argv: tuple[str, ...]

    @property
    def command(self) -> str:
        return shlex.join((PROGRAM, *self.argv))


def note_handovers(db: Database, argv: Sequence[str], handover_ids: Sequence[str]) -> str | None:
    """Note ``argv`` (a ``handover`` or ``move-cases`` done), which made ``handover_ids``;
    why the note could not be written (the cases stay moved), else None."""
    return _note(db, argv, {"handovers": list(handover_ids)})


def note_setting(db: Database, argv: Sequence[str], team_id: str, version: int) -> str | None:
    """Note ``argv`` (a ``settings set`` done), which gave ``team_id`` settings ``version``;
    why the note could not be written (the setting stands), else None."""
    return _note(db, argv, {"team_id": team_id, "settings_version": version})


def _note(db: Database, argv: Sequence[str], held: dict[str, Any]) -> str | None:
    line = json.dumps({"ms": now_ms(), "argv": list(argv), **held}, ensure_ascii=False)
    return note_line(commands_file(db.url), line, "the command")


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
    entries = [e for e in map(_entry, lines) if e is not None and e["ms"] >= since]
    if not entries:
        return []
    wanted = [h for e in entries for h in e.get("handovers", ())]
    with db.reading() as s:
        held: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            held.update(s.scalars(select(Handover.id).where(Handover.id.in_(chunk))))
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
        )
    ]
    return sorted(lacking, key=lambda n: n.done_ms)  # stable: the note's order within a ms


def _entry(line: str) -> dict[str, Any] | None:
    """A line of the note as written by ``_note``; None for anything else."""
    try:
        e = json.loads(line)
    except ValueError:
        return None
    ok = (
        isinstance(e, dict)
        and isinstance(e.get("ms"), int)
        and isinstance(e.get("argv"), list)
        and all(isinstance(a, str) for a in e["argv"])
        and (
            (
                isinstance(e.get("handovers"), list)
                and all(isinstance(h, str) for h in e["handovers"])
            )
            or (isinstance(e.get("team_id"), str) and isinstance(e.get("settings_version"), int))
        )
    )
    return e if ok else None
