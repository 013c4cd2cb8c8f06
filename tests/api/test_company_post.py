"""``POST /api/company/exposure``: a BOM sent as JSON gives the CLI's document for the same BOM file, bad lines are
rejected with reasons (the file's checks), nothing is stored, and the limits hold."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apitools import assert_envelope, fingerprint
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from autarky.api import create_app
from autarky.api.company import MAX_LINES
from autarky.cli import app as cli_app
from autarky.company import COLUMNS, sample_bom_path

URL = "/api/company/exposure"


def sample_lines() -> list[dict[str, str]]:
    with open(sample_bom_path(), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def cli_json(store: Path, bom: Path | str, *options: str) -> dict[str, Any]:
    r = CliRunner().invoke(cli_app, ["--store", str(store), "company", "exposure", str(bom), *options,
                                     "--format", "json"])
    assert r.exit_code == 0, r.output
    doc: dict[str, Any] = json.loads(r.stdout)
    return doc


def as_posted(doc: dict[str, Any], csv_name: str, posted_name: str) -> dict[str, Any]:
    """The CLI's document for a CSV file with the BOM's provenance as the API states it for the same lines sent
    as JSON: file ``<name>.json`` and line numbers counted in ``lines`` (the CSV's line 2 is line 1), and no local
    file path in the request."""
    out = json.loads(json.dumps(doc))
    for s in out["sources"]:
        if s.get("file") == csv_name:
            s["file"] = f"{posted_name}.json"
            s["lines"] = [n - 1 for n in s["lines"]]
    out["rejected"]["title"] = out["rejected"]["title"].replace(csv_name, f"{posted_name}.json")
    for row in out["rejected"]["rows"]:
        row["line"] -= 1
    out["request"]["bom"] = None
    return out


def write_csv(path: Path, lines: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        w.writeheader()
        w.writerows(lines)
    return path


@pytest.fixture(scope="module", autouse=True)
def nothing_written(bundled_store_path: Path) -> Iterator[None]:
    before = fingerprint(bundled_store_path)
    yield
    assert fingerprint(bundled_store_path) == before


def test_the_sample_bom_gives_the_clis_document(bundled_client: TestClient, bundled_store_path: Path) -> None:
    posted = bundled_client.post(URL, json={"name": "sample-bom", "lines": sample_lines(), "against": "NLD"})
    assert posted.status_code == 200, posted.text
    body = posted.json()
    assert body["question"] == "company.exposure" and body["bom"] == "sample-bom"
    assert len(body["lines"]["rows"]) == len(sample_lines()) and body["rejected"]["rows"] == []
    expected = as_posted(cli_json(bundled_store_path, sample_bom_path(), "--against", "NLD"), "sample-bom.csv",
                         "sample-bom")
    assert body == expected
    # the GET route (the bundled sample bill) answers the same figures
    got = bundled_client.get(URL, params={"against": "NLD"}).json()
    assert body == as_posted(got, "sample-bom.csv", "sample-bom")


def test_options_reach_the_question(bundled_client: TestClient, bundled_store_path: Path, tmp_path: Path) -> None:
    lines = sample_lines()[:6]
    bom = write_csv(tmp_path / "six.csv", lines)
    body = bundled_client.post(URL, json={"name": "six", "lines": lines, "measures_in_force": "2024-06-01",
                                  "economy": "CHN", "bloc": "EU27", "depth": 2}).json()
    assert body["request"]["measures_in_force"] == "2024-06-01" and body["request"]["bloc"] == "EU27"
    assert body == as_posted(cli_json(bundled_store_path, bom, "--measures-in-force", "2024-06-01", "--economy", "CHN",
                                      "--bloc", "EU27", "--depth", "2"), "six.csv", "six")
    assert body["scenario"] is not None and body["scenario"] != bundled_client.post(
        URL, json={"name": "six", "lines": lines, "against": "NLD"}).json()["scenario"]


def test_bad_lines_are_rejected_with_reasons_like_a_files(bundled_client: TestClient, bundled_store_path: Path,
                                                          tmp_path: Path) -> None:
    good = sample_lines()[:3]
    bad = [
        {**good[0], "line_id": "BAD-HS", "hs_code": "123456"},
        {**good[1], "line_id": "BAD-QTY", "quantity": "-4"},
        {**good[2], "line_id": "BAD-COST", "unit_cost": "twelve"},
    ]
    lines = [*good, *bad]
    body = bundled_client.post(URL, json={"name": "mixed", "lines": lines}).json()
    assert [r["line_id"] for r in body["lines"]["rows"]] == [ln["line_id"] for ln in good]
    rejected = body["rejected"]["rows"]
    assert sorted({(r["line"], r["field"]) for r in rejected}) == [(4, "hs_code"), (5, "quantity"),
                                                                   (6, "unit_cost")]
    assert all(r["reason"] for r in rejected)
    bom = write_csv(tmp_path / "mixed.csv", lines)
    assert body == as_posted(cli_json(bundled_store_path, bom), "mixed.csv", "mixed")


def test_a_bom_of_only_bad_lines_answers_no_lines(bundled_client: TestClient) -> None:
    body = bundled_client.post(URL, json={"lines": [{"line_id": "X", "part": "thing", "quantity": "lots"}]}).json()
    assert body["lines"]["rows"] == [] and body["bom"] == "posted-bom"
    assert [(r["line"], r["field"]) for r in body["rejected"]["rows"]] == [(1, "quantity")]


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"lines": []}, 422, "invalid_request"),
    ({}, 422, "invalid_request"),
    ({"lines": [{"line_id": "A", "part": "p", "quantity": 1, "colour": "red"}]}, 422, "invalid_request"),
    ({"lines": [{"line_id": "A", "part": "p", "quantity": [1, 2]}]}, 422, "invalid_request"),
    ({"lines": [{"line_id": "A", "part": "p", "quantity": 1}], "depth": 9}, 422, "invalid_request"),
    ({"lines": [{"line_id": "A", "part": "p", "quantity": 1}], "name": "../etc"}, 422, "invalid_request"),
    ({"lines": [{"line_id": "A", "part": "p", "quantity": 1}], "dataset": "bom:x"}, 422, "invalid_request"),
    ({"lines": [{"line_id": "A", "part": "p", "quantity": 1}], "against": "NLD",
      "measures_in_force": "2024-01-01", "economy": "CHN"}, 400, "usage_error"),
    ({"lines": [{"line_id": "A", "part": "p", "quantity": 1}], "measures_in_force": "2024-01-01"}, 400,
     "usage_error"),
    ({"lines": [{"line_id": "A", "part": "p", "quantity": 1}], "measures_in_force": "soon", "economy": "CHN"}, 400,
     "usage_error"),
    ({"lines": [{"line_id": "A", "part": "p", "quantity": 1}], "against": "Atlantis"}, 404, "unknown_economy"),
    ({"lines": [{"line_id": "A", "part": "p" * 501, "quantity": 1}]}, 422, "invalid_request"),
])
def test_bad_requests(bundled_client: TestClient, body: dict[str, Any], status: int, code: str) -> None:
    assert_envelope(bundled_client.post(URL, json=body), status, code)


def test_not_json(bundled_client: TestClient) -> None:
    assert_envelope(bundled_client.post(URL, content=b"line_id,part\nA,b\n", headers={"content-type": "text/csv"}), 422,
                    "invalid_request")
    assert_envelope(bundled_client.post(URL, content=b"{not json", headers={"content-type": "application/json"}), 422,
                    "invalid_request")


def test_at_most_max_lines(bundled_client: TestClient) -> None:
    line = {"line_id": "A", "part": "p", "quantity": 1}
    err = assert_envelope(bundled_client.post(URL, json={"lines": [line] * (MAX_LINES + 1)}), 422, "invalid_request")
    assert "lines" in err["message"] and str(MAX_LINES) in err["message"]


@pytest.fixture(scope="module")
def small_limit(bundled_store_path: Path) -> Iterator[TestClient]:
    app = create_app(bundled_store_path, max_upload_bytes=2048, pool_size=1)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.settings.hub.close()


def test_body_over_the_upload_limit(small_limit: TestClient) -> None:
    lines = sample_lines()
    big = json.dumps({"lines": lines}).encode()
    assert len(big) > 2048
    err = assert_envelope(small_limit.post(URL, content=big, headers={"content-type": "application/json"}), 413,
                          "payload_too_large")
    assert "2048" in err["message"]

    def chunks() -> Iterator[bytes]:  # no declared length: counted as it streams
        for i in range(0, len(big), 512):
            yield big[i:i + 512]

    assert_envelope(small_limit.post(URL, content=chunks(), headers={"content-type": "application/json"}), 413,
                    "payload_too_large")
    small = {"lines": lines[:2]}
    assert len(json.dumps(small)) < 2048
    assert small_limit.post(URL, json=small).status_code == 200


def test_documented_in_openapi(bundled_client: TestClient) -> None:
    schema = bundled_client.get("/openapi.json").json()
    op = schema["paths"][URL]["post"]
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    body = schema["components"]["schemas"][ref]
    assert body["properties"]["lines"]["maxItems"] == MAX_LINES
    line = schema["components"]["schemas"][body["properties"]["lines"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert set(line["properties"]) == set(COLUMNS)
    assert {"413", "422", "400"} <= set(op["responses"])
