"""Packs end to end below the UI: build, sign, tamper, preview, trust on first use, import."""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rehab_app.formats.pack.errors import PackError
from rehab_app.formats.pack.reader import read_pack, staging_folder
from rehab_app.formats.pack.signing import new_private_key
from rehab_app.formats.pack.writer import build_pack
from rehab_app.services.packs import PackNotAcceptedError, TrustWarning
from rehab_app.storage.backup import list_backups

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "exercises" / "packs"
CREATED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def build(tmp_path: Path, library, example: str = "early_sciatica", key=None, **manifest):  # type: ignore[no-untyped-def]
    """Build an example pack (optionally with manifest values replaced) into tmp_path."""
    source = tmp_path / f"src-{example}-{len(list(tmp_path.iterdir()))}"
    _copy(EXAMPLES / example, source)
    text = (source / "manifest.toml").read_text()
    for name, value in manifest.items():
        lines = [line for line in text.splitlines() if not line.startswith(f"{name} =")]
        text = f"{name} = {value!r}\n".replace("'", '"') + "\n".join(lines) + "\n"
    (source / "manifest.toml").write_text(text)
    output = tmp_path / f"{source.name}.rehabpack"
    build_pack(source, output, key, CREATED, library.built_in(), "0.1.0")
    return output


def _copy(source: Path, target: Path) -> None:
    for path in source.rglob("*"):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (target / path.relative_to(source)).write_bytes(path.read_bytes())


def plan_versions(services) -> int:  # type: ignore[no-untyped-def]
    return len(services.plans.history())


def test_both_examples_build_and_read_back_signed(tmp_path: Path, shipped_library) -> None:
    key = new_private_key()
    for example in ("early_sciatica", "strengthening"):
        pack = build(tmp_path, shipped_library, example, key)
        with staging_folder() as staging:
            contents = read_pack(pack, staging, shipped_library.built_in(), CREATED.date(), "0.1.0")
            assert contents.signer is not None
            assert contents.plan.phases
            assert contents.plan.thresholds == contents.manifest.thresholds


def test_builds_are_reproducible(tmp_path: Path, shipped_library) -> None:
    key = new_private_key()
    first = build(tmp_path, shipped_library, "strengthening", key)
    second = build(tmp_path, shipped_library, "strengthening", key)
    assert first.read_bytes() == second.read_bytes()


