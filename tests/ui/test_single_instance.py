"""One writer per data folder: a second launch hands over its arguments; a killed instance's
lock is recovered at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from rehab_app.app import main
from rehab_app.ui.single_instance import LOCK_NAME, DataFolderLock, SingleInstance

HOLDER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from rehab_app.ui.single_instance import SingleInstance

    app = QCoreApplication([])
    instance = SingleInstance(Path(sys.argv[1]))
    acquired = instance.acquire()
    if acquired:
        instance.listen()
    print("acquired" if acquired else "busy", flush=True)
    def received(arguments):
        print("received " + json.dumps(arguments), flush=True)
    instance.arguments_received.connect(received)
    app.exec()
    """
)


def _environment() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _start_holder(data_dir: Path) -> subprocess.Popen[str]:
    data_dir.mkdir(mode=0o700, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=_environment(),
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "acquired"
    return process


def _launch_app(data_dir: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rehab_app", "--data-dir", str(data_dir), *arguments],
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=60,
    )


@pytest.mark.slow
def test_a_second_launch_forwards_its_arguments_and_exits(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    holder = _start_holder(data_dir)
    try:
        second = _launch_app(data_dir, "from-the-therapist.rehabpack")
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stdout
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == (
            f'received ["{tmp_path / "from-the-therapist.rehabpack"}"]'
        )
        assert not (data_dir / "rehab.sqlite3").exists()  # the second launch wrote nothing
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_a_lock_left_by_a_killed_instance_is_recovered_within_a_second(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    holder = _start_holder(data_dir)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert (data_dir / LOCK_NAME).exists()  # the dead process could not clean up

    successor = _start_holder(data_dir)  # a new process takes the lock over
    os.kill(successor.pid, signal.SIGKILL)  # and is killed in turn
    successor.wait()

    instance = SingleInstance(data_dir)
    started = time.monotonic()
    assert instance.acquire()
    assert time.monotonic() - started < 1.0
    instance.release()


@pytest.mark.slow
def test_a_busy_folder_that_does_not_answer_is_explained(tmp_path: Path) -> None:
    """The lock is held but nobody listens (e.g. the other instance is still starting)."""
    from PySide6.QtCore import QLockFile

    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    lock = QLockFile(str(data_dir / LOCK_NAME))
    lock.setStaleLockTime(0)
    assert lock.tryLock(0)
    try:
        result = _launch_app(data_dir)
        assert result.returncode == 1
        assert "already open" in result.stderr and "did not answer" in result.stderr
    finally:
        lock.unlock()


PACK_EXAMPLES = Path(__file__).resolve().parents[2] / "exercises" / "packs"


def test_import_refuses_while_the_app_holds_the_data_folder(tmp_path: Path, capsys) -> None:
    patient = tmp_path / "patient"
    patient.mkdir()
    pack = tmp_path / "p.rehabpack"
    assert main(["pack", "build", str(PACK_EXAMPLES / "early_sciatica"), "-o", str(pack),
                 "--unsigned"]) == 0  # fmt: skip
    # QLockFile locks per process: the app holding the folder is a second process here too.
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from pathlib import Path;"
         "from rehab_app.ui.single_instance import DataFolderLock;"
         f"l=DataFolderLock(Path({str(patient)!r})); print(l.acquire(), flush=True);"
         "time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        capsys.readouterr()
        assert main(["pack", "import", str(pack), "--data-dir", str(patient), "--yes",
                     "--accept-warnings"]) == 1  # fmt: skip
        assert "rehab_app is open for" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert DataFolderLock(patient).acquire()


@pytest.mark.slow
def test_the_real_app_never_runs_twice_and_recovers_after_a_kill(tmp_path: Path) -> None:
    """The app itself (not a stand-in): a second launch hands over and exits without writing;
    after kill -9 the next launch takes the stale lock over at once and opens the data."""
    data_dir = tmp_path / "data"
    log = tmp_path / "first.log"
    first = subprocess.Popen(
        [sys.executable, "-m", "rehab_app", "--data-dir", str(data_dir)],
        env={**_environment(), "REHAB_APP_STARTUP_LOG": str(log)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (log.exists() and "ready" in log.read_text()):
            assert time.monotonic() < deadline, "the first instance did not open its data"
            assert first.poll() is None, "the first instance stopped"
            time.sleep(0.05)
        database = data_dir / "rehab.sqlite3"
        before = database.stat().st_mtime_ns

        second = _launch_app(data_dir)
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stdout
        assert database.stat().st_mtime_ns == before  # only one writer
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()

    started = time.monotonic()
    third = _launch_app(data_dir, "--screenshot", str(tmp_path / "shot.png"), "--view", "today")
    assert third.returncode == 0, third.stderr
    assert "already open" not in third.stdout
    assert (tmp_path / "shot.png").exists()
    assert time.monotonic() - started < 30  # no waiting for a lock to expire
