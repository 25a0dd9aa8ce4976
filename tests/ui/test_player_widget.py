"""The player on screen, used as a patient would: keys from across the room, big buttons, the
questions after each exercise, and the cue sounds (with a stand-in for QSoundEffect, because
QtMultimedia is optional and may not even import)."""

from __future__ import annotations

import importlib.util
import wave
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from rehab_app.core.plan import PainThresholds, PlanItem, PlanSide, Schedule
from rehab_app.core.session import Effort, ExerciseOutcome, Light
from rehab_app.formats.bundled import resources_dir
from rehab_app.services.catalog import Library
from rehab_app.ui.player.controller import Phase, PlayerController, PlayerEntry
from rehab_app.ui.player.sound import CUE_FILES, CuePlayer
from rehab_app.ui.player.widget import PlayerView

SOUNDS = resources_dir() / "sounds"


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


class FakeEffect:
    def __init__(self, path: Path, played: list[str]) -> None:
        self.path, self._played = path, played

    def play(self) -> None:
        self._played.append(self.path.name)


def fake_cues(played: list[str]) -> CuePlayer:
    return CuePlayer(effect_factory=lambda path, _parent: FakeEffect(path, played))


def entry(library: Library, exercise_id: str, **dose: Any) -> PlayerEntry:
    exercise = library.by_id(exercise_id)
    assert exercise is not None
    values = {"sets": 1, "reps": 2, "hold_s": 3, "rest_s": 5, "tempo_s": 2, **dose}
    item = PlanItem(
        exercise_id=exercise_id, schedule=Schedule(times=[time(9)], every_n_days=1), **values
    )
    return PlayerEntry(exercise, item, library.illustration_for(exercise))


class Session:
    """A shown PlayerView over a controller on a fake clock, with everything it emitted."""

    def __init__(self, qtbot, entries: list[PlayerEntry], start: bool = True) -> None:
        self.qtbot = qtbot
        self.clock = FakeClock()
        self.played: list[str] = []
        self.outcomes: list[ExerciseOutcome] = []
        self.controller = PlayerController(entries, PainThresholds(), clock=self.clock)
        self.controller.exercise_finished.connect(self.outcomes.append)
        self.cues = fake_cues(self.played)
        self.view = PlayerView(self.controller, self.cues)
        qtbot.addWidget(self.view)
        self.view.resize(1280, 800)
        self.view.show()
        qtbot.waitExposed(self.view)
        self.view.activateWindow()
        qtbot.waitUntil(self.view.isActiveWindow)
        if start:
            self.controller.start()

    def advance(self, seconds: float) -> None:
        self.clock.now += seconds
        self.controller.update()

    def key(self, key: Qt.Key) -> None:
        focus = self.view.focusWidget() or self.view
        self.qtbot.keyClick(focus, key)

    def click(self, button: QAbstractButton) -> None:
        assert button.isVisible() and button.isEnabled(), button.accessibleName()
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def text(self, name: str) -> str:
        label = self.view.findChild(QLabel, name)
        assert label is not None, name
        return label.text()

    def finish_exercise(self) -> None:
        self.advance(3600)
        assert self.controller.phase == Phase.FEEDBACK


@pytest.fixture
def session(qtbot, shipped_library: Library) -> Session:
    return Session(
        qtbot,
        [
            entry(shipped_library, "glute_bridge"),
            entry(shipped_library, "sciatic_nerve_slider_seated", hold_s=0),
        ],
    )


