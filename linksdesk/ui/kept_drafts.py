"""Unsaved work kept for later (at a lock, or a note left for another record) is named."""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QLabel, QWidget

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.participants import display_names
from linksdesk.core.vocab import MeasureKind
from linksdesk.ui.dialogs.form import kept_entries
from linksdesk.ui.dialogs.kept_text import KeptTextDialog
from linksdesk.ui.dialogs.measure import kept_answers
from linksdesk.ui.session import UiSession
from linksdesk.ui.widgets import InlineMessage


def _named(key: str) -> bool:
    # drafts about a person are named with their name; a form's also without one
    return draft_person(key) is not None or key.startswith("form/")


def draft_person(key: str) -> str | None:
    """The participant a draft is about (its key is ``kind/participant id/item``), or None."""
    parts = key.split("/")
    return parts[1] if len(parts) == 3 and parts[1] != "-" else None


def _names_and_handed_over(
    cb: Casebook, participant_ids: list[str]
) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """On the DB thread: the names to show, who among them was handed over (read-only), and
    who is no longer on this laptop but has words kept in the vault (handed away)."""
    names = display_names(cb, participant_ids)
    kept = {pid for key in cb.drafts() if (pid := draft_person(key))}
    gone = frozenset(pid for pid in participant_ids if pid not in names and pid in kept)
    return names, cb.read_only_participants() & set(participant_ids), gone


class KeptDraftsBar(InlineMessage):
    """Says what is waiting to be saved, one link per person; the link takes it up again.

    A draft comes back by itself only where its editor opens (the record's note editor, the
    form of that measure): a worker who comes back on Today after the lock, or who opened
    another record with a note half written, would not know it is there.
    The bar goes once every draft is taken up (``DraftRegistry.sig_pending_changed``).
    """

    sig_take_up = Signal(str)  # the draft's key

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName(self.tr("Unsaved work kept while locked"))
        self.label: QLabel = self._text
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.label.linkActivated.connect(self._on_link)
        self._gone: frozenset[str] = frozenset()
        session.drafts.sig_pending_changed.connect(self.refresh)
        session.sig_changed.connect(self._on_changes)

    @Slot()
    def refresh(self) -> None:
        pending = dict(self.session.drafts.pending)
        people = {pid for key in pending if (pid := draft_person(key))}
        if not any(map(_named, pending)) or not self.session.is_unlocked:
            self.clear_message()
            return
        self.session.call(
            _names_and_handed_over,
            sorted(people),
            on_done=lambda found: self._show(pending, *found),
        )

    def _on_changes(self, _changes: object) -> None:
        # a sync may hand a case over while work for it is kept: the bar says so at once
        if self.session.drafts.pending:
            self.refresh()

    def _on_link(self, key: str) -> None:
        text = self.session.drafts.pending.get(key)
        if draft_person(key) in self._gone and text is not None:
            # the case is no longer here to open: its words are shown to copy
            KeptTextDialog.ask(self.session, key, text, self.window())
        else:
            self.sig_take_up.emit(key)

    def _show(
        self,
        pending: Mapping[str, str],
        names: Mapping[str, str],
        handed: frozenset[str],
        gone: frozenset[str],
    ) -> None:
        if pending != self.session.drafts.pending:
            return  # taken up meanwhile: the newer refresh says what is left
        self._gone = gone
        elsewhere = self.tr("a participant no longer on this laptop")
        items = [
            self._item(
                key,
                text,
                elsewhere if pid in gone else names.get(pid) if pid else None,
                pid in handed or pid in gone,
            )
            for key, text in sorted(pending.items())
            if _named(key) and ((pid := draft_person(key)) is None or pid in names or pid in gone)
        ]
        if not items:
            self.clear_message()
            return
        self.show_message(
            self.tr("Not saved yet, kept for you: {items}.").format(items="; ".join(items)),
            "info",
        )
        # screen readers are told the words, not the links' markup
        self.setAccessibleDescription(self.said())

    def said(self) -> str:
        """What the bar says, as read (without its links' markup)."""
        return QTextDocumentFragment.fromHtml(self.text()).toPlainText()

    def _item(self, key: str, text: str, name: str | None, handed_over: bool = False) -> str:
        item_text = self._item_text(key, text, name)
        if handed_over:
            return self.tr("{item} (handed over: open it to copy or discard)").format(
                item=item_text
            )
        return item_text

    def _item_text(self, key: str, text: str, name: str | None) -> str:
        kind, _pid, item = key.split("/")
        if kind == "form":
            kept = kept_entries(text)
            title = kept["title"] if kept else self.tr("a form")
            if name is None:  # a new participant's details, a resource: the link reopens it
                return f'<a href="{html.escape(key)}">{html.escape(title)}</a>'
            return self.tr("{form} for {person}").format(
                form=html.escape(title),
                person=f'<a href="{html.escape(key)}">{html.escape(name)}</a>',
            )
        link = f'<a href="{html.escape(key)}">{html.escape(name or "")}</a>'
        if kind == "measure":
            kept = kept_answers(text)
            done = sum(a is not None for a in kept["items"]) if kept else 0
            total = len(kept["items"]) if kept else 0
            return self.tr("{measure} answers ({done} of {total}) for {person}").format(
                measure=MeasureKind(item).label, done=done, total=total, person=link
            )
        if kind == "note" and item != "new":
            return self.tr("a change to a case note of {person}").format(person=link)
        return self.tr("a case note for {person}").format(person=link)
