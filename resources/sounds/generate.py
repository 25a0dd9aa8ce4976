"""Makes the player's cue tones (hold start, hold end, rest end, get ready end) as WAV files.

Run it after changing a tone: `.venv/bin/python resources/sounds/generate.py`. Only the standard
library is used, and the output is the same bytes on every run, so the WAV files in the
repository can always be checked against this script.

Why these sounds: they must be heard across a room but never startle someone holding a painful
position, so each is a soft sine with a slow fade in and a long fade out, at a moderate level.
The pitches sit between about 400 and 800 Hz, because hearing in later life loses the high
frequencies first. Each cue has its own shape, so it can be told apart without looking:
hold start rises (two notes up), hold end falls (two notes down), rest end is a three-note
rising chime ("off you go"), get ready end a single note.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050  # Hz; plenty for tones under 1 kHz, and keeps each file small
LEVEL = 0.35  # of full scale: soft

# name -> notes as (frequency in Hz, seconds)
TONES: dict[str, list[tuple[float, float]]] = {
    "hold_start": [(440.0, 0.14), (587.33, 0.24)],  # A4 then D5: up
    "hold_end": [(587.33, 0.14), (440.0, 0.24)],  # D5 then A4: down
    "rest_end": [(523.25, 0.12), (659.25, 0.12), (783.99, 0.26)],  # C5 E5 G5
    "get_ready_end": [(493.88, 0.3)],  # B4
}


def _note(frequency: float, seconds: float) -> list[float]:
    count = int(RATE * seconds)
    attack = int(RATE * 0.02)  # no click at the start
    samples = []
    for n in range(count):
        # Fade in over 20 ms, then a smooth decay to silence like a soft bell.
        envelope = min(1.0, n / attack) * (1.0 - n / count) ** 1.5
        # A little of the octave above makes the tone easier to hear on small speakers.
        wave_value = math.sin(2 * math.pi * frequency * n / RATE)
        wave_value += 0.2 * math.sin(4 * math.pi * frequency * n / RATE)
        samples.append(LEVEL * envelope * wave_value / 1.2)
    return samples


def write_tone(path: Path, notes: list[tuple[float, float]]) -> None:
    samples = [s for frequency, seconds in notes for s in _note(frequency, seconds)]
    frames = b"".join(struct.pack("<h", round(s * 32767)) for s in samples)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


def main() -> None:
    folder = Path(__file__).resolve().parent
    for name, notes in TONES.items():
        write_tone(folder / f"{name}.wav", notes)


if __name__ == "__main__":
    main()
