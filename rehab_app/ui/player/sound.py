"""Optional cue tones for the player: a soft sound when a hold starts or ends and a rest ends.

Sound is a help, never a requirement: QtMultimedia needs the system's audio libraries (it does
not even import without libpulse), and many computers are muted. So the import is tried once,
inside try/except, and without it `available` is False and `play()` does nothing; the player
always shows a visual cue as well. The tones are short WAV files made by
`resources/sounds/generate.py` and found through `resources_dir()`, so a checkout and an
installed wheel behave the same.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from rehab_app.formats.bundled import resources_dir

#: Cue kind (a `controller.Cue` value) -> WAV file name in resources/sounds/.
CUE_FILES = {
    "hold_start": "hold_start.wav",
    "hold_end": "hold_end.wav",
    "rest_end": "rest_end.wav",
    "get_ready_end": "get_ready_end.wav",
}


class Effect(Protocol):
    def play(self) -> None: ...


EffectFactory = Callable[[Path, QObject], Effect]


def _qt_effect_factory() -> EffectFactory | None:
    """QSoundEffect, when this computer's Qt can play sound at all."""
    try:
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import QSoundEffect
    except ImportError:  # no libpulse or no multimedia plugin: silent, and that is fine
        return None

    def make(path: Path, parent: QObject) -> Effect:
        effect = QSoundEffect(parent)
        effect.setSource(QUrl.fromLocalFile(str(path)))
        effect.setVolume(0.6)  # a cue, not an alarm
        return effect

    return make


class CuePlayer(QObject):
    """Plays one short tone per cue kind, unless muted or sound is unavailable."""

    muted_changed = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        folder: Path | None = None,
        effect_factory: EffectFactory | None = None,
    ) -> None:
        """`effect_factory` lets tests stand in for QSoundEffect; by default Qt's is tried."""
        super().__init__(parent)
        self._muted = False
        self._effects: dict[str, Effect] = {}
        factory = effect_factory if effect_factory is not None else _qt_effect_factory()
        folder = folder if folder is not None else resources_dir() / "sounds"
        if factory is not None:
            for kind, name in CUE_FILES.items():
                path = folder / name
                if path.is_file():
                    self._effects[kind] = factory(path, self)

    @property
    def available(self) -> bool:
        return bool(self._effects)

    @property
    def muted(self) -> bool:
        return self._muted

    @muted.setter
    def muted(self, value: bool) -> None:
        if value != self._muted:
            self._muted = value
            self.muted_changed.emit(value)

    def set_muted(self, value: bool) -> None:
        """The setter as a slot, for signal connections."""
        self.muted = value

    def play(self, kind: str) -> None:
        if self._muted:
            return
        effect = self._effects.get(kind)
        if effect is not None:
            effect.play()
