"""The event loop never stalls more than 50 ms during the main flows (issue 7).

Each test drives one flow the way a person would (clicks and keys on the real main window,
started the real way: the library and the data opened by workers after the first paint) on
half a year of demo data, inside `lag_probe()`, and fails with every gap over 50 ms listed.
The probe switches Python's cyclic garbage collector off while it measures: a collection's
pause depends on everything this test process has made so far, not on the screen measured.

A person's pace is kept, not a robot's: the event loop turns between two keys (`pause`), and
a result is looked at before the next click (`think`, a quarter of a second), time in which
the app finishes what it does on its own after a change (hidden screens catching up, one per
turn). Without them, keys sent back to back would be measured as one stall.

A flow over 50 ms is run again from the start, up to ATTEMPTS runs in all, and fails if every
run is over (a stall of the app's own comes back; the virtual machine's jitter does not).
Set REHAB_LAG_TRACE=1 (with `-s`) to see every run's figures and where the longest waits were.

Start-up runs in a fresh interpreter: in this process the screens' modules are imported
already, and importing them is most of what a real start costs.

The demo folder is made once per module and copied for each test, so each flow starts from
the same data and the whole file takes well under a minute.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

from rehab_app.app import AppContext, _open_in_background, _write_report
from rehab_app.formats.pack.signing import new_private_key
from rehab_app.formats.pack.writer import build_pack
from rehab_app.services.sessions import SlotState
from rehab_app.ui.main_window import NAVIGATION, MainWindow
from rehab_app.ui.player.controller import Phase
from rehab_app.ui.views import packs as packs_module
from tests.conftest import FakeClock
from tests.ui.lag_probe import TRACE, LagProbe, lag_probe

ROOT = Path(__file__).resolve().parents[2]
LIMIT_MS = 50.0
DEMO_DAYS = 180
#: "Today" for the demo data and the app: early morning, so today's sessions are still to do.
NOW = datetime(2026, 3, 29, 7, 30, tzinfo=UTC)
TIMEOUT_MS = 30_000
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
#: Between two keys: far quicker than anyone types, long enough for the event loop to turn.
PAUSE_MS = 20
#: Between seeing a result and the next click (see Started.think).
THINK_MS = 250


def describe(probe: LagProbe) -> str:
    return (
        f"{probe.longest_ms:.0f} ms (GUI thread CPU {probe.longest_cpu_ms:.0f} ms,"
        f" process {probe.longest_process_cpu_ms:.0f} ms; gaps over 50 ms:"
        f" {probe.gaps_over_50_ms})"
    )


def assert_no_stall(runs: list[LagProbe], flow: str, limit_ms: float = LIMIT_MS) -> None:
    """The flow passes when a run of it stayed within the limit (see `ATTEMPTS`)."""
    if TRACE:
        for probe in runs:
            print(f"\n{flow}: longest {describe(probe)}\n{probe.stalled_in()}")
    assert min(probe.longest_ms for probe in runs) <= limit_ms, (
        f"{flow}: the event loop stalled over {limit_ms:.0f} ms in each of {len(runs)} runs: "
        + "; ".join(describe(probe) for probe in runs)
        + "\nwhere (REHAB_LAG_TRACE=1 samples the stacks):\n"
        + "\n".join(probe.stalled_in() for probe in runs)
    )


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory, shipped_library) -> Path:  # type: ignore[no-untyped-def]
    """Half a year of demo history ending at NOW, as `rehab-app --demo` makes it."""
    from rehab_app.services.bundle import build_services
    from rehab_app.services.demo import write_demo_data
    from rehab_app.services.maintenance import open_data_folder

    folder = tmp_path_factory.mktemp("lag") / "demo"
    clock = FakeClock(at=NOW, tz_name="UTC")
    opened = open_data_folder(folder, clock)
    assert opened.engine is not None
    try:
        write_demo_data(opened.engine, shipped_library, "UTC", DEMO_DAYS, NOW.date(), until=NOW)
        # The weekly red-flag checklist was answered this morning: no dialog opens by itself
        # over the window (that flow has its own tests), whatever weekday NOW falls on.
        build_services(opened.engine, shipped_library, clock).safety.record_checklist([])
    finally:
        opened.engine.dispose()
    return folder


@pytest.fixture(scope="module")
def pack_file(tmp_path_factory: pytest.TempPathFactory, shipped_library) -> Path:  # type: ignore[no-untyped-def]
    output = tmp_path_factory.mktemp("pack") / "strengthening.rehabpack"
    build_pack(
        ROOT / "exercises" / "packs" / "strengthening", output, new_private_key(),
        datetime(2026, 3, 1, 9, 0, tzinfo=UTC), shipped_library.built_in(), "0.1.0",
    )  # fmt: skip
    return output


class Started:
    """The main window on a copy of the demo folder, painted, with the data not yet opened."""

    def __init__(self, qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.folder = folder
        self.window = MainWindow()
        self.window.report_writer = _write_report
        qtbot.addWidget(self.window)
        with qtbot.waitSignal(self.window.first_painted):
            self.window.show()
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)
        self.context = AppContext(folder, self.window, FakeClock(at=NOW, tz_name="UTC"))

    def open_data(self) -> None:
        """What app.py does after the first paint; returns once every screen is built and
        the start-up work that follows it is over."""
        _open_in_background(self.context)
        self.qtbot.waitUntil(self.window.is_ready, timeout=TIMEOUT_MS)
        self.qtbot.waitUntil(self.window.is_settled, timeout=TIMEOUT_MS)

    def go_to(self, name: str) -> None:
        """Click the area in the side bar and wait until it has been painted."""
        assert self.window.current_view() != name, "a click on the current area paints nothing"
        navigation = self.window.navigation
        rect = navigation.visualItemRect(navigation.item(NAVIGATION.index(name)))
        with painted(self.qtbot, lambda: self.window.views[name]):
            self.qtbot.mouseClick(
                navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
            )
        assert self.window.current_view() == name

    def think(self) -> None:
        """A person looks at what a click brought before the next click: far less time than
        anyone needs, but the work the app does on its own after a change (the screens not
        on show catching up, one per turn) is over by then, as it is for a person."""
        self.qtbot.wait(THINK_MS)

    def pause(self) -> None:
        """The moment between two keys or clicks, when a person's event loop turns: without
        it, keys sent back to back would be measured as one long stall."""
        self.qtbot.wait(PAUSE_MS)

    def type_into(self, window: QWidget, *keys: Qt.Key) -> None:
        for key in keys:
            self.qtbot.keyClick(window.focusWidget() or window, key)
            self.pause()

    def activate(self) -> None:
        """Keys go to the active window: make it the main window, as it is for a person."""
        self.window.activateWindow()
        self.qtbot.waitUntil(self.window.isActiveWindow)

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> None:
        """A key press goes to whatever has the keyboard focus, as it does for a person."""
        self.qtbot.keyClick(self.window.focusWidget() or self.window, key, modifier)
        self.pause()

    def close(self) -> None:
        opened = self.context.opened
        if self.window.backup_scheduler is not None:
            self.window.backup_scheduler.stop()
        if opened is not None and opened.engine is not None:
            opened.engine.dispose()
        self.window.close()


class PaintWatch(QObject):
    """Waits until a widget has been painted: `arm()` starts watching the widget `target()`
    names at that moment (call it before the event loop can paint the change)."""

    def __init__(self, qtbot, target: Callable[[], QWidget]) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.qtbot, self.target = qtbot, target
        self.watched: QWidget | None = None
        self.seen = False

    def arm(self, *_: object) -> None:
        if self.watched is not None:
            self.watched.removeEventFilter(self)
        self.seen = False
        self.watched = self.target()
        self.watched.installEventFilter(self)

    def wait(self) -> None:
        self.qtbot.waitUntil(lambda: self.seen, timeout=TIMEOUT_MS)
        if self.watched is not None:
            self.watched.removeEventFilter(self)
            self.watched = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint:
            self.seen = True
        return False


@contextmanager
def painted(qtbot, target: Callable[[], QWidget]) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Run the block (a click, say), then wait until `target()` has been painted: the flow
    is measured up to the moment the person sees its result. The widget is watched from
    before the block when it exists already, else (made by the block) from after it."""
    watch = PaintWatch(qtbot, target)
    with suppress(AttributeError):  # not made yet
        watch.arm()
    yield
    if watch.watched is None or watch.watched is not target():
        watch.arm()
    watch.wait()


