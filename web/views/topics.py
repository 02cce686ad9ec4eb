"""Topics: the taxonomy with paragraph and report counts (``/topics``, its JSON twin
``/api/topics``), each topic linked to its search.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from web import urls
from web.views.base import kb

bp = Blueprint("topics", __name__)


def topics_data() -> dict:
    """The /api/topics answer."""
    return {"topics": urls.linked_topics(kb().topics())}


@bp.get("/api/topics")
def api_topics():
    return jsonify(topics_data())


@bp.get("/topics")
def topics():
    return render_template("topics.html", topics=topics_data()["topics"], json_url="/api/topics")
