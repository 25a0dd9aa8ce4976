"""(Re)generates the corpus of hostile `.rehabpack` files in this folder.

    cd /work/main && .venv/bin/python tests/data/bad_packs/make_bad_packs.py

Every case starts from one of the example pack sources in `exercises/packs/` and breaks exactly
one thing, so the reader must refuse it for that one reason (tests/unit/test_pack_corpus.py
holds the expected reason of each case). The archives are written with raw `zipfile` plus a
little byte patching, so they can hold what the pack builder never writes: hostile names,
symlinks, lying headers, foreign compression, encrypted flags.

The output is deterministic: fixed member order, dates and attributes, pictures made by hand
with `zlib` (not an image library), and a fixed, test-only Ed25519 key (Ed25519 signatures are
deterministic). Files that are no longer a case are removed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import stat
import struct
import sys
import tomllib
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from rehab_app.formats.pack.signing import canonical_manifest, public_bytes, sign  # noqa: E402

SOURCES = ROOT / "exercises" / "packs"
SUFFIX = ".rehabpack"
CREATED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
#: A key for this corpus only; it signs nothing anyone should trust.
KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"rehab_app bad pack corpus").digest())
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
REGULAR = stat.S_IFREG | 0o644
MIB = 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One member as it is written, including what the builder never writes."""

    name: str
    data: bytes
    compress_type: int = zipfile.ZIP_DEFLATED
    mode: int = REGULAR  # the Unix mode in the high 16 bits of external_attr
    dos_attr: int = 0  # the low bits of external_attr (0x10: MS-DOS folder)


# -- building blocks -----------------------------------------------------------------------


def source(name: str) -> dict[str, bytes]:
    """The members of an example pack source, with `created` filled in as `pack build` does."""
    folder = SOURCES / name
    members = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.parts)
    }
    created = f"created = {CREATED.isoformat()}\n".encode()
    members["manifest.toml"] = created + members["manifest.toml"]
    return members


def sciatica() -> dict[str, bytes]:
    return source("early_sciatica")


def strengthening() -> dict[str, bytes]:
    return source("strengthening")


def entries(members: Mapping[str, bytes]) -> list[Entry]:
    """The members in the builder's order, pictures stored and text deflated."""
    first = [name for name in ("manifest.toml", "plan.toml") if name in members]
    rest = sorted(name for name in members if name not in first and name != "signature")
    last = ["signature"] if "signature" in members else []
    return [
        Entry(
            name,
            members[name],
            zipfile.ZIP_STORED if name.startswith("media/") else zipfile.ZIP_DEFLATED,
        )
        for name in first + rest + last
    ]


def zip_bytes(items: Iterable[Entry]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name" is the point
        with zipfile.ZipFile(buffer, "w") as archive:
            for entry in items:
                info = zipfile.ZipInfo(entry.name, date_time=ZIP_DATE)
                info.create_system = 3  # Unix, so the mode bits mean what they say
                info.compress_type = entry.compress_type
                info.external_attr = (entry.mode << 16) | entry.dos_attr
                archive.writestr(info, entry.data)
    return buffer.getvalue()


def pack(members: Mapping[str, bytes], *extra: Entry) -> bytes:
    return zip_bytes([*entries(members), *extra])


def signature_member(
    members: Mapping[str, bytes],
    *,
    version: int = 1,
    signed: str | None = None,
) -> bytes:
    """The `signature` member over `members` (docs/pack-format.md), made independently here."""
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    pack_id = tomllib.loads(members["manifest.toml"].decode())["pack_id"]
    text = signed if signed is not None else canonical_manifest(pack_id, version, CREATED, hashes)
    public_key = base64.b64encode(public_bytes(KEY)).decode()
    return (
        "format_version = 1\n"
        'algorithm = "ed25519"\n'
        f'public_key = "{public_key}"\n'
        f"signed = {json.dumps(text)}\n"
        f'signature = "{sign(KEY, text)}"\n'
    ).encode()


def signed(members: Mapping[str, bytes]) -> dict[str, bytes]:
    return {**members, "signature": signature_member(members)}


def central_entries(data: bytes) -> Iterable[tuple[int, str]]:
    """(offset of the central directory header, member name) for every member."""
    end = data.rfind(b"PK\x05\x06")
    count, _size, offset = struct.unpack_from("<HII", data, end + 10)
    for _ in range(count):
        assert data[offset : offset + 4] == b"PK\x01\x02"
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, offset + 28)
        name = data[offset + 46 : offset + 46 + name_length].decode("utf-8")
        yield offset, name
        offset += 46 + name_length + extra_length + comment_length


