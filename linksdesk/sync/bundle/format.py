"""The bundle file: one age file holding a signed manifest and the records, plus a .minisig.

Inside the age encryption (X25519, one or more recipients) the plaintext is::

    LINKSDESK-BUNDLE 1
    <manifest: one line of JSON>
    <the sender's Ed25519 signature over the manifest line, base64>
    <records: JSON lines in the sync change format>

Format 2 writes the records' per-field clocks in the compact wire form of protocol 3
(``linksdesk.sync.protocol.compact_clocks``); format 1 bundles, whose clocks are written out
in full, are still read (the change model takes both forms).

The manifest binds the bundle id, sender (with its public key), recipients, team, kind,
period, created, expiry, per-table counts and the SHA-256 of the records, so nothing can be
swapped or cut off unnoticed. Beside the file, ``BUNDLE.age.minisig`` is a detached
signature the standard ``minisign -V`` tool checks before anyone decrypts. Used by devices
and the server alike, so this module imports only core, ``pyrage`` and ``cryptography``.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NotRequired, TypedDict, Unpack

import pyrage
from pyrage import x25519

from linksdesk.core import files
from linksdesk.core.changes import ERASE_OP
from linksdesk.core.errors import EnvironmentProblem, UserError
from linksdesk.core.hlc import BUNDLE_LEEWAY_MS
from linksdesk.core.ids import uuid7
from linksdesk.sync.bundle.signing import (
    DetachedSignature,
    PublicKey,
    SignatureError,
    SigningKey,
)

MAGIC = b"LINKSDESK-BUNDLE 1\n"
FORMAT = 2
READABLE_FORMATS = (1, 2)
KINDS = ("supervision", "evaluation")
DEFAULT_VALID_DAYS = 30
# how far ahead of the importing computer's clock a bundle (and its rows' clocks) may be
LEEWAY = dt.timedelta(milliseconds=BUNDLE_LEEWAY_MS)
SIG_SUFFIX = ".minisig"

# how making or importing a bundle reports progress: (stage, done, total)
Progress = Callable[[str, int, int], None]


class BundleRefused(UserError):
    """A bundle that must not be imported; the message says why in plain words."""


class Damaged(BundleRefused):
    """The file's bytes are not the bundle's (cut short, or changed): it cannot be opened."""


class NotForThisVault(BundleRefused):
    """The bundle is encrypted to another supervisor's key: this vault cannot open it."""


# a file cut short (a USB stick pulled out before the copy finished) or damaged on the way
INCOMPLETE = (
    "The bundle file is incomplete or damaged (a copy cut short, perhaps: a USB stick taken "
    "out before copying finished). Copy it again from the sender, with its .minisig file "
    "beside it. Nothing was imported."
)
# a file as long as the one signed (or longer) that is not it: no copy cut short does that
CHANGED = (
    "The bundle file is not the one its sender signed: it was changed after it was made "
    "(damaged on the way, or altered), though it was not cut short. Do not use it: ask the "
    "sender for a new copy, and tell your programme administrator if it happens again. "
    "Nothing was imported."
)
# a whole file beside another bundle's .minisig (renamed, or the wrong one copied): copying
# the file again will not help, nor is anything altered
ANOTHER_BUNDLES_SIGNATURE = (
    "The signature file beside this bundle, {signature}, is the signature of another bundle, "
    "not of this one: the bundle file was renamed, or another bundle's .minisig was copied "
    "beside it. Copy this bundle again together with its own .minisig file (the one made "
    "with it, under the same name). Nothing was imported."
)
_SIGNED_SIZE = re.compile(r" size (\d+)(?: |$)")
_SIGNED_BUNDLE = re.compile(r"^linksdesk bundle (\S+) ")


def signed_bundle(trusted_comment: str) -> str | None:
    """The id of the bundle a signature was made for, from its trusted comment (every
    LinksDesk bundle's signature names it)."""
    found = _SIGNED_BUNDLE.match(trusted_comment)
    return found.group(1) if found else None


def signed_size(trusted_comment: str) -> int | None:
    """The length of the bundle file as signed, from its signature's trusted comment (bundles
    of this version say it; older ones do not)."""
    found = _SIGNED_SIZE.search(trusted_comment)
    return int(found.group(1)) if found else None


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def parse_period(text: str | None) -> tuple[str, str] | None:
    """``2026-04..2026-09`` as (first month, last month), both YYYY-MM."""
    if not text:
        return None
    bad = UserError("A period looks like 2026-04..2026-09 (first and last month).")
    parts = text.split("..")
    if len(parts) != 2:
        raise bad
    try:
        first, last = (dt.date.fromisoformat(f"{p.strip()}-01") for p in parts)
    except ValueError:
        raise bad from None
    if last < first:
        raise UserError("The period's last month comes before its first.")
    return first.strftime("%Y-%m"), last.strftime("%Y-%m")


