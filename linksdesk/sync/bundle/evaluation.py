"""Evaluation records: pseudonymised by the policy's evaluation tags, k-anonymous on the
quasi-identifiers (age band, deprivation decile, referral source, referral month).

Devices and the server run the same code over the same change format, so one participant
has one pseudonym everywhere (HMAC-SHA256 under the programme's key, which never travels in
a bundle). A column tagged ``keep`` goes as it is, ``drop`` never goes, ``transform``
becomes a pseudonym (ids), an age band (date of birth, at referral so it never moves), a
deprivation decile (postcode) or a month (other dates). Rare combinations of the
quasi-identifiers are coarsened for the whole bundle (month → quarter, then 5- → 10-year
bands) until every combination is shared by at least ``K`` participants; whoever still
stands out is left out with everything of theirs, and counted in the manifest.

A person registered twice, whose records were found to be one person (a record's
``merged_into_id`` names the kept one: ``core.persons``), is one participant here: only the
kept record counts in the groups, the person agrees only where every record of theirs
agrees, and the record merged away goes with its mark and the kept record's groups, so a
supervisor's copy counts its rows under the kept record (``evaluation_vault.kept``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NotRequired, TypedDict, Unpack

from linksdesk.core import persons
from linksdesk.core.errors import UserError
from linksdesk.core.hlc import HLC
from linksdesk.core.registry import MARKED_THROUGH, TEAM_SCOPE
from linksdesk.core.vocab import IN_ERROR_COLUMN
from linksdesk.sync.policy import eval_tag

K = 5
# levels of coarsening, finest first: (age band width in years, referral period)
LEVELS: tuple[tuple[int, str], ...] = ((5, "month"), (5, "quarter"), (10, "quarter"))
# the finest level is used that leaves out no more than this share of participants
MAX_LEFT_OUT_SHARE = 0.02
QUASI_IDENTIFIERS = ("age_band", "deprivation_decile", "referral_source", "referral_period")
# Every row names its worker (pseudonymised), and whoever knows a person knows their links
# worker: so a group of K is counted within one worker's people, never across workers.
UNKNOWN = "unknown"
EVALUATION_SCOPE = "evaluation"  # ConsentScope.EVALUATION (core vocab kept out of here)
TEAM_ROWS = frozenset({"resource", "monthly_total"})  # not about one participant
SKIPPED = frozenset({"erasure_receipt"})  # an erasure travels as an "erase" record instead
# a person no longer sent (consent withdrawn): drop what earlier bundles brought of them
WITHDRAWAL = "withdrawal"
# a record's key for the month (or quarter) its row last changed in: which data is newer
CHANGED = "changed"
# a participant's or a withdrawal's key for the consent decisions it is sent under: each
# scope's latest consent version (small numbers, no clock or device: nothing identifying),
# so a supervisor's copy knows which of a withdrawal and a bundle's rows is the later word
CONSENTS = "consents"
SCOPES = (TEAM_SCOPE, EVALUATION_SCOPE)


def pseudonym(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """Names the programme key in a manifest without revealing it."""
    return hashlib.sha256(b"linksdesk programme key\x00" + key).hexdigest()[:16]


def owner_pseudonyms(key: bytes, workers: Iterable[str]) -> dict[str, str]:
    """Which owner pseudonym is whose: a server's evaluation bundle says it of its team's
    workers (signed with its manifest), so a supervisor's vault knows a colleague's pseudonym
    before any laptop of theirs sends one, and no other laptop can claim it first."""
    return {worker: pseudonym(key, worker) for worker in sorted(set(workers)) if worker}


def normalise_postcode(text: str) -> str:
    return "".join(text.split()).upper()


# -- deprivation lookup -------------------------------------------------------------------------
@dataclass(frozen=True)
class DeprivationLookup:
    name: str
    year: str
    deciles: Mapping[str, int]  # normalised postcode → 1..10

    @classmethod
    def from_rows(cls, name: object, year: object, rows: Iterable[Any]) -> DeprivationLookup:
        """From ``(postcode, decile)`` rows as a lookup table holds them (server or vault)."""
        return cls(str(name), str(year), {str(p): int(d) for p, d in rows})

    def decile(self, postcode: object) -> str:
        if not isinstance(postcode, str) or not postcode.strip():
            return UNKNOWN
        found = self.deciles.get(normalise_postcode(postcode))
        return UNKNOWN if found is None else str(found)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "year": self.year, "postcodes": len(self.deciles)}

    def table_rows(self) -> list[dict[str, Any]]:
        """The rows of a ``deprivation_decile`` table (vault or server) holding this lookup."""
        return [{"postcode": p[:10], "decile": d} for p, d in self.deciles.items()]


class LookupGiven(TypedDict):
    """What a person gives with a lookup file: its published name and year, its column names."""

    name: str
    year: str
    postcode_column: NotRequired[str]
    decile_column: NotRequired[str]


def read_lookup(path: Path, **given: Unpack[LookupGiven]) -> DeprivationLookup:
    """The lookup a person imports (device or server), checked: name and year given, CSV sound."""
    name, year = given["name"].strip(), given["year"].strip()
    if not name or not year:
        raise UserError("Give the lookup's name and year (--name, --year).")
    deciles = read_lookup_csv(
        path,
        postcode_column=given.get("postcode_column", "postcode"),
        decile_column=given.get("decile_column", "decile"),
    )
    return DeprivationLookup(name, year, deciles)


def read_lookup_csv(path: Path, *, postcode_column: str, decile_column: str) -> dict[str, int]:
    """Postcode → decile from a published lookup (SIMD or IMD), columns chosen by name."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(line for line in fh if not line.startswith("#"))
            names = reader.fieldnames or []
            for wanted in (postcode_column, decile_column):
                if wanted not in names:
                    raise UserError(
                        f"The lookup has no column {wanted!r}; its columns are: "
                        f"{', '.join(names) or 'none'}."
                    )
            out: dict[str, int] = {}
            for number, row in enumerate(reader, start=2):
                postcode = normalise_postcode(row[postcode_column] or "")
                try:
                    decile = int(str(row[decile_column]).strip())
                except ValueError:
                    raise UserError(f"Line {number} of the lookup has no decile number.") from None
                if not 1 <= decile <= 10:
                    raise UserError(f"Line {number} of the lookup has a decile outside 1 to 10.")
                if postcode:
                    out[postcode] = decile
    except FileNotFoundError:
        raise UserError(f"There is no file {path}.") from None
    except (OSError, UnicodeDecodeError, csv.Error):
        raise UserError(f"{path} could not be read as a CSV file.") from None
    if not out:
        raise UserError("The lookup holds no postcodes.")
    return out


