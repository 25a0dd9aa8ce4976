"""When a save fails (a read-only database here), the screen says so in plain words and keeps
what the person typed, so they can save again once the problem is fixed; nothing committed
before is lost. The service side of every write path is in tests/unit/test_write_failures.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from sqlalchemy import event

from rehab_app.core.diary import DiaryEntry
from rehab_app.formats.pack.signing import new_private_key
from rehab_app.formats.pack.writer import build_pack
from rehab_app.ui.bus import Bus
from rehab_app.ui.dialogs.quick_entry import QuickEntryDialog
from rehab_app.ui.views import packs as packs_module
from rehab_app.ui.views.packs import PacksView
from rehab_app.ui.views.plan import PlanView

ROOT = Path(__file__).resolve().parents[2]


def make_read_only(services) -> None:  # type: ignore[no-untyped-def]
    engine = services.plans._engine
    event.listen(
        engine, "connect", lambda connection, _r: connection.execute("PRAGMA query_only = ON")
    )
    engine.dispose()


@pytest.fixture
def kept(app_services):  # type: ignore[no-untyped-def]
    read, _ = app_services.diary.add(DiaryEntry(back_pain=2, leg_pain=3, note="kept"))
    return read.id


def test_a_pain_entry_that_cannot_be_saved_stays_in_the_dialog(qtbot, app_services, kept) -> None:
    dialog = QuickEntryDialog(app_services, Bus(), QUndoStack())
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    make_read_only(app_services)
    qtbot.keyClicks(dialog.focusWidget() or dialog, "7")
    qtbot.keyClicks(dialog.focusWidget() or dialog, "5")
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "read-only" in dialog.status.text()
    assert (dialog.back.value(), dialog.leg.value()) == (7, 5)  # still there to save again
    assert [e.id for e in app_services.diary.entries()] == [kept]


def test_a_plan_that_cannot_be_saved_stays_in_the_editor(qtbot, app_services) -> None:
    view = PlanView()
    qtbot.addWidget(view)
    view.show()
    view.attach(app_services, Bus(), QUndoStack())
    view.start_new_plan()
    editor = view.editor
    editor.exercise_choice.setCurrentIndex(editor.exercise_choice.findData("glute_bridge"))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    make_read_only(app_services)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert "Not saved" in view.editor.problems.text()
    assert "read-only" in view.editor.problems.text() and view.editor.problems.isVisible()
    assert view.has_unsaved_changes()
    assert [i.exercise_id for i in view.draft.phases[0].items] == ["glute_bridge"]
    assert app_services.plans.current() is None


def test_a_pack_that_cannot_be_imported_changes_nothing_and_says_why(
    qtbot, app_services, tmp_path: Path, monkeypatch
) -> None:
    pack = tmp_path / "strengthening.rehabpack"
    created = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    build_pack(ROOT / "exercises" / "packs" / "strengthening", pack, new_private_key(), created,
               app_services.library.built_in(), "0.1.0")  # fmt: skip
    view = PacksView()
    qtbot.addWidget(view)
    view.attach(app_services, Bus())
    view.show()
    monkeypatch.setattr(packs_module, "choose_pack_file", lambda _parent: pack)
    qtbot.mouseClick(view.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible(), timeout=10_000)
    make_read_only(app_services)
    qtbot.mouseClick(view.dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not imported" in view.status.text(), timeout=10_000)
    assert "read-only" in view.status.text()
    assert app_services.plans.current() is None
    assert app_services.library.by_id("sit_to_stand") is None
    assert view.choose_button.isEnabled()  # the person can try again
