"""Notebook 08's claims."""

from . import claim  # noqa: F401
