"""Dialogs of the GUI. Message boxes go through ``messages`` so tests can replace them."""
