"""Full-text search (FTS5 inside the encrypted file), kept in step in each write's transaction."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.folding import APOSTROPHES, HYPHENS
from linksdesk.core.vocab import IN_ERROR_COLUMN
from linksdesk.storage.tables import NoteRevision

# markers around matched words in titles and snippets; the UI escapes text, then styles these
HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"

# what the index takes of each table is declared in the table registry
INDEXED_TABLES = registry.INDEXED_TABLES


@dataclass(frozen=True, slots=True)
class SearchHit:
    entity: str  # participant | note | goal | resource
    row_id: str
    participant_id: str | None
    title: str
    snippet: str
    rank: float


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):  # a resource's categories
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _participant_key(table: registry.Table) -> str | None:
    """The column that names the participant an entry is about (None: about no one)."""
    if table.routing is registry.Routing.PARTICIPANT:
        return "id"
    return "participant_id" if table.routing is registry.Routing.LINKED else None


# table name → (search entry, participant column), worked out once from the registry
_PLANS = {
    name: (entry, _participant_key(registry.BY_NAME[name]))
    for name, entry in registry.SEARCH.items()
}


class RowValues:
    """An ORM row read as a mapping of its column values (what the index reads of it)."""

    __slots__ = ("row",)

    def __init__(self, row: Any) -> None:
        self.row = row

    def get(self, name: str, default: Any = None, /) -> Any:
        return getattr(self.row, name, default)


class Values(Protocol):
    """A row's column values by name: a dict of them, or ``RowValues`` of an ORM row."""

    def get(self, name: str, default: Any = None, /) -> Any: ...


# (entity, row_id, participant_id, title, body, joined): what one index entry holds
Entry = tuple[str, str, str | None, str, str, str | None]


# A hit opens its row in its participant's record: only hits whose row and participant this
# laptop holds. Pulled rows keep no foreign keys, so a note's text can arrive whose note or
# participant never did (set aside as incomplete on the way), and its hit would open nothing.
# A row marked entered in error (a note written in the wrong participant's record, a goal set
# by mistake) is found by no search: the mark is read here, when the hits are, so a mark
# made here, pulled, imported or taken off counts at once and the index needs no change.
# (Each entity is the table of its row; the names are the registry's own.)
def _standing(entity: str) -> str:
    return f" AND t.{IN_ERROR_COLUMN} IS NULL" if entity in registry.MARKABLE_TABLES else ""


_HELD = (
    "(participant_id IS NULL OR EXISTS (SELECT 1 FROM participant p "
    "WHERE p.id = participant_id AND NOT p.deleted)) AND CASE entity "
    + " ".join(
        f"WHEN '{entity}' THEN EXISTS (SELECT 1 FROM {entity} t "
        f"WHERE t.id = row_id AND NOT t.deleted{_standing(entity)})"
        for entity in sorted(registry.SEARCH_ENTITIES)
    )
    + " ELSE 1 END"
)


# unicode61 splits "O'Brien" into "o" and "brien", and "Smith-Jones" into "smith" and
# "jones": typed in a hurry ("obrien", "smithjones") they found nobody, and a worker who
# finds nobody adds the person again. Each entry's words joined by an apostrophe or a hyphen
# are also indexed joined, in a column of their own that no title or snippet shows.
# (Asking for "o brien" for every word typed instead made every search a fifth slower.)
_JOINERS = f"[{re.escape(APOSTROPHES + HYPHENS)}]"
_JOINER = re.compile(_JOINERS)
# a word's letters and digits, apostrophes aside: "ʼ" (a modifier letter) is a letter to \w
# and to unicode61, so "Oʼbrien" is one token there, and "obrien" is found as joined
_PART = rf"[^\W_{re.escape(APOSTROPHES)}]+"
_JOINED = re.compile(rf"{_PART}(?:{_JOINERS}{_PART})+")
_PARTS = re.compile(_PART)


# The other way round, a name written as two words ("Mc Donald", "De Souza", "Van der Berg")
# is often typed as one: each of a row's names (the registry's search "names") of several
# words is also indexed written as one ("McDonald"), in the same column, so "mcdonald" and
# "mcdon" find him. Names only: a case note's every pair of neighbouring words would bloat the
# index for a spelling nobody types, and a name written in a note is found as two words.
def joined_words(*texts: str, names: Iterable[str] = ()) -> str | None:
    """The words of ``texts`` joined by apostrophes or hyphens, written joined ("O'Brien" →
    "OBrien"), and each of ``names`` of several words written as one ("Mc Donald" →
    "McDonald"), for the index's ``joined`` column; None when there are none."""
    found = [_JOINER.sub("", m) for t in texts for m in _JOINED.findall(t)]
    for name in names:
        parts = _PARTS.findall(name)
        if len(parts) > 1 and "".join(parts) not in found:  # "O'Brien" is there already
            found.append("".join(parts))
    return " ".join(found) if found else None


