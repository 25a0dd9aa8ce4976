"""The visit report PDF: written from demo history, then read back with QtPdf as a reader would."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from rehab_app.core.diary import Context, DiaryEntry
from rehab_app.reports.visit_report import AMBER_LISTED, PageSize, write_visit_report
from rehab_app.services.bundle import build_services
from rehab_app.services.demo import write_demo_data
from rehab_app.services.maintenance import open_data_folder
from rehab_app.services.report import ExerciseResponse, VisitReportData
from tests.conftest import FakeClock
from tests.ui.test_handout import read, write_in_worker  # shared with the handout's tests

NOTE = "Walked to the shops <b>without</b> stopping & no <i>tingling</i>."
TODAY = date(2026, 4, 13)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, shipped_library) -> VisitReportData:
    """Sixty days of demo history, a red-flag answer and a note with markup in it."""
    clock = FakeClock(datetime(2026, 4, 13, 17, 0, tzinfo=UTC), "Europe/London")
    opened = open_data_folder(tmp_path_factory.mktemp("demo") / "data", clock)
    assert opened.engine is not None
    write_demo_data(opened.engine, shipped_library, "Europe/London", 60, TODAY, until=clock.at)
    services = build_services(opened.engine, shipped_library, clock)
    services.safety.record_checklist(["worsening_weakness"])
    services.diary.add(DiaryEntry(back_pain=3, leg_pain=3, context=Context.EVENING, note=NOTE))
    data = services.report.gather()
    opened.engine.dispose()
    return data


@pytest.mark.parametrize(
    ("page", "points"), [(PageSize.A4, (595, 842)), (PageSize.LETTER, (612, 792))]
)
def test_the_report_holds_the_plan_adherence_scores_flags_and_notes(
    qapp, tmp_path: Path, demo: VisitReportData, page: PageSize, points: tuple[int, int]
) -> None:
    target = tmp_path / "report.pdf"

    count = write_visit_report(target, demo, page)

    document, pages = read(target)
    assert count == document.pageCount() >= 3
    for number in range(count):
        size = document.pagePointSize(number)
        assert (round(size.width()), round(size.height())) == points
        assert f"Page {number + 1} of {count}" in pages[number]
    text = " ".join(pages)
    # Page 1: the period, the red flag above everything else, the figures with their verdicts.
    first = pages[0]
    assert "Period: 3 March to 13 April 2026 (42 days)" in first
    assert first.index("Red-flag answer in this period: 1") < first.index("Exercises done")
    assert "Red-flag answer: medical advice the same day." in first
    assert "Weakness in your leg or foot is getting worse" in first
    adherence = demo.adherence
    assert adherence.share is not None
    assert f"{round(adherence.share * 100)} %" in first
    assert f"{adherence.done} of {adherence.prescribed} prescribed" in first
    assert "Leg pain now" in first and "in the first week of the plan" in first
    # The plan, and every exercise it names.
    assert demo.plan is not None
    assert demo.plan.title in text
    for phase in demo.plan.phases:
        for item in phase.items:
            assert demo.exercise_name(item.exercise_id) in text
    # Adherence per exercise, as the table rows read.
    for row in adherence.exercises:
        assert (
            f"{row.name} {row.prescribed} {row.done} {round(row.done / row.prescribed * 100)} %"
            in text
        )
    # Every questionnaire score of the period, in the table.
    rmdq, psfs = demo.scores
    assert rmdq.scores and psfs.scores
    for (day, rmdq_score), (_, psfs_score) in zip(rmdq.scores, psfs.scores, strict=True):
        assert f"{day:%a} {day.day} {day:%b %Y} {rmdq_score:g} {psfs_score:.1f}" in text
    # The patient's note, printed as the characters typed (a line may break inside "</i>").
    assert "<b>without</b>" in text
    assert NOTE.replace(" ", "") in text.replace(" ", "")
    assert "In the patient's words" in text


def test_the_charts_are_vector_and_the_fonts_embedded(
    qapp, tmp_path: Path, demo: VisitReportData
) -> None:
    target = tmp_path / "report.pdf"
    write_visit_report(target, demo)

    raw = target.read_bytes()
    assert b"/Subtype /Image" not in raw  # nothing drawn as a bitmap: sharp at any size
    assert b"/FontFile2" in raw
    _, pages = read(target)
    assert "Leg pain (0 = none, 10 = worst imaginable)" in " ".join(pages)
    assert "real change ±2" in " ".join(pages)


def test_an_empty_data_folder_still_makes_a_report(
    qapp, tmp_path: Path, app_services, clock
) -> None:
    data = app_services.report.gather()
    target = tmp_path / "empty.pdf"
    count = write_visit_report(target, data, "letter")

    _, pages = read(target)
    text = " ".join(pages)
    assert count == len(pages) >= 1
    assert "No red-flag answers in this period." in pages[0]
    assert "No pain ratings in this period." in text
    assert "No plan yet." in text
    assert "No notes in this period." in text


def test_writing_in_a_worker_thread_reports_progress(
    qapp, tmp_path: Path, demo: VisitReportData
) -> None:
    target = tmp_path / "report.pdf"
    count, calls = write_in_worker(
        lambda progress: write_visit_report(target, demo, progress=progress)
    )
    assert {total for _, total in calls} == {count}
    assert read(target)[0].pageCount() == count


def test_cancelling_leaves_no_file_behind(qapp, tmp_path: Path, demo: VisitReportData) -> None:
    class CancelledError(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done == 1:
            raise CancelledError

    target = tmp_path / "report.pdf"
    target.write_bytes(b"the report from last time")
    with pytest.raises(CancelledError):
        write_visit_report(target, demo, progress=cancel)
    # The old file is untouched and no half-written temporary file is left.
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
    assert target.read_bytes() == b"the report from last time"


def test_every_red_response_and_the_latest_amber_ones_are_listed(
    qapp, tmp_path: Path, demo: VisitReportData
) -> None:
    first = demo.period.first
    amber = [
        ExerciseResponse(first, "pelvic_tilt", f"Amber exercise {n}", "amber", 4, None, None, "")
        for n in range(AMBER_LISTED + 5)
    ]
    red = [
        ExerciseResponse(first, "glute_bridge", f"Red exercise {n}", "red", 7, "spread", None, "")
        for n in range(2)
    ]
    data = replace(demo, responses=(red[0], *amber, red[1]))
    target = tmp_path / "report.pdf"
    write_visit_report(target, data)

    _, pages = read(target)
    text = " ".join(pages)
    assert "Red exercise 0" in text and "Red exercise 1" in text
    assert "spread down the leg" in text
    listed = [n for n in range(AMBER_LISTED + 5) if f"Amber exercise {n} amber" in text]
    assert listed == list(range(5, AMBER_LISTED + 5))  # the most recent ones
    assert f"the {AMBER_LISTED} most recent amber ones of {AMBER_LISTED + 5}" in text
    assert f"Exercise responses: {AMBER_LISTED + 5} amber, 2 red" in pages[0]
