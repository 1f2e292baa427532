"""The vault's key file: the random data key wrapped under the passphrase and the recovery key.

The key file (``<vault>.key``, next to the vault) is JSON::

    {"format": "linksdesk-keyfile", "version": 1, "vault_id": "<uuid hex>",
     "slots": [{"type": "passphrase", "kdf": {...argon2id params, salt}, "nonce", "wrapped_key"},
               {"type": "recovery", "kdf": {"algorithm": "hkdf-sha256", "salt"}, ...}],
     "mac": "<HMAC-SHA256 keyed from the data key>", "checksum": "sha256:<hex>"}

Three layers of protection, each for a different failure:

- ``checksum`` (SHA-256 of the canonical JSON of everything else) catches accidental damage
  before any expensive key derivation, so a damaged file says "damaged", not "wrong
  passphrase". Every future version keeps this field and its definition.
- each slot's AES-256-GCM wrap uses the vault id, the slot type and the KDF parameters as
  associated data, so a slot cannot be moved to another vault or have its parameters edited.
- ``mac`` authenticates the whole file under a key derived from the data key; it is checked
  after unwrapping and lets ``change_passphrase`` confirm it was given this vault's key.

Key material: Python ``bytes`` are immutable and copied freely by the libraries we call, so
they cannot be reliably zeroed. We keep derived keys local to one function so they are dropped
as soon as it returns, and never log them or put them in exceptions.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from linksdesk.core import files
from linksdesk.core.errors import (
    DiskFullError,
    EnvironmentProblem,
    KeyFileDamagedError,
    KeyFileMissingError,
    ReadOnlyError,
    UserError,
    VaultExistsError,
    VaultFromNewerVersionError,
    WrongPassphraseError,
    WrongRecoveryKeyError,
)
from linksdesk.storage.passphrase import passphrase_bytes, require_long_enough
from linksdesk.storage.recovery_key import new_recovery_key, parse_recovery_key

log = logging.getLogger(__name__)

FORMAT = "linksdesk-keyfile"
VERSION = 1
KDF_PROFILE_ENV = "LINKSDESK_KDF_PROFILE"

_DATA_KEY_BYTES = 32
_SALT_BYTES = 16
_NONCE_BYTES = 12
_WRAPPED_BYTES = _DATA_KEY_BYTES + 16  # AES-GCM appends a 16-byte tag
_MAX_FILE_BYTES = 64 * 1024  # a real key file is under 1 KiB; refuse to parse anything huge

# Bounds on KDF parameters, well above any cost we would choose: a hostile file must not make
# an unlock allocate many gigabytes or run for an hour.
_MAX_TIME_COST = 32
_MAX_MEMORY_KIB = 2 * 1024 * 1024
_MAX_PARALLELISM = 64


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: passes over memory, memory in KiB, and lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int

    def __post_init__(self) -> None:
        for name in ("time_cost", "memory_kib", "parallelism"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"KdfParams.{name} must be an int")
        if not 1 <= self.time_cost <= _MAX_TIME_COST:
            raise ValueError(f"KdfParams.time_cost must be 1..{_MAX_TIME_COST}")
        if not 1 <= self.parallelism <= _MAX_PARALLELISM:
            raise ValueError(f"KdfParams.parallelism must be 1..{_MAX_PARALLELISM}")
        # Argon2 needs at least 8 KiB per lane.
        if not 8 * self.parallelism <= self.memory_kib <= _MAX_MEMORY_KIB:
            raise ValueError("KdfParams.memory_kib out of range for Argon2")


# Measured on the 2-core development machine (argon2-cffi 25.1, benchmarks/kdf.py):
#   time 3 / 256 MiB / 2 lanes: 0.32-0.34 s; time 4 / 256 MiB / 2 lanes: 0.38-0.43 s (chosen)
#   with both cores free. That is 0.84 s of CPU per guess (two lanes), so with one core busy
#   it takes ~0.85 s and on a loaded machine more (1-3.5 s at load average 10; see
#   docs/performance.md, "Key derivation").
# The floor is 0.3 s per guess; we take t=4 so a slightly faster laptop still stays above it.
# 256 MiB per guess also makes GPU and ASIC guessing expensive.
DEFAULT_KDF = KdfParams(time_cost=4, memory_kib=256 * 1024, parallelism=2)
# Tests only (~3 ms). Selected by passing it, or by LINKSDESK_KDF_PROFILE=fast; production
# never sets that variable.
FAST_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)


def kdf_profile() -> KdfParams:
    """The KDF cost for new passphrase slots: FAST only when the test env var asks for it."""
    return FAST_KDF if os.environ.get(KDF_PROFILE_ENV) == "fast" else DEFAULT_KDF


def keyfile_path(vault_path: Path) -> Path:
    """Where the key file of a vault lives: next to it, with ``.key`` appended."""
    vault_path = Path(vault_path)
    return vault_path.with_name(vault_path.name + ".key")


# -- passphrases ------------------------------------------------------------------------------
def derive_passphrase_kek(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    """The key-encryption key for a passphrase slot (Argon2id, 32 bytes)."""
    out = hash_secret_raw(
        secret=passphrase_bytes(passphrase),
        salt=salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=32,
        type=Type.ID,
    )
    return bytes(out)


def _recovery_kek(canonical_key: bytes, salt: bytes) -> bytes:
    # The recovery key is 130 random bits, so guessing it is hopeless however cheap each guess
    # is: a slow KDF would add nothing. HKDF with a per-slot salt just turns it into a key.
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"linksdesk recovery key v1"
    ).derive(canonical_key)


# -- the file model ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Slot:
    type: str  # "passphrase" or "recovery"
    kdf: KdfParams | None  # Argon2id cost for passphrase slots; None for recovery (HKDF)
    salt: bytes
    nonce: bytes
    wrapped_key: bytes

    def kdf_doc(self) -> dict[str, Any]:
        salt = _b64(self.salt)
        if self.kdf is None:
            return {"algorithm": "hkdf-sha256", "salt": salt}
        return {
            "algorithm": "argon2id",
            "time_cost": self.kdf.time_cost,
            "memory_kib": self.kdf.memory_kib,
            "parallelism": self.kdf.parallelism,
            "salt": salt,
        }

    def doc(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "kdf": self.kdf_doc(),
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped_key),
        }


@dataclass(frozen=True)
class _KeyFile:
    vault_id: str
    passphrase: _Slot
    recovery: _Slot
    mac: bytes

    def body(self) -> dict[str, Any]:
        """Everything the MAC covers."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "slots": [self.passphrase.doc(), self.recovery.doc()],
        }


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _checksum(doc: dict[str, Any]) -> str:
    """The damage check over every field but itself (same definition in every version)."""
    rest = {k: v for k, v in doc.items() if k != "checksum"}
    return "sha256:" + hashlib.sha256(_canonical(rest)).hexdigest()


