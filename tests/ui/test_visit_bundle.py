"""Therapist mode: a visit bundle made from demo data opens read-only in its own window with the
patient's charts, and leaves nothing behind when closed; a bad file says why."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import shiboken6

from rehab_app.services.bundle import build_services
from rehab_app.services.demo import write_demo_data
from rehab_app.services.maintenance import open_data_folder
from rehab_app.ui.dialogs.visit_bundle import open_visit_bundle

TIMEOUT_MS = 30_000
DAYS = 60


@pytest.fixture
def bundle_path(data_dir, clock, shipped_library, tmp_path) -> Path:
    """60 days of demo history up to 29 March 2026, handed over as a visit bundle."""
    today = clock.now().local_day
    opened = open_data_folder(data_dir, clock)
    try:
        until = datetime.combine(today, time(23), tzinfo=UTC)
        write_demo_data(opened.engine, shipped_library, "Europe/London", DAYS, today, until=until)
        services = build_services(opened.engine, shipped_library, clock)
        path = tmp_path / "visit.zip"
        services.exports.write_visit_bundle(path, lambda pdf: pdf.write_bytes(b"%PDF-1.7 test"))
    finally:
        opened.engine.dispose()
    return path


@pytest.fixture
def windows(qtbot):
    """The windows a test opens. Not qtbot.addWidget: a closed window deletes itself."""
    opened: list = []
    yield opened
    folders = [w.opened.folder for w in opened if shiboken6.isValid(w) and w.opened]
    for window in opened:
        if shiboken6.isValid(window):
            window.close()
    qtbot.waitUntil(lambda: not any(folder.exists() for folder in folders), timeout=TIMEOUT_MS)


def test_a_bundle_opens_read_only_with_the_patients_charts(
    qtbot, windows, bundle_path, shipped_library
):
    window = open_visit_bundle(None, bundle_path, shipped_library)
    windows.append(window)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT_MS):
        pass

    opened = window.opened
    assert opened is not None
    assert window.windowTitle() == "Visit bundle: 29 January 2026 – 29 March 2026"
    data = window.progress.loaded.data
    assert len(data.daily) > DAYS * 0.7  # most days have ratings in the demo story
    assert data.last == date(2026, 3, 29)  # "today" is the bundle's last day
    assert set(data.questionnaires) == {"rmdq", "psfs"}
    assert window.progress.pain_chart is not None and window.progress.pain_chart.isVisible()
    assert not window.progress.report_button.isEnabled()  # nothing in this window writes

    details = window.details.text()
    assert f"{opened.diary_entries} diary entries and 10 questionnaires" in details
    assert opened.diary_entries > DAYS
    assert f"Report (PDF): {opened.report}" in details and opened.report.exists()
    assert re.search(r"FHIR data: CarePlan: 1, Observation: \d+, Patient: 1, ", details)
    assert "Plan: Starter plan for sciatica" in details

    folder = opened.folder
    assert folder.exists()
    window.close()
    qtbot.waitUntil(lambda: not folder.exists(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))  # closed and deleted


def test_a_file_that_is_not_a_bundle_says_why(qtbot, windows, tmp_path, shipped_library):
    path = tmp_path / "holiday.zip"
    path.write_text("not a zip at all")
    window = open_visit_bundle(None, path, shipped_library)
    windows.append(window)
    with qtbot.waitSignal(window.failed, timeout=TIMEOUT_MS) as failed:
        pass
    assert "not a readable zip" in failed.args[0]
    assert window.windowTitle() == "Visit bundle: not opened"
    assert "holiday.zip could not be opened" in window.status.text()
    assert window.progress is None


def test_closing_while_it_opens_leaves_nothing_behind(
    qtbot, bundle_path, shipped_library, monkeypatch
):
    from rehab_app.services import visit_bundles

    made = []

    def recording(path, library):
        opened = real(path, library)
        made.append(opened)
        return opened

    real = visit_bundles.open_visit_bundle
    monkeypatch.setattr(visit_bundles, "open_visit_bundle", recording)
    window = open_visit_bundle(None, bundle_path, shipped_library)
    window.close()  # before the worker has finished opening it

    qtbot.waitUntil(lambda: bool(made) and not made[0].folder.exists(), timeout=TIMEOUT_MS)
    assert not shiboken6.isValid(window) or window.progress is None
