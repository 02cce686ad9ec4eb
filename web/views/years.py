"""Years: every year reported on, with its agencies and paragraphs (``/years``, its JSON twin
``/api/years``), each linked to the search of that year.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from web import urls
from web.views.base import kb

bp = Blueprint("years", __name__)


def years_data() -> dict:
    """The /api/years answer."""
    return {"years": urls.linked_years(kb().years())}


@bp.get("/api/years")
def api_years():
    return jsonify(years_data())


@bp.get("/years")
def years():
    return render_template("years.html", years=years_data()["years"], json_url="/api/years")
