"""Today: what is due, grouped by session time, and one click to start, record or skip it.

Without a plan, Today offers the two ways in: a pack from the therapist, or a starter plan.
Yesterday's sessions that were not done can be caught up from here.

Refreshing keeps the event loop free (issue 7): the adherence calendar's 90 days are counted on
a worker (about 30 ms of queries and schedule arithmetic) and filled in when they arrive, and a
change that comes while Today is hidden (a session in the player, an import on Packs) is shown
on a turn of the event loop of its own rather than inside the work that made the change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.changes import Changes
from rehab_app.core.errors import RehabError
from rehab_app.services.sessions import DueSession, SlotState
from rehab_app.ui.later import RefreshLater, next_turn
from rehab_app.ui.undo import SessionRecorded, SessionsCleared
from rehab_app.ui.widgets.text import heading, own_label, plain_label
from rehab_app.wording.labels import dose_summary

if TYPE_CHECKING:
    from rehab_app.core.adherence import AdherenceSummary
    from rehab_app.services.bundle import AppServices
    from rehab_app.ui.bus import Bus
    from rehab_app.ui.dialogs.questionnaire import QuestionnaireReminder
    from rehab_app.ui.widgets.adherence_calendar import AdherenceCalendar


#: While Today is hidden, its calendar is counted once changes have stopped for this long.
CALENDAR_QUIET_MS = 700


def dose_text(session: DueSession, index: int) -> str:
    entry = session.items[index]
    item = entry.item
    dose = dose_summary(item.sets, item.reps, item.hold_s)
    name = entry.exercise.name if entry.exercise else item.exercise_id
    mark = "✓ " if entry.done else "•  "
    return f"{mark}{name} ({dose})"


def state_text(state: SlotState) -> str:
    words = {
        SlotState.TO_DO: "To do",
        SlotState.DONE: "Done ✓",
        SlotState.PARTLY: "Partly done",
        SlotState.SKIPPED: "Skipped",
    }
    return QCoreApplication.translate("today", words[state])


class SessionCard(QFrame):
    """One session time: its exercises, its state, and what can be done with it."""

    def __init__(self, session: DueSession, catching_up: bool = False) -> None:
        super().__init__()
        self.session = session
        self.catching_up = catching_up
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"session_{session.slot:%H%M}")
        layout = QVBoxLayout(self)
        self.title = heading("", level=2, own_words=True)
        layout.addWidget(self.title)
        self.items_label = plain_label("", object_name="sessionItems")
        layout.addWidget(self.items_label)
        buttons = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start session"))
        self.done_button = QPushButton(
            self.tr("Record as done") if catching_up else self.tr("I did this with my therapist")
        )
        self.skip_button = QPushButton(self.tr("Skip this time"))
        self.clear_button = QPushButton(self.tr("Remove this record"))
        for button, name in (
            (self.start_button, self.tr("Start the %1 session")),
            (self.done_button, self.tr("Record the %1 session as done")),
            (self.skip_button, self.tr("Skip the %1 session")),
            (self.clear_button, self.tr("Remove what was recorded for the %1 session")),
        ):
            button.setAccessibleName(name.replace("%1", f"{session.slot:%H:%M}"))
            button.setMinimumHeight(44)
            if button is not self.clear_button:
                buttons.addWidget(button)
        buttons.addStretch(1)
        # Removing a record is rarer (and undoable): kept apart, at the far end of the row.
        self.clear_button.setFlat(True)
        buttons.addWidget(self.clear_button)
        layout.addLayout(buttons)
        self.show_session(session)

    def show_session(self, session: DueSession) -> None:
        """The same session time, as it stands now (Today updates its cards in place rather
        than building them again at every change: issue 7, no stall over 50 ms)."""
        self.session = session
        minutes = max(1, round(session.minutes))
        title = self.tr("%1 — about %2 minutes — %3")
        title = title.replace("%1", f"{session.slot:%H:%M}").replace("%2", str(minutes))
        title = title.replace("%3", state_text(session.state))
        self.title.setText(title)
        self.title.setAccessibleName(title)
        lines = "\n".join(dose_text(session, i) for i in range(len(session.items)))
        self.items_label.setText(lines)
        catching_up = self.catching_up
        finished = session.state in (SlotState.DONE, SlotState.SKIPPED)
        self.start_button.setVisible(not catching_up and session.state != SlotState.DONE)
        self.done_button.setVisible(session.state != SlotState.DONE)
        self.skip_button.setVisible(not finished and not catching_up)
        self.clear_button.setVisible(session.state != SlotState.TO_DO)
        self.start_button.setText(
            self.tr("Continue session")
            if session.state == SlotState.PARTLY
            else self.tr("Start session")
        )


class TodayView(QWidget):
    start_requested = Signal(object)  # a DueSession to run in the player
    plan_requested = Signal()  # "build a plan from the library"
    pack_requested = Signal()  # "import a pack from your therapist"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services: AppServices | None = None
        self._bus: Bus | None = None
        self._undo: QUndoStack | None = None
        self.cards: list[SessionCard] = []
        self.calendar: AdherenceCalendar | None = None
        self.stopped_since: date | None = None
        self.questionnaire_cards: list[QuestionnaireReminder] = []
        self.catch_up_cards: list[SessionCard] = []
        self._later = RefreshLater(self, self.refresh)  # changes while hidden
        self._calendar_loads = 0  # only the latest background count is shown
        self._calendar_stale = False  # changed while hidden: counted soon, or when shown
        self._calendar_quiet = False  # (set while counting after the changes stopped)
        self._calendar_timer = QTimer(self)
        self._calendar_timer.setSingleShot(True)
        self._calendar_timer.setInterval(CALENDAR_QUIET_MS)
        self._calendar_timer.timeout.connect(self._count_when_quiet)
        outer = QVBoxLayout(self)
        self.title = heading(self.tr("Today"), level=1, own_words=True)
        outer.addWidget(self.title)
        self.message = plain_label("", object_name="todayMessage")
        outer.addWidget(self.message)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(0, 0, 8, 0)
        scroll.setWidget(self._body)
        outer.addWidget(scroll, 1)
        self.stopped_notice = plain_label("", object_name="exercisesStopped")
        self.stopped_notice.hide()
        self._layout.addWidget(self.stopped_notice)
        self.notices = QVBoxLayout()  # check-in, trend and questionnaire cards
        self._layout.addLayout(self.notices)
        self.welcome = self._build_welcome()
        self._layout.addWidget(self.welcome)
        self._sessions_box = QVBoxLayout()
        self._layout.addLayout(self._sessions_box)
        self.extras = QVBoxLayout()  # the adherence calendar goes here
        self._layout.addLayout(self.extras)
        self._layout.addStretch(1)
        self.message.setText(self.tr("Opening your data…"))
        self.welcome.hide()

    def attach(self, services: AppServices, bus: Bus, undo: QUndoStack) -> None:
        for step in self.attach_steps(services, bus, undo):
            step()

    def attach_steps(
        self, services: AppServices, bus: Bus, undo: QUndoStack
    ) -> list[Callable[[], None]]:
        """`attach` in pieces of well under 50 ms each, for the main window to run one per
        turn of the event loop: the sessions first, then the calendar and the questionnaire
        reminders."""

        def connect() -> None:
            self._services, self._bus, self._undo = services, bus, undo
            bus.changed.connect(self._on_changed)
            self.refresh()

        return [connect, self._add_calendar, self._add_questionnaire_cards]

    def _add_calendar(self) -> None:
        from rehab_app.ui.widgets.adherence_calendar import AdherenceCalendar

        self.extras.insertWidget(0, heading(self.tr("How you are keeping up"), own_words=True))
        self.calendar = AdherenceCalendar()
        self.extras.insertWidget(1, self.calendar)
        if self._services is not None:
            self._refresh_calendar(self.today())

    def set_stopped(self, since: date | None) -> None:
        """Exercises stopped by an emergency answer: no session can be started."""
        changed = since != self.stopped_since
        self.stopped_since = since
        if since is not None:
            self.stopped_notice.setText(
                self.tr(
                    "Your exercises are stopped because of your safety answers on %1. Please"
                    " get medical help first. When a doctor has seen you, go through the"
                    " safety check again (Go menu) to start them again."
                ).replace("%1", f"{since:%d %B}")
            )
        self.stopped_notice.setVisible(since is not None)
        if changed:  # the start buttons follow; nothing else to redo
            self.refresh()

    def show_trend_notice(self) -> None:
        from rehab_app.ui.widgets.safety_notices import TrendNotice

        notice = TrendNotice()
        self.notices.addWidget(notice)
        notice.show()
        notice.dismissed.connect(notice.deleteLater)

    def add_notice(self, widget: QWidget) -> None:
        self.notices.addWidget(widget)

    def _add_questionnaire_cards(self) -> None:
        from rehab_app.ui.dialogs.questionnaire import DIALOGS, QuestionnaireReminder

        assert self._services is not None
        for kind in DIALOGS:
            card = QuestionnaireReminder(kind)
            card.answer_requested.connect(self._open_questionnaire)
            self.notices.addWidget(card)
            self.questionnaire_cards.append(card)
            card.show_if_due(self._services.questionnaires)

    def _open_questionnaire(self, kind: str) -> None:
        from rehab_app.ui.dialogs.questionnaire import DIALOGS

        assert self._services is not None and self._bus is not None
        dialog = DIALOGS[kind](self._services, self._bus, self)
        dialog.open()

    def today(self) -> date:
        assert self._services is not None
        return self._services.sessions.today()

    def refresh(self) -> None:
        if self._services is None:
            return
        self._later.pending = False
        today = self.today()
        self.title.setText(self.tr("Today, %1").replace("%1", f"{today:%A %d %B}"))
        current = self._services.plans.current()
        self._refresh_calendar(today)
        if current is None:
            self._clear_cards()
            self.message.setText("")
            self.welcome.show()
            return
        self.welcome.hide()
        plan = current.plan
        phase = plan.phase_on(today)
        parts = []
        if plan.message:
            parts.append(self.tr("From your therapist: %1").replace("%1", plan.message))
        if phase is not None:
            parts.append(
                self.tr("Plan: %1, %2").replace("%1", plan.title).replace("%2", phase.name)
            )
        due = self._services.sessions.due_on(today)
        if not due:
            parts.append(self.tr("Nothing is planned for today. Rest, and keep gently active."))
        self.message.setText("\n".join(parts))
        missed = [
            s
            for s in self._services.sessions.due_on(today - timedelta(days=1))
            if s.state in (SlotState.TO_DO, SlotState.PARTLY)
        ]
        if self._same_cards(due, missed):
            cards = [*self.cards, *self.catch_up_cards]
            for card, session in zip(cards, [*due, *missed], strict=True):
                card.show_session(session)
                self._show_stopped(card)
            return
        self._clear_cards()
        for session in due:
            self._add_card(session, catching_up=False)
        if missed:
            label = heading(self.tr("Catch up yesterday"), level=2, own_words=True)
            label.setObjectName("catchUpHeading")
            self._sessions_box.addWidget(label)
            for session in missed:
                self._add_card(session, catching_up=True)

    def card_for(self, slot: time, yesterday: bool = False) -> SessionCard:
        cards = self.catch_up_cards if yesterday else self.cards
        return next(card for card in cards if card.session.slot == slot)

    # Internals ---------------------------------------------------------------------------

    def _refresh_calendar(self, today: date) -> None:
        """Count the days on a worker; the calendar shows the latest count when it arrives."""
        from rehab_app.ui.tasks import run_in_background

        assert self._services is not None
        if self.calendar is None:
            return  # not built yet: it counts when it is
        if not self.isVisible() and not self._calendar_quiet:
            # Hidden (the player, Packs): counted once the changes have stopped for a moment,
            # or when Today is shown. The count is Python work on a worker, and only one
            # Python thread runs at a time: counting at every saved exercise, right when the
            # screen on show repaints, would slow that down.
            self._calendar_stale = True
            self._calendar_timer.start()
            return
        self._calendar_stale = False
        self._calendar_timer.stop()
        sessions = self._services.sessions
        self._calendar_loads += 1
        load = self._calendar_loads

        def count() -> AdherenceSummary:
            from rehab_app.core.adherence import summarise

            # 90 days is plenty for a score with a 14-day half-life; the grid shows 6 weeks.
            days = sessions.day_statuses(today - timedelta(days=90), today)
            return summarise(days, in_progress=today)

        def counted(summary: AdherenceSummary) -> None:
            if shiboken6.isValid(self) and load == self._calendar_loads and self.calendar:
                self.calendar.set_summary(summary, today)

        def failed(error: BaseException) -> None:
            # The calendar keeps what it showed; nothing the person did is lost.
            logging.getLogger(__name__).warning("The adherence calendar was not counted: %s", error)

        def start() -> None:
            if load == self._calendar_loads:  # (not when a newer count was asked for)
                run_in_background(count, counted, failed)

        # Started after the paint this refresh brings, not beside it (see above).
        next_turn(self, start)

    def _build_welcome(self) -> QWidget:
        box = QFrame()
        box.setObjectName("welcome")
        layout = QVBoxLayout(box)
        layout.addWidget(heading(self.tr("Welcome! How would you like to start?"), own_words=True))
        layout.addWidget(
            own_label(
                self.tr(
                    "If your therapist gave you an exercise pack, import it. Otherwise start"
                    " with a gentle plan for sciatica made from the built-in exercises; you"
                    " can change it at any time on the My plan page."
                )
            )
        )
        self.pack_button = QPushButton(self.tr("Import a pack from my therapist"))
        self.starter_button = QPushButton(self.tr("Start the gentle sciatica plan"))
        self.build_button = QPushButton(self.tr("Build my own plan from the library"))
        for button in (self.pack_button, self.starter_button, self.build_button):
            button.setMinimumHeight(52)
            button.setAccessibleName(button.text())
            layout.addWidget(button)
        self.pack_button.clicked.connect(self.pack_requested)
        self.build_button.clicked.connect(self.plan_requested)
        self.starter_button.clicked.connect(self._use_starter_plan)
        return box

    def _use_starter_plan(self) -> None:
        assert self._services is not None
        plans = self._services.plans
        try:
            plan = plans.starter_plan(self.today())
            _, changes = plans.save(plan, "Started the gentle sciatica plan.", author="starter")
        except (RehabError, OSError) as error:
            self.message.setText(
                self.tr("The plan could not be saved: %1").replace("%1", str(error))
            )
            return
        self._emit(changes)

    def _same_cards(self, due: list[DueSession], missed: list[DueSession]) -> bool:
        """The cards shown are for these very session times (so they can be updated)."""
        return bool(self.cards or self.catch_up_cards) and (
            [(c.session.day, c.session.slot) for c in self.cards] == [(s.day, s.slot) for s in due]
            and [(c.session.day, c.session.slot) for c in self.catch_up_cards]
            == [(s.day, s.slot) for s in missed]
        )

    def _add_card(self, session: DueSession, catching_up: bool) -> None:
        card = SessionCard(session, catching_up)
        self._show_stopped(card)
        (self.catch_up_cards if catching_up else self.cards).append(card)
        self._sessions_box.addWidget(card)
        # card.session, not session: a card is kept and updated while its time stays on show.
        card.start_button.clicked.connect(lambda: self.start_requested.emit(card.session))
        card.done_button.clicked.connect(lambda: self._record(card.session, done=True))
        card.skip_button.clicked.connect(lambda: self._record(card.session, done=False))
        card.clear_button.clicked.connect(lambda: self._clear(card.session))

    def _show_stopped(self, card: SessionCard) -> None:
        stopped = self.stopped_since is not None
        card.start_button.setEnabled(not stopped)
        card.start_button.setToolTip(
            self.tr("Exercises are stopped: see the notice above.") if stopped else ""
        )

    def _record(self, session: DueSession, done: bool) -> None:
        assert self._services is not None and self._undo is not None
        sessions = self._services.sessions
        action: Callable = sessions.record_done if done else sessions.skip
        try:
            recorded, changes = action(session.day, session.slot)
        except (RehabError, OSError) as error:
            self.message.setText(self.tr("This could not be saved: %1").replace("%1", str(error)))
            return
        text = (self.tr("Recorded %1 as done") if done else self.tr("Skipped %1")).replace(
            "%1", f"{session.slot:%H:%M}"
        )
        self._undo.push(SessionRecorded(sessions, recorded, text, self._emit))
        self._emit(changes)

    def _clear(self, session: DueSession) -> None:
        """Remove every record of this session time today (undo brings them back)."""
        assert self._services is not None and self._undo is not None
        sessions = self._services.sessions
        records = [r for r in sessions.sessions_on(session.day) if r.slot == session.slot]
        removed = []
        changes = Changes()
        try:
            for record in records:
                gone, change = sessions.delete_session(record.id)
                removed.append(gone)
                changes = changes | change
        except (RehabError, OSError) as error:
            self.message.setText(self.tr("This could not be removed: %1").replace("%1", str(error)))
        if removed:
            text = self.tr("Removed the record of %1").replace("%1", f"{session.slot:%H:%M}")
            self._undo.push(SessionsCleared(sessions, removed, text, self._emit))
            self._emit(changes)

    def _emit(self, changes: Changes) -> None:
        if self._bus is not None:
            self._bus.changed.emit(changes)

    def _on_changed(self, changes: Changes) -> None:
        if changes.plan or changes.sessions:
            self._later.request()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._later.run()
        if self._calendar_stale and self._services is not None:
            self._refresh_calendar(self.today())

    def _count_when_quiet(self) -> None:
        if self._calendar_stale and self._services is not None:
            self._calendar_quiet = True
            try:
                self._refresh_calendar(self.today())
            finally:
                self._calendar_quiet = False

    def _clear_cards(self) -> None:
        while (item := self._sessions_box.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.cards.clear()
        self.catch_up_cards.clear()
