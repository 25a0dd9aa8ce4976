"""The outcome questionnaires on screen: Roland-Morris, the PSFS, and the two-weekly reminder.

Both dialogs are opened with open() or show() and report through `saved(ResponseRead)`; the
answers go through QuestionnaireService, and only after the commit returned does the dialog
turn to its result page (score, and how it compares with the first and the previous answers in
plain words). If saving fails, the dialog stays on the form with every answer still in place
and says why. A dialog closed without saving keeps its answers while the object lives, so the
caller may keep one instance and show it again.

The Roland-Morris statements are the published English wording (core.questionnaires) and are
shown as they are, as plain text: rewording them would change the questionnaire. Each one is a
big row that can be ticked by clicking anywhere on it, or by Tab and Space. Unticked rows mean
"does not describe me today", exactly as on paper, so every statement counts as answered.

The PSFS rates each activity on 0-10 with eleven big buttons; one Tab stop per scale (the
chosen number, or 0), the arrow keys move along it and the digit keys 0-9 choose directly, so
five activities do not cost fifty-five Tab presses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.errors import RehabError
from rehab_app.core.meaningful import Verdict
from rehab_app.core.questionnaires import (
    PSFS_KIND,
    PSFS_MAX_ACTIVITIES,
    PSFS_NAME_LENGTH,
    PSFS_SUGGESTED_ACTIVITIES,
    RMDQ_COUNT,
    RMDQ_INSTRUCTIONS,
    RMDQ_ITEMS,
    RMDQ_KIND,
    Comparison,
    PsfsActivity,
    PsfsResponse,
    Since,
    carried_over_names,
    compare_scores,
    psfs_from_answers,
    rmdq_to_answers,
    score_psfs,
    score_rmdq,
)
from rehab_app.ui.widgets.layout import scale_font, scrolling
from rehab_app.ui.widgets.text import heading, own_label, plain_label

if TYPE_CHECKING:
    from rehab_app.services.bundle import AppServices
    from rehab_app.services.questionnaires import QuestionnaireService, ResponseRead
    from rehab_app.ui.bus import Bus

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("questionnaire", text)


# Shared pieces (the red-flag checklist uses them too) ----------------------------------------


def big_button(text: str, accessible: str = "", object_name: str = "") -> QPushButton:
    """A push button for stiff or shaky hands: larger text, nearly three lines high."""
    button = QPushButton(text)
    if object_name:
        button.setObjectName(object_name)
    scale_font(button, 1.1)
    button.setMinimumHeight(round(button.fontMetrics().height() * 2.6))
    button.setStyleSheet("QPushButton { padding: 4px 20px; }")
    button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    button.setAccessibleName(accessible or text.replace("&", ""))
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def fit_to_screen(widget: QWidget, width_em: float, height_lines: float) -> None:
    """Size a window in units of its font (so it grows with the text), within the screen."""
    metrics = widget.fontMetrics()
    width = round(metrics.horizontalAdvance("M") * width_em)
    height = round(metrics.height() * height_lines)
    screen = widget.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, round(room.width() * 0.95))
        height = min(height, round(room.height() * 0.9))
    widget.resize(width, height)


def enter_moves_on(dialog: QDialog, event: QKeyEvent) -> bool:
    """Enter on a field goes to the next field; it never submits a form by surprise.

    A QDialog makes some button its default and presses it on Enter from anywhere: here
    that would save half-answered questions, or close them unsaved. A focused button still
    answers Enter itself (before the dialog sees the key), so Enter on "Save" saves.
    """
    if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        dialog.focusNextChild()
        event.accept()
        return True
    return False


def tint(widget: QWidget, role: QPalette.ColorRole = QPalette.ColorRole.AlternateBase) -> None:
    """A calm background from the palette, so light and dark themes both stay readable."""
    widget.setAutoFillBackground(True)
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, palette.color(role))
    widget.setPalette(palette)


# Checked rows are drawn in the theme's highlight colour; the tick in the box says the same
# without colour. Only palette roles, so dark mode works.
_ROW_STYLE = """
QFrame#tickRow {
    border: 2px solid palette(mid); border-radius: 8px; background: palette(alternate-base);
}
QFrame#tickRow QLabel { color: palette(text); }
QFrame#tickRow[checked="true"] { border-color: palette(highlight); background: palette(highlight); }
QFrame#tickRow[checked="true"] QLabel { color: palette(highlighted-text); }
QFrame#tickRow[focused="true"] { border: 4px solid palette(text); }
QCheckBox::indicator { width: 1.4em; height: 1.4em; }
"""


class TickRow(QFrame):
    """One statement that can be ticked: a big box and the whole text, wrapped, as plain text.

    A click anywhere on the row ticks it (a small box is hard to hit); the box itself takes
    the keyboard focus, so Tab reaches each row and Space ticks it.
    """

    toggled = Signal(bool)
    focused = Signal()

    def __init__(self, text: str, number: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tickRow")
        self.setStyleSheet(_ROW_STYLE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.text = text
        self.checkbox = QCheckBox()
        spoken = f"{number} {text}".strip()
        self.checkbox.setAccessibleName(spoken)
        self.setAccessibleName(spoken)
        self.number = own_label(number)
        self.number.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.label = plain_label(text, selectable=False)
        for label in (self.number, self.label):
            scale_font(label, 1.1)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(12)
        layout.addWidget(self.checkbox, 0, Qt.AlignmentFlag.AlignVCenter)
        if number:
            layout.addWidget(self.number)
        else:
            self.number.hide()
        layout.addWidget(self.label, 1)
        self.checkbox.toggled.connect(self._toggled)
        self.checkbox.installEventFilter(self)

    def isChecked(self) -> bool:  # noqa: N802 (reads like the Qt API it mirrors)
        return self.checkbox.isChecked()

    def setChecked(self, checked: bool) -> None:  # noqa: N802
        self.checkbox.setChecked(checked)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.checkbox.setFocus(Qt.FocusReason.MouseFocusReason)
            self.checkbox.toggle()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        event.accept()  # the release ticks; accepting the press keeps it here

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.checkbox and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._set_state("focused", event.type() == QEvent.Type.FocusIn)
            if event.type() == QEvent.Type.FocusIn:
                self.focused.emit()
        return False

    def _toggled(self, checked: bool) -> None:
        self._set_state("checked", checked)
        self.toggled.emit(checked)

    def _set_state(self, name: str, value: bool) -> None:
        self.setProperty(name, value)
        # Property selectors are read at polish time: repolish the row and what it colours.
        for widget in (self, self.number, self.label):
            widget.style().unpolish(widget)
            widget.style().polish(widget)


# Toggle buttons for the 0-10 scale: the chosen number must be obvious at a glance.
_CHOICE_STYLE = """
QPushButton {
    border: 2px solid palette(mid); border-radius: 8px; padding: 4px 6px;
    background: palette(button); color: palette(button-text);
}
QPushButton:checked {
    background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight); font-weight: bold;
}
QPushButton:focus { border: 4px solid palette(text); }
"""


class ScoreScale(QWidget):
    """Eleven big buttons, 0 to 10; at most one chosen, none at first.

    One Tab stop (the chosen button, or 0 when none is); the arrows move along the scale like
    radio buttons and the digit keys choose a number directly.
    """

    changed = Signal()

    def __init__(self, spoken_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.buttons: list[QPushButton] = []
        for score in range(11):
            button = QPushButton(str(score))
            button.setCheckable(True)
            button.setAutoExclusive(True)  # lets the arrows reach buttons that are not Tab stops
            button.setStyleSheet(_CHOICE_STYLE)
            scale_font(button, 1.2)
            height = button.fontMetrics().height()
            button.setMinimumSize(round(height * 2), round(height * 2.3))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setAccessibleName(
                _tr("%1: %2 out of 10").replace("%1", spoken_name).replace("%2", str(score))
            )
            button.installEventFilter(self)
            self.group.addButton(button, score)
            layout.addWidget(button)
            self.buttons.append(button)
        self.group.idToggled.connect(self._toggled)
        self._rove()

    def value(self) -> int | None:
        checked = self.group.checkedId()
        return None if checked < 0 else checked

    def set_value(self, value: int | None) -> None:
        if value is None:
            self.group.setExclusive(False)
            for button in self.buttons:
                button.setChecked(False)
            self.group.setExclusive(True)
            self._rove()
            self.changed.emit()
        else:
            self.buttons[value].setChecked(True)

    def tab_stop(self) -> QPushButton:
        """The one button Tab reaches: the chosen number, or 0 when none is chosen."""
        return self.group.checkedButton() or self.buttons[0]  # type: ignore[return-value]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            text = event.text()
            if len(text) == 1 and text.isdigit():
                self.set_value(int(text))
                self.buttons[int(text)].setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return False

    def _toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._rove()
            self.changed.emit()

    def _rove(self) -> None:
        current = self.tab_stop()
        for button in self.buttons:
            policy = Qt.FocusPolicy.StrongFocus if button is current else Qt.FocusPolicy.ClickFocus
            button.setFocusPolicy(policy)


# Words for scores and changes -----------------------------------------------------------------


def number_text(value: float) -> str:
    """6 for 6.0, 6.3 for 6.33: one decimal at most, in the person's own number format."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return QLocale().toString(int(rounded))
    return QLocale().toString(rounded, "f", 1)


