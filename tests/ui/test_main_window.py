"""The main window and the real start-up path (worker threads, data status, restore)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from rehab_app import __version__
from rehab_app.app import AppContext, _open_in_background, _restore
from rehab_app.services.status import DataState, DataStatus
from rehab_app.storage.backup import backup_database
from rehab_app.storage.engine import database_path
from rehab_app.ui.main_window import NAVIGATION, MainWindow


@pytest.fixture
def window(qtbot) -> MainWindow:
    widget = MainWindow()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.first_painted):
        widget.show()
    # Keyboard shortcuts are installed just after the first paint (see MainWindow).
    qtbot.waitUntil(lambda: any(not a.shortcut().isEmpty() for a in widget.actions()))
    return widget


def _start(qtbot, window: MainWindow, data_dir: Path, clock) -> AppContext:
    context = AppContext(data_dir, window, clock)
    _open_in_background(context)
    qtbot.waitUntil(window.is_ready, timeout=20_000)
    return context


def test_every_area_is_reachable_from_the_keyboard(qtbot, window: MainWindow) -> None:
    for position, name in enumerate(NAVIGATION, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + position), Qt.KeyboardModifier.ControlModifier)
        assert window.current_view() == name


def test_areas_say_plainly_that_the_data_is_opening(qtbot, window: MainWindow) -> None:
    for name in ("today", "plan", "diary", "progress", "packs"):
        window.show_view(name)
        texts = [label.text() for label in window.views[name].findChildren(QLabel)]
        assert "Opening your data…" in texts
        assert not any("not built" in text for text in texts)


def test_clicking_the_side_bar_changes_area(qtbot, window: MainWindow) -> None:
    item = window.navigation.item(NAVIGATION.index("library"))
    rect = window.navigation.visualItemRect(item)
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_view() == "library"


def test_about_box_says_what_the_app_is_and_is_not(qtbot, window: MainWindow) -> None:
    box = window.show_about()
    qtbot.waitUntil(box.isVisible)
    assert __version__ in box.text()
    assert "does not diagnose" in box.informativeText()
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not box.isVisible())


def test_start_up_fills_the_library_and_opens_the_data(qtbot, window, data_dir, clock) -> None:
    context = _start(qtbot, window, data_dir, clock)
    assert context.opened is not None and context.opened.status.state == DataState.READY
    assert len(window.library.visible_names()) >= 20
    assert window.banner.isHidden()
    assert "Your data is ready" in window.statusBar().currentMessage()
    context.opened.engine.dispose()


def test_a_damaged_database_shows_a_notice_and_restores_on_request(
    qtbot, window, data_dir, clock
) -> None:
    context = _start(qtbot, window, data_dir, clock)
    backup_database(database_path(data_dir), data_dir, "daily")
    context.opened.engine.dispose()
    with database_path(data_dir).open("r+b") as stream:
        stream.seek(4096)
        stream.write(os.urandom(4096))

    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    context = _start(qtbot, second, data_dir, clock)
    assert context.opened.status.state == DataState.DAMAGED
    assert not second.banner.isHidden()
    assert str(database_path(data_dir)) in second.banner.message.text()
    assert second.banner.restore_button.isVisible()
    second.restore_requested.connect(lambda backup: _restore(context, backup))
    qtbot.mouseClick(second.banner.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: context.opened.status.state == DataState.READY, timeout=20_000)
    assert second.banner.isHidden()
    context.opened.engine.dispose()


def test_a_newer_database_notice_offers_no_restore(qtbot, window: MainWindow, tmp_path) -> None:
    window.show_data_status(
        DataStatus(
            DataState.NEWER, tmp_path, tmp_path / "rehab.sqlite3", "saved by a newer version"
        )
    )
    assert not window.banner.isHidden()
    assert window.banner.title.text() == "This data belongs to a newer rehab_app"
    assert not window.banner.restore_button.isVisible()


def test_a_session_started_from_today_takes_the_whole_window(
    qtbot, window, data_dir, clock
) -> None:
    context = _start(qtbot, window, data_dir, clock)
    today = window.today
    qtbot.mouseClick(today.starter_button, Qt.MouseButton.LeftButton)
    card = today.cards[0]
    qtbot.waitUntil(card.start_button.isVisible)
    qtbot.mouseClick(card.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_view() == "player")  # shown on the next turn
    assert window.navigation.isHidden()
    player = window._runner.view
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: player.hasFocus() or player.isAncestorOf(window.focusWidget()))
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Escape)  # end the session at once
    qtbot.waitUntil(player.back_button.isVisible)
    qtbot.mouseClick(player.back_button, Qt.MouseButton.LeftButton)
    assert window.current_view() == "today"
    assert not window.navigation.isHidden()
    context.opened.engine.dispose()


def test_an_emergency_answer_stops_the_exercises_until_a_clear_check(
    qtbot, window, data_dir, clock
) -> None:
    from rehab_app.ui.dialogs.red_flags import EmergencyScreen

    context = _start(qtbot, window, data_dir, clock)
    qtbot.mouseClick(window.today.starter_button, Qt.MouseButton.LeftButton)
    # First start: the red-flag checklist opens by itself.
    qtbot.waitUntil(
        lambda: window.safety.checklist is not None and window.safety.checklist.isVisible()
    )
    checklist = window.safety.checklist
    checklist.rows["bladder"].checkbox.click()
    qtbot.mouseClick(checklist.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.safety.screen, EmergencyScreen))
    screen = window.safety.screen
    assert screen.isVisible()
    screen.close()  # an accidental close does nothing
    assert screen.isVisible()
    assert window.safety.exercises_stopped
    card = window.today.cards[0]
    assert not card.start_button.isEnabled()
    assert "exercises are stopped" in window.today.stopped_notice.text().lower()
    screen.confirm.click()
    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.isVisible())
    assert window.safety.exercises_stopped  # still stopped after reading the message
    # Later, after seeing a doctor: a clear checklist lets the exercises start again.
    again = window.safety.open_checklist()
    qtbot.mouseClick(again.none_button, Qt.MouseButton.LeftButton)
    assert not window.safety.exercises_stopped
    assert window.today.cards[0].start_button.isEnabled()
    events = [e.kind for e in window.services.safety.events()]
    assert events == ["emergency", "checklist"]
    context.opened.engine.dispose()


def test_ctrl_l_from_anywhere_logs_pain_in_three_keystrokes(qtbot, window, data_dir, clock) -> None:
    context = _start(qtbot, window, data_dir, clock)
    # The first-start safety check comes first (it is window-modal); answer it.
    qtbot.waitUntil(lambda: window.safety.checklist is not None)
    qtbot.mouseClick(window.safety.checklist.none_button, Qt.MouseButton.LeftButton)
    window.show_view("library")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.diary._dialog is not None and window.diary._dialog.isVisible())
    dialog = window.diary._dialog
    qtbot.waitUntil(
        lambda: dialog.back.hasFocus() or dialog.back.isAncestorOf(dialog.focusWidget())
    )
    for key in (Qt.Key.Key_4, Qt.Key.Key_6, Qt.Key.Key_Return):
        qtbot.keyClick(dialog.focusWidget() or dialog, key)
    entries = window.services.diary.entries()
    assert [(e.entry.back_pain, e.entry.leg_pain) for e in entries] == [(4, 6)]
    context.opened.engine.dispose()


def test_the_progress_screen_makes_the_visit_report_with_the_app_writer(
    qtbot, window, data_dir, clock, tmp_path
) -> None:
    from rehab_app.app import _write_report

    window.report_writer = _write_report  # as app.py sets it, before the data opens
    context = _start(qtbot, window, data_dir, clock)
    window.show_view("progress")
    view = window.progress
    assert view is not None and view.report_button.isEnabled()
    view.ask_report_path = lambda suggested: tmp_path / "report.pdf"

    with qtbot.waitSignal(view.report_written, timeout=30_000):
        qtbot.mouseClick(view.report_button, Qt.MouseButton.LeftButton)

    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    context.opened.engine.dispose()


def test_a_data_folder_in_a_sync_folder_opens_with_a_calm_warning(
    qtbot, window, tmp_path, clock
) -> None:
    context = _start(qtbot, window, tmp_path / "Dropbox" / "data", clock)
    assert context.opened.status.state == DataState.READY
    assert not window.banner.isHidden()
    assert window.banner.title.text() == "Where your data is kept may damage it"
    assert "copied to the internet" in window.banner.message.text()
    assert not window.banner.restore_button.isVisible()
    context.opened.engine.dispose()