def entry_of(table: str, values: Values) -> Entry | None:
    """The index entry (``Entry``) of one row of ``table`` given as its column values, or
    None if the table is not indexed. The one place an entry's text is made: the write
    path, a pull's bulk apply and migrations all index through it."""
    plan = _PLANS.get(table)
    if plan is None:
        return None
    spec, participant_key = plan
    get = values.get
    title = spec.title_joiner.join(_text(get(c)) for c in spec.title)
    body = " ".join(x for x in (_text(get(c)) for c in spec.body) if x)
    participant_id = get(participant_key) if participant_key else None
    joined = joined_words(title, body, names=(_text(get(c)) for c in spec.names))
    return (spec.entity, get(spec.key), participant_id, title, body, joined)


def _entry(row: Any) -> Entry | None:
    """The index entry of one ORM row, or None if its table is not indexed."""
    return entry_of(getattr(row, "__tablename__", ""), RowValues(row))


def reindex_row(session: Session, row: Any, *, new: bool = False) -> None:
    """Bring the index entry of ``row`` in line with it (removed when the row is deleted).

    ``new``: the row was just inserted here (``WriteTx.insert``). A new row has no entry of
    its own yet, and a note's first revision (revision 1, no base) is its latest, so neither
    the old entry nor the latest revision is looked up for those.
    """
    entry = _entry(row)
    if entry is None:
        return
    entity, row_id, participant_id, title, body, joined = entry
    first_revision = (
        isinstance(row, NoteRevision) and row.revision == 1 and row.base_revision_id is None
    )
    if isinstance(row, NoteRevision) and not (new and first_revision):
        # a note is indexed by its latest revision only
        latest = session.scalar(
            select(NoteRevision)
            .where(NoteRevision.note_id == row.note_id, NoteRevision.deleted.is_(False))
            .order_by(NoteRevision.revision.desc(), NoteRevision.hlc.desc())
            .limit(1)
        )
        if latest is not None and latest.id != row.id:
            row = latest
            _, row_id, participant_id, title, body, joined = _entry(latest)  # type: ignore[misc]
    if not (new and (first_revision or not isinstance(row, NoteRevision))):
        remove(session, entity, row_id)
    if not getattr(row, "deleted", False):
        _add(session, (entity, row_id, participant_id, title, body, joined))


def _add(session: Session, entry: Entry) -> None:
    """One new index entry and its key."""
    entity, row_id, participant_id, title, body, joined = entry
    params = {"e": entity, "r": row_id, "p": participant_id, "t": title, "b": body}
    session.execute(
        text(
            "INSERT INTO search_index (entity, row_id, participant_id, title, body, joined) "
            "VALUES (:e, :r, :p, :t, :b, :j)"
        ),
        {**params, "j": joined},
    )
    # FTS5 answers RETURNING rowid with -1; last_insert_rowid() is the real one
    session.execute(
        text(
            "INSERT INTO search_key (entity, row_id, participant_id, doc) "
            "VALUES (:e, :r, :p, last_insert_rowid())"
        ),
        params,
    )


def index_new_rows(session: Session, rows: Sequence[Any]) -> None:
    """Index rows just inserted, ending as ``reindex_row`` on each in turn would end.

    New rows have no entry yet, so nothing is removed and the entries go in with one
    statement per table (FTS rowids allocated here, so the keys can go in together). A
    revision of a note written before the batch does have one: its note is indexed again.
    """
    index_new_values(session, [(row.__tablename__, RowValues(row)) for row in rows])


