"""Spell checking a 2,000-word case note: is it fast enough to underline while typing?

Compares, in the same run, the checker (cold: every word looked up in the Hunspell dictionary;
warm: words seen before, as when a paragraph is re-checked after each key) with a baseline that
does the same work as a plain set lookup of the same words. Also times one keystroke's work:
re-checking the paragraph being typed (about 120 words), as the note editor's highlighter does.

Run: .venv/bin/python benchmarks/spelling.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import time

from linksdesk.casework.spelling import WORD, SpellChecker, dictionary_path

# synthetic case-note vocabulary (no real people); a few misspellings on purpose
VOCABULARY = [
    "talked",
    "about",
    "the",
    "walking",
    "group",
    "on",
    "tuesday",
    "and",
    "how",
    "she",
    "felt",
    "afterwards",
    "she",
    "said",
    "the",
    "colour",
    "of",
    "the",
    "leaves",
    "helped",
    "her",
    "mood",
    "we",
    "agreed",
    "she",
    "would",
    "try",
    "the",
    "library",
    "digital",
    "drop",
    "in",
    "next",
    "week",
    "and",
    "phone",
    "her",
    "daughter",
    "before",
    "then",
    "her",
    "sleep",
    "is",
    "better",
    "since",
    "the",
    "gp",
    "changed",
    "the",
    "medication",
    "she",
    "is",
    "worried",
    "about",
    "the",
    "electricity",
    "bill",
    "and",
    "we",
    "looked",
    "at",
    "the",
    "warm",
    "home",
    "discount",
    "together",
    "she",
    "wants",
    "to",
    "volunteer",
    "at",
    "the",
    "community",
    "garden",
    "in",
    "the",
    "spring",
    "recieve",
    "definately",
    "neighbourhood",
    "organised",
    "programme",
    "behaviour",
    "centre",
    "counselling",
    "befriending",
    "loneliness",
    "isolation",
    "confidence",
    "appointment",
    "reviewed",
    "goals",
    "progress",
    "wellbeing",
    "anxious",
    "hopeful",
    "transport",
    "bus",
    "pass",
    "allotment",
    "choir",
    "knitting",
    "circle",
    "foodbank",
    "benefits",
    "advice",
]


def note(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--words", type=int, default=2000)
    args = parser.parse_args()

    start = time.perf_counter()
    loaded = SpellChecker.load()
    load_s = time.perf_counter() - start
    text = note(args.words)
    paragraph = note(120, seed=11)
    known = {w for w in VOCABULARY if loaded.is_correct(w)}

    def baseline() -> list[tuple[int, int]]:
        return [
            (m.start(), m.end() - m.start()) for m in WORD.finditer(text) if m.group() not in known
        ]

    def cold() -> list[tuple[int, int]]:
        return SpellChecker(loaded._dictionary).misspelt(text)

    warm_checker = SpellChecker(loaded._dictionary)
    warm_checker.misspelt(text)
    assert sorted(cold()) == sorted(baseline())  # the same work, the same answer

    base_s = best(baseline, args.repeat)
    cold_s = best(cold, args.repeat)
    warm_s = best(lambda: warm_checker.misspelt(text), args.repeat)
    key_s = best(lambda: warm_checker.misspelt(paragraph), args.repeat * 20)
    # worst case: a note of 2,000 different words, none seen before (every one a dictionary
    # lookup), against a set holding the same words
    lines = dictionary_path().with_suffix(".dic").read_text(encoding="utf-8").splitlines()[1:]
    stems = [ln.split("/")[0] for ln in lines if ln and ln[0].islower()]
    distinct = " ".join(stems[:: max(1, len(stems) // args.words)][: args.words])
    distinct_set = set(distinct.split())
    d_base_s = best(
        lambda: [m for m in WORD.finditer(distinct) if m.group() not in distinct_set], args.repeat
    )
    d_cold_s = best(lambda: SpellChecker(loaded._dictionary).misspelt(distinct), args.repeat)
    print(f"dictionary load (once, off the GUI thread): {load_s * 1000:8.1f} ms")
    print(f"{args.words}-word note, set lookup baseline:     {base_s * 1000:8.2f} ms")
    print(
        f"{args.words}-word note, checker cold:            {cold_s * 1000:8.2f} ms"
        f"  ({cold_s / base_s:5.1f}x baseline)"
    )
    print(
        f"{args.words}-word note, checker warm:            {warm_s * 1000:8.2f} ms"
        f"  ({warm_s / base_s:5.1f}x baseline)"
    )
    print(f"one keystroke (120-word paragraph, warm):   {key_s * 1000:8.3f} ms")
    print(f"{args.words} distinct words, set lookup baseline:  {d_base_s * 1000:8.2f} ms")
    print(
        f"{args.words} distinct words, checker cold:         {d_cold_s * 1000:8.2f} ms"
        f"  ({d_cold_s / d_base_s:5.1f}x baseline)"
    )


if __name__ == "__main__":
    main()
