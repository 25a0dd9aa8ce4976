"""Pack source folders, therapist side: read, write, start, add own exercises, the signing key."""

from __future__ import annotations

import re
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from rehab_app import __version__
from rehab_app.core.exercise import Exercise
from rehab_app.formats.pack.errors import PackError
from rehab_app.formats.pack.reader import read_pack, staging_folder
from rehab_app.services import pack_authoring
from rehab_app.services.catalog import Library
from rehab_app.services.pack_authoring import PackSource

TODAY = date(2026, 3, 29)
EXAMPLES = {folder.name: folder for folder, _title in pack_authoring.examples()}


def read_back(path: Path, library: Library):  # type: ignore[no-untyped-def]
    """The pack as `rehab-app pack validate` reads it."""
    with staging_folder() as staging:
        return read_pack(path, staging, library.built_in(), TODAY, __version__)


def with_own_item(plan, library: Library, exercise_id: str = "towel_hamstring_slide"):  # type: ignore[no-untyped-def]
    """`plan` with the exercise added to its first phase at its usual dose."""
    exercise = library.by_id(exercise_id)
    assert exercise is not None
    phase = plan.phases[0]
    dose = exercise.dosage
    item = phase.items[0].model_copy(
        update={
            "exercise_id": exercise_id,
            "sets": dose.sets.default,
            "reps": dose.reps.default,
            "hold_s": dose.hold_s.default,
            "rest_s": dose.rest_s.default,
        }
    )
    phases = [phase.model_copy(update={"items": [*phase.items, item]}), *plan.phases[1:]]
    return plan.model_copy(update={"phases": phases})


def own_exercise(library: Library, exercise_id: str = "towel_hamstring_slide") -> Exercise:
    """A therapist's exercise, made from a built-in one under a new id."""
    base = library.by_id("glute_bridge")
    assert base is not None
    return base.model_copy(
        update={
            "id": exercise_id,
            "name": "Towel hamstring slide",
            "progression_to": [],
            "regression_to": [],
            "illustration": "placeholder.png",
        }
    )


def test_both_examples_ship() -> None:
    assert set(EXAMPLES) == {"early_sciatica", "strengthening"}


@pytest.mark.parametrize("name", ["early_sciatica", "strengthening"])
def test_an_example_survives_load_save_build_read(
    name: str, tmp_path: Path, shipped_library: Library
) -> None:
    source = pack_authoring.load_source(EXAMPLES[name], shipped_library, TODAY)
    copy = tmp_path / name
    pack_authoring.save_source(copy, source)
    again = pack_authoring.load_source(copy, shipped_library, TODAY)
    assert again == replace(
        source, pictures={k: copy / "media" / v.name for k, v in source.pictures.items()}
    )
    for exercise_id, picture in source.pictures.items():
        assert again.pictures[exercise_id].read_bytes() == picture.read_bytes()

    output = tmp_path / f"{name}.rehabpack"
    built = pack_authoring.build(copy, output, shipped_library, tmp_path / "data")
    contents = read_back(output, shipped_library)
    assert built.contents.signer is not None
    assert contents.plan.model_copy(update={"start": TODAY}) == source.plan
    assert contents.manifest.message == source.message
    assert contents.manifest.thresholds == source.thresholds
    assert [e.id for e in contents.exercises] == [e.id for e in source.exercises]
    # the reader renames pictures by their hash; everything else is the same exercise
    assert [e.model_copy(update={"illustration": "x.png"}) for e in contents.exercises] == [
        e.model_copy(update={"illustration": "x.png"}) for e in source.exercises
    ]


def test_a_save_that_changes_nothing_keeps_the_hand_written_files(
    tmp_path: Path, shipped_library: Library
) -> None:
    folder = pack_authoring.new_source_from_example(EXAMPLES["early_sciatica"], tmp_path / "p")
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    source = pack_authoring.load_source(folder, shipped_library, TODAY)
    pack_authoring.save_source(folder, source)
    assert {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()} == before
    assert b"# Weeks 1-2" in (folder / "plan.toml").read_bytes()  # the comments are still there

    changed = replace(source, message="Walk a little every day.")
    pack_authoring.save_source(folder, changed)
    assert (folder / "plan.toml").read_bytes() == before[folder / "plan.toml"]
    assert pack_authoring.load_source(folder, shipped_library).message == (
        "Walk a little every day."
    )


