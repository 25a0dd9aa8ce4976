"""CSV exports and the diary import: an exact round trip (every field, unicode, commas, line
breaks, formula-looking text, times on both sides of a daylight-saving change and in other
zones), every bad row reported by line and column with nothing imported, and the guard against
spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from rehab_app.core.diary import (
    Activity,
    BodySide,
    Context,
    DiaryEntry,
    LegExtent,
    Medication,
    Quality,
)
from rehab_app.core.questionnaires import PsfsActivity, PsfsResponse, rmdq_to_answers
from rehab_app.core.session import Advice, Effort, ExerciseOutcome, Light, NerveResponse
from rehab_app.formats import csv_io
from rehab_app.formats.csv_io import CsvError, guard, unguard
from rehab_app.services.bundle import build_services
from rehab_app.services.maintenance import open_data_folder

TRICKY_NOTES = (
    'Walked 2 km, then "sat" badly;\nknee ached — ça va, 痛い 🙂',
    '=HYPERLINK("http://example.invalid","click")',
    "-5 after the walk",
    "+1 bad night",
    "@physio please look",
    "'already quoted",
    "=-2 (not a formula)",
)


@pytest.fixture
def other_services(tmp_path, clock, shipped_library):
    """A second, empty data folder (the other end of a round trip)."""
    opened = open_data_folder(tmp_path / "other", clock)
    yield build_services(opened.engine, shipped_library, clock)
    opened.engine.dispose()


def full_entry(note: str, at: datetime, side: BodySide | None = BodySide.LEFT) -> DiaryEntry:
    return DiaryEntry(
        back_pain=3,
        leg_pain=7,
        context=Context.AFTER_EXERCISE,
        leg_extent=LegExtent.BELOW_KNEE,
        side=side,
        qualities=[Quality.BURNING, Quality.PINS_AND_NEEDLES, Quality.NUMBNESS],
        aggravating=[Activity.SITTING, Activity.COUGHING_SNEEZING],
        medications=[
            Medication(name="Ibuprofen, 400", dose='1 "tab"; twice', helped=True),
            Medication(name="Gabapentin ü", dose="", helped=None),
            Medication(name="=cmd|' /C calc'!A0", dose="-1", helped=False),
        ],
        sleep_hours=6.5,
        woken_by_pain=True,
        note=note,
        at=at,
    )


def seed_diary(services, clock) -> None:
    """Entries in London on both sides of the clocks going forward on 29 March 2026 (01:00 UTC),
    one recalled late (retrospective), and some in New York and Kolkata (+05:30)."""
    clock.tz_name = "Europe/London"
    clock.at = datetime(2026, 3, 29, 9, 0, tzinfo=UTC)
    before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 00:30 GMT (+00:00)
    after = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 02:30 BST (+01:00)
    services.diary.add(full_entry(TRICKY_NOTES[0], before))  # typed hours later: retrospective
    clock.at = datetime(2026, 3, 29, 1, 40, tzinfo=UTC)
    services.diary.add(full_entry(TRICKY_NOTES[1], after, side=None))
    clock.tz_name = "America/New_York"
    for hour, note in zip(range(12, 16), TRICKY_NOTES[2:6], strict=True):
        moment = datetime(2026, 3, 30, hour, 15, 7, 250_000, tzinfo=UTC)
        clock.at = moment
        services.diary.add(full_entry(note, moment, side=BodySide.BOTH))
    clock.tz_name = "Asia/Kolkata"
    clock.at = datetime(2026, 3, 31, 4, 0, tzinfo=UTC)
    services.diary.add(DiaryEntry(back_pain=0, leg_pain=0, note=TRICKY_NOTES[6]))
    services.diary.add(DiaryEntry(back_pain=10, leg_pain=10))  # every optional field empty


def stored(services) -> list[tuple]:
    return [
        (read.entry, read.tz_name, read.local_day, read.entered_utc, read.retrospective)
        for read in services.diary.stream()
    ]


def test_a_diary_round_trip_keeps_every_field(app_services, other_services, clock, tmp_path):
    seed_diary(app_services, clock)
    paths = app_services.exports.write_csvs(tmp_path / "export")
    diary_csv = paths[0]

    result, changes = other_services.exports.import_diary_csv(diary_csv)

    assert (result.added, result.skipped, changes.diary) == (8, 0, True)
    original = stored(app_services)
    assert stored(other_services) == original
    assert [entry.note for entry, *_ in original[:7]] == list(TRICKY_NOTES)
    assert original[0][4] is True and original[1][4] is False  # retrospective kept as it was
    # The zone each entry was made in comes back with it (aware times in that zone).
    assert [entry.at.tzinfo.key for entry, *_ in stored(other_services)] == [
        "Europe/London",
        "Europe/London",
        *["America/New_York"] * 4,
        "Asia/Kolkata",
        "Asia/Kolkata",
    ]


def test_the_file_itself_times_offsets_lists_and_guarded_cells(app_services, clock, tmp_path):
    seed_diary(app_services, clock)
    diary_csv = app_services.exports.write_csvs(tmp_path / "export")[0]
    raw = diary_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the UTF-8 notes right
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(csv_io.DIARY_COLUMNS)
    # 00:30 GMT and 02:30 BST: the same wall-clock day, the offsets of the moment.
    assert rows[0]["time"] == "2026-03-29T00:30:00+00:00"
    assert rows[1]["time"] == "2026-03-29T02:30:00+01:00"
    assert rows[0]["entered"] == "2026-03-29T10:00:00+01:00"
    assert (rows[0]["retrospective"], rows[1]["retrospective"]) == ("true", "false")
    assert rows[2]["time"] == "2026-03-30T08:15:07.250000-04:00"
    assert rows[6]["time"] == "2026-03-31T09:30:00+05:30" and rows[6]["time_zone"] == "Asia/Kolkata"
    assert rows[0]["qualities"] == "burning;pins_and_needles;numbness"
    assert rows[0]["aggravating"] == "sitting;coughing_sneezing"
    assert rows[0]["side"] == "left" and rows[1]["side"] == ""
    assert rows[0]["sleep_hours"] == "6.5" and rows[0]["woken_by_pain"] == "true"
    assert rows[7]["sleep_hours"] == "" and rows[7]["woken_by_pain"] == ""
    # Formula-looking text gets one apostrophe; numbers and codes are never touched.
    assert [row["note"] for row in rows[:7]] == [TRICKY_NOTES[0]] + [
        "'" + note for note in TRICKY_NOTES[1:]
    ]
    assert rows[0]["back_pain"] == "3" and rows[0]["medications"].startswith("[")
    assert '"=cmd|' in rows[0]["medications"]  # inside JSON: not at the start of the cell


def test_importing_the_same_file_again_adds_nothing(app_services, clock, tmp_path):
    seed_diary(app_services, clock)
    diary_csv = app_services.exports.write_csvs(tmp_path / "export")[0]
    result, changes = app_services.exports.import_diary_csv(diary_csv)
    assert (result.added, result.skipped, changes.diary) == (0, 8, False)
    assert len(stored(app_services)) == 8


def header() -> str:
    return ",".join(csv_io.DIARY_COLUMNS)


def row(**cells: str) -> str:
    values = {
        "time": "2026-03-29T08:30:00+01:00",
        "time_zone": "Europe/London",
        "back_pain": "3",
        "leg_pain": "5",
        **cells,
    }
    buffer = io.StringIO()
    csv.writer(buffer).writerow([values.get(name, "") for name in csv_io.DIARY_COLUMNS])
    return buffer.getvalue().removesuffix("\r\n")


def test_every_bad_row_is_listed_by_line_and_column_and_nothing_is_imported(app_services, tmp_path):
    lines = [
        header(),  # line 1
        row(note="a note over\ntwo lines"),  # lines 2-3: good
        row(back_pain="11"),  # line 4
        row(context="morning", side="middle"),  # line 5
        row(time="2026-03-29T08:30:00"),  # line 6: no offset
        row(time="2026-03-29T08:30:00+00:00"),  # line 7: London is on +01:00 then
        row(time_zone="Mars/Olympus"),  # line 8
        row(medications="[{name: Ibuprofen}]", qualities="aching;itchy"),  # line 9
        row(woken_by_pain="perhaps", sleep_hours="25"),  # line 10
        row(),  # line 11: good
    ]
    path = tmp_path / "diary.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")

    with pytest.raises(CsvError) as caught:
        app_services.exports.import_diary_csv(path)

    where = [(problem.source, problem.field) for problem in caught.value.problems]
    assert where == [
        ("diary.csv", "line 4: back_pain"),
        ("diary.csv", "line 5: context"),
        ("diary.csv", "line 5: side"),
        ("diary.csv", "line 6: time"),
        ("diary.csv", "line 7: time"),
        ("diary.csv", "line 8: time_zone"),
        ("diary.csv", "line 9: medications"),
        ("diary.csv", "line 9: qualities"),
        ("diary.csv", "line 10: woken_by_pain"),
        ("diary.csv", "line 10: sleep_hours"),
    ]
    messages = {problem.field: problem.message for problem in caught.value.problems}
    assert "10" in messages["line 4: back_pain"]
    assert "offset" in messages["line 6: time"]
    assert "2026-03-29T09:30:00+01:00" in messages["line 7: time"]
    assert "Mars/Olympus" in messages["line 8: time_zone"]
    assert "itchy" in messages["line 9: qualities"]
    assert str(caught.value.problems[0]).startswith("diary.csv: line 4: back_pain: ")
    assert stored(app_services) == []  # the two good rows were not imported either


def test_header_problems_stop_before_any_row(app_services, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("time,back_pian,leg_pain\n2026-03-29T08:30:00+01:00,3,5\n")
    with pytest.raises(CsvError) as caught:
        app_services.exports.import_diary_csv(path)
    assert [p.field for p in caught.value.problems] == ["line 1: back_pian", "line 1: back_pain"]
    assert "unknown column" in caught.value.problems[0].message


def test_a_hand_made_file_needs_only_time_and_pain(app_services, clock, tmp_path):
    clock.tz_name = "Europe/Berlin"
    path = tmp_path / "mine.csv"
    path.write_text(
        "time,back_pain,leg_pain,note\n2026-03-29T08:30:00+02:00,3,5,'=SUM(A1)\n\n",
        encoding="utf-8",
    )
    result, _ = app_services.exports.import_diary_csv(path)
    assert result.added == 1
    ((entry, tz_name, _day, entered, late),) = stored(app_services)
    assert tz_name == "Europe/Berlin"  # the importing person's zone for rows without one
    assert entry.at == datetime(2026, 3, 29, 6, 30, tzinfo=UTC)
    assert (entry.note, entry.context, entry.side, late) == ("=SUM(A1)", Context.OTHER, None, False)
    assert entered == entry.at


def test_not_a_csv_is_one_problem(app_services, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\xff\xd8\xff\xe0 not text at all \x00\x00")
    with pytest.raises(CsvError) as caught:
        app_services.exports.import_diary_csv(path)
    assert len(caught.value.problems) == 1
    assert "UTF-8" in caught.value.problems[0].message


@pytest.mark.parametrize("cell", ["", "plain", "=1+1", "+44 20", "-3", "@x", "'", "''a", "\r"])
def test_guard_then_unguard_gives_back_the_cell(cell: str) -> None:
    guarded = guard(cell)
    assert unguard(guarded) == cell
    assert not guarded.startswith(csv_io.FORMULA_STARTS)


def test_sessions_csv_has_one_row_per_exercise_and_skipped_sessions(app_services, clock, tmp_path):
    services = app_services
    today = clock.now().local_day
    services.plans.save(services.plans.starter_plan(today), "New plan", author="starter")
    session_id, _ = services.sessions.start_session(today, time(8))
    advice = Advice(light=Light.AMBER, message="Ease off a little, then check tomorrow.")
    services.sessions.log_exercise(
        session_id,
        ExerciseOutcome(
            exercise_id="pelvic_tilt",
            sets_done=2,
            reps_done=20,
            holds_done=20,
            pain_during=4,
            effort=Effort.ABOUT_RIGHT,
            nerve_response=NerveResponse.SETTLED,
            advice=advice,
            note="-1 rep, legs tired",
        ),
    )
    skipped = ExerciseOutcome(
        exercise_id="glute_bridge", sets_done=0, reps_done=0, holds_done=0, skipped=True
    )
    services.sessions.log_exercise(session_id, skipped)
    services.sessions.skip(today, time(18), "too sore")

    path = services.exports.write_csvs(tmp_path / "export")[1]
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))

    assert [(r["session_id"], r["exercise_id"], r["skipped"]) for r in rows] == [
        ("1", "pelvic_tilt", "false"),
        ("1", "glute_bridge", "true"),
        ("2", "", ""),
    ]
    first = rows[0]
    assert first["exercise_name"] == "Pelvic tilt (lying)"
    assert (first["slot"], first["how"], first["time_zone"]) == ("08:00", "player", "Europe/London")
    assert first["time"] == "2026-03-29T08:30:00+01:00"
    assert (first["sets_done"], first["reps_done"], first["pain_during"]) == ("2", "20", "4")
    assert (first["effort"], first["nerve_response"], first["advice_light"]) == (
        "about_right",
        "settled",
        "amber",
    )
    assert first["note"] == "'-1 rep, legs tired"
    assert (rows[2]["how"], rows[2]["session_note"]) == ("skipped", "too sore")


def test_questionnaires_round_trip(app_services, other_services, clock, tmp_path):
    rmdq = rmdq_to_answers({n: n % 3 == 0 for n in range(1, 23)})  # 23 and 24 unanswered
    app_services.questionnaires.save("rmdq", rmdq, 7, 22, "=a note")
    clock.advance(days=14)
    psfs = PsfsResponse(
        activities=[PsfsActivity(name="Sitting, at work", score=3), PsfsActivity(name="Socks")]
    )
    app_services.questionnaires.save("psfs", psfs.to_answers(), 3.0, 1)
    clock.advance(days=14)
    app_services.questionnaires.save("psfs", psfs.to_answers(), 10 / 3, 1)

    path = app_services.exports.write_csvs(tmp_path / "export")[2]
    result, _ = other_services.exports.import_questionnaires_csv(path)

    assert result.added == 3

    def fields(services):
        return [
            (r.kind, r.at_utc, r.tz_name, r.local_day, r.answers, r.score, r.answered, r.note)
            for r in services.questionnaires.stream()
        ]

    assert fields(other_services) == fields(app_services)
    assert fields(other_services)[2][5] == 10 / 3  # the stored score exactly, not rounded


def test_a_bad_questionnaire_row_is_reported(app_services, tmp_path):
    path = tmp_path / "questionnaires.csv"
    path.write_text(
        "kind,time,time_zone,score,answered,answers\n"
        "oswestry,2026-03-29T08:30:00+01:00,Europe/London,3,1,{}\n"
        "rmdq,2026-03-29T08:30:00+01:00,Europe/London,x,-1,[1]\n"
    )
    with pytest.raises(CsvError) as caught:
        app_services.exports.import_questionnaires_csv(path)
    assert [p.field for p in caught.value.problems] == [
        "line 2: kind",
        "line 3: score",
        "line 3: answered",
        "line 3: answers",
    ]


def test_files_are_private(app_services, tmp_path):
    for path in app_services.exports.write_csvs(tmp_path / "export"):
        assert path.stat().st_mode & 0o777 == 0o600
    assert not list((tmp_path / "export").glob(".*.tmp"))


def test_an_empty_diary_exports_a_header(app_services, tmp_path):
    path = app_services.exports.write_csvs(tmp_path)[0]
    assert path.read_bytes() == ("\ufeff" + ",".join(csv_io.DIARY_COLUMNS) + "\r\n").encode()


def test_records_keep_aware_times(tmp_path: Path) -> None:
    text = header() + "\n" + row(entered="2026-03-29T12:00:00+01:00") + "\n"
    records = csv_io.read_diary(io.StringIO(text), "x.csv", "UTC")
    assert records[0].entered_utc == datetime(2026, 3, 29, 11, 0, tzinfo=UTC)
    assert records[0].retrospective is True  # typed 3.5 hours later: worked out when not given


def test_an_import_backs_up_first_and_a_refused_file_does_not(app_services, clock, tmp_path):
    from rehab_app.storage.backup import list_backups

    seed_diary(app_services, clock)
    diary_csv = app_services.exports.write_csvs(tmp_path / "export")[0]
    broken = tmp_path / "broken.csv"
    broken.write_text(header() + "\r\n" + row(back_pain="11") + "\r\n", encoding="utf-8")
    with pytest.raises(CsvError):
        app_services.exports.import_diary_csv(broken)
    assert list_backups(app_services.data_dir) == []  # nothing was going to change
    app_services.exports.import_diary_csv(diary_csv)
    (backup,) = list_backups(app_services.data_dir)
    assert "before-import-csv" in backup.name