def index_new_values(session: Session, rows: Iterable[tuple[str, Values]]) -> None:
    """``index_new_rows`` for rows given as (table, column values), so a caller that
    inserted them with plain statements needs no ORM object per row. A ``note`` among them
    needs only its ``id``: it says the note's entry is new (a note is indexed by its latest
    revision)."""
    new_notes: set[str] = set()
    latest_revision: dict[str, Values] = {}
    entries: dict[tuple[str, str], Entry] = {}
    for table, values in rows:
        get = values.get
        if table == "note":
            new_notes.add(get("id"))
            continue
        if get("deleted"):
            continue
        if table == "note_revision":
            note_id = get("note_id")
            best = latest_revision.get(note_id)
            # a note is indexed by its latest revision only
            if best is None or (get("revision"), get("hlc")) > (
                best.get("revision"),
                best.get("hlc"),
            ):
                latest_revision[note_id] = values
            continue
        entry = entry_of(table, values)
        if entry is not None:
            entries[entry[:2]] = entry
    for note_id, revision in latest_revision.items():
        if note_id not in new_notes:
            _reindex_note(session, note_id)
            continue
        entry = entry_of("note_revision", revision)
        if entry is not None:
            entries[entry[:2]] = entry
    if not entries:
        return
    if len(entries) == 1:  # one entry (a note saved, say): its rowid needs no look-up
        _add(session, next(iter(entries.values())))
        return
    # FTS5 reads its rowids in order, so the newest one is the first it returns backwards
    top = session.execute(
        text("SELECT rowid FROM search_index ORDER BY rowid DESC LIMIT 1")
    ).scalar_one_or_none()
    first = (top or 0) + 1
    params = [(doc, *entry) for doc, entry in enumerate(entries.values(), start=first)]
    # plain statements: a first pull indexes tens of thousands of rows
    conn = session.connection()
    conn.exec_driver_sql(
        "INSERT INTO search_index (rowid, entity, row_id, participant_id, title, body, joined) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        params,
    )
    conn.exec_driver_sql(
        "INSERT INTO search_key (doc, entity, row_id, participant_id) VALUES (?, ?, ?, ?)",
        [p[:4] for p in params],
    )


def _reindex_note(session: Session, note_id: str) -> None:
    """The entry of a note held before, from its latest revision (as ``reindex_row`` on a
    revision of it ends)."""
    latest = session.scalar(
        select(NoteRevision)
        .where(NoteRevision.note_id == note_id, NoteRevision.deleted.is_(False))
        .order_by(NoteRevision.revision.desc(), NoteRevision.hlc.desc())
        .limit(1)
    )
    if latest is None:
        return
    entry = _entry(latest)
    if entry is not None:
        remove(session, entry[0], entry[1])
        _add(session, entry)


def remove(session: Session, entity: str, row_id: str) -> None:
    # through the keyed table: FTS5 would scan every entry to match an UNINDEXED column
    doc = session.execute(
        text("DELETE FROM search_key WHERE entity = :e AND row_id = :r RETURNING doc"),
        {"e": entity, "r": row_id},
    ).scalar_one_or_none()
    if doc is not None:
        session.execute(text("DELETE FROM search_index WHERE rowid = :d"), {"d": doc})


def remove_participant(session: Session, participant_id: str) -> None:
    session.execute(
        text(
            "DELETE FROM search_index WHERE rowid IN "
            "(SELECT doc FROM search_key WHERE participant_id = :p)"
        ),
        {"p": participant_id},
    )
    session.execute(text("DELETE FROM search_key WHERE participant_id = :p"), {"p": participant_id})
    # entries written without a key (none are, since 0004) would still be caught here
    session.execute(
        text("DELETE FROM search_index WHERE participant_id = :p"), {"p": participant_id}
    )


_WORD = re.compile(r"\w+", re.UNICODE)
# unicode61 makes tokens of letters and digits; everything else (underscore too) separates
_TOKEN = re.compile(r"[^\W_]+")
SNIPPET_TOKENS = 14


# A name written as one word is often typed as two: "mc donald" for McDonald, "mac leod"
# for MacLeod. Each two words typed side by side are also looked for joined, for the first
# few pairs (a pasted sentence asks nothing more of the index).
_JOINED_PAIRS = 4


def _spellings(words: list[str]) -> list[list[str]]:
    """``words`` as typed, then with each of their first pairs of neighbours joined."""
    pairs = range(min(len(words) - 1, _JOINED_PAIRS))
    return [words, *([*words[:i], words[i] + words[i + 1], *words[i + 2 :]] for i in pairs)]


def to_match_query(user_text: str) -> str | None:
    """Words as typed → an FTS5 query: every word must match, the last as a prefix (or two
    side by side written as one, ``_spellings``)."""
    words = _WORD.findall(user_text)
    if not words:
        return None
    ways = []
    for spelling in _spellings(words):
        quoted = [f'"{w}"' for w in spelling]
        quoted[-1] += "*"
        ways.append(" AND ".join(quoted))
    return ways[0] if len(ways) == 1 else " OR ".join(f"({w})" for w in ways)