def test_a_changed_dose_is_written_and_checked_on_build(
    tmp_path: Path, shipped_library: Library
) -> None:
    folder = pack_authoring.new_source_from_example(EXAMPLES["early_sciatica"], tmp_path / "p")
    source = pack_authoring.load_source(folder, shipped_library, TODAY)
    phase = source.plan.phases[0]
    items = [phase.items[0].model_copy(update={"reps": 40}), *phase.items[1:]]
    plan = source.plan.model_copy(
        update={"phases": [phase.model_copy(update={"items": items}), *source.plan.phases[1:]]}
    )
    pack_authoring.save_source(folder, replace(source, plan=plan))
    # a dose outside the exercise's range still opens (the editor shows it) ...
    assert pack_authoring.load_source(folder, shipped_library).plan.phases[0].items[0].reps == 40
    # ... but is never built into a pack
    with pytest.raises(PackError) as caught:
        pack_authoring.build(folder, tmp_path / "x.rehabpack", shipped_library, None)
    assert any(
        p.source == "plan.toml" and "Repetitions" in p.message and "40" in p.message
        for p in caught.value.problems
    )


def test_every_problem_in_a_folder_is_named(tmp_path: Path, shipped_library: Library) -> None:
    folder = pack_authoring.new_source_from_example(EXAMPLES["early_sciatica"], tmp_path / "p")
    manifest = (folder / "manifest.toml").read_text()
    (folder / "manifest.toml").write_text(
        manifest.replace('pack_id = "early-sciatica"', 'pack_id = "Early Sciatica"')
    )
    plan = (folder / "plan.toml").read_text()
    (folder / "plan.toml").write_text(plan.replace('"pelvic_tilt"', '"pelvic_tlit"', 1))
    (folder / "notes.txt").write_text("not part of a pack")
    with pytest.raises(PackError) as caught:
        pack_authoring.load_source(folder, shipped_library)
    assert [str(p) for p in caught.value.problems] == [
        "notes.txt: not part of the pack layout (manifest.toml, plan.toml, exercises/<id>.toml,"
        " media/<name>.png|.jpg, signature)"
    ]
    (folder / "notes.txt").unlink()
    with pytest.raises(PackError) as caught:
        pack_authoring.load_source(folder, shipped_library)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "manifest.toml: pack_id:" in text
    assert (
        "plan.toml: phases item 1.items item 2.exercise_id: unknown exercise id 'pelvic_tlit'"
        " (did you mean 'pelvic_tilt'?)" in text
    )


def test_a_new_pack_from_the_library_starts_empty_or_from_a_plan(
    tmp_path: Path, shipped_library: Library
) -> None:
    blank = pack_authoring.new_source_from_plan(
        None, tmp_path / "Blank Pack", "Alex Morgan", shipped_library, today=TODAY
    )
    assert (blank.pack_id, blank.version, blank.author) == ("blank-pack", 1, "Alex Morgan")
    assert [len(phase.items) for phase in blank.plan.phases] == [0]

    library = shipped_library.copy()  # a patient's library, with an exercise from a pack
    picture = tmp_path / "stored.png"
    Image.new("RGB", (40, 30), "white").save(picture)
    library.add_custom([own_exercise(library)], {"towel_hamstring_slide": picture})
    current = pack_authoring.load_source(EXAMPLES["early_sciatica"], library, TODAY).plan
    plan = with_own_item(current, library)
    source = pack_authoring.new_source_from_plan(
        plan, tmp_path / "from-plan", "Alex", library, today=TODAY
    )
    assert [e.id for e in source.exercises] == ["towel_hamstring_slide"]
    assert (tmp_path / "from-plan" / "media" / "towel_hamstring_slide.png").is_file()
    built = pack_authoring.build(tmp_path / "from-plan", tmp_path / "x.rehabpack", library, None)
    assert built.contents.signer is None


def test_a_new_pack_is_never_made_over_other_files(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "thesis.docx").write_text("keep me")
    with pytest.raises(PackError, match="is not an empty folder"):
        pack_authoring.new_source_from_example(EXAMPLES["strengthening"], tmp_path / "busy")
    assert (tmp_path / "busy" / "thesis.docx").read_text() == "keep me"


