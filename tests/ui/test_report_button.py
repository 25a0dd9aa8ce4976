""" "Make a report for my next appointment" on the Progress screen: one click, a chooser the
test replaces, the PDF written in the background with a progress bar, then where it went."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtPdf import QPdfDocument

from rehab_app.core.diary import DiaryEntry
from rehab_app.reports.visit_report import write_visit_report
from rehab_app.services.report import LAST_REPORT_SETTING
from rehab_app.ui.bus import Bus
from rehab_app.ui.views.progress import ProgressView

TIMEOUT_MS = 30_000


def seed(services, clock) -> None:
    today = clock.now().local_day
    start = today - timedelta(days=9)
    services.plans.save(services.plans.starter_plan(start), "New plan", author="starter")
    for offset in range(10):
        day = start + timedelta(days=offset)
        clock.at = clock.at.replace(year=day.year, month=day.month, day=day.day)
        services.diary.add(DiaryEntry(back_pain=4, leg_pain=6 - offset // 3, note=f"day {offset}"))


def make_view(qtbot, services, writer) -> ProgressView:
    view = ProgressView()
    qtbot.addWidget(view)
    view.attach(services, Bus(), QUndoStack(), writer)
    return view


def test_one_click_writes_the_report_with_progress_and_says_where(
    qtbot, tmp_path: Path, app_services, clock
) -> None:
    seed(app_services, clock)
    view = make_view(qtbot, app_services, write_visit_report)
    asked: list[Path] = []

    def choose(suggested: Path) -> Path:
        asked.append(suggested)
        return tmp_path / "for my physio"  # no suffix: ".pdf" is added

    view.ask_report_path = choose
    shown: list[int] = []
    view.report_bar.valueChanged.connect(shown.append)
    assert view.report_button.isEnabled()

    with qtbot.waitSignal(view.report_written, timeout=TIMEOUT_MS) as written:
        qtbot.mouseClick(view.report_button, Qt.MouseButton.LeftButton)
        assert not view.report_button.isEnabled()  # one report at a time
        assert view.report_bar.isVisibleTo(view)

    path = tmp_path / "for my physio.pdf"
    assert written.args == [path]
    assert asked == [Path.home() / f"visit-report-{clock.now().local_day.isoformat()}.pdf"]
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    pages = document.pageCount()
    assert "Starter plan for sciatica" in document.getAllText(0).text()
    assert shown and shown[-1] == pages  # the bar went up to the last page
    assert str(path) in view.report_status.text()
    assert f"({pages} pages)" in view.report_status.text()
    assert view.report_button.isEnabled() and view.report_bar.isHidden()
    # Made: the next report starts from today.
    stored = app_services.settings.get(LAST_REPORT_SETTING)
    assert stored["made"] == clock.now().local_day.isoformat()


def test_cancelling_the_chooser_does_nothing(qtbot, app_services) -> None:
    calls: list[object] = []
    view = make_view(qtbot, app_services, lambda *arguments: calls.append(arguments) or 1)
    view.ask_report_path = lambda suggested: None

    qtbot.mouseClick(view.report_button, Qt.MouseButton.LeftButton)

    assert calls == [] and view.report_button.isEnabled()
    assert view.report_status.text() == ""
    assert app_services.settings.get(LAST_REPORT_SETTING) is None


def test_a_failed_write_says_so_and_remembers_nothing(qtbot, tmp_path, app_services) -> None:
    def broken(*arguments: object) -> int:
        raise OSError("the disk is full")

    view = make_view(qtbot, app_services, broken)
    view.ask_report_path = lambda suggested: tmp_path / "report.pdf"

    with qtbot.waitSignal(view.report_failed, timeout=TIMEOUT_MS) as failed:
        qtbot.mouseClick(view.report_button, Qt.MouseButton.LeftButton)

    assert failed.args == ["the disk is full"]
    assert view.report_status.text() == "The report was not made: the disk is full"
    assert view.report_button.isEnabled() and view.report_bar.isHidden()
    assert app_services.settings.get(LAST_REPORT_SETTING) is None


def test_without_a_writer_the_button_is_off(qtbot, app_services) -> None:
    view = make_view(qtbot, app_services, None)
    assert not view.report_button.isEnabled()
    assert view.report_button.accessibleName()


def test_one_click_makes_a_visit_bundle_with_the_report_the_csvs_and_fhir(
    qtbot, tmp_path: Path, app_services, clock
) -> None:
    import json
    import zipfile

    seed(app_services, clock)
    view = make_view(qtbot, app_services, write_visit_report)
    view.ask_bundle_path = lambda suggested: tmp_path / "for my physio"
    assert view.bundle_button.isEnabled()
    with qtbot.waitSignal(view.report_written, timeout=TIMEOUT_MS) as written:
        qtbot.mouseClick(view.bundle_button, Qt.MouseButton.LeftButton)
        assert not view.bundle_button.isEnabled() and not view.report_button.isEnabled()
    path = tmp_path / "for my physio.zip"
    assert written.args == [path]
    with zipfile.ZipFile(path) as bundle:
        names = set(bundle.namelist())
        assert {"report.pdf", "diary.csv", "fhir.json"} <= names
        assert b"day 9" in bundle.read("diary.csv")
        assert json.loads(bundle.read("fhir.json"))["resourceType"] == "Bundle"
        assert bundle.read("report.pdf").startswith(b"%PDF")
    assert str(path) in view.report_status.text()
    assert view.bundle_button.isEnabled() and view.report_button.isEnabled()
