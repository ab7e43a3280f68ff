"""Placeholder blueprint for entities (filled in by its issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("entities", __name__)
