"""The built-in library: complete, valid, and every picture is a safe, self-contained SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from rehab_app.core.vocabulary import Category, Position
from rehab_app.services.catalog import Library

NERVE_FLOSSING = {
    "sciatic_nerve_slider_supine",
    "sciatic_nerve_slider_seated",
    "sciatic_nerve_tensioner_supine",
    "sciatic_nerve_tensioner_seated",
}


def test_the_shipped_library_loads_with_no_problems(shipped_library: Library) -> None:
    assert shipped_library.problems == ()
    assert shipped_library.skipped_files == ()
    assert len(shipped_library.exercises) >= 20


def test_it_covers_nerve_flossing_lying_and_sitting(shipped_library: Library) -> None:
    ids = {e.id for e in shipped_library.exercises}
    assert ids >= NERVE_FLOSSING
    positions = {
        p for e in shipped_library.exercises if e.id in NERVE_FLOSSING for p in e.positions
    }
    assert {Position.SUPINE, Position.SITTING} <= positions
    assert {e.category for e in shipped_library.exercises} == set(Category)


def test_every_exercise_has_steps_a_patient_can_follow(shipped_library: Library) -> None:
    for exercise in shipped_library.exercises:
        assert len(exercise.steps) >= 3 or exercise.id == "standing_back_extension", exercise.id
        assert all(step[0].isupper() and step.rstrip()[-1] in ".!" for step in exercise.steps), (
            exercise.id
        )


def test_every_picture_is_plain_svg_without_scripts_or_outside_references(
    shipped_library: Library,
) -> None:
    for exercise in shipped_library.exercises:
        path = shipped_library.illustration_for(exercise)
        assert path is not None and path.suffix == ".svg", exercise.id
        root = ElementTree.parse(path).getroot()
        assert root.tag.endswith("svg")
        assert root.get("viewBox"), f"{path.name} needs a viewBox to scale"
        for element in root.iter():
            assert not element.tag.endswith(("script", "foreignObject", "image")), path.name
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (path.name, name)
                if name.endswith("href"):
                    assert value.startswith("#"), (path.name, value)


def test_every_picture_draws_a_person_not_a_placeholder(shipped_library: Library) -> None:
    """A rough but honest check: each picture has many shapes, not a box and a caption."""
    for exercise in shipped_library.exercises:
        path = shipped_library.illustration_for(exercise)
        assert path is not None
        shapes = [
            e
            for e in ElementTree.parse(path).getroot().iter()
            if e.tag.split("}")[-1]
            in {"path", "line", "polyline", "circle", "ellipse", "rect", "polygon"}
        ]
        assert len(shapes) >= 15, (path.name, len(shapes))