def _slot_ad(vault_id: str, slot_type: str, kdf_doc: dict[str, Any]) -> bytes:
    return _canonical(
        {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": vault_id,
            "type": slot_type,
            "kdf": kdf_doc,
        }
    )


def _mac(data_key: bytes, body: dict[str, Any]) -> bytes:
    mac_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"linksdesk keyfile mac v1"
    ).derive(data_key)
    return hmac.new(mac_key, _canonical(body), hashlib.sha256).digest()


def _wrap(
    vault_id: str, slot_type: str, kdf: KdfParams | None, salt: bytes, kek: bytes, data_key: bytes
) -> _Slot:
    nonce = secrets.token_bytes(_NONCE_BYTES)  # each KEK has a fresh salt, so is used once
    draft = _Slot(slot_type, kdf, salt, nonce, b"")
    wrapped = AESGCM(kek).encrypt(nonce, data_key, _slot_ad(vault_id, slot_type, draft.kdf_doc()))
    return _Slot(slot_type, kdf, salt, nonce, wrapped)


def _unwrap(vault_id: str, slot: _Slot, kek: bytes) -> bytes | None:
    try:
        return AESGCM(kek).decrypt(
            slot.nonce, slot.wrapped_key, _slot_ad(vault_id, slot.type, slot.kdf_doc())
        )
    except InvalidTag:
        return None


