"""The summary for the GP record: only with GP consent, never with private items or unticked notes.

The latest "share with the GP practice" consent decides (``consent.current_consent``). The
summary is built from the participant's record gathered with private items left out, so no
private row can reach it; free-text case notes go in only when the worker ticked them.
Producing the text to paste or the PDF letter writes one audit event (ids only).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, TypedDict, Unpack

from sqlalchemy import select

from linksdesk.casework import common, consent, own_record, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Consent
from linksdesk.core.errors import NotFoundError, UserError, ValidationError
from linksdesk.core.vocab import AuditAction, ConsentScope
from linksdesk.reports import gp_codes
from linksdesk.reports import gp_summary as report
from linksdesk.reports.participant_record import day
from linksdesk.storage.tables import Note as NoteRow
from linksdesk.storage.tables import NoteRevision as RevisionRow

Format = Literal["text", "pdf"]
FORMATS: Final = ("text", "pdf")

HOW_TO_RECORD: Final = (
    "If they agree, record it in their record under Profile and consent › Record consent…, "
    f'choosing "{ConsentScope.GP.label}", then make the summary.'
)


class NoGpConsentError(UserError):
    """The participant has not agreed (or no longer agrees) to share with their GP practice."""


def refusal(latest: Consent | None, programme_id: str = "") -> str | None:
    """Why no GP summary may be made, in plain words; None when the latest GP consent is yes."""
    if latest is not None and latest.given:
        return None
    who = f"{programme_id} has" if programme_id else "This person has"
    if latest is None:
        why = (
            f"No GP summary: {who} not been asked about sharing with their GP practice, so "
            "nothing may go to the GP record. Ask them first."
        )
    else:
        whose = f"{programme_id}'s" if programme_id else "Their"
        why = (
            f"No GP summary: {whose} latest consent to share with the GP practice "
            f"(version {latest.version}, recorded {day(latest.recorded_on)}) says no."
        )
    return f"{why} {HOW_TO_RECORD}"


def check_gp_consent(cb: Casebook, participant_id: str) -> Consent:
    """The deciding GP consent when it says yes; NoGpConsentError (saying why) otherwise."""
    latest = consent.current_consent(cb, participant_id)[ConsentScope.GP]
    if latest is not None and latest.given:
        return latest
    with cb.store.read() as s:
        programme_id = records.participant(s, participant_id).programme_id
    raise NoGpConsentError(refusal(latest, programme_id) or "")


def _check_notes(cb: Casebook, participant_id: str, note_ids: Collection[str]) -> frozenset[str]:
    wanted = frozenset(note_ids)
    if not wanted:
        return wanted
    with cb.store.read() as s:
        rows = {
            n.id: n
            for n in s.scalars(
                select(NoteRow).where(
                    NoteRow.id.in_(wanted),
                    NoteRow.participant_id.in_(records.person_ids(s, participant_id)),
                    NoteRow.deleted.is_(False),
                )
            )
        }
        private_revisions = set(
            s.scalars(
                select(RevisionRow.note_id).where(
                    RevisionRow.note_id.in_(wanted), RevisionRow.sharing == "private"
                )
            )
        )
    if len(rows) != len(wanted):
        raise NotFoundError("A case note ticked for the summary is not in this person's record.")
    if any(own_record.is_private(n) or n.id in private_revisions for n in rows.values()):
        raise ValidationError("Private case notes never go in a GP summary. Untick them.")
    if any(common.in_error(n) for n in rows.values()):
        raise ValidationError(
            "A case note marked entered in error never goes in a GP summary. Untick it."
        )
    return wanted


class SummaryChoices(TypedDict, total=False):
    """What the worker chose for a summary (each may be left out): the case notes ticked to go
    in it, whether the person declined to share anything more, and a practice's own table of
    concern codes. The summary shown and the one exported take the same choices."""

    note_ids: Collection[str]
    declined: bool
    codes_table: Path | None


def gp_summary(
    cb: Casebook, participant_id: str, **choices: Unpack[SummaryChoices]
) -> report.GpSummary:
    """The summary's content, for showing in the app (not audited: nothing leaves yet)."""
    unknown = sorted(choices.keys() - SummaryChoices.__annotations__.keys())
    if unknown:
        raise ValidationError(f"'{unknown[0]}' is not a choice for a GP summary.")
    declined = choices.get("declined", False)
    if not isinstance(declined, bool):
        raise ValidationError("Whether the person declined must be yes or no.")
    check_gp_consent(cb, participant_id)
    wanted = _check_notes(cb, participant_id, choices.get("note_ids", ()))
    codes = gp_codes.concern_codes(choices.get("codes_table"))
    # gathered without private items: nothing private can reach the summary
    record = own_record.gather_record(cb, participant_id, include_private=False)
    return report.build_summary(record, codes, note_ids=wanted, declined=declined)


@dataclass(frozen=True)
class GpExport:
    """A produced summary: text (str) or a PDF letter (bytes), and a file name without names."""

    summary: report.GpSummary
    fmt: Format
    content: str | bytes

    @property
    def file_name(self) -> str:
        ext = "pdf" if self.fmt == "pdf" else "txt"
        return f"gp-summary-{self.summary.programme_id}-{self.summary.produced_on:%Y-%m-%d}.{ext}"


def export_gp_summary(
    cb: Casebook,
    participant_id: str,
    fmt: Format | str = "text",
    **choices: Unpack[SummaryChoices],
) -> GpExport:
    """The summary as text to paste or a PDF letter; written to the audit log (ids only)."""
    if fmt not in FORMATS:
        raise ValidationError("The GP summary comes as text or pdf.")
    summary = gp_summary(cb, participant_id, **choices)
    content: str | bytes = (
        report.summary_pdf(summary) if fmt == "pdf" else report.summary_text(summary)
    )
    entity = f"gp_summary_{fmt}" + ("+notes" if summary.notes else "")
    with cb.store.write() as tx:
        tx.audit(AuditAction.EXPORT, entity, participant_id)
    return GpExport(summary=summary, fmt="pdf" if fmt == "pdf" else "text", content=content)
