"""The supervisor's pseudonymised evaluation copy, written as CSV files for an evaluation team.

What is written is read through :func:`linksdesk.sync.bundle.evaluation_vault.kept`, so it is
k-anonymous when the files are made, not only when each bundle was: a group that withdrawals
or erasures brought below five since is left out with everything of its people.

Every id in the files (record, participant, worker, and each column that names another row)
is the programme's pseudonym pseudonymised again under a key of this vault (the release
key, local setting ``evaluation_files_key``). The programme's pseudonyms travel inside the
programme with the workers' ids beside them: a laptop's evaluation bundle names its worker
and carries their pseudonym and their participants', and the server's says which pseudonym
is each worker's. Files that carried those same pseudonyms would let whoever also saw one
bundle tell which worker is which, and whose caseload each participant was in. Under the
release key nothing in the files matches anything a bundle or the vault's owners map holds;
the same worker or participant still has one id in every file this vault writes.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from linksdesk.core import files
from linksdesk.core.errors import UserError
from linksdesk.core.vocab import AuditAction
from linksdesk.reports.cells import safe_text
from linksdesk.storage.bundle_tables import EvaluationRecord
from linksdesk.storage.store import Store
from linksdesk.sync import state
from linksdesk.sync.bundle import evaluation_vault, keys
from linksdesk.sync.bundle.evaluation import transform_kind
from linksdesk.sync.policy import eval_tag

ENVELOPE = ("record_id", "participant", "owner")
EVALUATION_COPY = "The evaluation copy"  # what was not saved, in messages
RELEASE_KEY = "evaluation_files_key"  # (local setting) hex; made when the first files are


# a row as written: record id, participant, worker (owner), and the other fields
Row = tuple[str, str | None, str | None, dict[str, Any]]


@dataclass(frozen=True)
class EvaluationWritten:
    folder: Path
    files: dict[str, int]  # file name → rows
    participants: int
    left_out: int

    def said(self) -> list[str]:
        """What was written, and who was left out and why, for the person who wrote it."""
        rows = sum(self.files.values())
        out = [
            f"Wrote {rows} pseudonymised records of {self.participants} participants to "
            f"{self.folder}."
        ]
        if self.left_out:
            out.append(
                f"{self.left_out} participants were left out: since their bundles were made, "
                "withdrawals or erasures left fewer than 5 people with the same age band, "
                "deprivation decile, referral source and period, so they could be singled out."
            )
        return out


def write_evaluation(store: Store, out: Path) -> EvaluationWritten:
    """One CSV file per kind of record in a new folder ``out`` (never written over)."""
    with store.read() as s:
        if not keys.is_supervisor(s):
            raise UserError("The evaluation copy is in a supervisor's vault.")
    with store.write() as tx:
        key = release_key(tx.session)
        copy = evaluation_vault.kept(tx.session)
        tables = {
            table: [_released(key, table, r) for r in rows] for table, rows in copy.rows.items()
        }
    # written in a hidden folder beside, then renamed: a full or pulled-out memory stick
    # leaves no folder of files cut short that looks like the evaluation copy
    files.folder_exists(out, EVALUATION_COPY)
    if os.path.lexists(out):
        raise UserError(f"{out} already exists; choose a new folder name.")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent))
    except OSError as exc:
        raise files.not_written(exc, EVALUATION_COPY, out) from None
    written = {}
    try:
        for table, rows in tables.items():
            written[f"{table}.csv"] = _write_table(staging / f"{table}.csv", rows)
        os.rename(staging, out)
        files.fsync_folder(out.parent)
    except OSError as exc:
        raise files.not_written(exc, EVALUATION_COPY, out) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already once renamed
    with store.write() as tx:
        tx.audit(AuditAction.EXPORT, "evaluation_copy")
    return EvaluationWritten(out, written, copy.participants, copy.left_out)


def release_key(s: Session) -> bytes:
    """This vault's key for the ids in evaluation files, made (random) on first use."""
    held = state.local_setting(s, RELEASE_KEY)
    if isinstance(held, str):
        return bytes.fromhex(held)
    made = secrets.token_bytes(32)
    state.put_local_setting(s, RELEASE_KEY, made.hex())
    return made


def released_id(key: bytes, pseudonym: str | None) -> str | None:
    """A programme pseudonym as the evaluation files give it."""
    if not pseudonym:
        return None
    return hmac.new(key, pseudonym.encode(), hashlib.sha256).hexdigest()


def _released(key: bytes, table: str, row: EvaluationRecord) -> Row:
    """A held row with every id in it pseudonymised again under the release key."""
    fields = {
        name: released_id(key, value) if _names_a_row(table, name) and isinstance(value, str)
        else value
        for name, value in row.fields.items()
    }  # fmt: skip
    return (
        released_id(key, row.record_id) or "",
        released_id(key, row.participant_key),
        released_id(key, row.owner_key),
        fields,
    )


def _names_a_row(table: str, column: str) -> bool:
    """Whether a column of the copy holds a programme pseudonym (another row's id)."""
    return eval_tag(table, column) == "transform" and transform_kind(column) == "pseudonym"


def _write_table(path: Path, rows: list[Row]) -> int:
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
