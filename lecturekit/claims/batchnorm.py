"""Notebook 09's claims."""

from . import claim  # noqa: F401
