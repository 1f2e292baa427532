"""Whose bundles a supervisor's vault takes: signers from a server-signed roster, or accepted
by a person who compared a fingerprint, and the end of that trust when the roster says so.

The server's roster is the team's word on its laptops. A newer roster that no longer lists
a laptop (revoked, lost, replaced) ends the trust in its key however it was first accepted:
by an earlier roster, or by a phone call (``--trust``). The key is remembered as ended, so
its bundles are refused with the reason and what to do, even with ``--trust`` again: a phone
call does not outweigh the server. If the server lists the laptop again (re-enrolled), a
newer roster brings it back.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from linksdesk.core.errors import UserError
from linksdesk.core.vocab import AuditAction
from linksdesk.storage.bundle_tables import TrustedSigner
from linksdesk.storage.store import Store
from linksdesk.sync import state
from linksdesk.sync.bundle import keys, programme
from linksdesk.sync.bundle.format import (
    BundleRefused,
    read_file,
    roster_server_key,
    verify_roster,
)
from linksdesk.sync.bundle.signing import PublicKey, SignatureError, normalise_fingerprint

log = logging.getLogger(__name__)

# local_setting: fingerprint → {"team_id", "roster_made"} of each laptop key a newer roster
# left out (its trust ended)
ENDED = "ended_signers"


class UnknownSigner(BundleRefused):
    """Signed by a key this vault does not know: show the fingerprint to compare by phone."""

    may_accept = True  # whether accepting the fingerprint (--trust) can help

    def __init__(self, fingerprint: str, what: str = "bundle") -> None:
        self.fingerprint = fingerprint
        super().__init__(
            f"This {what} is signed by a key this vault does not know: fingerprint "
            f"{grouped(fingerprint)}. Compare it with the sender by phone; if it matches, "
            f"import again and accept it (--trust {fingerprint}). Nothing was imported."
        )


class EndedSigner(UnknownSigner):
    """Signed by a laptop key the team's newer roster no longer lists."""

    may_accept = False

    def __init__(self, fingerprint: str, made: str) -> None:
        self.fingerprint = fingerprint
        when = f" (made {made[:10]})" if made else ""
        BundleRefused.__init__(
            self,
            f"This bundle is signed by a laptop (fingerprint {grouped(fingerprint)}) that the "
            f"team's newer roster from the server{when} no longer lists: the laptop was "
            "revoked or replaced, so its bundles are no longer taken. Nothing was imported. "
            "Ask the worker to make the bundle on a laptop the server lists; if this laptop "
            "should be trusted again, the programme administrator enrols it again and you "
            "import the team's newest roster.",
        )


def grouped(fingerprint: str) -> str:
    return " ".join(fingerprint[i : i + 4] for i in range(0, 16, 4))


def signer(s: Session, fingerprint: str) -> TrustedSigner | None:
    return s.get(TrustedSigner, fingerprint)


def refuse_if_ended(s: Session, fingerprint: str) -> None:
    """Refuse a key whose trust a newer roster ended (with ``--trust`` too)."""
    ended = (state.local_setting(s, ENDED) or {}).get(fingerprint)
    if ended is not None:
        raise EndedSigner(fingerprint, str(ended.get("roster_made") or ""))


def not_a_rostered_workers(s: Session, sender: dict[str, Any]) -> None:
    """A key a person is accepting by its fingerprint may not speak for a worker whose
    laptops the server's roster lists: the roster, not a phone call, says which they are."""
    worker = sender.get("worker_id")
    if sender.get("kind") != "device" or not worker:
        return
    listed = select(TrustedSigner.fingerprint).where(
        TrustedSigner.source == "roster", TrustedSigner.worker_id == str(worker)
    )
    if s.scalar(listed.limit(1)) is not None:
        raise BundleRefused(
            "This bundle says it comes from a laptop of a worker whose laptops the team's "
            "roster lists, and its key is not one of them. Nothing was imported; if the "
            "worker has a new laptop, import the team's newest roster from the server first."
        )