def points_text(value: float) -> str:
    if round(value, 1) == 1:
        return _tr("1 point")
    return _tr("%1 points").replace("%1", number_text(value))


def day_text(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), "d MMMM yyyy")


def comparison_text(kind: str, comparison: Comparison) -> str:
    """One sentence: since when, which way, by how much, and whether that is enough to matter.

    E.g. "Since your first answers on 1 March 2026: better by 6 points, more than the 5 points
    that matter."
    """
    verdict = comparison.verdict
    since = (
        _tr("Since your first answers on %1")
        if comparison.since == Since.FIRST
        else _tr("Since last time, on %1")
    ).replace("%1", day_text(comparison.day))
    change = verdict.change or 0.0
    size = abs(change)
    band = verdict.band or 0.0
    if verdict.verdict == Verdict.NO_CLEAR_CHANGE:
        if round(size, 1) == 0:
            return _tr("%1: the same as then.").replace("%1", since)
        lower_is_better = kind == RMDQ_KIND
        improved = (change < 0) == lower_is_better
        text = (
            _tr("%1: a little better (%2), less than the %3 that matter, so not a clear change.")
            if improved
            else _tr(
                "%1: a little worse (%2), less than the %3 that matter, so not a clear change."
            )
        )
        return (
            text.replace("%1", since)
            .replace("%2", points_text(size))
            .replace("%3", points_text(band))
        )
    better = verdict.verdict == Verdict.BETTER
    if size > band + 1e-9:
        text = (
            _tr("%1: better by %2, more than the %3 that matter.")
            if better
            else _tr("%1: worse by %2, more than the %3 that matter.")
        )
    else:
        text = (
            _tr("%1: better by %2, which is the smallest change that matters.")
            if better
            else _tr("%1: worse by %2, which is the smallest change that matters.")
        )
    text = (
        text.replace("%1", since).replace("%2", points_text(size)).replace("%3", points_text(band))
    )
    if not better:
        text += " " + _tr("If this worries you, talk to your therapist or GP.")
    return text


