"""Crypto-shredding: each participant's content on the server is sealed under a key of its own.

Deleting rows cannot reach every copy a database keeps (PostgreSQL's WAL and dead tuples,
backups, replicas), so the server never writes a participant's content in clear. Each
participant gets a random 256-bit key (AES-256-GCM), stored wrapped by the server key,
which lives outside the database (a file made by ``linksdesk-server init``, or an
environment variable; see ``linksdesk.server.config``). Erasure and withdrawal of team
consent delete the participant's wrapped key, and every copy of their content anywhere
becomes unreadable at once.

What stays in clear is what routing needs: ids, participant id, owner, team, clocks,
``server_seq`` and ``deleted`` (columns of their own), plus rows that are kept on purpose
after a withdrawal or erasure (receipts, handover notices, the team consent decision).

A sealed JSON value is stored as ``{"$sealed": "<base64 nonce+ciphertext>", "p": "<pid>"}``,
so a column holds sealed and clear values side by side and an upgrade needs no rewrite.
:class:`Record` ``fields`` are sealed and opened by ORM events, so the sync code reads and
writes them in clear; the change log, stored answers and superseded values are sealed where
they are written (:meth:`Keyring.seal`) and opened where read (:meth:`Keyring.open`).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import re
from collections.abc import Iterable
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, event, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from linksdesk.server.models import ParticipantKey, Record
from linksdesk.sync.protocol import HANDOVER_TABLE, RECEIPT_TABLE

log = logging.getLogger(__name__)

SEALED = "$sealed"
KEY_BYTES = 32
_NONCE = 12
_CHECK = b"linksdesk-server-key-check"


class KeyMismatchError(Exception):
    """The server key cannot open what this database holds (a different key file)."""


class Keyring:
    """The server key and the participant keys one session has used."""

    def __init__(self, server_key: bytes) -> None:
        if len(server_key) != KEY_BYTES:
            raise ValueError("the server key must be 32 bytes")
        self._wrap = AESGCM(server_key)
        self._keys: dict[str, AESGCM | None] = {}

    # - the server key's own check value (kept in server_meta) -
    def check_value(self) -> str:
        nonce = os.urandom(_NONCE)
        return base64.b64encode(nonce + self._wrap.encrypt(nonce, _CHECK, None)).decode()

    def matches(self, check: str) -> bool:
        raw = base64.b64decode(check)
        try:
            return self._wrap.decrypt(raw[:_NONCE], raw[_NONCE:], None) == _CHECK
        except InvalidTag:
            return False

    # - participant keys -
    def _key(self, s: Session, pid: str, team_id: str | None) -> AESGCM | None:
        """The participant's key; made (and stored wrapped) when ``team_id`` is given."""
        if pid in self._keys:
            known = self._keys[pid]
            if known is not None or team_id is None:
                return known
            row = None  # known to have none (looked up, or destroyed): make one
        else:
            with s.no_autoflush:  # a look-up, not a reason to write the session out
                row = s.get(ParticipantKey, pid)
        key: AESGCM | None
        if row is not None:
            key = self._unwrap(pid, row.wrapped)
        elif team_id is not None:
            raw = AESGCM.generate_key(bit_length=256)
            nonce = os.urandom(_NONCE)
            wrapped = nonce + self._wrap.encrypt(nonce, raw, pid.encode())
            s.add(ParticipantKey(participant_id=pid, team_id=team_id, wrapped=wrapped))
            key = AESGCM(raw)
        else:
            key = None
        self._keys[pid] = key
        return key

    def preload(self, s: Session, pids: Iterable[str | None]) -> None:
        """Load the keys of many participants in one query (a pull page, a push batch)."""
        wanted = {p for p in pids if p is not None and p not in self._keys}
        if not wanted:
            return
        found: dict[str, bytes] = {
            pid: wrapped
            for pid, wrapped in s.execute(  # plain columns: no ORM object per key
                select(ParticipantKey.participant_id, ParticipantKey.wrapped).where(
                    ParticipantKey.participant_id.in_(wanted)
                )
            )
        }
        for pid in wanted:
            wrapped = found.get(pid)
            self._keys[pid] = None if wrapped is None else self._unwrap(pid, wrapped)

    def _unwrap(self, pid: str, wrapped: bytes) -> AESGCM:
        try:
            raw = self._wrap.decrypt(wrapped[:_NONCE], wrapped[_NONCE:], pid.encode())
        except InvalidTag as exc:
            raise KeyMismatchError(
                "The server key does not open this database's keys: start the server "
                "with the key file made by `linksdesk-server init` for this database."
            ) from exc
        return AESGCM(raw)

    def seal(self, s: Session, pid: str, team_id: str, value: Any) -> dict[str, str]:
        """``value`` (JSON) sealed under the participant's key, made if they have none."""
        return self.seal_text(s, pid, team_id, json_text(value))

    def seal_text(self, s: Session, pid: str, team_id: str, plain: bytes) -> dict[str, str]:
        """:meth:`seal` for a value whose compact UTF-8 JSON text the caller already has
        (a change's ``model_dump_json``: not made into a dict only to be dumped again)."""
        key = self._key(s, pid, team_id)
        assert key is not None
        nonce = os.urandom(_NONCE)
        sealed = base64.b64encode(nonce + key.encrypt(nonce, plain, pid.encode())).decode()
        return {SEALED: sealed, "p": pid}

    def open(self, s: Session, value: Any) -> Any:
        """A stored JSON value in clear; None when its participant's key was destroyed."""
        if not is_sealed(value):
            return value
        plain = self.open_text(s, str(value["p"]), value[SEALED])
        return None if plain is None else json.loads(plain)

    def open_text(self, s: Session, pid: str, sealed: str) -> bytes | None:
        """The JSON text sealed in ``sealed`` (compact UTF-8) as it was sealed, not decoded,
        for a caller that hands it on as it is (a pull page); None when the participant's
        key was destroyed."""
        key = self._key(s, pid, None)
        if key is None:
            return None
        raw = binascii.a2b_base64(sealed)
        try:
            return key.decrypt(raw[:_NONCE], raw[_NONCE:], pid.encode())
        except InvalidTag as exc:
            raise KeyMismatchError("A sealed value does not open with its key.") from exc

    def destroy(self, s: Session, pid: str, team_id: str) -> None:
        """Shred: delete the participant's wrapped key; their sealed content is gone."""
        s.flush()
        s.execute(
            delete(ParticipantKey).where(
                ParticipantKey.participant_id == pid, ParticipantKey.team_id == team_id
            )
        )
        self._keys[pid] = None
        log.info("participant key destroyed for %s", pid)


