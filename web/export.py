"""Placeholder blueprint for export (filled in by its issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("export", __name__)
