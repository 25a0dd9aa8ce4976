"""The red-flag checklist (clinical.md §5) and the screens that follow a ticked box.

`RedFlagChecklist` asks, calmly, whether any warning sign is new; it stores every answer
through SafetyService.record_checklist (a clear list too, which makes the next one due a week
later) and emits `finished_with(Urgency | None)`. The caller then shows:

- `EmergencyScreen` for Urgency.EMERGENCY: call an ambulance or go to A&E now. It cannot be
  dismissed by accident: no close button, Esc and closing the window are refused; the only way
  out is to tick "I have called for help or I am going now" and then press "Close this
  message" (`acknowledged`). The caller keeps exercise sessions stopped.
- `SameDayNotice` for Urgency.SAME_DAY (get medical advice today; only "I understand" closes
  it) and for Urgency.SOON (see your GP or physiotherapist soon; closes normally).

`safety_screen_for` picks the right one. The words never diagnose: they say what to do.
If storing the answers fails, the checklist still emits an emergency or same-day level at once
(getting help must not wait for a disk), and stays open with the error so it can be saved.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.safety import EMERGENCY_NUMBERS, RED_FLAGS, RedFlag, Urgency, most_urgent
from rehab_app.ui.dialogs.questionnaire import (
    TickRow,
    big_button,
    enter_moves_on,
    fit_to_screen,
    scale_font,
    tint,
)
from rehab_app.ui.widgets.layout import scrolling
from rehab_app.ui.widgets.safety_notices import alert_marker
from rehab_app.ui.widgets.text import heading, own_label, plain_label

if TYPE_CHECKING:
    from rehab_app.services.bundle import AppServices
    from rehab_app.ui.bus import Bus

log = logging.getLogger(__name__)

_ORDER = (Urgency.EMERGENCY, Urgency.SAME_DAY, Urgency.SOON)


def flag_text(flag: RedFlag) -> str:
    return QCoreApplication.translate("red_flags", flag.text)


def ticked_flags(codes: Iterable[str]) -> list[RedFlag]:
    """The flags behind the codes, most urgent first; unknown codes are left out."""
    wanted = set(codes)
    return [f for level in _ORDER for f in RED_FLAGS if f.urgency == level and f.code in wanted]


def _bullets(flags: list[RedFlag]) -> str:
    return "\n".join(f"•  {flag_text(flag)}" for flag in flags)


class RedFlagChecklist(QDialog):
    """ "Are any of these new for you?" One big row per warning sign, grouped by what to do."""

    finished_with = Signal(object)  # Urgency | None (None: nothing ticked)

    def __init__(self, services: AppServices, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._bus = bus
        self.setObjectName("redFlagChecklist")
        self.setWindowTitle(self.tr("Safety check"))
        fit_to_screen(self, 64, 48)
        title = heading(self.tr("Safety check"), level=1, own_words=True)
        intro = own_label(
            self.tr(
                "Please check whether any of these are new for you. Most people never have"
                " them. Tick a sentence only if it is new for you, then press Continue."
            ),
            "checklistIntro",
        )
        scale_font(intro, 1.15)
        group_titles = {
            Urgency.EMERGENCY: self.tr("Signs that need help straight away"),
            Urgency.SAME_DAY: self.tr("Signs that need advice from a doctor the same day"),
            Urgency.SOON: self.tr("Things to tell your GP or physiotherapist soon"),
        }
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(6)
        self.rows: dict[str, TickRow] = {}
        for level in _ORDER:
            column.addWidget(heading(group_titles[level], level=2, own_words=True))
            for flag in RED_FLAGS:
                if flag.urgency != level:
                    continue
                row = TickRow(flag_text(flag))
                row.setProperty("code", flag.code)
                row.toggled.connect(self._update)
                row.focused.connect(lambda row=row: self.scroll.ensureWidgetVisible(row, 0, 24))
                column.addWidget(row)
                self.rows[flag.code] = row
        column.addStretch(1)
        self.scroll = scrolling(body)
        self.hint = own_label("", "checklistHint")
        scale_font(self.hint, 1.1, bold=True)
        self.error = plain_label("", "checklistError")
        self.error.hide()
        self.none_button = big_button(
            self.tr("None of these"), self.tr("None of these are new for me"), "noneOfThese"
        )
        self.continue_button = big_button(
            self.tr("Continue"), self.tr("Continue with what I ticked"), "checklistContinue"
        )
        scale_font(self.continue_button, 1.0, bold=True)
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.none_button)
        buttons.addWidget(self.continue_button)
        self.continue_button.setDefault(True)  # drawn as the main button; Enter never submits
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.none_button.clicked.connect(lambda: self._submit([]))
        self.continue_button.clicked.connect(lambda: self._submit(self.ticked()))
        self._update()
        next(iter(self.rows.values())).checkbox.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if not enter_moves_on(self, event):
            super().keyPressEvent(event)

    def ticked(self) -> list[str]:
        """The codes ticked, in checklist order (what the caller passes to the next screen)."""
        return [code for code, row in self.rows.items() if row.isChecked()]

    def _update(self) -> None:
        count = len(self.ticked())
        # "None of these" while something is ticked would contradict the ticks: a sign that
        # was ticked must never be cleared by one press of the wrong button.
        self.none_button.setEnabled(count == 0)
        if count == 0:
            self.hint.setText(self.tr("Nothing ticked."))
        elif count == 1:
            self.hint.setText(self.tr("You ticked 1 sign. Press Continue."))
        else:
            self.hint.setText(
                self.tr("You ticked %1 signs. Press Continue.").replace("%1", str(count))
            )
        self.hint.setAccessibleName(self.hint.text())

    def _submit(self, codes: list[str]) -> None:
        try:
            level, changes = self._services.safety.record_checklist(codes)
        except Exception as error:  # whatever failed, the help below must still be shown
            log.exception("red-flag checklist not saved")
            level = most_urgent(codes)
            self.error.setText(
                self.tr(
                    "Your answers could not be saved: %1. Please press Continue again."
                ).replace("%1", str(error))
            )
            self.error.show()
            if level in (Urgency.EMERGENCY, Urgency.SAME_DAY):
                self.finished_with.emit(level)
            return
        self._bus.changed.emit(changes)
        self.accept()
        self.finished_with.emit(level)


class _AlertScreen(QDialog):
    """The shared frame: a marker in words and colour, big plain words, the ticked signs."""

    def __init__(self, ticked_codes: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flags = ticked_flags(ticked_codes)
        fit_to_screen(self, 60, 44)
        self.body = QVBoxLayout()
        self.body.setSpacing(14)
        content = QWidget()
        content.setLayout(self.body)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(scrolling(content), 1)

    def add_text(self, text: str, factor: float = 1.15, bold: bool = False, name: str = "") -> None:
        label = own_label(text, name)
        scale_font(label, factor, bold)
        label.setAccessibleName(text)
        self.body.addWidget(label)

    def add_ticked(self, intro: str) -> None:
        if not self.flags:
            return
        self.add_text(intro, 1.15, bold=True)
        items = plain_label(_bullets(self.flags), "tickedSigns")
        scale_font(items, 1.1)
        items.setAccessibleName(intro + " " + "; ".join(flag_text(f) for f in self.flags))
        self.body.addWidget(items)


class EmergencyScreen(_AlertScreen):
    """Call an ambulance or go to A&E now. Only a deliberate two-step action closes it."""

    acknowledged = Signal()

    def __init__(self, ticked_codes: list[str], parent: QWidget | None = None) -> None:
        super().__init__(ticked_codes, parent)
        self.setObjectName("emergencyScreen")
        # A title bar without a close button; the window manager's close is refused below.
        self.setWindowFlags(
            Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint | Qt.WindowType.WindowTitleHint
        )
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._acknowledged = False
        self.setWindowTitle(self.tr("Urgent: call for help now"))
        self.marker = alert_marker(self.tr("URGENT"), "red", "emergencyMarker")
        self.body.addWidget(self.marker)
        self.title = heading(self.tr("Call an ambulance or go to A&E now"), 1, own_words=True)
        scale_font(self.title, 1.4, bold=True)
        self.title.setObjectName("emergencyTitle")
        self.body.addWidget(self.title)
        self.add_text(self.tr("Emergency phone numbers:"), 1.2, name="numbersIntro")
        numbers = QCoreApplication.translate("red_flags", EMERGENCY_NUMBERS)
        self.numbers = own_label(numbers, "emergencyNumbers")
        scale_font(self.numbers, 1.7, bold=True)
        self.numbers.setAccessibleName(
            self.tr("Emergency phone numbers: %1").replace("%1", numbers)
        )
        self.body.addWidget(self.numbers)
        self.add_text(
            self.tr(
                "These can be signs of cauda equina syndrome. It is rare, but it needs"
                " hospital treatment quickly."
            ),
            1.2,
            name="emergencyWhy",
        )
        self.add_text(
            self.tr("Stop your exercises. Do not start them again until a doctor has seen you."),
            1.2,
            bold=True,
            name="emergencyStop",
        )
        self.add_ticked(self.tr("You told us this is new:"))
        self.add_text(
            self.tr("Take this list with you, or show it to the ambulance crew or the doctor."),
            1.15,
        )
        self.body.addStretch(1)

        steps = QFrame()
        steps.setObjectName("emergencySteps")
        steps.setFrameShape(QFrame.Shape.StyledPanel)
        tint(steps)
        step_layout = QVBoxLayout(steps)
        step_layout.setContentsMargins(16, 12, 16, 14)
        step_layout.addWidget(
            own_label(self.tr("When you have called for help, you can close this message:"))
        )
        self.confirm_row = TickRow(self.tr("I have called for help or I am going now"), "1.")
        self.confirm = self.confirm_row.checkbox
        self.confirm.setObjectName("confirmHelp")
        step_layout.addWidget(self.confirm_row)
        close_row = QHBoxLayout()
        close_row.addWidget(own_label("2."))
        self.close_button = big_button(self.tr("Close this message"), object_name="closeEmergency")
        # Never the default button: Enter alone must not close this screen.
        self.close_button.setAutoDefault(False)
        self.close_button.setDefault(False)
        close_row.addWidget(self.close_button)
        close_row.addStretch(1)
        step_layout.addLayout(close_row)
        self.layout_.addWidget(steps)
        self.close_button.setEnabled(False)
        self.confirm.toggled.connect(self.close_button.setEnabled)
        self.close_button.clicked.connect(self._acknowledge)
        self.setAccessibleName(self.title.text())

    @property
    def is_acknowledged(self) -> bool:
        return self._acknowledged

    # Every way a dialog can be dismissed is refused until the two steps were taken.

    def done(self, result: int) -> None:
        if self._acknowledged:
            super().done(result)

    def reject(self) -> None:
        if self._acknowledged:
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Escape and not self._acknowledged:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self._acknowledged:
            super().closeEvent(event)
        else:
            event.ignore()

    def _acknowledge(self) -> None:
        if not self.confirm.isChecked():
            return
        self._acknowledged = True
        self.acknowledged.emit()
        self.accept()


class SameDayNotice(_AlertScreen):
    """Get medical advice today (SAME_DAY), or see your GP or physiotherapist soon (SOON)."""

    dismissed = Signal()

    def __init__(
        self, ticked_codes: list[str], urgency: Urgency, parent: QWidget | None = None
    ) -> None:
        super().__init__(ticked_codes, parent)
        if urgency not in (Urgency.SAME_DAY, Urgency.SOON):
            raise ValueError("an emergency needs the EmergencyScreen, not a notice")
        self.urgency = urgency
        self._understood = False
        self._dismissed = False
        self.setObjectName("sameDayNotice" if urgency == Urgency.SAME_DAY else "soonNotice")
        if urgency == Urgency.SAME_DAY:
            self.setWindowFlags(
                Qt.WindowType.Dialog
                | Qt.WindowType.CustomizeWindowHint
                | Qt.WindowType.WindowTitleHint
            )
            self.setWindowTitle(self.tr("Get medical advice today"))
            self.marker = alert_marker(self.tr("TODAY"), "amber", "sameDayMarker")
            self.body.addWidget(self.marker)
            self.title = heading(self.tr("Get medical advice today"), 1, own_words=True)
            scale_font(self.title, 1.3, bold=True)
            self.body.addWidget(self.title)
            self.add_text(
                self.tr(
                    "Please contact your GP surgery for an urgent appointment today, call NHS"
                    " 111, or go to an urgent care centre."
                ),
                1.3,
                bold=True,
                name="sameDayWhat",
            )
            self.add_text(
                self.tr(
                    "These signs do not always mean that something is wrong, but a doctor"
                    " should check them today."
                )
            )
            self.add_ticked(self.tr("You told us this is new:"))
            self.add_text(self.tr("Show this list to the person you speak to."))
            self.add_text(
                self.tr(
                    "Call an ambulance (%1) if you notice new numbness around your bottom or"
                    " genitals, problems controlling your bladder or bowels, or your legs"
                    " become weak."
                ).replace("%1", QCoreApplication.translate("red_flags", EMERGENCY_NUMBERS)),
                1.1,
                name="sameDaySafetyNet",
            )
        else:
            self.setWindowTitle(self.tr("See your GP or physiotherapist soon"))
            self.marker = None
            self.title = heading(self.tr("See your GP or physiotherapist soon"), 1, own_words=True)
            self.body.addWidget(self.title)
            self.add_text(
                self.tr(
                    "This is not an emergency. Please make an appointment with your GP or"
                    " physiotherapist in the next few days, and tell them about it."
                ),
                1.2,
                name="soonWhat",
            )
            self.add_ticked(self.tr("You told us:"))
        self.title.setObjectName("noticeTitle")
        self.body.addStretch(1)
        self.understood_button = big_button(self.tr("I understand"), object_name="understood")
        self.understood_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.understood_button)
        self.layout_.addLayout(row)
        self.understood_button.clicked.connect(self._understand)
        self.setAccessibleName(self.title.text())

    def done(self, result: int) -> None:
        # Esc, the window's close button and accept/reject all end here.
        if self.urgency == Urgency.SAME_DAY and not self._understood:
            return
        super().done(result)
        if not self._dismissed:
            self._dismissed = True
            self.dismissed.emit()

    def _understand(self) -> None:
        self._understood = True
        self.accept()


def safety_screen_for(
    level: Urgency | None, ticked_codes: list[str], parent: QWidget | None = None
) -> EmergencyScreen | SameDayNotice | None:
    """The screen a checklist result calls for (None when nothing was ticked); not yet shown."""
    if level is None:
        return None
    if level == Urgency.EMERGENCY:
        return EmergencyScreen(ticked_codes, parent)
    return SameDayNotice(ticked_codes, level, parent)
