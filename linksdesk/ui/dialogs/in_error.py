"""Mark an entry entered in error (a contact, a wellbeing score, a case note, a referral in, a
goal, an onward referral, a concern): why, and what will happen, before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from linksdesk.casework import concerns, contacts, goals, measures, notes, onward, referrals
from linksdesk.casework.dto import (
    Concern,
    Contact,
    Goal,
    MeasureRecord,
    Note,
    OnwardReferral,
    Referral,
)
from linksdesk.ui.dialog_kit import ask_yes_no
from linksdesk.ui.dialogs.form import Field, FormDialog

if TYPE_CHECKING:
    from linksdesk.ui.views.record_host import CaseworkCall

OTHER = "other"
P = ParamSpec("P")


def _tr(text: str) -> str:
    return QCoreApplication.translate("InErrorDialog", text)


def ask_not_in_error(parent: QWidget, what: str, why: str | None, more: str = "") -> bool:
    """Whether to take the entered-in-error mark off ``what`` (No is the default); ``more``
    is what else the worker should know first."""
    text = _tr(
        "{what} was marked entered in error ({why}). Take the mark off? It counts "
        "again as it was recorded; the mark stays in the audit trail."
    ).format(what=what, why=why or "")
    return ask_yes_no(parent, _tr("Not in error after all?"), f"{text}\n\n{more}" if more else text)


class Markable(Protocol):
    """A contact, score, case note, referral in, goal, onward referral or concern: what the
    button needs of it."""

    @property
    def id(self) -> str: ...

    @property
    def in_error(self) -> bool: ...


def mark_or_take_off(
    write: CaseworkCall,
    entry: Markable,
    *,
    ask_why: Callable[[], str | None],
    mark: Callable[..., Any],
    ask_take_off: Callable[[], bool],
    take_off: Callable[..., Any],
    on_done: Callable[[Any], None] | None = None,
) -> None:
    """The one rule of every "Entered in error…" button: an entry not marked is marked once
    the worker says why (``ask_why``; None stops); a marked one has its mark taken off once
    the worker says yes (``ask_take_off``: it counts again). ``mark(cb, id, reason)`` and
    ``take_off(cb, id)`` are the casework calls, run through the record's ``write``."""
    if entry.in_error:
        if ask_take_off():
            write(take_off, entry.id, on_done=on_done)
        return
    reason = ask_why()
    if reason is not None:
        write(mark, entry.id, reason, on_done=on_done)


@dataclass(frozen=True)
class Marking:
    """What the dialog says of one entry: ``what`` it is, what marking it does
    (``effects``), the ``reasons`` offered (key: words) and casework's check of a reason."""

    what: str
    effects: list[str]
    reasons: dict[str, str]
    problem: Callable[[str], str | None]


def _recorded_wrongly() -> dict[str, str]:
    """The reasons a recorded entry (a score, an onward referral, a concern) is offered
    first."""
    return {
        "wrong_person": _tr("Recorded on the wrong participant"),
        "twice": _tr("Recorded twice"),
    }


def contact_marking(contact: Contact, *, has_note: bool) -> Marking:
    """A contact (``has_note``: a case note was written about it)."""
    what = _tr("{kind} on {when}, {outcome}").format(
        kind=contact.kind.label,
        when=f"{contact.at:%a %d %b %Y at %H:%M}",
        outcome=contact.outcome.lower(),
    )
    effects = [
        _tr(
            "Nothing is deleted. The contact stays in this record, struck through, with "
            "your reason, and in the audit trail. From now on it counts nowhere: not as "
            "seen, missed or cancelled, not towards the appointment limit, in no monthly "
            "total, report, GP summary or the person's own record, and it leaves the "
            "Diary and Today. The change syncs to your other laptop, the server and "
            "your supervisor's next bundle."
        )
    ]
    if has_note:
        effects.append(
            _tr("The case note written about it stays as it is: revise it too if it is wrong.")
        )
    reasons = {
        "wrong_person": _tr("Booked or recorded on the wrong participant"),
        "twice": _tr("Recorded twice"),
    }
    return Marking(what, effects, reasons, contacts.in_error_problem)


