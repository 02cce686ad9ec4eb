"""Similar paragraphs: the paragraphs of other agencies most like one paragraph, the best one
of each agency (``/paragraphs/<id>/similar``, its JSON twin ``/api/paragraphs/<id>/similar``,
which takes ``limit``; the page shows five).
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, jsonify, render_template, request

from kb import parse_int
from web import urls
from web.views.base import kb

bp = Blueprint("similar", __name__)

SHOWN = 5  # paragraphs the page shows, and the API's default


def similar_data(paragraph_id: str, limit: int = SHOWN) -> dict:
    """The /api/paragraphs/<id>/similar answer: the paragraph and the similar ones, linked."""
    return urls.linked_similar(kb().similar(paragraph_id, limit=limit))


@bp.get("/api/paragraphs/<paragraph_id>/similar")
def api_similar(paragraph_id: str):
    limit = parse_int(request.args.get("limit", str(SHOWN)), "limit", 1, kb().settings.limits.page_size)
    return jsonify(similar_data(paragraph_id, limit))


@bp.get("/paragraphs/<paragraph_id>/similar")
def similar(paragraph_id: str):
    return render_template("similar.html", data=similar_data(paragraph_id),
                           json_url=f"/api/paragraphs/{quote(paragraph_id)}/similar")
