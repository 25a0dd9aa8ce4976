"""The Library screen, driven as a person would: typing, keyboard choices, clicks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton

from rehab_app.core.vocabulary import BodyRegion, Category, Stage
from rehab_app.services.catalog import Library
from rehab_app.ui.views.library import LibraryView


@pytest.fixture
def view(qtbot, shipped_library: Library) -> LibraryView:
    widget = LibraryView()
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    widget.set_library(shipped_library)
    return widget


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an entry with the keyboard, the way a person without a mouse would."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"{text!r} is not offered in {combo.accessibleName()!r}")


def label(view: LibraryView, name: str) -> QLabel:
    found = view.findChild(QLabel, name)
    assert found is not None, name
    return found


def test_the_whole_library_is_listed_in_name_order(
    view: LibraryView, shipped_library: Library
) -> None:
    names = view.visible_names()
    assert len(names) == len(shipped_library.exercises) >= 20
    assert names == sorted(names, key=str.casefold)
    assert label(view, "libraryCount").text() == f"{len(names)} exercises"


def test_search_finds_an_exercise_by_its_everyday_name(qtbot, view: LibraryView) -> None:
    qtbot.keyClicks(view.search, "nerve flossing")
    assert view.visible_names() == ["Sciatic nerve slider (lying)"]
    assert view.current_exercise().id == "sciatic_nerve_slider_supine"
    assert label(view, "exerciseTitle").text() == "Sciatic nerve slider (lying)"


def test_search_ignores_case_and_word_order(qtbot, view: LibraryView) -> None:
    qtbot.keyClicks(view.search, "SLIDER sciatic")
    assert view.visible_names() == [
        "Sciatic nerve slider (lying)",
        "Sciatic nerve slider (sitting)",
    ]


def test_filters_combine(qtbot, view: LibraryView, shipped_library: Library) -> None:
    choose(qtbot, view.region, "Ankle and foot")
    choose(qtbot, view.category, "Nerve glides (nerve flossing)")
    expected = [
        e.name
        for e in shipped_library.exercises
        if BodyRegion.ANKLE in e.body_regions and e.category == Category.NEURAL_MOBILISATION
    ]
    assert len(expected) == 4
    assert view.visible_names() == expected
    choose(qtbot, view.stage, "Early (first 6 weeks)")
    assert view.visible_names() == [
        e.name for e in shipped_library.exercises if e.name in expected and Stage.ACUTE in e.stages
    ]
    assert "Sciatic nerve tensioner (lying)" not in view.visible_names()
    assert (
        label(view, "libraryCount").text()
        == f"{len(view.visible_names())} of {len(shipped_library.exercises)} exercises"
    )


def test_no_match_says_so_and_show_all_brings_everything_back(
    qtbot, view: LibraryView, shipped_library: Library
) -> None:
    qtbot.keyClicks(view.search, "trampoline")
    assert view.visible_names() == []
    assert "No exercise matches" in label(view, "libraryCount").text()
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    assert len(view.visible_names()) == len(shipped_library.exercises)
    assert view.search.text() == ""


def test_details_show_steps_dosage_and_cautions(
    qtbot, view: LibraryView, shipped_library: Library
) -> None:
    view.select_exercise("glute_bridge")
    bridge = shipped_library.by_id("glute_bridge")
    assert label(view, "exerciseTitle").text() == bridge.name
    steps = label(view, "exerciseSteps").text()
    assert steps.startswith(f"1.  {bridge.steps[0]}")
    assert f"{len(bridge.steps)}.  {bridge.steps[-1]}" in steps
    assert label(view, "dosage_0").text().startswith(str(bridge.dosage.sets.default))
    assert bridge.cautions[0] in label(view, "exerciseCautions").text()


def test_a_progression_link_opens_that_exercise_even_when_filtered_out(
    qtbot, view: LibraryView
) -> None:
    qtbot.keyClicks(view.search, "nerve flossing")
    buttons = {b.text(): b for b in view.detail.findChildren(QPushButton)}
    target = "→  Sciatic nerve slider (sitting)"
    assert target in buttons
    qtbot.mouseClick(buttons[target], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.current_exercise().id == "sciatic_nerve_slider_seated")
    assert view.search.text() == ""  # the filter that hid it was cleared


def test_keyboard_moves_from_search_to_the_list_and_through_it(qtbot, view: LibraryView) -> None:
    view.search.setFocus()
    qtbot.keyClicks(view.search, "stretch")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert view.focusWidget() is view.list
    first = view.current_exercise().name
    qtbot.keyClick(view.list, Qt.Key.Key_Down)
    assert view.current_exercise().name != first
    assert label(view, "exerciseTitle").text() == view.current_exercise().name


def test_exercise_text_is_shown_as_plain_text(qtbot, shipped_library: Library) -> None:
    risky = shipped_library.exercises[0].model_copy(
        update={
            "name": "<b>Bold</b> <a href='https://example.invalid'>link</a>",
            "steps": ["<img src=x>"],
        }
    )
    library = Library((risky,), (), (), {})
    view = LibraryView()
    qtbot.addWidget(view)
    view.set_library(library)
    title = label(view, "exerciseTitle")
    assert title.textFormat() == Qt.TextFormat.PlainText
    assert title.text() == risky.name
    assert label(view, "exerciseSteps").text() == "1.  <img src=x>"


def test_skipped_files_are_named(qtbot, shipped_library: Library, tmp_path) -> None:
    library = Library(
        shipped_library.exercises[:3],
        (),
        (tmp_path / "broken.toml",),
        shipped_library.illustrations,
    )
    view = LibraryView()
    qtbot.addWidget(view)
    view.set_library(library)
    notice = label(view, "librarySkipped")
    assert not notice.isHidden()
    assert "broken.toml" in notice.text()


def test_controls_have_accessible_names(view: LibraryView) -> None:
    for widget in (
        view.search,
        view.region,
        view.category,
        view.stage,
        view.clear_button,
        view.list,
    ):
        assert widget.accessibleName(), widget


def test_item_models_keep_the_qt_contract(qtmodeltester, view: LibraryView) -> None:
    qtmodeltester.check(view.proxy.sourceModel())
    qtmodeltester.check(view.proxy)
