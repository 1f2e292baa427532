"""Titles and snippets are marked in Python for the hits shown, the way the index matched."""

from __future__ import annotations

from vault_kit import add_note, add_participant, fill

from linksdesk.storage import search as S
from linksdesk.storage.store import Store

M0, M1 = S.HIGHLIGHT_START, S.HIGHLIGHT_END


def test_words_whole_and_the_last_as_a_prefix_ignoring_case_and_accents() -> None:
    p = S._hit_pattern("cafe allot")
    assert p is not None
    assert S.highlight("Café at the Allotments, not a cafeteria", p) == (
        f"{M0}Café{M1} at the {M0}Allotments{M1}, not a cafeteria"
    )
    assert S.highlight("snake_case allot_ment", p) == f"snake_case {M0}allot{M1}_ment"
    assert S._hit_pattern(" ... ") is None


def test_a_long_text_is_cut_around_the_densest_run_of_matches() -> None:
    p = S._hit_pattern("rent arrears")
    assert p is not None
    words = [f"w{i}" for i in range(60)]
    words[5] = "rent"
    words[40:43] = ["rent", "and", "arrears"]
    out = S.snippet(" ".join(words) + ".", p)
    assert out.startswith("…") and out.endswith("…")
    assert f"{M0}rent{M1} and {M0}arrears{M1}" in out  # both words beat one word alone
    assert len(out.replace(M0, "").replace(M1, "").strip("…").split()) == S.SNIPPET_TOKENS
    assert S.snippet("Rent due.", p) == f"{M0}Rent{M1} due."  # short: whole, uncut
    assert S.snippet(" ".join(["x"] * 30), p) == "x " * (S.SNIPPET_TOKENS - 1) + "x…"


def test_hits_rank_and_mark_as_fts5_would(store: Store) -> None:
    """Same hits in the same order as FTS5's own highlight() and snippet() gave, with the same
    titles, and the same snippets wherever FTS5 did not cut the text."""
    for i, words in enumerate(["walking group", "lunch", "walking lunch walking club"] * 4):
        with store.write() as tx:
            p = add_participant(tx, given_name=f"Walker{i}")
            add_note(tx, p.id, f"Note {i}: {words}.")
    fill(store, participants=3, notes_each=4, size=300)  # long notes: snippets cut
    with store.read() as s:
        raw = s.connection().exec_driver_sql(
            "SELECT row_id, highlight(search_index, 3, ?, ?), "
            "snippet(search_index, 4, ?, ?, '…', 14) FROM search_index "
            "WHERE search_index MATCH ? ORDER BY bm25(search_index, 0, 0, 0, 8, 1) LIMIT 50",
            (M0, M1, M0, M1, S.to_match_query("walk")),
        )
        expected = [tuple(r) for r in raw]
        hits = S.search(s, "walk")
    assert len(expected) >= 24  # participants, short notes and long notes
    assert [(h.row_id, h.title) for h in hits] == [(r[0], r[1]) for r in expected]
    uncut = [(h.snippet, r[2]) for h, r in zip(hits, expected, strict=True) if "…" not in r[2]]
    assert len(uncut) >= 12 and all(a == b for a, b in uncut)
    cut = [h.snippet for h in hits if h.row_id not in {u[0] for u in expected if "…" not in u[2]}]
    assert cut and all(f"{M0}walking{M1}" in c and c.endswith("…") for c in cut)
