"""The three ways to start the app agree, and an installed wheel finds its exercises and
resources without the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
    )


@pytest.mark.slow
def test_main_py_module_and_script_start_the_same_app(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("rehab-app")
    commands = [
        [sys.executable, str(ROOT / "main.py")],
        [sys.executable, "-m", "rehab_app"],
        [str(script)],
    ]
    outputs = set()
    for command in commands:
        result = _run([*command, "exercises", "validate"], cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


@pytest.mark.slow
def test_the_wheel_carries_exercises_and_resources(tmp_path: Path) -> None:
    build = _run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
        cwd=ROOT,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("rehab_app-*.whl")
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(installed)
    # The built-in exercises and the example pack sources (exercises/packs/...) both ship.
    exercises = ROOT / "exercises"
    shipped = sorted(p.relative_to(exercises).as_posix() for p in exercises.rglob("*.toml"))
    assert any(name.startswith("packs/") for name in shipped)
    prefix = "rehab_app/_bundled/exercises/"
    assert (
        sorted(
            n.removeprefix(prefix) for n in names if n.startswith(prefix) and n.endswith(".toml")
        )
        == shipped
    )
    assert any(n.startswith("rehab_app/_bundled/resources/illustrations/") for n in names)
    assert "rehab_app/storage/migrations/versions/0001_initial.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "rehab-app = rehab_app.app:main" in (installed / entry_points).read_text()

    # Run from an unrelated folder with only the unpacked wheel on the path.
    probe = _run(
        [
            sys.executable,
            "-c",
            "from rehab_app.formats import bundled; import rehab_app; "
            "print(rehab_app.__file__); print(bundled.exercises_dir());"
            " print(bundled.illustrations_dir())",
        ],
        cwd=tmp_path,
        PYTHONPATH=str(installed),
    )
    assert probe.returncode == 0, probe.stderr
    package, exercises, illustrations = probe.stdout.splitlines()
    assert package.startswith(str(installed))
    assert exercises == str(installed / "rehab_app" / "_bundled" / "exercises")
    assert Path(illustrations).is_dir()
    validate = _run(
        [sys.executable, "-m", "rehab_app", "exercises", "validate"],
        cwd=tmp_path,
        PYTHONPATH=str(installed),
    )
    assert validate.returncode == 0, validate.stdout + validate.stderr
    built_in = [name for name in shipped if "/" not in name]
    assert f"{len(built_in)} exercise file(s) checked: all valid." in validate.stdout
