"""What an area shows before it exists: a plain statement, never an empty screen.

Used for areas not built yet, and for the Library while its exercises are loading.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from rehab_app.ui.widgets.text import heading, own_label


class PlaceholderView(QWidget):
    def __init__(
        self, title: str, promise: str, built: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title, level=1, own_words=True))
        if not built:
            notice = own_label(self.tr("This part of rehab_app is not built yet."), "notBuilt")
            layout.addWidget(notice)
        layout.addWidget(own_label(promise))
        layout.addStretch(1)
        self.setAccessibleName(title)
