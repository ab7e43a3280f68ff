"""Placeholder blueprint for search (filled in by its issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("search", __name__)