# The dialogs --------------------------------------------------------------------------------


class _QuestionnaireDialog(QDialog):
    """Form page, result page, the error line and the buttons both questionnaires share."""

    saved = Signal(object)  # the stored ResponseRead
    kind = ""

    def __init__(self, services: AppServices, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._bus = bus
        self.response: ResponseRead | None = None
        fit_to_screen(self, 62, 46)

        self.pages = QStackedWidget()
        self.form_page = QWidget()
        self.form_layout = QVBoxLayout(self.form_page)
        self.form_layout.setContentsMargins(0, 0, 0, 0)
        self.error = plain_label("", "questionnaireError")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scale_font(self.error, 1.05, bold=True)
        self.error.hide()
        self.save_button = big_button(_tr("Save my answers"), object_name="saveAnswers")
        self.close_button = big_button(_tr("Close without saving"), object_name="closeForm")
        scale_font(self.save_button, 1.0, bold=True)
        self.form_footer = QHBoxLayout()
        self.form_footer.setSpacing(12)

        self.result_page = QWidget()
        result = QVBoxLayout(self.result_page)
        result.setSpacing(12)
        self.result_title = heading(_tr("Your answers are saved ✓"), level=1, own_words=True)
        self.score_label = own_label("", "scoreLabel")
        scale_font(self.score_label, 1.5, bold=True)
        self.meaning_label = own_label("", "scoreMeaning")
        self.details_label = plain_label("", "scoreDetails")
        for label in (self.meaning_label, self.details_label):
            scale_font(label, 1.15)
        self.comparison_title = heading(_tr("How this compares"), level=2, own_words=True)
        self.comparison_label = own_label("", "comparisonText")
        scale_font(self.comparison_label, 1.2)
        self.rule_label = own_label("", "changeRule")
        scale_font(self.rule_label, 1.1)
        self.done_button = big_button(_tr("Close"), object_name="doneButton")
        for widget in (
            self.result_title,
            self.score_label,
            self.meaning_label,
            self.details_label,
            self.comparison_title,
            self.comparison_label,
            self.rule_label,
        ):
            result.addWidget(widget)
        result.addStretch(1)
        done_row = QHBoxLayout()
        done_row.addStretch(1)
        done_row.addWidget(self.done_button)
        result.addLayout(done_row)

        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.result_page)
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)
        self.save_button.clicked.connect(self._save)
        self.close_button.clicked.connect(self.reject)
        self.done_button.clicked.connect(self.accept)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if not enter_moves_on(self, event):
            super().keyPressEvent(event)

    def add_footer(self, extra: QWidget | None = None) -> None:
        """The error line and the Save and Close buttons under the form."""
        self.form_layout.addWidget(self.error)
        if extra is not None:
            self.form_footer.addWidget(extra)
        self.form_footer.addStretch(1)
        self.form_footer.addWidget(self.close_button)
        self.form_footer.addWidget(self.save_button)
        self.save_button.setDefault(True)  # drawn as the main button; Enter alone never saves
        self.form_layout.addLayout(self.form_footer)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleName(text)
        self.error.show()

    # What each questionnaire provides --------------------------------------------------------

    def collect(self) -> tuple[dict, float | None, int] | None:
        """answers, score, answered; or None after showing what is missing."""
        raise NotImplementedError

    def describe(self, response: ResponseRead, earlier: list[ResponseRead]) -> None:
        raise NotImplementedError

    # Saving ----------------------------------------------------------------------------------

    def _save(self) -> None:
        collected = self.collect()
        if collected is None:
            return
        answers, score, answered = collected
        service = self._services.questionnaires
        try:
            response, changes = service.save(self.kind, answers, score, answered)
        except (RehabError, OSError) as error:
            log.warning("questionnaire %s not saved: %s", self.kind, error)
            self.show_error(
                _tr("Your answers could not be saved. They are still here; please try again.")
                + "\n"
                + str(error)
            )
            return
        self.response = response
        self.error.hide()
        earlier = [r for r in service.history(self.kind) if r.id != response.id]
        self.describe(response, earlier)
        comparisons = compare_scores(
            self.kind, [(r.local_day, r.score) for r in earlier], response.score
        )
        if comparisons:
            self.comparison_label.setText(
                "\n\n".join(comparison_text(self.kind, c) for c in comparisons)
            )
        elif response.score is None:
            self.comparison_label.setText(_tr("Without a score there is nothing to compare."))
        else:
            self.comparison_label.setText(
                _tr(
                    "This is your first time, so there is nothing to compare with yet. Next"
                    " time you will see here whether things have changed."
                )
            )
        for label in (self.score_label, self.comparison_label):
            label.setAccessibleName(label.text())
        self.pages.setCurrentWidget(self.result_page)
        self.done_button.setFocus()
        self._bus.changed.emit(changes)
        self.saved.emit(response)


