"""'Your data' driven like a person would: back up, restore, check, export, delete everything;
the timed backups while the app runs, and the one on close."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QWidget

from rehab_app.app import AppContext, _open_in_background, _shut_down
from rehab_app.core.changes import Changes
from rehab_app.services.backups import BackupKind
from rehab_app.ui import backup_scheduler as scheduler_module
from rehab_app.ui.backup_scheduler import BackupScheduler
from rehab_app.ui.bus import Bus
from rehab_app.ui.dialogs import data_settings
from rehab_app.ui.dialogs.data_settings import DataSettingsDialog
from rehab_app.ui.main_window import MainWindow

SCREENSHOT = Path("/tmp/data_settings.png")


@pytest.fixture
def dialog(qtbot, app_services) -> DataSettingsDialog:
    widget = DataSettingsDialog(app_services.backups)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@dataclass
class Person:
    """Answers the dialog's questions in the order given, and remembers what was asked."""

    answers: list[bool] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)

    def ask(self, _parent: object, title: str, text: str, _yes: str, _no: str) -> bool:
        self.asked.append(f"{title}\n{text}")
        return self.answers.pop(0)


@pytest.fixture
def person(monkeypatch) -> Person:
    someone = Person()
    monkeypatch.setattr(data_settings, "ask", someone.ask)
    return someone


def _click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _cut_off_labels(widget: QWidget) -> list[str]:
    """Wrapped labels given less height than their text needs."""
    return [
        label.text()
        for label in widget.findChildren(QLabel)
        if label.isVisible()
        and label.wordWrap()
        and label.height() < label.heightForWidth(label.width())
    ]


def _rows(dialog: DataSettingsDialog) -> list[str]:
    return [dialog.backup_list.item(row).text() for row in range(dialog.backup_list.count())]


def test_back_up_now_adds_the_backup_to_the_list(qtbot, dialog, app_services) -> None:
    assert _rows(dialog) == ["No backups yet."]
    assert not dialog.restore_button.isEnabled()
    _click(qtbot, dialog.back_up_button)
    assert not dialog.busy.isHidden(), "a busy bar while the backup runs"
    with qtbot.waitSignal(dialog.work_finished, timeout=10_000):
        pass
    assert dialog.busy.isHidden()
    assert dialog.status.text() == "A backup was made: Today at 08:30."  # 07:30 UTC, BST
    rows = _rows(dialog)
    assert len(rows) == 1 and rows[0].startswith("Today at 08:30 · made with Back up now · ")
    assert dialog.restore_button.isEnabled(), "the new backup is chosen"


def test_restoring_asks_first_and_says_the_current_data_is_kept(
    qtbot, dialog, app_services, person
) -> None:
    first = app_services.backups.back_up()
    app_services.clock.advance(days=3)
    dialog.refresh()
    dialog.backup_list.setCurrentRow(0)
    person.answers.append(False)
    with qtbot.assertNotEmitted(dialog.restore_requested):
        _click(qtbot, dialog.restore_button)
    assert "What you have now is backed up first" in person.asked[0]
    assert "as it was on Sunday 29 March 2026 at 08:30?" in person.asked[0]
    person.answers.append(True)
    with qtbot.waitSignal(dialog.restore_requested) as emitted:
        _click(qtbot, dialog.restore_button)
    assert emitted.args == [first.path]
    assert not dialog.busy.isHidden() and not dialog.delete_button.isEnabled()
    dialog.show_problem("the disk is full")  # as the window reports a failed restore
    assert dialog.status.text() == "That did not work: the disk is full"
    assert dialog.restore_button.isEnabled()


def test_check_my_data_says_healthy(qtbot, dialog) -> None:
    assert dialog.report.isHidden()
    with qtbot.waitSignal(dialog.work_finished, timeout=10_000):
        _click(qtbot, dialog.check_button)
    assert dialog.report.isVisible()
    assert dialog.report.text().startswith("Your data is healthy.")
    assert dialog.report.textFormat() == Qt.TextFormat.PlainText


def test_export_everything_writes_a_zip(qtbot, dialog, app_services, monkeypatch, tmp_path):
    app_services.settings.set("name", "Ann")
    chosen = tmp_path / "for my therapist"  # the person typed no .zip
    monkeypatch.setattr(data_settings, "choose_export_file", lambda _parent, _suggested: chosen)
    with qtbot.waitSignal(dialog.work_finished, timeout=10_000):
        _click(qtbot, dialog.export_button)
    target = tmp_path / "for my therapist.zip"
    assert f"Everything was saved in {target}" in dialog.status.text()
    with zipfile.ZipFile(target) as archive:
        assert "rehab.sqlite3" in archive.namelist()


