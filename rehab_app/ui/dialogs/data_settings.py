"""'Your data' (File menu): where it is kept, backups and restore, a full check, export, and
deleting everything.

Slow work (a backup, the check, the export) runs in the background with a busy bar, and the
buttons wait until it is done. Restoring and deleting replace the open database, so the dialog
only asks (in plain words, and twice before deleting) and then emits `restore_requested` or
`fresh_start_requested`: the composition root does the work and rebuilds the window on the new
data (this dialog closes with the old window). If that fails, the window's `failed` reaches
`show_problem` and the dialog is usable again.

After "delete everything" the app starts afresh on an empty data folder rather than quitting:
the person sees at once that their data is gone and that the app still works, exactly as on
the first day; quitting would leave them wondering whether anything happened.

Questions, the file chooser and opening the folder are module functions that tests replace.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from rehab_app.services.backups import BackupKind
from rehab_app.ui.dialogs.questionnaire import big_button, fit_to_screen
from rehab_app.ui.tasks import run_in_background
from rehab_app.ui.widgets.layout import scrolling
from rehab_app.ui.widgets.text import heading, own_label, plain_label

if TYPE_CHECKING:
    from rehab_app.services.backups import (
        BackupInfo,
        BackupService,
        CheckReport,
        DeletionPlan,
        ExportResult,
    )


def _tr(text: str) -> str:
    return QCoreApplication.translate("data_settings", text)


def open_folder(url: QUrl) -> bool:
    """Show a folder in the system's file manager; tests replace this module attribute."""
    return QDesktopServices.openUrl(url)


def choose_export_file(parent: QWidget, suggested: Path) -> Path | None:
    """Ask where to save the export; tests replace this module attribute."""
    name, _ = QFileDialog.getSaveFileName(
        parent, parent.tr("Save all your data as"), str(suggested), parent.tr("Zip files (*.zip)")
    )
    return Path(name) if name else None