#: A flow over the limit is run again from the start, on a fresh window and a fresh copy of the
#: data, and fails only if every run is over the limit. A stall the app makes (a long piece of
#: work on the GUI thread) comes back each time; this virtual machine's jitter does not: the
#: same screen's first showing measured 21 and 37 ms in two runs in a row with nothing else
#: running, and /proc/stat counts time taken by the host ("steal") during the runs. Every
#: run's figures, with the GUI thread's own CPU time, are in the failure message.
ATTEMPTS = 3

Flow = Callable[["Started"], LagProbe]


@pytest.fixture
def measure(qtbot, demo_folder: Path, tmp_path: Path) -> Callable[[str, Flow], None]:  # type: ignore[no-untyped-def]
    """`measure(name, flow)`: run `flow` on a started window with the data open (again if
    over the limit, see ATTEMPTS) and assert that the event loop never stalled over 50 ms."""

    def run(name: str, flow: Flow) -> None:
        runs: list[LagProbe] = []
        for attempt in range(ATTEMPTS):
            folder = tmp_path / f"data-{attempt}"
            shutil.copytree(demo_folder, folder)
            started = Started(qtbot, folder)
            try:
                started.open_data()
                runs.append(flow(started))
            finally:
                started.close()
            if runs[-1].longest_ms <= LIMIT_MS:
                break
        assert_no_stall(runs, name)

    return run


