"""Therapist mode: open a patient's visit bundle read-only and look at their charts.

`open_visit_bundle(parent, path)` shows a window at once ("Opening…") and does the slow part
in a worker (rehab_app.services.visit_bundles: check the zip like a pack, import its diary and
questionnaires into a throw-away data folder). Then the window shows what the bundle is (period,
when it was made, where its report PDF was unpacked, what its FHIR file holds) above the same
Progress view the patient sees, on the bundle's data. Nothing in it writes: there is no diary,
no undo to speak of, and the report button stays off (it is given no writer).

Everything from the bundle is shown as plain text. The report PDF is not opened for the
therapist: it came from someone else, so the window only says where it is (the path is
selectable) while the window is open.

Closing removes the temporary folder. A chart load may still be reading the database in a
worker at that moment, so the loads take a lock and the clean-up waits for it, off the GUI
thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import QVBoxLayout, QWidget

from rehab_app.ui.bus import Bus
from rehab_app.ui.widgets.text import heading, own_label, plain_label

if TYPE_CHECKING:
    from rehab_app.services.catalog import Library
    from rehab_app.services.visit_bundles import FhirSummary, OpenedVisitBundle
    from rehab_app.ui.views.progress import ProgressView


def open_visit_bundle(
    parent: QWidget | None, path: Path, library: Library | None = None
) -> VisitBundleWindow:
    """Open the bundle at `path` in its own window (shown at once; filled in when ready)."""
    window = VisitBundleWindow(path, parent)
    window.show()
    window.start(library)
    return window


class VisitBundleWindow(QWidget):
    ready = Signal()  # the bundle is open and its charts drawn
    failed = Signal(str)  # the bundle could not be opened: every problem, one per line

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt

        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.path = path
        self.opened: OpenedVisitBundle | None = None
        self.progress: ProgressView | None = None
        self._closed = False
        self._loads = threading.Lock()
        self._bus = Bus(self)
        self._undo = QUndoStack(self)
        self.setWindowTitle(self.tr("Visit bundle: opening…"))
        self.setAccessibleName(self.windowTitle())

        layout = QVBoxLayout(self)
        self.title = heading(self.tr("Visit bundle"), 1, "bundleTitle")  # plain text
        layout.addWidget(self.title)
        self.status = plain_label(
            self.tr("Opening %1…").replace("%1", path.name), object_name="bundleStatus"
        )
        layout.addWidget(self.status)
        self.details = plain_label("", object_name="bundleDetails")
        self.details.hide()
        layout.addWidget(self.details)
        self.read_only_note = own_label(
            self.tr(
                "Read-only: this is the patient's data as exported. Nothing here changes it or"
                " your own data, and it is removed when you close this window."
            ),
            "bundleReadOnly",
        )
        self.read_only_note.hide()
        layout.addWidget(self.read_only_note)
        self._body = layout
        from rehab_app.ui.dialogs.questionnaire import fit_to_screen

        fit_to_screen(self, 90, 40)

    def start(self, library: Library | None = None) -> None:
        """Open the bundle in a worker; `ready` or `failed` follows."""
        from rehab_app.services.visit_bundles import open_visit_bundle as open_bundle
        from rehab_app.ui.tasks import run_in_background

        path = self.path

        def work() -> OpenedVisitBundle:
            from rehab_app.services.catalog import CatalogService

            return open_bundle(path, library or CatalogService().load())

        def finished(opened: OpenedVisitBundle) -> None:
            if self._closed or not _alive(self):
                _close_later(opened, self._loads)  # closed while it was opening
                return
            self._show(opened)

        def failed(error: BaseException) -> None:
            if not self._closed and _alive(self):
                self._failed(error)

        run_in_background(work, finished, failed)

    # Showing -------------------------------------------------------------------------------

    def _show(self, opened: OpenedVisitBundle) -> None:
        from rehab_app.ui.views.progress import ProgressView

        self.opened = opened
        title = self.tr("Visit bundle: %1").replace("%1", period_words(opened))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.title.setText(title)
        self.status.hide()
        self.details.setText(details_text(opened, self.tr))
        self.details.show()
        self.read_only_note.show()
        self.progress = ProgressView()
        self.progress.drawn.connect(self.ready)
        self.progress.load_failed.connect(self.failed)
        self._body.addWidget(self.progress, 1)
        # The chart loads in a worker: each load holds the lock, so closing can wait for it.
        services = replace(opened.services, progress=_Locked(opened.services.progress, self._loads))
        self.progress.attach(services, self._bus, self._undo)
        self.progress.refresh()

    def _failed(self, error: BaseException) -> None:
        problems = getattr(error, "problems", None)
        text = "\n".join(str(p) for p in problems) if problems else str(error)
        self.setWindowTitle(self.tr("Visit bundle: not opened"))
        self.status.setText(
            self.tr("%1 could not be opened:\n%2").replace("%1", self.path.name).replace("%2", text)
        )
        self.failed.emit(text)

    # Closing -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self._closed = True
        if self.progress is not None:
            self.progress.release_charts()
        if self.opened is not None:
            _close_later(self.opened, self._loads)
            self.opened = None
        super().closeEvent(event)


def period_words(opened: OpenedVisitBundle) -> str:
    """'3 March 2026 – 29 March 2026', or the day it was made when it holds no data."""
    from rehab_app.ui.charts import short_date

    manifest = opened.manifest
    if manifest.first_day and manifest.last_day:
        return f"{short_date(manifest.first_day)} – {short_date(manifest.last_day)}"
    return short_date(manifest.created.date())


def details_text(opened: OpenedVisitBundle, tr: Callable[[str], str]) -> str:
    """What the bundle holds, in plain lines."""
    manifest = opened.manifest
    lines = [
        tr("File: %1").replace("%1", str(opened.path)),
        tr("Made on %1 with rehab_app %2")
        .replace("%1", _day(manifest.created.date()))
        .replace("%2", manifest.app_version or "?"),
        tr("%1 diary entries and %2 questionnaires")
        .replace("%1", str(opened.diary_entries))
        .replace("%2", str(opened.questionnaires)),
        tr("Report (PDF): %1").replace("%1", str(opened.report))
        if opened.report
        else tr("Report (PDF): not in this bundle"),
        fhir_words(opened.fhir, tr),
    ]
    return "\n".join(lines)


def fhir_words(summary: FhirSummary | None, tr: Callable[[str], str]) -> str:
    if summary is None:
        return tr("FHIR data: none that could be read")
    counts = ", ".join(f"{kind}: {count}" for kind, count in summary.resources.items())
    text = tr("FHIR data: %1").replace("%1", counts)
    if summary.plan_title:
        text += "\n" + tr("Plan: %1").replace("%1", summary.plan_title)
    return text


def _day(day: date) -> str:
    from rehab_app.ui.charts import short_date

    return short_date(day)


class _Locked:
    """The bundle's ProgressService with each load holding `lock` (see the module docstring)."""

    def __init__(self, inner: Any, lock: threading.Lock) -> None:
        self._inner = inner
        self._lock = lock

    def load(self, *arguments: Any, **keywords: Any) -> Any:
        with self._lock:
            return self._inner.load(*arguments, **keywords)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _close_later(opened: OpenedVisitBundle, lock: threading.Lock) -> None:
    """Remove the bundle's temporary folder in a worker, once no chart load is reading it."""
    from rehab_app.ui.tasks import run_in_background

    def work() -> None:
        with lock:
            opened.close()

    # Nothing to report either way: close() ignores what it cannot remove.
    run_in_background(work, lambda _: None, lambda _: None)


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)
