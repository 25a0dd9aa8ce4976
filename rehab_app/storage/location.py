"""Is the data folder somewhere SQLite cannot keep its promises? (DATA-SAFETY §1.8)

SQLite's locking and fsync are unreliable on network file systems, and sync clients (Dropbox,
OneDrive, ...) copy a live database file apart from its -wal, which damages it
(sqlite.org/howtocorrupt.html). The app still works there; it warns, in plain words.
"""

from __future__ import annotations

from pathlib import Path

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "davfs",
        "fuse.sshfs", "sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gvfsd-fuse", "lustre",
    }
)  # fmt: skip
#: Folder names the common sync clients create in a home folder.
SYNC_FOLDERS = (
    "dropbox", "onedrive", "google drive", "googledrive", "icloud drive", "icloud~",
    "mobile documents", "nextcloud", "owncloud", "pcloud", "mega", "box sync", "sync.com",
)  # fmt: skip


def filesystem_type(folder: Path, mounts: Path = Path("/proc/self/mounts")) -> str | None:
    """The type of the file system `folder` is on (Linux), or None where that cannot be told."""
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = folder.resolve()
    best: tuple[int, str] | None = None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = Path(fields[1].replace("\\040", " "))
        if target == point or point in target.parents:
            depth = len(point.parts)
            if best is None or depth > best[0]:
                best = (depth, fields[2])
    return best[1] if best else None


def location_warning(folder: Path, mounts: Path = Path("/proc/self/mounts")) -> str:
    """A plain-words warning when `folder` is on a network drive or in a sync folder, else ""."""
    kind = filesystem_type(folder, mounts)
    if kind is not None and (kind in NETWORK_FILESYSTEMS or kind.startswith("fuse.sshfs")):
        return (
            f"Your data folder {folder} is on a network drive ({kind}). A database there can be"
            " damaged if the connection drops. Please keep your data on this computer: start"
            " rehab_app with --data-dir and a folder on a local disk."
        )
    lowered = [part.casefold() for part in folder.resolve().parts]
    for part in lowered:
        if any(part == name or part.startswith(name + " ") for name in SYNC_FOLDERS):
            return (
                f"Your data folder {folder} is inside a folder that is copied to the internet"
                f" ({part}). Sync programs can copy the data file while it is in use and damage"
                " it. Please keep your data in a folder that is not synced, and use"
                " File ▸ Your data ▸ Export everything for copies."
            )
    return ""