def _rewrite(pack: Path, target: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Copy `pack` member by member, letting `change(name, data)` alter the bytes."""
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info, change(info.filename, source.read(info)))


def test_flipping_any_byte_of_any_member_or_the_signature_is_detected(
    tmp_path: Path, shipped_library
) -> None:
    pack = build(tmp_path, shipped_library, "strengthening", new_private_key())
    with zipfile.ZipFile(pack) as archive:
        sizes = {info.filename: info.file_size for info in archive.infolist()}
    for name, size in sizes.items():
        # The first, a middle and the last byte of every member.
        for offset in sorted({0, size // 2, size - 1}):

            def flip(member: str, data: bytes, name=name, offset=offset) -> bytes:  # type: ignore[no-untyped-def]
                if member != name:
                    return data
                return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]

            tampered = tmp_path / f"tampered-{hashlib.md5(f'{name}{offset}'.encode()).hexdigest()}"
            _rewrite(pack, tampered, flip)
            with staging_folder() as staging, pytest.raises(PackError) as caught:
                read_pack(tampered, staging, shipped_library.built_in(), CREATED.date(), "0.1.0")
            assert caught.value.problems, (name, offset)


def test_a_member_changed_after_signing_is_named(tmp_path: Path, shipped_library) -> None:
    pack = build(tmp_path, shipped_library, "early_sciatica", new_private_key())
    tampered = tmp_path / "tampered.rehabpack"
    _rewrite(
        pack,
        tampered,
        lambda name, data: (
            data.replace(b"reps = 10", b"reps = 12") if name == "plan.toml" else data
        ),
    )
    with staging_folder() as staging, pytest.raises(PackError) as caught:
        read_pack(tampered, staging, shipped_library.built_in(), CREATED.date(), "0.1.0")
    assert "plan.toml: was changed after the pack was signed" in str(caught.value)


def test_import_backs_up_then_sets_the_plan_and_pins_the_key(
    tmp_path: Path, app_services, data_dir: Path
) -> None:
    key = new_private_key()
    pack = build(tmp_path, app_services.library, "early_sciatica", key)
    before = plan_versions(app_services)
    preview = app_services.packs.preview(pack)
    assert preview.warnings == {}  # first key: trusted on first use, no warning
    assert preview.signer_name is None
    assert "New plan" in preview.plan_changes
    result = app_services.packs.apply(preview)
    assert result.backup in list_backups(data_dir)
    current = app_services.plans.current()
    assert current is not None and current.author == "pack"
    assert current.plan.title == "Early sciatica"
    assert current.plan.start == app_services.clock.now().local_day
    assert plan_versions(app_services) == before + 1
    (record,) = app_services.packs.imports()
    assert record.pack_id == "early-sciatica" and record.fingerprint == preview.fingerprint

    # The same key again, a newer version: known signer, no warning.
    newer = build(tmp_path, app_services.library, "early_sciatica", key, version=2)
    again = app_services.packs.preview(newer)
    assert again.warnings == {}
    assert again.signer_name == "Example Physiotherapy Clinic"
    again.close()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("same_version", TrustWarning.SAME_VERSION),
        ("older", TrustWarning.OLDER_VERSION),
        ("other_key", TrustWarning.KEY_CHANGED),
        ("unsigned", TrustWarning.UNSIGNED),
        ("other_name", TrustWarning.NAME_CHANGED),
    ],
)
def test_trust_warnings_block_until_accepted(
    tmp_path: Path, app_services, change: str, expected: TrustWarning
) -> None:
    key = new_private_key()
    first = build(tmp_path, app_services.library, "early_sciatica", key, version=3)
    app_services.packs.apply(app_services.packs.preview(first))
    second = {
        "same_version": lambda: build(tmp_path, app_services.library, key=key, version=3),
        "older": lambda: build(tmp_path, app_services.library, key=key, version=2),
        "other_key": lambda: build(
            tmp_path, app_services.library, key=new_private_key(), version=4
        ),
        "unsigned": lambda: build(tmp_path, app_services.library, key=None, version=4),
        "other_name": lambda: build(
            tmp_path, app_services.library, key=key, version=4, author="Someone Else"
        ),
    }[change]()
    count = plan_versions(app_services)
    preview = app_services.packs.preview(second)
    assert expected in preview.warnings
    staging = preview._staging
    with pytest.raises(PackNotAcceptedError):
        app_services.packs.apply(preview, accepted=())
    assert plan_versions(app_services) == count  # nothing written
    assert staging is not None and not staging.exists()  # the staged pack is gone
    preview = app_services.packs.preview(second)
    app_services.packs.apply(preview, accepted=tuple(preview.warnings))
    assert plan_versions(app_services) == count + 1


def test_pack_exercises_and_pictures_join_the_library_and_survive_a_restart(
    tmp_path: Path, app_services, data_dir: Path, clock, shipped_library
) -> None:
    from rehab_app.services.bundle import build_services

    pack = build(tmp_path, app_services.library, "strengthening", new_private_key())
    preview = app_services.packs.preview(pack)
    assert preview.new_exercises == ("Sit to stand (from a chair)",)
    result = app_services.packs.apply(preview)
    assert result.changes.library and result.changes.plan
    exercise = app_services.library.by_id("sit_to_stand")
    assert exercise is not None
    picture = app_services.library.illustration_for(exercise)
    assert picture is not None and picture.parent == data_dir / "media"
    data = picture.read_bytes()
    assert picture.name == f"{hashlib.sha256(data).hexdigest()}.png"  # its own hash, not a name
    assert stat.S_IMODE(os.stat(picture).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(picture.parent).st_mode) == 0o700
    assert "sit_to_stand" not in shipped_library.built_in()  # the shared test library is untouched

    restarted = build_services(app_services.plans._engine, shipped_library, clock)
    assert restarted.library.by_id("sit_to_stand") == exercise
    assert restarted.library.illustration_for(exercise) == picture


def test_a_failed_transaction_leaves_the_data_folder_as_it_was(
    tmp_path: Path, app_services, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import contextmanager

    from rehab_app.core.errors import StorageError
    from rehab_app.services import packs

    pack = build(tmp_path, app_services.library, "strengthening", new_private_key())
    preview = app_services.packs.preview(pack)
    count = plan_versions(app_services)

    @contextmanager
    def full_disk(_engine):  # type: ignore[no-untyped-def]
        raise StorageError("This was not saved because the disk is full.")
        yield

    monkeypatch.setattr(packs, "writing", full_disk)
    with pytest.raises(StorageError):
        app_services.packs.apply(preview)
    assert plan_versions(app_services) == count
    assert not any((data_dir / "media").iterdir())  # the pictures it copied are gone again
    assert app_services.library.by_id("sit_to_stand") is None


def test_the_preview_writes_nothing_in_the_data_folder(
    tmp_path: Path, app_services, data_dir: Path
) -> None:
    pack = build(tmp_path, app_services.library, "strengthening", new_private_key())

    def snapshot() -> dict[str, bytes]:
        return {
            str(path.relative_to(data_dir)): path.read_bytes()
            for path in sorted(data_dir.rglob("*"))
            if path.is_file() and not path.name.endswith(("-wal", "-shm"))
        }

    before = snapshot()
    preview = app_services.packs.preview(pack)
    assert preview._staging is not None and data_dir not in preview._staging.parents
    assert snapshot() == before
    preview.close()
    assert snapshot() == before