def score_marking(score: MeasureRecord, shown: str) -> Marking:
    """A wellbeing ``score``, ``shown`` as the tab shows it."""
    what = _tr("{kind} taken on {day}: {score}").format(
        kind=score.kind.label, day=f"{score.taken_on:%a %d %b %Y}", score=shown
    )
    effects = [
        _tr(
            "Nothing is deleted. The score stays in this record, struck through, with "
            "your reason, and in the audit trail. From now on it counts nowhere: it is no "
            "baseline and no change against one, and it is left out of the chart, "
            "reports, evaluation, the GP summary and the person's own record. The change "
            "syncs to your other laptop, the server and your supervisor's next bundle."
        ),
        _tr(
            "Typed wrong? Record the right answers again with Record a score…, with the "
            "day they were given."
        ),
    ]
    reasons = {"typed_wrong": _tr("Answers or score typed wrong"), **_recorded_wrongly()}
    return Marking(what, effects, reasons, measures.in_error_problem)


def note_marking(note: Note) -> Marking:
    """A case note."""
    # the time too: two notes written the same day (one written twice) are told apart
    what = _tr("Case note written on {when}").format(when=f"{note.written_at:%a %d %b %Y at %H:%M}")
    effects = [
        _tr(
            "Nothing is deleted. The note and every earlier version of it stay in this "
            "record view, struck through, with your reason, and in the audit trail. From "
            "now on it reaches nothing else: not the person's own record, a GP summary, "
            "search, reports or evaluation files. The change syncs to your other laptop, "
            "the server and your supervisor's next bundle."
        ),
        _tr(
            "Written in the wrong participant's record? Choose Move to the right "
            "record… instead: the words go there as a new note, and this one is marked."
        ),
    ]
    # not the wrong record first: Enter at once would mark it and leave its words out of
    # the right record (Move to the right record… writes them there)
    reasons = {
        "twice": _tr("Written twice"),
        "wrong_person": _tr("Written in the wrong participant's record"),
    }
    return Marking(what, effects, reasons, notes.in_error_problem)


def referral_marking(referral: Referral, referred_on: dt.date | None = None) -> Marking:
    """A referral in (``referred_on``: the person's Referred on date, said to stay when it is
    this referral's day)."""
    what = _tr("Referral from {source} received on {day}").format(
        source=referral.source.label, day=f"{referral.received_on:%a %d %b %Y}"
    )
    effects = [
        _tr(
            "Nothing is deleted. The referral stays in this record, struck through, with "
            "your reason, and in the audit trail. From now on it counts nowhere: in no "
            "new referrals, waiting time, monthly total, report, evaluation file or the "
            "person's own record. The change syncs to your other laptop, the server and "
            "your supervisor's next bundle."
        ),
    ]
    if referred_on is not None and referred_on == referral.received_on:
        # their own detail, set from their first referral: the mark does not change it
        effects.append(
            _tr(
                "Their Referred on date, {day}, came from this referral. It is a detail "
                "of their own and stays, in the caseload too: if it is wrong, change it "
                "with Edit details… under Profile and consent."
            ).format(day=f"{referred_on:%a %d %b %Y}")
        )
    reasons = {
        "twice": _tr("Recorded twice"),
        "wrong_person": _tr("Recorded on the wrong participant"),
    }
    return Marking(what, effects, reasons, referrals.in_error_problem)


def goal_marking(goal: Goal) -> Marking:
    """A goal."""
    what = _tr("Goal set on {day}: {title}").format(
        day=f"{goal.set_on:%a %d %b %Y}", title=goal.title
    )
    effects = [
        _tr(
            "Nothing is deleted. The goal and its steps stay in this record, struck "
            "through, with your reason, and in the audit trail. From now on they count "
            "nowhere: in no goal report, evaluation file, review due, search, GP summary "
            "or the person's own record. The change syncs to your other laptop, the "
            "server and your supervisor's next bundle."
        ),
    ]
    reasons = {
        "mistake": _tr("Set by mistake"),
        "twice": _tr("Set twice"),
        "wrong_person": _tr("Set on the wrong participant"),
    }
    return Marking(what, effects, reasons, goals.in_error_problem)


