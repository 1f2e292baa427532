"""Passphrases as people type them: normalised the same on every system, long enough, and a
strength hint while typing (the real defence is the key file's Argon2 cost)."""

from __future__ import annotations

import math
import re
import unicodedata

from linksdesk.core.errors import WeakPassphraseError

MIN_PASSPHRASE_LENGTH = 8


def passphrase_bytes(passphrase: str) -> bytes:
    # NFC so the same passphrase typed on systems that compose accents differently (macOS
    # input gives NFD) opens the vault. surrogatepass so any str encodes; Qt never gives those.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8", "surrogatepass")


def require_long_enough(passphrase: str) -> None:
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphraseError(
            f"Use a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters. "
            "A few unrelated words are easy to remember and hard to guess."
        )


# -- passphrase strength ----------------------------------------------------------------------
# A deliberately simple estimate for a hint while typing; the real defence is the Argon2 cost
# and the minimum length. Very common passphrases and their roots with digits added score 0.
_COMMON = frozenset(
    """password passw0rd p@ssw0rd p@ssword qwerty qwertyuiop asdfghjkl zxcvbnm letmein
    welcome iloveyou admin administrator linksdesk changeme sunshine football baseball
    princess trustno superman starwars whatever monkey dragon master shadow computer
    internet abcdefgh abc zaq1zaq1 1q2w3e4r zaq12wsx""".split()  # noqa: SIM905
)
_HINTS = (
    "Too easy to guess. Several unrelated words are easy to remember and hard to guess.",
    "Weak. Add another word or two; length helps far more than symbols.",
    "Fair. One or two more unrelated words would make it much stronger.",
    "Good.",
    "Strong.",
)


def _char_bits(passphrase: str) -> tuple[float, bool]:
    """Bits from character classes, with repeats and runs (aa, abc, 321) counted at 1 bit.

    Also says whether there is a run of three (aaa, abc, 321) worth a hint.
    """
    pool = 0
    pool += 26 if any(c.isascii() and c.islower() for c in passphrase) else 0
    pool += 26 if any(c.isascii() and c.isupper() for c in passphrase) else 0
    pool += 10 if any(c.isascii() and c.isdigit() for c in passphrase) else 0
    pool += 33 if any(c.isascii() and not c.isalnum() for c in passphrase) else 0
    pool += 100 if any(not c.isascii() for c in passphrase) else 0
    per_char = math.log2(max(pool, 2))
    bits, patterned = 0.0, False
    prev_step: int | None = None
    for i, c in enumerate(passphrase):
        step = ord(c) - ord(passphrase[i - 1]) if i else None
        if step == 0 or (step in (-1, 1) and prev_step == step):
            bits += 1  # a repeat, or the third character of a run like "abc" or "321"
            patterned = patterned or prev_step == step
        else:
            bits += per_char
        prev_step = step
    return bits, patterned


def _run_bits(passphrase: str) -> float:
    """Bits if it is built from words: a run of letters counts as ~12 bits per 6 letters."""
    total = 0.0
    for run in re.findall(r"[^\W\d_]+|\d+|\s+|[\W_]+", passphrase):
        if run.isspace():
            total += 1
        elif run[0].isdigit():
            total += len(run) * math.log2(10)
        elif run[0].isalpha():
            letters = _char_bits(run)[0] + (1 if run.lower() != run else 0)
            total += min(letters, 12 * max(1.0, len(run) / 6))
        else:
            total += 5 + (len(run) - 1)
    return total


def check_passphrase_strength(passphrase: str) -> tuple[int, str]:
    """A score 0 (too easy) to 4 (strong) and a hint for people. Never echoes the passphrase."""
    text = unicodedata.normalize("NFC", passphrase)
    if len(text) < MIN_PASSPHRASE_LENGTH:
        return 0, f"Too short. Use at least {MIN_PASSPHRASE_LENGTH} characters."
    folded = text.casefold()
    root = re.sub(r"[\W\d_]+$", "", re.sub(r"^[\W\d_]+", "", folded))
    if folded in _COMMON or root in _COMMON or (not root and len(set(folded)) <= 4):
        return 0, (
            "That is one of the first things anyone would try. Choose something only you "
            "would think of, such as four or more unrelated words."
        )
    char_bits, patterned = _char_bits(text)
    bits = min(char_bits, _run_bits(text))
    score = sum(bits >= floor for floor in (20, 32, 44, 56))
    hint = _HINTS[score]
    if patterned and score < 4:
        hint += " Avoid repeats and runs like 'aaa' or '123'."
    return score, hint
