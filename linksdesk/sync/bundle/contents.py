"""What a bundle's records may hold, checked before a supervisor's vault takes any of them.

A bundle that opens with the vault's key and carries a trusted signature still comes from a
laptop someone else holds: its rows are checked as the server checks a push, by the same
rules (:mod:`linksdesk.core.validate`: each column's type, length, dates and vocabulary,
from the table registry), so what the supervisor's figures count is what a device may store.
Evaluation records are pseudonymised, so their ids are keyed hashes and their dates months
or quarters: those are checked for that form, and every kept value by the same rules.
One record that does not fit refuses the whole bundle; the refusal names the kind of record
and the field, never a value (it may be case content).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from linksdesk.core import registry, validate
from linksdesk.core.hlc import HLC
from linksdesk.sync.bundle.evaluation import (
    CHANGED,
    CONSENTS,
    QUASI_IDENTIFIERS,
    SCOPES,
    SKIPPED,
    TEAM_ROWS,
    UNKNOWN,
    WITHDRAWAL,
    period_months,
    transform_kind,
)
from linksdesk.sync.bundle.format import BundleRefused
from linksdesk.sync.merge import DELETED
from linksdesk.sync.policy import eval_tag, shareable_columns
from linksdesk.sync.protocol import SYNCABLE_TABLES, ServerChange

_PSEUDONYM = re.compile(r"[0-9a-f]{64}")
_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2]|Q[1-4])")
_AGE_BAND = re.compile(r"\d{1,3}-\d{1,3}")
_DECILES = frozenset(str(d) for d in range(1, 11))


class UnknownKind(BundleRefused):
    """A record of a table this LinksDesk does not declare (a newer version's, or forged)."""

    def __init__(self) -> None:
        super().__init__(
            "This bundle holds records of a kind this LinksDesk does not know. Nothing was "
            "imported; if the sender's LinksDesk is newer, update LinksDesk here and import "
            "the bundle again."
        )


def refuse_unfit(problems: Iterable[tuple[str, str]]) -> None:
    """Refuse the whole bundle if any record does not fit: ``(table, why)`` per record."""
    found = list(problems)
    if not found:
        return
    table, why = found[0]
    many = f"{len(found)} records" if len(found) > 1 else "a record"
    raise BundleRefused(
        f"Nothing was imported: this bundle holds {many} whose values do not fit their fields "
        f"(the first: a {table.replace('_', ' ')} record whose {why}). LinksDesk does not make "
        "such a record: the bundle was changed, made by something else, or made on a laptop "
        "whose date was wrong. Ask the sender for a new bundle, and tell your programme "
        "administrator."
    )


def known_kind(table: object) -> None:
    """Refuse a supervision record of a table the registry does not declare (conflict rows
    and handover notices are the server's own, never a bundle's)."""
    if not isinstance(table, str) or table not in SYNCABLE_TABLES:
        raise UnknownKind()


def supervision_problem(ch: ServerChange, latest_ms: int) -> str | None:
    """Why a supervision record cannot be stored here, as the server would refuse its push
    (its table already known: :func:`known_kind`). A clock past ``latest_ms`` (a day ahead
    of this computer's) would win every later merge here, as the server refuses a clock
    ahead of its own."""
    for stamp in (ch.hlc, *ch.field_hlc.values()):
        try:
            wall = HLC.decode(stamp).wall_ms
        except ValueError:
            return "clock is not a clock"
        if wall > latest_ms:
            return "clock is more than a day ahead of this computer's"
    if ch.op != "upsert":
        return None
    allowed = shareable_columns(ch.table)
    for name, value in ch.fields.items():
        if name == DELETED:
            if not isinstance(value, bool):
                return f"{name} is not a yes/no value"
        elif name not in allowed:
            return f"{name} is not a field it shares"
    found = validate.problems(ch.table, ch.fields)
    if found:
        return found[0]
    if ch.fields.get("participant_id", ch.participant_id) != ch.participant_id:
        return "participant_id is not the participant it is filed under"
    return None


def evaluation_problem(rec: dict[str, Any], latest_month: str) -> str | None:
    """Why a pseudonymised evaluation record cannot be kept (its envelope already read);
    ``latest_month``: the latest month its row can have changed in (YYYY-MM)."""
    table = rec.get("table")
    if not isinstance(table, str) or (
        table != WITHDRAWAL and (table not in registry.BY_NAME or table in SKIPPED)
    ):
        raise UnknownKind()
    pid, owner = rec.get("participant_id"), rec.get("owner")
    if not is_pseudonym(rec["id"]):
        return "id is not a pseudonym"
    if not (is_pseudonym(pid) or (pid is None and table in TEAM_ROWS)):
        return "participant is not a pseudonym"
    if owner is not None and not is_pseudonym(owner):
        return "owner is not a pseudonym"
    fields: dict[str, Any] = rec["fields"]
    if (rec["op"] != "upsert" or table == WITHDRAWAL) and fields:
        return "fields are given for a record that holds none"
    changed = rec.get(CHANGED)
    if changed is not None and not _period(changed):
        return "change period is not a month or quarter"
    months = period_months(changed)
    if months is not None and months[0] > latest_month:  # it would win every later bundle
        return "change period is still to come"
    why = _consents(table, rec.get(CONSENTS))
    if why is not None:
        return why
    for name, value in fields.items():
        why = _evaluation_field(table, name, value)
        if why is not None:
            return why
    return None


# no person's consent of one scope is recorded anywhere near this often
MOST_VERSIONS = 1_000_000


def _consents(table: str, given: Any) -> str | None:
    """Whether a record's consent versions (``evaluation.CONSENTS``) fit: a participant's or
    a withdrawal's alone, a whole number of each scope and nothing else (or none at all:
    a laptop older than them)."""
    if given is None:
        return None
    if table not in (registry.PARTICIPANT_TABLE, WITHDRAWAL):
        return "consent versions are given for a record that holds none"
    fits = (
        isinstance(given, dict)
        and set(given) == set(SCOPES)
        and all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MOST_VERSIONS
            for v in given.values()
        )
    )
    return None if fits else "consent versions are not a version number of each scope"


def _evaluation_field(table: str, name: str, value: Any) -> str | None:
    if table == registry.PARTICIPANT_TABLE and name in QUASI_IDENTIFIERS:
        return None if _quasi(name, value) else f"{name} is not a band, decile or period"
    tag = eval_tag(table, name)
    if tag == "keep":
        if name == DELETED:
            return None if isinstance(value, bool) else f"{name} is not a yes/no value"
        return validate.problem(table, name, value)
    if tag == "transform":
        kind = transform_kind(name)
        if kind == "pseudonym":
            return None if value is None or is_pseudonym(value) else f"{name} is not a pseudonym"
        if kind == "period":
            return None if value is None or _period(value) else f"{name} is not a month"
    # dropped columns, and dates of birth or postcodes as they are, never leave a laptop
    return f"{name} is not a field an evaluation record carries"


def _quasi(name: str, value: Any) -> bool:
    if not isinstance(value, str):  # every one is text (and a list is no key of a set)
        return False
    if value == UNKNOWN:
        return True
    if name == "age_band":
        return _AGE_BAND.fullmatch(value) is not None
    if name == "deprivation_decile":
        return value in _DECILES
    if name == "referral_source":
        return value in (registry.BY_NAME["referral"].types["source"].choices or ())
    return _period(value)


def is_pseudonym(value: Any) -> bool:
    return isinstance(value, str) and _PSEUDONYM.fullmatch(value) is not None


def _period(value: Any) -> bool:
    return isinstance(value, str) and _PERIOD.fullmatch(value) is not None
