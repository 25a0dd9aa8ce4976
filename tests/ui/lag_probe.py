"""Measures how long the event loop goes without turning: the longest stall a person would feel.

A zero-interval timer runs whenever the loop is idle; the longest gap between two of its ticks
is the longest time the window could not paint or answer a key. Cyclic garbage collection is
switched off while measuring (and run before), because a collection pause depends on the whole
test process's heap, not on the screen being measured; tests/benchmarks report it on its own.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from PySide6.QtCore import QTimer

#: Set REHAB_LAG_TRACE=1 to learn where a stall comes from: a thread then samples the main
#: thread's Python stack every few milliseconds while the loop has not turned for 25 ms, and
#: the probe's `stalled_in` lists the stacks seen most.
TRACE = os.environ.get("REHAB_LAG_TRACE") == "1"


@dataclass
class LagProbe:
    longest_ms: float = 0.0
    gaps_over_50_ms: list[float] = field(default_factory=list)
    samples: Counter[str] = field(default_factory=Counter)
    #: During the longest gap: CPU time of the GUI thread and of the whole process (ms).
    #: Wall time well above the GUI thread's CPU time is time it waited: for the GIL, held
    #: by a worker, or for a processor.
    longest_cpu_ms: float = 0.0
    longest_process_cpu_ms: float = 0.0
    _last: float = 0.0
    _last_cpu: float = 0.0
    _last_process_cpu: float = 0.0

    def stalled_in(self, top: int = 5) -> str:
        return "\n".join(f"{n} samples:\n  {stack}" for stack, n in self.samples.most_common(top))

    def _tick(self) -> None:
        now, cpu, process_cpu = time.perf_counter(), time.thread_time(), time.process_time()
        gap = (now - self._last) * 1000
        if gap > self.longest_ms:
            self.longest_ms = gap
            self.longest_cpu_ms = (cpu - self._last_cpu) * 1000
            self.longest_process_cpu_ms = (process_cpu - self._last_process_cpu) * 1000
        self._last, self._last_cpu, self._last_process_cpu = now, cpu, process_cpu
        if gap > 50:
            self.gaps_over_50_ms.append(round(gap, 1))


def _sample_stalls(probe: LagProbe, stop: threading.Event) -> None:
    main = threading.main_thread().ident
    while not stop.wait(0.003):
        if time.perf_counter() - probe._last < 0.025:
            continue
        frame = sys._current_frames().get(main)
        if frame is not None:
            where = [
                f"{f.filename.rsplit('site-packages/', 1)[-1]}:{f.lineno} {f.name}"
                for f in traceback.extract_stack(frame)[-16:]
            ]
            probe.samples["\n  ".join(where)] += 1


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
    probe._last_cpu, probe._last_process_cpu = time.thread_time(), time.process_time()
    timer.start()
    stop = threading.Event()
    if TRACE:
        threading.Thread(target=_sample_stalls, args=(probe, stop), daemon=True).start()
    try:
        yield probe
    finally:
        stop.set()
        timer.stop()
        if was_enabled:
            gc.enable()
