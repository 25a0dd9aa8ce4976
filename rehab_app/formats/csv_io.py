"""CSV files in and out: the diary, the session log and questionnaire scores.

Three files, each UTF-8 with a header row, written with Python's `csv` module (RFC 4180:
comma-separated, fields with commas, quotes or line breaks quoted, CRLF line ends). The files
start with a UTF-8 byte-order mark because Excel on Windows otherwise reads the notes'
accented letters as the wrong characters; the reader accepts files with or without it.

- `diary.csv`: one row per diary entry, every field of `DiaryEntry` plus when it was typed.
- `sessions.csv`: one row per exercise logged (done or skipped) with its session's columns
  repeated; a session without any exercise logged (a skipped session) is one row with the
  exercise columns empty, so skipped sessions are in the file too.
- `questionnaires.csv`: one row per completed Roland-Morris or PSFS, score and answers.

Conventions, the same in all three files:
- Times are ISO 8601 local times with the offset of the zone the thing was recorded in
  (`2026-03-29T08:30:00+01:00`; fractions of a second only when stored), and `time_zone`
  holds that zone's IANA name, so the round trip is exact even across daylight-saving
  changes. `local_day` is the calendar day the app files the row under; it is derived from
  the two and ignored on import, as are the `id` columns (an import gets new ids).
- Codes (context, leg extent, side, symptoms, effort ...) are the app's stable English codes,
  never translated words. Lists of codes are joined with `;` (`aching;pins_and_needles`).
- Yes/no values are `true` or `false`; an empty cell means "not answered".
- Medicines are a JSON list (`[{"name": "Paracetamol", "dose": "1 g", "helped": true}]`)
  and questionnaire answers a JSON object: names and doses may hold any character, and JSON
  says exactly where each ends.
- Numbers never start with a sign: every numeric column is zero or more.

Spreadsheet formulas (CSV injection): a cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return could run as a formula when the file is opened in a spreadsheet, so such a
cell is written with a leading apostrophe (`'=cmd`), which spreadsheets show as text. A cell
that really starts with an apostrophe gets one more, so the reader can strip exactly one
leading apostrophe from every cell and get back what was written. Negative numbers are not
affected because no numeric column can be negative.

Reading the diary checks every row, collects every problem as `Problem(file name, "line N:
column", message)` (N is the line the row starts on, the header being line 1) and returns
nothing unless every row is good: a file is imported whole or not at all.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from rehab_app.core.diary import RETROSPECTIVE_AFTER_HOURS, DiaryEntry, DiaryRecord
from rehab_app.core.errors import Problem, ProblemsError
from rehab_app.core.questionnaires import PSFS_KIND, RMDQ_KIND, QuestionnaireRecord
from rehab_app.core.timestamps import iso_local, stamp
from rehab_app.formats.records import DiaryLike, ResponseLike, SessionLike

#: Write and read with this encoding: UTF-8 with a byte-order mark for Excel (see above).
ENCODING = "utf-8-sig"
LIST_SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_GUARDED = frozenset((*FORMULA_STARTS, GUARD))
#: An import larger than this is refused before it is read (ten years of five entries a day
#: is about 6 MB).
MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_IMPORT_ROWS = 200_000

DIARY_COLUMNS = (
    "id",
    "time",
    "time_zone",
    "local_day",
    "entered",
    "retrospective",
    "back_pain",
    "leg_pain",
    "context",
    "leg_extent",
    "side",
    "qualities",
    "aggravating",
    "medications",
    "sleep_hours",
    "woken_by_pain",
    "note",
)
#: Without these a diary row means nothing; every other column may be left out of a file.
DIARY_REQUIRED = ("time", "back_pain", "leg_pain")

SESSION_COLUMNS = (
    "session_id",
    "local_day",
    "slot",
    "how",
    "session_time",
    "time_zone",
    "plan_version_id",
    "session_note",
    "exercise_log_id",
    "exercise_id",
    "exercise_name",
    "time",
    "sets_done",
    "reps_done",
    "holds_done",
    "skipped",
    "pain_during",
    "effort",
    "nerve_response",
    "advice_light",
    "advice_message",
    "note",
)

QUESTIONNAIRE_COLUMNS = (
    "id",
    "kind",
    "time",
    "time_zone",
    "local_day",
    "score",
    "answered",
    "answers",
    "note",
)
QUESTIONNAIRE_REQUIRED = ("kind", "time", "time_zone", "answered", "answers")


class CsvError(ProblemsError):
    """The file cannot be imported; `problems` lists every bad row and column."""


# Cells ----------------------------------------------------------------------------------------


def guard(cell: str) -> str:
    """The cell as written: a leading apostrophe keeps a spreadsheet from running it."""
    return GUARD + cell if cell[:1] in _GUARDED else cell


def unguard(cell: str) -> str:
    """The cell as it was before `guard`."""
    return cell[1:] if cell.startswith(GUARD) else cell


def _number(value: float | None) -> str:
    # repr() is the shortest text that reads back as the same float (5.666666666666667).
    return "" if value is None else repr(float(value))


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _writer(stream: TextIO, columns: Sequence[str]) -> Callable[[Sequence[str]], None]:
    writer = csv.writer(stream)
    writer.writerow(columns)

    def write(cells: Sequence[str]) -> None:
        writer.writerow([guard(cell) for cell in cells])

    return write


# Writers ------------------------------------------------------------------------------------------


def write_diary(stream: TextIO, entries: Iterable[DiaryLike]) -> int:
    """Write `diary.csv` to a text stream opened with newline=""; returns the rows written."""
    write = _writer(stream, DIARY_COLUMNS)
    count = 0
    for read in entries:
        entry = read.entry
        assert entry.at is not None
        when = stamp(entry.at, read.tz_name)
        write(
            [
                str(read.id),
                when.local.isoformat(),
                read.tz_name,
                when.local_day.isoformat(),
                iso_local(read.entered_utc, read.tz_name),
                _flag(read.retrospective),
                str(entry.back_pain),
                str(entry.leg_pain),
                entry.context.value,
                entry.leg_extent.value,
                entry.side.value if entry.side else "",
                LIST_SEPARATOR.join(q.value for q in entry.qualities),
                LIST_SEPARATOR.join(a.value for a in entry.aggravating),
                _json([m.model_dump() for m in entry.medications]) if entry.medications else "",
                _number(entry.sleep_hours),
                _flag(entry.woken_by_pain),
                entry.note,
            ]
        )
        count += 1
    return count


def write_sessions(
    stream: TextIO, sessions: Iterable[SessionLike], name_of: Callable[[str], str]
) -> int:
    """Write `sessions.csv`: one row per exercise logged; `name_of` gives an exercise's name."""
    write = _writer(stream, SESSION_COLUMNS)
    count = 0
    for session in sessions:
        head = [
            str(session.id),
            session.day.isoformat(),
            f"{session.slot:%H:%M}" if session.slot is not None else "",
            session.how,
            iso_local(session.at_utc, session.tz_name),
            session.tz_name,
            _text(session.plan_version_id),
            session.note,
        ]
        if not session.exercises:
            write(head + [""] * (len(SESSION_COLUMNS) - len(head)))
            count += 1
        for log in session.exercises:
            outcome = log.outcome
            at = log.at_utc or session.at_utc
            write(
                [
                    *head,
                    str(log.id),
                    outcome.exercise_id,
                    name_of(outcome.exercise_id),
                    iso_local(at, log.tz_name or session.tz_name),
                    str(outcome.sets_done),
                    str(outcome.reps_done),
                    str(outcome.holds_done),
                    _flag(outcome.skipped),
                    _text(outcome.pain_during),
                    outcome.effort.value if outcome.effort else "",
                    outcome.nerve_response.value if outcome.nerve_response else "",
                    outcome.advice.light.value if outcome.advice else "",
                    outcome.advice.message if outcome.advice else "",
                    outcome.note,
                ]
            )
            count += 1
    return count