class _Fold(dict[int, str]):
    """str.translate table folding one character to one, as the index compares them:
    lower case, accents removed (unicode61 remove_diacritics 2). Offsets stay the same."""

    def __missing__(self, code: int) -> str:
        lowered = chr(code).lower()[:1]
        base = unicodedata.normalize("NFD", lowered)[:1] or lowered
        self[code] = base
        return base


_FOLD = _Fold()


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_FOLD)


# An emoji or pictograph is no token to unicode61 (it separates words), so a symbol typed
# is looked for as it stands in the indexed text: "🙂" on its own finds the note holding it.
# Joiners and skin tones belong to the emoji around them; a variation selector is left out
# (one keyboard adds it, another does not), so the pieces either side are each looked for.
_EMOJI_PARTS = frozenset("\u200d\u20e3") | {chr(c) for c in range(0x1F3FB, 0x1F400)}
_VARIATION = re.compile("[\ufe0e\ufe0f]")


def symbols_of(user_text: str) -> list[str]:
    """The runs of emoji and other pictographs in ``user_text``, each once, in order."""
    runs: list[str] = []
    current: list[str] = []
    for ch in user_text + " ":
        if unicodedata.category(ch) == "So" or (current and ch in _EMOJI_PARTS):
            current.append(ch)
            continue
        if current and not _VARIATION.match(ch):
            runs.append("".join(current))
            current = []
    pieces = (p.strip("\u200d") for run in runs for p in _VARIATION.split(run))
    return list(dict.fromkeys(p for p in pieces if p))


# in an entry that holds names, a typed token may also stand for a name's words: "mcdonald"
# marks "Mc Donald" (the name the index holds written as one)
_NAME_JOINERS = f"[{re.escape(APOSTROPHES + HYPHENS)}\\s]"
# the entities whose entries hold names (their titles and snippets are marked by them too)
_NAMED = frozenset(entry.entity for entry in registry.SEARCH.values() if entry.names)


def _letters(token: str, joiners: str) -> str:
    """A typed token as a pattern that also takes it written with ``joiners`` between its
    letters ("obrien" marks "O'Brien": the joined words the index holds)."""
    return f"{joiners}?".join(map(re.escape, token))


def _typed_as_one(tokens: list[str], text: str) -> bool:
    """Whether a typed token is in ``text`` only once its spaces are taken out ("mcdonald"
    in "Mc Donald"), so its hit is marked by the names' pattern."""
    folded = _fold(text)
    squeezed = "".join(folded.split())
    return any(t in squeezed and t not in folded for t in tokens)


def _hit_pattern(user_text: str, *, names: bool = False) -> re.Pattern[str] | None:
    """Whole tokens the query matched: each word as typed, the last as a prefix, either
    also as words joined by apostrophes or hyphens (or, ``names``, by spaces: a name's words
    the index holds written as one); and each symbol typed, as it stands."""
    tokens = [_fold(t) for t in _TOKEN.findall(user_text)]
    symbols = [re.escape(s) for s in symbols_of(user_text)]
    if not tokens and not symbols:
        return None
    found = []
    joiners = _NAME_JOINERS if names else _JOINERS
    if tokens:
        words = {t for spelling in _spellings(tokens) for t in spelling[:-1]}
        lasts = {spelling[-1] for spelling in _spellings(tokens)}
        whole = [rf"{_letters(t, joiners)}(?![^\W_])" for t in sorted(words, key=len, reverse=True)]
        last = [rf"{_letters(t, joiners)}[^\W_]*" for t in sorted(lasts, key=len, reverse=True)]
        found.append(rf"(?<![^\W_])(?:{'|'.join([*whole, *last])})")
    return re.compile("|".join([*found, *symbols]))


def _marked(text: str, start: int, end: int, hits: list[tuple[int, int]]) -> str:
    out, at = [], start
    for a, b in hits:
        if a >= start and b <= end:
            out += [text[at:a], HIGHLIGHT_START, text[a:b], HIGHLIGHT_END]
            at = b
    out.append(text[at:end])
    return "".join(out)


def highlight(text: str, pattern: re.Pattern[str]) -> str:
    """The text with every matched token between the highlight markers."""
    hits = [m.span() for m in pattern.finditer(_fold(text))]
    return _marked(text, 0, len(text), hits)


