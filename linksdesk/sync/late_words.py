"""Words added to a case note that was marked entered in error, or moved, elsewhere meanwhile.

The worker's two laptops, offline: on one the worker adds to a case note and saves; on the
other the worker moves the note to the right participant's record, or marks it "written
twice". Both are kept when they meet (nothing a worker wrote is deleted): the added words
become the latest revision of the marked original, struck through with it. Nothing would
read them there, and the right record holds the words the move took, so the worker is told
where the words went and what to do.

Which laptop can tell: a revision that arrives (pulled) for a note this laptop already held
marked was unknown to whoever made the mark. Pulls come in the server's order, so a marker
who had seen the revision had it from the server before the mark was pushed, and every
laptop holding the mark then holds the revision already. The laptop that made the mark
always meets the revision later, whichever laptop synced first; another laptop may meet
both at once and cannot tell, so it says nothing. What is listed is ids, a date and the
participant's programme id: never a name or the words.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.core.ids import stable_id
from linksdesk.core.vocab import WRONG_RECORD
from linksdesk.storage.outbox import chunks
from linksdesk.storage.store import utc_now
from linksdesk.storage.tables import Note, Participant, SyncAttention

# every reason this module lists starts so (a repair of the note table leaves them listed)
LATE_WORDS = "Words were added on your other laptop to "
_MOVED = (
    LATE_WORDS + "the case note of {day} in {pid}'s record after it was moved to another "
    "participant's record. The moved note does not have them: they are kept with the "
    "struck-through note in {pid}'s record. Open that note and copy the words into the moved "
    "note if they belong there, then dismiss this."
)
_MARKED = (
    LATE_WORDS + "the case note of {day} in {pid}'s record after it was marked entered in "
    "error. They are kept with the struck-through note. Open it: copy the words where they "
    "belong, or choose Not in error after all, then dismiss this."
)


def marked_notes(session: Session, note_ids: Iterable[str]) -> set[str]:
    """Those of ``note_ids`` held here marked entered in error (read before a page applies)."""
    wanted = sorted(set(note_ids))
    marked: set[str] = set()
    for chunk in chunks(wanted, 500):
        marked.update(
            session.scalars(
                select(Note.id).where(Note.id.in_(chunk), Note.in_error_at.is_not(None))
            )
        )
    return marked


def list_late_words(
    session: Session, revised: Mapping[str, str], marked_before: Collection[str]
) -> int:
    """List on "needs attention" each note of ``revised`` (note id → participant id, the
    notes a pulled page brought revisions of) that was marked here before the page came and
    still is; returns how many were listed."""
    late = sorted(n for n in revised if n in marked_before)
    if not late:
        return 0
    listed = 0
    for chunk in chunks(late, 500):
        rows = session.execute(
            select(Note.id, Note.written_at, Note.in_error_reason, Participant.programme_id)
            .join(Participant, Participant.id == Note.participant_id)
            .where(Note.id.in_(chunk), Note.in_error_at.is_not(None))
        )
        for note_id, written_at, reason, programme_id in rows:
            template = _MOVED if reason == WRONG_RECORD else _MARKED
            session.merge(
                SyncAttention(
                    change_id=stable_id("late-words", note_id),
                    table_name="note",
                    row_id=note_id,
                    reason=template.format(day=f"{written_at:%d %b %Y}", pid=programme_id),
                    at=utc_now(),
                )
            )
            listed += 1
    return listed
