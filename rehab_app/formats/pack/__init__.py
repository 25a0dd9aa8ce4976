"""The `.rehabpack` format: reading untrusted packs, building and signing them.

See docs/pack-format.md.
"""
