"""Notebook 05's claims."""

from . import claim  # noqa: F401
