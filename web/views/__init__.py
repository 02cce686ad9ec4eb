"""The site's views, one module per resource; each builds its data once (a ``*_data``
function: the JSON API's answer, with the links of :mod:`web.urls`) and shows it either as
the HTML page or as its JSON twin under ``/api``:

    search        /  (the start page, or a search's page),  /api/search,  /api/search/years
    compare       /compare,  /api/compare,  /compare.csv
    export        /export.csv,  /export.json  (every hit of a search)
    reports       /reports,  /api/reports,  /reports/<id>,  /api/reports/<id>
    plans         /reports/<id>/plan(.csv),  /api/reports/<id>/plan,  /agencies/<name>/plans,  /api/agencies/<name>/plans
    agencies      /agencies,  /api/agencies
    years         /years,  /api/years
    topics        /topics,  /api/topics
    regulations   /regulations,  /regulations/<name>(.csv),  /api/regulations[/<name>[/mentions]]
    similar       /paragraphs/<id>/similar,  /api/paragraphs/<id>/similar
    figures       /figures,  /figures/<indicator>(.csv),  /api/figures
    collection    /collection,  /api/collection,  /collection.csv,  /collection.docx
    facets        /facets/<name>,  /api/facets/<name>

Beside them: :mod:`web.views.base` (the knowledge base, the request's arguments, CSV
downloads) and :mod:`web.views.lists` (long lists with a find box and sortable columns).
Every view reaches kb through its public names alone (:mod:`kb`: the KnowledgeBase facade).
"""

from __future__ import annotations

from flask import Flask

from web.views import (
    agencies,
    collection,
    compare,
    export,
    facets,
    figures,
    plans,
    regulations,
    reports,
    search,
    similar,
    topics,
    years,
)

RESOURCES = (search, compare, export, reports, plans, agencies, years, topics, regulations, similar, figures,
             collection, facets)


def init_app(app: Flask) -> None:
    """Register every view's blueprint."""
    for resource in RESOURCES:
        app.register_blueprint(resource.bp)
