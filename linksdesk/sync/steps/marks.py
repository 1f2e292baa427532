"""An entered-in-error mark the server refused, on a record that then left this laptop's
shared caseload, told to the worker in plain words with what to do.

A worker marks a row entered in error on this laptop (a case note written in the wrong
participant's record, moved to the right one: ``casework.notes.move_note``) while, out of
sight, the case leaves the team's shared records: its team consent withdrawn on the
worker's other laptop, or the case handed to a colleague (who edited the row since: a mark
alone on a row only this worker's devices wrote is taken, ``server/sync/rules.py``). The
server refuses the mark, and the copy on the other laptop, or the colleague's, still shows
the row as written: another person's words, live in a record whose own-record document and
GP summary read them. No device can carry the mark there (the server holds no content of a
withdrawn case, and a handed case is the colleague's), so the worker is told, on this
laptop, which record and which row, and what to do there.

``note_refused`` notes such a refusal with the push answer; ``tell`` (at the end of the
sync, once the pull has said where the case went) lists it under "needs attention" in
those words, in place of the server's, and forgets the note.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.item_words import named
from linksdesk.core.vocab import IN_ERROR_COLUMN, IN_ERROR_FIELDS
from linksdesk.storage.tables import TABLE_BY_NAME, SyncAttention
from linksdesk.sync import state
from linksdesk.sync.protocol import Change, Op
from linksdesk.sync.steps.batching import attention

# row id → [table, participant id, the refused change's id]: marks refused, not told yet
REFUSED_MARKS = "in_error_marks_refused"
IN_ERROR_REASON = IN_ERROR_FIELDS[1]  # the mark's why, written with it

WITHDRAWN_WORDS = (
    "You marked {what} in {pid}'s record entered in error on this laptop{why}, but consent "
    "to share {pid} with the team had been withdrawn on your other laptop first, so the "
    "mark could not reach it: that laptop still shows the {kind} as written. Open {pid}'s "
    "record on your other laptop and mark the same {kind} entered in error there too."
)
HANDED_WORDS = (
    "You marked {what} in {pid}'s record entered in error on this laptop{why}, but {pid}'s "
    "case had been handed to a colleague before the mark reached the server, so it did not "
    "reach them: their copy still shows the {kind} as written. Ask the colleague who now "
    "holds {pid}'s case to mark the same {kind} entered in error."
)


def is_mark(change: Change) -> bool:
    """Whether ``change`` sets an entered-in-error mark and carries nothing else."""
    return change.op is Op.UPSERT and registry.sets_in_error_mark(change.table, change.fields)


def note_refused(s: Session, change: Change) -> None:
    """With the push answer: the server refused ``change``; noted when it is a mark."""
    if not is_mark(change) or change.participant_id is None:
        return
    noted = dict(state.get(s, REFUSED_MARKS, {}) or {})
    noted[change.row_id] = [change.table, change.participant_id, change.change_id]
    state.put(s, REFUSED_MARKS, noted)


def due(s: Session) -> bool:
    return bool(state.get(s, REFUSED_MARKS))


def what(table: str, row: Any) -> str:
    """The row in words, without its content: "the case note of 2 Mar 2026" (its first day
    that is set: an onward referral made without being suggested first has only a made day)."""
    when = next((v for c in registry.days(table) if (v := getattr(row, c)) is not None), None)
    day = f" of {when.day} {when:%b %Y}" if when is not None else ""
    return f"the {named(table)}{day}"


def tell(s: Session) -> tuple[str, ...]:
    """List each noted mark whose case left as a local-only case (withdrawn on the other
    laptop, or handed on) under "needs attention" in words saying what to do; forget the
    notes told, and those settled otherwise (the row gone, the mark taken off, the
    server's entry dismissed or sent again). Returns the words listed."""
    noted: dict[str, list[str]] = dict(state.get(s, REFUSED_MARKS, {}) or {})
    if not noted:
        return ()
    cases = {str(n.get("participant_id")): n for n in state.get(s, state.LOCAL_ONLY, []) or []}
    waiting: dict[str, list[str]] = {}
    told: list[str] = []
    for row_id, (table, pid, change_id) in sorted(noted.items()):
        row = s.get(TABLE_BY_NAME[table], row_id)
        if row is None or getattr(row, IN_ERROR_COLUMN) is None:
            continue
        case = cases.get(pid)
        if case is None:
            if s.get(SyncAttention, change_id) is not None:
                waiting[row_id] = [table, pid, change_id]  # the case may leave next time
            continue
        reason = getattr(row, IN_ERROR_REASON, None)
        words = (HANDED_WORDS if case.get("handed") else WITHDRAWN_WORDS).format(
            what=what(table, row),
            kind=named(table),
            pid=case.get("programme_id") or "the participant",
            why=f" (“{reason}”)" if reason else "",
        )
        attention(s, change_id, table, row_id, words)
        told.append(words)
    state.put(s, REFUSED_MARKS, waiting)
    return tuple(told)
