"""Every file the app creates is 0600 and every folder 0700 (DATA-SAFETY §3), after a run that
touches every kind of file: the database and its -wal/-shm, backups (automatic, before an
import, thinned), pack pictures, the signing key, exports and the visit bundle.

The process umask is set to 0o022 (a common default that would give 0644 files) so the test
proves the app sets modes itself rather than relying on a strict umask.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from rehab_app.core.diary import DiaryEntry
from rehab_app.services.bundle import build_services
from rehab_app.services.maintenance import open_data_folder
from rehab_app.services.pack_authoring import build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _modes(root: Path) -> dict[str, str]:
    found = {}
    for path in [root, *root.rglob("*")]:
        found[str(path.relative_to(root.parent))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def test_everything_the_app_writes_is_private(
    loose_umask: None, tmp_path: Path, clock, shipped_library
) -> None:
    data_dir = tmp_path / "data"
    therapist = tmp_path / "therapist"
    outputs = tmp_path / "outputs"
    outputs.mkdir(mode=0o700)

    opened = open_data_folder(data_dir, clock)
    assert opened.engine is not None
    services = build_services(opened.engine, shipped_library, clock)
    services.plans.save(services.plans.starter_plan(clock.now().local_day), "starter")
    for hour in range(30):
        services.diary.add(DiaryEntry(back_pain=3, leg_pain=hour % 10))
        clock.advance(hours=7)
        services.backups.maybe_back_up()
    pack = outputs / "strengthening.rehabpack"
    build(ROOT / "exercises" / "packs" / "strengthening", pack, services.library, therapist)
    preview = services.packs.preview(pack)
    services.packs.apply(preview, accepted=tuple(preview.warnings))
    clock.advance(days=40)
    services.backups.back_up()
    services.backups.back_up_on_close()
    csvs = services.exports.write_csvs(outputs / "csv")
    services.exports.write_fhir(outputs / "fhir.json")
    services.exports.write_visit_bundle(outputs / "bundle.zip")
    services.backups.export_everything(outputs / "everything.zip")
    opened.engine.dispose()

    written = {**_modes(data_dir), **_modes(therapist)}
    written.update({str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode))
                    for p in [pack, *csvs, outputs / "fhir.json", outputs / "bundle.zip",
                              outputs / "everything.zip"]})  # fmt: skip
    # It really wrote each kind of file.
    names = " ".join(written)
    for expected in ("rehab.sqlite3", "backups/rehab-", "media/", "signing_key.pem"):
        assert expected in names, expected
    assert len(written) > 15
    wrong = {
        name: mode
        for name, mode in written.items()
        if mode != ("0o700" if (tmp_path / name).is_dir() else "0o600")
    }
    assert wrong == {}
