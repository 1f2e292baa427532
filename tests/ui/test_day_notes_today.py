"""Note templates (shipped, programme-edited in Settings) and Today's overdue marks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from screens_kit import goal, person, schedule, settle, texts
from shell_kit import call_casework

from linksdesk.casework import note_templates, notes, onward
from linksdesk.core.settings import Settings
from linksdesk.core.vocab import OnwardKind, OnwardStatus
from linksdesk.ui.settings_dialog import SettingsDialog
from linksdesk.ui.views.participant import ParticipantView
from linksdesk.ui.views.today import TodayView, days_left_in_week, overdue_text

pytestmark = pytest.mark.gui


def test_shipped_templates_parse() -> None:
    names = [t.name for t in note_templates.templates(Settings())]
    assert names == ["First meeting", "Review", "Closing summary"]
    assert note_templates.parse("## A\none\n\n## B\ntwo\n") == [
        note_templates.NoteTemplate("A", "one"),
        note_templates.NoteTemplate("B", "two"),
    ]


def test_templates_fill_the_editor_and_are_edited_in_settings(qtbot: Any, unlocked: Any) -> None:
    who = person(qtbot, unlocked)
    view = ParticipantView(unlocked)
    qtbot.addWidget(view)
    unlocked.sig_changed.connect(view.on_changes)
    view.show()
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.open(who.id)
    editor = view.timeline.editor
    editor._fill_template_menu()
    actions = editor.template_menu.actions()
    assert [a.text() for a in actions] == ["First meeting", "Review", "Closing summary"]
    actions[1].trigger()
    assert editor.text_edit.toPlainText().startswith("Since we last met:\nProgress on their goals:")
    qtbot.keyClicks(editor.text_edit, " back at the choir")
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        qtbot.keyClick(editor.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    saved = call_casework(qtbot, unlocked, notes.list_notes, who.id)
    assert saved[0].text.startswith(
        "Since we last met: back at the choir\nProgress on their goals:"
    )

    # the programme's own set, edited in Settings
    dialog = SettingsDialog(unlocked)
    qtbot.addWidget(dialog)
    assert dialog.templates.toPlainText().startswith("## First meeting")
    dialog.templates.setPlainText("## Group session\nGroup:\nWho came:\n")
    dialog.spelling_words.setPlainText("Craigbank\n")
    with qtbot.waitSignal(unlocked.sig_settings_changed, timeout=20_000):
        dialog.save()
    assert unlocked.settings.note_templates == "## Group session\nGroup:\nWho came:"
    assert unlocked.settings.spelling_words == ("Craigbank",)
    editor._fill_template_menu()
    assert [a.text() for a in editor.template_menu.actions()] == ["Group session"]
    editor.template_menu.actions()[0].trigger()
    assert editor.text_edit.toPlainText() == "Group:\nWho came:"


def test_overdue_words_and_this_week() -> None:
    today = dt.date(2026, 12, 2)  # a Wednesday
    assert days_left_in_week(today) == 4 and days_left_in_week(dt.date(2026, 12, 6)) == 0
    assert overdue_text(today, today) == ""
    assert overdue_text(today - dt.timedelta(days=1), today) == "overdue 1 day"
    assert overdue_text(today - dt.timedelta(days=3), today) == "overdue 3 days"
    assert overdue_text(today - dt.timedelta(days=21), today) == "overdue 3 weeks"
    assert overdue_text(today - dt.timedelta(days=275), today) == "overdue 9 months"


def test_today_marks_overdue_first_with_the_year_and_only_this_week(
    qtbot: Any, unlocked: Any
) -> None:
    today = dt.date.today()
    ailsa = person(qtbot, unlocked)
    long_ago = today - dt.timedelta(days=275)  # nine months late: last year, or early this one
    goal(qtbot, unlocked, ailsa.id, "Phone the choir", set_on=long_ago, review_on=long_ago)
    goal(qtbot, unlocked, ailsa.id, "Walk to the shop", review_on=today + dt.timedelta(days=2))
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    schedule(qtbot, unlocked, ailsa.id, dt.datetime.combine(next_monday, dt.time(10)))
    from screens_kit import resource

    place = resource(qtbot, unlocked, "Craigbank Library", "Digital drop-in")
    call_casework(
        qtbot,
        unlocked,
        onward.refer_onward,
        ailsa.id,
        place.id,
        OnwardKind.REFERRAL,
        status=OnwardStatus.MADE,
        on=today - dt.timedelta(days=1),
    )
    view = TodayView(unlocked)
    qtbot.addWidget(view)
    view.refresh()
    settle(qtbot, unlocked)
    view.proxies[3].sort(0, Qt.SortOrder.AscendingOrder)
    shown = texts(view.proxies[3])
    assert shown[0].endswith("⚠ overdue 9 months")  # marked, first
    if long_ago.year != today.year:
        assert str(long_ago.year) in shown[0]
    assert "overdue" not in shown[1]
    assert view.week_model.rowCount() == 0  # next Monday is not "later this week"
    assert texts(view.awaiting_model) == ["1 day"]


def test_signposting_searches_the_directory_and_keeps_why(qtbot: Any, unlocked: Any) -> None:
    from day_kit import finished, on_modal
    from screens_kit import resource

    from linksdesk.ui.dialogs.onward import OnwardDialog

    who = person(qtbot, unlocked)
    for n in range(40):  # a directory too long to scroll through
        resource(qtbot, unlocked, f"Org {n:02d}", "Advice line", categories=["Money"], area="East")
    choir = resource(
        qtbot,
        unlocked,
        "Craigbank Community Choir",
        "Tuesday singing",
        categories=["Arts", "Social"],
        area="Craigbank",
        capacity="limited",
        last_verified=dt.date(2026, 10, 1),
    )
    view = ParticipantView(unlocked)
    qtbot.addWidget(view)
    unlocked.sig_changed.connect(view.on_changes)
    view.show()
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.open(who.id)
    seen: dict[str, Any] = {}

    def choose(d: OnwardDialog) -> None:
        assert d.proxy.rowCount() == 41
        qtbot.keyClicks(d.search, "social craig")  # a category and an area
        seen["rows"] = [d.proxy.row_at(r).id for r in range(d.proxy.rowCount())]
        seen["shown"] = [d.proxy.index(0, c).data() for c in range(5)]
        why = d.widget("why")
        qtbot.keyClicks(why, "Loves singing, wants to meet people")
        qtbot.keyClick(why, Qt.Key.Key_Return)

    state = on_modal(choose, kind=OnwardDialog)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.referrals.refer_onward()
        finished(qtbot, state)
    assert "Ailsa Testington" in state["title"]
    assert seen["rows"] == [choir.id]
    assert seen["shown"][3:] == ["Limited", "01 Oct 2026"]
    found = call_casework(qtbot, unlocked, onward.list_onward_referrals, who.id)
    assert [o.resource_id for o in found] == [choir.id]
    kept = call_casework(qtbot, unlocked, notes.list_notes, who.id)
    assert [n.text for n in kept] == [
        "Signpost: Craigbank Community Choir — Tuesday singing. "
        "Why: Loves singing, wants to meet people"
    ]


def test_sync_page_says_how_many_changes_wait_to_be_sent(qtbot: Any, unlocked: Any) -> None:
    from linksdesk.sync.client import SyncStatus
    from linksdesk.ui.views.sync_history import SyncPageData, SyncView

    view = SyncView(unlocked)
    qtbot.addWidget(view)

    def status(waiting: int) -> SyncPageData:
        s = SyncStatus(True, "https://sync.example", False, None, None, None, waiting, 0, 0)
        return SyncPageData(status=s, attention=[], history=[])

    view._show(status(1))
    assert "1 change waiting to be sent" in view.status_label.text()
    view._show(status(1234))
    assert "1,234 changes waiting to be sent" in view.status_label.text()