def json_text(value: Any) -> bytes:
    """``value`` as the compact UTF-8 JSON text a sealed value holds."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and SEALED in value and "p" in value


_SEALED_HEAD = f'{{"{SEALED}": "'
_SEALED_MIDDLE = '", "p": "'


def sealed_parts(text: str) -> tuple[str, str] | None:
    """``(participant id, sealed text)`` read straight from a stored sealed value's JSON
    text as the database's JSON serializer writes it (``{"$sealed": "…", "p": "…"}``);
    None for any other text, which the caller decodes as JSON instead. With no backslash
    in it, no string in the text holds an escape, so this shape reads as JSON would."""
    if not (text.startswith(_SEALED_HEAD) and text.endswith('"}')) or "\\" in text:
        return None
    middle = text.find('"', len(_SEALED_HEAD))
    start = middle + len(_SEALED_MIDDLE)
    if middle < 0 or start > len(text) - 2 or not text.startswith(_SEALED_MIDDLE, middle):
        return None
    pid = text[start:-2]
    if '"' in pid:
        return None
    return pid, text[len(_SEALED_HEAD) : middle]


# what a sealed value's two strings hold (base64 text, a participant id): nothing to escape
_B64_TEXT = re.compile(r"[A-Za-z0-9+/=]*")
_ID_TEXT = re.compile(r"[A-Za-z0-9-]*")


class StoredJson(str):
    """JSON text already made by :func:`stored_json` (or joined from such texts as
    ``json.dumps`` joins them): stored as it is."""


def stored_json(value: Any) -> str:
    """``value`` as the text a JSON column stores it: SQLAlchemy's serializer's
    (``json.dumps``), byte for byte, made without it for a sealed value, whose shape
    :func:`sealed_parts` reads back (a third of the cost of dumping it, per row)."""
    if type(value) is StoredJson:
        return value
    if (
        type(value) is dict
        and len(value) == 2
        and type(sealed := value.get(SEALED)) is str
        and type(pid := value.get("p")) is str
        and next(iter(value)) == SEALED
        and _B64_TEXT.fullmatch(sealed)
        and _ID_TEXT.fullmatch(pid)
    ):
        return f'{_SEALED_HEAD}{sealed}{_SEALED_MIDDLE}{pid}"}}'
    return json.dumps(value)


def keyring_of(s: Session) -> Keyring:
    """The keyring of a session made by :class:`linksdesk.server.db.Database`."""
    ring = s.info.get("keyring")
    if ring is None:
        source = s.info.get("keys")
        if source is None:
            raise RuntimeError("this session was not made by linksdesk.server.db.Database")
        ring = s.info["keyring"] = Keyring(source())
    assert isinstance(ring, Keyring)
    return ring


def routes_content(table: str, participant_id: str | None) -> bool:
    """Whether rows of ``table`` about ``participant_id`` carry the participant's content."""
    return participant_id is not None and table not in (RECEIPT_TABLE, HANDOVER_TABLE)


