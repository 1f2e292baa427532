"""Dialogs for casework actions; each has a @classmethod ask(...) tests can replace."""
