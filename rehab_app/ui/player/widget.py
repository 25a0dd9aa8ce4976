"""The guided session on screen: big enough to read from a mat two metres away.

The view owns no timing and no rules: it shows what `PlayerController` says and turns buttons
and keys into its calls. Three pages share one header (exercise name) and one row of controls:
the exercise itself (phase banner, huge countdown, set, repetition, side, picture, steps), the
questions after it (pain 0-10, effort, and for nerve exercises what the tingling did) with the
traffic-light advice, and the end of the session.

Every cue is visible (the banner flashes, inverted, for a moment) and audible only where the
computer can play sound, so nothing depends on hearing. Colour is never the only signal: the
banner names the phase in words, and the advice marker says "Green", "Amber" or "Red".
Text sizes are multiples of the application font, so they follow the system's font size, and
text colours come from the palette except on the coloured banner and marker, which carry their
own background.

Keys: Space pauses or resumes, Right skips, Left goes back, Esc ends the session. On the
questions page Space and the arrows go back to the focused button (choose with arrows, tick
with Space), digits 0-9 choose the pain score and Enter saves, then continues.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.session import Effort, Light, NerveResponse
from rehab_app.ui.player.controller import Phase, PlayerController, PlayerEntry
from rehab_app.ui.player.sound import CuePlayer
from rehab_app.ui.widgets.illustration import IllustrationView
from rehab_app.ui.widgets.layout import scale_font
from rehab_app.ui.widgets.text import heading, own_label, plain_label

#: Banner colours per phase. White text on each keeps a contrast ratio above 4.5:1; the banner
#: paints its own background, so these do not fight a dark or light palette.
_PHASE_COLOURS = {
    Phase.GET_READY: "#1f5fa8",
    Phase.MOVE: "#1b7a43",
    Phase.HOLD: "#6a3fa0",
    Phase.REST: "#2d6a85",
}
_PAUSED_COLOUR = "#5c5c5c"
#: Traffic-light marker: background and the text colour that reads on it.
_LIGHT_COLOURS = {
    Light.GREEN: ("#1b7a43", "#ffffff"),
    Light.AMBER: ("#f2b705", "#000000"),
    Light.RED: ("#b3261e", "#ffffff"),
}
_BANNER_PHASES = (Phase.GET_READY, Phase.MOVE, Phase.HOLD, Phase.REST)
#: The question and end pages are built this long after the player (see PlayerView).
LATER_PAGES_MS = 400
FLASH_MS = 700  # long enough to catch from the corner of the eye, short enough to stay calm
BUTTON_MIN_HEIGHT = 56  # large targets for stiff or shaky hands

# Toggle buttons for the questions: a chosen answer must be obvious at a glance, which the
# native "sunken" look is not. Only palette roles are used, so dark mode stays readable.
_CHOICE_STYLE = """
QPushButton {
    border: 2px solid palette(mid); border-radius: 10px; padding: 6px 16px;
    background: palette(button); color: palette(button-text);
}
QPushButton:checked {
    background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight);
}
QPushButton:focus { border: 3px solid palette(text); }
QPushButton:disabled:!checked { color: palette(mid); }
"""


def _keep_space(widget: QWidget) -> None:
    """Hidden but still taking its room, so the big numbers do not jump about."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


def _name(widget: QWidget, name: str) -> None:
    """Set an accessible name only when it changes: every change is announced to screen
    readers, and the view refreshes ten times a second."""
    if widget.accessibleName() != name:
        widget.setAccessibleName(name)


def _format_seconds(seconds: float) -> str:
    whole = max(0, math.ceil(seconds - 1e-6))  # 2.3 s left shows "3", as a person counts
    if whole < 60:
        return str(whole)
    return f"{whole // 60}:{whole % 60:02d}"


