"""Prepare a pack, driven as a therapist would: start from an example, edit, save, export, print."""

from __future__ import annotations

import re
import stat
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument

from rehab_app import __version__
from rehab_app.formats.pack.reader import read_pack, staging_folder
from rehab_app.reports.handout import write_plan_handout
from rehab_app.services import pack_authoring
from rehab_app.ui.bus import Bus
from rehab_app.ui.views import pack_editor
from rehab_app.ui.views.pack_editor import PackEditor

MESSAGE = "Walk a little every day, and keep the glides slow."


class Choosers:
    """Stands in for the file dialogs: answers what the test says, and records the questions."""

    def __init__(self, tmp_path: Path) -> None:
        self.folder: Path | None = tmp_path / "early-sciatica-pack"
        self.files: dict[str, Path] = {
            "Export the pack": tmp_path / "out" / "for-sam",  # the suffix is added
            "Save the handout": tmp_path / "out" / "handout.pdf",
        }
        self.photo: Path | None = None
        self.asked: list[str] = []

    def choose_folder(self, _parent, title: str) -> Path | None:  # type: ignore[no-untyped-def]
        self.asked.append(title)
        return self.folder

    def choose_save_file(self, _parent, title, suggested, _kinds):  # type: ignore[no-untyped-def]
        self.asked.append(f"{title} ({suggested.name})")
        self.files[title].parent.mkdir(exist_ok=True)
        return self.files[title]

    def choose_photo(self, _parent):  # type: ignore[no-untyped-def]
        return self.photo


@pytest.fixture
def choosers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Choosers:
    found = Choosers(tmp_path)
    monkeypatch.setattr(pack_editor, "choose_folder", found.choose_folder)
    monkeypatch.setattr(pack_editor, "choose_save_file", found.choose_save_file)
    monkeypatch.setattr(pack_editor, "choose_photo", found.choose_photo)
    return found


@pytest.fixture
def bus() -> Bus:
    return Bus()


@pytest.fixture
def editor(qtbot, app_services, choosers, bus):  # type: ignore[no-untyped-def]
    widget = PackEditor()
    qtbot.addWidget(widget)
    widget.attach(app_services, bus, write_plan_handout)
    widget.resize(1100, 800)
    widget.show()
    return widget


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    """Click like a person: only what is on the screen and enabled can be clicked."""
    qtbot.waitUntil(button.isVisible)
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def read_back(path: Path, app_services):  # type: ignore[no-untyped-def]
    """What `rehab-app pack validate` checks: the whole pack, with the patient's reader."""
    with staging_folder() as staging:
        return read_pack(path, staging, app_services.library.built_in(), date.today(), __version__)


def start_from_example(qtbot, editor: PackEditor, name: str) -> None:  # type: ignore[no-untyped-def]
    index = editor.start_choice.findData(f"example:{name}")
    assert index >= 0
    editor.start_choice.setCurrentIndex(index)
    click(qtbot, editor.new_button)


def test_a_therapist_edits_an_example_and_exports_a_signed_pack(
    qtbot, editor: PackEditor, choosers: Choosers, app_services, data_dir: Path
) -> None:
    assert not editor.pack_area.isVisibleTo(editor)  # nothing to edit before a pack is open
    assert "made on your first export" in editor.fingerprint_label.text()
    start_from_example(qtbot, editor, "early_sciatica")
    folder = choosers.folder
    assert folder is not None and (folder / "manifest.toml").is_file()
    assert editor.title_edit.text() == "Early sciatica: nerve glides and gentle movement"
    assert editor.pack_area.isVisible()
    assert not editor.save_button.isEnabled()  # nothing changed yet

    editor.message_edit.setFocus()
    editor.message_edit.selectAll()
    qtbot.keyClicks(editor.message_edit, MESSAGE)
    assert editor.message_count.text() == f"{len(MESSAGE)} of 500 characters"
    plans = editor.plan_editor
    plans.select_item(0)  # the nerve slider lying down, 1 x 10
    type_into(qtbot, plans.reps, "12")
    assert plans.problems.text() == ""
    assert editor.status.text() == "You have unsaved changes."
    click(qtbot, editor.save_button)
    assert editor.status.text().startswith("Saved at")
    assert not editor.save_button.isEnabled()
    saved = pack_authoring.load_source(folder, app_services.library)
    assert saved.message == MESSAGE
    assert saved.plan.phases[0].items[0].reps == 12

    with qtbot.waitSignal(editor.exported, timeout=20_000):
        click(qtbot, editor.export_button)
    output = choosers.files["Export the pack"].with_suffix(".rehabpack")
    assert "Export the pack (early-sciatica-v1.rehabpack)" in choosers.asked
    assert output.is_file()
    contents = read_back(output, app_services)
    assert contents.manifest.message == MESSAGE
    assert contents.plan.phases[0].items[0].reps == 12
    key = data_dir / "signing_key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    code = pack_authoring.key_fingerprint(data_dir)
    assert code is not None and re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){4}", code)
    assert contents.signer is not None and contents.signer.fingerprint == code
    assert editor.fingerprint_label.text() == (
        f"Your signing key: {code} — read this out to your patient so they can check it."
    )
    assert code in editor.status.text()

    # Exported once: the next changed pack should be version 2, one click away.
    assert "You exported version 1 already" in editor.version_hint.text()
    click(qtbot, editor.next_version_button)
    assert editor.version_spin.value() == 2
    assert editor.next_version_button.isHidden()