def manifest_period(manifest: dict[str, Any]) -> tuple[str, str] | None:
    """The months a bundle covered, as its manifest says ([first, last], YYYY-MM, as
    :func:`seal` writes them); None: the whole caseload. Anything else is refused: the
    vault keeps the period, and its reports say what the bundle covered."""
    period = manifest.get("period")
    if period is None:
        return None
    bad = BundleRefused(
        "The bundle's manifest names its period in a way LinksDesk does not write. Nothing "
        "was imported; ask the sender for a new bundle."
    )
    if not (isinstance(period, list) and all(isinstance(p, str) for p in period)):
        raise bad
    try:
        parsed = parse_period("..".join(period))
    except UserError:
        raise bad from None
    if parsed is None or list(parsed) != period:
        raise bad
    return parsed


def ledger_period(manifest: dict[str, Any]) -> dict[str, str | None]:
    """The ledger's columns of a (checked) manifest's period."""
    period = manifest_period(manifest)
    return {"period_first": period[0] if period else None,
            "period_last": period[1] if period else None}  # fmt: skip


SYNCED_MAX = 10_000  # workers a team's manifest may name (far more than any team has)


def manifest_synced(manifest: dict[str, Any]) -> dict[str, str] | None:
    """When each worker last finished a sync, as a whole-team supervision bundle from the
    server says (``server.bundles.last_synced``): worker id -> the time in UTC, ISO without
    its zone, as the ledger keeps times. None when the manifest does not say (a bundle from
    an older server). Refused whole when it is not as the server writes it, or in a bundle
    that must not carry it: a laptop's, one made with a period, or an evaluation bundle
    (whose workers are pseudonyms: a worker's sync times would name them)."""
    synced = manifest.get("synced")
    if synced is None:
        return None
    bad = BundleRefused(
        "The bundle's manifest says when the team's workers last synced in a way LinksDesk's "
        "server does not write. Nothing was imported; ask for a new bundle, and tell your "
        "programme administrator."
    )
    sender = manifest.get("sender")
    whole_team = (
        manifest.get("kind") == "supervision"
        and manifest.get("period") is None
        and isinstance(sender, dict)
        and sender.get("kind") == "server"
    )
    if not whole_team or not isinstance(synced, dict) or len(synced) > SYNCED_MAX:
        raise bad
    out: dict[str, str] = {}
    for worker, when in synced.items():
        if not (_text_or_none(worker, _MAX_ID) and isinstance(when, str) and len(when) <= 40):
            raise bad
        try:
            parsed = dt.datetime.fromisoformat(when)
        except ValueError:
            raise bad from None
        if parsed.tzinfo is None:
            raise bad
        out[worker] = parsed.astimezone(dt.UTC).replace(tzinfo=None).isoformat()
    return out


def open_in_period(period: tuple[str, str] | None, opened: object, closed: object) -> bool:
    """Whether a case (opened, closed: ISO dates or None) was open at some time in the
    period's whole months; with no period, every case counts."""
    if period is None:
        return True
    last = dt.date.fromisoformat(f"{period[1]}-01")
    end = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1).isoformat()
    if opened and str(opened)[:10] >= end:
        return False
    return not closed or str(closed)[:10] >= f"{period[0]}-01"


class NotARecipient(UserError):
    """A supervisor's key (age1…) that is not one: cut short, or something else pasted.
    The message is the command line's; a window says it in its own words (``given``)."""

    def __init__(self, given: str) -> None:
        self.given = given
        super().__init__(
            f"{given[:20]!r} is not an age recipient (it starts with age1). Ask the "
            "supervisor for the line `linksdesk keys show` prints."
        )


def check_recipient(text: str) -> str:
    try:
        x25519.Recipient.from_str(text.strip())
    except (pyrage.RecipientError, ValueError):
        raise NotARecipient(text.strip()) from None
    return text.strip()


# -- the sender ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sender:
    kind: str  # "device" or "server"
    label: str
    worker_id: str | None
    device_id: str | None
    team_id: str | None

    def as_manifest(self, key: PublicKey) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "worker_id": self.worker_id,
            "device_id": self.device_id,
            "team_id": self.team_id,
            "fingerprint": key.fingerprint,
            "public_key": key.line,
        }


