"""The HTTP face: a FastAPI app serving the JSON API, its OpenAPI schema and the dashboard over one store.

::

    from autarky.api import create_app
    app = create_app("autarky.duckdb")                  # read-only
    app = create_app("autarky.duckdb", token="s3cret")   # also accepts imports that present the token
"""

from autarky.api.app import DEFAULT_MAX_UPLOAD_BYTES, create_app

__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "create_app"]
