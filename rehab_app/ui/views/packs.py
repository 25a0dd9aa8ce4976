"""Packs: import a pack from your therapist (patients), or prepare one (therapists).

Importing follows DATA-SAFETY §2.7: the pack is read and checked in the background with a
progress bar, the preview dialog shows what it holds and changes, and only the patient's
Import starts the backup and the single transaction (also in the background). A pack with
problems is explained, member by member, in plain text, and nothing is written. Files dropped
on the window or passed on the command line arrive through `MainWindow.open_files`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.errors import RehabError
from rehab_app.formats.pack.errors import PackError
from rehab_app.ui.dialogs.pack_import import PackImportDialog
from rehab_app.ui.dialogs.questionnaire import big_button
from rehab_app.ui.later import next_turn
from rehab_app.ui.tasks import run_in_background
from rehab_app.ui.widgets.layout import scrolling
from rehab_app.ui.widgets.text import heading, own_label, plain_label
from rehab_app.wording.plan_words import long_date

if TYPE_CHECKING:
    from rehab_app.services.bundle import AppServices
    from rehab_app.services.packs import ImportResult, PackPreview
    from rehab_app.ui.bus import Bus
    from rehab_app.ui.views.pack_editor import HandoutWriter

PACK_SUFFIX = ".rehabpack"


def _open_file(parent: QWidget, title: str, kinds: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), kinds)
    return Path(name) if name else None


def choose_pack_file(parent: QWidget) -> Path | None:
    """Ask for a pack file; tests replace this module attribute."""
    return _open_file(
        parent,
        parent.tr("Choose the pack from your therapist"),
        parent.tr("Exercise packs (*.rehabpack)"),
    )


def choose_visit_bundle(parent: QWidget) -> Path | None:
    """Ask for a visit bundle; tests replace this module attribute."""
    return _open_file(
        parent, parent.tr("Choose the patient's visit bundle"), parent.tr("Visit bundles (*.zip)")
    )


def pack_paths(urls: list) -> list[Path]:  # type: ignore[type-arg]
    """The local `.rehabpack` files among dropped URLs."""
    found = []
    for url in urls:
        if url.isLocalFile() and url.toLocalFile().lower().endswith(PACK_SUFFIX):
            found.append(Path(url.toLocalFile()))
    return found


class _Progress(QObject):
    """Carries progress from the worker thread to the bar (queued into the GUI thread)."""

    moved = Signal(int, int)


class PacksView(QWidget):
    #: Emitted after a pack was imported and committed (the ImportResult).
    imported = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services: AppServices | None = None
        self._bus: Bus | None = None
        self._busy = False
        self.dialog: PackImportDialog | None = None

        outer = QVBoxLayout(self)
        outer.addWidget(heading(self.tr("Exercise packs"), level=1, own_words=True))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Import or prepare a pack"))
        outer.addWidget(self.tabs, 1)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            own_label(
                self.tr(
                    "Your therapist can give you a pack: one file ending in .rehabpack, by email"
                    " or on a USB stick. It sets up your exercises, how much to do and when."
                    " You will see what it holds before anything changes."
                )
            )
        )
        self.choose_button = big_button(self.tr("Choose a pack file…"), object_name="choosePack")
        self.choose_button.clicked.connect(self._choose)
        layout.addWidget(self.choose_button)
        layout.addWidget(own_label(self.tr("Or drag the pack file onto this window.")))
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Progress"))
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.status = plain_label("", "packStatus")
        layout.addWidget(self.status)
        self.problems = QPlainTextEdit()
        self.problems.setObjectName("packProblems")
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName(self.tr("Why the pack cannot be used"))
        self.problems.setVisible(False)
        layout.addWidget(self.problems)
        layout.addWidget(heading(self.tr("Packs you have imported"), 2, own_words=True))
        self.history = QListWidget()
        self.history.setObjectName("packHistory")
        self.history.setAccessibleName(self.tr("Packs you have imported"))
        self.history.setWordWrap(True)
        self.history.setSpacing(4)
        layout.addWidget(self.history, 1)
        self.tabs.addTab(scrolling(page), self.tr("Import a pack"))

    def attach(
        self, services: AppServices, bus: Bus, handout_writer: HandoutWriter | None = None
    ) -> None:
        for step in self.attach_steps(services, bus, handout_writer):
            step()

    def attach_steps(
        self, services: AppServices, bus: Bus, handout_writer: HandoutWriter | None = None
    ) -> list[Callable[[], None]]:
        """`attach` in pieces of well under 50 ms each (the therapist's editor alone takes
        about 35 ms to build), for the main window to run one per turn of the event loop."""

        def connect() -> None:
            self._services = services
            self._bus = bus
            bus.changed.connect(lambda changes: self._refresh_history() if changes.plan else None)
            self._refresh_history()

        editor_steps: list[Callable[[], None]] = []

        def build_editor() -> None:
            from rehab_app.ui.views.pack_editor import PackEditor

            self.editor = PackEditor(staged=True)
            editor_steps.extend(self.editor.building_steps())

        def build_more() -> None:
            if editor_steps:
                editor_steps.pop(0)()

        def add_editor() -> None:
            while editor_steps:  # (none left, unless the editor is built in more steps)
                editor_steps.pop(0)()
            self.editor.attach(services, bus, handout_writer)
            self.tabs.addTab(self.editor, self.tr("Prepare a pack (therapists)"))
            self.tabs.addTab(self._visit_bundle_page(), self.tr("Visit bundles (therapists)"))

        return [connect, build_editor, build_more, build_more, add_editor]

    def _visit_bundle_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            own_label(
                self.tr(
                    "A patient can bring a visit bundle (a .zip made on their Progress screen)."
                    " Open it here to see their pain charts and questionnaire scores. It is"
                    " shown in its own window and nothing of it is added to this computer's"
                    " data."
                )
            )
        )
        self.bundle_button = big_button(
            self.tr("Open a visit bundle…"), object_name="openVisitBundle"
        )
        self.bundle_button.clicked.connect(self._choose_bundle)
        layout.addWidget(self.bundle_button)
        layout.addStretch(1)
        return page

    def _choose_bundle(self) -> None:
        from rehab_app.ui.dialogs.visit_bundle import open_visit_bundle

        path = choose_visit_bundle(self)
        if path is not None and self._services is not None:
            self.bundle_window = open_visit_bundle(self, path, self._services.library)

    # -- opening a pack --------------------------------------------------------------------

    def open_pack(self, path: Path) -> None:
        """Read and check the pack in the background, then show the preview."""
        if self._services is None or self._busy:
            self._tell(self.tr("Please wait: the app is still busy. Try again in a moment."))
            return
        services = self._services
        self.tabs.setCurrentIndex(0)
        self.problems.setVisible(False)
        self._start(self.tr("Checking %1…").replace("%1", path.name))
        relay = _Progress(self)
        relay.moved.connect(self._moved)

        def work() -> PackPreview:
            return services.packs.preview(path, lambda done, total: relay.moved.emit(done, total))

        run_in_background(work, self._show_preview, lambda error: self._failed(path, error))

    def _choose(self) -> None:
        path = choose_pack_file(self)
        if path is not None:
            self.open_pack(path)

    def _show_preview(self, preview: PackPreview) -> None:
        self._stop("")
        assert self._services is not None
        self.dialog = PackImportDialog(preview, self._services.library, parent=self)
        self.dialog.import_confirmed.connect(lambda accepted: self._import(preview, accepted))
        self.dialog.rejected.connect(preview.close)
        self.dialog.rejected.connect(lambda: self._tell(self.tr("Nothing was imported.")))
        # Shown on the next turn: making it (its text measured) and opening its window are
        # 15-25 ms each, too long together for one turn (issue 7).
        next_turn(self.dialog, self.dialog.open)

    def _import(self, preview: PackPreview, accepted: list) -> None:  # type: ignore[type-arg]
        assert self._services is not None
        services = self._services
        self._start(self.tr("Backing up your data and importing the pack…"))
        self.progress.setRange(0, 0)  # busy: a backup and one transaction, no steps to count
        run_in_background(
            lambda: services.packs.apply(preview, accepted),
            self._imported,
            lambda error: self._failed(preview.source, error),
        )

    def _imported(self, result: ImportResult) -> None:
        plan = result.plan_version.plan
        self._stop(
            self.tr(
                "Imported. Your plan is now “%1”. Your earlier plan is kept in the plan"
                " history, and a backup was made first."
            ).replace("%1", plan.title)
        )
        if self._bus is not None:
            self._bus.changed.emit(result.changes)
        self.imported.emit(result)

    def _failed(self, path: Path, error: BaseException) -> None:
        if isinstance(error, PackError):
            self._stop(
                self.tr(
                    "“%1” cannot be used, so nothing was changed. Please send these"
                    " details to your therapist:"
                ).replace("%1", path.name)
            )
            self.problems.setPlainText("\n".join(str(p) for p in error.problems))
            self.problems.setVisible(True)
        elif isinstance(error, RehabError | OSError):
            self._stop(
                self.tr("The pack was not imported, and nothing was changed: %1").replace(
                    "%1", str(error)
                )
            )
        else:
            self._stop(self.tr("The pack was not imported, and nothing was changed."))
            raise error

    # -- feedback --------------------------------------------------------------------------

    def _start(self, text: str) -> None:
        self._busy = True
        self.choose_button.setEnabled(False)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self._tell(text)

    def _stop(self, text: str) -> None:
        self._busy = False
        self.choose_button.setEnabled(True)
        self.progress.setVisible(False)
        if text:
            self._tell(text)

    def _moved(self, done: int, total: int) -> None:
        self.progress.setValue(round(100 * done / max(1, total)))

    def _tell(self, text: str) -> None:
        self.status.setText(text)

    def _refresh_history(self) -> None:
        if self._services is None:
            return
        self.history.clear()
        for record in self._services.packs.imports():
            who = (
                self.tr("signed by %1").replace("%1", record.fingerprint)
                if record.fingerprint
                else self.tr("not signed")
            )
            self.history.addItem(
                self.tr("%1 (version %2)\nfrom %3, imported on %4, %5")
                .replace("%1", record.title)
                .replace("%2", str(record.version))
                .replace("%3", record.author)
                .replace("%4", long_date(record.local_day))
                .replace("%5", who)
            )
        if self.history.count() == 0:
            self.history.addItem(self.tr("None yet."))
