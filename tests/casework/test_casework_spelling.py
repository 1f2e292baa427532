"""Spell checking: British English from the shipped dictionary, programme words, offline."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from linksdesk.casework.spelling import SpellChecker, dictionary_path


@pytest.fixture(scope="module")
def checker() -> SpellChecker:
    return SpellChecker.load()


def test_the_dictionary_ships_with_the_app_and_its_licence() -> None:
    base = dictionary_path()
    assert base.with_suffix(".aff").is_file() and base.with_suffix(".dic").is_file()
    readme = base.parent / "README_en_GB.txt"
    assert "LGPL" in readme.read_text(encoding="utf-8")


def test_british_english_by_default(checker: SpellChecker) -> None:
    text = "The participant organised a colour programme at the centre; recieve definately."
    bad = [text[s : s + n] for s, n in checker.misspelt(text)]
    assert bad == ["recieve", "definately"]
    assert checker.is_correct("colour") and checker.is_correct("behaviour")
    assert checker.is_correct("don't") and checker.is_correct("don’t")
    assert checker.misspelt("Room 12b, 3pm, ID 4471") == []  # numbers and codes are not words
    assert "receive" in checker.suggestions("recieve")


def test_programme_words_are_not_misspellings(checker: SpellChecker) -> None:
    ours = SpellChecker(checker._dictionary, ["Craigbank", "SWEMWBS"])
    assert ours.misspelt("Craigbank walking group, SWEMWBS done") == []
    assert checker.misspelt("Craigbank") == [(0, 9)]


def test_nothing_leaves_the_process(checker: SpellChecker, monkeypatch: Any) -> None:
    def refuse(*_a: Any, **_k: Any) -> None:
        raise AssertionError("spell checking tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = SpellChecker(checker._dictionary)
    assert fresh.misspelt("Talked about loneliness and the befriending scheme. Wrnog.") == [(52, 5)]
    assert fresh.suggestions("Wrnog")
