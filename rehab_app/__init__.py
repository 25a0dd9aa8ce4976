"""rehab_app: a home rehabilitation coach for sciatica and low back pain."""

from __future__ import annotations

__version__ = "0.1.0"
