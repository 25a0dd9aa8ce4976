"""Measures how long the event loop goes without turning: the longest stall a person would feel.

A zero-interval timer runs whenever the loop is idle; the longest gap between two of its ticks
is the longest time the window could not paint or answer a key. Cyclic garbage collection is
switched off while measuring (and run before), because a collection pause depends on the whole
test process's heap, not on the screen being measured; tests/benchmarks report it on its own.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from PySide6.QtCore import QTimer


@dataclass
class LagProbe:
    longest_ms: float = 0.0
    gaps_over_50_ms: list[float] = field(default_factory=list)
    _last: float = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        self._last = now
        if gap > self.longest_ms:
            self.longest_ms = gap
        if gap > 50:
            self.gaps_over_50_ms.append(round(gap, 1))


@contextmanager
def lag_probe() -> Iterator[LagProbe]:
    probe = LagProbe()
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(probe._tick)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    probe._last = time.perf_counter()
    timer.start()
    try:
        yield probe
    finally:
        timer.stop()
        if was_enabled:
            gc.enable()