# -- transforms ---------------------------------------------------------------------------------
def transform_kind(column: str) -> str:
    """What a ``transform``-tagged column becomes (one rule, by what the column holds)."""
    if column == "date_of_birth":
        return "age_band"
    if column == "postcode":
        return "decile"
    if column in ("id", "owner") or column.endswith("_id"):
        return "pseudonym"
    return "period"


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def period(value: object, unit: str) -> str | None:
    day = _date(value)
    if day is None:
        return None
    if unit == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def period_months(value: object) -> tuple[str, str] | None:
    """The first and last month (YYYY-MM) of a period a bundle wrote (a month or a quarter)."""
    if not isinstance(value, str):
        return None
    year, _, part = value.partition("-")
    if part.startswith("Q"):
        first = (int(part[1:]) - 1) * 3 + 1
        return f"{year}-{first:02d}", f"{year}-{first + 2:02d}"
    return value, value


def changed_in(hlc: object, unit: str) -> str | None:
    """The month (or quarter) a row last changed in, from its clock: no finer than the
    bundle's dates, so it says no more of when than they do."""
    try:
        wall = HLC.decode(str(hlc)).wall_ms
    except ValueError:
        return None
    return period(dt.datetime.fromtimestamp(wall / 1000, dt.UTC).date().isoformat(), unit)


