"""The limits a pack must keep (DATA-SAFETY.md §2), in one place for the reader, builder and docs.

The reader counts bytes itself while decompressing; the sizes written in a zip's headers belong
to whoever made the file and are never trusted.
"""

from __future__ import annotations

MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_TEXT_MEMBER_BYTES = 256 * 1024  # manifest, plan, exercises, signature
MAX_RATIO = 100
#: Below this many bytes a member cannot be a "zip bomb" whatever its ratio; a short TOML file
#: full of spaces may legitimately shrink more than 100:1.
RATIO_FLOOR_BYTES = 64 * 1024
MAX_IMAGE_SIDE = 4096
CHUNK_BYTES = 256 * 1024
