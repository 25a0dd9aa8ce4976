"""Safety notices that sit in a view: the "pain creeping up" trend notice, and alert markers.

Alert colours (red, amber) appear only on a marker that also says the level in words, so
nothing depends on seeing colour; the marker paints its own background and picks a text colour
that reads on it (contrast above 4.5:1), so it works in light and dark themes alike. Everything
else takes its colours from the palette.

`TrendNotice` records nothing itself: the caller decides when it is shown (SafetyService.
trend_rising) and records the warning (SafetyService.record_trend_warning, at most once a
week), so showing it again after a restart does not add a second record.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from rehab_app.ui.widgets.text import heading, own_label

#: Marker background and the text colour that reads on it (same hues as the player's lights).
MARKER_COLOURS = {
    "red": ("#b3261e", "#ffffff"),
    "amber": ("#f2b705", "#000000"),
}


def alert_marker(words: str, colour: str, object_name: str = "alertMarker") -> QLabel:
    """A bold, rounded label in an alert colour that says what it means in words."""
    background, text = MARKER_COLOURS[colour]
    marker = own_label(words, object_name)
    marker.setWordWrap(False)
    font = marker.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setBold(True)
    marker.setFont(font)
    marker.setStyleSheet(
        f"QLabel {{ background: {background}; color: {text}; border-radius: 8px;"
        " padding: 6px 14px; }"
    )
    marker.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    marker.setAccessibleName(words)
    return marker


class TrendNotice(QFrame):
    """A calm notice: the pain has been creeping up for two weeks; review the plan.

    Hidden until the caller shows it; "OK" hides it again and emits `dismissed`.
    """

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.AlternateBase))
        self.setPalette(palette)
        self.title = heading(self.tr("Your pain has been creeping up"), own_words=True)
        self.message = own_label(
            self.tr(
                "Your pain has been creeping up for two weeks. Please review your plan with"
                " your therapist."
            ),
            "trendMessage",
        )
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.message.setFont(font)
        self.ok_button = QPushButton(self.tr("OK"))
        self.ok_button.setObjectName("trendOk")
        self.ok_button.setAccessibleName(self.tr("OK, I have read the note about my pain"))
        self.ok_button.setMinimumHeight(round(self.ok_button.fontMetrics().height() * 2.6))
        self.ok_button.setMinimumWidth(self.ok_button.fontMetrics().horizontalAdvance("M") * 8)
        self.ok_button.setCursor(Qt.CursorShape.PointingHandCursor)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.addLayout(text, 1)
        layout.addWidget(self.ok_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setAccessibleName(self.message.text())
        self.ok_button.clicked.connect(self._ok)
        self.hide()

    def _ok(self) -> None:
        self.hide()
        self.dismissed.emit()