def erase_record(
    change_id: str, participant_id: str, hlc: str, origin: str, owner: str
) -> dict[str, Any]:
    """The record of a participant's erasure, as sync pulls it: purge them everywhere."""
    return {
        "change_id": change_id,
        "table": "participant",
        "row_id": participant_id,
        "op": ERASE_OP,
        "hlc": hlc,
        "origin": origin,
        "owner": owner,
        "participant_id": participant_id,
        "sharing": "team",
        "participant_shared": None,
        "fields": {},
        "base": {},
        "field_hlc": {},
    }


@dataclass(frozen=True)
class Sealed:
    data: bytes  # the .age file
    signature: str  # the .minisig text
    manifest: dict[str, Any]

    def write(self, out: Path) -> tuple[Path, Path]:
        """Write the bundle and its signature beside it; never over an existing file.

        Each is written whole or not at all (``core.files``); a bundle whose signature could
        not be written is taken away again, as it could not be imported without it."""
        sig_path = Path(f"{out}{SIG_SUFFIX}")
        for p in (out, sig_path):
            if p.exists():
                raise UserError(f"{p} already exists; choose another file name.")
        files.write_whole(out, self.data, what="The bundle")
        try:
            files.write_whole(sig_path, self.signature.encode(), what="The bundle")
        except BaseException:
            with contextlib.suppress(OSError):
                out.unlink()  # written by this call a moment ago: nobody's work
            raise
        return out, sig_path


def records_bytes(records: Iterable[dict[str, Any]]) -> tuple[bytes, dict[str, int]]:
    counts: dict[str, int] = {}
    lines = []
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for rec in records:
        table = str(rec.get("table"))
        counts[table] = counts.get(table, 0) + 1
        lines.append(dumps(rec))
    lines.append("")
    return "\n".join(lines).encode(), counts


class BundleOrder(TypedDict):
    """What a bundle is asked for, on a laptop or on the server: the keyword arguments every
    maker of a bundle takes and hands on to :func:`seal`."""

    kind: str
    recipients: list[str]
    period: NotRequired[tuple[str, str] | None]
    valid_days: NotRequired[int]
    now: NotRequired[dt.datetime | None]


def seal(
    records: Iterable[dict[str, Any]],
    *,
    sender: Sender,
    key: SigningKey,
    extra: dict[str, Any] | None = None,
    **order: Unpack[BundleOrder],
) -> Sealed:
    """Encrypt and sign ``records`` into a bundle (nothing is written to disk here)."""
    kind, recipients, period = order["kind"], order["recipients"], order.get("period")
    if kind not in KINDS:
        raise UserError(f"A bundle is of kind {' or '.join(KINDS)}.")
    if not recipients:
        raise UserError("Name at least one supervisor's key to send the bundle to (--to).")
    recipients = [check_recipient(r) for r in recipients]
    payload, counts = records_bytes(records)
    created = order.get("now") or now_utc()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "bundle_id": uuid7(),
        "kind": kind,
        "sender": sender.as_manifest(key.public),
        "recipients": sorted(set(recipients)),
        "team_id": sender.team_id,
        "period": list(period) if period else None,
        "created": created.isoformat(),
        "expires": (
            created + dt.timedelta(days=order.get("valid_days", DEFAULT_VALID_DAYS))
        ).isoformat(),
        "counts": counts,
        "records": sum(counts.values()),
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
        **(extra or {}),
    }
    manifest_line = canonical(manifest)
    inner_sig = key.sign(manifest_line)
    plain = b"".join((MAGIC, manifest_line, b"\n", base64.b64encode(inner_sig), b"\n", payload))
    parsed = [x25519.Recipient.from_str(r) for r in manifest["recipients"]]
    data = pyrage.encrypt(plain, parsed)
    comment = (
        f"linksdesk bundle {manifest['bundle_id']} kind {kind} "
        f"expires {manifest['expires']} signer {key.public.fingerprint} size {len(data)}"
    )
    return Sealed(data, key.sign_detached(data, comment), manifest)


# -- opening ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Opened:
    manifest: dict[str, Any]
    manifest_line: bytes
    inner_signature: bytes
    payload: bytes

    @property
    def sender_key(self) -> PublicKey:
        try:
            return PublicKey.from_line(str(self.manifest["sender"]["public_key"]))
        except (KeyError, TypeError):
            raise BundleRefused("The bundle's manifest names no sender key.") from None

    def records(self) -> Iterator[dict[str, Any]]:
        for line in self.payload.splitlines():
            if line:
                yield json.loads(line)