#: The start-up, in a fresh interpreter as a person starts the app: in this test process the
#: screens' modules are imported already, and their import is most of what start-up costs.
START_UP = textwrap.dedent(
    """
    import gc, json, sys
    from datetime import datetime
    from pathlib import Path
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from rehab_app.app import AppContext, _open_in_background, _use_readable_font
    from rehab_app.core.timestamps import FixedClock
    from rehab_app.ui.main_window import MainWindow
    from tests.ui.lag_probe import lag_probe

    _use_readable_font(app)
    window = MainWindow()
    window.first_painted.connect(app.quit)
    window.show()
    app.exec()  # until the first paint, as in app.py
    clock = FixedClock(datetime.fromisoformat(sys.argv[2]), "UTC")
    with lag_probe() as probe:
        _open_in_background(AppContext(Path(sys.argv[1]), window, clock))
        window.settled.connect(app.quit)
        window.failed.connect(lambda message: sys.exit(message))
        app.exec()
    assert window.is_settled() and window.today is not None and window.today.cards
    print(json.dumps(
        {"longest_ms": probe.longest_ms, "gaps": probe.gaps_over_50_ms, "samples": probe.samples,
         "cpu": probe.longest_cpu_ms, "process_cpu": probe.longest_process_cpu_ms,
         "frozen": gc.get_freeze_count()}
    ))
    """
)


