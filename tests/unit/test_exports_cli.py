"""`rehab-app export csv|fhir|bundle` and `rehab-app import diary` without a display, on demo
data; and the visit bundle read back as the untrusted zip it is for whoever receives it."""

from __future__ import annotations

import csv
import io
import json
import warnings
import zipfile
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from rehab_app.app import main
from rehab_app.cli import COMMANDS
from rehab_app.formats import visit_bundle
from rehab_app.formats.visit_bundle import VisitBundleError, read_bundle


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "data"
    assert main(["demo-data", "--days", "40", "--data-dir", str(folder)]) == 0
    return folder


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_export_and_import_are_commands() -> None:
    assert {"export", "import"} <= COMMANDS


def test_export_csv(demo, tmp_path, capsys) -> None:
    out = tmp_path / "csv"
    assert main(["export", "csv", "--out", str(out), "--data-dir", str(demo)]) == 0
    assert "diary.csv" in capsys.readouterr().out
    names = sorted(path.name for path in out.iterdir())
    assert names == ["diary.csv", "questionnaires.csv", "sessions.csv"]
    assert len(rows(out / "diary.csv")) > 40
    assert {row["kind"] for row in rows(out / "questionnaires.csv")} == {"rmdq", "psfs"}
    assert all(row["exercise_id"] for row in rows(out / "sessions.csv"))
    assert all((out / name).stat().st_mode & 0o777 == 0o600 for name in names)


def test_export_fhir(demo, tmp_path, capsys) -> None:
    out = tmp_path / "patient.json"
    assert main(["export", "fhir", "--out", str(out), "--data-dir", str(demo)]) == 0
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    assert f"{len(bundle.entry)} resources" in capsys.readouterr().out


def test_export_bundle_without_the_report(demo, tmp_path, capsys) -> None:
    out = tmp_path / "visit.zip"
    command = ["export", "bundle", "--out", str(out), "--data-dir", str(demo), "--no-report"]
    assert main(command) == 0
    assert "without the report PDF" in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert names == [
        "manifest.json",
        "diary.csv",
        "sessions.csv",
        "questionnaires.csv",
        "fhir.json",
    ]
    assert manifest["format"] == "rehab-app-visit-bundle" and manifest["format_version"] == 1
    assert manifest["first_day"] < manifest["last_day"]
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    assert out.stat().st_mode & 0o777 == 0o600


def test_export_bundle_with_the_visit_report(demo, tmp_path, capsys) -> None:
    pytest.importorskip("rehab_app.reports.visit_report")
    out = tmp_path / "visit.zip"
    assert main(["export", "bundle", "--out", str(out), "--data-dir", str(demo)]) == 0
    assert "with the report PDF" in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        assert archive.read("report.pdf").startswith(b"%PDF")


def test_import_diary_round_trip_and_a_bad_file(demo, tmp_path, capsys) -> None:
    out = tmp_path / "csv"
    assert main(["export", "csv", "--out", str(out), "--data-dir", str(demo)]) == 0
    count = len(rows(out / "diary.csv"))
    fresh = tmp_path / "fresh"
    capsys.readouterr()

    assert main(["import", "diary", str(out / "diary.csv"), "--data-dir", str(fresh)]) == 0
    assert f"Imported {count} diary entries" in capsys.readouterr().out
    assert main(["import", "diary", str(out / "diary.csv"), "--data-dir", str(fresh)]) == 0
    assert f"Imported 0 diary entries from diary.csv; {count} already" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    text = (out / "diary.csv").read_text(encoding="utf-8-sig").splitlines()
    text[3] = text[3].replace(",waking,", ",dawn,").replace(",evening,", ",dusk,")
    bad.write_text("\n".join([*text, "2026-01-01,oops"]) + "\n", encoding="utf-8")
    other = tmp_path / "other"
    assert main(["import", "diary", str(bad), "--data-dir", str(other)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("bad.csv: line 4: context: ")
    assert err[1].startswith(f"bad.csv: line {len(text) + 1}: has 2 cells")
    assert err[-1] == "2 problem(s); nothing was changed."
    out_again = tmp_path / "after"
    assert main(["export", "csv", "--out", str(out_again), "--data-dir", str(other)]) == 0
    assert rows(out_again / "diary.csv") == []  # nothing was half-imported


def test_a_folder_open_in_the_app_is_refused(demo, tmp_path, capsys) -> None:
    from rehab_app.ui.single_instance import DataFolderLock

    lock = DataFolderLock(demo)
    assert lock.acquire()
    try:
        command = ["export", "csv", "--out", str(tmp_path / "x"), "--data-dir", str(demo)]
        assert main(command) == 1
    finally:
        lock.release()
    assert "is open for" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


# The bundle as the receiver reads it ---------------------------------------------------------


@pytest.fixture(scope="module")
def bundle(demo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "visit.zip"
    assert (
        main(["export", "bundle", "--out", str(out), "--data-dir", str(demo), "--no-report"]) == 0
    )
    return out


def test_a_bundle_reads_back(bundle, tmp_path) -> None:
    read = read_bundle(bundle, tmp_path)
    assert set(read.files) == {"diary.csv", "sessions.csv", "questionnaires.csv", "fhir.json"}
    assert read.files["diary.csv"] == tmp_path / "diary.csv"
    assert read.manifest.last_day is not None


def rewrite(source: Path, target: Path, change) -> Path:
    """Copy the bundle member by member, letting `change(name, data)` alter or add members."""
    with (
        warnings.catch_warnings(),  # a duplicate name is what one case is about
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w") as new,
    ):
        warnings.simplefilter("ignore")
        for info in old.infolist():
            for name, data in change(info.filename, old.read(info)):
                new.writestr(name, data)
    return target


@pytest.mark.parametrize(
    ("change", "member", "reason"),
    [
        (lambda n, d: [(n, d), ("../evil.sh", b"x")] if n == "fhir.json" else [(n, d)], "visit.zip",
         "not part of a visit bundle"),
        (lambda n, d: [(n, d + b" ")] if n == "diary.csv" else [(n, d)], "diary.csv",
         "does not match its SHA-256"),
        (lambda n, d: [] if n == "sessions.csv" else [(n, d)], "sessions.csv",
         "listed in the manifest but missing"),
        (lambda n, d: [(n, d), (n, d)] if n == "fhir.json" else [(n, d)], "fhir.json",
         "appears twice"),
        (lambda n, d: [(n, d.replace(b'"format_version": 1', b'"format_version": 2'))]
         if n == "manifest.json" else [(n, d)], "manifest.json", "newer rehab_app"),
        (lambda n, d: [] if n == "manifest.json" else [(n, d)], "manifest.json", "is missing"),
    ],
)  # fmt: skip
def test_a_bad_bundle_is_refused_with_its_reason(bundle, tmp_path, change, member, reason):
    broken = rewrite(bundle, tmp_path / "visit.zip", change)
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(VisitBundleError) as caught:
        read_bundle(broken, staging)
    assert caught.value.problems[0].source == member
    assert reason in caught.value.problems[0].message
    assert not (tmp_path / "evil.sh").exists()
    assert {p.name for p in staging.iterdir()} <= set(visit_bundle.MEMBERS)


def test_not_a_zip_and_a_zip_bomb(tmp_path) -> None:
    staging = tmp_path / "staging"
    staging.mkdir()
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"%PDF-1.7 not a zip")
    with pytest.raises(VisitBundleError, match="not a readable zip"):
        read_bundle(junk, staging)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("diary.csv", b"\0" * (20 * 2**20))
    with pytest.raises(VisitBundleError, match="expands more than 100 times"):
        read_bundle(bomb, staging)
