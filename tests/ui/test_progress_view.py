"""The Progress screen against a real temporary database seeded through the services, with
values worked out by hand: plotted arrays (gaps, 7-day averages), range buttons, the sentences
about real change, overlays, the hover line, the picture export, reloads and the empty state.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage, QUndoStack

from rehab_app.core.changes import Changes
from rehab_app.core.diary import DiaryEntry
from rehab_app.core.meaningful import PAIN, judge, rolling_mean
from rehab_app.services.bundle import build_services
from rehab_app.services.maintenance import open_data_folder
from rehab_app.ui.bus import Bus
from rehab_app.ui.charts import change_sentence, day_to_x
from rehab_app.ui.views.progress import ProgressView, pain_sentence, period_text

START = date(2026, 2, 1)  # a Sunday; London is on UTC in February, so local day == UTC day
TODAY = START + timedelta(days=36)  # 9 March 2026
GAPS = (START + timedelta(days=10), START + timedelta(days=11))
TWO_RATINGS = START + timedelta(days=20)  # leg 4 and 6 that day: the day's mean is 5
PLAN_CHANGE = START + timedelta(days=15)
RED_FLAG = TWO_RATINGS
LOAD_TIMEOUT_MS = 20_000


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def expected_leg(day: date) -> float | None:
    """Leg pain by day: 7 in the first week, 5 in the middle, 3 in the last 7 days."""
    offset = (day - START).days
    if day in GAPS:
        return None
    if day == TWO_RATINGS:
        return 5.0
    return 7.0 if offset < 7 else (3.0 if offset >= 30 else 5.0)


def expected_back(day: date) -> float | None:
    """Back pain: 4 until the last week, then 3 (a change within the noise)."""
    if day in GAPS:
        return None
    return 3.0 if (day - START).days >= 30 else 4.0


@pytest.fixture
def app_services(data_dir, clock, shipped_library):
    clock.at = at(START, 8)
    opened = open_data_folder(data_dir, clock)
    yield build_services(opened.engine, shipped_library, clock)
    opened.engine.dispose()


def seed(services, clock) -> None:
    """The story above, written the way the app writes it."""
    plans = services.plans
    plans.save(plans.starter_plan(START), "New plan", author="starter")
    clock.at = at(PLAN_CHANGE, 19)
    plans.save(plans.current().plan, "Added glute bridges")
    clock.at = at(RED_FLAG, 10)
    services.safety.record_checklist(["worsening_weakness"])
    clock.at = at(TODAY, 18)
    for offset in range(37):
        day = START + timedelta(days=offset)
        if day in GAPS:
            continue
        if day == TWO_RATINGS:
            for leg in (4, 6):
                services.diary.add(DiaryEntry(back_pain=4, leg_pain=leg, at=at(day, 8 + leg)))
            continue
        leg, back = expected_leg(day), expected_back(day)
        assert leg is not None and back is not None
        services.diary.add(DiaryEntry(back_pain=int(back), leg_pain=int(leg), at=at(day)))
    services.sessions.record_done(START + timedelta(days=1), time(8))
    services.sessions.record_done(START + timedelta(days=3), time(8))
    services.sessions.record_done(START + timedelta(days=3), time(11))


def open_view(qtbot, services) -> tuple[ProgressView, Bus]:
    view = ProgressView()
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    bus = Bus()
    with qtbot.waitSignal(view.drawn, timeout=LOAD_TIMEOUT_MS):
        view.attach(services, bus, QUndoStack())
    return view, bus


@pytest.fixture
def seeded(qtbot, app_services, clock):
    seed(app_services, clock)
    view, bus = open_view(qtbot, app_services)
    return app_services, bus, view


def days() -> list[date]:
    return [START + timedelta(days=n) for n in range(37)]


def as_array(values: list[float | None]) -> np.ndarray:
    return np.array([math.nan if v is None else v for v in values], dtype=float)


# Plotted data ---------------------------------------------------------------------------------


def test_daily_values_have_gaps_and_averages_match_rolling_mean(seeded) -> None:
    _, _, view = seeded
    chart = view.pain_chart
    assert chart is not None
    x, leg = chart.leg_daily.getOriginalDataset()
    _, back = chart.back_daily.getOriginalDataset()
    assert list(x) == [day_to_x(day) for day in days()]
    np.testing.assert_array_equal(leg, as_array([expected_leg(d) for d in days()]))
    np.testing.assert_array_equal(back, as_array([expected_back(d) for d in days()]))
    assert math.isnan(leg[10]) and math.isnan(leg[11])  # gaps, never interpolated
    assert chart.leg_daily.opts["connect"] == "finite"
    leg_map = {d: v for d in days() if (v := expected_leg(d)) is not None}
    back_map = {d: v for d in days() if (v := expected_back(d)) is not None}
    _, leg_average = chart.leg_average.getOriginalDataset()
    _, back_average = chart.back_average.getOriginalDataset()
    np.testing.assert_allclose(leg_average, as_array(rolling_mean(days(), leg_map)))
    np.testing.assert_allclose(back_average, as_array(rolling_mean(days(), back_map)))
    assert math.isnan(leg_average[0]) and math.isnan(leg_average[1])  # fewer than 3 days
    assert leg_average[6] == pytest.approx(7.0)


def test_the_y_axis_is_fixed_at_zero_to_ten_and_only_dates_move(seeded) -> None:
    _, _, view = seeded
    chart = view.pain_chart
    assert chart is not None
    assert chart.view_box.state["mouseEnabled"] == [True, False]
    low, high = chart.view_box.viewRange()[1]
    assert low < 0 and 10 < high < 11  # 0-10 plus room for the bars and markers
    assert "0 = no pain, 10 = worst imaginable" in chart.plot_item.getAxis("left").labelText
    assert chart.plot_item.clipToViewMode()
    assert chart.plot_item.downsampleMode()[1:] == (True, "peak")


# Range buttons --------------------------------------------------------------------------------


def test_default_range_shows_the_first_week_and_buttons_move_the_window(qtbot, seeded) -> None:
    _, _, view = seeded
    chart = view.pain_chart
    assert chart is not None
    # 36 days of history: "3 months" is the shortest range that shows the first week.
    assert view.range_buttons["three_months"].isChecked()
    assert chart.window() == (START, TODAY)
    qtbot.mouseClick(view.range_buttons["two_weeks"], Qt.MouseButton.LeftButton)
    assert view.range_buttons["two_weeks"].isChecked()
    assert chart.window() == (TODAY - timedelta(days=13), TODAY)
    assert chart.markers_shown()  # two weeks: a marker per day
    # By keyboard: focus the button and press the space bar.
    view.range_buttons["all"].setFocus()
    qtbot.keyClick(view.range_buttons["all"], Qt.Key.Key_Space)
    assert view.range_buttons["all"].isChecked()
    assert chart.window() == (START, TODAY)
    assert not view.range_buttons["two_weeks"].isChecked()


def test_reset_view_undoes_panning_and_zooming(seeded) -> None:
    _, _, view = seeded
    chart = view.pain_chart
    assert chart is not None
    view.set_range("two_weeks")
    chart.view_box.translateBy(x=-5 * 86400)
    chart.view_box.scaleBy(x=0.5)
    assert chart.window() != (TODAY - timedelta(days=13), TODAY)
    view.reset_button.click()
    assert chart.window() == (TODAY - timedelta(days=13), TODAY)


def test_the_period_summary_counts_what_happened_in_view(seeded) -> None:
    _, _, view = seeded
    text = view.events.text()
    assert text.splitlines() == [
        "1 February 2026 to 9 March 2026 (37 days): pain rated on 35 days; 3 exercise sessions"
        " on 2 days.",
        "1 February 2026: plan changed: New plan",
        "16 February 2026: plan changed: Added glute bridges",
        "21 February 2026: Red-flag answer: medical advice the same day",
    ]
    view.set_range("two_weeks")
    assert view.events.text().splitlines() == [
        "24 February 2026 to 9 March 2026 (14 days): pain rated on 14 days; 0 exercise sessions"
        " on 0 days.",
        "No plan changes or red-flag answers.",
    ]


# Sentences ------------------------------------------------------------------------------------


def test_sentences_for_the_seeded_story(seeded) -> None:
    _, _, view = seeded
    # Leg: 7 in the first week, 3 in the last 7 days; the band is 30 % of 7 = 2.1 points.
    assert view.leg_sentence.text() == (
        "Leg pain: 7.0 in your first week, 3.0 in the last 7 days: better by 4.0 points."
        " That is more than the 2.1 points that count as a real change."
    )
    # Back: 4 then 3: one point is within the noise (the band is 2 points).
    assert view.back_sentence.text() == (
        "Back pain: 4.0 in your first week, 3.0 in the last 7 days: 1.0 points lower, within"
        " the usual ups and downs (less than 2 points)."
    )
    assert not view.summary.isHidden()


@pytest.mark.parametrize(
    ("baseline", "current", "sentence"),
    [
        (
            7.0,
            3.1,
            "Leg pain: 7.0 in your first week, 3.1 in the last 7 days: better by 3.9 points."
            " That is more than the 2.1 points that count as a real change.",
        ),
        (
            3.0,
            5.5,
            "Leg pain: 3.0 in your first week, 5.5 in the last 7 days: worse by 2.5 points."
            " That is more than the 2 points that count as a real change. If it stays like"
            " this, talk to your therapist.",
        ),
        (
            3.0,
            5.0,
            "Leg pain: 3.0 in your first week, 5.0 in the last 7 days: worse by 2.0 points."
            " That is as much as the 2 points that count as a real change. If it stays like"
            " this, talk to your therapist.",
        ),
        (
            6.0,
            4.5,
            "Leg pain: 6.0 in your first week, 4.5 in the last 7 days: 1.5 points lower,"
            " within the usual ups and downs (less than 2 points).",
        ),
        (
            8.0,
            6.0,  # 2 points, but 30 % of 8 is 2.4: still within the noise
            "Leg pain: 8.0 in your first week, 6.0 in the last 7 days: 2.0 points lower,"
            " within the usual ups and downs (less than 2.4 points).",
        ),
        (
            4.0,
            4.0,
            "Leg pain: 4.0 in your first week, 4.0 in the last 7 days: about the same,"
            " within the usual ups and downs (less than 2 points).",
        ),
        (None, None, "Leg pain: not enough entries yet: add a few days of ratings."),
        (
            None,
            4.0,
            "Leg pain: no ratings in the week the comparison starts from (1 February 2026 to"
            " 7 February 2026), so there is nothing to compare with yet. Choose a later"
            " \u201cBaseline from\u201d date.",
        ),
        (
            6.0,
            None,
            "Leg pain: no ratings in the last 7 days. Add a rating to see how you are doing now.",
        ),
    ],
)
def test_pain_sentences_for_hand_computed_cases(seeded, baseline, current, sentence) -> None:
    _, _, view = seeded
    assert view.loaded is not None
    data = view.loaded.data
    assert pain_sentence("Leg pain", judge(baseline, current, PAIN), data) == sentence


def test_sentences_round_consistently() -> None:
    # 4.14 and 2.84 are shown as 4.1 and 2.8, so the change is told as 1.3, not 1.2.
    text = change_sentence("Back pain", judge(4.14, 2.84, PAIN), "then", "now")
    assert text.startswith("Back pain: 4.1 then, 2.8 now: 1.3 points lower")
    # 1.96 points shows as 2.0 but is less than the band: never "2.0 ... less than 2".
    text = change_sentence("Back pain", judge(5.0, 3.04, PAIN), "then", "now")
    assert text == (
        "Back pain: 5.0 then, 3.0 now: just under 2 points lower, within the usual ups and"
        " downs (less than 2 points)."
    )


def test_a_chosen_baseline_week_and_back_to_the_plans_first_week(qtbot, seeded) -> None:
    _, _, view = seeded
    assert not view.plan_week_button.isEnabled()
    assert view.baseline_edit.date().toPython() == START
    assert view.baseline_words.text() == "to 7 February 2026 (the plan's first week)"
    with qtbot.waitSignal(view.drawn, timeout=LOAD_TIMEOUT_MS):
        view.choose_baseline(START + timedelta(days=7))  # the middle weeks: leg 5
    assert view.leg_sentence.text() == (
        "Leg pain: 5.0 in the week from 8 February 2026, 3.0 in the last 7 days: better by"
        " 2.0 points. That is as much as the 2 points that count as a real change."
    )
    assert view.baseline_words.text() == "to 14 February 2026 (the week you chose)"
    assert view.plan_week_button.isEnabled()
    with qtbot.waitSignal(view.drawn, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(view.plan_week_button, Qt.MouseButton.LeftButton)
    assert view.leg_sentence.text().startswith("Leg pain: 7.0 in your first week")
    assert view.baseline_edit.date().toPython() == START
    assert not view.plan_week_button.isEnabled()


# Overlays, band and legend --------------------------------------------------------------------


def test_overlays_for_plan_changes_sessions_and_red_flags(seeded) -> None:
    _, _, view = seeded
    chart = view.pain_chart
    assert chart is not None
    assert [line.value() for line in chart.plan_lines] == [day_to_x(START), day_to_x(PLAN_CHANGE)]
    assert all(line.label.toPlainText() == "Plan changed" for line in chart.plan_lines)
    x, _ = chart.safety_markers.getData()
    assert list(x) == [day_to_x(RED_FLAG)]
    bars = chart.session_bars.opts
    assert list(bars["x"]) == [day_to_x(START + timedelta(days=d)) for d in (1, 3)]
    assert bars["height"][1] == pytest.approx(2 * bars["height"][0])  # 2 sessions vs 1
    words = [label.text() for label in chart.legend_labels]
    assert words == [
        "Leg pain, each day",
        "Leg pain, 7-day average",
        "Back pain, each day",
        "Back pain, 7-day average",
        "Leg pain at the start ± 2.1",
        "Plan changed",
        "Sessions done",
        "Red-flag answer",
    ]
    # The line's look is in the swatch; the full explanation is the tooltip.
    assert "Thick dashes" in chart.legend_labels[3].accessibleDescription()


def test_the_band_follows_the_chosen_pain(seeded) -> None:
    _, _, view = seeded
    chart = view.pain_chart
    assert chart is not None
    assert chart.band.getRegion() == pytest.approx((7.0 - 2.1, 7.0 + 2.1))
    assert chart.baseline_line.value() == pytest.approx(7.0)
    assert chart.legend_labels[4].text() == "Leg pain at the start ± 2.1"
    assert "leg pain in the first week, give or take 2.1 points" in (
        chart.legend_labels[4].accessibleDescription()
    )
    view.band_choice.setCurrentIndex(view.band_choice.findData("back"))
    assert chart.band.getRegion() == pytest.approx((2.0, 6.0))
    assert chart.baseline_line.label.toPlainText() == "Back pain at the start: 4.0"
    assert chart.legend_labels[4].text() == "Back pain at the start ± 2.0"


# Hover and keyboard ---------------------------------------------------------------------------


def test_hovering_a_day_shows_its_values(qtbot, seeded) -> None:
    _, _, view = seeded
    chart = view.pain_chart
    assert chart is not None
    view.set_range("all")
    qtbot.waitUntil(lambda: chart.view_box.sceneBoundingRect().width() > 100)
    scene_point = chart.view_box.mapViewToScene(QPointF(day_to_x(RED_FLAG) + 3600, 5.0))
    with qtbot.waitSignal(chart.hovered) as hovered:
        chart.plot.scene().sigMouseMoved.emit(scene_point)
    expected = (
        "Saturday 21 February 2026: leg pain 5.0 (7-day average 5.0); back pain 4.0 (7-day"
        " average 4.0). 2 ratings that day, averaged. No exercise sessions.\n"
        "Red-flag answer: medical advice the same day."
    )
    assert hovered.args == [expected]
    assert chart.readout.text() == expected
    assert chart.cursor.isVisible() and chart.cursor.value() == day_to_x(RED_FLAG)
    assert chart.text_for_day(GAPS[0]).startswith(
        "Wednesday 11 February 2026: leg pain not rated (7-day average 6.0); back pain not"
        " rated (7-day average 4.0)."
    )
    assert chart.text_for_day(PLAN_CHANGE).endswith("\nPlan changed: Added glute bridges")


def test_the_chart_can_be_read_with_the_keyboard(qtbot, seeded) -> None:
    _, _, view = seeded
    chart = view.pain_chart
    assert chart is not None
    assert chart.plot.focusPolicy() & Qt.FocusPolicy.TabFocus
    chart.plot.setFocus()
    qtbot.keyClick(chart.plot, Qt.Key.Key_End)
    assert chart.cursor_day == TODAY
    qtbot.keyClick(chart.plot, Qt.Key.Key_Left)
    assert chart.cursor_day == TODAY - timedelta(days=1)
    assert chart.readout.text().startswith("Sunday 8 March 2026: leg pain 3.0")
    qtbot.keyClick(chart.plot, Qt.Key.Key_PageUp)
    assert chart.cursor_day == TODAY - timedelta(days=8)
    qtbot.keyClick(chart.plot, Qt.Key.Key_Home)
    assert chart.cursor_day == START
    qtbot.keyClick(chart.plot, Qt.Key.Key_Escape)
    assert chart.cursor_day is None and not chart.cursor.isVisible()


def test_every_control_has_an_accessible_name(seeded) -> None:
    _, _, view = seeded
    controls = [
        *view.range_buttons.values(),
        view.reset_button,
        view.save_button,
        view.baseline_edit,
        view.plan_week_button,
        view.band_choice,
    ]
    assert view.pain_chart is not None
    controls.append(view.pain_chart.plot)
    for control in controls:
        assert control.accessibleName(), control
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, control


# Picture --------------------------------------------------------------------------------------


def test_save_chart_as_picture_writes_a_png(seeded, tmp_path: Path) -> None:
    _, _, view = seeded
    view.ask_save_path = lambda: str(tmp_path / "my chart")
    saved = view.save_picture()
    assert saved == tmp_path / "my chart.png"
    assert saved.stat().st_size > 5_000
    image = QImage(str(saved))
    assert not image.isNull() and image.width() > 600 and image.height() > 300
    assert "Saved the chart" in view.status.text()
    view.ask_save_path = lambda: None  # cancelled
    assert view.save_picture() is None


# Reloads --------------------------------------------------------------------------------------


def test_a_new_diary_entry_redraws_the_chart(qtbot, seeded) -> None:
    services, bus, view = seeded
    assert view.pain_chart is not None
    _, changes = services.diary.add(DiaryEntry(back_pain=1, leg_pain=1, at=at(TODAY, 17)))
    with qtbot.waitSignal(view.drawn, timeout=LOAD_TIMEOUT_MS):
        bus.changed.emit(changes)
    _, leg = view.pain_chart.leg_daily.getOriginalDataset()
    assert leg[-1] == pytest.approx(2.0)  # 3 and 1 on the same day


def test_a_hidden_view_reloads_when_shown_again(qtbot, seeded) -> None:
    services, bus, view = seeded
    view.hide()
    _, changes = services.diary.add(DiaryEntry(back_pain=9, leg_pain=9, at=at(TODAY, 17)))
    bus.changed.emit(changes)
    bus.changed.emit(Changes(library=True))  # nothing the view shows
    assert view.pain_chart is not None
    _, leg = view.pain_chart.leg_daily.getOriginalDataset()
    assert leg[-1] == pytest.approx(3.0)  # not reloaded while hidden
    with qtbot.waitSignal(view.drawn, timeout=LOAD_TIMEOUT_MS):
        view.show()
    _, leg = view.pain_chart.leg_daily.getOriginalDataset()
    assert leg[-1] == pytest.approx(6.0)


def test_garbage_collection_is_paused_only_while_loading(qtbot, seeded) -> None:
    import gc

    _, _, view = seeded
    assert gc.isenabled()
    with qtbot.waitSignal(view.drawn, timeout=LOAD_TIMEOUT_MS):
        view.refresh()
        assert not gc.isenabled()  # the worker never collects Qt objects off the GUI thread
    assert gc.isenabled()


def test_changes_during_a_load_are_not_lost(qtbot, seeded) -> None:
    services, _, view = seeded
    view.refresh()
    services.diary.add(DiaryEntry(back_pain=9, leg_pain=9, at=at(TODAY, 17)))
    with qtbot.waitSignal(view.drawn, timeout=LOAD_TIMEOUT_MS):
        view.refresh()  # asks for one more load after the one running
    assert view.pain_chart is not None
    _, leg = view.pain_chart.leg_daily.getOriginalDataset()
    assert leg[-1] == pytest.approx(6.0)


def test_closing_takes_the_charts_apart_and_a_refresh_builds_them_again(qtbot, seeded) -> None:
    _, _, view = seeded
    view.show_questionnaires()
    old_chart = view.pain_chart
    assert old_chart is not None and view.score_chart is not None
    plot = old_chart.plot
    view.release_charts()
    assert view.pain_chart is None and view.score_chart is None
    assert plot.closed  # pyqtgraph's own tear-down ran
    with qtbot.waitSignal(view.drawn, timeout=LOAD_TIMEOUT_MS):
        view.refresh()
    assert view.pain_chart is not None and view.pain_chart is not old_chart
    assert view.score_chart is not None  # its tab is the one showing
    assert view.events.text().startswith("1 February 2026 to 9 March 2026")


# Empty state and questionnaires ---------------------------------------------------------------


def test_the_empty_state_is_a_friendly_message(qtbot, app_services) -> None:
    view, _ = open_view(qtbot, app_services)
    assert not view.empty_message.isHidden()
    assert "No pain ratings yet" in view.empty_message.text()
    assert view.summary.isHidden()
    assert view.pain_chart is None or view.pain_chart.isHidden()
    assert view.controls.isHidden()
    view.show_questionnaires()
    assert view.score_chart is not None
    assert not view.score_chart.empty_message.isHidden()
    assert view.score_chart.empty_message.text().startswith("No questionnaires yet")


def test_questionnaires_are_charted_with_their_own_real_change(qtbot, app_services, clock) -> None:
    seed(app_services, clock)
    for offset, rmdq, psfs in ((0, 14.0, 4.0), (14, 11.0, 5.0), (28, 8.0, 5.5)):
        clock.at = at(START + timedelta(days=offset), 20)
        app_services.questionnaires.save("rmdq", {}, rmdq, 24)
        app_services.questionnaires.save("psfs", {}, psfs, 3)
    clock.at = at(TODAY, 18)
    view, _ = open_view(qtbot, app_services)
    assert view.score_chart is None  # built when its tab is first opened
    view.show_questionnaires()
    scores = view.score_chart
    assert scores is not None and scores.empty_message.isHidden()
    assert scores.sentences["rmdq"].text() == (
        "Roland-Morris score: 14 at your first answer (1 February 2026), 8 at your latest"
        " (1 March 2026): better by 6 points. That is more than the 5 points that count as a"
        " real change."
    )
    assert scores.sentences["psfs"].text() == (
        "Activities score: 4.0 at your first answer (1 February 2026), 5.5 at your latest"
        " (1 March 2026): 1.5 points higher, within the usual ups and downs (less than 2"
        " points)."
    )
    x, y = scores.shown_scores("rmdq")
    assert y == [14.0, 11.0, 8.0]
    assert x == [day_to_x(START + timedelta(days=d)) for d in (0, 14, 28)]
    assert "Lower is better." in scores.captions["rmdq"].text()
    assert "Higher is better." in scores.captions["psfs"].text()
    # The questionnaire charts follow the dates of the pain chart.
    view.set_range("two_weeks")
    assert view.pain_chart is not None
    pain_range = view.pain_chart.view_box.viewRange()[0]
    score_range = scores.plots["rmdq"].getPlotItem().getViewBox().viewRange()[0]
    assert score_range == pytest.approx(pain_range)


def test_a_single_answer_asks_for_another(qtbot, app_services, clock) -> None:
    app_services.questionnaires.save("rmdq", {}, 12.0, 24)
    view, _ = open_view(qtbot, app_services)
    view.show_questionnaires()
    assert view.score_chart is not None
    assert view.score_chart.sentences["rmdq"].text() == (
        "Roland-Morris score: one answer so far (12 on 1 February 2026). Answer again in"
        " about two weeks to see a change."
    )
    assert "psfs" not in view.score_chart.plots


def test_period_text_lists_only_the_last_events(seeded) -> None:
    _, _, view = seeded
    assert view.loaded is not None
    series = view.loaded.series
    many = tuple((START + timedelta(days=d), f"change {d}") for d in range(12))
    text = period_text(replace(series, plan_changes=many), START, TODAY)
    lines = text.splitlines()
    assert "8 earlier events are not listed." in lines
    assert lines[-1] == "21 February 2026: Red-flag answer: medical advice the same day"
    assert sum("plan changed" in line for line in lines) == 4
    long = ((START, "Changed " + "the walking programme, " * 10),)
    text = period_text(replace(series, plan_changes=long, safety_events=()), START, TODAY)
    assert text.splitlines()[-1].endswith("…")
    assert len(text.splitlines()[-1]) == len("1 February 2026: plan changed: ") + 70


def test_session_bars_become_weekly_when_zoomed_out(seeded) -> None:
    from rehab_app.ui.charts.pain_chart import SESSION_HEIGHT, _bars

    _, _, view = seeded
    assert view.loaded is not None
    x, heights, width = _bars(view.loaded.series, 7)
    # One session on Monday 2 February and two on Wednesday 4 February: the week from
    # Monday 2 to Sunday 8 February averages 3/7 a day; the busiest day had 2.
    assert list(x) == [day_to_x(date(2026, 2, 5))]  # the middle of that week
    assert heights[0] == pytest.approx(3 / 7 / 2 * SESSION_HEIGHT)
    assert width == pytest.approx(7 * 86400 * 0.75)
    assert view.pain_chart is not None and view.pain_chart.days_per_bar() == 1


def test_the_average_lines_are_drawn_when_zoomed_in_and_out(seeded, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The lines' smoothing follows the days in view; it must stay a plain bool, which Qt's
    setRenderHint needs. The view's range can come as numpy numbers (it did in the visit
    bundle window), whose comparisons give numpy bools: pyqtgraph then skipped the lines."""
    import numpy as np

    _, _, view = seeded
    chart = view.pain_chart
    assert chart is not None and view.loaded is not None
    x = view.loaded.series.x
    # Zoomed out (no smoothing), then in (smoothing): each change sets the lines anew.
    for first, last in ((x[0], x[0] + 900 * 86400), (x[0], x[0] + 7 * 86400)):
        in_numpy = [[np.float64(first), np.float64(last)], [np.float64(0), np.float64(10)]]
        monkeypatch.setattr(chart.view_box, "viewRange", lambda r=in_numpy: r)
        chart._update_detail(force=True)
        for curve in (chart.leg_average, chart.back_average):
            assert type(curve.opts["antialias"]) is bool