def test_a_dose_outside_the_range_is_shown_and_stops_the_export(
    qtbot, editor: PackEditor, choosers: Choosers
) -> None:
    start_from_example(qtbot, editor, "early_sciatica")
    plans = editor.plan_editor
    plans.select_item(0)
    type_into(qtbot, plans.reps, "40")
    assert "between 5 and 15; 40 is outside that range" in plans.problems.text()
    assert plans.problems.text().startswith("Fix these before you export the pack:")
    type_into(qtbot, plans.times, "10 o'clock")
    click(qtbot, editor.save_button)  # what was typed would be lost: not saved
    assert editor.status.text() == "Not saved yet. Please fix:"
    assert "'10 o'clock' is not a time like 08:00" in editor.problems.toPlainText()
    type_into(qtbot, plans.times, "10:30")
    click(qtbot, editor.save_button)  # work in progress may be kept in the folder
    assert editor.status.text().startswith("Saved at")
    with qtbot.waitSignal(editor.failed, timeout=20_000):
        click(qtbot, editor.export_button)
    assert editor.status.text() == "The pack was not exported. Please fix these in the pack:"
    assert not editor.problems.isHidden()
    assert editor.problems.toPlainText().startswith(
        "plan.toml: phases item 1.items item 1: Repetitions for "
    )
    assert not choosers.files["Export the pack"].with_suffix(".rehabpack").exists()


def test_manifest_mistakes_are_named_before_saving(
    qtbot, editor: PackEditor, choosers: Choosers, app_services
) -> None:
    start_from_example(qtbot, editor, "strengthening")
    type_into(qtbot, editor.pack_id_edit, "Back Strength!")
    assert "Pack id: use 3 to 64 small letters" in editor.manifest_problems.text()
    click(qtbot, editor.save_button)
    assert editor.status.text() == "Not saved yet. Please fix:"
    assert choosers.folder is not None
    assert pack_authoring.load_source(choosers.folder, app_services.library).pack_id == (
        "strengthening"
    )
    type_into(qtbot, editor.pack_id_edit, "back-strength")
    assert editor.manifest_problems.isHidden()
    editor.amber_spin.setValue(2)  # below "fine up to" 3
    assert "must not be above" in editor.manifest_problems.text()
    editor.amber_spin.setValue(6)
    assert "Pain of 4 to 6 out of 10: ease off." in editor.pain_rule.text()
    click(qtbot, editor.save_button)
    saved = pack_authoring.load_source(choosers.folder, app_services.library)
    assert (saved.pack_id, saved.thresholds.amber_max) == ("back-strength", 6)


