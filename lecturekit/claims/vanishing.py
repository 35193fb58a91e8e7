"""Notebook 04's claims."""

from . import claim  # noqa: F401
