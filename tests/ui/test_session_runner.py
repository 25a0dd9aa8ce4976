"""Whole guided sessions through the real services: what was done is stored as it happens,
and a crash after two finished exercises keeps both."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from rehab_app.core.session import Effort, Light
from rehab_app.services.bundle import build_services
from rehab_app.services.maintenance import open_data_folder
from rehab_app.services.sessions import SlotState
from rehab_app.storage.health import quick_check
from rehab_app.ui.bus import Bus
from rehab_app.ui.player.controller import Phase
from rehab_app.ui.session_runner import SessionRunner


class Monotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def finish_current_exercise(runner: SessionRunner, clock: Monotonic) -> None:
    """Let the timers run out until the player asks how it felt."""
    for _ in range(10_000):
        if runner.controller.phase in (Phase.FEEDBACK, Phase.DONE):
            return
        clock.now += 1
        runner.controller.update()
    raise AssertionError("the exercise never finished")


@pytest.fixture
def started(qtbot, data_dir, clock, shipped_library):
    opened = open_data_folder(data_dir, clock)
    services = build_services(opened.engine, shipped_library, clock)
    plan = services.plans.starter_plan(services.sessions.today())
    services.plans.save(plan, "starter", author="starter")
    morning = services.sessions.due_on(services.sessions.today())[0]
    assert morning.slot == time(8) and len(morning.items) == 3
    monotonic = Monotonic()
    runner = SessionRunner(services, Bus(), QUndoStack(), morning, clock=monotonic)
    qtbot.addWidget(runner.view)
    runner.view.show()
    runner.start()
    yield services, runner, monotonic
    opened.engine.dispose()


def test_each_exercise_is_stored_when_it_ends_with_its_feedback(qtbot, started) -> None:
    services, runner, monotonic = started
    today = services.sessions.today()
    finish_current_exercise(runner, monotonic)
    runner.controller.submit_feedback(2, Effort.ABOUT_RIGHT, None)
    stored = services.sessions.sessions_on(today)
    assert len(stored) == 1 and len(stored[0].exercises) == 1
    first = stored[0].exercises[0].outcome
    assert (first.exercise_id, first.sets_done, first.reps_done, first.pain_during) == (
        "sciatic_nerve_slider_supine",
        2,
        20,
        2,
    )
    assert first.advice is not None and first.advice.light == Light.GREEN
    assert services.sessions.due_on(today)[0].state == SlotState.PARTLY
    runner.controller.continue_()

    finish_current_exercise(runner, monotonic)
    runner.controller.submit_feedback(7, Effort.TOO_HARD, None)
    second = services.sessions.sessions_on(today)[0].exercises[1].outcome
    assert (
        second.advice.light == Light.RED and "Stop this exercise for today" in second.advice.message
    )
    runner.controller.continue_()

    monotonic.now += 8  # a little into the third exercise, then the person ends the session
    runner.controller.update()
    qtbot.keyClick(runner.view, Qt.Key.Key_Escape)
    assert runner.controller.phase == Phase.DONE
    exercises = services.sessions.sessions_on(today)[0].exercises
    assert [e.outcome.exercise_id for e in exercises][:2] == [
        "sciatic_nerve_slider_supine",
        "pelvic_tilt",
    ]
    assert services.sessions.due_on(today)[0].state == SlotState.PARTLY


def test_skipping_every_exercise_keeps_a_record_of_the_skips(qtbot, started) -> None:
    services, runner, _ = started
    for _ in range(3):
        qtbot.keyClick(runner.view, Qt.Key.Key_Right)
    assert runner.controller.phase == Phase.DONE
    logged = services.sessions.sessions_on(services.sessions.today())[0].exercises
    assert [e.outcome.skipped for e in logged] == [True, True, True]


CHILD = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from datetime import UTC, datetime
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from rehab_app.core.session import Effort
    from rehab_app.core.timestamps import stamp
    from rehab_app.services.bundle import build_services
    from rehab_app.services.catalog import CatalogService
    from rehab_app.services.maintenance import open_data_folder
    from rehab_app.ui.player.controller import Phase
    from rehab_app.ui.session_runner import SessionRunner

    class Clock:
        def now(self):
            return stamp(datetime(2026, 3, 30, 7, 30, tzinfo=UTC), "Europe/London")

    class Monotonic:
        value = 0.0
        def __call__(self):
            return self.value

    app = QApplication([])
    clock, monotonic = Clock(), Monotonic()
    opened = open_data_folder(Path(sys.argv[1]), clock)
    services = build_services(opened.engine, CatalogService().load(), clock)
    services.plans.save(services.plans.starter_plan(clock.now().local_day), "starter")
    morning = services.sessions.due_on(clock.now().local_day)[0]
    runner = SessionRunner(services, None, None, morning, clock=monotonic)
    runner.start()
    for done in range(2):
        while runner.controller.phase != Phase.FEEDBACK:
            monotonic.value += 1
            runner.controller.update()
        runner.controller.submit_feedback(3, Effort.ABOUT_RIGHT, None)
        runner.controller.continue_()
    monotonic.value += 3  # part-way into the third exercise
    runner.controller.update()
    print("two exercises finished", flush=True)
    time.sleep(600)  # killed here, mid-session
    """
)


@pytest.mark.slow
def test_killing_the_app_after_two_exercises_keeps_both(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "two exercises finished"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    db_path = data_dir / "rehab.sqlite3"
    assert quick_check(db_path) == []
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT exercise_id, pain_during, advice_light FROM exercise_log ORDER BY id"
        ).fetchall()
    connection.close()
    assert rows == [("sciatic_nerve_slider_supine", 3, "green"), ("pelvic_tilt", 3, "green")]