def write_questionnaires(stream: TextIO, responses: Iterable[ResponseLike]) -> int:
    """Write `questionnaires.csv`: one row per completed questionnaire."""
    write = _writer(stream, QUESTIONNAIRE_COLUMNS)
    count = 0
    for response in responses:
        when = stamp(response.at_utc, response.tz_name)
        write(
            [
                str(response.id),
                response.kind,
                when.local.isoformat(),
                response.tz_name,
                when.local_day.isoformat(),
                _number(response.score),
                str(response.answered),
                _json(response.answers),
                response.note,
            ]
        )
        count += 1
    return count


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# Readers ------------------------------------------------------------------------------------------


class _Rows:
    """The data rows of a CSV as {column: cell} with the line each starts on; header and
    structural problems (unknown or missing columns, a broken file) are collected too."""

    def __init__(
        self, stream: TextIO, source: str, known: Sequence[str], required: Sequence[str]
    ) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self._reader = csv.reader(stream, strict=True)
        self._known = known
        self._required = required
        self.header: list[str] = []

    def problem(self, line: int, column: str, message: str) -> None:
        where = f"line {line}: {column}" if column else f"line {line}"
        self.problems.append(Problem(self.source, where, message))

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            yield from self._rows()
        except csv.Error as error:
            self.problem(self._reader.line_num, "", f"is not readable as CSV ({error})")
        except UnicodeDecodeError:
            self.problem(self._reader.line_num + 1, "", "is not UTF-8 text")

    def _rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        header = next(self._reader, None)
        if header is None:
            self.problem(1, "", "the file is empty; the first line must name the columns")
            return
        self.header = [cell.strip() for cell in header]
        if self.header:
            self.header[0] = self.header[0].removeprefix("\ufeff")
        unknown = [name for name in self.header if name not in self._known]
        for name in unknown:
            self.problem(1, name, f"unknown column; the columns are {', '.join(self._known)}")
        for name in self._required:
            if name not in self.header:
                self.problem(1, name, "this column is missing")
        if len(set(self.header)) != len(self.header):
            self.problem(1, "", "a column is named twice")
        if self.problems:
            return
        rows = 0
        while True:
            start = self._reader.line_num + 1
            cells = next(self._reader, None)
            if cells is None:
                return
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, e.g. at the end of a hand-edited file
            rows += 1
            if rows > MAX_IMPORT_ROWS:
                self.problem(start, "", f"more than {MAX_IMPORT_ROWS} rows; split the file")
                return
            if len(cells) != len(self.header):
                self.problem(
                    start, "", f"has {len(cells)} cells; the header names {len(self.header)}"
                )
                continue
            yield (
                start,
                {name: unguard(cell) for name, cell in zip(self.header, cells, strict=True)},
            )