def _passphrase_slot(vault_id: str, data_key: bytes, passphrase: str, kdf: KdfParams) -> _Slot:
    salt = secrets.token_bytes(_SALT_BYTES)
    kek = derive_passphrase_kek(passphrase, salt, kdf)
    return _wrap(vault_id, "passphrase", kdf, salt, kek, data_key)


def _sealed(vault_id: str, passphrase: _Slot, recovery: _Slot, data_key: bytes) -> bytes:
    """The file's bytes: body, MAC, then the checksum over both."""
    draft = _KeyFile(vault_id, passphrase, recovery, b"")
    doc = draft.body()
    doc["mac"] = _b64(_mac(data_key, doc))
    doc["checksum"] = _checksum(doc)
    return (json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=True) + "\n").encode("ascii")


# -- reading ----------------------------------------------------------------------------------
class _Malformed(Exception):
    """Internal: the file does not match the format. Becomes KeyFileDamagedError."""


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _Malformed("duplicate key")
        out[k] = v
    return out


def _reject_constant(name: str) -> NoReturn:
    raise _Malformed("non-finite number")


def _require_keys(obj: dict[str, Any], keys: set[str]) -> None:
    if set(obj) != keys:
        raise _Malformed("unexpected or missing fields")


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Malformed("not an integer")
    return value


def _bytes(value: object, *, size: int | None = None, lo: int = 0, hi: int = 0) -> bytes:
    if not isinstance(value, str):
        raise _Malformed("not a string")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as e:
        raise _Malformed("bad base64") from e
    if _b64(raw) != value:
        raise _Malformed("non-canonical base64")
    if (size is not None and len(raw) != size) or (size is None and not lo <= len(raw) <= hi):
        raise _Malformed("wrong length")
    return raw


def _parse_slot(doc: object) -> _Slot:
    if not isinstance(doc, dict):
        raise _Malformed("slot is not an object")
    _require_keys(doc, {"type", "kdf", "nonce", "wrapped_key"})
    kdf_doc = doc["kdf"]
    if not isinstance(kdf_doc, dict):
        raise _Malformed("kdf is not an object")
    slot_type = doc["type"]
    kdf: KdfParams | None
    if slot_type == "passphrase":
        _require_keys(kdf_doc, {"algorithm", "time_cost", "memory_kib", "parallelism", "salt"})
        if kdf_doc["algorithm"] != "argon2id":
            raise _Malformed("unknown kdf")
        try:
            kdf = KdfParams(
                _int(kdf_doc["time_cost"]),
                _int(kdf_doc["memory_kib"]),
                _int(kdf_doc["parallelism"]),
            )
        except ValueError as e:
            raise _Malformed("kdf parameters out of range") from e
    elif slot_type == "recovery":
        _require_keys(kdf_doc, {"algorithm", "salt"})
        if kdf_doc["algorithm"] != "hkdf-sha256":
            raise _Malformed("unknown kdf")
        kdf = None
    else:
        raise _Malformed("unknown slot type")
    return _Slot(
        slot_type,
        kdf,
        _bytes(kdf_doc["salt"], lo=16, hi=64),
        _bytes(doc["nonce"], size=_NONCE_BYTES),
        _bytes(doc["wrapped_key"], size=_WRAPPED_BYTES),
    )


def _parse(raw: bytes) -> _KeyFile:
    try:
        doc = json.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise _Malformed("not JSON") from e
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _Malformed("not a key file")
    if doc.get("checksum") != _checksum(doc):
        raise _Malformed("checksum mismatch")
    version = _int(doc.get("version"))
    if version > VERSION:
        raise VaultFromNewerVersionError()
    if version != VERSION:
        raise _Malformed("unknown version")
    _require_keys(doc, {"format", "version", "vault_id", "slots", "mac", "checksum"})
    vault_id = doc["vault_id"]
    if not isinstance(vault_id, str) or not re.fullmatch(r"[0-9a-f]{32}", vault_id):
        raise _Malformed("bad vault id")
    slots = doc["slots"]
    if not isinstance(slots, list) or len(slots) != 2:
        raise _Malformed("v1 has exactly two slots")
    parsed = {s.type: s for s in map(_parse_slot, slots)}
    if set(parsed) != {"passphrase", "recovery"}:
        raise _Malformed("v1 has one passphrase and one recovery slot")
    return _KeyFile(vault_id, parsed["passphrase"], parsed["recovery"], _bytes(doc["mac"], size=32))


