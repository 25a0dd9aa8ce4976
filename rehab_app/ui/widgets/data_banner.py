"""A calm, clearly visible notice above every screen when the data cannot be used as it is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from rehab_app.services.status import DataState, DataStatus
from rehab_app.ui.widgets.text import heading, plain_label


class DataBanner(QFrame):
    restore_requested = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.AlternateBase))
        self.setPalette(palette)
        self._status: DataStatus | None = None
        self.title = heading("", level=2)
        self.message = plain_label("", object_name="dataBannerMessage")
        self.restore_button = QPushButton(self.tr("Restore the newest backup"))
        self.copy_button = QPushButton(self.tr("Copy the file's location"))
        self.folder_button = QPushButton(self.tr("Open the data folder"))
        buttons = QHBoxLayout()
        for button in (self.restore_button, self.copy_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.restore_button.clicked.connect(self._restore)
        self.copy_button.clicked.connect(self._copy_location)
        self.folder_button.clicked.connect(self._open_folder)
        self.hide()

    def show_status(self, status: DataStatus) -> None:
        self._status = status
        if status.state == DataState.READY:
            if status.warning:
                self.title.setText(self.tr("Where your data is kept may damage it"))
                self.title.setAccessibleName(self.title.text())
                self.message.setText(status.warning)
                self.restore_button.hide()
                self.show()
            else:
                self.hide()
            return
        titles = {
            DataState.DAMAGED: self.tr("Your data file needs attention"),
            DataState.NEWER: self.tr("This data belongs to a newer rehab_app"),
            DataState.UNAVAILABLE: self.tr("Your data could not be opened"),
        }
        self.title.setText(titles[status.state])
        self.title.setAccessibleName(self.title.text())
        self.message.setText(status.message)
        self.restore_button.setVisible(
            status.state == DataState.DAMAGED and status.newest_backup is not None
        )
        self.show()

    def _restore(self) -> None:
        if self._status is not None and self._status.newest_backup is not None:
            self.restore_button.setEnabled(False)
            self.restore_requested.emit(self._status.newest_backup)

    def _copy_location(self) -> None:
        if self._status is not None:
            QGuiApplication.clipboard().setText(str(self._status.database))

    def _open_folder(self) -> None:
        # Our own data folder, never a path that came from a pack.
        if self._status is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._status.data_dir)))