def ask(parent: QWidget, title: str, text: str, yes: str, no: str) -> bool:
    """A yes/no question whose safe answer is the default; tests replace this attribute."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setIcon(QMessageBox.Icon.Question)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)  # Enter pressed by habit keeps things as they are
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def when_words(moment: datetime, today: date) -> str:
    """'Today at 14:05', 'Yesterday at 09:12', or 'Sunday 22 March 2026 at 14:05'."""
    locale = QLocale()
    clock_time = f"{moment:%H:%M}"
    day = moment.date()
    if day == today:
        text = _tr("Today at %1")
    elif day == today - timedelta(days=1):
        text = _tr("Yesterday at %1")
    else:
        written = locale.toString(QDate(day.year, day.month, day.day), "dddd d MMMM yyyy")
        text = _tr("%2 at %1").replace("%2", written)
    return text.replace("%1", clock_time)


class DataSettingsDialog(QDialog):
    #: The backup file the person confirmed to restore (app.py restores and reopens the data).
    restore_requested = Signal(object)
    #: The person confirmed twice that everything should be deleted.
    fresh_start_requested = Signal()
    #: A background job ended (done or failed); carries the message shown.
    work_finished = Signal(str)

    def __init__(self, backups: BackupService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backups = backups
        self._busy = False
        self.setWindowTitle(self.tr("Your data"))
        self.setAccessibleName(self.tr("Your data"))

        # Two columns, so that on a usual screen everything is in view without scrolling:
        # the backups on the left (the most used part), the rest on the right.
        body = QWidget()
        columns = QHBoxLayout(body)
        em = self.fontMetrics().horizontalAdvance("M")
        halves = []
        for _ in range(2):
            half = QWidget()
            # Equal halves whatever the texts' preferred widths; never narrower than 24 M.
            half.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            half.setMinimumWidth(em * 24)
            halves.append(QVBoxLayout(half))
            columns.addWidget(half, 1)
        columns.insertSpacing(1, em * 2)
        left, right = halves
        left.setContentsMargins(0, 0, 0, 0)
        right.setContentsMargins(0, 0, 0, 0)

        self._layout = left  # the section buttons are added to it as they are made
        left.addWidget(heading(self.tr("Backups"), 1, own_words=True))
        left.addWidget(
            own_label(
                self.tr(
                    "rehab_app makes a copy of your data by itself: every half hour while you"
                    " use it, when you close it, and before anything big changes. Copies are"
                    " kept for about a year."
                )
            )
        )
        self.back_up_button = self._button(self.tr("Back up now"), "backUpNow", self._back_up)
        left.addWidget(own_label(self.tr("Your backups, newest first:")))
        self.backup_list = QListWidget()
        self.backup_list.setObjectName("backupList")
        self.backup_list.setAccessibleName(self.tr("Your backups, newest first"))
        self.backup_list.setWordWrap(True)
        self.backup_list.setSpacing(2)
        # Rows tall enough to hit with a shaky hand.
        self.backup_list.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        self.backup_list.setMinimumHeight(self.fontMetrics().height() * 7)
        self.backup_list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.backup_list.itemActivated.connect(lambda _item: self._restore())
        left.addWidget(self.backup_list, 1)
        self.restore_button = self._button(
            self.tr("Restore this backup…"), "restoreBackup", self._restore
        )

        self._layout = right
        right.addWidget(heading(self.tr("Where your data is"), 2, own_words=True))
        right.addWidget(
            own_label(
                self.tr(
                    "Everything you record in rehab_app stays on this computer, in this folder:"
                )
            )
        )
        folder = str(backups.data_dir)
        self.folder_label = plain_label(folder, "dataFolder")
        self.folder_label.setAccessibleName(self.tr("Your data folder: %1").replace("%1", folder))
        right.addWidget(self.folder_label)
        self.folder_button = self._button(self.tr("Show the folder"), "showFolder", self._show)

        right.addWidget(heading(self.tr("Check my data"), 2, own_words=True))
        right.addWidget(
            own_label(self.tr("Looks through your data file for damage. It changes nothing."))
        )
        self.check_button = self._button(self.tr("Check my data"), "checkData", self._check)
        self.report = plain_label("", "checkReport")
        self.report.hide()
        right.addWidget(self.report)

        right.addWidget(heading(self.tr("Take your data with you"), 2, own_words=True))
        right.addWidget(
            own_label(
                self.tr(
                    "Saves your diary, plans, sessions and pictures in one zip file, for example"
                    " to keep on a USB stick or to give to your therapist."
                )
            )
        )
        self.export_button = self._button(
            self.tr("Export everything…"), "exportEverything", self._export
        )

        line = QFrame()  # set apart: the one step here that cannot be undone
        line.setFrameShape(QFrame.Shape.HLine)
        right.addWidget(line)
        right.addWidget(heading(self.tr("Delete everything"), 2, own_words=True))
        right.addWidget(
            own_label(
                self.tr(
                    "Removes all your rehab_app data from this computer, backups included."
                    " This cannot be undone."
                )
            )
        )
        self.delete_button = self._button(
            self.tr("Delete everything…"), "deleteEverything", self._delete
        )
        right.addStretch(1)

        outer = QVBoxLayout(self)
        outer.addWidget(scrolling(body), 1)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # busy: no steps to count
        self.busy.setAccessibleName(self.tr("Working"))
        self.busy.setTextVisible(False)
        self.busy.hide()
        outer.addWidget(self.busy)
        self.status = plain_label("", "dataStatus")
        self.status.setAccessibleName(self.tr("What happened"))
        outer.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = big_button(self.tr("Close"), object_name="closeData")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        outer.addLayout(buttons)

        self.refresh()
        fit_to_screen(self, 84, 36)

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = big_button(text, object_name=name)
        button.setAutoDefault(False)  # Enter never starts a restore or a deletion by surprise
        button.clicked.connect(slot)
        self._layout.addWidget(button)
        return button

    # Public ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """List the backups again (a directory listing: fast enough for the GUI thread)."""
        chosen = self._chosen()
        self.backup_list.clear()
        today = self.backups.today()
        for info in self.backups.list():
            item = QListWidgetItem(self._describe(info, today))
            item.setData(Qt.ItemDataRole.UserRole, info.path)
            self.backup_list.addItem(item)
            if chosen is not None and info.path == chosen:
                self.backup_list.setCurrentItem(item)
        if self.backup_list.currentRow() < 0 and self.backup_list.count():
            self.backup_list.setCurrentRow(0)  # the newest: "Restore" is never a mystery
        if self.backup_list.count() == 0:
            placeholder = QListWidgetItem(self.tr("No backups yet."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.backup_list.addItem(placeholder)
        self._update_buttons()

    def show_problem(self, message: str) -> None:
        """A restore or deletion started from here failed; say so and allow another go."""
        self._end_work(self.tr("That did not work: %1").replace("%1", message))

    # Actions ----------------------------------------------------------------------------------

    def _show(self) -> None:
        # Our own data folder, never a path that came from a pack (DATA-SAFETY §2.5).
        if not open_folder(QUrl.fromLocalFile(str(self.backups.data_dir))):
            self.status.setText(
                self.tr("The folder could not be shown. It is: %1").replace(
                    "%1", str(self.backups.data_dir)
                )
            )

    def _back_up(self) -> None:
        def done(info: BackupInfo) -> str:
            self.refresh()
            self._select(info.path)
            return self.tr("A backup was made: %1.").replace(
                "%1", when_words(info.local, self.backups.today())
            )

        self._start(self.tr("Making a backup…"), self.backups.back_up, done)

    def _restore(self) -> None:
        path = self._chosen()
        if path is None or self._busy:
            return
        info = next((info for info in self.backups.list() if info.path == path), None)
        if info is None:
            self.refresh()
            return
        when = when_words(info.local, self.backups.today())
        question = (
            self.tr(
                "Go back to your data as it was on %1?\n\n"
                "What you have now is backed up first, so you can come back to it later by"
                " restoring that backup. Anything you recorded after %1 will not be shown"
                " until then."
            )
        ).replace("%1", when)
        if not ask(
            self, self.tr("Restore a backup"), question, self.tr("Restore"), self.tr("Cancel")
        ):
            return
        self._begin_work(self.tr("Restoring… your data will reopen in a moment."))
        self.restore_requested.emit(path)

    def _check(self) -> None:
        def done(report: CheckReport) -> str:
            self.report.setText(self._report_text(report))
            self.report.setAccessibleName(self.report.text())
            self.report.show()
            return (
                self.tr("Your data is healthy.")
                if report.healthy
                else self.tr("Problems were found: see above.")
            )

        self._start(self.tr("Checking your data…"), self.backups.check, done)

    def _export(self) -> None:
        today = self.backups.today()
        suggested = Path.home() / self.tr("rehab_app data %1.zip").replace("%1", today.isoformat())
        target = choose_export_file(self, suggested)
        if target is None:
            return
        if target.suffix.lower() != ".zip":
            target = target.with_name(target.name + ".zip")

        def done(result: ExportResult) -> str:
            size = QLocale().formattedDataSize(
                result.size, 1, QLocale.DataSizeFormat.DataSizeSIFormat
            )
            return (
                self.tr("Everything was saved in %1 (%2).")
                .replace("%1", str(result.path))
                .replace("%2", size)
            )

        self._start(
            self.tr("Exporting your data…"), lambda: self.backups.export_everything(target), done
        )

    def _delete(self) -> None:
        if self._busy:
            return
        plan = self.backups.deletion_plan()
        first = self.tr(
            "This removes from this computer:\n%1\n\nIt cannot be undone. If you might want"
            " your data later, choose Cancel, then Export everything first."
        ).replace("%1", "\n".join(f"  • {line}" for line in self._deletion_lines(plan)))
        if not ask(self, self.tr("Delete everything?"), first, self.tr("Go on"), self.tr("Cancel")):
            return
        second = self.tr(
            "Are you completely sure? Your diary, your plans and every backup will be gone"
            " for good, and rehab_app will start again empty."
        )
        if not ask(
            self,
            self.tr("Delete everything for good?"),
            second,
            self.tr("Yes, delete everything"),
            self.tr("No, keep my data"),
        ):
            return
        self._begin_work(self.tr("Deleting…"))
        self.fresh_start_requested.emit()

    # Internals --------------------------------------------------------------------------------

    def _deletion_lines(self, plan: DeletionPlan) -> list[str]:
        lines = []
        if plan.has_database:
            lines.append(self.tr("your pain diary, plans, sessions, questionnaires and settings"))
        if plan.backups:
            lines.append(
                self.tr("1 backup")
                if plan.backups == 1
                else self.tr("%1 backups").replace("%1", str(plan.backups))
            )
        if plan.pictures:
            lines.append(
                self.tr("1 picture from exercise packs")
                if plan.pictures == 1
                else self.tr("%1 pictures from exercise packs").replace("%1", str(plan.pictures))
            )
        if plan.kept_aside:
            lines.append(self.tr("damaged copies of your data kept after a restore"))
        if plan.signing_key:
            lines.append(self.tr("your key for signing exercise packs (for therapists)"))
        return lines or [self.tr("nothing: there is no data yet")]

    def _report_text(self, report: CheckReport) -> str:
        if report.missing:
            return self.tr("There is no data yet.")
        if report.healthy:
            return self.tr("Your data is healthy. No damage and no broken links were found.")
        lines = [self.tr("Your data has problems.")]
        if report.damage:
            lines.append(self.tr("Parts of the data file are damaged:"))
            lines += [f"  • {message}" for message in report.damage[:10]]
        if report.broken_links:
            lines.append(self.tr("Some entries point to something that no longer exists:"))
            lines += [f"  • {message}" for message in report.broken_links[:10]]
        lines.append(
            self.tr(
                "What to do: restore a backup from before the problem started (what you have"
                " now is backed up first), or keep the file and ask for help."
            )
        )
        return "\n".join(lines)

    def _describe(self, info: BackupInfo, today: date) -> str:
        why = {
            BackupKind.AUTOMATIC: self.tr("made automatically"),
            BackupKind.ON_CLOSE: self.tr("made when rehab_app was closed"),
            BackupKind.MANUAL: self.tr("made with Back up now"),
            BackupKind.BEFORE_RESTORE: self.tr("your data just before a restore"),
            BackupKind.BEFORE_IMPORT: self.tr("made before a pack was imported"),
            BackupKind.BEFORE_UPGRADE: self.tr("made before rehab_app was updated"),
            BackupKind.OTHER: self.tr("backup"),
        }[info.kind]
        size = QLocale().formattedDataSize(info.size, 0, QLocale.DataSizeFormat.DataSizeSIFormat)
        return f"{when_words(info.local, today)} · {why} · {size}"

    def _chosen(self) -> Path | None:
        item = self.backup_list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, Path) else None

    def _select(self, path: Path) -> None:
        for row in range(self.backup_list.count()):
            if self.backup_list.item(row).data(Qt.ItemDataRole.UserRole) == path:
                self.backup_list.setCurrentRow(row)
                return

    def _update_buttons(self) -> None:
        for button in (self.back_up_button, self.check_button, self.export_button):
            button.setEnabled(not self._busy)
        self.delete_button.setEnabled(not self._busy)
        self.restore_button.setEnabled(not self._busy and self._chosen() is not None)

    def _start(self, message: str, work: Callable[[], Any], done: Callable[[Any], str]) -> None:
        if self._busy:
            return
        self._begin_work(message)
        run_in_background(
            work,
            lambda result: self._end_work(done(result)),
            lambda error: self.show_problem(str(error) or type(error).__name__),
        )

    def _begin_work(self, message: str) -> None:
        self._busy = True
        self.busy.show()
        self.status.setText(message)
        self._update_buttons()

    def _end_work(self, message: str) -> None:
        self._busy = False
        self.busy.hide()
        self.status.setText(message)
        self._update_buttons()
        self.work_finished.emit(message)
