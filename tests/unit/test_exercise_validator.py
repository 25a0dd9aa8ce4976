"""The exercise validator: one broken file per rule, every problem reported with its location."""

from __future__ import annotations

from pathlib import Path

import pytest

from rehab_app.formats.exercise_toml import load_exercises, parse_exercise

VALID = (
    Path(__file__).resolve().parents[2] / "exercises" / "sciatic_nerve_slider_supine.toml"
).read_text()
ID = "sciatic_nerve_slider_supine"


def _library_folder(tmp_path: Path, files: dict[str, str | bytes]) -> tuple[Path, Path]:
    folder = tmp_path / "exercises"
    pictures = tmp_path / "pictures"
    folder.mkdir()
    pictures.mkdir()
    for name, content in files.items():
        target = folder / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        (pictures / f"{Path(name).stem}.svg").write_text("<svg/>")
    return folder, pictures


KNOWN = frozenset(
    {"sciatic_nerve_slider_seated", "sciatic_nerve_tensioner_supine", "walking_programme"}
)


def _problems_for(tmp_path: Path, text: str | bytes, name: str = f"{ID}.toml") -> list[str]:
    folder, pictures = _library_folder(tmp_path, {name: text})
    result = load_exercises([folder], [pictures], KNOWN)
    if result.problems:
        assert result.skipped == (folder / name,)
        assert result.exercises == ()
    return [str(problem) for problem in result.problems]


def test_the_valid_file_has_no_problems(tmp_path: Path) -> None:
    assert _problems_for(tmp_path, VALID) == []


@pytest.mark.parametrize(
    ("rule", "change", "expected"),
    [
        (
            "syntax",
            lambda t: t.replace('name = "Sciatic', "name = Sciatic"),
            f"{ID}.toml: not valid TOML",
        ),
        (
            "misspelt key",
            lambda t: t.replace("\nsummary =", "\nsumary ="),
            f"{ID}.toml: sumary: unknown key (did you mean 'summary'?)",
        ),
        (
            "misspelt nested key",
            lambda t: t.replace("\nrest_s =", "\nrest_seconds ="),
            f"{ID}.toml: dosage.rest_seconds: unknown key (did you mean 'rest_s'?)",
        ),
        (
            "missing key",
            lambda t: t.replace('category = "neural_mobilisation"\n', ""),
            f"{ID}.toml: category: is required but missing",
        ),
        (
            "misspelt value",
            lambda t: t.replace('"neural_mobilisation"', '"neural_mobilization"'),
            f"{ID}.toml: category: 'neural_mobilization' is not allowed"
            " (did you mean 'neural_mobilisation'?)",
        ),
        (
            "value in a list",
            lambda t: t.replace('positions = ["supine"]', 'positions = ["on the floor"]'),
            f"{ID}.toml: positions item 1: 'on the floor' is not allowed; choose one of:",
        ),
        (
            "default outside its range",
            lambda t: t.replace("reps = { default = 10,", "reps = { default = 20,"),
            f"{ID}.toml: dosage.reps: default 20 is outside the range 5-15",
        ),
        (
            "range upside down",
            lambda t: t.replace(
                "sets = { default = 2, min = 1, max = 3 }",
                "sets = { default = 2, min = 3, max = 1 }",
            ),
            f"{ID}.toml: dosage.sets: min (3) is greater than max (1)",
        ),
        (
            "inconsistent dosage",
            lambda t: t.replace("sets = { default = 2, min = 1,", "sets = { default = 2, min = 0,"),
            f"{ID}.toml: dosage: sets: the smallest allowed value must be at least 1",
        ),
        (
            "negative number",
            lambda t: t.replace(
                "rest_s = { default = 30, min = 30,", "rest_s = { default = 30, min = -5,"
            ),
            f"{ID}.toml: dosage.rest_s.min: Input should be greater than or equal to 0",
        ),
        (
            "text too long",
            lambda t: t.replace('summary = "A gentle', f'summary = "{"x" * 700}'),
            f"{ID}.toml: summary: String should have at most 600 characters",
        ),
        (
            "empty steps",
            lambda t: t[: t.index("steps = [")] + "steps = []\n" + t[t.index("cautions = [") :],
            f"{ID}.toml: steps: List should have at least 1 item",
        ),
        (
            "newer format",
            lambda t: t.replace("format_version = 1", "format_version = 2"),
            f"{ID}.toml: format_version: 2 was made by a newer version of rehab_app",
        ),
        (
            "id differs from file name",
            lambda t: t.replace(f'id = "{ID}"', 'id = "nerve_slider"'),
            f"{ID}.toml: id: 'nerve_slider' must match the file name '{ID}'",
        ),
        (
            "bad id",
            lambda t: t.replace(f'id = "{ID}"', 'id = "Nerve Slider"'),
            f"{ID}.toml: id: String should match pattern",
        ),
        (
            "self link",
            lambda t: t.replace(
                'regression_to = ["walking_programme"]', f'regression_to = ["{ID}"]'
            ),
            f"{ID}.toml: an exercise cannot progress or regress to itself",
        ),
        (
            "unknown link",
            lambda t: t.replace('"walking_programme"]', '"walking_program"]'),
            f"{ID}.toml: regression_to: unknown exercise id 'walking_program'"
            " (did you mean 'walking_programme'?)",
        ),
        (
            "missing picture",
            lambda t: t.replace(f'illustration = "{ID}.svg"', 'illustration = "nowhere.svg"'),
            f"{ID}.toml: illustration: 'nowhere.svg' was not found",
        ),
        (
            "picture that is not an image file",
            lambda t: t.replace(f'illustration = "{ID}.svg"', 'illustration = "../../etc/passwd"'),
            f"{ID}.toml: illustration: String should match pattern",
        ),
    ],
)
def test_each_rule_names_file_field_and_reason(
    tmp_path: Path, rule: str, change, expected: str
) -> None:
    broken = change(VALID)
    assert broken != VALID, f"the {rule} case did not change the file"
    problems = _problems_for(tmp_path, broken)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    broken = (
        VALID.replace("\nsummary =", "\nsumary =")
        .replace('"neural_mobilisation"', '"nerve"')
        .replace("reps = { default = 10,", "reps = { default = 99,")
        .replace('"acute", "subacute"', '"early", "subacute"')
    )
    exercise, problems = parse_exercise(broken, "slider.toml")
    assert exercise is None
    fields = sorted(problem.field for problem in problems)
    assert fields == ["category", "dosage.reps", "stages item 1", "sumary", "summary"]
    assert all(problem.source == "slider.toml" for problem in problems)


