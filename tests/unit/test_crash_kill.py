"""Kill -9 at random moments: every write the app reported as saved is still there.

A writer process adds diary entries and exercise logs through the services and reports each
one's id only after its commit returned (the moment the app would say "Saved"). The test kills
it with SIGKILL after a random delay, then opens the database: `quick_check` must pass and every
reported id must be present. 200 rounds in CI; set REHAB_CRASH_ROUNDS for more.

One long-lived "server" process imports the app once and forks a fresh writer per round (it
has no threads, so forking is safe), so a round costs milliseconds, not an interpreter start.
Each writer reports with single small `os.write` calls to the shared pipe (atomic below
PIPE_BUF), and the server prints "done" only after the writer is reaped, so every report of a
round is read before that round's check.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from rehab_app.storage.health import quick_check

ROUNDS = int(os.environ.get("REHAB_CRASH_ROUNDS", "200"))

SERVER = textwrap.dedent(
    """
    import os, random, sys
    from datetime import UTC, datetime
    from pathlib import Path

    from rehab_app.core.diary import Context, DiaryEntry
    from rehab_app.core.session import ExerciseOutcome
    from rehab_app.core.timestamps import stamp
    from rehab_app.services.bundle import build_services
    from rehab_app.services.catalog import Library
    from rehab_app.services.maintenance import open_data_folder

    class Clock:
        def now(self):
            return stamp(datetime.now(UTC), "Europe/London")

    def say(text):
        os.write(1, (text + "\\n").encode())

    def write_until_killed(seed):
        generator = random.Random(seed)
        opened = open_data_folder(Path(sys.argv[1]), Clock())
        # No exercise files to read: logging an exercise does not look it up.
        services = build_services(opened.engine, Library((), (), (), {}), Clock())
        session_id, _ = services.sessions.start_session(Clock().now().local_day, None)
        say("ready")
        while True:
            if generator.random() < 0.5:
                entry = DiaryEntry(
                    back_pain=generator.randint(0, 10),
                    leg_pain=generator.randint(0, 10),
                    context=Context.OTHER,
                    note="x" * generator.randint(0, 400),  # rows of varying size
                )
                read, _ = services.diary.add(entry)
                say(f"diary {read.id}")
            else:
                outcome = ExerciseOutcome(
                    exercise_id="pelvic_tilt", sets_done=1, reps_done=10, holds_done=10,
                    pain_during=generator.randint(0, 10),
                )
                logged, _ = services.sessions.log_exercise(session_id, outcome)
                say(f"exercise {logged.id}")

    for line in sys.stdin:
        seed = int(line)
        pid = os.fork()
        if pid == 0:
            try:
                write_until_killed(seed)
            finally:
                os._exit(3)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"done {status}")
    """
)


@pytest.mark.slow
def test_every_reported_write_survives_sigkill(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert server.stdin is not None and server.stdout is not None
    generator = random.Random(20261121)
    reported: dict[str, set[int]] = {"diary": set(), "exercise": set()}
    try:
        for round_number in range(ROUNDS):
            server.stdin.write(f"{round_number}\n")
            server.stdin.flush()
            kind, pid = server.stdout.readline().split()
            assert kind == "pid"
            assert server.stdout.readline().strip() == "ready", "the writer did not start"
            # Let it commit a random number of writes (so a slow machine still writes), then
            # kill it a random fraction of a write later: mid-transaction, mid-fsync, or between.
            for _ in range(generator.randint(1, 3)):
                kind, value = server.stdout.readline().split()
                reported[kind].add(int(value))
            time.sleep(generator.uniform(0.0, 0.006))
            os.kill(int(pid), signal.SIGKILL)
            while True:
                kind, value = server.stdout.readline().split()
                if kind == "done":
                    assert os.WIFSIGNALED(int(value)), "the writer stopped by itself"
                    break
                reported[kind].add(int(value))

            db_path = data_dir / "rehab.sqlite3"
            assert quick_check(db_path) == [], f"round {round_number}: damaged"
            with sqlite3.connect(db_path) as connection:
                diary = {row[0] for row in connection.execute("SELECT id FROM diary_entry")}
                exercises = {row[0] for row in connection.execute("SELECT id FROM exercise_log")}
            connection.close()
            assert reported["diary"] <= diary, f"round {round_number}: diary entries lost"
            assert reported["exercise"] <= exercises, f"round {round_number}: exercises lost"
    finally:
        server.kill()
        server.wait()
    assert len(reported["diary"]) + len(reported["exercise"]) >= ROUNDS
