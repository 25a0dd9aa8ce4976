"""Property-based fuzzing of the pack reader: whatever the bytes, only `PackError` comes out.

Each test starts from a valid signed pack, built once per module with the real builder and
kept in memory, and mutates it:

* the archive's bytes (flips, inserts, deletes, truncation, copied runs, 16/32-bit values),
  aimed half the time at the zip headers, where a lie is not caught by a CRC;
* one member's bytes, then the zip is rebuilt, so the archive is sound but the content hostile
  (TOML edits with huge numbers, deep nesting and odd Unicode, truncated and lying PNGs);
* member names and attributes (hostile names, duplicates, modes, flags, compression).

The property: `read_pack` returns `PackContents` or raises `PackError` and nothing else (not even
a `PackError` its last-resort handler made from an exception the reader did not expect), and
nothing appears outside the staging folder it was given.

REHAB_FUZZ_EXAMPLES sets the total number of cases across the three tests (default 10,000;
the time limit grows with it). The run is derandomised and keeps no example database: CI is
repeatable and no examples are saved in the repository.

Each case is kept cheap, because reading a pack is mostly parsing TOML and decoding pictures:
the strategies draw one byte tape and one string rather than many small values, the example
plans are cut down to one or two items, the strengthening picture is scaled down to 48 pixels,
and one workspace is reused.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import stat
import struct
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from rehab_app import __version__
from rehab_app.core.exercise import Exercise
from rehab_app.formats.pack.errors import PackError
from rehab_app.formats.pack.reader import PackContents, read_pack
from rehab_app.formats.pack.writer import source_members, with_created, write_members

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "exercises" / "packs"
TODAY = date(2026, 11, 20)
CREATED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

TOTAL_EXAMPLES = int(os.environ.get("REHAB_FUZZ_EXAMPLES", "10000"))
SHARES = {"bytes": 0.5, "names": 0.3, "content": 0.2}

pytestmark = pytest.mark.timeout(max(120, TOTAL_EXAMPLES // 100))

#: What the reader itself writes into staging: streamed pictures and their re-encoded copies.
STAGED_NAME = re.compile(r"incoming-\d+|[0-9a-f]{64}\.(png|jpg)")
PICTURE = "media/sit_to_stand.png"
PICTURE_SIDE = 48  # the example picture, scaled down so decoding it costs little per case


def examples(kind: str) -> int:
    return max(1, round(TOTAL_EXAMPLES * SHARES[kind]))


def fuzz_settings(kind: str) -> settings:
    return settings(
        max_examples=examples(kind),
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# -- the valid packs everything starts from --------------------------------------------------


@dataclass(frozen=True)
class Base:
    small: bytes  # early_sciatica (first phase), signed: manifest, plan and signature
    small_members: dict[str, bytes]  # the members of `small`
    members: dict[str, bytes]  # strengthening (first phase, small picture) and its signature
    hot_spots: tuple[int, ...]  # where the zip headers of `small` start


def example_members(name: str, keep: set[str]) -> dict[str, bytes]:
    """An example pack's members with `created` filled in, its plan cut down to the first
    phase's items for the exercises in `keep`: a smaller plan is parsed faster, every case.
    """
    members = source_members(EXAMPLES / name)
    members["manifest.toml"] = with_created(members["manifest.toml"], CREATED)
    plan = members["plan.toml"]
    second = plan.find(b"\n[[phases]]", plan.find(b"[[phases]]") + 1)
    head, *items = plan[:second].split(b"\n  [[phases.items]]")
    kept = [
        item for item in items if re.findall(rb'exercise_id = "(\w+)"', item)[0].decode() in keep
    ]
    assert len(kept) == len(keep), kept
    members["plan.toml"] = b"\n  [[phases.items]]".join([head, *kept]).rstrip() + b"\n"
    return members


def smaller_picture(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail((PICTURE_SIDE, PICTURE_SIDE))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def built(
    members: Mapping[str, bytes], key: Ed25519PrivateKey, built_in: Mapping[str, Exercise]
) -> bytes:
    """The pack the real builder writes (it also checks it with the reader), as bytes."""
    with tempfile.TemporaryDirectory() as folder:
        pack = write_members(members, Path(folder) / "p.rehabpack", key, built_in, __version__)
        return pack.path.read_bytes()


def make_base(built_in: Mapping[str, Exercise]) -> Base:
    # A fixed key rather than `new_private_key()`: the same pack bytes every run, so a case
    # that fails in CI fails the same way on a laptop.
    key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"rehab_app pack fuzz").digest())
    small = built(example_members("early_sciatica", {"pelvic_tilt"}), key, built_in)
    strengthening = example_members("strengthening", {"bird_dog", "sit_to_stand"})
    strengthening[PICTURE] = smaller_picture(strengthening[PICTURE])
    hot = [match.start() for match in re.finditer(rb"PK(\x03\x04|\x01\x02|\x05\x06)", small)]
    return Base(small, unzipped(small), unzipped(built(strengthening, key, built_in)), tuple(hot))


def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture(scope="module")
def built_in(shipped_library) -> dict[str, Exercise]:  # type: ignore[no-untyped-def]
    return shipped_library.built_in()


@pytest.fixture(scope="module")
def base(built_in: dict[str, Exercise]) -> Base:
    return make_base(built_in)


# -- the property --------------------------------------------------------------------------


class Workspace:
    """The pack, the staging folder and a private temp folder, reused by every example."""

    def __init__(self, root: Path, built_in: Mapping[str, Exercise]) -> None:
        self.root = root
        self.built_in = built_in
        self.pack = root / "fuzz.rehabpack"
        self.staging = root / "staging"
        self.tmp = root / "tmp"
        self.tmp.mkdir()
        self.staging.mkdir(mode=0o700)
        self.outcomes = {"read": 0, "refused": 0}

    def check(self, data: bytes) -> None:
        self.pack.write_bytes(data)
        try:
            try:
                result = read_pack(self.pack, self.staging, self.built_in, TODAY, __version__)
            except PackError as error:
                self._refused(error)
            except KeyboardInterrupt:
                raise
            except BaseException as error:
                pytest.fail(f"{type(error).__name__} escaped read_pack: {error!r}")
            else:
                assert isinstance(result, PackContents)
                self.outcomes["read"] += 1
            self._nothing_outside_staging()
        finally:
            self._empty_staging()

    def _empty_staging(self) -> None:
        """Empty the staging folder for the next case (cheaper than a new one every time)."""
        for entry in os.scandir(self.staging):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)

    def _refused(self, error: PackError) -> None:
        assert error.problems, "a PackError without problems"
        for problem in error.problems:
            # The reader's last resort names the pack itself and the exception's type: an
            # error the reader did not expect, which should be handled where it happens.
            unexpected = problem.source == self.pack.name and problem.message.startswith(
                "cannot be read ("
            )
            assert not unexpected, problem
        self.outcomes["refused"] += 1

    def _nothing_outside_staging(self) -> None:
        names = sorted(path.name for path in self.root.iterdir())
        assert names == ["fuzz.rehabpack", "staging", "tmp"], names
        assert not any(self.tmp.iterdir()), list(self.tmp.iterdir())
        for path in self.staging.iterdir():
            assert STAGED_NAME.fullmatch(path.name), path.name
            assert stat.S_ISREG(path.lstat().st_mode), path.name


RAM_DISK = Path("/dev/shm")


@pytest.fixture
def workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_in: dict[str, Exercise]
) -> Iterator[Workspace]:
    # Every case writes the pack and the reader opens it and writes pictures: on a RAM disk,
    # where there is one, that costs a fraction of what it costs on a virtual machine's disk.
    on_ram = RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK)
    root = Path(tempfile.mkdtemp(prefix="rehab-fuzz-", dir=RAM_DISK)) if on_ram else tmp_path
    space = Workspace(root, built_in)
    # Anything the reader (or a library under it) puts in the temp folder lands where we look.
    monkeypatch.setattr(tempfile, "tempdir", str(space.tmp))
    try:
        yield space
    finally:
        if root != tmp_path:
            shutil.rmtree(root)


def run(test: Callable[[], None], workspace: Workspace, kind: str) -> None:
    """Run a @given test and make sure it really checked its share of the cases."""
    test()
    checked = sum(workspace.outcomes.values())
    assert checked >= examples(kind), workspace.outcomes
    print(f"{kind}: {workspace.outcomes}")  # shown with -s


# -- 1. bytes of the archive ---------------------------------------------------------------

OP_SIZE = 5
WORDS = (0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0x10000, 99)


def mutate_bytes(data: bytes, tape: bytes, hot: tuple[int, ...]) -> bytes:
    """Apply the operations encoded in `tape`, five bytes each: kind, where (2), two arguments.

    A tape shrinks towards zeros, i.e. towards "flip bit 0 of the first byte".
    """
    out = bytearray(data)
    for start in range(0, len(tape) - OP_SIZE + 1, OP_SIZE):
        if not out:
            break
        kind, high, low, first, second = tape[start : start + OP_SIZE]
        if high & 0x80:  # half the time: a field of a zip header (sizes, flags, method, names)
            at = (hot[high % len(hot)] + low % 64) % len(out)
        else:
            at = (high << 8 | low) % len(out)
        kind %= 9
        if kind == 0:
            out[at] ^= 1 << (first % 8)
        elif kind == 1:
            out[at] = first
        elif kind == 2:
            out[at:at] = bytes([first, second])[: 1 + second % 2]
        elif kind == 3:
            del out[at : at + 1 + first]
        elif kind == 4:
            del out[at:]
        elif kind == 5:
            source = (first << 8 | second) % len(out)
            out[at : at + 1 + second] = out[source : source + 1 + second]
        elif kind == 6:
            out[at : at + 4] = struct.pack("<I", WORDS[first % len(WORDS)])
        elif kind == 7:
            out[at : at + 2] = struct.pack("<H", WORDS[first % len(WORDS)] & 0xFFFF)
        else:
            out[at : at + 1 + first % 32] = b""  # a short hole, often inside a header
    return bytes(out)


def test_mutated_archive_bytes(workspace: Workspace, base: Base) -> None:
    @fuzz_settings("bytes")
    @given(tape=st.binary(min_size=OP_SIZE, max_size=6 * OP_SIZE))
    def mutated(tape: bytes) -> None:
        workspace.check(mutate_bytes(base.small, tape, base.hot_spots))

    run(mutated, workspace, "bytes")


# -- 2. hostile content in a sound archive -------------------------------------------------


@dataclass(frozen=True)
class Entry:
    name: str
    data: bytes
    compress_type: int = zipfile.ZIP_DEFLATED
    mode: int = stat.S_IFREG | 0o644
    dos_attr: int = 0


def zip_entries(entries: list[Entry]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are part of the fuzz
        with zipfile.ZipFile(buffer, "w") as archive:
            for entry in entries:
                info = zipfile.ZipInfo(entry.name, date_time=(1980, 1, 1, 0, 0, 0))
                info.create_system = 3
                info.compress_type = entry.compress_type
                info.external_attr = (entry.mode << 16) | entry.dos_attr
                archive.writestr(info, entry.data)
    return buffer.getvalue()


def zip_members(members: Mapping[str, bytes]) -> bytes:
    return zip_entries([Entry(name, data) for name, data in members.items()])


LITERALS = (
    "inf", "-inf", "nan", "1e999", "-0", "0", "-1", "3.5", "0x7fffffffffffffff", "9" * 40,
    str(2**63), str(-(2**63) - 1), "true", "1979-05-27T07:32:00Z", "1979-05-27T07:32:00",
    "07:32:00", "9999-12-31", "0001-01-01", "[]", "{}", "[[]]", "[{}]", '""', "''",
    '"\\u0000"', '"\\u202e"', '"\\ud800"', '"../../etc/passwd"', '"C:\\\\x"', '"media/x.png"',
    '"sit_to_stand.png"', '"bird_dog"', '"sit_to_stand"', '"glute_bridge"', '"affected"',
    "{ times = [25:00:00], weekdays = [0] }", "{ times = [], every_n_days = 0 }",
    "{ times = [08:00:00], every_n_days = 2, weekdays = [1] }", "[1, 1, 1]", "[8, 0]",
    "[" * 400 + "]" * 400, "{ a = " * 200 + "1" + " }" * 200, '"' + "x" * 3000 + '"',
)  # fmt: skip
KEYS = (
    "format_version", "id", "title", "thresholds", "message", "sets", "illustration", "start",
    "phases", "signature", "created", "pack_id", "version", "author", "x", "dosage", "Title",
)  # fmt: skip
HEADERS = ("[thresholds]", "[[phases]]", "[[phases.items]]", "[dosage]", "[x]", "[[x]]")


def toml_value(selector: int, payload: bytes, text: str) -> str:
    """A TOML value to put on the right of `=`: a literal, a number or a string from the draw."""
    kind = selector % 5
    if kind == 0:
        return LITERALS[selector // 5 % len(LITERALS)]
    if kind == 1:  # an integer of any size and sign
        number = int.from_bytes(payload[:16] or b"\x00", "big")
        return str(-number if selector & 0x20 else number)
    if kind == 2:
        return json.dumps(text)  # a basic string, with \\u escapes for anything odd
    if kind == 3:
        return '"' + text.replace("\\", "").replace('"', "") + '"'  # raw Unicode
    return "[" + ", ".join(str(byte - 64) for byte in payload[:20]) + "]"


def edit_toml(data: bytes, selector: int, where: int, payload: bytes, text: str) -> bytes:
    lines = data.split(b"\n")
    index = where % len(lines)
    kind = selector % 6
    value = toml_value(selector // 6, payload, text).encode("utf-8", "surrogatepass")
    if kind in (0, 1) and b"=" in lines[index]:  # a new value for an existing key
        lines[index] = lines[index].split(b"=", 1)[0] + b"= " + value
    elif kind in (0, 1, 2):  # a key of our own
        lines.insert(index, KEYS[selector // 7 % len(KEYS)].encode() + b" = " + value)
    elif kind == 3:
        lines.insert(index, text.encode("utf-8", "surrogatepass"))
    elif kind == 4:
        del lines[index]
    else:
        lines.insert(index, HEADERS[selector // 7 % len(HEADERS)].encode())
    return b"\n".join(lines)


def edit_png(data: bytes, selector: int, where: int, payload: bytes) -> bytes:
    kind = selector % 5
    if kind == 0:
        return data[: where % (len(data) + 1)]
    if kind == 1:
        out = bytearray(data)
        out[where % len(out)] ^= 1 << (selector // 5 % 8)
        return bytes(out)
    if kind == 2:  # a lying IHDR with a correct CRC, so only the size is wrong
        sizes = (0, 1, 4096, 4097, 65535, 2**31 - 1, 2**32 - 1)
        width, height = sizes[selector // 5 % 7], sizes[where % 7]
        body = struct.pack(">II", width, height) + data[24:29]
        return data[:16] + body + struct.pack(">I", zlib.crc32(b"IHDR" + body)) + data[33:]
    if kind == 3:
        magic = (b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"<svg", b"\xff\xd8\xff", b"GIF89a")
        return magic[selector // 5 % len(magic)] + data
    return data + payload


class Tape:
    """Numbers read off one drawn byte string; past its end every number is 0.

    One coarse draw costs Hypothesis far less than many small ones, and a tape still shrinks
    well: towards fewer, smaller bytes.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def number(self, size: int = 2) -> int:
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return int.from_bytes(chunk, "big")

    def rest(self) -> bytes:
        return self.data[self.at :]