def test_export_can_be_cancelled(qtbot, dialog, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(data_settings, "choose_export_file", lambda _parent, _suggested: None)
    _click(qtbot, dialog.export_button)
    assert dialog.busy.isHidden() and dialog.status.text() == ""


def test_delete_everything_needs_two_confirmations(qtbot, dialog, app_services, person) -> None:
    app_services.settings.set("name", "Ann")
    app_services.backups.back_up()
    person.answers.append(False)
    with qtbot.assertNotEmitted(dialog.fresh_start_requested):
        _click(qtbot, dialog.delete_button)
    assert len(person.asked) == 1
    assert "your pain diary" in person.asked[0] and "1 backup" in person.asked[0]
    person.answers.extend([True, False])
    with qtbot.assertNotEmitted(dialog.fresh_start_requested):
        _click(qtbot, dialog.delete_button)
    assert len(person.asked) == 3 and "completely sure" in person.asked[2]
    person.answers.extend([True, True])
    with qtbot.waitSignal(dialog.fresh_start_requested):
        _click(qtbot, dialog.delete_button)
    assert dialog.status.text() == "Deleting…"
    assert app_services.settings.get("name") == "Ann", "the dialog itself deletes nothing"


def test_show_the_folder_opens_our_own_folder(qtbot, dialog, app_services, monkeypatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(data_settings, "open_folder", lambda url: opened.append(url) or True)
    assert dialog.folder_label.text() == str(app_services.data_dir)
    _click(qtbot, dialog.folder_button)
    assert [url.toLocalFile() for url in opened] == [str(app_services.data_dir)]


def test_every_control_is_named_and_reachable_by_keyboard(dialog) -> None:
    buttons = dialog.findChildren(QPushButton)
    assert len(buttons) == 7
    for button in buttons:
        assert button.accessibleName(), button.text()
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert not button.autoDefault() or button is dialog.close_button
    assert dialog.backup_list.accessibleName() == "Your backups, newest first"


def test_the_dialog_as_a_patient_sees_it(qtbot, app_services) -> None:
    """A picture to look at (/tmp/data_settings.png), in the app's readable font."""
    from PySide6.QtWidgets import QApplication

    from rehab_app.app import _use_readable_font

    application = QApplication.instance()
    font = application.font()
    _use_readable_font(application)
    try:
        for hours in (0, 26, 80, 200):
            app_services.clock.advance(hours=-hours)
            app_services.backups.back_up("automatic" if hours else "manual")
            app_services.clock.advance(hours=hours)
        widget = DataSettingsDialog(app_services.backups)
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
        assert widget.backup_list.currentRow() == 0, "the newest backup is chosen at first"
        with qtbot.waitSignal(widget.work_finished, timeout=10_000):
            qtbot.mouseClick(widget.check_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not _cut_off_labels(widget))  # once the layout has settled
        widget.findChild(QScrollArea).verticalScrollBar().setValue(0)  # as it opens
        assert widget.grab().save(str(SCREENSHOT))
    finally:
        application.setFont(font)


# The scheduler -----------------------------------------------------------------------------------


def test_changes_lead_to_a_timed_backup_in_the_background(qtbot, app_services) -> None:
    bus = Bus()
    scheduler = BackupScheduler(app_services.backups, bus, interval_ms=10)
    scheduler.start()
    with qtbot.assertNotEmitted(scheduler.backed_up, wait=50):
        pass  # nothing changed: ticks start no work
    bus.changed.emit(Changes(diary=True))
    with qtbot.waitSignal(scheduler.backed_up, timeout=10_000) as emitted:
        pass
    assert emitted.args[0].kind == BackupKind.AUTOMATIC
    assert scheduler.shut_down() is None, "nothing changed since"
    app_services.settings.set("name", "Ann")
    closing = scheduler.shut_down()
    assert closing is not None and closing.kind == BackupKind.ON_CLOSE
    assert not scheduler.timer.isActive()


def test_a_failed_timed_backup_is_reported(qtbot, app_services, monkeypatch) -> None:
    from rehab_app.core.errors import StorageError

    def broken() -> None:
        raise StorageError("the disk is full")

    monkeypatch.setattr(app_services.backups, "maybe_back_up", broken)
    scheduler = BackupScheduler(app_services.backups, Bus())
    app_services.backups.mark_changed()
    with qtbot.waitSignal(scheduler.failed) as emitted:
        scheduler.check_now()
    assert emitted.args == ["the disk is full"]
    assert scheduler_module.CHECK_INTERVAL_MS <= 30 * 60 * 1000


# Through the window and the composition root ----------------------------------------------------


@pytest.fixture
def started(qtbot, data_dir: Path, clock) -> Iterator[AppContext]:
    """The app's real start-up path on a window; every window it shows is closed after."""
    from rehab_app.app import _connect_data_requests

    window = MainWindow()
    with qtbot.waitSignal(window.first_painted):
        window.show()
    context = AppContext(data_dir, window, clock)
    _connect_data_requests(context, window)
    _open_in_background(context)
    qtbot.waitUntil(lambda: window.services is not None, timeout=20_000)
    shown = [window]
    context.keep.append(shown)
    yield context
    # Not qtbot.addWidget: a restore deletes the window it replaces.
    for each in [*shown, context.window]:
        if shiboken6.isValid(each):
            each.close()
            each.deleteLater()
    if context.opened is not None and context.opened.engine is not None:
        context.opened.engine.dispose()


def _dialog_from_menu(qtbot, window: MainWindow) -> DataSettingsDialog:
    # Offered once every screen is built on the data (a window after a restore builds them
    # again, one per event-loop turn).
    qtbot.waitUntil(window.data_action.isEnabled, timeout=20_000)
    window.data_action.trigger()
    dialog = window.findChild(DataSettingsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_restore_from_the_menu_reopens_the_data_as_it_was(
    qtbot, started: AppContext, clock, person
) -> None:
    context = started
    old = context.window
    assert old.services is not None
    old.services.settings.set("name", "Ann")
    backup = old.services.backups.back_up()
    clock.advance(hours=1)
    old.services.settings.set("name", "Bea")
    dialog = _dialog_from_menu(qtbot, old)
    dialog.backup_list.setCurrentRow(0)
    person.answers.append(True)
    _click(qtbot, dialog.restore_button)
    qtbot.waitUntil(lambda: context.window is not old, timeout=20_000)
    window = context.window
    context.keep[0].append(window)
    assert window.services is not None and window.isVisible()
    assert window.services.settings.get("name") == "Ann"
    assert "Your data is back as it was: Today at 08:30" in window.statusBar().currentMessage()
    kinds = [info.kind for info in window.services.backups.list()]
    assert kinds.count(BackupKind.BEFORE_RESTORE) == 1 and backup.path.exists()
    assert window.backup_scheduler is not None and window.backup_scheduler.timer.isActive()
    qtbot.waitUntil(lambda: not shiboken6.isValid(old))  # closed and deleted

    # And delete everything: the app starts afresh on an empty folder.
    dialog = _dialog_from_menu(qtbot, window)
    person.answers.extend([True, True])
    _click(qtbot, dialog.delete_button)
    qtbot.waitUntil(lambda: context.window is not window, timeout=20_000)
    fresh = context.window
    assert fresh.services is not None
    assert fresh.services.settings.get("name") is None
    assert fresh.services.backups.list() == ()
    assert "Everything was deleted" in fresh.statusBar().currentMessage()
    _shut_down(context)


def test_a_failed_restore_is_explained_and_nothing_changes(
    qtbot, started: AppContext, person
) -> None:
    window = started.window
    assert window.services is not None
    window.services.settings.set("name", "Ann")
    backup = window.services.backups.back_up()
    backup.path.write_bytes(b"this backup was damaged on the disk" * 200)
    dialog = _dialog_from_menu(qtbot, window)
    person.answers.append(True)
    with qtbot.waitSignal(dialog.work_finished, timeout=20_000) as finished:
        _click(qtbot, dialog.restore_button)
    assert finished.args[0].startswith("That did not work: The backup")
    assert "damaged and was not used" in finished.args[0]
    assert started.window is window, "the window stays: the data was not replaced"
    assert dialog.restore_button.isEnabled()
    assert window.services.settings.get("name") == "Ann"


def test_closing_backs_up_what_changed_quickly(started: AppContext) -> None:
    context = started
    window = context.window
    assert window.services is not None
    window.services.settings.set("name", "Ann")
    began = time.perf_counter()
    _shut_down(context)
    took = time.perf_counter() - began
    backups = window.services.backups.list()
    assert [info.kind for info in backups] == [BackupKind.ON_CLOSE]
    assert took < 1.0, f"closing took {took:.3f} s"