def read_diary(stream: TextIO, source: str, default_zone: str) -> list[DiaryRecord]:
    """Every row of a diary CSV as a checked record; raises CsvError listing every problem.

    `default_zone` is used for rows without a `time_zone` (a file made by hand).
    """
    rows = _Rows(stream, source, DIARY_COLUMNS, DIARY_REQUIRED)
    records: list[DiaryRecord] = []
    for line, cells in rows:
        record = _diary_record(rows, line, cells, default_zone)
        if record is not None:
            records.append(record)
    if rows.problems:
        raise CsvError(rows.problems)
    return records


def _diary_record(
    rows: _Rows, line: int, cells: dict[str, str], default_zone: str
) -> DiaryRecord | None:
    before = len(rows.problems)
    zone_column = "time_zone" if cells.get("time_zone", "").strip() else ""
    tz_name = cells.get("time_zone", "").strip() or default_zone
    at = _moment(rows, line, cells, "time", tz_name, zone_column)
    entered = at
    if cells.get("entered", "").strip():
        entered = _moment(rows, line, cells, "entered", tz_name, zone_column)
    retrospective = _yes_no(rows, line, cells, "retrospective")
    medications: Any = []
    text = cells.get("medications", "").strip()
    if text:
        try:
            medications = json.loads(text)
        except ValueError as error:
            rows.problem(line, "medications", f"is not a JSON list of medicines ({error})")
    values: dict[str, Any] = {
        name: cells[name].strip()
        for name in ("back_pain", "leg_pain", "context", "leg_extent")
        if name in cells and cells[name].strip()
    }
    values["side"] = cells.get("side", "").strip() or None
    for name in ("qualities", "aggravating"):
        values[name] = [
            part.strip() for part in cells.get(name, "").split(LIST_SEPARATOR) if part.strip()
        ]
    values["medications"] = medications
    values["sleep_hours"] = cells.get("sleep_hours", "").strip() or None
    values["woken_by_pain"] = _yes_no(rows, line, cells, "woken_by_pain")
    values["note"] = cells.get("note", "")
    values["at"] = at
    try:
        entry = DiaryEntry.model_validate(values)
    except ValidationError as error:
        for detail in error.errors():
            column = str(detail["loc"][0]) if detail["loc"] else ""
            if column == "at":
                continue  # reported with the time column already
            rows.problem(line, column, _message(detail))
        return None
    if len(rows.problems) > before or at is None or entered is None:
        return None
    late = entered - at > timedelta(hours=RETROSPECTIVE_AFTER_HOURS)
    return DiaryRecord(
        entry=entry,
        tz_name=tz_name,
        entered_utc=entered.astimezone(UTC),
        retrospective=late if retrospective is None else retrospective,
    )


