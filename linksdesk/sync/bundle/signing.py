"""Ed25519 signing keys and signatures in minisign's formats, so the standard tool checks them.

A public key line is base64 of ``"Ed" + key id (8 bytes) + key (32 bytes)``; the fingerprint
people compare by phone is the key id as 16 hex digits, as ``minisign`` prints it. A detached
signature is prehashed (algorithm ``ED``: Ed25519 over the BLAKE2b-512 of the file), and its
global signature covers the signature and the trusted comment, so neither can be changed.
Imports only the standard library and ``cryptography`` (the server uses it too).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from linksdesk.core.errors import UserError

PUBLIC_ALG = b"Ed"
PREHASHED_ALG = b"ED"
KEY_ID_BYTES = 8


class SignatureError(UserError):
    """A signature or key that does not check out (always a plain message)."""


def fingerprint_of(key_id: bytes) -> str:
    """The key id as minisign prints it: 16 hex digits of the little-endian number."""
    return f"{int.from_bytes(key_id, 'little'):016X}"


def normalise_fingerprint(text: str) -> str:
    cleaned = text.strip().replace(" ", "").replace(":", "").upper()
    if len(cleaned) != 16 or any(c not in "0123456789ABCDEF" for c in cleaned):
        raise SignatureError(
            "A fingerprint is 16 hexadecimal digits, as `linksdesk keys show` prints it."
        )
    return cleaned


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes
    raw: bytes  # 32 bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.key_id)

    @property
    def line(self) -> str:
        """minisign's public key line (it starts with ``RW``)."""
        return base64.b64encode(PUBLIC_ALG + self.key_id + self.raw).decode()

    def file_text(self) -> str:
        """A public key file ``minisign -V -p FILE`` reads."""
        return f"untrusted comment: minisign public key {self.fingerprint}\n{self.line}\n"

    @classmethod
    def from_line(cls, line: str) -> PublicKey:
        try:
            data = base64.b64decode(line.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise SignatureError("That is not a minisign public key.") from None
        if len(data) != 2 + KEY_ID_BYTES + 32 or data[:2] != PUBLIC_ALG:
            raise SignatureError("That is not a minisign Ed25519 public key.")
        return cls(data[2 : 2 + KEY_ID_BYTES], data[2 + KEY_ID_BYTES :])

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class SigningKey:
    """A private Ed25519 key with its minisign key id (kept inside a vault or the server db)."""

    seed: bytes  # 32 bytes
    key_id: bytes  # 8 bytes

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(os.urandom(32), os.urandom(KEY_ID_BYTES))

    def to_json(self) -> dict[str, str]:
        return {"seed": self.seed.hex(), "key_id": self.key_id.hex()}

    @classmethod
    def from_json(cls, value: object) -> SigningKey:
        if not isinstance(value, dict):
            raise SignatureError("The stored signing key is unreadable.")
        try:
            seed, key_id = bytes.fromhex(value["seed"]), bytes.fromhex(value["key_id"])
        except (KeyError, TypeError, ValueError):
            raise SignatureError("The stored signing key is unreadable.") from None
        if len(seed) != 32 or len(key_id) != KEY_ID_BYTES:
            raise SignatureError("The stored signing key is unreadable.")
        return cls(seed, key_id)

    def _private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def public(self) -> PublicKey:
        raw = self._private().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PublicKey(self.key_id, raw)

    def sign(self, message: bytes) -> bytes:
        return self._private().sign(message)

    def sign_detached(self, data: bytes, trusted_comment: str, untrusted: str = "") -> str:
        """A ``.minisig`` file's text for ``data`` (prehashed, as minisign makes by default)."""
        if "\n" in trusted_comment or "\r" in trusted_comment:
            raise ValueError("a trusted comment is one line")
        signature = self.sign(hashlib.blake2b(data, digest_size=64).digest())
        global_sig = self.sign(signature + trusted_comment.encode())
        untrusted = untrusted or f"signature from LinksDesk key {self.public.fingerprint}"
        return (
            f"untrusted comment: {untrusted}\n"
            f"{base64.b64encode(PREHASHED_ALG + self.key_id + signature).decode()}\n"
            f"trusted comment: {trusted_comment}\n"
            f"{base64.b64encode(global_sig).decode()}\n"
        )


@dataclass(frozen=True)
class DetachedSignature:
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes
    prehashed: bool

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.key_id)

    @classmethod
    def parse(cls, text: str) -> DetachedSignature:
        bad = SignatureError("The signature file is damaged or is not a minisign signature.")
        lines = text.splitlines()
        if len(lines) < 4 or not lines[0].startswith("untrusted comment:"):
            raise bad
        if not lines[2].startswith("trusted comment: "):
            raise bad
        try:
            sig = base64.b64decode(lines[1].strip(), validate=True)
            global_sig = base64.b64decode(lines[3].strip(), validate=True)
        except (binascii.Error, ValueError):
            raise bad from None
        if len(sig) != 2 + KEY_ID_BYTES + 64 or len(global_sig) != 64:
            raise bad
        if sig[:2] not in (PUBLIC_ALG, PREHASHED_ALG):
            raise bad
        return cls(
            key_id=sig[2 : 2 + KEY_ID_BYTES],
            signature=sig[2 + KEY_ID_BYTES :],
            trusted_comment=lines[2][len("trusted comment: ") :],
            global_signature=global_sig,
            prehashed=sig[:2] == PREHASHED_ALG,
        )

    def comment_vouched(self, key: PublicKey) -> bool:
        """Whether ``key`` signed this trusted comment (whatever became of the file)."""
        return key.key_id == self.key_id and key.verify(
            self.global_signature, self.signature + self.trusted_comment.encode()
        )

    def verify(self, data: bytes, key: PublicKey) -> None:
        """Raise SignatureError unless ``key`` signed ``data`` and this trusted comment."""
        if key.key_id != self.key_id:
            raise SignatureError("The signature was made with another key.")
        message = hashlib.blake2b(data, digest_size=64).digest() if self.prehashed else data
        if not key.verify(self.signature, message):
            raise SignatureError(
                "The file does not match its signature: it was changed or damaged after it "
                "was signed."
            )
        if not key.verify(self.global_signature, self.signature + self.trusted_comment.encode()):
            raise SignatureError("The signature's trusted comment was changed after signing.")
