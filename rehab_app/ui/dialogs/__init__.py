"""Dialogs opened above the views, always with open() or show() and signals, never exec()."""
