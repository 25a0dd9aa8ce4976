"""Small layout helpers shared by the screens: scrolling pages and font scaling."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def scrolling(body: QWidget, horizontal: bool = False) -> QScrollArea:
    """`body` in a frameless scroll area that grows with it; text wraps instead of scrolling
    sideways unless `horizontal`."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    if not horizontal:
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(body)
    return scroll


def scale_font(widget: QWidget, factor: float, bold: bool = False) -> None:
    """Relative to the widget's current font, so it follows the system font size."""
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    widget.setFont(font)
