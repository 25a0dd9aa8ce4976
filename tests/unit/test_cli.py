"""Headless commands and the data-folder choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from rehab_app import cli
from rehab_app.app import main

ROOT = Path(__file__).resolve().parents[2]


def test_validate_the_built_in_library(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercises", "validate"]) == 0
    out = capsys.readouterr().out
    count = len(list((ROOT / "exercises").glob("*.toml")))
    assert out.strip() == f"{count} exercise file(s) checked: all valid."


def test_validate_lists_every_problem_and_fails(tmp_path: Path, capsys) -> None:
    source = (ROOT / "exercises" / "glute_bridge.toml").read_text()
    (tmp_path / "glute_bridge.toml").write_text(
        source.replace("\nname =", "\nnmae =").replace(
            'category = "strength"', 'category = "strenght"'
        )
    )
    (tmp_path / "empty.toml").write_text("")
    assert main(["exercises", "validate", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert (
        "glute_bridge.toml: category: 'strenght' is not allowed (did you mean 'strength'?)" in lines
    )
    assert "glute_bridge.toml: nmae: unknown key (did you mean 'name'?)" in lines
    assert "glute_bridge.toml: name: is required but missing" in lines
    assert any(line.startswith("empty.toml: format_version: is required") for line in lines)
    assert "in 2 of 2 file(s)" in captured.err


def test_a_custom_exercise_may_link_to_built_in_ones(tmp_path: Path, capsys) -> None:
    source = (ROOT / "exercises" / "glute_bridge.toml").read_text()
    custom = source.replace('id = "glute_bridge"', 'id = "my_bridge"').replace(
        'illustration = "glute_bridge.svg"', 'illustration = "my_bridge.png"'
    )
    (tmp_path / "my_bridge.toml").write_text(custom)
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "my_bridge.png").write_bytes(b"png")
    assert main(["exercises", "validate", str(tmp_path / "my_bridge.toml")]) == 0
    assert "1 exercise file(s) checked: all valid." in capsys.readouterr().out


def test_validate_names_a_missing_path(tmp_path: Path, capsys) -> None:
    assert main(["exercises", "validate", str(tmp_path / "nope.toml")]) == 1
    assert f"{tmp_path / 'nope.toml'}: no such file or folder" in capsys.readouterr().err


def test_data_folder_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cli.DATA_DIR_VARIABLE, str(tmp_path / "from-env"))
    assert cli.resolve_data_dir(str(tmp_path / "explicit")) == tmp_path / "explicit"
    assert cli.resolve_data_dir(None) == tmp_path / "from-env"
    monkeypatch.delenv(cli.DATA_DIR_VARIABLE)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert cli.resolve_data_dir(None) == tmp_path / "xdg" / "rehab_app"


def test_demo_data_fills_a_new_folder_and_refuses_an_existing_one(tmp_path: Path, capsys) -> None:
    from rehab_app.core.timestamps import SystemClock
    from rehab_app.services.bundle import build_services
    from rehab_app.services.catalog import CatalogService
    from rehab_app.services.maintenance import open_data_folder

    data_dir = tmp_path / "demo"
    assert main(["demo-data", "--days", "60", "--data-dir", str(data_dir)]) == 0
    assert "60 days:" in capsys.readouterr().out
    opened = open_data_folder(data_dir, SystemClock("UTC"))
    services = build_services(opened.engine, CatalogService().load(), SystemClock("UTC"))
    days = services.diary.daily_pain()
    assert 50 <= len(days) <= 60  # some days were "forgotten", as in life
    first_week = [d.leg for d in days[:7]]
    last_week = [d.leg for d in days[-7:]]
    assert sum(first_week) / 7 > sum(last_week) / 7  # the story is one of recovery
    assert services.plans.current() is not None
    assert services.questionnaires.history("rmdq")
    opened.engine.dispose()
    assert main(["demo-data", "--days", "10", "--data-dir", str(data_dir)]) == 1
    assert "already holds data" in capsys.readouterr().err
