"""The list pages: DPs, bodies, themes, policy areas and documents, a hundred rows a page.

Every list sorts (`?sort=`), filters (`?theme=`, `?type=`, `?level=`, `?kind=`...) and pages
(`?page=N`, with `rel="next"` and `rel="prev"` links in the page and in a `Link` header) the same
way, by `kg.read.lists`; the API serves each whole list, as JSON or CSV, under the same parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, g, render_template, request, url_for

from kg.errors import RequestError
from kg.read.lists import LISTINGS, PAGE_SIZE, READERS, Row, arranged, filter_choices, page_of
from web.params import whole_number

bp = Blueprint("lists", __name__)


@dataclass(frozen=True)
class ListPage:
    """How one list is shown: its title, what one row is called, and the filters its form offers."""

    title: str
    noun: str
    form_filters: tuple[str, ...]
    orders: dict[str, str]


PAGES = {
    "dps": ListPage("Development Partnerships", "DPs", ("theme", "region"),
                    {"name": "name", "bodies": "bodies targeted, most first"}),
    "bodies": ListPage("Bodies", "bodies", ("type", "theme", "level"),
                       {"dps": "DPs targeting it, most first", "name": "name"}),
    "themes": ListPage("EQUAL themes", "themes", (), {"letter": "letter", "dps": "DPs, most first"}),
    "policy-areas": ListPage("Policy areas", "policy areas", ("theme",),
                             {"dps": "DPs, most first", "name": "name", "activities": "activities, most first"}),
    "documents": ListPage("Documents", "documents", ("kind", "theme"), {"name": "name", "kind": "kind"}),
}


def page_number() -> int:
    """Read `?page=N` (from 1); a bad value is the client's error."""
    return whole_number("page", 1, minimum=1)


#: Query parameters every list takes besides its filters.
LIST_PARAMETERS = ("page", "sort", "format", "all")


def wanted_filters(name: str) -> dict[str, str]:
    """Read the list's filters from the query string, with its default filters unless `?all=1`.

    Raises:
        RequestError: a parameter the list does not take (a misspelt filter is not silently ignored).
    """
    allowed = (*LIST_PARAMETERS, *LISTINGS[name].filters)
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        raise RequestError(f"{name} takes no parameter {', '.join(unknown)}: use {', '.join(allowed)}")
    wanted = {f: request.args[f].strip() for f in LISTINGS[name].filters if request.args.get(f, "").strip()}
    return {**_defaults(name), **wanted}


def _defaults(name: str) -> dict[str, str]:
    """Return the list's default filters that apply to this request (none with `?all=1`, none given)."""
    if request.args.get("all") == "1":
        return {}
    return {f: v for f, v in LISTINGS[name].defaults.items() if not request.args.get(f, "").strip()}


def list_columns(name: str) -> list[str]:
    """Return the columns of a list's rows (for the header of an empty CSV answer)."""
    rows = READERS[name](g.store)
    return list(rows[0]) if rows else []


def listed(name: str) -> list[Row]:
    """Return the whole list the request asks for: filtered and sorted, not paged (for the API)."""
    return arranged(g.store, name, request.args.get("sort") or None, **wanted_filters(name))


def _show(name: str, template: str) -> Response:
    """Render one page of a list with its sort and filter form and its links to the other pages."""
    listing, shown = LISTINGS[name], PAGES[name]
    order = request.args.get("sort") or listing.default_order
    wanted = wanted_filters(name)
    page = page_of(arranged(g.store, name, order, **wanted), page_number(), PAGE_SIZE)
    implicit = _defaults(name)  # left out of links: they apply anyway
    params = {**{k: v for k, v in wanted.items() if k not in implicit},
              **({"sort": order} if order != listing.default_order else {}),
              **({"all": "1"} if request.args.get("all") == "1" else {})}
    links = {rel: url_for(f"lists.{name.replace('-', '_')}", page=number, **params)
             for rel, number, there in (("prev", page.number - 1, page.number > 1),
                                        ("next", page.number + 1, page.has_next)) if there}
    response = Response(render_template(
        template, shown=shown, name=name, page=page, links=links, order=order, wanted=wanted, params=params,
        choices={f: filter_choices(g.store, name, f) for f in shown.form_filters}, total=len(READERS[name](g.store)),
        api=url_for(f"api.{name.replace('-', '_')}", **params)))
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return response


@bp.get("/dps")
def dps() -> Response:
    """The DPs with theme, region and bodies targeted; `?sort=name|bodies`, `?theme=`, `?region=`."""
    return _show("dps", "index_dps.html")


@bp.get("/bodies")
def bodies() -> Response:
    """The bodies DPs target, most targeted first; `?all=1` adds every body of the gazetteer;
    `?sort=dps|name`, `?type=`, `?theme=`, `?level=`."""
    return _show("bodies", "index_bodies.html")


@bp.get("/themes")
def themes() -> Response:
    """The nine EQUAL themes with their DP counts; `?sort=letter|dps`."""
    return _show("themes", "index_themes.html")


@bp.get("/policy-areas")
def policy_areas() -> Response:
    """The policy areas with their activities and DPs; `?sort=dps|name|activities`, `?theme=`."""
    return _show("policy-areas", "index_policy_areas.html")


@bp.get("/documents")
def documents() -> Response:
    """The ingested documents; `?sort=name|kind`, `?kind=summary|strategy`, `?theme=`."""
    return _show("documents", "index_documents.html")
