"""Importing a pack through the Packs screen, as a patient would: choose, read, tick, import."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel

from rehab_app.app import main
from rehab_app.formats.pack.signing import new_private_key
from rehab_app.formats.pack.writer import build_pack
from rehab_app.ui.bus import Bus
from rehab_app.ui.views import packs as packs_module
from rehab_app.ui.views.packs import PacksView

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "exercises" / "packs"
TITLE = "Back strength: the next step after sciatica"


@pytest.fixture
def pack(tmp_path: Path, shipped_library) -> Path:  # type: ignore[no-untyped-def]
    output = tmp_path / "strengthening.rehabpack"
    created = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    build_pack(
        EXAMPLES / "strengthening", output, new_private_key(), created,
        shipped_library.built_in(), "0.1.0",
    )  # fmt: skip
    return output


@pytest.fixture
def view(qtbot, app_services):  # type: ignore[no-untyped-def]
    widget = PacksView()
    qtbot.addWidget(widget)
    bus = Bus()
    widget.attach(app_services, bus)
    widget.resize(1000, 800)
    widget.show()
    return widget


def open_with_chooser(qtbot, view: PacksView, path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(packs_module, "choose_pack_file", lambda _parent: path)
    qtbot.mouseClick(view.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible(), timeout=10_000)


def test_a_patient_imports_a_pack_into_the_same_plan_as_the_headless_import(
    qtbot, view: PacksView, app_services, pack: Path, tmp_path: Path, monkeypatch
) -> None:
    open_with_chooser(qtbot, view, pack, monkeypatch)
    dialog = view.dialog
    assert dialog is not None
    assert dialog.findChild(QLabel, "packTitle").text() == TITLE
    assert "not seen before" in dialog.signer.text()
    assert "New plan 'Back strength'" in dialog.findChild(QLabel, "planChanges").text()
    assert dialog.import_button.isEnabled()  # a first, signed pack has nothing to accept
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Imported" in view.status.text(), timeout=10_000)
    assert "Back strength" in view.status.text()
    gui_plan = app_services.plans.current().plan
    assert app_services.library.by_id("sit_to_stand") is not None
    assert view.history.item(0).text().startswith(f"{TITLE} (version 1)\nfrom Example")

    # The same file imported headlessly gives the same plan (apart from the start day).
    patient = tmp_path / "headless"
    assert main(["pack", "import", str(pack), "--data-dir", str(patient), "--yes"]) == 0
    from rehab_app.core.timestamps import SystemClock
    from rehab_app.services.bundle import build_services
    from rehab_app.services.maintenance import open_data_folder

    opened = open_data_folder(patient, SystemClock("UTC"))
    try:
        headless = build_services(opened.engine, app_services.library, SystemClock("UTC"))
        headless_plan = headless.plans.current().plan
    finally:
        opened.engine.dispose()
    assert headless_plan.model_copy(update={"start": gui_plan.start}) == gui_plan


def test_a_warning_must_be_ticked_before_import(
    qtbot, view: PacksView, app_services, pack: Path, monkeypatch
) -> None:
    preview = app_services.packs.preview(pack)
    app_services.packs.apply(preview)
    versions = len(app_services.plans.history())
    open_with_chooser(qtbot, view, pack, monkeypatch)  # the same version again
    dialog = view.dialog
    assert dialog is not None
    assert dialog.findChild(object, "warning_same_version") is not None
    assert "which you have accepted before" in dialog.signer.text()
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing was imported" in view.status.text())
    assert len(app_services.plans.history()) == versions

    open_with_chooser(qtbot, view, pack, monkeypatch)
    dialog = view.dialog
    dialog.ticks[next(iter(dialog.ticks))].setChecked(True)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Imported" in view.status.text(), timeout=10_000)
    assert len(app_services.plans.history()) == versions + 1


def test_a_broken_pack_is_explained_and_nothing_changes(
    qtbot, view: PacksView, app_services, tmp_path: Path, monkeypatch
) -> None:
    broken = tmp_path / "holiday photos.rehabpack"
    broken.write_bytes(b"this is not a zip file at all")
    monkeypatch.setattr(packs_module, "choose_pack_file", lambda _parent: broken)
    qtbot.mouseClick(view.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.problems.isVisible(), timeout=10_000)
    assert "cannot be used" in view.status.text()
    assert "holiday photos.rehabpack: is not a pack" in view.problems.toPlainText()
    assert view.dialog is None
    assert app_services.plans.current() is None


def test_dropping_a_pack_on_the_window_and_a_forwarded_file_open_the_preview(
    qtbot, app_services, pack: Path
) -> None:
    from rehab_app.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window._screenshot_mode = True
    window.open_files([str(pack)])  # before the data is open: kept until it is
    window.attach_services(app_services)  # builds the screens one per event-loop turn
    qtbot.waitUntil(lambda: window.packs is not None)
    qtbot.waitUntil(lambda: window.packs.dialog is not None, timeout=10_000)
    assert window.stack.currentWidget() is window.packs
    window.packs.dialog.reject()
    window.packs.dialog = None

    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(pack))])
    drop = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, data,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: window.packs.dialog is not None, timeout=10_000)
    window.packs.dialog.reject()


def test_a_therapist_opens_a_visit_bundle_from_the_packs_screen(
    qtbot, view: PacksView, app_services, tmp_path: Path, monkeypatch
) -> None:
    import shiboken6

    from rehab_app.core.diary import DiaryEntry

    app_services.diary.add(DiaryEntry(back_pain=4, leg_pain=6, note="after the walk"))
    bundle = tmp_path / "visit.zip"
    app_services.exports.write_visit_bundle(bundle)
    monkeypatch.setattr(packs_module, "choose_visit_bundle", lambda _parent: bundle)
    qtbot.mouseClick(view.bundle_button, Qt.MouseButton.LeftButton)
    window = view.bundle_window
    with qtbot.waitSignal(window.ready, timeout=30_000):
        pass
    assert window.windowTitle().startswith("Visit bundle:")
    assert "1 diary entries and 0 questionnaires" in window.details.text()
    folder = window.opened.folder
    window.close()
    qtbot.waitUntil(lambda: not folder.exists(), timeout=30_000)
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))
