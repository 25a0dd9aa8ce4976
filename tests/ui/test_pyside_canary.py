"""Canary for the PySide6 6.12.0 defect on Python 3.11: void-returning Qt calls released one
reference to None too many, and the interpreter aborted after a few thousand calls."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_do_not_release_none(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for number in range(100):
        label.setText(str(number))
    # Other code may take references meanwhile, never release a hundred of them.
    assert sys.getrefcount(None) > before - 100


def test_pinned_pyside_is_installed() -> None:
    from importlib.metadata import version

    import PySide6

    assert PySide6.__version__ == "6.11.3"
    assert version("PySide6-Essentials") == "6.11.3"
