"""Misspellings underlined in the note editor as the worker types; suggestions on right-click."""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Iterable

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from linksdesk.casework.spelling import WORD, SpellChecker

log = logging.getLogger(__name__)


class SharedDictionary(QObject):
    """The dictionary, read once per process on a plain thread (it takes about two seconds);
    ``sig_ready`` arrives on the GUI thread.

    The thread tells the GUI under a lock that ``close`` takes at exit: a process quitting
    while the dictionary loads would otherwise emit on a Qt object already torn down, which
    crashes the process on its way out.
    """

    sig_ready = Signal()
    _instance: SharedDictionary | None = None

    def __init__(self) -> None:
        super().__init__()
        self.checker: SpellChecker | None = None
        self._lock = threading.Lock()
        self._started = False
        self._closed = False  # the process is quitting: the loader tells no one
        self._thread: threading.Thread | None = None

    @classmethod
    def get(cls) -> SharedDictionary:
        if cls._instance is None:
            cls._instance = SharedDictionary()
        return cls._instance

    def start(self) -> None:
        with self._lock:
            if self._started or self.checker is not None:
                return
            self._started = True
            # registered after Qt's own exit handlers, so it runs before them (last in, first out)
            atexit.register(self.close)
        self._thread = threading.Thread(target=self._load, name="spelling-dictionary", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """From now on the loader tells no one (the process is quitting)."""
        with self._lock:
            self._closed = True

    def load_now(self) -> SpellChecker:
        """Read it on this thread if it is not there yet (tests, benchmarks)."""
        if self.checker is None:
            self.checker = SpellChecker.load()
            self.sig_ready.emit()
        return self.checker

    def _load(self) -> None:
        try:
            checker = SpellChecker.load()
        except (OSError, ValueError) as exc:  # a broken install: notes still work unchecked
            log.warning("spelling dictionary not loaded: %s", type(exc).__name__)
            return
        with self._lock:
            if self.checker is None:
                self.checker = checker
            if not self._closed:
                self.sig_ready.emit()


class SpellHighlighter(QSyntaxHighlighter):
    """Red wavy underline under each word the dictionary and the programme do not know."""

    def __init__(self, document: QTextDocument, extra_words: Iterable[str] = ()) -> None:
        super().__init__(document)
        self._extra = tuple(extra_words)
        # not ``self.format``: that would hide QSyntaxHighlighter.format()
        self.misspelt = QTextCharFormat()
        self.misspelt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self.misspelt.setUnderlineColor(QColor("#c62828"))
        self.shared = SharedDictionary.get()
        self.shared.sig_ready.connect(self._on_ready, Qt.ConnectionType.QueuedConnection)
        self.checker: SpellChecker | None = None
        self._on_ready()
        self.shared.start()

    def set_programme_words(self, words: Iterable[str]) -> None:
        self._extra = tuple(words)
        if self.checker is not None:
            self.checker = SpellChecker(self.checker._dictionary, self._extra)
            self.rehighlight()

    def _on_ready(self) -> None:
        if self.checker is None and self.shared.checker is not None:
            self.checker = SpellChecker(self.shared.checker._dictionary, self._extra)
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if self.checker is None:
            return
        for start, length in self.checker.misspelt(text):
            self.setFormat(start, length, self.misspelt)


def word_at(edit: QPlainTextEdit, pos: QPoint) -> tuple[QTextCursor, str] | None:
    """The word under ``pos`` (a cursor selecting it, and its text), or None."""
    cursor = edit.cursorForPosition(pos)
    block = cursor.block().text()
    at = cursor.positionInBlock()
    for m in WORD.finditer(block):
        if m.start() <= at <= m.end():
            cursor.setPosition(cursor.block().position() + m.start())
            cursor.setPosition(cursor.block().position() + m.end(), QTextCursor.MoveMode.KeepAnchor)
            return cursor, m.group()
    return None


def spelling_menu(edit: QPlainTextEdit, highlighter: SpellHighlighter, pos: QPoint) -> QMenu:
    """The editor's usual menu, with suggestions for a misspelt word at the top."""
    menu = edit.createStandardContextMenu(pos)
    found = word_at(edit, pos)
    checker = highlighter.checker
    if found is None or checker is None or checker.is_correct(found[1]) or edit.isReadOnly():
        return menu
    cursor, word = found
    first = menu.actions()[0] if menu.actions() else None
    suggestions = checker.suggestions(word)
    if not suggestions:
        action = menu.addAction(menu.tr("No suggestions"))
        action.setEnabled(False)
        if first is not None:
            menu.insertAction(first, action)
    for s in suggestions:
        action = menu.addAction(s)
        action.triggered.connect(lambda _c=False, s=s, c=cursor: c.insertText(s))
        if first is not None:
            menu.insertAction(first, action)
    if first is not None:
        menu.insertSeparator(first)
    return menu
