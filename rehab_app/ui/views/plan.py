"""My plan: build and edit the plan from the library, see how long sessions take, and its history.

Edits change a draft; "Save plan" checks it against the exercises' allowed ranges and stores it
as a new dated version (so the history keeps every prescription). An unsaved draft is kept in
the settings when the app closes and offered again on the next start: nothing typed is lost.

The phases, exercises, doses and schedules are edited by the shared `PlanEditor` (the
therapist's pack editor uses the same one); this view adds the plan's name and start date,
saving through the plan service, undo, the kept draft and the history.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import ValidationError
from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.changes import Changes
from rehab_app.core.errors import RehabError
from rehab_app.core.plan import Plan
from rehab_app.services.plans import (
    DEFAULT_WARN_EXERCISES,
    DEFAULT_WARN_MINUTES,
    PlanError,
    describe_changes,
)
from rehab_app.ui.later import RefreshLater
from rehab_app.ui.undo import PlanSaved
from rehab_app.ui.widgets.plan_editor import PlanEditor
from rehab_app.ui.widgets.text import heading, own_label, plain_label

if TYPE_CHECKING:
    from rehab_app.services.bundle import AppServices
    from rehab_app.ui.bus import Bus

DRAFT_KEY = "plan_draft"


class PlanView(QWidget):
    saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services: AppServices | None = None
        self._bus: Bus | None = None
        self._undo: QUndoStack | None = None
        self._saved_plan: Plan | None = None
        self._loading = False
        self._later = RefreshLater(self, self._reload)  # plan changes while hidden

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.addWidget(heading(self.tr("My plan"), level=1, own_words=True))
        self.status = plain_label("", object_name="planStatus")
        layout.addWidget(self.status)

        top = QHBoxLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(self.tr("Plan name"))
        self.start_edit = QDateEdit()
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("dd MMM yyyy")
        self.start_edit.setAccessibleName(self.tr("Plan start date"))
        top.addWidget(own_label(self.tr("Name:")))
        top.addWidget(self.title_edit, 2)
        top.addWidget(own_label(self.tr("Starts:")))
        top.addWidget(self.start_edit)
        layout.addLayout(top)

        self.editor = PlanEditor(problems_heading=self.tr("Not saved yet:"))
        layout.addWidget(self.editor, 1)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save plan"))
        self.save_button.setMinimumHeight(44)
        self.discard_button = QPushButton(self.tr("Discard changes"))
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(heading(self.tr("History of the plan"), own_words=True))
        self.history = QListWidget()
        self.history.setAccessibleName(self.tr("Earlier versions of the plan"))
        self.history.setMaximumHeight(140)
        layout.addWidget(self.history)

        self._connect()
        self._update_buttons()
        self.setEnabled(False)

    # Public API ---------------------------------------------------------------------------

    @property
    def draft(self) -> Plan | None:
        """The plan as edited so far (None before there is any plan)."""
        return self.editor.draft

    def attach(self, services: AppServices, bus: Bus, undo: QUndoStack) -> None:
        self._services, self._bus, self._undo = services, bus, undo
        self.editor.today = services.sessions.today
        self.editor.set_library(services.library, services.plans.problems)
        settings = services.settings
        self.editor.set_warn_limits(
            int(settings.get("warn_exercises", DEFAULT_WARN_EXERCISES)),
            int(settings.get("warn_minutes", DEFAULT_WARN_MINUTES)),
        )
        bus.changed.connect(self._on_changed)
        self.setEnabled(True)
        self._load_saved()
        kept = services.settings.get(DRAFT_KEY)
        if kept:
            try:
                self._set_draft(Plan.model_validate_json(kept))
                self.status.setText(self.tr("Your unsaved changes from last time were kept."))
            except ValidationError:
                pass

    def has_unsaved_changes(self) -> bool:
        return self.draft is not None and self.draft != self._saved_plan

    def keep_unsaved(self) -> None:
        """Called when the app closes: an unsaved draft goes into the settings, not away."""
        if self._services is None:
            return
        value = self.draft.model_dump_json() if self.has_unsaved_changes() and self.draft else None
        self._services.settings.set(DRAFT_KEY, value)

    def start_new_plan(self) -> None:
        """Begin an empty plan starting today (from Today's "build my own plan")."""
        if self._services is None:
            return
        self.editor.new_plan()

    def save(self) -> bool:
        """Check and store the draft as a new version; True once it is committed."""
        assert self._services is not None and self._undo is not None
        if self.draft is None:
            return False
        plans = self._services.plans
        before, after = self._saved_plan, self.draft
        summary = describe_changes(before, after)
        try:
            version, changes = plans.save(after, summary)
        except PlanError as error:
            self._show_problem(self.tr("Not saved yet:") + "\n" + "\n".join(error.problems))
            return False
        except (RehabError, OSError) as error:
            self._show_problem(self.tr("Not saved: %1").replace("%1", str(error)))
            return False
        if before is not None:
            self._undo.push(PlanSaved(plans, before, after, summary, self._emit))
        self._services.settings.set(DRAFT_KEY, None)
        self._saved_plan = version.plan
        self.status.setText(
            self.tr("Saved at %1.").replace("%1", f"{version.at_utc.astimezone():%H:%M}")
        )
        self._update_buttons()
        self._emit(changes)
        self.saved.emit()
        return True

    def select_item(self, row: int) -> None:
        self.editor.select_item(row)

    # Wiring -------------------------------------------------------------------------------

    def _connect(self) -> None:
        self.title_edit.textEdited.connect(self._header_changed)
        self.start_edit.dateChanged.connect(self._header_changed)
        self.editor.changed.connect(self._edited)
        self.editor.problems_changed.connect(lambda _problems: self._update_buttons())
        self.editor.exercise_added.connect(
            lambda name: self.status.setText(
                self.tr("Added %1. Save the plan to keep it.").replace("%1", name)
            )
        )
        self.editor.limits_changed.connect(self._limits_changed)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self._discard)

    # Draft handling ------------------------------------------------------------------------

    def _load_saved(self) -> None:
        assert self._services is not None
        current = self._services.plans.current()
        self._saved_plan = current.plan if current else None
        self._set_draft(self._saved_plan)
        self.history.clear()
        for version in self._services.plans.history():
            when = f"{version.at_utc.astimezone():%d %b %Y %H:%M}"
            who = {"pack": self.tr("from a pack"), "starter": self.tr("starter plan")}.get(
                version.author, self.tr("by you")
            )
            self.history.addItem(f"{when} ({who}): {version.summary}")

    def _set_draft(self, plan: Plan | None) -> None:
        self._show_header(plan)
        self.editor.set_plan(plan)
        self._update_buttons()

    def _show_header(self, plan: Plan | None) -> None:
        if plan is None:
            return
        self._loading = True
        try:
            self.title_edit.setText(plan.title)
            self.start_edit.setDate(QDate(plan.start.year, plan.start.month, plan.start.day))
        finally:
            self._loading = False

    def _edited(self, plan: Plan) -> None:
        self._show_header(plan)  # a new plan begun by the editor brings its own name and date
        self._update_buttons()

    def _header_changed(self) -> None:
        draft = self.draft
        if self._loading or draft is None:
            return
        title = self.title_edit.text().strip() or draft.title
        value = self.start_edit.date()
        start = date(value.year(), value.month(), value.day())
        self.editor.set_plan(
            draft.model_copy(update={"title": title, "start": start}),
            self.editor.phase_combo.currentIndex(),
            self.editor.items.currentRow(),
        )
        self._update_buttons()

    def _discard(self) -> None:
        self._set_draft(self._saved_plan)
        self.status.setText(self.tr("Changes discarded."))

    def _limits_changed(self, exercises: int, minutes: int) -> None:
        if self._services is not None:
            self._services.settings.set("warn_exercises", exercises)
            self._services.settings.set("warn_minutes", minutes)

    def _update_buttons(self) -> None:
        """Save only a changed draft with nothing to fix; say that there are unsaved changes."""
        if self._services is None or self.draft is None:
            self.save_button.setEnabled(False)
            self.discard_button.setEnabled(False)
            return
        dirty = self.has_unsaved_changes()
        self.save_button.setEnabled(dirty and not self.editor.problem_list())
        self.discard_button.setEnabled(dirty)
        if dirty and not self.status.text().startswith(self.tr("Added")):
            self.status.setText(self.tr("You have unsaved changes."))

    def _show_problem(self, text: str) -> None:
        self.editor.problems.setText(text)
        self.editor.problems.setVisible(True)

    def _emit(self, changes: Changes) -> None:
        if self._bus is not None:
            self._bus.changed.emit(changes)

    def _on_changed(self, changes: Changes) -> None:
        if changes.plan:
            self._later.request()  # hidden (a pack imported on Packs): on a turn of its own

    def _reload(self) -> None:
        if not self.has_unsaved_changes():
            self._load_saved()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._later.run()
