"""The home page and the vocabulary page."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, g, render_template

from kg.rdf.vocabulary import vocabulary_terms
from kg.read.queries import stats

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """Show what the graph holds and where to start."""
    return render_template("home.html", stats=asdict(stats(g.store)))


@bp.get("/vocabulary")
def vocabulary() -> str:
    """Document the eq: classes and properties, from ontology/equal.ttl."""
    return render_template("vocabulary.html", terms=vocabulary_terms())
