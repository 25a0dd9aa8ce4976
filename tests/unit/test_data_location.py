"""A data folder on a network drive or inside a sync folder is opened, with a plain warning."""

from __future__ import annotations

from pathlib import Path

from rehab_app.services.maintenance import open_data_folder
from rehab_app.services.status import DataState
from rehab_app.storage.location import filesystem_type, location_warning


def _mounts(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "mounts"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_deepest_mount_decides_the_file_system(tmp_path: Path) -> None:
    mounts = _mounts(
        tmp_path,
        "/dev/sda1 / ext4 rw 0 0",
        "server:/export /home/ann/shared nfs4 rw 0 0",
        "//nas/photos /home/ann/shared/photos cifs rw 0 0",
    )
    assert filesystem_type(Path("/home/ann/notes"), mounts) == "ext4"
    assert filesystem_type(Path("/home/ann/shared/rehab"), mounts) == "nfs4"
    assert filesystem_type(Path("/home/ann/shared/photos/x"), mounts) == "cifs"
    assert filesystem_type(Path("/x"), tmp_path / "missing") is None


def test_network_drives_and_sync_folders_are_warned_about_in_plain_words(tmp_path: Path) -> None:
    mounts = _mounts(tmp_path, "/dev/sda1 / ext4 rw 0 0", "srv:/e /mnt/nas nfs rw 0 0")
    assert location_warning(Path("/home/ann/.local/share/rehab_app"), mounts) == ""
    network = location_warning(Path("/mnt/nas/rehab"), mounts)
    assert "network drive (nfs)" in network and "--data-dir" in network
    synced = location_warning(Path("/home/ann/Dropbox/rehab"), mounts)
    assert "copied to the internet (dropbox)" in synced
    assert location_warning(Path("/home/ann/OneDrive - Clinic/rehab"), mounts) != ""
    assert location_warning(Path("/home/ann/megaphone/rehab"), mounts) == ""  # not "mega"


def test_the_warning_reaches_the_opened_status(tmp_path: Path, clock) -> None:
    opened = open_data_folder(tmp_path / "Dropbox" / "rehab", clock)
    assert opened.status.state == DataState.READY and opened.engine is not None
    assert "copied to the internet" in opened.status.warning
    opened.engine.dispose()
    plain = open_data_folder(tmp_path / "data", clock)
    assert plain.status.warning == ""
    assert plain.engine is not None
    plain.engine.dispose()
