"""Notebook 06's claims."""

from . import claim  # noqa: F401