def read_file(path: Path) -> bytes:
    """A bundle or roster file's bytes, or a plain message why it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"There is no file {path}.") from None
    except OSError as exc:
        raise EnvironmentProblem(f"{path} could not be read ({exc.strerror}).") from None


AGE_HEADER = b"age-encryption.org/v1\n"  # how every age-encrypted file begins


def require_bundle(path: Path, data: bytes) -> None:
    """Refuse, in words, a file that is no bundle at all (a photo, a document, the
    signature chosen instead of the bundle) before its signature file is looked for."""
    if data.startswith(AGE_HEADER):
        return
    if path.name.endswith(SIG_SUFFIX):
        raise BundleRefused(
            f"{path.name} is the bundle's signature file. Choose the bundle itself, "
            f"{path.name[: -len(SIG_SUFFIX)]}, beside it. Nothing was imported."
        )
    raise BundleRefused(
        f"{path.name} is not a LinksDesk bundle. Choose the bundle file: its name ends in "
        ".age, and its .minisig file is beside it. Nothing was imported."
    )


def read_signature(path: Path) -> DetachedSignature:
    sig_path = Path(f"{path}{SIG_SUFFIX}")
    try:
        text = sig_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BundleRefused(
            f"The signature file {sig_path.name} is missing beside the bundle; copy both "
            "files together. Nothing was imported."
        ) from None
    except (OSError, UnicodeDecodeError):
        raise BundleRefused(f"The signature file {sig_path.name} cannot be read.") from None
    try:
        return DetachedSignature.parse(text)
    except SignatureError as exc:
        raise BundleRefused(f"{exc} Nothing was imported.") from None


def decrypt(data: bytes, identity: str) -> Opened:
    """Decrypt in memory and split the plaintext; raises BundleRefused in plain words."""
    try:
        ident = x25519.Identity.from_str(identity)
    except (pyrage.IdentityError, ValueError):
        raise BundleRefused("This vault's bundle key is unreadable.") from None
    try:
        plain = pyrage.decrypt(data, [ident])
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise NotForThisVault(
                "This bundle was not made for this vault's key (it was sent to another "
                "supervisor): it cannot be opened here. Nothing was imported."
            ) from None
        raise Damaged(INCOMPLETE) from None
    if not plain.startswith(MAGIC):
        raise BundleRefused("That file is not a LinksDesk bundle. Nothing was imported.")
    rest = plain[len(MAGIC) :]
    try:
        manifest_line, sig_line, payload = rest.split(b"\n", 2)
        manifest = json.loads(manifest_line)
        inner = base64.b64decode(sig_line, validate=True)
    except (ValueError, RecursionError):  # (JSON nested deeper than the decoder goes)
        raise BundleRefused("The bundle's manifest is damaged. Nothing was imported.") from None
    if not isinstance(manifest, dict) or manifest.get("format") not in READABLE_FORMATS:
        raise BundleRefused(
            "This bundle was made by another version of LinksDesk; update LinksDesk."
        )
    return Opened(manifest, manifest_line, inner, payload)


def parse_time(text: object) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(str(text))
    except ValueError:
        raise BundleRefused("The bundle's manifest has no valid dates.") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


SENDER_KINDS = ("device", "server")
_MAX_ID = 64  # characters of a worker, device or team id (a device id is the longest)
_MAX_LABEL = 100  # characters of a sender's label (a laptop's is "laptop <device id>")
DAMAGED_SENDER = (
    "The bundle's manifest does not say plainly who sent it (a laptop and its worker, or the "
    "programme's server). Nothing was imported; ask the sender for a new bundle, and tell "
    "your programme administrator."
)


def check_sender(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest's sender as LinksDesk writes one (:meth:`Sender.as_manifest`): a laptop
    naming its worker, or the server; every id and its label text of a sane length, and the
    manifest's team too. Raises BundleRefused otherwise: the vault keeps these (the signer
    it trusts, the ledger), and each check that keeps a laptop to its own worker's caseload
    reads them (a sender of another kind, or of no worker, would pass none)."""
    sender = manifest.get("sender")
    if not isinstance(sender, dict) or sender.get("kind") not in SENDER_KINDS:
        raise BundleRefused(DAMAGED_SENDER)
    ids = [sender.get(name) for name in ("worker_id", "device_id", "team_id")]
    fits = (
        all(isinstance(sender.get(name), str) for name in ("fingerprint", "public_key"))
        and all(_text_or_none(v, _MAX_ID) for v in [*ids, manifest.get("team_id")])
        and _text_or_none(sender.get("label"), _MAX_LABEL)
    )
    if not fits or (sender["kind"] == "device" and not sender.get("worker_id")):
        raise BundleRefused(DAMAGED_SENDER)
    return sender