def onward_marking(referral: OnwardReferral) -> Marking:
    """An onward referral or signposting."""
    started = referral.started_on
    what = _tr("{kind} to {resource}, recorded on {day}").format(
        kind=referral.kind.label,
        resource=referral.resource_name,
        day=f"{started:%a %d %b %Y}" if started else _tr("a day not known"),
    )
    effects = [
        _tr(
            "Nothing is deleted. The onward referral stays in this record, struck through, "
            "with your reason, and in the audit trail. From now on it counts nowhere: not "
            "in the GP summary or the person's own record, among the referrals waiting for "
            "an outcome, in the resource's demand, reports or evaluation files, and its "
            "status is not updated any more. The change syncs to your other laptop, the "
            "server and your supervisor's next bundle."
        ),
        _tr(
            "If you wrote why when you recorded it, that case note stays as it is: mark it "
            "entered in error too on the Timeline (or move it to the right record)."
        ),
    ]
    reasons = {**_recorded_wrongly(), "mistake": _tr("Never suggested or made")}
    return Marking(what, effects, reasons, onward.in_error_problem)


def concern_marking(concern: Concern) -> Marking:
    """A concern."""
    what = _tr("{concern}, identified on {day}").format(
        concern=concern.category, day=f"{concern.identified_on:%a %d %b %Y}"
    )
    effects = [
        _tr(
            "Nothing is deleted. The concern stays in this record, struck through, with "
            "your reason, and in the audit trail. From now on it counts nowhere: not in "
            "the GP summary or the person's own record, reports or evaluation files, and "
            "it is not resolved or reopened any more. The change syncs to your other "
            "laptop, the server and your supervisor's next bundle."
        ),
    ]
    return Marking(what, effects, _recorded_wrongly(), concerns.in_error_problem)


def asking(
    marking: Callable[P, Marking],
) -> Callable[Concatenate[QWidget | None, P], str | None]:
    """An ``InErrorDialog.ask…``: over ``parent``, the dialog about the entry ``marking``
    describes (given the rest of the arguments); the reason to keep with the mark, or None
    when the worker changed their mind."""

    def ask(parent: QWidget | None, /, *args: P.args, **kwargs: P.kwargs) -> str | None:
        dialog = InErrorDialog(marking(*args, **kwargs), parent)
        # the entry (every marking's first argument): words typed at a lock come back when
        # this entry is marked again, never in the dialog of another of its kind
        dialog.about = str(getattr(args[0], "id", "")) if args else ""
        return dialog.asked()

    return ask


class InErrorDialog(FormDialog):
    """Why an entry was entered in error (one of the ``marking``'s reasons, or the worker's
    own words), with what marking it does: kept struck through, counted nowhere, synced, and
    undone by "Not in error after all"."""

    def __init__(self, marking: Marking, parent: QWidget | None = None) -> None:
        tr = self.tr
        reasons = marking.reasons
        self.reasons = {**reasons, OTHER: tr("Something else (say what)")}
        self._reason_problem = marking.problem
        intro = [
            f"<b>{marking.what}</b>",
            *marking.effects,
            tr("If you mark the wrong one, choose it again and Not in error after all."),
        ]
        super().__init__(
            tr("Entered in error"),
            [
                Field(
                    "why",
                    tr("What went wrong"),
                    "choice",
                    next(iter(reasons)),
                    choices=[(label, key) for key, label in self.reasons.items()],
                ),
                Field("detail", tr("In your words"), "line"),
            ],
            parent,
            intro="<br><br>".join(intro),
            ok_text=tr("Mark entered in error"),
            validate=self._problem,
        )

    def reason(self, values: dict[str, Any]) -> str:
        """The reason kept with the mark: the choice's words, and the worker's own."""
        detail = (values.get("detail") or "").strip()
        if values.get("why") == OTHER:
            return detail
        label = self.reasons.get(str(values.get("why")), "")
        return f"{label}: {detail}" if detail else label

    def _problem(self, values: dict[str, Any]) -> str | None:
        if values.get("why") == OTHER and not (values.get("detail") or "").strip():
            return self.tr("Say in your words what went wrong.")
        return self._reason_problem(self.reason(values))

    def asked(self) -> str | None:
        """The reason to keep with the mark, or None when the worker changed their mind."""
        values = self.run()
        return None if values is None else self.reason(values)

    # what each "Entered in error…" button asks (the views call these)
    ask = staticmethod(asking(contact_marking))
    ask_score = staticmethod(asking(score_marking))
    ask_note = staticmethod(asking(note_marking))
    ask_referral = staticmethod(asking(referral_marking))
    ask_goal = staticmethod(asking(goal_marking))
    ask_onward = staticmethod(asking(onward_marking))
    ask_concern = staticmethod(asking(concern_marking))