TAPES = st.tuples(st.binary(min_size=1, max_size=40), st.text(max_size=24))


def content_case(base: Base, tape: Tape, text: str) -> bytes:
    index, selector, where = tape.number(), tape.number(), tape.number()
    payload = tape.rest()
    # A third of the cases use the small pack, which reads in half the time; the strengthening
    # pack brings an exercise and a picture of its own.
    members = base.small_members if index % 3 == 2 else base.members
    names = sorted(members)
    changed = dict(members)
    if index & 1:  # unsigned: the content is all there is to check
        changed.pop("signature")
        names.remove("signature")
    name = names[index // 2 % len(names)]
    how = index // 64 % 8
    data = changed[name]
    if how < 5 and name.endswith(".png"):
        changed[name] = edit_png(data, selector, where, payload)
    elif how < 5:
        changed[name] = edit_toml(data, selector, where, payload, text)
    elif how == 5:  # bytes replaced somewhere
        at = where % (len(data) + 1)
        changed[name] = data[:at] + payload + data[at + selector % 64 :]
    elif how == 6:
        at = where % (len(data) + 1)
        changed[name] = data[:at] + text.encode("utf-8", "surrogatepass") + data[at:]
    else:
        del changed[name]
    return zip_members(changed)


def test_hostile_member_content(workspace: Workspace, base: Base) -> None:
    @fuzz_settings("content")
    @given(drawn=TAPES)
    def hostile(drawn: tuple[bytes, str]) -> None:
        workspace.check(content_case(base, Tape(drawn[0]), drawn[1]))

    run(hostile, workspace, "content")


# -- 3. hostile names and attributes -------------------------------------------------------

#: Parts of hostile paths; the first ones (what a shrunk tape picks) are the allowed folders.
NAME_PARTS = (
    "media", "exercises", "x.png", "bird_dog.toml", "sit_to_stand.png", "sit_to_stand.toml",
    "MEDIA", "plan.toml", "manifest.toml", "signature", "X.PNG", "x.jpg", "x.jpeg", "x.svg",
    "x.zip", "x.toml", "", ".", "..", "C:", "c:\\x", "\\", "\x00", "\x07", "\u202e",
    "cafe\u0301.png", "caf\u00e9.png", "ｐlan.toml", " ", "x.png ", "con", "~", "$HOME",
)  # fmt: skip
MODES = (
    stat.S_IFREG | 0o644, 0, 0o600, stat.S_IFLNK | 0o777, stat.S_IFDIR | 0o755,
    stat.S_IFIFO | 0o644, stat.S_IFCHR | 0o644, stat.S_IFSOCK | 0o644, 0xFFFF,
)  # fmt: skip
COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


def hostile_name(selector: int, tape: bytes, text: str, known: list[str]) -> str:
    kind = selector % 4
    if kind == 0:  # a path made of suspicious parts
        parts = [NAME_PARTS[byte % len(NAME_PARTS)] for byte in tape[: 1 + selector // 4 % 4]]
        return "/".join(parts or ["media", "x.png"])
    if kind == 1:
        return text
    if kind == 2:  # a name the pack already has: a duplicate
        return known[selector // 4 % len(known)]
    return known[selector // 4 % len(known)] + text  # a near miss


def names_case(members: Mapping[str, bytes], tape: Tape, text: str) -> bytes:
    known = sorted(members)
    entries = [Entry(name, data) for name, data in members.items()]
    changes = [tape.number(3) for _ in range(1 + tape.number(1) % 3)]
    parts = tape.rest()
    for selector in changes:
        index = selector % len(entries)
        entry = entries[index]
        how = selector // 8 % 4
        name = hostile_name(selector // 32, parts, text, known)
        if how < 2:
            entries[index] = Entry(name, entry.data, entry.compress_type, entry.mode)
        elif how == 2:
            entries.insert(selector // 64 % (len(entries) + 1), Entry(name, entry.data))
        else:
            entries[index] = Entry(
                entry.name,
                entry.data,
                COMPRESSION[selector // 32 % len(COMPRESSION)],
                MODES[selector // 128 % len(MODES)],
                (0, 0x01, 0x10, 0x20)[selector // 2048 % 4],
            )
    try:
        return zip_entries(entries)
    except (ValueError, UnicodeEncodeError):  # a name zipfile itself cannot write
        return zip_members(members)


def test_hostile_names_and_attributes(workspace: Workspace, base: Base) -> None:
    @fuzz_settings("names")
    @given(drawn=TAPES)
    def hostile(drawn: tuple[bytes, str]) -> None:
        # The small pack, unsigned, and a picture: every kind of member but an exercise, which
        # names made of parts like "exercises" and "bird_dog.toml" stand in for.
        members = {**base.small_members, PICTURE: base.members[PICTURE]}
        del members["signature"]
        workspace.check(names_case(members, Tape(drawn[0]), drawn[1]))

    run(hostile, workspace, "names")


# -- the fuzz starts from packs the reader accepts ------------------------------------------


def test_the_unmutated_packs_are_read(workspace: Workspace, base: Base) -> None:
    workspace.check(base.small)
    workspace.check(zip_members(base.members))
    assert workspace.outcomes == {"read": 2, "refused": 0}
    assert mutate_bytes(base.small, b"", base.hot_spots) == base.small
