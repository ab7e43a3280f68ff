"""Placeholder blueprint for network (filled in by its issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("network", __name__)