class RmdqDialog(_QuestionnaireDialog):
    """The Roland-Morris Disability Questionnaire: tick the sentences that describe you today."""

    kind = RMDQ_KIND

    def __init__(self, services: AppServices, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(services, bus, parent)
        self.setObjectName("rmdqDialog")
        self.setWindowTitle(self.tr("How your back affects you today (Roland-Morris)"))
        title = heading(self.tr("How your back affects you today"), level=1, own_words=True)
        subtitle = own_label(self.tr("Roland-Morris Disability Questionnaire · about 5 minutes"))
        how = own_label(
            self.tr(
                "Click a sentence, or press Space on it, to tick it. Click again to untick it."
                " Nothing is saved until you press “Save my answers”."
            )
        )
        instructions = plain_label(
            QCoreApplication.translate("rmdq", RMDQ_INSTRUCTIONS), "rmdqInstructions"
        )
        scale_font(instructions, 1.05)
        self.rows: list[TickRow] = []
        body = QWidget()
        rows = QVBoxLayout(body)
        rows.setContentsMargins(0, 0, 8, 0)
        rows.setSpacing(6)
        rows.addWidget(how)
        rows.addWidget(instructions)
        for number, text in enumerate(RMDQ_ITEMS, start=1):
            row = TickRow(QCoreApplication.translate("rmdq", text), f"{number}.")
            row.toggled.connect(self._count)
            row.focused.connect(lambda row=row: self._scroll.ensureWidgetVisible(row, 0, 24))
            rows.addWidget(row)
            self.rows.append(row)
        source = own_label(self.tr("Questionnaire: Roland M, Morris R, Spine 1983."))
        rows.addWidget(source)
        rows.addStretch(1)
        self._scroll = scrolling(body)
        self.count_label = own_label("", "tickedCount")
        scale_font(self.count_label, 1.2, bold=True)
        self.form_layout.addWidget(title)
        self.form_layout.addWidget(subtitle)
        self.form_layout.addWidget(self._scroll, 1)
        self.add_footer(self.count_label)
        self._count()
        self.rows[0].checkbox.setFocus()

    def answers(self) -> dict[int, bool | None]:
        return {n: row.isChecked() for n, row in enumerate(self.rows, start=1)}

    def collect(self) -> tuple[dict, float | None, int] | None:
        answers = self.answers()
        result = score_rmdq(answers)
        return rmdq_to_answers(answers), result.score, result.answered

    def describe(self, response: ResponseRead, earlier: list[ResponseRead]) -> None:
        if response.score is None:
            self.score_label.setText(self.tr("There were not enough answers to give a score."))
        else:
            self.score_label.setText(
                self.tr("Your score today: %1 out of %2")
                .replace("%1", number_text(response.score))
                .replace("%2", str(RMDQ_COUNT))
            )
        self.meaning_label.setText(
            self.tr(
                "The score is the number of sentences you ticked. A lower score means your"
                " back gets in the way of your day less."
            )
        )
        self.details_label.hide()
        self.rule_label.setText(
            self.tr(
                "A change of 5 points, or 30 % of your first score if that is more, is the"
                " smallest change that matters. Smaller changes are the usual ups and downs."
            )
        )

    def _count(self) -> None:
        ticked = sum(row.isChecked() for row in self.rows)
        text = self.tr("Ticked: %1 of %2").replace("%1", str(ticked)).replace("%2", str(RMDQ_COUNT))
        self.count_label.setText(text)
        self.count_label.setAccessibleName(text)


class ActivityRow(QFrame):
    """One PSFS activity: what it is, and how well it can be done today (0-10)."""

    changed = Signal()

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"activity{number}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = number
        spoken = self.tr("Activity %1").replace("%1", str(number))
        title = heading(spoken, level=3, own_words=True)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(PSFS_NAME_LENGTH)
        self.name_edit.setPlaceholderText(self.tr("For example: putting on my socks"))
        self.name_edit.setAccessibleName(
            self.tr("Activity %1: what is it?").replace("%1", str(number))
        )
        scale_font(self.name_edit, 1.15)
        self.name_edit.setMinimumHeight(round(self.name_edit.fontMetrics().height() * 2))
        self.question = own_label(self.tr("How well can you do it today?"))
        self.scale = ScoreScale(spoken)
        low = own_label(self.tr("0 = unable to do it"))
        high = own_label(self.tr("10 = able to do it as well as before the problem"))
        high.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setAccessibleName(self.tr("Clear activity %1").replace("%1", str(number)))
        self.clear_button.setMinimumHeight(round(self.clear_button.fontMetrics().height() * 2.2))
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 10)
        grid.setVerticalSpacing(6)
        grid.addWidget(title, 0, 0)
        grid.addWidget(self.clear_button, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.name_edit, 1, 0, 1, 2)
        grid.addWidget(self.question, 2, 0, 1, 2)
        grid.addWidget(self.scale, 3, 0, 1, 2)
        grid.addWidget(low, 4, 0)
        grid.addWidget(high, 4, 1)
        self.name_edit.textChanged.connect(self.changed)
        self.scale.changed.connect(self.changed)
        self.clear_button.clicked.connect(self.clear)

    def name(self) -> str:
        return self.name_edit.text().strip()

    def score(self) -> int | None:
        return self.scale.value()

    def set_activity(self, name: str, score: int | None = None) -> None:
        self.name_edit.setText(name)
        self.scale.set_value(score)

    def clear(self) -> None:
        self.set_activity("", None)
        self.name_edit.setFocus()

    def is_empty(self) -> bool:
        return not self.name() and self.score() is None