# -- Record.fields: sealed on the way in, opened on the way out ---------------------------
@event.listens_for(Record, "load")
def _on_load(target: Record, context: Any) -> None:
    _open_fields(target, context.session)


@event.listens_for(Record, "refresh")
def _on_refresh(target: Record, context: Any, attrs: Any) -> None:
    if attrs is None or "fields" in attrs:
        _open_fields(target, context.session)


def _open_fields(target: Record, s: Session | None) -> None:
    stored = target.__dict__.get("fields")
    if s is None or not is_sealed(stored) or "keys" not in s.info:
        return  # clear, or a session without the server key (left sealed)
    opened = keyring_of(s).open(s, stored)
    set_committed_value(target, "fields", opened if opened is not None else {})


@event.listens_for(Session, "before_flush")
def _seal_records(s: Session, _context: Any, _instances: Any) -> None:
    if "keys" not in s.info:
        return  # not a server session
    stash: list[tuple[Record, dict[str, Any]]] = s.info.setdefault("_clear_fields", [])
    for obj in list(s.new) + list(s.dirty):
        if not isinstance(obj, Record) or not routes_content(obj.table_name, obj.participant_id):
            continue
        if is_sealed(obj.fields):
            continue
        if obj not in s.new and not inspect(obj).attrs.fields.history.has_changes():
            continue
        clear = obj.fields
        assert obj.participant_id is not None
        obj.fields = keyring_of(s).seal(s, obj.participant_id, obj.team_id, clear)
        stash.append((obj, clear))


@event.listens_for(Session, "after_flush_postexec")
def _restore_clear(s: Session, _context: Any) -> None:
    stash = s.info.pop("_clear_fields", None)
    for obj, clear in stash or []:
        set_committed_value(obj, "fields", clear)


def seal_existing(s: Session) -> int:
    """Seal what a server before sealing kept in clear about shared participants.

    Run by ``init`` after an upgrade; what is already sealed, and what is kept in clear on
    purpose (receipts, handover notices, a withdrawn participant's consent decision), is
    left alone. Returns how many rows were sealed.
    """
    from linksdesk.server.models import ChangeLog, ParticipantAccess, SupersededValue

    shared = set(s.scalars(select(ParticipantAccess.participant_id).distinct()))
    ring = keyring_of(s)
    done = 0
    # the stored values as they are (a column query: no load event opens them)
    clear = [
        (table, row_id)
        for table, row_id, pid, stored in s.execute(
            select(Record.table_name, Record.row_id, Record.participant_id, Record.fields).where(
                Record.participant_id.in_(shared)
            )
        )
        if routes_content(table, pid) and not is_sealed(stored)
    ]
    for key in clear:
        rec = s.get(Record, key)
        assert rec is not None
        flag_modified(rec, "fields")  # sealed on the way out by _seal_records
        done += 1
    for entry in s.scalars(select(ChangeLog).where(ChangeLog.participant_id.in_(shared))):
        if is_sealed(entry.payload) or entry.payload.get("op") == "erase":
            continue
        if routes_content(entry.table_name, entry.participant_id):
            assert entry.participant_id is not None
            entry.payload = ring.seal(s, entry.participant_id, entry.team_id, entry.payload)
            done += 1
    for lost in s.scalars(
        select(SupersededValue).where(SupersededValue.participant_id.in_(shared))
    ):
        if lost.participant_id is not None and not is_sealed(lost.value):
            team = s.scalar(
                select(ParticipantAccess.team_id).where(
                    ParticipantAccess.participant_id == lost.participant_id
                )
            )
            lost.value = ring.seal(s, lost.participant_id, str(team), lost.value)
            done += 1
    s.flush()
    if done:
        log.info("sealed %d rows kept in clear by an older server", done)
    return done
