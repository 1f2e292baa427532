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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from linksdesk.core import files
from linksdesk.core.datafiles import load_toml
from linksdesk.core.errors import UserError
from linksdesk.core.onward import steps as onward_steps
from linksdesk.core.persons import MARK
from linksdesk.core.vocab import IN_ERROR_COLUMN, AuditAction, outcome_key
from linksdesk.reports.cells import safe_text
from linksdesk.storage.bundle_tables import EvaluationRecord
from linksdesk.storage.store import Store
from linksdesk.sync import state
from linksdesk.sync.bundle import evaluation_vault, keys
from linksdesk.sync.bundle.evaluation import K, transform_kind
from linksdesk.sync.policy import AGGREGATE_TABLES, eval_tag

ENVELOPE = ("record_id", "participant", "owner")
README = "README.txt"  # beside the files: who is in them, and what each column holds
# what each column holds (README.txt is made from it)
COLUMNS: dict[str, Any] = load_toml("linksdesk.reports", "evaluation_columns.toml")
# The workers' anonymous monthly totals (rule 2) stay out of the files: they count, per
# worker and month, people who did not agree to share with the team (nor, perhaps, to
# evaluation), and the board's report publishes the same counts with small ones hidden, so
# files holding them gave back, worker by worker, every count the board hides.
NOT_WRITTEN = frozenset(AGGREGATE_TABLES)
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
        out.append(f"What each file and column holds is in {README} in that folder.")
        if self.left_out:
            out.append(
                f"{self.left_out} participants were left out: since their bundles were made, "
                "withdrawals or erasures left fewer than 5 people of their worker with the "
                "same age band, deprivation decile, referral source and period, so they could "
                "be singled out."
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
            table: [_released(key, table, r, copy.person) for r in rows]
            for table, rows in copy.rows.items()
            if table not in NOT_WRITTEN
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
    written, headers = {}, {}
    try:
        for table, rows in tables.items():
            headers[f"{table}.csv"] = header = _header(rows)
            written[f"{table}.csv"] = _write_table(staging / f"{table}.csv", header, rows)
        _write_text(staging / README, readme(headers, copy.participants, copy.left_out))
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


def _released(
    key: bytes, table: str, row: EvaluationRecord, person: Callable[[str | None], str | None]
) -> Row:
    """A held row with every id in it pseudonymised again under the release key, and a
    contact's status as what came of it (:func:`outcome`). A row of a record merged into
    another of its person's is the kept record's (``person``); the mark itself is not
    written (the files hold the person once)."""
    fields = {
        name: released_id(key, person(value) if name == "participant_id" else value)
        if _names_a_row(table, name) and isinstance(value, str) else value
        for name, value in row.fields.items()
        if not (table == "participant" and name in MARK)
    }  # fmt: skip
    if table == "contact":
        fields = outcome(fields)
    elif table == "onward_referral":
        fields = step_days(fields)
    return (
        released_id(key, row.record_id) or "",
        released_id(key, person(row.participant_key)),
        released_id(key, row.owner_key),
        fields,
    )


def outcome(fields: dict[str, Any]) -> dict[str, Any]:
    """A contact's fields with its status as what came of it, by the one rule every count of
    contacts goes by (``vocab.outcome_key``): an attempt (a call not answered, a knock with
    no reply) is stored as attended, since the try was made, and reached nobody, so its
    status reads ``not_reached`` whatever it holds. Written as stored, an evaluation team
    counted every attempt as an attended contact."""
    kind, status = fields.get("kind"), fields.get("status")
    if not isinstance(kind, str) or not isinstance(status, str):
        return fields
    # a contact entered in error reaches the copy as removed; were its mark ever carried, it
    # would read as such
    in_error = fields.get(IN_ERROR_COLUMN) is not None
    return {**fields, "status": outcome_key(kind, status, in_error=in_error)}


def step_days(fields: dict[str, Any]) -> dict[str, Any]:
    """An onward referral's fields with each step's date in its own column, by the rule the
    reports read them by (``core.onward.steps``): a row recorded before the suggested date
    was kept, and still suggested, held that date as made_on; here it is suggested_on, and
    made_on is empty, as for every suggestion since."""
    status = fields.get("status")
    if not isinstance(status, str):
        return fields
    days = onward_steps(
        status, fields.get("suggested_on"), fields.get("made_on"), fields.get("outcome_on")
    )
    return {**fields, "suggested_on": days.suggested_on, "made_on": days.made_on}


def _names_a_row(table: str, column: str) -> bool:
    """Whether a column of the copy holds a programme pseudonym (another row's id)."""
    return eval_tag(table, column) == "transform" and transform_kind(column) == "pseudonym"


def _header(rows: list[Row]) -> list[str]:
    names = sorted({k for *_, fields in rows for k in fields} - evaluation_vault.KEPT_BESIDE)
    return [*ENVELOPE, *names]


def described(table: str, column: str) -> str | None:
    """What a column of ``table``.csv holds, as README.txt says it (None: not described)."""
    meaning = COLUMNS.get(table, {}).get(column) or COLUMNS["every"].get(column)
    return None if meaning is None else str(meaning).replace("{dates}", COLUMNS["dates"])


def readme(headers: dict[str, list[str]], participants: int, left_out: int) -> str:
    """README.txt: who is in the files, how to count from them as the reports do, and what
    each column of each file written holds."""
    lines = [
        "LinksDesk evaluation files",
        "",
        "One CSV file per kind of record (UTF-8, comma-separated, the first row names the",
        "columns). Pseudonymised: no names, contact details, addresses, postcodes, dates of",
        "birth or free text (case notes, goals in the person's words) are in them.",
        "",
        f"Who is in them: {participants} participants who agreed both to share with their",
        "links worker's team and to be counted in evaluation, and whose group (same worker,",
        "age band, deprivation decile, referral source and referral period) holds at least",
        f"{K} people"
        + (f"; {left_out} more were left out so that no one stands out." if left_out else "."),
        "A person registered twice, whose two records were found to be one person, is one",
        "participant: the rows of both records are under one id.",
        "Every id is pseudonymised for these files alone: it matches nothing in any other",
        "file or system, and the same person, worker or record has the same id in every",
        "file this vault writes.",
        "",
        "Dates are months (2026-04) or, where an evaluation bundle had to be coarser so that",
        "no one stands out, quarters (2026-Q2).",
        "",
        "Counting as the programme's reports do:",
        "- a contact's status is what came of it; an attempted contact is not_reached and is",
        "  never an attended contact or a did not attend;",
        "- people worked with are the participants with an attended contact in the period,",
        "  each once, under their owner in participant.csv;",
        "- goals are counted by their status at the period's end: one closed after it",
        "  (closed_on later) was in progress then;",
        "- onward referrals are counted by the month they were first recorded (suggested_on,",
        "  or made_on where that is empty), by their status at the period's end: attended,",
        "  declined or no_capacity if outcome_on is within it, else made if made_on is, else",
        "  suggested (one recorded after the period is not counted in it);",
        "- new referrals are the rows of referral.csv, by received_on and owner (a person",
        "  referred twice counts twice); participant.csv's referral_period is when the person",
        "  was first referred, fixed for grouping, and is not a count of referrals;",
        "- the reports count only people who agreed to share with the team, these files only",
        "  those who also agreed to evaluation, so their counts can differ; and the reports",
        "  count by the day (waits, for one), which these dates cannot.",
        "",
        "Not in these files: the anonymous monthly totals of people who did not agree to",
        "share with the team (the programme board's report has them, small numbers hidden).",
    ]
    for name, header in headers.items():
        lines += ["", name]
        for column in header:
            lines.append(f"  {column}: {described(Path(name).stem, column) or 'not described'}")
    return "\n".join(lines) + "\n"


def _write_text(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def _write_table(path: Path, header: list[str], rows: list[Row]) -> int:
    names = header[len(ENVELOPE) :]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
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
