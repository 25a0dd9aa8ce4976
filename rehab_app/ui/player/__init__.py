"""The guided session player: a clock-driven state machine and the full-window view over it.

`controller.PlayerController` knows the session's phases and time and has no widgets, so tests
drive it with a fake clock; `widget.PlayerView` shows it and turns clicks and keys into calls;
`sound.CuePlayer` plays the optional cue tones. Nothing here writes data: the app connects
`PlayerController.exercise_finished` to the sessions service.
"""

from __future__ import annotations
