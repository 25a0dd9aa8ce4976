"""Where the built-in exercises and resources are, from a checkout and from an installed wheel.

A checkout keeps `exercises/` and `resources/` next to the package; the wheel carries them
inside it as `rehab_app/_bundled/` (see the hatch force-include in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_root() -> Path:
    """The folder that holds `exercises/` and `resources/`."""
    inside_wheel = _PACKAGE / "_bundled"
    if (inside_wheel / "exercises").is_dir():
        return inside_wheel
    checkout = _PACKAGE.parent
    if (checkout / "exercises").is_dir():
        return checkout
    raise FileNotFoundError(
        f"the built-in exercises were not found next to {_PACKAGE} (looked in {inside_wheel}"
        f" and {checkout}); the installation is incomplete"
    )


def exercises_dir() -> Path:
    return bundled_root() / "exercises"


def resources_dir() -> Path:
    return bundled_root() / "resources"


def illustrations_dir() -> Path:
    return resources_dir() / "illustrations"
