"""Builders for a screen's rows: a row of widgets, a screen's top row, its buttons, labelled
fields, the order Tab moves in."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linksdesk.ui.widgets import push_button

# a part of a row: a widget, a widget with its stretch factor, or None for the stretch
RowPart = QWidget | tuple[QWidget, int] | None
# a button's text, its name for screen readers (saying what it acts on), and what it does
Action = tuple[str, str, Callable[[], object]]


def hbox(*parts: RowPart) -> QHBoxLayout:
    """A row of widgets in order; ``None`` is the stretch that pushes what follows to the right."""
    row = QHBoxLayout()
    for part in parts:
        if part is None:
            row.addStretch(1)
        elif isinstance(part, tuple):
            row.addWidget(*part)
        else:
            row.addWidget(part)
    return row


def page_layout(page: QWidget, *top: RowPart) -> QVBoxLayout:
    """A screen's layout with the house margins, starting with its top row (``hbox(*top)``)."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(16, 12, 16, 12)
    layout.addLayout(hbox(*top))
    return layout


def push_buttons(*actions: Action) -> list[QPushButton]:
    """A screen's buttons, one for each of ``actions``, in order (``push_button``)."""
    return [push_button(*action) for action in actions]


def buddy(text: str, field: QWidget) -> QLabel:
    """A label for ``field``: its mnemonic (the letter after &) moves the focus there."""
    label = QLabel(text)
    label.setBuddy(field)
    return label


def choice_box(name: str, choices: Iterable[tuple[str, Any]] = ()) -> QComboBox:
    """A drop-down named ``name`` for screen readers, holding ``(text, data)`` choices."""
    box = QComboBox()
    box.setAccessibleName(name)
    for text, data in choices:
        box.addItem(text, data)
    return box


def search_field(placeholder: str, name: str) -> QLineEdit:
    """A one-line filter or search field with a clear button."""
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setAccessibleName(name)
    edit.setClearButtonEnabled(True)
    return edit


def tab_order(*widgets: QWidget) -> None:
    """Tab moves through ``widgets`` in the order given."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)
