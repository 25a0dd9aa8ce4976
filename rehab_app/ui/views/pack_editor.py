"""Prepare a pack (therapists): edit a pack source folder, preview it, export it signed, print it.

The therapist works on a pack SOURCE FOLDER, the folder `rehab-app pack build SRC -o FILE`
reads (docs/pack-format.md), so the app and the command line agree and the folder can live in
version control. Everything that touches files goes through `services.pack_authoring`:

- New pack: copy an example, or start from the library (empty, or the patient's current plan),
  into a folder the therapist chooses; Open: any pack folder.
- Edits change a draft (`PackSource`); Save writes the folder and says "Saved" only after the
  write returned. Export and Preview save first, so what is exported is what is in the folder.
- Export builds and signs in the background (`pack_authoring.build`: the key is made on the first
  export, 0600 in the data folder) and lists every problem, "member: field: message".
- Preview builds to a temporary file, reads it back as the patient's app does and shows it in the
  read-only import dialog. Print writes the handout PDF in the background (through
  the handout writer the composition root hands to `attach`).

File and folder choosers are module functions (`choose_folder`, `choose_save_file`,
`choose_photo`) so tests replace them; nothing here blocks a test with a modal dialog.
Everything a pack holds is shown as plain text.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.changes import Changes
from rehab_app.core.errors import Problem, RehabError
from rehab_app.core.exercise import Exercise
from rehab_app.core.plan import PainThresholds, Plan
from rehab_app.formats.exercise_toml import problems_from
from rehab_app.formats.pack.errors import PackError
from rehab_app.formats.pack.manifest import PackManifest
from rehab_app.services import pack_authoring
from rehab_app.services.catalog import Library
from rehab_app.services.pack_authoring import PackSource
from rehab_app.ui.dialogs.pack_import import PackImportDialog
from rehab_app.ui.dialogs.questionnaire import big_button
from rehab_app.ui.later import StagedBuild
from rehab_app.ui.tasks import run_in_background
from rehab_app.ui.widgets.exercise_form import CustomExerciseForm
from rehab_app.ui.widgets.layout import scrolling
from rehab_app.ui.widgets.plan_editor import PlanEditor
from rehab_app.ui.widgets.text import heading, own_label, plain_label
from rehab_app.wording.plan_words import pain_rule_lines

if TYPE_CHECKING:
    from rehab_app.formats.pack.writer import BuiltPack
    from rehab_app.services.bundle import AppServices
    from rehab_app.services.packs import PackPreview
    from rehab_app.ui.bus import Bus

AUTHOR_KEY = "pack_author"
MESSAGE_LIMIT = 500
PACK_SUFFIX = ".rehabpack"
PHOTO_TYPES = "*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff *.gif"


#: Writes the handout PDF: (path, plan, library, author, message, page size "a4" or "letter")
#: -> number of pages; runs in a worker thread. `rehab_app.ui` may not import
#: `rehab_app.reports` (sibling layers, ARCHITECTURE.md), so the composition root hands one to
#: `attach` (`reports.handout.write_plan_handout`). Without one the Print button is hidden.
HandoutWriter = Callable[[Path, Plan, Library, str, str, str], int]


# -- choosers: small functions that tests replace ------------------------------------------------


def choose_folder(parent: QWidget, title: str) -> Path | None:
    """Ask for a folder (a pack folder to open, or where a new one goes)."""
    name = QFileDialog.getExistingDirectory(parent, title, str(Path.home()))
    return Path(name) if name else None


def choose_save_file(parent: QWidget, title: str, suggested: Path, kinds: str) -> Path | None:
    """Ask where to write a file, suggesting `suggested`."""
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), kinds)
    return Path(name) if name else None


def choose_photo(parent: QWidget) -> Path | None:
    """Ask for a photo or drawing of an exercise."""
    name, _ = QFileDialog.getOpenFileName(
        parent,
        parent.tr("Choose a photo or drawing of the exercise"),
        str(Path.home()),
        parent.tr("Pictures (%1)").replace("%1", PHOTO_TYPES),
    )
    return Path(name) if name else None


class PackEditor(QWidget):
    """The therapist's side of the Packs screen."""

    #: The folder was written (the PackSource as saved).
    saved = Signal(object)
    #: A pack was exported (the BuiltPack).
    exported = Signal(object)
    #: A handout was written: (path, number of pages).
    handout_written = Signal(object)
    #: The preview dialog is open (the dialog).
    preview_opened = Signal(object)
    #: A custom exercise was added or changed (the Exercise as stored).
    exercise_stored = Signal(object)
    #: Something failed; the status says what (plain text).
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, staged: bool = False) -> None:
        """With `staged`, only the top of the editor is made here; run `building_steps()`
        (one per turn of the event loop, as the Packs screen does) before using it. Made in
        one go the editor takes about 40 ms, too long a stall for the event loop (issue 7)."""
        super().__init__(parent)
        self._services: AppServices | None = None
        self._bus: Bus | None = None
        self._handout_writer: HandoutWriter | None = None
        self.folder: Path | None = None
        self.source: PackSource | None = None
        self._saved: PackSource | None = None
        self._fresh = False  # made just now: version 1 has not been given out
        self._exported_version: int | None = None
        self._busy = False
        self._loading = False
        self.preview_dialog: PackImportDialog | None = None
        self._examples: dict[str, Path] = {}

        outer = QVBoxLayout(self)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(heading(self.tr("Prepare a pack for a patient"), 2, own_words=True))
        layout.addWidget(
            own_label(
                self.tr(
                    "A pack is one file you give your patient. It sets up their exercises,"
                    " how much and when, your message and their pain limits. You work on a"
                    " pack folder: keep it (it can go into version control) and export a new"
                    " version of the pack whenever you change it."
                )
            )
        )
        layout.addWidget(self._build_start())
        self.pack_area = QWidget()
        area = QVBoxLayout(self.pack_area)
        area.setContentsMargins(0, 0, 0, 0)
        area.addWidget(self._build_manifest())
        area.addWidget(self._build_thresholds())
        area.addWidget(heading(self.tr("Exercises, doses and when"), 2, own_words=True))
        layout.addWidget(self.pack_area)
        layout.addStretch(1)

        def add_plan_editor() -> None:
            self.plan_editor = PlanEditor(
                problems_heading=self.tr("Fix these before you export the pack:")
            )
            self.plan_editor.setMinimumHeight(480)
            area.addWidget(self.plan_editor)

        def add_the_rest() -> None:
            area.addWidget(self._build_custom())
            # Sideways scrolling only when very large text needs it (the plan editor is wide).
            outer.addWidget(scrolling(body, horizontal=True), 1)
            outer.addWidget(self._build_actions())
            self._connect()
            self._show_source()

        self._building = StagedBuild([add_plan_editor, add_the_rest], staged=staged)

    def building_steps(self) -> list[Callable[[], None]]:
        """What is left to build (see `staged`), in order; each step runs once."""
        return self._building.take()

    # Public API ---------------------------------------------------------------------------

    def attach(
        self, services: AppServices, bus: Bus, handout_writer: HandoutWriter | None = None
    ) -> None:
        self._services, self._bus = services, bus
        self._handout_writer = handout_writer
        self.plan_editor.today = services.sessions.today
        self.plan_editor.set_warn_limits(
            int(services.settings.get("warn_exercises", self.plan_editor.warn_limits()[0])),
            int(services.settings.get("warn_minutes", self.plan_editor.warn_limits()[1])),
        )
        self._fill_start_choices()
        bus.changed.connect(self._on_changed)
        self._show_fingerprint()

    def has_unsaved_changes(self) -> bool:
        if self.source is None:
            return False
        # Compared with the manifest copied into the plan, as it is written.
        return self._saved is None or self.source.synced() != self._saved.synced()

    def open_folder(self, folder: Path) -> bool:
        """Open a pack folder; False (with every problem listed) when it cannot be used."""
        assert self._services is not None
        try:
            source = pack_authoring.load_source(folder, self._services.library, self._today())
        except PackError as error:
            self._show_problems(
                self.tr("“%1” cannot be opened as a pack folder:").replace("%1", str(folder)),
                [str(problem) for problem in error.problems],
            )
            return False
        except OSError as error:
            self._say(
                self.tr("“%1” cannot be opened: %2")
                .replace("%1", str(folder))
                .replace("%2", error.strerror or str(error))
            )
            return False
        self.folder = folder
        self._exported_version = None
        self._saved = source
        self.source = source
        self._show_source()
        self._show_problems("", [])
        self._say(self.tr("Opened the pack folder %1.").replace("%1", str(folder)))
        return True

    def start_new(self, target: Path) -> bool:
        """Make a new pack in `target` from the choice in "Start from", then open it."""
        assert self._services is not None
        kind, value = self._start_from()
        services = self._services
        try:
            if value is not None:
                pack_authoring.new_source_from_example(value, target)
            else:
                plan = None
                if kind == "current":
                    current = services.plans.current()
                    plan = current.plan if current else None
                pack_authoring.new_source_from_plan(
                    plan,
                    target,
                    str(services.settings.get(AUTHOR_KEY, "") or ""),
                    services.library,
                    title=None if plan else self.tr("My exercise pack"),
                    today=self._today(),
                )
        except PackError as error:
            self._show_problems(
                self.tr("The new pack was not made:"), [str(p) for p in error.problems]
            )
            return False
        except OSError as error:
            self._say(self.tr("The new pack was not made: %1").replace("%1", str(error)))
            return False
        if not self.open_folder(target):
            return False
        self._fresh = True
        self._show_version_hint()
        self._say(
            self.tr("Made a new pack in %1. Change what you like, then Save.").replace(
                "%1", str(target)
            )
        )
        return True

    def save(self) -> bool:
        """Write the draft into the pack folder; True once the files are written."""
        if self.source is None or self.folder is None:
            return False
        problems = self._manifest_problems(self.source)
        if self.plan_editor.entry_problem():  # the draft would silently miss what was typed
            problems.append(self.plan_editor.entry_problem())
        if problems:
            self._show_problems(self.tr("Not saved yet. Please fix:"), problems)
            return False
        source = self.source.synced()
        try:
            pack_authoring.save_source(self.folder, source)
        except OSError as error:
            self._say(self.tr("Not saved: %1").replace("%1", error.strerror or str(error)))
            self.failed.emit(self.status.text())
            return False
        self.source = source
        self._saved = source
        if self._services is not None and source.author:
            self._services.settings.set(AUTHOR_KEY, source.author)
        self._show_problems("", [])
        self._update_state()
        self._say(self.tr("Saved at %1.").replace("%1", f"{datetime.now():%H:%M}"))
        self.saved.emit(source)
        return True

    def export(self) -> None:
        """Save, ask where to write the pack, then build and sign it in the background."""
        if not self._ready_to_build():
            return
        assert self.source is not None and self.folder is not None and self._services
        suggested = (
            self.folder.parent / f"{self.source.pack_id}-v{self.source.version}{PACK_SUFFIX}"
        )
        output = choose_save_file(
            self,
            self.tr("Export the pack"),
            suggested,
            self.tr("Exercise packs (*.rehabpack)"),
        )
        if output is None:
            return
        if output.suffix.lower() != PACK_SUFFIX:
            output = output.with_name(output.name + PACK_SUFFIX)
        services, folder = self._services, self.folder
        self._start(self.tr("Checking, signing and writing the pack…"))
        run_in_background(
            lambda: pack_authoring.build(folder, output, services.library, services.data_dir),
            self._exported,
            lambda error: self._failed(self.tr("The pack was not exported."), error),
        )

    def preview(self) -> None:
        """Save, build to a temporary file and show it as the patient's app will."""
        if not self._ready_to_build():
            return
        assert self.folder is not None and self._services is not None
        services, folder = self._services, self.folder
        try:  # a preview is signed only once the key exists: it is made on the first export
            signed = pack_authoring.key_fingerprint(services.data_dir) is not None
        except RehabError:
            signed = False
        temporary = Path(tempfile.mkdtemp(prefix="rehab-pack-preview-"))

        def work() -> PackPreview:
            path = temporary / f"preview{PACK_SUFFIX}"
            pack_authoring.build(
                folder, path, services.library, services.data_dir if signed else None
            )
            return services.packs.preview(path)

        def failed(error: BaseException) -> None:
            shutil.rmtree(temporary, ignore_errors=True)
            self._failed(self.tr("The preview could not be made."), error)

        self._start(self.tr("Making the preview…"))
        run_in_background(work, lambda preview: self._show_preview(preview, temporary), failed)

    def print_handout(self) -> None:
        """Ask where to save the handout PDF, then write it in the background."""
        writer = self._handout_writer
        if self.source is None or self.folder is None or self._services is None or self._busy:
            return
        if writer is None:
            self._say(self.tr("Printing handouts is not available in this version of the app."))
            return
        source = self.source.synced()
        suggested = self.folder.parent / f"{source.pack_id}-handout.pdf"
        output = choose_save_file(
            self, self.tr("Save the handout"), suggested, self.tr("PDF documents (*.pdf)")
        )
        if output is None:
            return
        if output.suffix.lower() != ".pdf":
            output = output.with_name(output.name + ".pdf")
        library = self._library(source)
        page = str(self.page_size.currentData())
        self._start(self.tr("Writing the handout…"))
        run_in_background(
            lambda: (
                output,
                writer(output, source.plan, library, source.author, source.message, page),
            ),
            self._handout_done,
            lambda error: self._failed(self.tr("The handout was not written."), error),
        )

    # Building the screen ------------------------------------------------------------------

    def _build_start(self) -> QWidget:
        box = _titled(self.tr("Start"))
        layout = box.inner
        row = QHBoxLayout()
        row.addWidget(own_label(self.tr("Start from:")))
        self.start_choice = QComboBox()
        self.start_choice.setAccessibleName(self.tr("What to start a new pack from"))
        self.start_choice.setMinimumHeight(36)
        row.addWidget(self.start_choice, 1)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        self.new_button = big_button(self.tr("New pack…"), self.tr("Start a new pack"))
        self.open_button = big_button(
            self.tr("Open a pack folder…"), self.tr("Open an existing pack folder")
        )
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.folder_label = plain_label("", "packFolder")
        layout.addWidget(self.folder_label)
        return box

    def _build_manifest(self) -> QWidget:
        box = _titled(self.tr("About the pack"))
        form = QFormLayout()
        box.inner.addLayout(form)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(80)
        self.title_edit.setAccessibleName(self.tr("Title of the pack"))
        self.pack_id_edit = QLineEdit()
        self.pack_id_edit.setMaxLength(64)
        self.pack_id_edit.setAccessibleName(self.tr("Pack id"))
        pack_id_hint = own_label(
            self.tr(
                "Small letters, digits and dashes, like early-sciatica. Keep it the same for"
                " every version of this pack."
            )
        )
        self.version_spin = QSpinBox()
        self.version_spin.setRange(1, 1_000_000)
        self.version_spin.setAccessibleName(self.tr("Version of the pack"))
        self.next_version_button = QPushButton()
        self.next_version_button.setMinimumHeight(36)
        self.version_spin.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 10)
        self.version_hint = own_label("", "versionHint")
        version_row = QHBoxLayout()
        version_row.addWidget(self.version_spin)
        version_row.addWidget(self.next_version_button)
        version_row.addWidget(self.version_hint, 1)
        self.pack_id_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("m") * 24)
        pack_id_row = QHBoxLayout()
        pack_id_row.addWidget(self.pack_id_edit, 1)
        pack_id_row.addWidget(pack_id_hint, 1)
        self.author_edit = QLineEdit()
        self.author_edit.setMaxLength(120)
        self.author_edit.setAccessibleName(self.tr("Your name, as the patient knows you"))
        self.plan_title_edit = QLineEdit()
        self.plan_title_edit.setMaxLength(80)
        self.plan_title_edit.setPlaceholderText(self.tr("The same as the title"))
        self.plan_title_edit.setAccessibleName(self.tr("Name of the plan on the patient's screen"))
        self.message_edit = QPlainTextEdit()
        self.message_edit.setTabChangesFocus(True)
        self.message_edit.setAccessibleName(self.tr("Your message to the patient"))
        self.message_edit.setFixedHeight(self.message_edit.fontMetrics().lineSpacing() * 5 + 16)
        self.message_count = own_label("", "messageCount")
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Pack id"), pack_id_row)
        form.addRow(self.tr("Version"), version_row)
        form.addRow(self.tr("Your name"), self.author_edit)
        form.addRow(self.tr("Plan name"), self.plan_title_edit)
        form.addRow(self.tr("Message"), self.message_edit)
        form.addRow("", self.message_count)
        self.manifest_problems = plain_label("", "manifestProblems")
        self.manifest_problems.setVisible(False)
        form.addRow(self.manifest_problems)
        return box

    def _build_thresholds(self) -> QWidget:
        box = _titled(self.tr("Pain limits"))
        layout = box.inner
        layout.addWidget(
            own_label(
                self.tr(
                    "The app asks the patient about pain (0 = none, 10 = the worst) during the"
                    " exercises and the next morning, and uses these limits to say whether to"
                    " carry on, ease off or stop."
                )
            )
        )
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.green_spin = self._pain_spin(self.tr("Fine (green) up to this pain"))
        self.amber_spin = self._pain_spin(self.tr("Ease off (amber) up to this pain"))
        self.morning_spin = self._pain_spin(self.tr("Next morning, points above usual"))
        form.addRow(
            self.tr("Fine up to"),
            self._with_words(
                self.green_spin,
                self.tr("During the exercises, pain up to this number is fine: keep going."),
            ),
        )
        form.addRow(
            self.tr("Ease off up to"),
            self._with_words(
                self.amber_spin,
                self.tr(
                    "Pain above the first number and up to this one: move more gently or do fewer."
                    " Above this number: stop that exercise."
                ),
            ),
        )
        form.addRow(
            self.tr("Next morning"),
            self._with_words(
                self.morning_spin,
                self.tr("How many points worse than usual the pain may be the next morning."),
            ),
        )
        layout.addLayout(form)
        layout.addWidget(heading(self.tr("Your patient will read:"), 3, own_words=True))
        self.pain_rule = plain_label("", "painRule")
        layout.addWidget(self.pain_rule)
        return box

    def _pain_spin(self, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, 10)
        spin.setAccessibleName(name)
        spin.setMinimumWidth(70)
        return spin

    def _with_words(self, spin: QSpinBox, words: str) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(spin)
        row.addWidget(own_label(words), 1)
        return holder

    def _build_custom(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(self.tr("Your own exercises"), 2, own_words=True))
        layout.addWidget(
            own_label(
                self.tr(
                    "Add an exercise that is not in the library, with a photo. Once added,"
                    " choose it under “Exercises, doses and when” to put it in a phase."
                )
            )
        )
        row = QHBoxLayout()
        self.custom_list = QListWidget()
        self.custom_list.setAccessibleName(self.tr("Your own exercises in this pack"))
        self.custom_list.setMaximumHeight(120)
        row.addWidget(self.custom_list, 1)
        self.remove_custom_button = QPushButton(self.tr("Remove from the pack"))
        self.remove_custom_button.setAccessibleName(
            self.tr("Remove the selected exercise from the pack")
        )
        self.remove_custom_button.setMinimumHeight(40)
        row.addWidget(self.remove_custom_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        self.custom_form = CustomExerciseForm()
        layout.addWidget(self.custom_form)
        return box

    def _build_actions(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("packActions")
        layout = QVBoxLayout(bar)
        layout.setContentsMargins(0, 4, 0, 0)
        buttons = QHBoxLayout()
        self.save_button = big_button(self.tr("Save"), self.tr("Save the pack folder"))
        self.preview_button = big_button(
            self.tr("Preview"), self.tr("Preview the pack as the patient will see it")
        )
        self.preview_button.setToolTip(self.tr("See the pack as your patient will see it"))
        self.export_button = big_button(
            self.tr("Export signed pack…"), self.tr("Export the signed pack file")
        )
        self.print_button = big_button(
            self.tr("Print handout (PDF)…"), self.tr("Save a printable handout as a PDF")
        )
        self.page_size = QComboBox()
        self.page_size.addItem(self.tr("A4 paper"), "a4")
        self.page_size.addItem(self.tr("Letter paper"), "letter")
        self.page_size.setAccessibleName(self.tr("Paper size of the handout"))
        self.page_size.setMinimumHeight(36)
        for widget in (self.save_button, self.preview_button, self.export_button):
            buttons.addWidget(widget)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.page_size)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(self.tr("Working"))
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.status = plain_label("", "packEditorStatus")
        self.status.setAccessibleName(self.tr("What happened last"))
        layout.addWidget(self.status)
        self.problems = QPlainTextEdit()
        self.problems.setObjectName("packEditorProblems")
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName(self.tr("Problems to fix in the pack"))
        self.problems.setMaximumHeight(self.problems.fontMetrics().lineSpacing() * 6 + 16)
        self.problems.setVisible(False)
        layout.addWidget(self.problems)
        self.fingerprint_label = plain_label("", "keyFingerprint")
        self.fingerprint_label.setAccessibleName(self.tr("Your signing key"))
        layout.addWidget(self.fingerprint_label)
        return bar

    def _connect(self) -> None:
        self.new_button.clicked.connect(self._choose_new)
        self.open_button.clicked.connect(self._choose_open)
        for edit in (self.title_edit, self.pack_id_edit, self.author_edit, self.plan_title_edit):
            edit.textEdited.connect(self._manifest_edited)
        self.message_edit.textChanged.connect(self._manifest_edited)
        for spin in (self.version_spin, self.green_spin, self.amber_spin, self.morning_spin):
            spin.valueChanged.connect(self._manifest_edited)
        self.next_version_button.clicked.connect(
            lambda: self.version_spin.setValue(self._next_version())
        )
        self.plan_editor.changed.connect(self._plan_edited)
        self.plan_editor.exercise_added.connect(
            lambda name: self._say(
                self.tr("Added %1. Save the pack to keep it.").replace("%1", name)
            )
        )
        self.custom_list.currentRowChanged.connect(self._custom_selected)
        self.remove_custom_button.clicked.connect(self._remove_custom)
        self.custom_form.photo_button.clicked.connect(self._choose_photo)
        self.custom_form.add_button.clicked.connect(self._store_custom)
        self.save_button.clicked.connect(self.save)
        self.preview_button.clicked.connect(self.preview)
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_handout)

    # Showing the draft --------------------------------------------------------------------

    def _show_source(self) -> None:
        source = self.source
        self.pack_area.setVisible(source is not None)
        self.folder_label.setText(
            self.tr("Pack folder: %1").replace("%1", str(self.folder))
            if self.folder
            else self.tr("No pack open yet. Start a new one or open a pack folder.")
        )
        self._loading = True
        try:
            self.title_edit.setText(source.title if source else "")
            self.pack_id_edit.setText(source.pack_id if source else "")
            self.version_spin.setValue(source.version if source else 1)
            self.author_edit.setText(source.author if source else "")
            self.plan_title_edit.setText((source.plan_title or "") if source else "")
            self.message_edit.setPlainText(source.message if source else "")
            limits = source.thresholds if source else PainThresholds()
            self.green_spin.setValue(limits.green_max)
            self.amber_spin.setValue(limits.amber_max)
            self.morning_spin.setValue(limits.morning_rise_amber)
        finally:
            self._loading = False
        self._fresh = False
        if source is not None:
            library = self._library(source)
            self.plan_editor.set_library(library)
            self.plan_editor.set_plan(source.plan)
        else:
            self.plan_editor.set_plan(None)
        self._show_custom_list()
        self.custom_form.clear()
        self._show_manifest_feedback()
        self._update_state()

    def _show_custom_list(self, select: str | None = None) -> None:
        self._loading = True
        try:
            self.custom_list.clear()
            for exercise in self.source.exercises if self.source else ():
                item = QListWidgetItem(exercise.name)
                item.setData(Qt.ItemDataRole.UserRole, exercise.id)
                self.custom_list.addItem(item)
                if exercise.id == select:
                    self.custom_list.setCurrentItem(item)
            if self.custom_list.count() == 0:
                placeholder = QListWidgetItem(self.tr("None yet."))
                placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
                self.custom_list.addItem(placeholder)
        finally:
            self._loading = False
        self.remove_custom_button.setEnabled(self._selected_custom() is not None)

    def _show_manifest_feedback(self) -> None:
        source = self.source
        count = len(self.message_edit.toPlainText().strip())
        self.message_count.setText(
            self.tr("%1 of %2 characters")
            .replace("%1", str(count))
            .replace("%2", str(MESSAGE_LIMIT))
        )
        limits = self._thresholds_or_none()
        self.pain_rule.setText(
            "\n".join(f"• {sentence}" for _zone, sentence in pain_rule_lines(limits))
            if limits
            else self.tr("The first limit must not be above the second.")
        )
        problems = self._manifest_problems(source) if source else []
        self.manifest_problems.setText("\n".join(problems))
        self.manifest_problems.setVisible(bool(problems))
        self._show_version_hint()

    def _show_version_hint(self) -> None:
        if self.source is None:
            self.version_hint.setText("")
            self.next_version_button.setVisible(False)
            return
        version = self.version_spin.value()
        if self._fresh and self._exported_version is None:
            self.version_hint.setText(
                self.tr(
                    "This is a new pack. Raise the version for every changed pack you give out."
                )
            )
            self.next_version_button.setVisible(False)
            return
        next_version = self._next_version()
        if version >= next_version:
            self.version_hint.setText(
                self.tr("Version %1: a new version, newer than the one you opened.").replace(
                    "%1", str(version)
                )
            )
            self.next_version_button.setVisible(False)
            return
        if self._exported_version is not None:
            text = self.tr(
                "You exported version %1 already. Before you give out a changed pack, make it"
                " version %2, or the patient's app will say it has this version already."
            ).replace("%1", str(self._exported_version))
        else:
            text = self.tr(
                "If your patient already has version %1, make the changed pack version %2."
            ).replace("%1", str(version))
        self.version_hint.setText(text.replace("%2", str(next_version)))
        self.next_version_button.setText(self.tr("Use version %1").replace("%1", str(next_version)))
        self.next_version_button.setAccessibleName(self.next_version_button.text())
        self.next_version_button.setVisible(True)

    def _next_version(self) -> int:
        opened = self._saved.version if self._saved else 1
        return max(opened, self._exported_version or 0) + 1

    def _show_fingerprint(self) -> None:
        if self._services is None:
            return
        try:
            code = pack_authoring.key_fingerprint(self._services.data_dir)
        except RehabError as error:
            self.fingerprint_label.setText(str(error))
            return
        if code is None:
            self.fingerprint_label.setText(
                self.tr(
                    "Your signing key: made on your first export. Its code then appears here,"
                    " for your patient to check."
                )
            )
        else:
            self.fingerprint_label.setText(
                self.tr(
                    "Your signing key: %1 — read this out to your patient so they can check it."
                ).replace("%1", code)
            )

    def _fill_start_choices(self) -> None:
        """The examples by folder name ("example:early_sciatica"), "blank" and "current"."""
        chosen = self.start_choice.currentData()
        self.start_choice.clear()
        self._examples = {}
        for folder, title in pack_authoring.examples():
            self._examples[f"example:{folder.name}"] = folder
            self.start_choice.addItem(
                self.tr("Example: %1").replace("%1", title), f"example:{folder.name}"
            )
        self.start_choice.addItem(
            self.tr("The library: an empty plan, choose the exercises"), "blank"
        )
        if self._services is not None and self._services.plans.current() is not None:
            self.start_choice.addItem(
                self.tr("The library: a copy of the current plan in this app"), "current"
            )
        self.start_choice.setCurrentIndex(max(0, self.start_choice.findData(chosen)))

    def _on_changed(self, changes: Changes) -> None:
        if changes.plan:  # "a copy of the current plan" comes and goes with the plan
            self._fill_start_choices()

    def _start_from(self) -> tuple[str, Path | None]:
        key = str(self.start_choice.currentData())
        if key in self._examples:
            return "example", self._examples[key]
        return key, None

    def _update_state(self) -> None:
        has_pack = self.source is not None and not self._busy
        self.save_button.setEnabled(has_pack and self.has_unsaved_changes())
        for button in (self.preview_button, self.export_button, self.print_button):
            button.setEnabled(has_pack)
        for widget in (self.print_button, self.page_size):
            widget.setVisible(self._handout_writer is not None)
        self.new_button.setEnabled(not self._busy)
        self.open_button.setEnabled(not self._busy)

    # Edits --------------------------------------------------------------------------------

    def _thresholds_or_none(self) -> PainThresholds | None:
        try:
            return PainThresholds(
                green_max=self.green_spin.value(),
                amber_max=self.amber_spin.value(),
                morning_rise_amber=self.morning_spin.value(),
            )
        except ValidationError:
            return None

    def _manifest_edited(self) -> None:
        if self._loading or self.source is None:
            return
        limits = self._thresholds_or_none()
        self.source = replace(
            self.source,
            title=self.title_edit.text().strip(),
            pack_id=self.pack_id_edit.text().strip(),
            version=self.version_spin.value(),
            author=self.author_edit.text().strip(),
            plan_title=self.plan_title_edit.text().strip() or None,
            message=self.message_edit.toPlainText().strip(),
            thresholds=limits or self.source.thresholds,
        )
        self._show_manifest_feedback()
        self._edited()

    def _plan_edited(self, plan: Plan) -> None:
        if self.source is not None:
            self.source = replace(self.source, plan=plan)
            self._edited()

    def _edited(self) -> None:
        self._update_state()
        if self.has_unsaved_changes() and not self.status.text().startswith(self.tr("Added")):
            self._say(self.tr("You have unsaved changes."))

    def _manifest_problems(self, source: PackSource) -> list[str]:
        """What is wrong with the manifest fields, in words a therapist can act on."""
        found = []
        if self._thresholds_or_none() is None:
            found.append(self.tr("Pain limits: “Fine up to” must not be above “Ease off up to”."))
        try:
            PackManifest(
                format_version=1,
                pack_id=source.pack_id,
                version=source.version,
                title=source.title,
                author=source.author,
                created=datetime.now().astimezone(),
                message=source.message,
                thresholds=source.thresholds,
            )
        except ValidationError as error:
            words = {
                "title": self.tr("Title: please give the pack a title (at most 80 characters)."),
                "pack_id": self.tr(
                    "Pack id: use 3 to 64 small letters, digits and dashes, like early-sciatica."
                ),
                "author": self.tr(
                    "Your name: please fill it in, so the patient knows who it is from."
                ),
                "message": self.tr("Message: at most %1 characters.").replace(
                    "%1", str(MESSAGE_LIMIT)
                ),
            }
            for problem in problems_from("manifest", error, PackManifest):
                key = problem.field.split(".")[0]
                found.append(words.get(key) or _field_words(problem))
        return list(dict.fromkeys(found))

    # Custom exercises ---------------------------------------------------------------------

    def _selected_custom(self) -> Exercise | None:
        item = self.custom_list.currentItem()
        if item is None or self.source is None:
            return None
        return self.source.custom(str(item.data(Qt.ItemDataRole.UserRole)))

    def _custom_selected(self) -> None:
        if self._loading:
            return
        exercise = self._selected_custom()
        self.remove_custom_button.setEnabled(exercise is not None)
        if exercise is not None and self.source is not None:
            self.custom_form.show_exercise(exercise, self.source.pictures.get(exercise.id))

    def _choose_photo(self) -> None:
        path = choose_photo(self)
        if path is not None:
            self.custom_form.set_photo(path)

    def _store_custom(self) -> None:
        """Add the form's exercise to the pack (or change the one being edited)."""
        if self.source is None or self.folder is None or self._services is None or self._busy:
            return
        form = self.custom_form
        taken = set(self._services.library.built_in()) | {
            e.id for e in self.source.exercises if e.id != form.editing_id
        }
        exercise_id = form.editing_id or pack_authoring.exercise_id_from(form.name.text(), taken)
        try:
            exercise = form.exercise(exercise_id, f"{exercise_id}.png")
        except ValidationError as error:
            form.tell(
                self.tr("Please fix:")
                + "\n"
                + "\n".join(_field_words(p) for p in problems_from("exercise", error, Exercise))
            )
            return
        photo = form.photo
        if photo is None and form.editing_id is None:
            form.tell(self.tr("Please choose a photo or drawing of the exercise first."))
            return
        if photo is None:  # a change to the words or dose only: part of the draft, saved on Save
            old = self.source.custom(exercise_id)
            kept = exercise.model_copy(update={"illustration": old.illustration if old else ""})
            self._custom_stored(kept, self.source.pictures.get(exercise_id), on_disk=False)
            return
        folder = self.folder
        self._start(self.tr("Adding %1 with its photo…").replace("%1", exercise.name))
        run_in_background(
            lambda: pack_authoring.add_custom_exercise(folder, exercise, photo),
            lambda stored: self._custom_stored(stored, folder / "media" / stored.illustration),
            lambda error: self._failed(self.tr("The exercise was not added."), error),
        )

    def _custom_stored(
        self, exercise: Exercise, picture: Path | None, on_disk: bool = True
    ) -> None:
        self._stop()
        assert self.source is not None
        pictures = dict(self.source.pictures)
        if picture is not None:
            pictures[exercise.id] = picture
        exercises = [e for e in self.source.exercises if e.id != exercise.id] + [exercise]
        self.source = replace(self.source, exercises=tuple(exercises), pictures=pictures)
        if on_disk and self._saved is not None:  # the files are written: the folder has it
            saved = [e for e in self._saved.exercises if e.id != exercise.id] + [exercise]
            saved_pictures = {**self._saved.pictures, exercise.id: pictures[exercise.id]}
            self._saved = replace(self._saved, exercises=tuple(saved), pictures=saved_pictures)
        self.plan_editor.set_library(self._library(self.source))
        self._show_custom_list(select=exercise.id)
        self.custom_form.show_exercise(exercise, pictures.get(exercise.id))
        self.custom_form.tell(
            self.tr(
                "%1 is in the pack. Choose it under “Exercises, doses and when” to add it"
                " to a phase."
            ).replace("%1", exercise.name)
        )
        self._update_state()
        self._say(
            self.tr("Added %1 to the pack folder.").replace("%1", exercise.name)
            if on_disk
            else self.tr("Changed %1. Save the pack to keep it.").replace("%1", exercise.name)
        )
        self.exercise_stored.emit(exercise)

    def _remove_custom(self) -> None:
        exercise = self._selected_custom()
        if exercise is None or self.source is None:
            return
        used = [
            phase.name
            for phase in self.source.plan.phases
            if any(item.exercise_id == exercise.id for item in phase.items)
        ]
        if used:
            self.custom_form.tell(
                self.tr("%1 is still in the plan (%2). Remove it from those phases first.")
                .replace("%1", exercise.name)
                .replace("%2", ", ".join(used))
            )
            return
        pictures = {k: v for k, v in self.source.pictures.items() if k != exercise.id}
        self.source = replace(
            self.source,
            exercises=tuple(e for e in self.source.exercises if e.id != exercise.id),
            pictures=pictures,
        )
        self.plan_editor.set_library(self._library(self.source))
        self._show_custom_list()
        self.custom_form.clear()
        self._edited()
        self._say(self.tr("Removed %1. Save the pack to keep it.").replace("%1", exercise.name))

    # Background work ----------------------------------------------------------------------

    def _ready_to_build(self) -> bool:
        if self.source is None or self.folder is None or self._services is None or self._busy:
            return False
        return self.save() if self.has_unsaved_changes() else True  # export what is saved

    def _exported(self, built: BuiltPack) -> None:
        self._stop()
        self._exported_version = built.contents.manifest.version
        self._fresh = False
        signer = built.contents.signer
        self._say(
            self.tr("Exported version %1 to %2. Signed with your key %3.")
            .replace("%1", str(built.contents.manifest.version))
            .replace("%2", str(built.path))
            .replace("%3", signer.fingerprint if signer else "")
        )
        self._show_fingerprint()
        self._show_version_hint()
        self.exported.emit(built)

    def _show_preview(self, preview: PackPreview, temporary: Path) -> None:
        self._stop()
        assert self._services is not None
        dialog = PackImportDialog(preview, self._services.library, read_only=True, parent=self)
        self.preview_dialog = dialog

        def closed() -> None:
            preview.close()
            shutil.rmtree(temporary, ignore_errors=True)
            if self.preview_dialog is dialog:
                self.preview_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(closed)
        self._say(self.tr("This is what your patient will see when they open the pack."))
        dialog.open()
        self.preview_opened.emit(dialog)

    def _handout_done(self, result: tuple[Path, int]) -> None:
        self._stop()
        path, pages = result
        self._say(
            self.tr("Saved the handout (%1 pages) to %2.")
            .replace("%1", str(pages))
            .replace("%2", str(path))
        )
        self.handout_written.emit(result)

    def _failed(self, what: str, error: BaseException) -> None:
        self._stop()
        if isinstance(error, PackError):
            self._show_problems(
                what + " " + self.tr("Please fix these in the pack:"),
                [str(problem) for problem in error.problems],
            )
        elif isinstance(error, RehabError | OSError | ValueError):
            detail = getattr(error, "strerror", None) or str(error)
            self._say(f"{what} {detail}")
        else:
            self._say(what)
            self.failed.emit(self.status.text())
            raise error
        self.failed.emit(self.status.text())

    def _start(self, text: str) -> None:
        self._busy = True
        self.progress.setVisible(True)
        self._show_problems("", [])
        self._say(text)
        self._update_state()

    def _stop(self) -> None:
        self._busy = False
        self.progress.setVisible(False)
        self._update_state()

    # Feedback -----------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _show_problems(self, intro: str, problems: list[str]) -> None:
        if intro:
            self._say(intro)
        self.problems.setPlainText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    # Helpers ------------------------------------------------------------------------------

    def _choose_new(self) -> None:
        if self._services is None:
            return
        chosen = choose_folder(self, self.tr("Choose a folder for the new pack"))
        if chosen is None:
            return
        _kind, value = self._start_from()
        name = value.name if value is not None else "my-pack"
        self.start_new(_free_folder(chosen, name))

    def _choose_open(self) -> None:
        if self._services is None:
            return
        chosen = choose_folder(self, self.tr("Choose the pack folder to open"))
        if chosen is not None:
            self.open_folder(chosen)

    def _library(self, source: PackSource) -> Library:
        assert self._services is not None
        return pack_authoring.authoring_library(self._services.library, source)

    def _today(self) -> date:
        assert self._services is not None
        return self._services.sessions.today()


class _Titled(QWidget):
    """A section: a bold heading over a framed box (`inner` is the box's layout)."""

    def __init__(self, title: str) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(heading(title, 3, own_words=True))
        frame = QGroupBox()
        self.inner = QVBoxLayout(frame)
        outer.addWidget(frame)


def _titled(title: str) -> _Titled:
    return _Titled(title)


def _free_folder(chosen: Path, name: str) -> Path:
    """`chosen` if it is new or empty, else a new folder `name` (or `name-2` ...) inside it."""
    if not chosen.exists() or (chosen.is_dir() and not any(chosen.iterdir())):
        return chosen
    candidate, number = chosen / name, 2
    while candidate.exists():
        candidate = chosen / f"{name}-{number}"
        number += 1
    return candidate


def _field_words(problem: Problem) -> str:
    """'manifest: pack_id: String should match …' -> 'pack_id: String should match …'."""
    return f"{problem.field}: {problem.message}" if problem.field else problem.message