def _text_or_none(value: object, limit: int) -> bool:
    return value is None or (isinstance(value, str) and 0 < len(value) <= limit)


def verify_opened(
    opened: Opened,
    *,
    key: PublicKey,
    recipient: str,
    now: dt.datetime | None = None,
) -> None:
    """Inner signature, recipient, expiry and payload hash; raise BundleRefused if any fails."""
    m = opened.manifest
    if not key.verify(opened.inner_signature, opened.manifest_line):
        raise BundleRefused(
            "The bundle's manifest does not match its sender's signature. Nothing was imported."
        )
    if key.line != check_sender(m)["public_key"]:
        raise BundleRefused("The bundle was signed by another key than its sender's.")
    if recipient not in (m.get("recipients") or []):
        raise BundleRefused(
            "This bundle was not addressed to this vault's key. Nothing was imported."
        )
    current = now or now_utc()
    expires = parse_time(m.get("expires"))
    if current > expires:
        raise BundleRefused(
            f"This bundle expired on {expires:%Y-%m-%d}; ask for a new one. Nothing was imported."
        )
    if parse_time(m.get("created")) > current + LEEWAY:
        raise BundleRefused("This bundle says it was made in the future; it was not imported.")
    if hashlib.sha256(opened.payload).hexdigest() != m.get("payload_sha256"):
        raise BundleRefused(
            "The bundle's records do not match its manifest (cut short or changed). Nothing "
            "was imported."
        )
    try:
        uuid.UUID(str(m.get("bundle_id")))
    except ValueError:
        raise BundleRefused("The bundle's manifest has no valid id.") from None
    if m.get("kind") not in KINDS:
        raise BundleRefused("The bundle is of a kind this LinksDesk does not know.")


# -- the roster: a team's signers, signed by the server ----------------------------------------
ROSTER_FORMAT = 1


def sign_roster(
    signers: list[dict[str, Any]],
    *,
    team_id: str,
    team: str,
    key: SigningKey,
    now: dt.datetime | None = None,
    programme: str | None = None,
) -> dict[str, Any]:
    body = {
        "format": ROSTER_FORMAT,
        "team_id": team_id,
        "team": team,
        "programme": programme,  # the programme key's id (sync.bundle.programme)
        "made": (now or dt.datetime.now(dt.UTC)).isoformat(),  # to the microsecond: ordered
        "server": {"fingerprint": key.public.fingerprint, "public_key": key.public.line},
        "signers": signers,
    }
    return {"roster": body, "signature": base64.b64encode(key.sign(canonical(body))).decode()}


def roster_server_key(doc: object) -> PublicKey:
    try:
        return PublicKey.from_line(str(doc["roster"]["server"]["public_key"]))  # type: ignore[index]
    except (KeyError, TypeError, SignatureError):
        raise BundleRefused("The roster is damaged: it names no server key.") from None


def verify_roster(doc: object, key: PublicKey) -> dict[str, Any]:
    """The roster's body if ``key`` signed it; raises BundleRefused otherwise."""
    try:
        body = doc["roster"]  # type: ignore[index]
        signature = base64.b64decode(str(doc["signature"]), validate=True)  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        raise BundleRefused("The roster is damaged.") from None
    if not isinstance(body, dict) or not key.verify(signature, canonical(body)):
        raise BundleRefused("The roster does not match the server's signature; not used.")
    _check_roster(body)
    return body


# what each of a roster's laptops must say, and what it may (text, or left out)
ROSTER_ENTRY_TEXT = ("fingerprint", "public_key", "worker_id", "device_id")
ROSTER_ENTRY_MAY = ("label", "role")


def _check_roster(body: dict[str, Any]) -> None:
    """A roster the server signed, but not as it writes them (another version, a fault):
    refused whole, before anything of it is used."""
    damaged = BundleRefused(
        "The roster is not laid out as LinksDesk's server writes them; nothing of it was "
        "used. Ask the programme administrator for the team's roster again."
    )
    entries = body.get("signers")
    if not all(isinstance(body.get(f), str) for f in ("team_id", "made")):
        raise damaged
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise damaged
    for entry in entries:
        if not all(isinstance(entry.get(f), str) for f in ROSTER_ENTRY_TEXT):
            raise damaged
        if not all(isinstance(entry.get(f), str | None) for f in ROSTER_ENTRY_MAY):
            raise damaged
        try:
            laptop = PublicKey.from_line(entry["public_key"])
        except SignatureError:
            raise damaged from None
        if laptop.fingerprint != entry["fingerprint"]:
            raise damaged
