"""Run slow work off the GUI thread and deliver the result back on it (as Picard does).

Anything that can take more than 100 ms (opening the database, loading the library, imports,
reports) goes through `run_in_background`, so the window keeps painting and answering keys.
"""

from __future__ import annotations

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


def run_in_background(
    work: Callable[[], Any],
    on_finished: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    pool: QThreadPool | None = None,
) -> TaskSignals:
    """Start `work` on a pool thread; exactly one of the callbacks runs on the GUI thread."""
    signals = TaskSignals()
    _running.add(signals)  # keep it alive until a result arrives

    def done(result: Any) -> None:
        _running.discard(signals)
        on_finished(result)

    def failed(error: BaseException) -> None:
        _running.discard(signals)
        on_failed(error)

    signals.finished.connect(done)
    signals.failed.connect(failed)
    (pool or QThreadPool.globalInstance()).start(_Task(work, signals))
    return signals