def read_questionnaires(stream: TextIO, source: str) -> list[QuestionnaireRecord]:
    """Every row of a questionnaires CSV; raises CsvError listing every problem."""
    rows = _Rows(stream, source, QUESTIONNAIRE_COLUMNS, QUESTIONNAIRE_REQUIRED)
    records: list[QuestionnaireRecord] = []
    for line, cells in rows:
        before = len(rows.problems)
        kind = cells["kind"].strip()
        if kind not in (RMDQ_KIND, PSFS_KIND):
            rows.problem(line, "kind", f"must be {RMDQ_KIND} or {PSFS_KIND}")
        tz_name = cells["time_zone"].strip()
        at = _moment(rows, line, cells, "time", tz_name, "time_zone")
        score: float | None = None
        if cells.get("score", "").strip():
            try:
                score = float(cells["score"])
            except ValueError:
                rows.problem(line, "score", "must be a number or empty")
        answered = _count(rows, line, cells, "answered")
        answers: Any = None
        try:
            answers = json.loads(cells["answers"])
        except ValueError as error:
            rows.problem(line, "answers", f"is not JSON ({error})")
        if answers is not None and not isinstance(answers, dict):
            rows.problem(line, "answers", "must be a JSON object")
        if len(rows.problems) > before or at is None or answered is None:
            continue
        records.append(
            QuestionnaireRecord(
                kind=kind,
                at_utc=at,
                tz_name=tz_name,
                answers=answers,
                score=score,
                answered=answered,
                note=cells.get("note", "")[:2000],
            )
        )
    if rows.problems:
        raise CsvError(rows.problems)
    return records


def _moment(
    rows: _Rows, line: int, cells: dict[str, str], column: str, tz_name: str, zone_column: str
) -> datetime | None:
    """An aware time in `tz_name`; the written offset must be the zone's at that moment."""
    text = cells.get(column, "").strip()
    if not text:
        rows.problem(line, column, "a time is needed, such as 2026-03-29T08:30:00+01:00")
        return None
    try:
        written = datetime.fromisoformat(text)
    except ValueError:
        rows.problem(line, column, f"'{text}' is not a time such as 2026-03-29T08:30:00+01:00")
        return None
    if written.tzinfo is None:
        rows.problem(line, column, "the time needs its offset from UTC, such as +01:00")
        return None
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        rows.problem(line, zone_column or column, f"'{tz_name}' is not a known time zone")
        return None
    local = written.astimezone(zone)
    if local.utcoffset() != written.utcoffset():
        # Most likely a time edited by hand across a daylight-saving change: say so rather
        # than guess which of the two (the time or the offset) is right.
        rows.problem(
            line,
            column,
            f"the offset of {text} is not the offset of {tz_name} at that time"
            f" ({local.isoformat()})",
        )
        return None
    return local


def _yes_no(rows: _Rows, line: int, cells: dict[str, str], column: str) -> bool | None:
    text = cells.get(column, "").strip().lower()
    if not text:
        return None
    if text in ("true", "false"):
        return text == "true"
    rows.problem(line, column, "must be true, false or empty")
    return None


def _count(rows: _Rows, line: int, cells: dict[str, str], column: str) -> int | None:
    text = cells.get(column, "").strip()
    if text.isdigit():
        return int(text)
    rows.problem(line, column, "must be a whole number, zero or more")
    return None


def _message(detail: Any) -> str:
    """Pydantic's message with the value it was given, and where inside a list of medicines."""
    message = str(detail["msg"])
    value = detail.get("input")
    if isinstance(value, str | int | float) and len(str(value)) <= 80:
        message = f"'{value}': {message}"
    where = detail["loc"]
    if len(where) > 1 and where[0] == "medications" and isinstance(where[1], int):
        inner = "".join(f" {part}" for part in where[2:])
        return f"medicine {where[1] + 1}{inner}: {message}"
    return message