def test_a_file_too_large_is_refused_before_parsing(tmp_path: Path) -> None:
    padding = "# " + "x" * 1000 + "\n"
    problems = _problems_for(tmp_path, VALID + padding * 300)
    assert problems == [
        f"{ID}.toml: file is {len(VALID) + len(padding) * 300} bytes; the limit is 256 KB"
    ]


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    problems = _problems_for(tmp_path, VALID.encode("utf-8").replace(b"gentle", b"gentl\xe9"))
    assert problems == [f"{ID}.toml: not UTF-8 text"]


def test_duplicate_ids_keep_the_first_file_and_name_it(tmp_path: Path) -> None:
    first, pictures = _library_folder(tmp_path, {f"{ID}.toml": VALID})
    second = tmp_path / "second_folder"
    second.mkdir()
    (second / f"{ID}.toml").write_text(VALID)
    result = load_exercises([first, second], [pictures], KNOWN)
    assert [e.id for e in result.exercises] == [ID]
    assert [str(p) for p in result.problems] == [
        f"{ID}.toml: id: '{ID}' is used by {first / f'{ID}.toml'}"
    ]
    assert result.skipped == (second / f"{ID}.toml",)


def test_a_skipped_file_takes_the_links_to_it_along_and_the_rest_still_loads(
    tmp_path: Path,
) -> None:
    base = VALID.replace(
        'progression_to = ["sciatic_nerve_slider_seated", "sciatic_nerve_tensioner_supine"]',
        "progression_to = []",
    )
    base = base.replace('regression_to = ["walking_programme"]', "regression_to = []")

    def exercise(exercise_id: str, links: str = "[]") -> str:
        text = base.replace(f'id = "{ID}"', f'id = "{exercise_id}"')
        text = text.replace(f"{ID}.svg", f"{exercise_id}.svg")
        return text.replace("progression_to = []", f"progression_to = {links}")

    folder, pictures = _library_folder(
        tmp_path,
        {
            "first.toml": exercise("first", '["second"]'),
            "second.toml": exercise("second").replace(
                "format_version = 1", "format_version = 1\nfoo = 1"
            ),
            "third.toml": exercise("third"),
        },
    )
    result = load_exercises([folder], [pictures])
    assert [e.id for e in result.exercises] == ["third"]
    assert [str(p) for p in result.problems] == [
        "first.toml: progression_to: unknown exercise id 'second'",
        "second.toml: foo: unknown key",
    ]
    assert {p.name for p in result.skipped} == {"first.toml", "second.toml"}
