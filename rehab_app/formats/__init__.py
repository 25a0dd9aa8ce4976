"""Files in and out: exercise TOML, and where the built-in files live. No Qt, no database."""