# no one is older: an age past it is a date of birth mistyped or made up (year 0199 for
# 1999), unknown like a missing one; its band would have more digits than a supervisor's
# vault takes from a band (and refuse the whole bundle)
OLDEST = 130


def age_band(born: object, on: object, width: int) -> str:
    birth, day = _date(born), _date(on)
    if birth is None or day is None or day < birth:
        return UNKNOWN
    years = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    if years > OLDEST:
        return UNKNOWN
    low = years // width * width
    return f"{low}-{low + width - 1}"


@dataclass(frozen=True)
class Source:
    """What an evaluation bundle is made from (device or server, same shape)."""

    changes: list[dict[str, Any]]  # sync change format, already within the sync policy
    erased: list[str]  # participants erased at the source
    key: bytes  # the programme's pseudonym key
    lookup: DeprivationLookup | None


def consented(changes: Iterable[Mapping[str, Any]]) -> set[str]:
    """Participants whose latest evaluation consent (by version, then clock) is given."""
    best: dict[str, tuple[int, str, bool]] = {}
    for ch in changes:
        fields = ch.get("fields") or {}
        if ch.get("table") != "consent" or fields.get("scope") != EVALUATION_SCOPE:
            continue
        if ch.get("op") != "upsert" or not ch.get("participant_id"):
            continue
        version = fields.get("version")
        rank = (version if isinstance(version, int) else 0, str(ch.get("hlc", "")))
        pid = str(ch["participant_id"])
        if pid not in best or rank > best[pid][:2]:
            best[pid] = (*rank, bool(fields.get("given")))
    return {pid for pid, (_, _, given) in best.items() if given}


def _quasi(
    person: Mapping[str, Any],
    referral: Mapping[str, Any] | None,
    lookup: DeprivationLookup | None,
    level: tuple[int, str],
) -> tuple[str, str, str, str]:
    width, unit = level
    referred = (referral or {}).get("received_on") or person.get("referred_on")
    reference = referred or person.get("created_on")
    return (
        age_band(person.get("date_of_birth"), reference, width),
        lookup.decile(person.get("postcode")) if lookup else UNKNOWN,
        str((referral or {}).get("source") or UNKNOWN),
        period(referred, unit) or UNKNOWN,
    )


def too_few(groups: Mapping[str, tuple[object, ...]]) -> set[str]:
    """The people whose group (the same worker and quasi-identifiers) holds fewer than K."""
    sizes = Counter(groups.values())
    return {pid for pid, g in groups.items() if sizes[g] < K}


def choose_level(
    people: dict[str, tuple[Mapping[str, Any], Mapping[str, Any] | None]],
    lookup: DeprivationLookup | None,
    owners: Mapping[str, object],
) -> tuple[int, dict[str, tuple[str, str, str, str]], set[str]]:
    """The level used, each kept participant's quasi-identifiers, and who is left out
    (``owners``: each participant's worker, whose people a group is counted among)."""
    chosen: tuple[int, dict[str, tuple[str, str, str, str]], set[str]] | None = None
    for index, level in enumerate(LEVELS):
        quasi = {pid: _quasi(p, r, lookup, level) for pid, (p, r) in people.items()}
        left = too_few({pid: (owners.get(pid), *q) for pid, q in quasi.items()})
        chosen = (index, {p: q for p, q in quasi.items() if p not in left}, left)
        if len(left) <= MAX_LEFT_OUT_SHARE * len(people):
            break
    assert chosen is not None
    return chosen


