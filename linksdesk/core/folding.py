"""Text compared as a person reads it: "Zoe O'Brien" is "Zoë O’Brien", "cafe" is "Café".

A name pasted from a GP letter has its accents and a curly apostrophe; the same name typed on
a laptop keyboard often has neither. Names (``storage.names``, in SQL) and the resource
directory's searches compare text folded here.
"""

from __future__ import annotations

import unicodedata

# apostrophes and dashes a keyboard, a word processor or a GP system may each give
APOSTROPHES = "'\u2018\u2019\u201b\u02bc\u02b9\u00b4\u2032"
HYPHENS = "-\u2010\u2011"  # inside a word: "Smith-Jones" (the dashes below are between words)
DASHES = HYPHENS + "\u2012\u2013\u2014\u2212"
_SAME = str.maketrans(
    {
        **dict.fromkeys(map(ord, APOSTROPHES[1:]), "'"),
        **dict.fromkeys(map(ord, DASHES[1:]), "-"),
        0x00A0: " ",
    }
)
# what a whole name is compared without, after folding: "Smithjones" is "Smith-Jones" and
# "Mcdonald" is "Mc Donald", so the already-on-record question finds the person either way
NOT_IN_A_NAME_KEY = ("-", " ")


def fold_name(text: str) -> str:
    """``text`` in lower case, without accents, apostrophes and the invisible format
    characters copy and paste carries along (a direction mark after a name from a GP letter,
    a zero-width space), with one dash: "Morag" is "Morag\u200e", and "obrien", typed in a
    hurry, is "O’Brien"."""
    if text.isascii():
        return text.lower().replace("'", "")
    decomposed = unicodedata.normalize("NFKD", text.translate(_SAME))
    bare = "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf" and ch != "'"
    )
    return unicodedata.normalize("NFC", bare.casefold())


def name_key(name: str) -> str:
    """``name`` as the already-on-record question compares it: folded (``fold_name``),
    without its dashes and spaces."""
    key = fold_name(name)
    for ch in NOT_IN_A_NAME_KEY:
        key = key.replace(ch, "")
    return key


def words_in(typed: str, text: str) -> bool:
    """Whether every word of ``typed`` is in ``text``, as ``fold_name`` compares them."""
    folded = fold_name(text)
    return all(word in folded for word in fold_name(typed).split())
