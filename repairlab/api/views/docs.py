"""The API's browsable documentation: Swagger UI, served from static/vendor (no CDN), on /api/v1/openapi.json."""

from __future__ import annotations

from flask import render_template, url_for

from repairlab.api import bp

# Swagger UI sets inline styles; its scripts are files of this site, as everywhere else.
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


@bp.route("/api/v1/docs")
def docs():
    """Every operation of the API, browsable (public, like the OpenAPI document it reads)."""
    response = render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))
    return response, 200, {"Content-Security-Policy": DOCS_POLICY}