class PlayerView(QWidget):
    """The full-window guided session over one `PlayerController`."""

    leave_requested = Signal()  # the person pressed the button on the "finished" page

    def __init__(
        self, controller: PlayerController, cues: CuePlayer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.cues = cues
        self._shown_entry: PlayerEntry | None = None
        self._shown_phase: Phase | None = None
        self._advice_shown = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keys work even before Start
        self.setAccessibleName(self.tr("Guided exercise session"))

        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._end_flash)
        self._flashing = False

        self.position = own_label("", "playerPosition")
        scale_font(self.position, 1.3)
        self.title = heading("", level=1, object_name="playerTitle")
        scale_font(self.title, 1.8, bold=True)  # on top of the heading size: about 2.9x
        self.mute_button = QPushButton()
        self.mute_button.setCheckable(True)
        self.mute_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        scale_font(self.mute_button, 1.2)

        # A notice from the app around the player (e.g. "could not be saved yet"); it stays
        # until replaced or cleared, because a patient on the floor may look up much later.
        self.message = plain_label("", object_name="playerMessage", selectable=False)
        scale_font(self.message, 1.2, bold=True)
        self.message.setFrameShape(QFrame.Shape.StyledPanel)
        self.message.setContentsMargins(8, 6, 8, 6)
        self.message.hide()

        self.pages = QStackedWidget()
        self.exercise_page = self._build_exercise_page()
        self.pages.addWidget(self.exercise_page)
        # The questions and the end page are needed seconds later at the earliest: built a
        # moment after the player is on show (or when first needed), so that Start answers
        # without a stall (issue 7). Not on the next turn: that is when the window shows
        # the player, and two timers due together run in one turn.
        self._later_pages_built = False
        QTimer.singleShot(LATER_PAGES_MS, self, self._build_later_pages)

        self.next_label = plain_label("", object_name="playerNext", selectable=False)
        scale_font(self.next_label, 1.4)
        self.previous_button = self._control_button(
            self.tr("◀  Previous"), self.tr("Previous: start this exercise again")
        )
        self.pause_button = self._control_button(self.tr("Pause"), self.tr("Pause"))
        self.skip_button = self._control_button(
            self.tr("Skip  ▶"), self.tr("Skip the rest of this exercise")
        )
        self.end_button = self._control_button(
            self.tr("End session"), self.tr("End the session now")
        )
        self.pause_button.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 14)

        header = QGridLayout()
        header.addWidget(self.position, 0, 0)
        header.addWidget(self.title, 1, 0)
        header.addWidget(self.mute_button, 0, 1, 2, 1, Qt.AlignmentFlag.AlignTop)
        header.setColumnStretch(0, 1)
        controls = QHBoxLayout()
        controls.addWidget(self.previous_button)
        controls.addWidget(self.pause_button)
        controls.addWidget(self.skip_button)
        controls.addStretch(1)
        controls.addWidget(self.end_button)
        self.footer = QWidget()
        footer_layout = QVBoxLayout(self.footer)
        footer_layout.setContentsMargins(0, 0, 0, 0)
        footer_layout.addWidget(self.next_label)
        footer_layout.addLayout(controls)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 6, 24, 6)
        layout.addLayout(header)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.footer)

        self.previous_button.clicked.connect(controller.previous)
        self.pause_button.clicked.connect(self._start_or_pause)
        self.skip_button.clicked.connect(controller.next)
        self.end_button.clicked.connect(controller.end_early)
        self.mute_button.toggled.connect(cues.set_muted)
        cues.muted_changed.connect(self._show_mute)
        self._build_shortcuts()
        controller.changed.connect(self._refresh)
        controller.cue.connect(self._on_cue)
        self._show_mute(cues.muted)
        self._refresh()

    # Building -------------------------------------------------------------------------------

    def all_pages_built(self) -> bool:
        """The question and end pages exist (built a moment after the player, see
        LATER_PAGES_MS, or as soon as they are needed)."""
        return self._later_pages_built

    def _build_later_pages(self) -> None:
        if self._later_pages_built:
            return
        self._later_pages_built = True
        self.feedback_page = self._build_feedback_page()
        self.done_page = self._build_done_page()
        self.pages.addWidget(self.feedback_page)
        self.pages.addWidget(self.done_page)

    def _control_button(self, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        button.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 10)
        button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        scale_font(button, 1.3)
        return button

    def _build_exercise_page(self) -> QWidget:
        self.banner = own_label("", "playerPhase")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scale_font(self.banner, 3.4, bold=True)
        self.countdown = own_label("", "playerCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scale_font(self.countdown, 11.0, bold=True)
        self.set_label = own_label("", "playerSet")
        self.rep_label = own_label("", "playerRep")
        self.side_text = own_label("", "playerSide")
        for label in (self.set_label, self.rep_label, self.side_text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            scale_font(label, 2.4, bold=label is self.side_text)
            _keep_space(label)

        left = QVBoxLayout()
        left.addWidget(self.banner)
        left.addStretch(1)
        left.addWidget(self.countdown)
        left.addWidget(self.set_label)
        left.addWidget(self.rep_label)
        left.addWidget(self.side_text)
        left.addStretch(2)

        self.picture = IllustrationView()
        self.picture.setMaximumHeight(300)  # leaves room for the steps and the controls
        self.steps_heading = heading(self.tr("How to do it"), own_words=True)
        self.steps = plain_label("", object_name="playerSteps", selectable=False)
        scale_font(self.steps, 1.3)
        steps_box = QWidget()
        steps_layout = QVBoxLayout(steps_box)
        steps_layout.setContentsMargins(0, 0, 8, 0)
        steps_layout.addWidget(self.steps_heading)
        steps_layout.addWidget(self.steps)
        steps_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(steps_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setAccessibleName(self.tr("How to do it"))
        right = QVBoxLayout()
        right.addWidget(self.picture)
        right.addWidget(scroll, 1)

        page = QWidget()
        body = QHBoxLayout(page)
        body.setContentsMargins(0, 8, 0, 8)
        body.setSpacing(32)
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        return page

    def _choice(self, text: str, accessible: str, group: QButtonGroup, key: int) -> QPushButton:
        button = QPushButton(text)
        button.setCheckable(True)
        button.setAccessibleName(accessible)
        button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        button.setStyleSheet(_CHOICE_STYLE)
        scale_font(button, 1.3)
        group.addButton(button, key)
        return button

    def _build_feedback_page(self) -> QWidget:
        self.pain_group = QButtonGroup(self)
        self.pain_buttons = [
            self._choice(
                str(score),
                self.tr("Pain %1 out of 10").replace("%1", str(score)),
                self.pain_group,
                score,
            )
            for score in range(11)
        ]
        for button in self.pain_buttons:
            button.setMinimumWidth(BUTTON_MIN_HEIGHT)
        self.no_pain_button = QPushButton(self.tr("No pain"))
        self.no_pain_button.setAccessibleName(self.tr("No pain (0 out of 10)"))
        self.no_pain_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.no_pain_button.setStyleSheet(_CHOICE_STYLE)
        scale_font(self.no_pain_button, 1.3)
        self.no_pain_button.clicked.connect(self.pain_buttons[0].click)

        self.effort_group = QButtonGroup(self)
        self._efforts = [Effort.EASY, Effort.ABOUT_RIGHT, Effort.TOO_HARD]
        effort_texts = [self.tr("Easy"), self.tr("About right"), self.tr("Too hard")]
        self.effort_buttons = [
            self._choice(text, self.tr("Effort: %1").replace("%1", text), self.effort_group, n)
            for n, text in enumerate(effort_texts)
        ]

        self.nerve_group = QButtonGroup(self)
        self._nerve_answers = [NerveResponse.SETTLED, NerveResponse.LINGERED, NerveResponse.SPREAD]
        nerve_texts = [
            self.tr("Tingling settled at once"),
            self.tr("It lingered"),
            self.tr("It spread further down the leg"),
        ]
        self.nerve_buttons = [
            self._choice(text, text, self.nerve_group, n) for n, text in enumerate(nerve_texts)
        ]

        self.save_button = QPushButton(self.tr("Save my answers"))
        self.save_button.setAccessibleName(self.tr("Save my answers"))
        self.save_hint = own_label(
            self.tr("Choose a number for your pain, then save (or press Enter)."), "playerSaveHint"
        )
        scale_font(self.save_hint, 1.2)
        self.continue_button = QPushButton(self.tr("Continue  ▶"))
        self.continue_button.setAccessibleName(self.tr("Continue to the next exercise"))
        for button in (self.save_button, self.continue_button):
            button.setMinimumHeight(BUTTON_MIN_HEIGHT)
            button.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 16)
            scale_font(button, 1.3, bold=True)

        self.advice_marker = own_label("", "playerAdviceMarker")
        self.advice_marker.setWordWrap(False)  # a short badge; wrapping would squash it
        self.advice_marker.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scale_font(self.advice_marker, 1.6, bold=True)
        self.advice_text = plain_label("", object_name="playerAdvice", selectable=False)
        scale_font(self.advice_text, 1.6)
        self.advice_box = QFrame()
        self.advice_box.setObjectName("playerAdviceBox")
        self.advice_box.setFrameShape(QFrame.Shape.StyledPanel)
        advice_layout = QVBoxLayout(self.advice_box)
        advice_layout.addWidget(self.advice_marker, 0, Qt.AlignmentFlag.AlignLeft)
        advice_layout.addWidget(self.advice_text)
        advice_layout.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignLeft)

        pain_row = QHBoxLayout()
        pain_row.addWidget(self.no_pain_button)
        pain_row.addSpacing(16)
        for button in self.pain_buttons:
            pain_row.addWidget(button)
        pain_row.addStretch(1)
        effort_row = QHBoxLayout()
        for button in self.effort_buttons:
            effort_row.addWidget(button)
        effort_row.addStretch(1)
        nerve_row = QHBoxLayout()
        for button in self.nerve_buttons:
            nerve_row.addWidget(button)
        nerve_row.addStretch(1)
        self.nerve_box = QWidget()
        nerve_layout = QVBoxLayout(self.nerve_box)
        nerve_layout.setContentsMargins(0, 0, 0, 0)
        nerve_layout.addWidget(
            self._question(
                self.tr("What did any tingling or numbness do after the movement?"),
                "playerNerveQuestion",
            )
        )
        nerve_layout.addLayout(nerve_row)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.save_hint, 1)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("How did that feel?"), level=1, own_words=True))
        layout.addWidget(
            self._question(
                self.tr("Pain during the exercise: 0 is no pain, 10 the worst imaginable"),
                "playerPainQuestion",
            )
        )
        layout.addLayout(pain_row)
        layout.addWidget(self._question(self.tr("How hard was it?"), "playerEffortQuestion"))
        layout.addLayout(effort_row)
        layout.addWidget(self.nerve_box)
        layout.addSpacing(8)
        layout.addLayout(save_row)
        layout.addWidget(self.advice_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setAccessibleName(self.tr("How did that feel?"))

        self.pain_group.idToggled.connect(self._answers_changed)
        self.save_button.clicked.connect(self._save)
        self.continue_button.clicked.connect(self.controller.continue_)
        return scroll

    def _question(self, text: str, object_name: str) -> QLabel:
        label = own_label(text, object_name)
        scale_font(label, 1.4, bold=True)
        label.setContentsMargins(0, 10, 0, 0)
        return label

    def _build_done_page(self) -> QWidget:
        self.done_title = own_label("", "playerDoneTitle")
        scale_font(self.done_title, 3.0, bold=True)
        self.done_summary = own_label("", "playerDoneSummary")
        scale_font(self.done_summary, 1.6)
        self.back_button = QPushButton(self.tr("Back to Today"))
        self.back_button.setAccessibleName(self.tr("Back to Today"))
        self.back_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.back_button.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 16)
        scale_font(self.back_button, 1.3, bold=True)
        self.back_button.clicked.connect(self.leave_requested)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        # Full width and centred text: a word-wrapped label squeezed by layout alignment
        # would be given too little height and cut off.
        for label in (self.done_title, self.done_summary):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addSpacing(24)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        return page

    def _build_shortcuts(self) -> None:
        def shortcut(keys: list[QKeySequence], slot: object) -> QShortcut:
            item = QShortcut(self)
            item.setKeys(keys)
            item.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            item.setAutoRepeat(False)  # a held key must not pause and resume in a loop
            item.activated.connect(slot)
            return item

        key = QKeySequence
        # Exercise page only: on the questions page these keys belong to the focused button.
        self._exercise_keys = [
            shortcut([key(Qt.Key.Key_Space)], self._start_or_pause),
            shortcut([key(Qt.Key.Key_Right)], self.controller.next),
            shortcut([key(Qt.Key.Key_Left)], self.controller.previous),
        ]
        self._escape_key = shortcut([key(Qt.Key.Key_Escape)], self.controller.end_early)
        self._digit_keys = []
        for digit in range(10):
            plain = Qt.Key(Qt.Key.Key_0.value + digit)
            keypad = key(Qt.KeyboardModifier.KeypadModifier | plain)
            self._digit_keys.append(
                shortcut([key(plain), keypad], lambda d=digit: self._choose_pain(d))
            )
        enter = Qt.KeyboardModifier.KeypadModifier | Qt.Key.Key_Enter
        self._enter_key = shortcut([key(Qt.Key.Key_Return), key(enter)], self._enter)

    # Public ----------------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        """Show a notice above the player (plain text); an empty text hides it."""
        self.message.setText(text)
        _name(self.message, text)
        self.message.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")

    # Reacting to the controller -------------------------------------------------------------

    def _refresh(self) -> None:
        controller = self.controller
        phase = controller.phase
        entering = phase != self._shown_phase
        self._shown_phase = phase
        if phase in (Phase.FEEDBACK, Phase.DONE):
            self._build_later_pages()
        if phase == Phase.DONE:
            self._show_done()
        elif phase == Phase.FEEDBACK:
            self._show_entry()
            self._show_feedback(entering)
        else:
            self._show_entry()
            self._show_exercise()
            if self.pages.currentWidget() is not self.exercise_page:
                self.pages.setCurrentWidget(self.exercise_page)
                self._focus_default()
        self._enable_keys(phase)

    def _show_entry(self) -> None:
        """Name, picture, steps and "next" change only when the exercise does."""
        controller = self.controller
        entry = controller.current_entry
        self.position.setText(
            self.tr("Exercise %1 of %2")
            .replace("%1", str(controller.exercise_index + 1))
            .replace("%2", str(controller.exercise_count))
        )
        following = controller.next_entry
        self.next_label.setText(
            self.tr("Next: %1").replace("%1", following.exercise.name)
            if following
            else self.tr("This is the last exercise.")
        )
        if entry is None or entry is self._shown_entry:
            return
        self._shown_entry = entry
        exercise = entry.exercise
        self.title.setText(exercise.name)
        _name(self.title, exercise.name)
        self.picture.set_picture(entry.illustration, exercise.name)
        self.steps.setText(
            "\n".join(f"{n}.  {step}" for n, step in enumerate(exercise.steps, start=1))
        )
        self.footer.show()

    def _show_exercise(self) -> None:
        controller = self.controller
        phase = controller.phase
        words = {
            Phase.GET_READY: self.tr("Get ready"),
            Phase.MOVE: self.tr("Move slowly"),
            Phase.HOLD: self.tr("Hold"),
            Phase.REST: self.tr("Rest"),
        }
        if controller.paused:
            word, colour = self.tr("Paused"), _PAUSED_COLOUR
        elif controller.changing_side:
            word, colour = self.tr("Change sides"), _PHASE_COLOURS[Phase.REST]
        else:
            word, colour = words[phase], _PHASE_COLOURS[phase]
        self.banner.setText(word)
        _name(self.banner, word)
        self._paint_banner(colour)

        remaining = _format_seconds(controller.remaining_s)
        self.countdown.setText(remaining)
        _name(
            self.countdown,
            self.tr("Time left: %1 seconds").replace("%1", str(math.ceil(controller.remaining_s))),
        )
        # During a rest the set shown is the one that comes next.
        set_text = self.tr("Next: set %1 of %2") if phase == Phase.REST else self.tr("Set %1 of %2")
        self.set_label.setText(
            set_text.replace("%1", str(controller.set_number)).replace(
                "%2", str(controller.set_count)
            )
        )
        # While changing sides the side is the news ("Next: right side"); a set count would
        # only compete with it.
        self.set_label.setVisible(not controller.changing_side)
        in_rep = phase in (Phase.MOVE, Phase.HOLD)
        self.rep_label.setVisible(in_rep)
        if in_rep:
            self.rep_label.setText(
                self.tr("Repetition %1 of %2")
                .replace("%1", str(controller.rep_number))
                .replace("%2", str(controller.rep_count))
            )
        side = controller.side
        self.side_text.setVisible(side is not None)
        if side is not None:
            names = {"left": self.tr("Left side"), "right": self.tr("Right side")}
            text = names.get(side, side)
            if controller.changing_side:
                text = self.tr("Next: %1").replace("%1", text.lower())
            self.side_text.setText(text)

        self.pause_button.setEnabled(True)
        if not controller.started:
            self.pause_button.setText(self.tr("▶  Start"))
            _name(self.pause_button, self.tr("Start the session"))
        elif controller.paused:
            self.pause_button.setText(self.tr("▶  Resume"))
            _name(self.pause_button, self.tr("Resume the session"))
        else:
            self.pause_button.setText(self.tr("Pause"))
            _name(self.pause_button, self.tr("Pause the session"))
        self.previous_button.setText(self.tr("◀  Previous"))
        _name(self.previous_button, self.tr("Previous: start this exercise again"))
        self.skip_button.setText(self.tr("Skip  ▶"))
        _name(self.skip_button, self.tr("Skip the rest of this exercise"))

    def _show_feedback(self, entering: bool) -> None:
        controller = self.controller
        if entering:
            self._reset_answers()
            self._advice_shown = False
            self.pages.setCurrentWidget(self.feedback_page)
            self._focus_default()
        self.nerve_box.setVisible(controller.asks_nerve_response)
        given = controller.feedback_given
        for group in (self.pain_group, self.effort_group, self.nerve_group):
            for button in group.buttons():
                button.setEnabled(not given)
        self.no_pain_button.setEnabled(not given)
        self.save_button.setVisible(not given)
        self.save_hint.setVisible(not given)
        self.advice_box.setVisible(given)
        advice = controller.last_advice
        if given and advice is not None:
            names = {
                Light.GREEN: self.tr("Green: fine to carry on"),
                Light.AMBER: self.tr("Amber: ease off a little"),
                Light.RED: self.tr("Red: stop this exercise for today"),
            }
            background, text = _LIGHT_COLOURS[advice.light]
            self.advice_marker.setText(f"  {names[advice.light]}  ")
            self.advice_marker.setStyleSheet(
                f"background: {background}; color: {text}; border-radius: 8px; padding: 6px;"
            )
            self.advice_text.setText(advice.message)
            _name(
                self.advice_box,
                self.tr("Advice: %1. %2")
                .replace("%1", names[advice.light])
                .replace("%2", advice.message),
            )
        if given and not self._advice_shown:
            self.continue_button.setFocus()  # Enter or Space now goes on
        self._advice_shown = given
        # Pause means nothing while answering; Skip leaves the questions unanswered.
        self.pause_button.setEnabled(False)
        self.pause_button.setText(self.tr("Pause"))
        self.previous_button.setText(self.tr("◀  Do it again"))
        _name(self.previous_button, self.tr("Do this exercise again"))
        if given:
            self.skip_button.setText(self.tr("Next exercise  ▶"))
            _name(self.skip_button, self.tr("Go on to the next exercise"))
        else:
            self.skip_button.setText(self.tr("Skip questions  ▶"))
            _name(self.skip_button, self.tr("Skip the questions and go on"))
        self._answers_changed()

    def _show_done(self) -> None:
        controller = self.controller
        completed = sum(1 for outcome in controller.outcomes if not outcome.skipped)
        total = controller.exercise_count
        finished_all = completed == total and len(controller.outcomes) >= total
        self.title.setText(
            self.tr("Session finished") if finished_all else self.tr("Session ended")
        )
        _name(self.title, self.title.text())
        self.position.setText("")
        self.done_title.setText(self.tr("Well done!") if finished_all else self.tr("Thank you."))
        self.done_summary.setText(
            self.tr("You did %1 of %2 exercises.")
            .replace("%1", str(completed))
            .replace("%2", str(total))
        )
        self.pages.setCurrentWidget(self.done_page)
        self.footer.hide()
        self._shown_entry = None
        self._focus_default()

    def _enable_keys(self, phase: Phase) -> None:
        exercising = phase not in (Phase.FEEDBACK, Phase.DONE)
        answering = phase == Phase.FEEDBACK
        for item in self._exercise_keys:
            item.setEnabled(exercising)
        for item in self._digit_keys:
            item.setEnabled(answering and not self.controller.feedback_given)
        self._enter_key.setEnabled(answering)
        self._escape_key.setEnabled(phase != Phase.DONE)

    def _paint_banner(self, colour: str) -> None:
        if self._flashing:
            # Inverted for a moment: the same colour, but impossible to miss.
            style = f"background: #ffffff; color: {colour}; border: 6px solid {colour};"
        else:
            style = f"background: {colour}; color: #ffffff; border: 6px solid {colour};"
        sheet = f"QLabel {{ {style} border-radius: 14px; padding: 10px; }}"
        if self.banner.styleSheet() != sheet:  # restyling is not free; ten refreshes a second
            self.banner.setStyleSheet(sheet)

    def _on_cue(self, kind: str) -> None:
        self.cues.play(kind)
        self._flashing = True
        self.banner.setProperty("flashing", True)
        self._flash_timer.start()
        if self.controller.phase in _BANNER_PHASES:
            self._show_exercise()

    def _end_flash(self) -> None:
        self._flashing = False
        self.banner.setProperty("flashing", False)
        if self.controller.phase in _BANNER_PHASES:
            self._show_exercise()

    @property
    def flashing(self) -> bool:
        """True for a moment after a cue (the visual twin of the sound)."""
        return self._flashing

    def _show_mute(self, muted: bool) -> None:
        if not self.cues.available:
            self.mute_button.setText(self.tr("No sound"))
            _name(self.mute_button, self.tr("Sound is not available on this computer"))
            self.mute_button.setToolTip(
                self.tr("This computer cannot play the cue sounds; the coloured banner flashes.")
            )
            self.mute_button.setEnabled(False)
            return
        self.mute_button.setChecked(muted)
        self.mute_button.setText(self.tr("Sound: off") if muted else self.tr("Sound: on"))
        _name(
            self.mute_button,
            self.tr("Turn the cue sounds on") if muted else self.tr("Turn the cue sounds off"),
        )

    # The questions ----------------------------------------------------------------------

    def _reset_answers(self) -> None:
        for group in (self.pain_group, self.effort_group, self.nerve_group):
            group.setExclusive(False)  # an exclusive group refuses to uncheck its last button
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)

    def _answers_changed(self, *_args: object) -> None:
        self.save_button.setEnabled(self.pain_group.checkedId() >= 0)

    def _choose_pain(self, score: int) -> None:
        if self.controller.phase == Phase.FEEDBACK and not self.controller.feedback_given:
            button = self.pain_buttons[score]
            button.setChecked(True)
            button.setFocus()

    def _start_or_pause(self) -> None:
        if self.controller.started:
            self.controller.toggle_pause()
        else:
            self.controller.start()

    def _enter(self) -> None:
        if self.controller.feedback_given:
            self.controller.continue_()
        elif self.save_button.isEnabled():
            self._save()

    def _save(self) -> None:
        pain = self.pain_group.checkedId()
        if pain < 0:
            return
        effort_id = self.effort_group.checkedId()
        nerve_id = self.nerve_group.checkedId()
        self.controller.submit_feedback(
            pain,
            self._efforts[effort_id] if effort_id >= 0 else None,
            self._nerve_answers[nerve_id]
            if nerve_id >= 0 and self.controller.asks_nerve_response
            else None,
        )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._focus_default()  # keys work at once, without first clicking into the player

    def _focus_default(self) -> None:
        phase = self.controller.phase
        if phase in (Phase.FEEDBACK, Phase.DONE):
            self._build_later_pages()
        if phase == Phase.DONE:
            self.back_button.setFocus()
        elif phase == Phase.FEEDBACK:
            target = self.continue_button if self.controller.feedback_given else None
            (target or self.pain_buttons[0]).setFocus()
        elif self.pause_button.isEnabled():
            self.pause_button.setFocus()
        else:
            self.setFocus()
