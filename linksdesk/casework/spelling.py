"""British English spell checking for case notes, offline: a Hunspell dictionary read in Python.

The dictionary ships in ``resources/dictionaries`` (Hunspell en_GB, LGPL-3) and is read by
``spylls`` (pure Python, MPL-2.0): no system package, and nothing typed leaves the process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from linksdesk.core.resources import resource_path

DEFAULT_LANGUAGE = "en_GB"
# words of letters with inner apostrophes (don't, O'Neill); digits and codes are not words
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def dictionary_path(language: str = DEFAULT_LANGUAGE) -> Path:
    """The shipped dictionary's path without its .aff/.dic suffix."""
    return resource_path("dictionaries", f"{language}.dic").with_suffix("")


class SpellChecker:
    """Checks words against the dictionary and the programme's own words, with a cache so
    that underlining while typing costs a set lookup for every word seen before."""

    def __init__(self, dictionary: Any, extra_words: Iterable[str] = ()) -> None:
        self._dictionary = dictionary
        self._known: dict[str, bool] = {}
        self._extra: set[str] = set()
        self.add_words(extra_words)

    @classmethod
    def load(
        cls, language: str = DEFAULT_LANGUAGE, extra_words: Iterable[str] = ()
    ) -> SpellChecker:
        """Read the shipped dictionary (about two seconds: do it off the GUI thread)."""
        from spylls.hunspell import Dictionary, readers
        from spylls.hunspell.readers.file_reader import FileReader

        opened: list[Any] = []

        class ClosingReader(FileReader):  # type: ignore[misc]
            """spylls leaves its files to the collector; these are closed once read."""

            def _open(self, path: str, encoding: str) -> Any:
                f = open(path, encoding=encoding, errors="surrogateescape")  # noqa: SIM115
                opened.append(f)
                return f

        base = str(dictionary_path(language))
        try:
            aff, context = readers.read_aff(ClosingReader(base + ".aff"))
            dic = readers.read_dic(
                ClosingReader(base + ".dic", encoding=context.encoding), aff=aff, context=context
            )
        finally:
            for f in opened:
                f.close()
        dictionary = Dictionary(aff, dic)
        return cls(dictionary, extra_words)

    def add_words(self, words: Iterable[str]) -> None:
        """Words the programme uses (service names, places) that are not misspellings."""
        for word in words:
            w = word.strip()
            if w:
                self._extra.add(w.casefold())
        self._known.clear()

    def is_correct(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = (
                word.casefold() in self._extra
                or len(word) == 1
                or bool(self._dictionary.lookup(word.replace("’", "'")))
            )
            self._known[word] = known
        return known

    def misspelt(self, text: str) -> list[tuple[int, int]]:
        """(start, length) of every misspelt word in ``text``."""
        return [
            (m.start(), m.end() - m.start())
            for m in WORD.finditer(text)
            if not self.is_correct(m.group())
        ]

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        out: list[str] = []
        for s in self._dictionary.suggest(word):
            out.append(s)
            if len(out) >= limit:
                break
        return out