def test_it_shows_the_exercise_big_and_in_words(session: Session) -> None:
    view = session.view
    assert session.text("playerTitle") == "Glute bridge"
    assert session.text("playerPosition") == "Exercise 1 of 2"
    assert session.text("playerPhase") == "Get ready"
    assert session.text("playerCountdown") == "5"
    assert session.text("playerNext") == "Next: Sciatic nerve slider (sitting)"
    assert session.text("playerSteps").startswith("1.  ")
    assert view.picture.isVisible()
    session.advance(5.5)
    assert session.text("playerPhase") == "Move slowly"
    assert session.text("playerCountdown") == "2"  # 1.5 s left shows as 2, as people count
    assert session.text("playerSet") == "Set 1 of 1"
    assert session.text("playerRep") == "Repetition 1 of 2"
    session.advance(2)
    assert session.text("playerPhase") == "Hold"
    assert session.text("playerCountdown") == "3"
    title = view.title.font().pointSizeF()
    countdown = view.countdown.font().pointSizeF()
    body = view.font().pointSizeF()
    assert title >= 2.5 * body and countdown >= 10 * body  # readable from a mat on the floor


def test_both_sides_are_named_and_the_change_is_announced(qtbot, shipped_library: Library) -> None:
    clamshell = entry(shipped_library, "clamshell", side=PlanSide.BOTH, hold_s=0)
    session = Session(qtbot, [clamshell])
    assert session.text("playerSide") == "Left side"
    session.advance(5 + 2 + 2 + 1)  # left side done, now turning over
    assert session.text("playerPhase") == "Change sides"
    assert session.text("playerSide") == "Next: right side"
    assert not session.view.set_label.isVisible()
    session.advance(5)
    assert session.text("playerPhase") == "Move slowly"
    assert session.text("playerSide") == "Right side"
    assert session.text("playerSet") == "Set 1 of 1"


def test_space_pauses_and_resumes(session: Session) -> None:
    session.advance(1)
    session.view.skip_button.setFocus()  # Space pauses wherever the focus happens to be
    session.key(Qt.Key.Key_Space)
    assert session.controller.paused
    assert session.text("playerPhase") == "Paused"
    assert session.view.pause_button.text().endswith("Resume")
    session.advance(100)
    assert session.text("playerCountdown") == "4"
    session.key(Qt.Key.Key_Space)
    assert not session.controller.paused
    assert session.controller.exercise_index == 0  # nothing was skipped
    assert session.text("playerPhase") == "Get ready"
    assert session.view.pause_button.text() == "Pause"


def test_the_person_starts_the_session_when_ready(qtbot, shipped_library: Library) -> None:
    session = Session(qtbot, [entry(shipped_library, "glute_bridge")], start=False)
    session.clock.now += 60
    session.controller.update()
    assert session.text("playerCountdown") == "5"  # nothing runs before Start
    assert session.view.pause_button.text().endswith("Start")
    session.key(Qt.Key.Key_Space)
    assert session.controller.started and not session.controller.paused
    assert session.view.pause_button.text() == "Pause"
    session.advance(5)
    assert session.text("playerPhase") == "Move slowly"


def test_the_pause_button_works_by_mouse(session: Session) -> None:
    session.click(session.view.pause_button)
    assert session.controller.paused
    session.click(session.view.pause_button)
    assert not session.controller.paused


def test_right_skips_and_left_goes_back(session: Session) -> None:
    session.advance(6)
    session.key(Qt.Key.Key_Right)
    assert [o.skipped for o in session.outcomes] == [True]
    assert session.text("playerTitle") == "Sciatic nerve slider (sitting)"
    assert session.text("playerNext") == "This is the last exercise."
    session.key(Qt.Key.Key_Left)
    assert session.text("playerTitle") == "Glute bridge"
    assert session.controller.phase == Phase.GET_READY


def test_escape_ends_the_session(qtbot, session: Session) -> None:
    session.advance(5 + 5 + 1)  # one repetition done
    with qtbot.waitSignal(session.controller.session_finished, timeout=1000):
        session.key(Qt.Key.Key_Escape)
    assert session.view.pages.currentWidget() is session.view.done_page
    assert not session.view.footer.isVisible()
    assert session.text("playerDoneSummary") == "You did 1 of 2 exercises."
    assert session.outcomes[0].reps_done == 1
    with qtbot.waitSignal(session.view.leave_requested, timeout=1000):
        session.click(session.view.back_button)