def snippet(text: str, pattern: re.Pattern[str], tokens: int = SNIPPET_TOKENS) -> str:
    """A window of ``tokens`` words around the densest run of matches, marked, with '…'
    where text was cut (the whole text when it is that short)."""
    folded = _fold(text)
    hits = [m.span() for m in pattern.finditer(folded)]
    count = len(_TOKEN.findall(folded))  # counting in C: no Python step per word
    if count <= tokens:
        return _marked(text, 0, len(text), hits)
    hit_at, seen, at = [], 0, 0
    for a, _b in hits:  # each hit's word number: the words before it, counted from the last
        seen += len(_TOKEN.findall(folded, at, a))
        hit_at.append(seen)
        at = a
    first = 0
    best: tuple[int, int] = (-1, -1)
    for n, h in enumerate(hit_at):  # a run of hits from each hit: most distinct words first
        run = [i for i in range(n, len(hit_at)) if hit_at[i] < h + tokens]
        distinct = len({folded[slice(*hits[i])] for i in run})
        if (distinct, len(run)) > best:
            best = (distinct, len(run))
            first = h - (tokens - (hit_at[run[-1]] - h + 1)) // 2  # centred in the window
    first = max(0, min(first, count - tokens))
    last = first + tokens
    window = [m.span() for m in islice(_TOKEN.finditer(folded), first, last)]
    start = 0 if first == 0 else window[0][0]
    end = len(text) if last == count else window[-1][1]
    body = _marked(text, start, end, hits)
    return ("…" if first else "") + body + ("…" if last < count else "")


def search(
    session: Session, user_text: str, *, limit: int = 50, entities: frozenset[str] | None = None
) -> list[SearchHit]:
    """Ranked hits (bm25, titles and joined words weighted above bodies) with highlighted
    snippets.

    The ranking query reads only the index (no stored column, unless kinds are asked for);
    the hits' columns are read after the LIMIT, and titles and snippets are marked here for
    those only. (FTS5's own highlight() and snippet() ran for every match before the LIMIT
    and allocated a string per word they copied, each locked and wiped by memory security.)
    """
    query = to_match_query(user_text)
    symbols = symbols_of(user_text)
    pattern = _hit_pattern(user_text)
    if pattern is None:
        return []
    # an entry holding names is marked across their spaces too, by a pattern compiled only
    # for a hit found by a name typed as one (compiling one costs a millisecond and more)
    typed = [_fold(t) for t in _TOKEN.findall(user_text)]
    named: re.Pattern[str] | None = None
    params: dict[str, Any] = {"n": limit}
    if query is not None:
        sql = (
            "SELECT rowid, bm25(search_index, 0.0, 0.0, 0.0, 8.0, 1.0, 8.0) AS rank "
            "FROM search_index WHERE search_index MATCH :q"
        )
        params["q"] = query
    else:  # symbols alone: no word to rank by, so the latest written come first
        sql = "SELECT rowid, -rowid AS rank FROM search_index WHERE 1"
    for i, symbol in enumerate(symbols):  # each typed symbol must be there as it stands
        sql += f" AND (instr(title, :s{i}) OR instr(body, :s{i}))"
        params[f"s{i}"] = symbol
    if entities:
        names = sorted(entities)
        sql += " AND entity IN (" + ", ".join(f":e{i}" for i in range(len(names))) + ")"
        params.update({f"e{i}": name for i, name in enumerate(names)})
    sql += " ORDER BY rank LIMIT :n OFFSET :skip"
    held = text(
        "SELECT rowid, entity, row_id, participant_id, title, body "
        f"FROM search_index WHERE rowid IN :ids AND {_HELD}"
    ).bindparams(bindparam("ids", expanding=True))
    hits: list[SearchHit] = []
    # The index keeps rows a reader must not offer (entered in error, deleted, a participant
    # this laptop lacks): they are left out here, after ranking, and the next ranked rows are
    # read until ``limit`` hits stand, so a left-out row never takes a result's place.
    params["skip"] = 0
    while True:
        ranked = session.execute(text(sql), params).all()
        if not ranked:
            return hits
        found = {r[0]: r[1:] for r in session.execute(held, {"ids": [r[0] for r in ranked]})}
        for rowid, rank in ranked:
            if rowid not in found:
                continue
            entity, row_id, pid, title, body = found[rowid]
            marks = pattern
            if entity in _NAMED and _typed_as_one(typed, f"{title} {body}"):
                named = named or _hit_pattern(user_text, names=True) or pattern
                marks = named
            hits.append(
                SearchHit(
                    entity,
                    row_id,
                    pid,
                    highlight(title or "", marks),
                    snippet(body or "", marks),
                    float(rank),
                )
            )
            if len(hits) == limit:
                return hits
        if len(ranked) < params["n"]:
            return hits
        params["skip"] += params["n"]