def add_signer(s: Session, key: PublicKey, who: dict[str, Any], *, source: str) -> bool:
    if s.get(TrustedSigner, key.fingerprint) is not None:
        return False
    s.add(
        TrustedSigner(
            fingerprint=key.fingerprint,
            public_key=key.line,
            kind=str(who.get("kind") or "device"),
            worker_id=who.get("worker_id"),
            device_id=who.get("device_id"),
            team_id=who.get("team_id"),
            label=str(who.get("label") or "")[:100] or None,
            source=source,
            added_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        )
    )
    s.flush()
    return True


def learn_roster(s: Session, roster: dict[str, Any]) -> int:
    """Trust the roster's signers; a laptop the team's newer roster no longer names (revoked,
    lost) is no longer trusted, however it was accepted. Returns how many signers are new."""
    team = roster.get("team_id")
    seen_key = f"roster_made:{team}"
    newest = state.local_setting(s, seen_key)
    made = str(roster.get("made") or "")
    if newest is not None and made <= str(newest):
        log.info("a roster of team %s no newer than the last was not used", team)
        return 0
    state.put_local_setting(s, seen_key, made)
    entries = [e for e in roster.get("signers") or [] if isinstance(e, dict)]
    named = {str(e.get("fingerprint")) for e in entries}
    workers = {str(e["worker_id"]) for e in entries if e.get("worker_id")}
    # the team's laptops, and any laptop of a worker the roster lists, that it leaves out
    left_out = select(TrustedSigner.fingerprint).where(
        TrustedSigner.kind == "device",
        TrustedSigner.fingerprint.not_in(named),
        or_(TrustedSigner.team_id == team, TrustedSigner.worker_id.in_(workers)),
    )
    ended = dict(state.local_setting(s, ENDED) or {})
    for fingerprint in s.scalars(left_out).all():
        ended[fingerprint] = {"team_id": team, "roster_made": made}
        log.info("trust in laptop key %s ended: the team's newer roster leaves it out", fingerprint)
    s.execute(delete(TrustedSigner).where(TrustedSigner.fingerprint.in_(set(ended))))
    added = 0
    for entry in entries:
        try:
            key = PublicKey.from_line(str(entry["public_key"]))
        except (KeyError, TypeError, SignatureError):
            continue
        ended.pop(key.fingerprint, None)  # enrolled again: the server lists it once more
        who = {**entry, "kind": "device", "team_id": team}
        added += add_signer(s, key, who, source="roster")
        held = s.get(TrustedSigner, key.fingerprint)
        if held is not None and held.kind == "device" and held.worker_id == who.get("worker_id"):
            # a key a person accepted by phone, which the server now lists too: it is of the
            # roster's programme (sync.bundle.programme places its unnamed bundles by it)
            held.source = "roster"
    state.put_local_setting(s, ENDED, ended)
    return added


def import_roster(store: Store, path: Path, *, trust: str | None = None) -> int:
    """Learn a team's signers from a roster file the server signed; returns how many."""
    try:
        doc = json.loads(read_file(path))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):  # (nested too deep)
        raise BundleRefused("That file is not a LinksDesk roster.") from None
    key = roster_server_key(doc)
    with store.read() as s:
        if not keys.is_supervisor(s):
            raise UserError("Rosters are imported into a supervisor's vault.")
        known = signer(s, key.fingerprint)
    wanted = normalise_fingerprint(trust) if trust else None
    if known is None and wanted != key.fingerprint:
        raise UnknownSigner(key.fingerprint, "roster")
    if known is not None and known.kind != "server":
        raise BundleRefused("A roster must be signed by the programme's server.")
    body = verify_roster(doc, key)
    with store.write() as tx:
        named = programme.check(tx.session, body, what="roster", new_server=known is None)
        programme.bind(tx.session, named)
        if known is None:
            add_signer(
                tx.session,
                key,
                {"kind": "server", "label": "sync server", "team_id": body.get("team_id")},
                source="confirmed",
            )
        added = learn_roster(tx.session, body)
        tx.audit(AuditAction.IMPORT, "roster", str(body.get("team_id") or "")[:36] or None)
    return added