def test_feedback_by_keyboard_and_mouse_then_continue(qtbot, session: Session) -> None:
    view = session.view
    session.finish_exercise()
    assert view.pages.currentWidget() is view.feedback_page
    assert not view.nerve_box.isVisible()  # glute bridge is not a nerve exercise
    assert not view.save_button.isEnabled()  # pain first
    session.key(Qt.Key.Key_Return)
    assert session.outcomes == []
    session.key(Qt.Key.Key_6)
    assert view.pain_group.checkedId() == 6
    session.click(view.effort_buttons[2])  # "Too hard"
    assert view.effort_buttons[2].text() == "Too hard" and view.effort_buttons[2].isChecked()
    with qtbot.waitSignal(session.controller.exercise_finished, timeout=1000) as blocker:
        session.click(view.save_button)
    outcome = blocker.args[0]
    assert outcome.pain_during == 6 and outcome.effort == Effort.TOO_HARD
    assert outcome.advice.light == Light.RED
    assert view.advice_box.isVisible() and not view.save_button.isVisible()
    assert session.text("playerAdviceMarker").strip().startswith("Red:")
    assert session.text("playerAdvice") == outcome.advice.message
    assert "above your limit of 5" in session.text("playerAdvice")
    assert not view.pain_buttons[3].isEnabled()  # the answers are final once saved
    session.key(Qt.Key.Key_Return)  # Enter continues
    assert session.controller.exercise_index == 1
    assert view.pages.currentWidget() is view.exercise_page
    assert session.text("playerTitle") == "Sciatic nerve slider (sitting)"
    assert len(session.outcomes) == 1


def test_the_nerve_question_appears_for_a_nerve_exercise(qtbot, session: Session) -> None:
    view = session.view
    session.finish_exercise()
    session.click(view.no_pain_button)
    assert view.pain_group.checkedId() == 0
    session.key(Qt.Key.Key_Return)  # save
    session.key(Qt.Key.Key_Return)  # continue
    session.finish_exercise()
    assert view.nerve_box.isVisible()
    assert view.pain_group.checkedId() == -1  # the last answers were cleared
    assert [b.text() for b in view.nerve_buttons] == [
        "Tingling settled at once",
        "It lingered",
        "It spread further down the leg",
    ]
    session.key(Qt.Key.Key_2)
    session.click(view.nerve_buttons[1])
    session.click(view.save_button)
    assert session.outcomes[-1].nerve_response == "lingered"
    assert session.text("playerAdviceMarker").strip().startswith("Amber:")
    with qtbot.waitSignal(session.controller.session_finished, timeout=1000):
        session.click(view.continue_button)
    assert session.text("playerDoneTitle") == "Well done!"
    assert session.text("playerDoneSummary") == "You did 2 of 2 exercises."


def test_digits_do_nothing_while_exercising(session: Session) -> None:
    session.key(Qt.Key.Key_4)
    session.finish_exercise()
    assert session.view.pain_group.checkedId() == -1


def test_a_cue_flashes_the_banner_and_plays_a_sound(qtbot, session: Session) -> None:
    view = session.view
    session.advance(5)
    assert session.played == ["get_ready_end.wav"]
    assert view.flashing and "background: #ffffff" in view.banner.styleSheet()
    session.advance(2)
    assert session.played == ["get_ready_end.wav", "hold_start.wav"]
    qtbot.waitUntil(lambda: not view.flashing, timeout=3000)
    assert "background: #ffffff" not in view.banner.styleSheet()


def test_the_mute_button_silences_the_cues(session: Session) -> None:
    view = session.view
    assert view.mute_button.isEnabled() and not session.cues.muted
    session.click(view.mute_button)
    assert session.cues.muted and view.mute_button.isChecked()
    assert "off" in view.mute_button.text()
    session.advance(5)
    assert session.played == [] and view.flashing  # still seen, just not heard
    session.click(view.mute_button)
    assert not session.cues.muted
    session.cues.muted = True  # changed elsewhere (a setting): the button follows
    assert view.mute_button.isChecked()