def patch(
    data: bytes,
    member: str,
    *,
    flags: int = 0,
    compress_size: int | None = None,
    version_needed: int | None = None,
) -> bytes:
    """Change one member's flags (local and central headers), its claimed compressed size or
    the zip version its central header says is needed to extract it.
    """
    out = bytearray(data)
    for offset, name in central_entries(data):
        if name != member:
            continue
        if flags:
            struct.pack_into(
                "<H", out, offset + 8, struct.unpack_from("<H", out, offset + 8)[0] | flags
            )
            local = struct.unpack_from("<I", out, offset + 42)[0]
            struct.pack_into(
                "<H", out, local + 6, struct.unpack_from("<H", out, local + 6)[0] | flags
            )
        if compress_size is not None:
            struct.pack_into("<I", out, offset + 20, compress_size)
        if version_needed is not None:
            struct.pack_into("<H", out, offset + 6, version_needed)
        return bytes(out)
    raise KeyError(member)


def png(width: int, height: int, rows: bytes, bit_depth: int = 8, colour: int = 2) -> bytes:
    """A PNG written by hand: signature, IHDR, one IDAT, IEND."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def tiny_png() -> bytes:
    """A valid 1 x 1 green RGB picture."""
    return png(1, 1, b"\x00\x00\xff\x00")


def noise(length: int) -> bytes:
    blocks = (hashlib.sha256(b"noise %d" % index).digest() for index in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def replace(members: Mapping[str, bytes], name: str, old: bytes, new: bytes) -> dict[str, bytes]:
    assert old in members[name], (name, old)
    return {**members, name: members[name].replace(old, new, 1)}


# -- the cases -----------------------------------------------------------------------------


def member_names() -> dict[str, bytes]:
    base = sciatica()
    return {
        "name_dotdot": pack(base, Entry("../../.bashrc", b"echo owned\n")),
        "name_absolute": pack(base, Entry("/etc/x", b"x\n")),
        "name_drive": pack(base, Entry("C:/x", b"x\n")),
        "name_backslash": pack(base, Entry("media\\x.png", tiny_png(), zipfile.ZIP_STORED)),
        "name_control_character": pack(base, Entry("media/a\x07.png", tiny_png())),
        "duplicate_exact": pack(base, Entry("plan.toml", base["plan.toml"])),
        # No two names the layout allows differ only by case or normalisation, so the
        # look-alike is refused as outside the layout (layout.folded is tested directly).
        "duplicate_case_folded": pack(base, Entry("Plan.toml", base["plan.toml"])),
        "duplicate_unicode_normalised": pack(
            base,
            Entry("media/caf\u00e9.png", tiny_png(), zipfile.ZIP_STORED),  # NFC
            Entry("media/cafe\u0301.png", tiny_png(), zipfile.ZIP_STORED),  # NFD
        ),
        "outside_layout_readme": pack(base, Entry("readme.txt", b"Hello\n")),
        "outside_layout_subfolder": pack(base, Entry("exercises/sub/x.toml", b"id = 'x'\n")),
        "svg_picture": pack(
            base, Entry("media/x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>\n')
        ),
    }


def member_kinds() -> dict[str, bytes]:
    base = sciatica()
    plan = base["plan.toml"]
    without_plan = {name: data for name, data in base.items() if name != "plan.toml"}
    encrypted = pack(base)
    return {
        "symlink": pack(base, Entry("media/link.png", b"/etc/passwd", mode=stat.S_IFLNK | 0o777)),
        "directory": pack(base, Entry("exercises/", b"", mode=stat.S_IFDIR | 0o755, dos_attr=0x10)),
        "directory_with_file_name": pack(
            base, Entry("media/folder.png", b"", mode=stat.S_IFDIR | 0o755, dos_attr=0x10)
        ),
        "directory_dos_bit": pack(base, Entry("media/dos.png", tiny_png(), mode=0, dos_attr=0x10)),
        "fifo": pack(base, Entry("media/fifo.png", tiny_png(), mode=stat.S_IFIFO | 0o644)),
        "encrypted": patch(encrypted, "plan.toml", flags=0x1),
        "compression_bzip2": pack(without_plan, Entry("plan.toml", plan, zipfile.ZIP_BZIP2)),
        "compression_lzma": pack(without_plan, Entry("plan.toml", plan, zipfile.ZIP_LZMA)),
        "nested_zip": pack(
            base,
            Entry("media/x.png", zip_bytes([Entry("inner.toml", b"x = 1\n")]), zipfile.ZIP_STORED),
        ),
    }


def sizes() -> dict[str, bytes]:
    base = sciatica()
    big = strengthening()
    picture = big["media/sit_to_stand.png"]
    many = dict(base)
    for index in range(501 - len(many)):
        many[f"media/p{index:03d}.png"] = b""
    # The zeros member is first and claims 24 KB of compressed data, more than its 2 KB:
    # the rest of the archive really is that long, so zipfile reads on happily, and a
    # reader that trusted the header would see a ratio under 100:1.
    lie = zip_bytes(
        [Entry("media/zeros.png", bytes(2 * MIB)), *entries(big)],
    )
    copies = {f"media/copy_{index}.png": picture for index in range(1, 5)}
    return {
        "too_many_members": pack(many),
        # 100 MB of zeros deflate to about 100 KB: the size in the header is refused first.
        "member_over_100mb": pack(base, Entry("media/big.png", bytes(100 * MIB + 1))),
        # Needs the test to lower limits.MAX_TOTAL_BYTES: 500 MB that respect the 100:1
        # ratio cannot be stored in less than 5 MB.
        "total_over_limit": pack({**big, **copies}),
        "ratio_over_100": pack(base, Entry("media/zeros.png", bytes(10 * MIB))),
        "compressed_size_lie": patch(lie, "media/zeros.png", compress_size=24 * 1024),
        # 300 KB of comment lines: valid TOML, but over the 256 KB a text member may have.
        "manifest_over_256kb": pack(
            {**base, "manifest.toml": base["manifest.toml"] + (b"#" * 1023 + b"\n") * 300}
        ),
    }


def pictures() -> dict[str, bytes]:
    base = strengthening()
    picture = base["media/sit_to_stand.png"]
    # 5000 x 5000 one-bit grey: 3 MB of pixels that deflate to a few KB.
    huge = png(5000, 5000, (b"\x00" + bytes(625)) * 5000, bit_depth=1, colour=0)
    return {
        "image_too_large": pack({**base, "media/huge.png": huge}),
        "image_truncated": pack({**base, "media/broken.png": picture[: len(picture) // 2]}),
        "image_random_bytes": pack({**base, "media/noise.png": noise(2000)}),
        "image_wrong_type": pack({**base, "media/photo.jpg": tiny_png()}),
    }


def content() -> dict[str, bytes]:
    base = sciatica()
    big = strengthening()
    clash = big["exercises/sit_to_stand.toml"].replace(
        b'id = "sit_to_stand"', b'id = "bird_dog"', 1
    )
    return {
        "manifest_missing": pack({"plan.toml": base["plan.toml"]}),
        "manifest_not_utf8": pack(
            replace(base, "manifest.toml", b'author = "', b'author = "\xe9\xe9 ')
        ),
        "manifest_not_toml": pack(replace(base, "manifest.toml", b"version = 1", b"version = ")),
        "manifest_unknown_key": pack(
            replace(base, "manifest.toml", b"version = 1\n", b'version = 1\nhomepage = "x"\n')
        ),
        "manifest_out_of_range": pack(
            replace(base, "manifest.toml", b"green_max = 3", b"green_max = 11")
        ),
        "manifest_title_too_long": pack(
            replace(base, "manifest.toml", b'title = "', b'title = "' + b"x" * 500)
        ),
        "plan_out_of_range": pack(replace(base, "plan.toml", b"sets = 1\n", b"sets = 99\n")),
        "plan_note_too_long": pack(
            replace(base, "plan.toml", b'note = "', b'note = "' + b"y" * 600)
        ),
        "format_version_2": pack(
            replace(base, "manifest.toml", b"format_version = 1", b"format_version = 2")
        ),
        "min_app_version_99": pack(
            replace(
                base, "manifest.toml", b'min_app_version = "0.1.0"', b'min_app_version = "99.0.0"'
            )
        ),
        "exercise_clashes_with_built_in": pack({**big, "exercises/bird_dog.toml": clash}),
        "plan_unknown_exercise": pack(
            replace(
                base,
                "plan.toml",
                b'exercise_id = "sciatic_nerve_slider_supine"',
                b'exercise_id = "no_such_exercise"',
            )
        ),
    }


def signatures() -> dict[str, bytes]:
    base = sciatica()
    good = signed(base)
    value = good["signature"].split(b'signature = "')[1][:1]
    flipped = b"B" if value != b"B" else b"C"
    with_extra = {**base, "media/extra.png": tiny_png()}
    created = CREATED.isoformat()
    as_pairs = (
        f'{{"created":"{created}","members":[[1,"x"],["zzz","y"]],'
        '"pack_id":"early-sciatica","signed_format":1,"version":1}'
    )
    return {
        "signature_bad": pack(
            {
                **good,
                "signature": good["signature"].replace(
                    b'signature = "' + value, b'signature = "' + flipped
                ),
            }
        ),
        "signed_member_changed": pack(
            {**good, "plan.toml": good["plan.toml"] + b"# changed after signing\n"}
        ),
        "signed_member_added": pack({**good, "media/extra.png": tiny_png()}),
        "signed_member_removed": pack({**base, "signature": signature_member(with_extra)}),
        "signed_version_differs": pack({**base, "signature": signature_member(base, version=2)}),
        "signed_members_not_a_table": pack(
            {**base, "signature": signature_member(base, signed=as_pairs)}
        ),
        "signed_text_nested_deeply": pack(
            {**base, "signature": signature_member(base, signed="[" * 5_000 + "]" * 5_000)}
        ),
    }


def files() -> dict[str, bytes]:
    whole = pack(signed(sciatica()))
    return {
        "not_a_zip": b"This is a letter, not a pack.\n",
        "empty": b"",
        "truncated_zip": whole[: len(whole) * 2 // 3],
        # zipfile itself refuses ZIP 6.8 (NotImplementedError), before the reader's checks.
        "zip_version_too_new": patch(whole, "plan.toml", version_needed=68),
    }


GROUPS: tuple[Callable[[], dict[str, bytes]], ...] = (
    member_names,
    member_kinds,
    sizes,
    pictures,
    content,
    signatures,
    files,
)


def build_all() -> dict[str, bytes]:
    cases: dict[str, bytes] = {}
    for group in GROUPS:
        made = group()
        assert not set(made) & set(cases), set(made) & set(cases)
        cases.update(made)
    return cases


def main() -> None:
    cases = build_all()
    for stale in HERE.glob(f"*{SUFFIX}"):
        if stale.stem not in cases:
            stale.unlink()
    total = 0
    for name, data in sorted(cases.items()):
        target = HERE / f"{name}{SUFFIX}"
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
        total += len(data)
    print(f"{len(cases)} bad packs, {total / 1024:.0f} KB, in {HERE}")


if __name__ == "__main__":
    main()