def test_a_big_photo_becomes_a_scaled_png_in_the_pack(
    tmp_path: Path, shipped_library: Library
) -> None:
    folder = pack_authoring.new_source_from_example(EXAMPLES["early_sciatica"], tmp_path / "p")
    photo = tmp_path / "IMG_0042.JPG"
    Image.radial_gradient("L").resize((5000, 3000)).convert("RGB").save(photo, quality=85)

    stored = pack_authoring.add_custom_exercise(folder, own_exercise(shipped_library), photo)
    assert stored.illustration == "towel_hamstring_slide.png"
    with Image.open(folder / "media" / "towel_hamstring_slide.png") as png:
        assert png.format == "PNG"
        assert png.size == (2048, 1229)  # fits 2048 x 2048, keeps its shape
    source = pack_authoring.load_source(folder, shipped_library, TODAY)
    assert [e.id for e in source.exercises] == ["towel_hamstring_slide"]
    assert source.pictures["towel_hamstring_slide"] == folder / "media" / stored.illustration

    library = pack_authoring.authoring_library(shipped_library, source)
    plan = with_own_item(source.plan, library)
    pack_authoring.save_source(folder, replace(source, plan=plan))
    contents = read_back(
        pack_authoring.build(folder, tmp_path / "x.rehabpack", shipped_library, None).path,
        shipped_library,
    )
    assert "towel_hamstring_slide" in {i.exercise_id for i in contents.plan.phases[0].items}
    assert contents.pictures[0].width == 2048


def test_an_unusable_photo_is_refused_in_words(tmp_path: Path, shipped_library: Library) -> None:
    folder = pack_authoring.new_source_from_example(EXAMPLES["early_sciatica"], tmp_path / "p")
    fake = tmp_path / "photo.jpg"
    fake.write_text("not a picture")
    with pytest.raises(ValueError, match=r"photo\.jpg is not a picture that can be opened"):
        pack_authoring.add_custom_exercise(folder, own_exercise(shipped_library), fake)
    assert not (folder / "exercises").exists()


def test_an_exercise_removed_from_the_source_leaves_the_folder(
    tmp_path: Path, shipped_library: Library
) -> None:
    folder = pack_authoring.new_source_from_example(EXAMPLES["strengthening"], tmp_path / "p")
    source = pack_authoring.load_source(folder, shipped_library)
    plan = source.plan.model_copy(
        update={
            "phases": [
                phase.model_copy(
                    update={"items": [i for i in phase.items if i.exercise_id != "sit_to_stand"]}
                )
                for phase in source.plan.phases
            ]
        }
    )
    pack_authoring.save_source(folder, replace(source, plan=plan, exercises=(), pictures={}))
    assert not (folder / "exercises" / "sit_to_stand.toml").exists()
    assert not (folder / "media" / "sit_to_stand.png").exists()
    assert pack_authoring.load_source(folder, shipped_library).exercises == ()


def test_the_signing_key_is_private_and_read_out_in_five_groups(
    tmp_path: Path, shipped_library: Library
) -> None:
    data = tmp_path / "data"
    assert pack_authoring.key_fingerprint(data) is None  # made on the first export only
    pack_authoring.build(
        EXAMPLES["early_sciatica"], tmp_path / "a.rehabpack", shipped_library, data
    )
    key = pack_authoring.key_path(data)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    code = pack_authoring.key_fingerprint(data)
    assert code is not None and re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){4}", code)
    contents = read_back(tmp_path / "a.rehabpack", shipped_library)
    assert contents.signer is not None and contents.signer.fingerprint == code
    pack_authoring.build(EXAMPLES["strengthening"], tmp_path / "b.rehabpack", shipped_library, data)
    assert pack_authoring.key_fingerprint(data) == code  # the same key every time


def test_names_become_valid_ids() -> None:
    assert pack_authoring.pack_id_from("Early Sciatica (2026)") == "early-sciatica-2026"
    assert pack_authoring.pack_id_from("Å") == "my-pack"
    assert pack_authoring.exercise_id_from("Sit to stand!", set()) == "sit_to_stand"
    assert pack_authoring.exercise_id_from("Sit to stand", {"sit_to_stand"}) == "sit_to_stand_2"
    assert pack_authoring.exercise_id_from("90/90 hip", set()) == "own_90_90_hip"


def test_pack_source_synced_carries_the_manifest_into_the_plan(shipped_library: Library) -> None:
    source = pack_authoring.load_source(EXAMPLES["early_sciatica"], shipped_library, TODAY)
    changed: PackSource = replace(source, message="Hello", plan_title=None, title="New title")
    plan = changed.synced().plan
    assert (plan.message, plan.title) == ("Hello", "New title")