def test_without_sound_the_mute_button_says_so(qtbot, shipped_library: Library) -> None:
    controller = PlayerController([entry(shipped_library, "glute_bridge")], PainThresholds())
    silent = CuePlayer(folder=Path("/nonexistent"), effect_factory=lambda p, o: FakeEffect(p, []))
    view = PlayerView(controller, silent)
    qtbot.addWidget(view)
    assert not silent.available
    assert not view.mute_button.isEnabled() and view.mute_button.text() == "No sound"
    silent.play("hold_start")  # does nothing, raises nothing


def test_every_control_is_named_and_big(session: Session) -> None:
    session.finish_exercise()
    buttons = session.view.findChildren(QAbstractButton)
    assert len(buttons) > 20
    for button in buttons:
        assert button.accessibleName(), button.text()
        assert button.minimumHeight() >= 48, button.text()


def test_exercise_text_is_shown_as_plain_text(qtbot, shipped_library: Library) -> None:
    original = entry(shipped_library, "glute_bridge")
    tricky = original.exercise.model_copy(
        update={"name": "<b>Bridge</b> & lift", "steps": ['<a href="x">Click</a> here']}
    )
    session = Session(qtbot, [PlayerEntry(tricky, original.item)])
    view = session.view
    qtbot.waitUntil(view.all_pages_built)  # the question page comes a moment after the player
    for label in (view.title, view.steps, view.next_label, view.advice_text):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert view.title.text() == "<b>Bridge</b> & lift"
    assert view.steps.text() == '1.  <a href="x">Click</a> here'
    assert not view.picture.isVisible()  # no illustration given: no empty frame either


def test_a_notice_can_be_shown_and_cleared(session: Session) -> None:
    view = session.view
    assert not view.message.isVisible()
    view.show_message("Your last exercise could not be saved yet (<disk full>).")
    assert view.message.isVisible()
    assert view.message.textFormat() == Qt.TextFormat.PlainText
    assert session.text("playerMessage").endswith("(<disk full>).")
    session.key(Qt.Key.Key_Escape)
    assert view.message.isVisible()  # still there on the closing page
    view.clear_message()
    assert not view.message.isVisible()


def test_the_cue_tones_are_small_distinct_wav_files() -> None:
    contents = set()
    for name in CUE_FILES.values():
        path = SOUNDS / name
        assert path.stat().st_size < 30_000, name
        with wave.open(str(path)) as tone:
            assert tone.getnchannels() == 1 and tone.getsampwidth() == 2
            seconds = tone.getnframes() / tone.getframerate()
            assert 0.2 < seconds < 1.0, name
        contents.add(path.read_bytes())
    assert len(contents) == len(CUE_FILES)


def test_the_shipped_tones_match_their_generator(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("generate_tones", SOUNDS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.TONES) == set(CUE_FILES)
    for name, notes in module.TONES.items():
        module.write_tone(tmp_path / f"{name}.wav", notes)
        fresh, shipped = _samples(tmp_path / f"{name}.wav"), _samples(SOUNDS / f"{name}.wav")
        # Another C maths library may round a sample differently, by one step at most.
        assert len(fresh) == len(shipped)
        assert max(abs(a - b) for a, b in zip(fresh, shipped, strict=True)) <= 1, name


def _samples(path: Path) -> list[int]:
    with wave.open(str(path)) as tone:
        frames = tone.readframes(tone.getnframes())
    return [
        int.from_bytes(frames[i : i + 2], "little", signed=True) for i in range(0, len(frames), 2)
    ]


def test_cue_player_plays_each_kind_from_its_own_file(qtbot) -> None:
    played: list[str] = []
    parents: list[QObject] = []

    def factory(path: Path, parent: QObject) -> FakeEffect:
        parents.append(parent)
        return FakeEffect(path, played)

    cues = CuePlayer(effect_factory=factory)
    assert cues.available and all(parent is cues for parent in parents)
    for kind in CUE_FILES:
        cues.play(kind)
    cues.play("unknown")
    assert played == list(CUE_FILES.values())