def start_up_once(folder: Path) -> LagProbe:
    done = subprocess.run(
        [sys.executable, "-c", START_UP, str(folder), NOW.isoformat()],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    measured = json.loads(done.stdout.splitlines()[-1])
    # What start-up made is kept out of later garbage collections (see app.py): a full
    # collection over all of it took 80-110 ms, a stall of its own at any moment.
    assert measured["frozen"] > 50_000
    return LagProbe(
        longest_ms=measured["longest_ms"],
        gaps_over_50_ms=measured["gaps"],
        samples=Counter(measured["samples"]),
        longest_cpu_ms=measured["cpu"],
        longest_process_cpu_ms=measured["process_cpu"],
    )


def test_start_up_after_the_first_paint(demo_folder: Path, tmp_path: Path) -> None:
    """From the first paint until every screen is built and the start-up imports are done."""
    runs: list[LagProbe] = []
    for attempt in range(ATTEMPTS):
        folder = tmp_path / f"data-{attempt}"
        shutil.copytree(demo_folder, folder)
        runs.append(start_up_once(folder))
        if runs[-1].longest_ms <= LIMIT_MS:
            break
    assert_no_stall(runs, "start-up (first paint to every screen built)")


def test_opening_each_screen(measure: Callable[[str, Flow], None]) -> None:
    """Every area from the side bar, as a person looks around after the app has started
    (Progress, with its chart, has a test of its own below)."""

    def flow(opened: Started) -> LagProbe:
        with lag_probe() as probe:
            for name in ("library", "plan", "diary", "packs"):
                opened.go_to(name)
                opened.think()
            opened.go_to("today")
        return probe

    measure("opening each screen", flow)


def test_opening_progress_the_first_time(measure: Callable[[str, Flow], None]) -> None:
    """The chart is loaded on a worker, then built in steps and drawn: until it is on the
    screen and Today is back."""

    def flow(opened: Started) -> LagProbe:
        window, qtbot = opened.window, opened.qtbot
        assert window.progress is not None
        chart = PaintWatch(qtbot, lambda: window.progress.pain_chart.plot.viewport())
        window.progress.drawn.connect(chart.arm)  # armed the moment the data is set
        with lag_probe() as probe:
            opened.go_to("progress")
            chart.wait()
            opened.think()
            opened.go_to("today")
        return probe

    measure("opening Progress the first time", flow)


def test_logging_a_pain_entry_with_the_keyboard(measure: Callable[[str, Flow], None]) -> None:
    def flow(opened: Started) -> LagProbe:
        window, qtbot = opened.window, opened.qtbot
        diary = window.diary
        before = diary.model.rowCount()
        opened.activate()
        with lag_probe() as probe:
            opened.key(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # from Today
            qtbot.waitUntil(lambda: diary._dialog is not None and diary._dialog.isVisible())
            dialog = diary._dialog
            assert dialog is not None
            qtbot.waitUntil(lambda: dialog.back.isAncestorOf(dialog.focusWidget()))
            opened.type_into(dialog, Qt.Key.Key_4, Qt.Key.Key_6)
            with painted(qtbot, lambda: dialog.done_page):
                opened.type_into(dialog, Qt.Key.Key_Return)
            assert dialog.last_saved is not None
            opened.type_into(dialog, Qt.Key.Key_Return)  # Enter now closes
            qtbot.waitUntil(lambda: diary._dialog is None)
            opened.go_to("diary")
        saved = dialog.last_saved
        assert (saved.entry.back_pain, saved.entry.leg_pain) == (4, 6)
        assert diary.model.rowCount() == before + 1
        assert diary.selected() is not None and diary.selected().id == saved.id
        return probe

    measure("logging a pain entry (Ctrl+L, 4, 6, Enter, Enter), then the Diary", flow)


class Monotonic:
    """The player's clock: it moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_running_a_guided_session(measure: Callable[[str, Flow], None]) -> None:
    def flow(opened: Started) -> LagProbe:
        window, qtbot = opened.window, opened.qtbot
        clock = Monotonic()
        window.player_clock = clock
        today = window.today
        assert today is not None
        card = next(c for c in today.cards if c.session.state == SlotState.TO_DO)
        slot = card.session.slot
        opened.activate()
        with lag_probe() as probe:
            with painted(qtbot, lambda: window._runner.view):
                qtbot.mouseClick(card.start_button, Qt.MouseButton.LeftButton)
            controller = window._runner.controller
            while controller.phase != Phase.DONE:
                clock.now += 3600  # the exercise's time is up: the player's own timer notices
                qtbot.waitUntil(lambda: controller.phase in (Phase.FEEDBACK, Phase.DONE))
                if controller.phase == Phase.DONE:
                    break
                answered = len(controller.outcomes) + 1
                opened.key(Qt.Key.Key_2)  # pain during the exercise
                opened.key(Qt.Key.Key_Return)  # save the answers (saved to the database at once)
                qtbot.waitUntil(lambda n=answered: len(controller.outcomes) == n)
                opened.key(Qt.Key.Key_Return)  # continue
            player = window._runner.view
            qtbot.waitUntil(player.back_button.isVisible)
            with painted(qtbot, lambda: window.views["today"]):
                qtbot.mouseClick(player.back_button, Qt.MouseButton.LeftButton)
        assert window.current_view() == "today"
        assert window.today.card_for(slot).session.state == SlotState.DONE
        return probe

    measure("running a guided session", flow)


def test_importing_a_pack(
    measure: Callable[[str, Flow], None], pack_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packs_module, "choose_pack_file", lambda _parent: pack_file)

    def flow(opened: Started) -> LagProbe:
        window, qtbot = opened.window, opened.qtbot
        with lag_probe() as probe:
            opened.go_to("packs")
            packs = window.packs
            assert packs is not None
            qtbot.mouseClick(packs.choose_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(
                lambda: packs.dialog is not None and packs.dialog.isVisible(), timeout=TIMEOUT_MS
            )
            dialog = packs.dialog
            qtbot.waitUntil(dialog.contents.is_filled)  # the person reads what the pack holds
            opened.think()
            qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: "Imported" in packs.status.text(), timeout=TIMEOUT_MS)
            opened.think()
            opened.go_to("today")
        assert "Back strength" in window.today.message.text()
        return probe

    measure("importing a pack", flow)


def test_making_a_visit_report(measure: Callable[[str, Flow], None]) -> None:
    """From the click on "Make a report…" on Progress (opening Progress is measured above)
    until the PDF is written, with the progress bar moving meanwhile."""

    def flow(opened: Started) -> LagProbe:
        window, qtbot = opened.window, opened.qtbot
        progress = window.progress
        assert progress is not None
        with qtbot.waitSignal(progress.drawn, timeout=TIMEOUT_MS):
            opened.go_to("progress")
        # The chart's first layout settles (measured by test_opening_progress_the_first_time).
        qtbot.wait(1000)
        target = opened.folder.with_name(opened.folder.name + "-report.pdf")
        progress.ask_report_path = lambda _suggested: target
        said = PaintWatch(qtbot, lambda: progress.report_status)
        progress.report_written.connect(said.arm)  # "Your report is saved as …", then painted
        with lag_probe() as probe:
            with qtbot.waitSignal(progress.report_written, timeout=TIMEOUT_MS):
                qtbot.mouseClick(progress.report_button, Qt.MouseButton.LeftButton)
            said.wait()
        assert target.read_bytes().startswith(b"%PDF")
        assert str(target) in progress.report_status.text()
        return probe

    measure("making a visit report", flow)
