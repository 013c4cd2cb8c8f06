"""docs/api.md names every endpoint of the OpenAPI schema (a new endpoint without its line fails here)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_every_endpoint_is_documented(client: TestClient) -> None:
    text = DOC.read_text(encoding="utf-8")
    schema = client.get("/openapi.json").json()
    missing = [f"{m.upper()} {p}" for p, ops in schema["paths"].items() for m in ops
               if f"`{m.upper()} {p}`" not in text]
    assert missing == []
