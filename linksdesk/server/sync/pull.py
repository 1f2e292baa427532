"""Pull: the change log in server_seq order, filtered to what the device may see."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from linksdesk.server.db import Database
from linksdesk.server.errors import CursorAhead
from linksdesk.server.models import ChangeLog
from linksdesk.server.sealing import (
    SEALED,
    Keyring,
    is_sealed,
    json_text,
    keyring_of,
    sealed_parts,
)
from linksdesk.server.sync.context import DeviceContext
from linksdesk.server.sync.handshake import programme_settings, server_meta
from linksdesk.server.sync.visibility import log_visible, not_own_echo
from linksdesk.sync.protocol import PullRequest, PullResponse, ServerChange

# A logged change's JSON text (``log_entry``: the change dumped in the model's field order,
# compact, and sealed as such) is already the change as a pull answers it, less the
# ``server_seq`` that ends it, whenever it carries no per-field clocks (their wire form is
# recomputed by the model), no number of its own (an older server kept one) and no float
# with a small exponent (Python writes ``1e-07`` where the model writes ``1e-7``; every
# other float, string and number is written alike by both). Such text goes out as it is;
# any other goes through the model as before, so the page is byte for byte the model's.
_AS_LOGGED_HEAD = b'{"change_id":"'
_AS_LOGGED_TAIL = b',"base":{},"field_hlc":{}}'
_OWN_NUMBER = b'"server_seq"'
_SMALL_EXPONENT = b"e-0"


# -- pull and verify ------------------------------------------------------------------------
def pull(db: Database, ctx: DeviceContext, req: PullRequest) -> PullResponse:
    """The page after ``req.cursor`` as the device reads it (for callers in process)."""
    return PullResponse.model_validate_json(pull_page(db, ctx, req)[0])


def pull_page(db: Database, ctx: DeviceContext, req: PullRequest) -> tuple[bytes, bool]:
    """The page after ``req.cursor``: :class:`PullResponse` as JSON, the bytes its model
    would write, built from the change log's stored text without a model per change; and
    whether it is the last (nothing more for the device up to the head)."""
    with db.reading(snapshot=True) as s:
        meta = server_meta(s)
        head = meta.seq  # every change numbered up to here has committed
        if req.cursor > head:
            raise CursorAhead()
        visible = [ChangeLog.server_seq > req.cursor, ChangeLog.server_seq <= head]
        if req.own_through:
            visible.append(not_own_echo(ctx, min(req.own_through, head)))
        # plain columns, the payload as the text stored (no ORM object, no JSON decoding)
        rows = s.execute(
            select(ChangeLog.server_seq, cast(ChangeLog.payload, Text))
            .where(*visible, log_visible(ctx))
            .order_by(ChangeLog.server_seq)
            .limit(req.limit + 1)
        ).all()
        has_more = len(rows) > req.limit
        rows = rows[: req.limit]
        stored = [(seq, _stored(text)) for seq, text in rows]
        keyring = keyring_of(s)
        keyring.preload(s, (value[0] for _, value in stored if type(value) is tuple))
        changes = [
            change
            for change in (_change_json(s, keyring, seq, value) for seq, value in stored)
            if change is not None  # a shredded participant's entry (gone in the same commit)
        ]
        # with nothing more for this device up to head, skip past others' rows in one go
        next_cursor = rows[-1].server_seq if has_more else head
        _, version = programme_settings(s, ctx.team_id)
    tail = {
        "next_cursor": next_cursor,
        "has_more": has_more,
        "data_epoch": meta.data_epoch,
        "settings_version": version,
    }
    return b'{"changes":[%s],%s' % (b",".join(changes), json_text(tail)[1:]), not has_more


def _stored(text: str) -> tuple[str, str] | Any:
    """A stored payload: ``(participant id, sealed text)`` when sealed, else its value."""
    parts = sealed_parts(text)
    if parts is not None:
        return parts
    value = json.loads(text)  # written another way (or not sealed): as JSON
    return (str(value["p"]), value[SEALED]) if is_sealed(value) else value


def _change_json(s: Session, keyring: Keyring, seq: int, value: Any) -> bytes | None:
    """One logged change as a pulled :class:`ServerChange` in JSON (numbered ``seq``);
    None when its participant's key was destroyed."""
    text = keyring.open_text(s, *value) if type(value) is tuple else json_text(value)
    if text is None:
        return None
    if (
        text.startswith(_AS_LOGGED_HEAD)
        and text.endswith(_AS_LOGGED_TAIL)
        and _OWN_NUMBER not in text
        and _SMALL_EXPONENT not in text
    ):
        return b'%s,"server_seq":%d}' % (text[:-1], seq)
    # the payload is the change as logged; its number is the row's (an older server kept
    # it in the payload too, the same value)
    change = ServerChange.model_validate({**json.loads(text), "server_seq": seq})
    return change.model_dump_json().encode()
