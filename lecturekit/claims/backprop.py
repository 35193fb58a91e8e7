"""Notebook 03's claims."""

from . import claim  # noqa: F401
