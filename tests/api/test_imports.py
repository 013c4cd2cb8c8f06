"""Imports through the API: only with the token, within the upload limit, safely unpacked; else nothing changes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from apitools import ETO, TOKEN, assert_envelope, fingerprint
from fastapi.testclient import TestClient

from autarky.api import create_app

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def eto_zip(top: str = "eto-release", *, header: str | None = None) -> bytes:
    """The bundled ETO release as a zip with one top folder (``header`` replaces provision.csv's header)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(ETO.iterdir()):
            data = p.read_bytes()
            if header is not None and p.name == "provision.csv":
                data = header.encode() + b"\n" + data.split(b"\n", 1)[1]
            zf.writestr(f"{top}/{p.name}", data)
    return buf.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def importing(writable_store: Path) -> Iterator[TestClient]:
    app = create_app(writable_store, token=TOKEN, max_upload_bytes=8 * 1024 * 1024, pool_size=2)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def node_map(client: TestClient) -> str:
    """The dataset a node's answer comes from: the map the chains questions read by default."""
    name: str = client.get("/api/chains/node", params={"node": "N20"}).json()["sources"][0]["dataset"]
    return name


def test_import_with_token_then_unchanged(importing: TestClient) -> None:
    before = importing.get("/api").json()["generation"]
    assert node_map(importing) == "eto-chip-explorer"
    r = importing.post("/api/imports/eto", params={"filename": "eto.zip", "name": "eto-upload"}, content=eto_zip(),
                       headers=AUTH)
    assert r.status_code == 201, r.text
    result = r.json()
    assert result["status"] == "loaded" and result["name"] == "eto-upload" and result["rows_loaded"] > 1000
    assert importing.get("/api").json()["generation"] > before
    names = [d["name"] for d in importing.get("/api/datasets").json()["table"]["rows"]]
    assert names.count("eto-upload") == 1
    # the cache is per generation: the newest map of the same vintage is now the default one
    assert node_map(importing) == "eto-upload"
    again = importing.post("/api/imports/eto", params={"filename": "eto.zip", "name": "eto-upload"},
                           content=eto_zip("other-top"), headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert again.json()["dataset_id"] == result["dataset_id"]


@pytest.fixture
def guarded(writable_store: Path) -> Iterator[tuple[TestClient, Path]]:
    """An app with a small upload limit; the test checks the store is unchanged afterwards."""
    app = create_app(writable_store, token=TOKEN, max_upload_bytes=64 * 1024, pool_size=1)
    before = fingerprint(writable_store)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c, writable_store
    app.state.settings.hub.close()
    assert fingerprint(writable_store) == before


def test_missing_token(guarded: tuple[TestClient, Path]) -> None:
    c, _ = guarded
    r = c.post("/api/imports/eto?filename=eto.zip", content=b"PK")
    assert_envelope(r, 401, "unauthorized")
    assert r.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}", TOKEN, f"bearer  {TOKEN[:-1]}"])
def test_wrong_token(guarded: tuple[TestClient, Path], header: str) -> None:
    c, _ = guarded
    assert_envelope(c.post("/api/imports/eto?filename=eto.zip", content=b"PK", headers={"Authorization": header}),
                    401, "unauthorized")


def test_no_token_configured_means_read_only(writable_store: Path) -> None:
    before = fingerprint(writable_store)
    app = create_app(writable_store, pool_size=1)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert_envelope(c.post("/api/imports/eto?filename=eto.zip", content=eto_zip(), headers=AUTH), 403, "read_only")
    app.state.settings.hub.close()
    assert fingerprint(writable_store) == before


def test_oversized_declared(guarded: tuple[TestClient, Path]) -> None:
    c, _ = guarded
    assert_envelope(c.post("/api/imports/eto?filename=eto.zip", content=b"x" * (64 * 1024 + 1), headers=AUTH),
                    413, "payload_too_large")


def test_oversized_streamed_without_length(guarded: tuple[TestClient, Path]) -> None:
    c, _ = guarded

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"y" * 4096

    r = c.post("/api/imports/eto?filename=eto.zip", content=chunks(), headers=AUTH)
    assert_envelope(r, 413, "payload_too_large")


def test_zip_bomb(guarded: tuple[TestClient, Path]) -> None:
    c, _ = guarded
    bomb = zip_of({"release/provision.csv": b"0" * (64 * 1024 * 9)})
    assert len(bomb) < 64 * 1024
    assert_envelope(c.post("/api/imports/eto?filename=bomb.zip", content=bomb, headers=AUTH), 413)


@pytest.mark.parametrize("member", ["../evil.csv", "/tmp/evil.csv", "release/../../evil.csv", "C:\\evil.csv"])
def test_unsafe_archive_members(guarded: tuple[TestClient, Path], member: str) -> None:
    c, _ = guarded
    r = c.post("/api/imports/eto?filename=x.zip", content=zip_of({member: b"a,b\n1,2\n"}), headers=AUTH)
    assert_envelope(r, 400, "format_error")
    assert "unsafe" in r.json()["error"]["message"]


@pytest.mark.parametrize(("url", "body", "status", "code"), [
    ("/api/imports/eto?filename=eto.zip", b"", 400, "usage_error"),
    ("/api/imports/eto?filename=eto.zip", b"this is not a zip file", 400, "format_error"),
    ("/api/imports/eto?filename=provision.csv", b"a,b\n1,2\n", 400, None),
    ("/api/imports/nosuchkind?filename=eto.zip", b"PK", 404, "unknown_item"),
    ("/api/imports/eto?filename=../eto.zip", b"PK", 422, "invalid_request"),
    ("/api/imports/eto?filename=.hidden", b"PK", 422, "invalid_request"),
    ("/api/imports/eto", b"PK", 422, "invalid_request"),
    ("/api/imports/eto?filename=eto.zip&vintage=a%20b", b"PK", 422, "invalid_request"),
])
def test_rejected_uploads(guarded: tuple[TestClient, Path], url: str, body: bytes, status: int,
                          code: str | None) -> None:
    c, _ = guarded
    assert_envelope(c.post(url, content=body, headers=AUTH), status, code)


def test_loader_rejects_option_and_bad_file(writable_store: Path) -> None:
    before = fingerprint(writable_store)
    app = create_app(writable_store, token=TOKEN, max_upload_bytes=8 * 1024 * 1024, pool_size=1)
    with TestClient(app, raise_server_exceptions=False) as c:
        total = len(c.get("/api/datasets").json()["table"]["rows"])
        r = c.post("/api/imports/eto?filename=eto.zip&layout=pymrio", content=eto_zip(), headers=AUTH)
        assert_envelope(r, 400, "usage_error")
        r = c.post("/api/imports/eto?filename=eto.zip&name=broken", content=eto_zip(header="who,what,when"),
                   headers=AUTH)
        assert_envelope(r, 400)
        assert "provision" in r.json()["error"]["message"]
        assert len(c.get("/api/datasets").json()["table"]["rows"]) == total  # readers are back, same store
    app.state.settings.hub.close()
    assert fingerprint(writable_store) == before
