"""Labels. Text that came from files, packs or people is always shown as plain text.

Exercise and pack text could contain markup; Qt would render it (and follow links) if a label
were left to guess its format, so `plain_label` and `heading` fix the format to plain text.
`own_label` is for the app's own fixed wording only: it avoids touching the `Qt` namespace,
whose first use costs about 30 ms, so the placeholders shown at the first paint stay cheap.
Sizes are relative to the application font, so text follows the system's font size.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

_HEADING_SCALE = {1: 1.6, 2: 1.2, 3: 1.05}


def own_label(text: str, object_name: str = "") -> QLabel:
    """A label for the app's own words (no markup in them, ever)."""
    label = QLabel(text)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


def plain_label(text: str, object_name: str = "", selectable: bool = True) -> QLabel:
    """A label for any text that did not come from this source file."""
    from PySide6.QtCore import Qt

    label = own_label("", object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def heading(text: str, level: int = 2, object_name: str = "", own_words: bool = False) -> QLabel:
    label = own_label(text, object_name) if own_words else plain_label(text, object_name, False)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * _HEADING_SCALE.get(level, 1.0))
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    if level == 2:
        label.setContentsMargins(0, 8, 0, 0)
    return label
