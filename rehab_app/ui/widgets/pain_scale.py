"""Rows of big toggle buttons: the 0-10 pain scale, and one-of-several choices (context, side).

Each row is ONE keyboard stop, like a slider or a group of radio buttons: Tab reaches the row,
the arrow keys (and Home/End) move the choice, and the buttons themselves never take focus, so
a person moving through a form with Tab is not made to walk through eleven numbers twice.

The pain scale also takes digits: a digit sets the value and moves focus to the next control,
so "4, 6, Enter" rates back 4 and leg 6 and saves. "1" could be the start of "10", so after a
"1" the scale waits: "0" makes it 10, any other key settles it at 1 and is passed on to the
next control, and after a second on its own it settles at 1. "+"/"-" and the arrows reach 10
too. The anchors "No pain" and "Worst imaginable" are written under the ends every time,
because ratings are only comparable when the anchors never change (clinical.md §6.3).

Colours come only from the palette (the chosen button takes the highlight colour), so light
and dark themes both read well; sizes are multiples of the font, so text follows the system.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from rehab_app.ui.widgets.text import own_label

#: How long a lone "1" waits for a "0" before it is taken as 1.
TEN_WINDOW_MS = 1000

# A chosen answer must be obvious at a glance, which the native "sunken" look is not. Only
# palette roles are used, so dark mode stays readable.
TOGGLE_STYLE = """
QPushButton {
    border: 2px solid palette(mid); border-radius: 10px; padding: 4px 14px;
    background: palette(button); color: palette(button-text);
}
QPushButton:checked {
    background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight);
}
QPushButton:disabled { color: palette(mid); }
"""


def _tr(text: str) -> str:
    return QCoreApplication.translate("pain_scale", text)


def target_height(widget: QWidget) -> int:
    """A comfortable button height for stiff or shaky hands, growing with the font."""
    return max(48, round(widget.fontMetrics().height() * 2.4))


class _ToggleRow(QWidget):
    """Exclusive toggle buttons in one row, operated as one keyboard stop."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(name)
        self._name = name
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QPushButton] = []
        self.row = QHBoxLayout()
        self.row.setSpacing(6)
        # Room around the buttons for the focus ring painted in paintEvent.
        self.row.setContentsMargins(6, 6, 6, 6)
        self.group.idClicked.connect(self._clicked)

    def _add_button(self, text: str, accessible: str, scale: float = 1.15) -> QPushButton:
        button = QPushButton(text)
        button.setCheckable(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the row is the keyboard stop
        button.setAutoDefault(False)  # Enter belongs to the dialog's Save button
        button.setAccessibleName(accessible)
        button.setStyleSheet(TOGGLE_STYLE)
        font = button.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        button.setFont(font)
        button.setMinimumHeight(target_height(button))
        self.group.addButton(button, len(self.buttons))
        self.buttons.append(button)
        self.row.addWidget(button)
        return button

    def index(self) -> int | None:
        chosen = self.group.checkedId()
        return None if chosen < 0 else chosen

    def set_index(self, index: int | None) -> None:
        if index is None:
            # An exclusive group cannot be emptied by unchecking one button.
            self.group.setExclusive(False)
            for button in self.buttons:
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[index].setChecked(True)
        self._describe()

    def _choose(self, index: int) -> None:
        """A choice made by the person (key or click): set it and announce it."""
        index = max(0, min(len(self.buttons) - 1, index))
        changed = index != self.index()
        self.set_index(index)
        if changed:
            self._announce(index)

    def _clicked(self, index: int) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)  # digits and arrows now act here
        self._describe()
        self._announce(index)

    def _announce(self, index: int) -> None:
        raise NotImplementedError

    def _describe(self) -> None:
        index = self.index()
        chosen = self.buttons[index].accessibleName() if index is not None else _tr("none yet")
        self.setAccessibleDescription(
            _tr("Chosen: %1. Use the arrow keys to change it.").replace("%1", chosen)
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        index = self.index()
        last = len(self.buttons) - 1
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Up):
            self._choose(0 if index is None else index + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down):
            self._choose(0 if index is None else index - 1)
        elif key == Qt.Key.Key_Home:
            self._choose(0)
        elif key == Qt.Key.Key_End:
            self._choose(last)
        elif key == Qt.Key.Key_Space and index is None:
            self._choose(0)
        else:
            super().keyPressEvent(event)  # ignored: Enter reaches the dialog

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().focusOutEvent(event)
        self.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            for button in self.buttons:
                button.setMinimumHeight(target_height(button))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if not self.hasFocus():
            return
        # A thick ring in the highlight colour: the native focus rectangle is too faint to
        # find on a row of eleven buttons.
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 3)
        painter.setPen(pen)
        area = self.row.geometry().adjusted(2, 2, -2, -2)
        painter.drawRoundedRect(area, 12, 12)


