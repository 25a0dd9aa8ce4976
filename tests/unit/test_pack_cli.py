"""`rehab-app pack build|validate|inspect|import|key` without a display."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from rehab_app.app import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "exercises" / "packs"


def test_build_inspect_validate_import_the_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    therapist = tmp_path / "therapist"
    patient = tmp_path / "patient"
    pack = tmp_path / "early.rehabpack"
    assert main(["pack", "build", str(EXAMPLES / "early_sciatica"), "-o", str(pack),
                 "--data-dir", str(therapist)]) == 0  # fmt: skip
    built = capsys.readouterr().out
    assert "signed by key" in built
    key = therapist / "signing_key.pem"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600

    assert main(["pack", "key", "--data-dir", str(therapist)]) == 0
    fingerprint = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    assert len(fingerprint) == 24 and fingerprint.count("-") == 4
    assert fingerprint in built

    assert main(["pack", "inspect", str(pack)]) == 0
    shown = capsys.readouterr().out
    assert f"Signed by:  key {fingerprint}" in shown
    assert "sciatic_nerve_slider_supine" in shown and "manifest.toml" in shown

    assert main(["pack", "validate", str(pack)]) == 0
    assert "valid" in capsys.readouterr().out

    assert main(["pack", "import", str(pack), "--data-dir", str(patient)]) == 1
    assert "Nothing was imported" in capsys.readouterr().err
    assert main(["pack", "import", str(pack), "--data-dir", str(patient), "--yes"]) == 0
    assert "Imported. Your plan is now 'Early sciatica'" in capsys.readouterr().out

    # The same version again needs the warning accepted explicitly.
    assert main(["pack", "import", str(pack), "--data-dir", str(patient), "--yes"]) == 1
    assert "already" in capsys.readouterr().err
    assert main(["pack", "import", str(pack), "--data-dir", str(patient), "--yes",
                 "--accept-warnings"]) == 0  # fmt: skip


def test_every_problem_is_named_by_member_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "broken"
    (source / "exercises").mkdir(parents=True)
    manifest = (EXAMPLES / "early_sciatica" / "manifest.toml").read_text()
    (source / "manifest.toml").write_text(manifest.replace("green_max = 3", "green_max = 11"))
    plan = (EXAMPLES / "early_sciatica" / "plan.toml").read_text()
    (source / "plan.toml").write_text(plan.replace("pelvic_tilt", "pelvic_tlit", 1))
    (source / "notes.txt").write_text("not part of a pack")
    assert main(["pack", "build", str(source), "-o", str(tmp_path / "x.rehabpack"),
                 "--unsigned"]) == 1  # fmt: skip
    assert "notes.txt: not part of the pack layout" in capsys.readouterr().err

    (source / "notes.txt").unlink()
    assert main(["pack", "build", str(source), "-o", str(tmp_path / "x.rehabpack"),
                 "--unsigned"]) == 1  # fmt: skip
    errors = capsys.readouterr().err.splitlines()
    assert any(line.startswith("manifest.toml: thresholds.green_max:") for line in errors)
    assert any(
        line.startswith("plan.toml: phases item 1.items item ")
        and "unknown exercise id 'pelvic_tlit' (did you mean 'pelvic_tilt'?)" in line
        for line in errors
    )
    assert not (tmp_path / "x.rehabpack").exists()  # nothing half-written


def test_unsigned_packs_do_not_validate_without_saying_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "u.rehabpack"
    assert main(["pack", "build", str(EXAMPLES / "strengthening"), "-o", str(pack),
                 "--unsigned"]) == 0  # fmt: skip
    with zipfile.ZipFile(pack) as archive:
        assert "signature" not in archive.namelist()
    capsys.readouterr()
    assert main(["pack", "validate", str(pack)]) == 1
    assert "signature: missing" in capsys.readouterr().err
    assert main(["pack", "validate", str(pack), "--allow-unsigned"]) == 0
