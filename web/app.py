"""The Flask application factory: settings and store are handed in, blueprints registered here."""

from __future__ import annotations

from flask import Flask, g

from kg.settings import Settings
from kg.store.base import Store
from kg.store.opening import LiveStore


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """Build the web app over a store, or over the store location of the settings, followed live."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(KG_SETTINGS=settings, MAX_CONTENT_LENGTH=settings.max_body, JSON_SORT_KEYS=False)
    app.extensions["kg_store"] = LiveStore(settings.store if store is None else store.location, store)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from web import api, entities, errors, export, headers, lists, network, pages, search, sparql

    for module in (pages, entities, lists, sparql, api, export, search, network):
        app.register_blueprint(module.bp)
    errors.register(app)
    headers.register(app)

    @app.before_request
    def _bind_store() -> None:
        g.store = app.extensions["kg_store"].current()
        g.settings = settings

    return app
