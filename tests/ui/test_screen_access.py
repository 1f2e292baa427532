"""Every control on the screens and dialogs has a name a screen reader can say."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from linksdesk.core.vocab import MeasureKind, ParticipantStatus
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.dialogs.erasure import ErasureDialog
from linksdesk.ui.dialogs.goal import GoalDialog
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.dialogs.participant import ParticipantDialog, StatusDialog
from linksdesk.ui.dialogs.record import ConsentDialog, RelationshipDialog
from linksdesk.ui.dialogs.resource import ResourceDialog
from linksdesk.ui.views.caseload import CaseloadView
from linksdesk.ui.views.diary import DiaryView
from linksdesk.ui.views.participant import ParticipantView
from linksdesk.ui.views.resources import ResourcesView
from linksdesk.ui.views.today import TodayView

pytestmark = pytest.mark.gui

CONTROLS = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)


def qt_part(w: QWidget) -> bool:
    """Qt's own inner parts: a line edit's clear button, combo popups, calendar, spin boxes."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QLineEdit | QAbstractSpinBox | QCalendarWidget):
            return True
        if parent.inherits("QComboBoxPrivateContainer") or (
            isinstance(parent, QAbstractItemView) and isinstance(w, QAbstractButton)
        ):
            return True  # a combo box's popup list, a table's corner button
        parent = parent.parentWidget()
    return False


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or w.parent() is None:
            continue
        if isinstance(w, QHeaderView) or qt_part(w):
            continue
        name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
        if not name.replace("&", "").strip():
            missing.append(f"{type(w).__name__} in {type(w.parentWidget()).__name__}")
    return missing


def test_every_control_on_every_screen_and_dialog_has_an_accessible_name(
    qtbot: Any, ui_session: Any
) -> None:
    roots: list[QWidget] = [
        TodayView(ui_session),
        CaseloadView(ui_session),
        DiaryView(ui_session),
        ResourcesView(ui_session),
        ParticipantView(ui_session),
        ParticipantDialog(),
        StatusDialog(ParticipantStatus.ACTIVE),
        ContactDialog(schedule=True),
        GoalDialog(),
        ConsentDialog(None),
        RelationshipDialog(),
        ResourceDialog(),
        ErasureDialog("P1001", {"case notes": 2}),
        MeasureDialog(MeasureKind.WEMWBS),
        MeasureDialog(MeasureKind.ONS4),
    ]
    problems: dict[str, list[str]] = {}
    for root in roots:
        qtbot.addWidget(root)
        missing = unnamed(root)
        if missing:
            problems[type(root).__name__] = missing
    assert problems == {}
