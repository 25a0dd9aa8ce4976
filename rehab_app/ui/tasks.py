"""Run slow work off the GUI thread and deliver the result back on it (as Picard does).

Anything that can take more than 100 ms (opening the database, loading the library, imports,
reports) goes through `run_in_background`, so the window keeps painting and answering keys.

Python's cyclic garbage collector is paused while any task runs and resumed on the GUI thread
when the last result is back: a collection triggered by a worker's allocations would run on
the worker thread and could destroy Qt objects (an undo stack, a dialog) left in garbage
cycles there, off the GUI thread, which crashes Qt (seen in the test suite).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskSignals(QObject):
    """Lives in the GUI thread, so its signals are delivered there (queued connection)."""

    finished = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: TaskSignals) -> None:
        super().__init__()
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # reported to the GUI, which shows it to the person
            self._signals.failed.emit(error)
        else:
            self._signals.finished.emit(result)


_running: set[TaskSignals] = set()
_collector_was_enabled = True

#: How long a thread may hold the GIL while another waits for it (Python's default: 5 ms).
#: The GUI thread takes and gives back the GIL at every call into Python (each paintEvent,
#: slot and model method) and waited up to the whole interval each time a worker was busy
#: in Python: dozens of times a paint, 30-50 ms stalls (issue 7). Half a millisecond keeps
#: the GUI's waits short for a small cost in switching.
GIL_SWITCH_INTERVAL_S = 0.0005


def _task_started() -> None:
    global _collector_was_enabled
    if not _running:
        _collector_was_enabled = gc.isenabled()
        gc.disable()
    if sys.getswitchinterval() > GIL_SWITCH_INTERVAL_S:
        sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


def _task_ended(signals: TaskSignals) -> None:
    _running.discard(signals)
    if not _running and _collector_was_enabled:
        gc.enable()


def run_in_background(
    work: Callable[[], Any],
    on_finished: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    pool: QThreadPool | None = None,
) -> TaskSignals:
    """Start `work` on a pool thread; exactly one of the callbacks runs on the GUI thread."""
    signals = TaskSignals()
    _task_started()
    _running.add(signals)  # keep it alive until a result arrives

    def done(result: Any) -> None:
        _task_ended(signals)
        on_finished(result)

    def failed(error: BaseException) -> None:
        _task_ended(signals)
        on_failed(error)

    signals.finished.connect(done)
    signals.failed.connect(failed)
    (pool or QThreadPool.globalInstance()).start(_Task(work, signals))
    return signals
