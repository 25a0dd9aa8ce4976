"""What an area shows before it exists: a plain statement, never an empty screen.

Every area that works on the data shows one while the data opens (a second or two after the
window appears), and the Library shows one while its exercises load.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from rehab_app.ui.widgets.text import heading, own_label


class PlaceholderView(QWidget):
    def __init__(self, title: str, promise: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title, level=1, own_words=True))
        layout.addWidget(own_label(promise))
        layout.addStretch(1)
        self.setAccessibleName(title)
