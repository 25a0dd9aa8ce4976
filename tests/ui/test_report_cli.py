"""`rehab-app report`: the visit report from the command line.

In tests/ui because writing a PDF needs a QGuiApplication: the command makes one when there is
none, and here it reuses pytest-qt's, as one process may hold only one.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument

from rehab_app.app import main


@pytest.fixture(scope="module")
def patient(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    assert main(["demo-data", "--days", "30", "--data-dir", str(data_dir)]) == 0
    return data_dir


def pdf_text(path: Path) -> tuple[QPdfDocument, str]:
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    text = " ".join(document.getAllText(n).text() for n in range(document.pageCount()))
    return document, " ".join(text.split())


def test_the_report_is_written_and_remembered(
    qapp, tmp_path: Path, patient: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "visit"  # no suffix: ".pdf" is added
    assert main(["report", "--out", str(out), "--page", "letter", "--data-dir", str(patient)]) == 0
    said = capsys.readouterr().out
    written = tmp_path / "visit.pdf"
    assert f"Wrote {written} (" in said
    document, text = pdf_text(written)
    size = document.pagePointSize(0)
    assert (round(size.width()), round(size.height())) == (612, 792)
    assert "Starter plan for sciatica" in text and "Exercises done" in text
    # Made again the same day: the same period, remembered from the first time.
    again = tmp_path / "again.pdf"
    assert main(["report", "--out", str(again), "--data-dir", str(patient)]) == 0
    assert said.split(": ", 1)[1] == capsys.readouterr().out.split(": ", 1)[1]


def test_an_explicit_period(
    qapp, tmp_path: Path, patient: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = date.today() - timedelta(days=2)
    first = last - timedelta(days=9)
    out = tmp_path / "period.pdf"
    arguments = ["--from", first.isoformat(), "--to", last.isoformat()]
    assert main(["report", "--out", str(out), *arguments, "--data-dir", str(patient)]) == 0
    assert f"for {first.isoformat()} to {last.isoformat()}." in capsys.readouterr().out
    _, text = pdf_text(out)
    assert "(10 days)" in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2026-05-01", "--to", "2026-04-01"], "after it ends on 2026-04-01"),
        (["--from", "2026-13-01"], "--from 2026-13-01: give a date like 2026-04-13."),
        (["--to", "soon"], "--to soon: give a date like 2026-04-13."),
    ],
)
def test_wrong_dates_exit_1_with_a_clear_message(
    qapp,
    tmp_path: Path,
    patient: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    out = tmp_path / "report.pdf"
    assert main(["report", "--out", str(out), *arguments, "--data-dir", str(patient)]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_no_data_or_no_folder_exits_1(
    qapp, tmp_path: Path, patient: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "nobody"
    assert main(["report", "--out", str(tmp_path / "r.pdf"), "--data-dir", str(empty)]) == 1
    assert f"There is no rehab_app data in {empty}." in capsys.readouterr().err
    assert not empty.exists()  # nothing made on the way

    nowhere = tmp_path / "missing" / "r.pdf"
    assert main(["report", "--out", str(nowhere), "--data-dir", str(patient)]) == 1
    assert "the folder" in capsys.readouterr().err
