"""Pack pictures: decoded, checked and re-encoded, so only pixels we wrote ourselves are kept.

Re-encoding drops whatever else a file carried (metadata, trailing data, a polyglot payload);
the result is stored under the SHA-256 of its own bytes, never under the name in the pack.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from rehab_app.formats.pack.limits import MAX_IMAGE_SIDE

_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


@dataclass(frozen=True)
class EncodedPicture:
    stored_name: str
    data: bytes
    width: int
    height: int


def reencode(path: Path, member: str) -> EncodedPicture:
    """The picture in `path` (named `member` in the pack), re-encoded; ValueError if unusable."""
    expected = _FORMATS[Path(member).suffix.lower()]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=["PNG", "JPEG"]) as image:
                # The header gives the size before any pixel is decoded (DATA-SAFETY §2.2).
                width, height = image.size
                if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
                    raise ValueError(
                        f"is {width} x {height} pixels; the limit is"
                        f" {MAX_IMAGE_SIDE} x {MAX_IMAGE_SIDE}"
                    )
                # A phone's JPEG often carries more pictures (MPO); the first one is the photo.
                found = "JPEG" if image.format == "MPO" else image.format
                if found != expected:
                    raise ValueError(f"is not a {expected} picture (it is {image.format})")
                image.load()
                upright = ImageOps.exif_transpose(image)  # phone photos keep their orientation
                return _encode(upright, expected)
    except ValueError:
        raise
    except Exception as error:
        # Decoders name the file they read: that is our staging file, not the pack's member.
        reason = str(error).replace(f"'{path}'", "").replace(str(path), "").strip()
        raise ValueError(f"is not a picture that can be opened ({reason})") from error


def _encode(image: Image.Image, kind: str) -> EncodedPicture:
    buffer = io.BytesIO()
    if kind == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        image.save(buffer, format="PNG", compress_level=3)
        suffix = "png"
    else:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(buffer, format="JPEG", quality=90)
        suffix = "jpg"
    data = buffer.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    return EncodedPicture(f"{digest}.{suffix}", data, image.width, image.height)
