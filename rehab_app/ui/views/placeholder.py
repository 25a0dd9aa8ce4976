"""What an area that is not built yet shows: a plain statement, not an empty screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from rehab_app.ui.widgets.text import heading, plain_label


class PlaceholderView(QWidget):
    def __init__(self, title: str, promise: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(heading(title, level=1))
        notice = plain_label(self.tr("This part of rehab_app is not built yet."), "notBuilt")
        layout.addWidget(notice)
        layout.addWidget(plain_label(promise))
        layout.addStretch(1)
        self.setAccessibleName(title)
