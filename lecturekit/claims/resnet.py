"""Notebook 07's claims."""

from . import claim  # noqa: F401
