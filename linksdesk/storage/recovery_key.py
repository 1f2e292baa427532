"""Recovery keys: 130 random bits written as 8 groups of 4 characters a person copies by hand,
with a checksum that catches any typo before a key derivation is tried."""

from __future__ import annotations

import secrets
import unicodedata
from typing import NoReturn

from linksdesk.core.errors import RecoveryKeyTypoError

# Crockford base32: no I, L, O or U, so nothing is mistaken for 1, 0 or V when copied by hand.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(_ALPHABET)} | {"O": 0, "I": 1, "L": 1}
_RECOVERY_DATA_CHARS = 26  # 130 random bits
_RECOVERY_CHECK_CHARS = 6  # 30-bit BCH checksum
_RECOVERY_CHARS = _RECOVERY_DATA_CHARS + _RECOVERY_CHECK_CHARS  # 8 groups of 4
_RECOVERY_TAG = "linksdesk-recovery"
# Generator of the BCH code used by bech32 (BIP-173). Over strings this short it detects
# every error touching up to 4 characters (any single typo, any swap of two characters), and
# anything else with odds of 1 in 2**30 of slipping through.
_BCH_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = ((chk & 0x1FFFFFF) << 5) ^ v
        for i, g in enumerate(_BCH_GEN):
            if (top >> i) & 1:
                chk ^= g
    return chk


def _tag_values() -> list[int]:
    # Mixing a tag in means other LinksDesk codes in the same alphabet never pass as a
    # recovery key.
    return [ord(c) >> 5 for c in _RECOVERY_TAG] + [0] + [ord(c) & 31 for c in _RECOVERY_TAG]


def _recovery_checksum(data: list[int]) -> list[int]:
    mod = _polymod(_tag_values() + data + [0] * _RECOVERY_CHECK_CHARS) ^ 1
    return [(mod >> 5 * (_RECOVERY_CHECK_CHARS - 1 - i)) & 31 for i in range(_RECOVERY_CHECK_CHARS)]


def new_recovery_key() -> str:
    data = [secrets.randbelow(32) for _ in range(_RECOVERY_DATA_CHARS)]
    chars = "".join(_ALPHABET[v] for v in data + _recovery_checksum(data))
    return "-".join(chars[i : i + 4] for i in range(0, _RECOVERY_CHARS, 4))


def _not_a_recovery_key(why: str) -> NoReturn:
    raise RecoveryKeyTypoError(
        f"That does not look like a recovery key: {why} A recovery key is 8 groups of 4 "
        "letters and digits, like XXXX-XXXX-…; check each group against your copy."
    )


def parse_recovery_key(text: str) -> bytes:
    """The canonical recovery key (uppercase, no separators), or ValidationError for a typo."""
    # NFKC turns full-width letters into ASCII; dashes of any kind and spaces are separators.
    cleaned = unicodedata.normalize("NFKC", text).upper()
    cleaned = "".join(c for c in cleaned if not (c.isspace() or unicodedata.category(c) == "Pd"))
    if len(cleaned) != _RECOVERY_CHARS:
        _not_a_recovery_key(
            f"it has {len(cleaned)} letters and digits instead of {_RECOVERY_CHARS}."
        )
    if any(c not in _DECODE for c in cleaned):
        _not_a_recovery_key("it has a character recovery keys never use.")
    values = [_DECODE[c] for c in cleaned]
    if _polymod(_tag_values() + values) != 1:
        _not_a_recovery_key("one or more characters are wrong (the last group does not match).")
    return "".join(_ALPHABET[v] for v in values[:_RECOVERY_DATA_CHARS]).encode("ascii")