def test_an_own_exercise_with_a_photo_goes_into_the_pack(
    qtbot, editor: PackEditor, choosers: Choosers, tmp_path: Path, app_services
) -> None:
    start_from_example(qtbot, editor, "early_sciatica")
    form = editor.custom_form
    click(qtbot, form.add_button)
    assert "Please fix:" in form.feedback.text()  # an empty form names what is missing
    qtbot.keyClicks(form.name, "Towel heel slides")
    form.summary.setFocus()
    qtbot.keyClicks(form.summary, "Gently bends and straightens the knee while lying down.")
    form.steps.setFocus()
    qtbot.keyClicks(form.steps, "Lie on your back with a towel under one heel.")
    qtbot.keyClick(form.steps, Qt.Key.Key_Return)
    qtbot.keyClicks(form.steps, "Slide the heel towards you, then away again.")
    click(qtbot, form.add_button)
    assert form.feedback.text() == "Please choose a photo or drawing of the exercise first."

    photo = tmp_path / "IMG_1234.JPG"
    Image.radial_gradient("L").resize((4000, 3000)).convert("RGB").save(photo)
    choosers.photo = photo
    click(qtbot, form.photo_button)
    assert form.photo_name.text() == "IMG_1234.JPG"
    with qtbot.waitSignal(editor.exercise_stored, timeout=20_000):
        click(qtbot, form.add_button)
    assert choosers.folder is not None
    picture = choosers.folder / "media" / "towel_heel_slides.png"
    with Image.open(picture) as png:
        assert png.format == "PNG" and max(png.size) == 2048
    assert editor.custom_list.currentItem().text() == "Towel heel slides"
    assert editor.status.text() == "Added Towel heel slides to the pack folder."

    plans = editor.plan_editor
    plans.exercise_choice.setCurrentIndex(plans.exercise_choice.findData("towel_heel_slides"))
    click(qtbot, plans.add_button)
    assert "Towel heel slides" in plans.items.currentItem().text()
    with qtbot.waitSignal(editor.exported, timeout=20_000):
        click(qtbot, editor.export_button)  # saves first, then exports
    contents = read_back(choosers.files["Export the pack"].with_suffix(".rehabpack"), app_services)
    assert [e.name for e in contents.exercises] == ["Towel heel slides"]
    assert contents.exercises[0].steps == [
        "Lie on your back with a towel under one heel.",
        "Slide the heel towards you, then away again.",
    ]
    assert "towel_heel_slides" in {item.exercise_id for item in contents.plan.phases[0].items}

    # It cannot leave the pack while the plan still uses it.
    click(qtbot, editor.remove_custom_button)
    assert "is still in the plan" in form.feedback.text()


def test_a_handout_is_printed_to_pdf(
    qtbot, editor: PackEditor, choosers: Choosers, tmp_path: Path
) -> None:
    start_from_example(qtbot, editor, "strengthening")
    editor.page_size.setCurrentIndex(editor.page_size.findData("letter"))
    with qtbot.waitSignal(editor.handout_written, timeout=60_000) as written:
        click(qtbot, editor.print_button)
    path, pages = written.args[0]
    assert path == choosers.files["Save the handout"] and path.is_file()
    assert pages >= 2
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    assert document.pageCount() == pages
    assert document.metaData(QPdfDocument.MetaDataField.Title) == "Back strength"
    document.close()
    assert f"Saved the handout ({pages} pages)" in editor.status.text()


def test_the_preview_shows_the_pack_as_the_patient_will_see_it(
    qtbot, editor: PackEditor, choosers: Choosers
) -> None:
    start_from_example(qtbot, editor, "strengthening")
    with qtbot.waitSignal(editor.preview_opened, timeout=20_000) as opened:
        click(qtbot, editor.preview_button)
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Preview of Back strength: the next step after sciatica"
    assert dialog.import_button.isHidden()  # a preview imports nothing
    preview = dialog.preview
    staging = preview._staging
    assert staging is not None and staging.exists()
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: editor.preview_dialog is None)
    assert not staging.exists()  # the staged copy is gone with the dialog


def test_a_new_pack_from_the_library_and_a_broken_folder(
    qtbot, editor: PackEditor, choosers: Choosers, tmp_path: Path
) -> None:
    editor.start_choice.setCurrentIndex(editor.start_choice.findData("blank"))
    choosers.folder = tmp_path  # not empty (the data folder is in it): a new folder inside
    click(qtbot, editor.new_button)
    assert (tmp_path / "my-pack" / "manifest.toml").is_file()
    assert editor.title_edit.text() == "My exercise pack"
    assert editor.plan_editor.items.count() == 0
    assert "This is a new pack" in editor.version_hint.text()

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "plan.toml").write_text("[[phases]]\n")
    choosers.folder = broken
    click(qtbot, editor.open_button)
    assert editor.status.text() == f"“{broken}” cannot be opened as a pack folder:"
    assert "manifest.toml: is missing from the pack folder" in editor.problems.toPlainText()
    assert editor.folder == tmp_path / "my-pack"  # the open pack stays open


def test_a_pack_can_start_from_the_plan_in_this_app(
    qtbot, editor: PackEditor, choosers: Choosers, app_services, bus: Bus, tmp_path: Path
) -> None:
    assert editor.start_choice.findData("current") == -1  # no plan yet
    plan, changes = app_services.plans.save(
        app_services.plans.starter_plan(app_services.sessions.today()), "starter"
    )
    bus.changed.emit(changes)
    editor.start_choice.setCurrentIndex(editor.start_choice.findData("current"))
    choosers.folder = tmp_path / "for-sam"
    click(qtbot, editor.new_button)
    assert editor.title_edit.text() == plan.plan.title
    assert editor.source is not None
    assert editor.source.plan.phases == plan.plan.phases
    assert editor.plan_editor.phase_combo.count() == len(plan.plan.phases)
