"""A case handed to a colleague and kept here read-only: shown plainly, every edit action off."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QPushButton
from screens_kit import goal, person, schedule, settle
from shell_kit import call_casework, on_db_thread
from sqlalchemy.orm import Session

from linksdesk.casework import goals, notes
from linksdesk.core.changes import Changes
from linksdesk.core.ids import uuid7
from linksdesk.sync.apply import PageApplier
from linksdesk.sync.page import ApplyContext
from linksdesk.sync.protocol import HANDOVER_TABLE, HandoverRow, Op, ServerChange
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.dialogs.erasure import ErasureDialog
from linksdesk.ui.dialogs.goal import GoalDialog, StepDialog
from linksdesk.ui.dialogs.record import ConsentDialog, RelationshipDialog
from linksdesk.ui.views.participant_goals import GoalsTab

pytestmark = pytest.mark.gui

BANNER = "This case was handed over to another links worker — you can read it, not change it."


def hand_over_keeping_a_copy(cb: Any, participant_id: str) -> None:
    """Apply the server's handover notice as a pull does (sync.engine's page transaction)."""
    colleague = uuid7()
    notice = HandoverRow(
        participant_id=participant_id,
        from_worker=cb.worker_id,
        to_worker=colleague,
        keep_read_only=True,
        at_ms=int(time.time() * 1000),
    )
    change = ServerChange(
        change_id=uuid7(),
        table=HANDOVER_TABLE,
        row_id=uuid7(),
        op=Op.UPSERT,
        hlc=cb.store.clock.now().encode(),
        origin="server",
        owner=colleague,
        participant_id=participant_id,
        fields=notice.model_dump(mode="json"),
        server_seq=1,
    )
    with cb.store.engine.connect() as conn, Session(bind=conn, expire_on_commit=False) as s:
        ctx = ApplyContext(
            device_id=cb.device_id,
            worker_id=cb.worker_id,
            stamp=lambda: cb.store.clock.now().encode(),
        )
        PageApplier(s, ctx).apply([change])
        s.commit()


def edit_buttons(view: Any) -> list[QPushButton]:
    """Every button on the record that changes something about the person."""
    t, g, w, n, r, p = (
        view.timeline,
        view.goals,
        view.wellbeing,
        view.network,
        view.referrals,
        view.profile,
    )
    return [
        t.record_button,
        t.schedule_button,
        t.attempt_button,
        t.editor.save_button,
        g.set_button,
        g.review_button,
        g.step_button,
        g.done_button,
        g.up_button,
        g.down_button,
        g.remove_button,
        w.record_button,
        n.add_button,
        n.edit_button,
        n.remove_button,
        r.add_referral_button,
        r.refer_button,
        r.update_button,
        p.edit_button,
        p.status_button,
        p.consent_button,
        p.concern_button,
        p.resolve_button,
        p.erase_button,
    ]


def refuse_dialogs(monkeypatch: Any) -> list[str]:
    """Replace every edit dialog; the list says which ones were asked for (none must be)."""
    asked: list[str] = []
    for cls in (ContactDialog, GoalDialog, StepDialog, ConsentDialog, RelationshipDialog):
        monkeypatch.setattr(
            cls,
            "ask",
            classmethod(lambda c, *a, **k: asked.append(c.__name__)),
        )
    monkeypatch.setattr(
        ErasureDialog, "ask", classmethod(lambda c, *a, **k: asked.append("ErasureDialog"))
    )
    monkeypatch.setattr(
        GoalsTab, "confirm_remove_step", lambda self, step: asked.append("remove step") or True
    )
    return asked


def keyboard_menu(view: Any) -> None:
    """What the Menu key (or Shift+F10) sends to a table: a keyboard context menu event."""
    viewport = view.viewport()
    pos = QPoint(viewport.width() // 2, viewport.height() // 2)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard,
        pos,
        viewport.mapToGlobal(pos),
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def test_a_handed_over_case_reads_plainly_and_cannot_be_changed_anywhere(
    qtbot: Any, unlocked_window: Any, monkeypatch: Any
) -> None:
    window = unlocked_window
    session = window.session
    cb = session.require_casebook()
    moved = person(qtbot, session, "Brodie", "Samplewood")
    mine = person(qtbot, session, "Ailsa", "Testington")
    aim = goal(qtbot, session, moved.id, "Walk to the shop", steps=["Buy shoes", "Walk once"])
    call_casework(qtbot, session, notes.write_note, moved.id, "Synthetic note before handover")
    soon = dt.datetime.combine(dt.date.today(), dt.time(10, 0)) + dt.timedelta(days=1)
    schedule(qtbot, session, moved.id, soon)
    schedule(qtbot, session, mine.id, soon + dt.timedelta(hours=2))

    # the record open and editable, then the handover arrives through a pull
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(moved.id)
    view = window.participant_view
    assert not view.read_only_banner.isVisible()
    assert view.timeline.record_button.isEnabled()
    assert window.action_new_note.isEnabled() and window.action_new_contact.isEnabled()

    on_db_thread(qtbot, session, hand_over_keeping_a_copy, cb, moved.id)
    assert on_db_thread(qtbot, session, cb.read_only_participants) == {moved.id}
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        session.sig_changed.emit(Changes())  # what a finished sync announces
    settle(qtbot, session)

    # said plainly, on the record and to screen readers
    assert view.read_only
    assert view.read_only_banner.isVisible()
    assert view.read_only_banner.text() == BANNER
    assert view.read_only_banner.accessibleDescription() == BANNER
    # still readable: the note and the goal are there
    assert [i.kind for i in view.timeline.model.rows()].count("note") == 1
    assert view.goals.goals_model.rowCount() == 1

    # every edit button is off, whatever is selected
    view.goals.steps_table.setCurrentIndex(view.goals.steps_proxy.index(0, 0))
    view.timeline.table.setCurrentIndex(view.timeline.proxy.index(0, 0))
    view.timeline.editor.text_edit.setPlainText("typed anyway")
    enabled = [b.accessibleName() for b in edit_buttons(view) if b.isEnabled()]
    assert enabled == []
    assert view.timeline.editor.text_edit.isReadOnly()
    assert not view.timeline.editor.contact_box.isEnabled()
    assert not view.timeline.revise_button.isEnabled()
    for action in (
        view.goals.done_action,
        view.goals.up_action,
        view.goals.down_action,
        view.goals.remove_action,
    ):
        assert not action.isEnabled()

    # the window's shortcuts are off too, and say why
    assert not window.action_new_note.isEnabled()
    assert not window.action_new_contact.isEnabled()
    assert "handed over" in window.action_new_note.toolTip()
    asked = refuse_dialogs(monkeypatch)
    window.activateWindow()
    for keys in ("Ctrl+Shift+C", "Ctrl+Shift+N"):
        seq = QKeySequence(keys)[0]
        qtbot.keyClick(window, seq.key(), seq.keyboardModifiers())
    # and so is every way in that skips the buttons: shell slots, Enter on a row, keys
    view.start_contact()
    view.start_note()
    view.timeline.record_contact()
    view.timeline.revise_selected()
    view.goals.set_goal()
    view.goals.add_step()
    view.goals.move_step_down()
    view.goals.steps_table.setFocus()
    qtbot.keyClick(view.goals.steps_table, Qt.Key.Key_Delete)
    view.network.add()
    view.profile.record_consent()
    view.ask_erase()
    view.timeline.editor.save()
    assert asked == []
    assert view.timeline.editor.editing is None
    settle(qtbot, session)
    assert len(call_casework(qtbot, session, notes.list_notes, moved.id)) == 1
    kept = call_casework(qtbot, session, goals.get_goal, aim.id)
    assert [s.description for s in kept.steps] == ["Buy shoes", "Walk once"]

    # the case has left the caseload; "Everyone" lists it, marked, and its context menu
    # offers reading only
    window.show_view("caseload")
    caseload = window.caseload_view
    caseload.filter_edit.setText("Samplewood")
    caseload.refresh()
    settle(qtbot, session)
    assert caseload.model.rowCount() == 0
    caseload.status_box.setCurrentIndex(caseload.status_box.findData("all"))
    settle(qtbot, session)
    assert caseload.model.rowCount() == 1
    qtbot.waitUntil(lambda: "Samplewood" in str(caseload.proxy.index(0, 1).data()))
    assert caseload.proxy.index(0, 2).data() == "Referred · handed over"
    assert "read it, not change it" in caseload.proxy.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    caseload.table.setFocus()
    caseload.table.setCurrentIndex(caseload.proxy.index(0, 0))
    keyboard_menu(caseload.table)
    menu = caseload.row_menu
    assert menu is not None and menu.isVisible()
    state = {a.text().replace("&", ""): a.isEnabled() for a in menu.actions() if a.text()}
    assert state == {
        "Open record": True,
        "Record a contact…": False,
        "Write a case note": False,
        "Handed over to another links worker: read only": False,
    }
    menu.close()
    caseload.contact_action.trigger()  # even if triggered, it does nothing
    assert asked == []
    # someone still on this caseload keeps every action
    caseload.filter_edit.setText("Testington")
    caseload.refresh()
    settle(qtbot, session)
    qtbot.waitUntil(lambda: "Testington" in str(caseload.proxy.index(0, 1).data()))
    assert caseload.proxy.index(0, 2).data() == "Referred"
    caseload.table.setCurrentIndex(caseload.proxy.index(0, 0))
    keyboard_menu(caseload.table)
    menu = caseload.row_menu
    state = {a.text().replace("&", ""): a.isEnabled() for a in menu.actions() if a.text()}
    assert state == {"Open record": True, "Record a contact…": True, "Write a case note": True}
    # from the menu: the record opens, and the contact dialog once it has arrived
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        menu.actions()[2].trigger()
    assert window.current_view_key() == "record"
    assert window.participant_view.participant_id == mine.id
    assert asked == ["ContactDialog"]
    assert not window.participant_view.read_only_banner.isVisible()
    asked.clear()

    # the diary shows the contact but offers no outcome for it
    diary = window.diary_view
    diary.show_week(soon.date())
    settle(qtbot, session)
    by_person = {}
    for list_view, proxy in zip(diary.day_lists, diary.day_proxies, strict=True):
        for r in range(proxy.rowCount()):
            by_person[proxy.row_at(r).participant_id] = (list_view, proxy.index(r, 0))
    list_view, index = by_person[moved.id]
    list_view.setCurrentIndex(index)
    assert not diary.attended_button.isEnabled()
    assert not diary.dna_button.isEnabled()
    assert "handed over" in diary.selected_label.text()
    list_view, index = by_person[mine.id]
    list_view.setCurrentIndex(index)
    assert diary.attended_button.isEnabled()