def bundle_records(
    kind: str,
    changes: list[dict[str, Any]],
    kept: list[dict[str, Any]],
    source: Callable[[], Source],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """What a bundle of ``kind`` carries, on a laptop or the server, and what its manifest
    adds: an evaluation bundle the pseudonymised records made from ``source()`` (asked only
    then: it needs the programme's key), any other the ``changes`` and the receipts ``kept``."""
    if kind == "evaluation":
        return evaluation_records(source())
    return changes + kept, {}


def consent_versions(changes: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Each participant's latest consent version of each scope (0: none recorded): which
    consent decisions their records are sent under, or their withdrawal is."""
    out: dict[str, dict[str, int]] = {}
    for ch in changes:
        fields = ch.get("fields") or {}
        if ch.get("table") != "consent" or not ch.get("participant_id"):
            continue
        held = out.setdefault(str(ch["participant_id"]), dict.fromkeys(SCOPES, 0))
        scope, version = fields.get("scope"), fields.get("version")
        if scope in held and isinstance(version, int) and not isinstance(version, bool):
            held[scope] = max(held[scope], version)
    return out


def withdrawals(
    source: Source, people: set[str], versions: Mapping[str, dict[str, int]]
) -> list[dict[str, Any]]:
    """A ``withdrawal`` record for each person the source holds consent records of but no
    longer sends (``people``: who consents to both): their evaluation or team consent was
    withdrawn, perhaps after an earlier bundle, so a supervisor's vault drops what earlier
    bundles brought of them. A pseudonym and the consent versions it is (``versions``)."""
    return [
        {
            "table": WITHDRAWAL,
            "id": pseudonym(source.key, pid),
            "participant_id": pseudonym(source.key, pid),
            "owner": None,
            "op": "upsert",
            "fields": {},
            CONSENTS: versions[pid],
        }
        for pid in sorted(versions.keys() - people - set(source.erased))
    ]


def _marked(changes: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    """The rows marked entered in error, by table, of those a child row may be marked
    through (a note, a goal)."""
    parents = {parent for _column, parent in MARKED_THROUGH.values()}
    found: dict[str, set[str]] = {}
    for ch in changes:
        if ch.get("table") in parents and (ch.get("fields") or {}).get(IN_ERROR_COLUMN):
            found.setdefault(str(ch["table"]), set()).add(str(ch["row_id"]))
    return found


def _through(ch: Mapping[str, Any], marked: Mapping[str, set[str]]) -> bool:
    """Whether the row ``ch`` is of is in error with its parent (a note's revision)."""
    link = MARKED_THROUGH.get(str(ch.get("table")))
    if link is None:
        return False
    column, parent = link
    return str((ch.get("fields") or {}).get(column)) in marked.get(parent, set())


def merged_away(changes: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Each participant record merged into another of its person (both among ``changes``)
    → the record kept for the person (``core.persons``)."""
    held: set[str] = set()
    marks: dict[str, str] = {}
    for ch in changes:
        if ch.get("table") != "participant" or ch.get("op") != "upsert":
            continue
        held.add(str(ch["row_id"]))
        into = (ch.get("fields") or {}).get(persons.MARK[0])
        if isinstance(into, str):
            marks[str(ch["row_id"])] = into
    return persons.resolve(marks, held)


def evaluation_records(source: Source) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The pseudonymised records and what the manifest says about them."""
    key = source.key
    away = merged_away(source.changes)
    agree = persons.agreeing(consented(source.changes), away)
    people: dict[str, tuple[Mapping[str, Any], Mapping[str, Any] | None]] = {}
    first_referral: dict[str, Mapping[str, Any]] = {}
    for ch in source.changes:
        pid = ch.get("participant_id")
        if ch.get("op") != "upsert" or pid not in agree:
            continue
        given = ch.get("fields") or {}
        # the person's first referral, from any record of theirs; a referral recorded twice
        # (entered in error) is no one's first referral
        if ch["table"] == "referral" and given.get(IN_ERROR_COLUMN) is None:
            person = away.get(pid, pid)
            held = first_referral.get(person)
            if held is None or str(given.get("received_on")) < str(held.get("received_on")):
                first_referral[person] = given
    sent: set[str] = set()  # every record agreeing, merged away or not
    owners: dict[str, object] = {}
    for ch in source.changes:
        if ch["table"] == "participant" and ch.get("op") == "upsert" and ch["row_id"] in agree:
            sent.add(ch["row_id"])
            if ch["row_id"] not in away:  # a person counts once, as the kept record
                people[ch["row_id"]] = (ch.get("fields") or {}, first_referral.get(ch["row_id"]))
                owners[ch["row_id"]] = ch.get("owner")
    index, quasi, left = choose_level(people, source.lookup, owners)
    width, unit = LEVELS[index]
    kept = set(quasi)
    marked = _marked(source.changes)
    versions = consent_versions(source.changes)
    out: list[dict[str, Any]] = []
    left_records = 0
    for ch in source.changes:
        table = ch["table"]
        if table in SKIPPED:
            continue
        pid = ch.get("participant_id")
        if table not in TEAM_ROWS:
            if pid not in agree:
                continue
            if away.get(pid, pid) not in kept:
                left_records += 1
                continue
        fields: dict[str, Any] = {}
        # an entry marked entered in error counts in no evaluation: it goes as removed, so
        # the copy drops what an earlier bundle sent of it
        # (a note's revisions and a goal's steps with it: ``registry.MARKED_THROUGH``)
        marked_here = (ch.get("fields") or {}).get(IN_ERROR_COLUMN) is not None
        in_error = marked_here or _through(ch, marked)
        if ch.get("op") == "upsert" and not in_error:
            for name, value in (ch.get("fields") or {}).items():
                tag = eval_tag(table, name)
                if tag == "keep":
                    fields[name] = value
                elif tag == "transform":
                    kind = transform_kind(name)
                    if kind == "pseudonym":
                        fields[name] = pseudonym(key, value) if isinstance(value, str) else None
                    elif kind == "period":
                        fields[name] = period(value, unit)
                    # age band and decile: added below as quasi-identifiers only
            if table == "participant":  # a record merged away: in its person's groups
                row = str(ch["row_id"])
                fields.update(zip(QUASI_IDENTIFIERS, quasi[away.get(row, row)], strict=True))
        rec = {
            "table": table,
            "id": pseudonym(key, str(ch["row_id"])),
            "participant_id": pseudonym(key, str(pid)) if pid else None,
            "owner": pseudonym(key, str(ch.get("owner") or "")),
            "op": "delete" if ch.get("op") == "delete" or in_error else "upsert",
            "fields": fields,
            CHANGED: changed_in(ch.get("hlc"), unit),
        }
        if table == "participant" and str(ch["row_id"]) in versions:  # the person's records
            rec[CONSENTS] = versions[str(ch["row_id"])]  # are sent under these consents
        out.append(rec)
    out += withdrawals(source, sent, versions)
    for pid in sorted(set(source.erased)):
        out.append(
            {
                "table": "participant",
                "id": pseudonym(key, pid),
                "participant_id": pseudonym(key, pid),
                "owner": None,
                "op": "erase",
                "fields": {},
            }
        )
    sizes = Counter((owners.get(pid), *q) for pid, q in quasi.items())
    extra = {
        "pseudonyms": {"method": "HMAC-SHA256", "key_id": key_id(key)},
        "deprivation": source.lookup.describe() if source.lookup else {"name": None},
        "k_anonymity": {
            "k": min(sizes.values()) if sizes else None,
            "target": K,
            "quasi_identifiers": list(QUASI_IDENTIFIERS),
            "within": "owner",  # groups are counted among one worker's people
            "age_band_years": width,
            "dates_as": unit,
            "participants": len(kept),
            "left_out": {"participants": len(left), "records": left_records},
        },
    }
    return out, extra