class PainScale(_ToggleRow):
    """Eleven buttons 0..10 with the fixed anchors; `value()` is None until a number is chosen."""

    changed = Signal(int)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        for score in range(11):
            button = self._add_button(
                str(score),
                _tr("%1: %2 out of 10").replace("%1", name).replace("%2", str(score)),
                scale=1.3,
            )
            button.setMinimumWidth(target_height(button))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.low_anchor = own_label(_tr("0 = No pain"), "painAnchorLow")
        self.high_anchor = own_label(_tr("10 = Worst imaginable"), "painAnchorHigh")
        self.high_anchor.setAlignment(Qt.AlignmentFlag.AlignRight)
        for anchor in (self.low_anchor, self.high_anchor):
            anchor.setWordWrap(False)
        anchors = QHBoxLayout()
        anchors.setContentsMargins(6, 0, 6, 0)
        anchors.addWidget(self.low_anchor)
        anchors.addStretch(1)
        anchors.addWidget(self.high_anchor)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(self.row)
        outer.addLayout(anchors)
        self._pending_one = QTimer(self)
        self._pending_one.setSingleShot(True)
        self._pending_one.setInterval(TEN_WINDOW_MS)
        self._pending_one.timeout.connect(self._settle)
        self._describe()

    def value(self) -> int | None:
        return self.index()

    def set_value(self, value: int | None) -> None:
        if value is not None and not 0 <= value <= 10:
            raise ValueError(f"pain must be 0..10, not {value}")
        self._pending_one.stop()
        self.set_index(value)

    def waiting_for_ten(self) -> bool:
        """True just after a "1", while a "0" would still make it 10."""
        return self._pending_one.isActive()

    def _announce(self, index: int) -> None:
        self.changed.emit(index)

    def _describe(self) -> None:
        index = self.index()
        chosen = str(index) if index is not None else _tr("not chosen yet")
        self.setAccessibleDescription(
            _tr(
                "0 = no pain, 10 = worst imaginable. Chosen: %1. Type a number, or use the"
                " arrow keys."
            ).replace("%1", chosen)
        )

    def _settle(self) -> None:
        """The "1" stands: move on."""
        self._pending_one.stop()
        self.focusNextChild()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        digit = _digit(event)
        if self._pending_one.isActive():
            self._pending_one.stop()
            if digit == 0:
                self._choose(10)
                self.focusNextChild()
                return
            if digit is not None:
                # The key was meant for the next control: "1, 6" is back 1, leg 6.
                self._settle()
                target = self.window().focusWidget()
                if target is not None and target is not self:
                    again = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
                    QCoreApplication.sendEvent(target, again)
                return
            # Any other key: the "1" stands and the key does what it always does here
            # (an arrow adjusts, Enter reaches the dialog's Save button).
        if digit is not None:
            self._choose(digit)
            if digit == 1:
                self._pending_one.start()
            else:
                self.focusNextChild()
            return
        key = event.key()
        index = self.index()
        if key == Qt.Key.Key_Plus:
            self._choose(0 if index is None else index + 1)
        elif key == Qt.Key.Key_Minus:
            self._choose(0 if index is None else index - 1)
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._pending_one.stop()
        super().focusOutEvent(event)


class ChoiceRow(_ToggleRow):
    """One of several values (an enum's members), shown as words; `value()` may be None."""

    changed = Signal(object)

    def __init__(
        self,
        name: str,
        choices: Sequence[tuple[object, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name, parent)
        self._values = [value for value, _ in choices]
        for _, text in choices:
            self._add_button(text, text)
        self.row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.row)
        self._describe()

    def value(self) -> object | None:
        index = self.index()
        return None if index is None else self._values[index]

    def set_value(self, value: object | None) -> None:
        self.set_index(None if value is None else self._values.index(value))

    def _announce(self, index: int) -> None:
        self.changed.emit(self._values[index])


def _digit(event: QKeyEvent) -> int | None:
    held = Qt.KeyboardModifier
    if event.modifiers() & (held.ControlModifier | held.AltModifier | held.MetaModifier):
        return None  # Ctrl+1 and the like belong to the window
    key = event.key()
    if Qt.Key.Key_0.value <= key <= Qt.Key.Key_9.value:
        return key - Qt.Key.Key_0.value
    return None
