"""Labels for text that came from files or people: always plain text, never rich text.

Exercise and pack text could contain markup; Qt would render it (and follow links) if a label
were left to guess its format. Sizes are relative to the application font, so text follows
the system's font size.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

_HEADING_SCALE = {1: 1.6, 2: 1.2, 3: 1.05}


def plain_label(text: str, object_name: str = "", selectable: bool = True) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


def heading(text: str, level: int = 2, object_name: str = "") -> QLabel:
    label = plain_label(text, object_name, selectable=False)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * _HEADING_SCALE.get(level, 1.0))
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    if level == 2:
        label.setContentsMargins(0, 8, 0, 0)
    return label