def _read(path: Path) -> _KeyFile:
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(_MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyFileMissingError(str(path)) from None
    except IsADirectoryError:
        raise KeyFileDamagedError(str(path)) from None
    except OSError as e:
        raise EnvironmentProblem(
            f"The key file for this vault could not be read ({path}: {e.strerror}). "
            "Check that you can open files in that folder."
        ) from e
    try:
        if len(raw) > _MAX_FILE_BYTES:
            raise _Malformed("too large")
        return _parse(raw)
    except RecursionError:
        raise KeyFileDamagedError(str(path)) from None
    except _Malformed as e:
        log.warning("key file rejected: %s", e)  # the reason only; never file content
        raise KeyFileDamagedError(str(path)) from None


def _belongs(kf: _KeyFile, data_key: bytes) -> bool:
    """Whether ``data_key`` is this file's key (checked through the file's MAC)."""
    return hmac.compare_digest(kf.mac, _mac(data_key, kf.body()))


# -- writing ----------------------------------------------------------------------------------
def _environment_error(e: OSError, path: Path) -> EnvironmentProblem:
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError()
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyError()
    return EnvironmentProblem(
        f"The key file for this vault could not be saved ({path}: {e.strerror}). "
        "Nothing was changed; try again."
    )


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory; NTFS journals the rename itself
    try:
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as e:
        # The new file is already in place. If the rename is lost in a crash the old file
        # comes back, which still opens the same data key, so nothing is lost.
        log.warning("could not flush the key file's folder: %s", e.strerror)


def _write_atomic(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write ``data`` to ``path`` all-or-nothing; on failure the old file is untouched."""
    with _staged(path, data) as tmp:
        _publish(tmp, path, overwrite=overwrite)


@contextlib.contextmanager
def _staged(path: Path, data: bytes) -> Iterator[Path]:
    """``data`` written and flushed to a hidden file beside ``path`` (taking the disk space
    it needs now); the file is removed again unless the body moved it into place."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        try:
            fd = os.open(
                tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600
            )
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as e:
            raise _environment_error(e, path) from e
        yield tmp
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _publish(tmp: Path, path: Path, *, overwrite: bool) -> None:
    """The staged file takes ``path``'s place (a rename: it needs no more space)."""
    try:
        if overwrite:
            os.replace(tmp, path)
        else:
            _publish_new(tmp, path)
    except OSError as e:
        raise _environment_error(e, path) from e
    _fsync_dir(path.parent)


def _publish_new(tmp: Path, path: Path) -> None:
    """Move ``tmp`` to ``path`` only if nothing is there, without a check-then-write race."""
    try:
        files.publish_new(tmp, path)
    except FileExistsError:
        raise _exists_error(path) from None


def _exists_error(path: Path) -> VaultExistsError:
    vault = path.with_name(path.name.removesuffix(".key")) if path.name.endswith(".key") else path
    return VaultExistsError(str(vault))


# -- public API -------------------------------------------------------------------------------
def create_keyfile(path: Path, passphrase: str, kdf: KdfParams | None = None) -> tuple[bytes, str]:
    """A new key file with a fresh data key; returns (data key, recovery key to show once)."""
    path = Path(path)
    require_long_enough(passphrase)
    if os.path.lexists(path):
        raise _exists_error(path)  # before the costly derivation
    kdf = kdf or kdf_profile()
    vault_id = uuid.UUID(bytes=secrets.token_bytes(16), version=4).hex
    data_key = secrets.token_bytes(_DATA_KEY_BYTES)
    recovery_key = new_recovery_key()
    recovery_salt = secrets.token_bytes(_SALT_BYTES)
    recovery = _wrap(
        vault_id,
        "recovery",
        None,
        recovery_salt,
        _recovery_kek(parse_recovery_key(recovery_key), recovery_salt),
        data_key,
    )
    passphrase_slot = _passphrase_slot(vault_id, data_key, passphrase, kdf)
    _write_atomic(path, _sealed(vault_id, passphrase_slot, recovery, data_key), overwrite=False)
    log.info("key file created for vault %s", vault_id)
    return data_key, recovery_key


def unlock_with_passphrase(path: Path, passphrase: str) -> bytes:
    """The data key, or WrongPassphraseError. Takes one full Argon2id derivation."""
    kf = _read(path)
    assert kf.passphrase.kdf is not None  # the parser guarantees it
    kek = derive_passphrase_kek(passphrase, kf.passphrase.salt, kf.passphrase.kdf)
    data_key = _unwrap(kf.vault_id, kf.passphrase, kek)
    return _opened(path, kf, data_key, "passphrase", WrongPassphraseError())


def unlock_with_recovery_key(path: Path, recovery_key: str) -> bytes:
    """The data key, or WrongRecoveryKeyError.

    A typo (wrong length, a character never used, a failed checksum) raises ValidationError
    with a plain hint instead, before the file is even read: the person should re-check their
    copy rather than conclude they have the wrong key.
    """
    canonical = parse_recovery_key(recovery_key)
    kf = _read(path)
    data_key = _unwrap(kf.vault_id, kf.recovery, _recovery_kek(canonical, kf.recovery.salt))
    return _opened(path, kf, data_key, "recovery key", WrongRecoveryKeyError())


def _opened(path: Path, kf: _KeyFile, data_key: bytes | None, what: str, wrong: UserError) -> bytes:
    """The data key ``what`` (the passphrase, the recovery key) unwrapped; ``wrong`` if it
    did not, KeyFileDamagedError if the key file's MAC does not hold under it."""
    if data_key is None:
        log.info("wrong %s for vault %s", what, kf.vault_id)
        raise wrong
    if not _belongs(kf, data_key):
        log.warning("key file MAC mismatch for vault %s", kf.vault_id)
        raise KeyFileDamagedError(str(path))
    return data_key


def change_passphrase(
    path: Path, data_key: bytes, new_passphrase: str, kdf: KdfParams | None = None
) -> None:
    """Rewrap the data key under a new passphrase, atomically; the recovery slot is kept.

    Also the way to move an old slot onto newer KDF parameters (same passphrase, new kdf).
    """
    with passphrase_changing(path, data_key, new_passphrase, kdf):
        pass


@contextlib.contextmanager
def passphrase_changing(
    path: Path, data_key: bytes, new_passphrase: str, kdf: KdfParams | None = None
) -> Iterator[None]:
    """Change the passphrase only if the body (recording the change) succeeds.

    The new key file is written and flushed beside the old one first, so a full disk fails
    before anything changed; the body runs; only then does the new file take the old one's
    place. If the body raises, the old key file, and the old passphrase, stay as they were.
    """
    path = Path(path)
    require_long_enough(new_passphrase)
    if len(data_key) != _DATA_KEY_BYTES:
        raise ValueError("a data key is 32 bytes")
    kf = _read(path)
    if not _belongs(kf, data_key):
        # A caller bug (another vault's key) or a tampered file: writing would lock the
        # person out, so refuse.
        raise ValueError("the data key does not belong to this key file")
    slot = _passphrase_slot(kf.vault_id, data_key, new_passphrase, kdf or kdf_profile())
    with _staged(path, _sealed(kf.vault_id, slot, kf.recovery, data_key)) as tmp:
        yield
        _publish(tmp, path, overwrite=True)
    log.info("passphrase slot rewrapped for vault %s", kf.vault_id)


def read_vault_id(path: Path) -> str:
    """The vault id (uuid hex) recorded in the key file; checks the file is intact."""
    return _read(path).vault_id


def read_passphrase_kdf(path: Path) -> KdfParams:
    """The KDF cost of the passphrase slot, so the app can upgrade an old slot after unlock."""
    kdf = _read(path).passphrase.kdf
    assert kdf is not None  # the parser guarantees it
    return kdf
