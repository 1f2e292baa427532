"""The supervisor's pseudonymised evaluation copy, written as CSV files for an evaluation team.

What is written is read through :func:`linksdesk.sync.bundle.evaluation_vault.kept`, so it is
k-anonymous when the files are made, not only when each bundle was: a group that withdrawals
or erasures brought below five since is left out with everything of its people.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linksdesk.core.errors import EnvironmentProblem, UserError
from linksdesk.core.vocab import AuditAction
from linksdesk.reports.cells import safe_text
from linksdesk.storage.store import Store
from linksdesk.sync.bundle import evaluation_vault, keys

ENVELOPE = ("record_id", "participant", "owner")


@dataclass(frozen=True)
class EvaluationWritten:
    folder: Path
    files: dict[str, int]  # file name → rows
    participants: int
    left_out: int


def write_evaluation(store: Store, out: Path) -> EvaluationWritten:
    """One CSV file per kind of record in a new folder ``out`` (never written over)."""
    with store.read() as s:
        if not keys.is_supervisor(s):
            raise UserError("The evaluation copy is in a supervisor's vault.")
        copy = evaluation_vault.kept(s)
        tables = {
            table: [(r.record_id, r.participant_key, r.owner_key, dict(r.fields)) for r in rows]
            for table, rows in copy.rows.items()
        }
    try:
        out.mkdir(mode=0o700)
    except FileExistsError:
        raise UserError(f"{out} already exists; choose a new folder name.") from None
    except OSError as exc:
        raise EnvironmentProblem(f"The folder could not be made ({exc.strerror}).") from None
    files = {}
    try:
        for table, rows in tables.items():
            files[f"{table}.csv"] = _write_table(out / f"{table}.csv", rows)
    except OSError as exc:
        raise EnvironmentProblem(
            f"The evaluation files could not be written ({exc.strerror}); {out} is incomplete: "
            "delete it and try again."
        ) from None
    with store.write() as tx:
        tx.audit(AuditAction.EXPORT, "evaluation_copy")
    return EvaluationWritten(out, files, copy.participants, copy.left_out)


def _write_table(path: Path, rows: list[tuple[str, str | None, str | None, dict[str, Any]]]) -> int:
    names = sorted({k for *_, fields in rows for k in fields} - {evaluation_vault.STAMP})
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([*ENVELOPE, *names])
        for record_id, participant, owner, fields in rows:
            writer.writerow(
                [record_id, participant or "", owner or "", *(_cell(fields.get(n)) for n in names)]
            )
        fh.flush()
        os.fsync(fh.fileno())
    return len(rows)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return safe_text(str(value))
