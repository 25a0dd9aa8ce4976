"""The plan in plain words: doses, sides, schedules, phases and the pain-monitoring rule.

Shared by the screens (pack preview, plan) and the printed handout and report, so a patient
reads the same sentence on screen and on paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from rehab_app.core.exercise import Exercise
from rehab_app.core.plan import PainThresholds, Phase, Plan, PlanItem, PlanSide, Schedule
from rehab_app.core.vocabulary import Side
from rehab_app.wording.labels import dose_summary


def _tr(text: str) -> str:
    return QCoreApplication.translate("plan_words", text)


def join_words(words: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return _tr("%1 and %2").replace("%1", ", ".join(words[:-1])).replace("%2", words[-1])


def long_date(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)


def _seconds(value: int) -> str:
    minutes, seconds = divmod(value, 60)
    if not minutes:
        return _tr("%1 s").replace("%1", str(seconds))
    text = _tr("%1 min").replace("%1", str(minutes))
    return text + (_tr(" %1 s").replace("%1", str(seconds)) if seconds else "")


def dose_words(item: PlanItem) -> str:
    """'2 × 10, hold 5 s, rest 30 s between sets'."""
    text = dose_summary(item.sets, item.reps, item.hold_s)
    if item.sets > 1 and item.rest_s:
        text += ", " + _tr("rest %1 between sets").replace("%1", _seconds(item.rest_s))
    return text


def side_words(item: PlanItem, exercise: Exercise | None) -> str:
    """Which side to work, or '' when the exercise has no side (a walk, a pelvic tilt)."""
    if exercise is not None and exercise.dosage.side == Side.BILATERAL:
        return ""
    if item.side == PlanSide.BOTH:
        if exercise is not None and exercise.dosage.side == Side.ALTERNATE:
            return _tr("left and right in turn")
        return _tr("each side (the full amount on each side)")
    return {
        PlanSide.LEFT: _tr("left side only"),
        PlanSide.RIGHT: _tr("right side only"),
        PlanSide.AFFECTED: _tr("your painful side"),
    }[item.side]


def schedule_words(schedule: Schedule) -> str:
    """'08:00 and 18:00, every day' / '18:00 on Monday and Friday' / '08:00, every 2 days'."""
    times = join_words([f"{slot:%H:%M}" for slot in sorted(schedule.times)])
    if schedule.weekdays and len(schedule.weekdays) < 7:
        names = [QLocale().dayName(number) for number in sorted(schedule.weekdays)]
        text = _tr("%1 on %2").replace("%1", times).replace("%2", join_words(names))
    elif schedule.weekdays or schedule.every_n_days == 1:
        text = _tr("%1, every day").replace("%1", times)
    else:
        every = str(schedule.every_n_days)
        text = _tr("%1, every %2 days").replace("%1", times).replace("%2", every)
    if schedule.start:
        text += "; " + _tr("from %1").replace("%1", long_date(schedule.start))
    if schedule.end:
        text += "; " + _tr("until %1").replace("%1", long_date(schedule.end))
    return text


def phase_start_words(plan: Plan, phase: Phase) -> str:
    """'From the start, Monday, 6 April 2026' or 'From day 15, Monday, 20 April 2026'."""
    when = long_date(plan.phase_start(phase))
    if phase.starts_on_day == 0:
        return _tr("From the start, %1").replace("%1", when)
    # Day 1 is the first day of the plan, so a phase starting 14 days in starts on day 15.
    day = str(phase.starts_on_day + 1)
    return _tr("From day %1, %2").replace("%1", day).replace("%2", when)


def pain_rule_lines(limits: PainThresholds) -> list[tuple[str, str]]:
    """The traffic-light rule in plain words: (zone, sentence) with zone green/amber/red/morning."""
    lines: list[tuple[str, str]] = []
    green, amber = limits.green_max, limits.amber_max
    if green == 0:
        lines.append(("green", _tr("No pain while you exercise: that is fine, keep going.")))
    else:
        text = _tr("Pain up to %1 out of 10 while you exercise is fine: keep going.")
        lines.append(("green", text.replace("%1", str(green))))
    if amber > green:
        low = green + 1
        if low == amber:
            text = _tr("Pain of %1 out of 10: ease off. Move more gently, or do fewer.")
        else:
            text = _tr("Pain of %1 to %2 out of 10: ease off. Move more gently, or do fewer.")
        lines.append(("amber", text.replace("%1", str(low)).replace("%2", str(amber))))
    if amber < 10:
        text = _tr("Pain above %1 out of 10: stop the exercise and tell your therapist.")
        lines.append(("red", text.replace("%1", str(amber))))
    rise = limits.morning_rise_amber
    if rise == 0:
        text = _tr("The next morning, your pain should be no worse than it usually is.")
    elif rise == 1:
        text = _tr("The next morning, your pain should be no more than 1 point worse than usual.")
    else:
        text = _tr(
            "The next morning, your pain should be no more than %1 points worse than usual."
        ).replace("%1", str(rise))
    lines.append(("morning", text))
    return lines
