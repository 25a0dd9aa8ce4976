"""Packs, therapist side: the signing key and building a pack from a source folder.

The key is made on the first export and kept as `signing_key.pem` (0600) in the therapist's
data folder; losing it only means the next pack is signed by a new key, which the patient's
app will flag, so it is never sent anywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rehab_app import __version__
from rehab_app.core.errors import RehabError
from rehab_app.formats.pack.signing import (
    fingerprint,
    new_private_key,
    private_key_from_pem,
    private_key_to_pem,
    public_bytes,
)
from rehab_app.formats.pack.writer import BuiltPack, build_pack
from rehab_app.services.catalog import Library
from rehab_app.storage.files import atomic_write, ensure_private_folder

KEY_FILE = "signing_key.pem"


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_FILE


def signing_key(data_dir: Path, create: bool = True) -> Ed25519PrivateKey | None:
    """The therapist's key from the data folder, made (0600) on first use when `create`."""
    path = key_path(data_dir)
    if path.exists():
        try:
            return private_key_from_pem(path.read_bytes())
        except (OSError, ValueError) as error:
            raise RehabError(
                f"The signing key {path} cannot be used: {error}. Move it aside to make a new"
                " one (patients will then be told the key changed)."
            ) from error
    if not create:
        return None
    key = new_private_key()
    ensure_private_folder(data_dir)
    atomic_write(path, private_key_to_pem(key))
    return key


def key_fingerprint(data_dir: Path) -> str | None:
    """The fingerprint to read out over the phone, or None before the first export."""
    key = signing_key(data_dir, create=False)
    return fingerprint(public_bytes(key)) if key else None


def build(
    source: Path,
    output: Path,
    library: Library,
    data_dir: Path | None,
    now: datetime | None = None,
) -> BuiltPack:
    """Build and sign `source` into `output` with the data folder's key (None: unsigned)."""
    key = signing_key(data_dir) if data_dir is not None else None
    created = (now or datetime.now(UTC)).replace(microsecond=0)
    return build_pack(source, output, key, created, library.built_in(), __version__)