class PsfsDialog(_QuestionnaireDialog):
    """The Patient-Specific Functional Scale: up to five hard activities, each rated 0-10."""

    kind = PSFS_KIND

    def __init__(self, services: AppServices, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(services, bus, parent)
        self.setObjectName("psfsDialog")
        self.setWindowTitle(self.tr("Activities that are hard for you (PSFS)"))
        title = heading(self.tr("Activities that are hard for you"), level=1, own_words=True)
        subtitle = own_label(self.tr("Patient-Specific Functional Scale · about 3 minutes"))
        history = services.questionnaires.history(PSFS_KIND)
        self.previous = history[-1] if history else None
        names = carried_over_names(self.previous.answers) if self.previous else []
        if names:
            intro_text = self.tr(
                "These are the activities you chose last time. For each one, choose a number"
                " for how well you can do it today. Keeping the same activities shows your"
                " progress best, but you can change them."
            )
        else:
            intro_text = self.tr(
                "Think of activities that are hard for you because of your back or leg, for"
                " example putting on socks, walking to the shops or gardening. Write up to 5"
                " (3 is a good number). Then, for each one, choose a number for how well you"
                " can do it today."
            )
        self.intro = own_label(intro_text, "psfsIntro")
        scale_font(self.intro, 1.05)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(10)
        column.addWidget(self.intro)
        self.rows: list[ActivityRow] = []
        for number in range(1, PSFS_MAX_ACTIVITIES + 1):
            row = ActivityRow(number)
            self.rows.append(row)
            column.addWidget(row)
            row.name_edit.installEventFilter(self)
        for row, name in zip(self.rows, names, strict=False):
            row.set_activity(name)
        self.add_button = big_button(self.tr("Add another activity"), object_name="addActivity")
        column.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        for row in self.rows[max(PSFS_SUGGESTED_ACTIVITIES, len(names)) :]:
            row.hide()
        self.add_button.clicked.connect(self._add_row)
        self._scroll = scrolling(body)
        self.form_layout.addWidget(title)
        self.form_layout.addWidget(subtitle)
        self.form_layout.addWidget(self._scroll, 1)
        self.add_footer()
        self._update_add_button()
        # The scale of eleven buttons must fit across: never narrower than the activity rows.
        self.setMinimumWidth(body.minimumSizeHint().width() + 48)
        if names:
            # Typing must not replace a carried-over name: start on its scale instead.
            self.rows[0].scale.tab_stop().setFocus()
        else:
            self.rows[0].name_edit.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.FocusIn:
            for row in self.rows:
                if watched is row.name_edit:
                    self._scroll.ensureWidgetVisible(row, 0, 24)
        return False

    def shown_rows(self) -> list[ActivityRow]:
        return [row for row in self.rows if not row.isHidden()]

    def collect(self) -> tuple[dict, float | None, int] | None:
        activities: list[PsfsActivity] = []
        for row in self.shown_rows():
            if row.is_empty():
                continue
            if not row.name():
                self._problem(
                    row,
                    self.tr("Please write what activity %1 is, or press Clear to leave it out."),
                )
                return None
            if row.score() is None:
                text = self.tr("Please choose a number for “%2”, or press Clear to leave it out.")
                self._problem(row, text.replace("%2", row.name()))
                return None
            activities.append(PsfsActivity(name=row.name(), score=row.score()))
        if not activities:
            self._problem(
                self.rows[0],
                self.tr("Please write at least one activity and choose a number for it."),
            )
            return None
        response = PsfsResponse(activities=activities)
        result = score_psfs(response.activities)
        return response.to_answers(), result.score, result.rated

    def describe(self, response: ResponseRead, earlier: list[ResponseRead]) -> None:
        if response.score is None:
            self.score_label.setText(self.tr("No activity had a number, so there is no score."))
        else:
            self.score_label.setText(
                self.tr("Your average today: %1 out of 10").replace(
                    "%1", number_text(response.score)
                )
            )
        self.meaning_label.setText(
            self.tr(
                "A higher number means you can do more. 10 means as well as before the problem."
            )
        )
        before: dict[str, int] = {}
        if earlier:
            for activity in psfs_from_answers(earlier[-1].answers):
                if activity.score is not None:
                    before[activity.name.casefold()] = activity.score
        lines = []
        for activity in psfs_from_answers(response.answers):
            line = f"•  {activity.name}: {activity.score}"
            last = before.get(activity.name.casefold())
            if last is not None:
                line += "  " + self.tr("(last time: %1)").replace("%1", str(last))
            lines.append(line)
        today_names = {a.name.casefold() for a in psfs_from_answers(response.answers)}
        if earlier and today_names != set(before):
            lines.append(
                self.tr(
                    "Some activities are different from last time, so the comparison below is"
                    " only a rough guide."
                )
            )
        self.details_label.setText("\n".join(lines))
        self.details_label.show()
        self.rule_label.setText(
            self.tr(
                "A change of 2 points in the average is the smallest change that matters."
                " Smaller changes are the usual ups and downs."
            )
        )

    def _problem(self, row: ActivityRow, text: str) -> None:
        self.show_error(text.replace("%1", str(row.number)))
        self._scroll.ensureWidgetVisible(row)
        if not row.name():
            row.name_edit.setFocus()
        else:
            row.scale.tab_stop().setFocus()

    def _add_row(self) -> None:
        hidden = [row for row in self.rows if row.isHidden()]
        if hidden:
            hidden[0].show()
            hidden[0].name_edit.setFocus()
        self._update_add_button()

    def _update_add_button(self) -> None:
        self.add_button.setVisible(any(row.isHidden() for row in self.rows))


# The reminder card --------------------------------------------------------------------------


class QuestionnaireReminder(QFrame):
    """A calm card: the two-weekly questions are due. Hidden until `show_if_due` finds them due.

    "Not now" only hides the card and emits `dismissed`; when to ask again is the caller's
    choice (the next start, or the next day).
    """

    answer_requested = Signal(str)  # the questionnaire kind, "rmdq" or "psfs"
    dismissed = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"{kind}Reminder")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        tint(self)
        self.title = heading(
            self.tr("Time for your two-weekly questions (about 5 minutes)"), own_words=True
        )
        details = {
            RMDQ_KIND: self.tr(
                "24 short sentences about how your back affects you today. You tick the ones"
                " that fit. Your answers show how you are doing over the weeks."
            ),
            PSFS_KIND: self.tr(
                "A few activities that are hard for you, each rated from 0 to 10. Your answers"
                " show how you are doing over the weeks."
            ),
        }
        self.details = own_label(details.get(kind, ""), "reminderDetails")
        names = {
            RMDQ_KIND: self.tr("Answer the back questions now"),
            PSFS_KIND: self.tr("Rate your activities now"),
        }
        self.answer_button = big_button(
            self.tr("Answer now"), names.get(kind, ""), object_name="answerNow"
        )
        scale_font(self.answer_button, 1.0, bold=True)
        self.later_button = big_button(
            self.tr("Not now"), self.tr("Not now, ask me another time"), object_name="notNow"
        )
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addWidget(self.answer_button)
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        self.setAccessibleName(self.title.text())
        self.answer_button.clicked.connect(self._answer)
        self.later_button.clicked.connect(self._later)
        self.hide()

    def show_if_due(self, questionnaires: QuestionnaireService) -> bool:
        due = questionnaires.due(self.kind)
        self.setVisible(due)
        return due

    def _answer(self) -> None:
        self.hide()
        self.answer_requested.emit(self.kind)

    def _later(self) -> None:
        self.hide()
        self.dismissed.emit()


#: Which dialog answers which questionnaire, for the caller that handles `answer_requested`.
DIALOGS: dict[str, Callable[..., _QuestionnaireDialog]] = {
    RMDQ_KIND: RmdqDialog,
    PSFS_KIND: PsfsDialog,
}
