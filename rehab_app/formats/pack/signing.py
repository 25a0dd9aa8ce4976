"""Ed25519 signatures over a canonical manifest, and fingerprints a person can read out.

Bytes only: where a key is kept (0600 in the data folder) is the services' business.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIGNED_FORMAT = 1


@dataclass(frozen=True)
class Signer:
    """Who signed a pack, as far as the key says: the raw public key and its fingerprint."""

    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    @property
    def public_key_text(self) -> str:
        return base64.b64encode(self.public_key).decode("ascii")


def fingerprint(public_key: bytes) -> str:
    """`3F9A-12C4-88D0-7B1E-0C55`: 80 bits of SHA-256, short enough to read over the phone."""
    digest = hashlib.sha256(public_key).hexdigest()[:20].upper()
    return "-".join(digest[index : index + 4] for index in range(0, 20, 4))


def canonical_manifest(
    pack_id: str, version: int, created: datetime, members: Mapping[str, str]
) -> str:
    """The exact text that is signed: sorted-key JSON without spaces (docs/pack-format.md)."""
    document = {
        "created": created.isoformat(),
        "members": dict(sorted(members.items())),
        "pack_id": pack_id,
        "signed_format": SIGNED_FORMAT,
        "version": version,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_to_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def private_key_from_pem(data: bytes) -> Ed25519PrivateKey:
    """ValueError when `data` is not an unencrypted Ed25519 key."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (TypeError, ValueError) as error:
        raise ValueError(f"not a readable private key: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the key is not an Ed25519 key")
    return key


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def sign(key: Ed25519PrivateKey, text: str) -> str:
    return base64.b64encode(key.sign(text.encode("utf-8"))).decode("ascii")


def verify(public_key_b64: str, signed_text: str, signature_b64: str) -> Signer:
    """The signer when `signature_b64` is a valid signature of `signed_text`; ValueError if not."""
    try:
        raw_key = base64.b64decode(public_key_b64, validate=True)
        raw_signature = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("the key or signature is not valid base64") from error
    if len(raw_key) != 32 or len(raw_signature) != 64:
        raise ValueError("the key or signature has the wrong length for Ed25519")
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(
            raw_signature, signed_text.encode("utf-8")
        )
    except (InvalidSignature, ValueError) as error:
        raise ValueError("the signature does not match the pack's contents") from error
    return Signer(raw_key)
