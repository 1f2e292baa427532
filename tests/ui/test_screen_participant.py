"""Participant record: notes with revisions, contacts, goals, wellbeing, erasure, drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel
from screens_kit import person, resource, schedule, settle, texts
from shell_kit import PASSPHRASE, call_casework

from linksdesk.casework import lists, measures, notes
from linksdesk.core.measures import SWEMWBS_COPYRIGHT, WEMWBS_COPYRIGHT, definition
from linksdesk.core.vocab import (
    ContactKind,
    ContactStatus,
    MeasureContext,
    MeasureKind,
    OnwardKind,
    OnwardStatus,
)
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.dialogs.erasure import ErasureDialog
from linksdesk.ui.dialogs.goal import GoalDialog
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.dialogs.onward import OnwardDialog
from linksdesk.ui.views.participant import ParticipantView

pytestmark = pytest.mark.gui


def open_view(qtbot: Any, session: Any, pid: str) -> ParticipantView:
    view = ParticipantView(session)
    qtbot.addWidget(view)
    session.sig_changed.connect(view.on_changes)
    session.sig_locked.connect(view.clear)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.open(pid)
    return view


def test_record_shows_header_and_records_a_note_revision_and_a_contact(
    qtbot: Any, unlocked: Any, monkeypatch: Any, qtmodeltester: Any
) -> None:
    ailsa = person(qtbot, unlocked)
    view = open_view(qtbot, unlocked, ailsa.id)
    assert view.name_label.text() == "Ailsa Testington"
    assert view.pid_label.text() == ailsa.programme_id
    assert view.status_chip.text() == "Referred"
    assert all(c.text().endswith("not asked") for c in view.consent_chips.values())
    assert view.status_chip.accessibleName() == "Referred"

    # a note written in place
    editor = view.timeline.editor
    editor.text_edit.setPlainText("Talked about the lunch club.")
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        editor.save_button.click()
    assert editor.text_edit.toPlainText() == ""
    items = view.timeline.model.rows()
    assert [i.kind for i in items] == ["note"]

    # revise it: the earlier text stays in the history, shown next to the note
    view.timeline.table.setCurrentIndex(view.timeline.proxy.index(0, 0))
    view.timeline.revise_selected()
    assert editor.editing is not None
    editor.text_edit.setPlainText("Talked about the lunch club on Tuesdays.")
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        editor.save_button.click()
    assert view.timeline.model.row_at(0).revisions == 2
    view.timeline.table.setCurrentIndex(view.timeline.proxy.index(0, 0))
    settle(qtbot, unlocked)
    qtbot.waitUntil(lambda: "Revisions" in view.timeline.detail.toPlainText())
    shown = view.timeline.detail.toPlainText()
    assert "lunch club on Tuesdays" in shown and "Talked about the lunch club." in shown

    # a contact recorded through the dialog (replaced here)
    monkeypatch.setattr(
        ContactDialog,
        "ask",
        classmethod(
            lambda cls, parent=None, schedule=False, prefill=None: {
                "kind": ContactKind.APPOINTMENT,
                "status": ContactStatus.ATTENDED,
                "at": items[0].at,
                "minutes": 40,
                "venue": "Library",
                "purpose": None,
            }
        ),
    )
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.timeline.record_button.click()
    assert sorted(i.kind for i in view.timeline.model.rows()) == ["contact", "note"]
    assert view.appointments_label.text() == "Appointments: 1 of 6"
    qtmodeltester.check(view.timeline.model)
    qtmodeltester.check(view.timeline.proxy)


def test_note_editor_about_chooser_shows_its_whole_text(qtbot: Any, unlocked: Any) -> None:
    ailsa = person(qtbot, unlocked)
    at = dt.datetime(2025, 3, 4, 10, 30)
    schedule(qtbot, unlocked, ailsa.id, at, kind=ContactKind.SUPPORTED_VISIT)
    view = ParticipantView(unlocked)
    qtbot.addWidget(view)
    view.resize(1280, 820)
    view.show()  # shown empty first, as in the window: the choices come later
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.open(ailsa.id)
    box = view.timeline.editor.contact_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "No particular contact",
        "Tue 04 Mar 10:30 · Supported visit · Scheduled",  # status and venue tell them apart
    ]
    longest = max(box.fontMetrics().horizontalAdvance(box.itemText(i)) for i in range(box.count()))
    # the text and the drop-down arrow beside it both fit
    qtbot.waitUntil(lambda: box.width() >= longest + box.height())
    about = next(
        label for label in view.timeline.editor.findChildren(QLabel) if label.buddy() is box
    )
    assert about.text() == "&About:"


def test_goals_wellbeing_and_onward_referral_from_the_record(
    qtbot: Any, unlocked: Any, monkeypatch: Any, qtmodeltester: Any
) -> None:
    ailsa = person(qtbot, unlocked)
    place = resource(qtbot, unlocked, "Craigbank Library", "Digital drop-in")
    view = open_view(qtbot, unlocked, ailsa.id)

    monkeypatch.setattr(
        GoalDialog,
        "ask",
        classmethod(
            lambda cls, parent=None: {
                "title": "Get back to the allotment",
                "why_it_matters": "I feel better outdoors",
                "review_on": None,
                "progress": 2,
                "steps": ["Phone the allotment society", "Visit on Saturday"],
            }
        ),
    )
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.goals.set_button.click()
    assert texts(view.goals.goals_model) == ["Get back to the allotment"]
    assert texts(view.goals.steps_proxy, 2) == ["Phone the allotment society", "Visit on Saturday"]
    view.goals.steps_table.setCurrentIndex(view.goals.steps_proxy.index(0, 0))
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.goals.done_button.click()
    assert view.goals.goals_model.index(0, 3).data() == "1 of 2"
    qtmodeltester.check(view.goals.steps_proxy)

    # WEMWBS twice: the second shows its change against the baseline and the chart plots both
    for answers in ([3] * 14, [4] * 14):
        monkeypatch.setattr(
            MeasureDialog,
            "ask",
            classmethod(
                lambda cls, parent, kind, context=None, why="", a=answers: {
                    "kind": MeasureKind.WEMWBS,
                    "items": a,
                    "context": context,
                    "taken_on": None,
                    "assisted": True,
                }
            ),
        )
        with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
            view.wellbeing.record_button.click()
    records = view.wellbeing.records
    assert [r.total for r in records] == [42, 56]
    assert records[0].context is MeasureContext.BASELINE
    against = 5  # "Against the episode's baseline", after "Episode"
    assert (
        "Clear improvement"
        in view.wellbeing.model.index(view.wellbeing.model.row_of_id(records[1].id), against).data()
    )
    assert "Baseline 42" in view.wellbeing.chart.description
    assert view.wellbeing.copyright_label.text() == WEMWBS_COPYRIGHT
    qtmodeltester.check(view.wellbeing.proxy)

    monkeypatch.setattr(
        OnwardDialog,
        "ask",
        classmethod(
            lambda cls, parent, resources: {
                "resource_id": resources[0].id,
                "kind": OnwardKind.SIGNPOST,
                "status": OnwardStatus.SUGGESTED,
            }
        ),
    )
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.referrals.refer_button.click()
    assert texts(view.referrals.onward_model, 2) == [place.name]


def test_measure_dialog_shows_the_wording_copyright_and_assisted_box(qtbot: Any) -> None:
    dialog = MeasureDialog(MeasureKind.SWEMWBS)
    qtbot.addWidget(dialog)
    assert dialog.copyright_label.text() == SWEMWBS_COPYRIGHT
    assert dialog.copyright_label.isVisibleTo(dialog)
    labels = [w.text() for w in dialog.findChildren(type(dialog.total_label))]
    for item in definition(MeasureKind.SWEMWBS).items:
        assert f"{item.number}. {item.statement}" in labels
    dialog.set_answers([1, 2, 3, 4, 5, 4, 3])
    assert "Raw score 22" in dialog.total_label.text() and "19.98" in dialog.total_label.text()
    dialog.assisted_check.setChecked(True)
    assert dialog.values()["assisted"] is True
    # a missing item blocks saving, and says which one
    dialog.groups[2].setExclusive(False)
    dialog.groups[2].checkedButton().setChecked(False)
    dialog._on_save()
    assert "Item 3 (relaxed)" in dialog.message.text()
    ons = MeasureDialog(MeasureKind.ONS4)
    qtbot.addWidget(ons)
    assert not ons.copyright_label.isVisibleTo(ons)


def test_erasure_names_what_goes_needs_the_programme_id_and_empties_every_list(
    qtbot: Any, unlocked: Any, monkeypatch: Any
) -> None:
    ailsa = person(qtbot, unlocked)
    call_casework(qtbot, unlocked, notes.write_note, ailsa.id, "First meeting at the hub.")
    call_casework(
        qtbot,
        unlocked,
        measures.record_measure,
        ailsa.id,
        MeasureKind.WEMWBS,
        [3] * 14,
        context=MeasureContext.BASELINE,
    )
    view = open_view(qtbot, unlocked, ailsa.id)
    counts = view.data.erasure_counts()
    # named as the count reads: "1 case note (1 revision)", never "1 case notes"
    assert counts["case note (1 revision)"] == 1 and counts["wellbeing score"] == 1

    dialog = ErasureDialog(ailsa.programme_id, counts)
    qtbot.addWidget(dialog)
    shown = dialog.summary.text()
    assert "1 case note (1 revision)" in shown and "1 wellbeing score<" in shown
    assert "1 case notes" not in shown and "1 wellbeing scores" not in shown
    assert not dialog.erase_button.isEnabled()
    dialog.confirm_edit.setText("P0000")
    assert not dialog.erase_button.isEnabled()
    dialog.confirm_edit.setText(ailsa.programme_id)
    assert dialog.erase_button.isEnabled()

    monkeypatch.setattr(ErasureDialog, "ask", classmethod(lambda cls, p, pid, c: False))
    view.profile.erase_button.click()
    settle(qtbot, unlocked)
    assert view.participant_id == ailsa.id  # cancelled: nothing happened

    monkeypatch.setattr(
        ErasureDialog, "ask", classmethod(lambda cls, p, pid, c: pid == ailsa.programme_id)
    )
    with qtbot.waitSignal(view.sig_erased, timeout=20_000):
        view.profile.erase_button.click()
    assert view.participant_id is None and view.timeline.model.rowCount() == 0
    settle(qtbot, unlocked)
    assert call_casework(qtbot, unlocked, lists.caseload_ids) == []


def test_unsaved_note_survives_a_lock_as_a_draft(
    qtbot: Any, unlocked: Any, vault_file: Path
) -> None:
    ailsa = person(qtbot, unlocked)
    view = open_view(qtbot, unlocked, ailsa.id)
    view.timeline.editor.text_edit.setPlainText("Half-written: wants help with the gas bill")
    with qtbot.waitSignal(unlocked.sig_closed, timeout=20_000):
        unlocked.lock()
    # the screen is cleared on lock
    assert view.timeline.editor.text_edit.toPlainText() == ""
    assert view.name_label.text() == "No participant open"
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        unlocked.unlock(vault_file, PASSPHRASE)
    # the record reopens and the text is back in the editor
    assert view.participant_id == ailsa.id
    assert view.timeline.editor.text_edit.toPlainText() == (
        "Half-written: wants help with the gas bill"
    )
    # once saved, the draft is gone from the vault
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.timeline.editor.save_button.click()
    settle(qtbot, unlocked)
    cb = unlocked.require_casebook()
    assert call_casework(qtbot, unlocked, lambda c: c.drafts()) == []
    assert cb is unlocked.casebook
