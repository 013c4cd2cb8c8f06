"""`autarky import eto` through the real console script: quarantine, missing files, not-CSV, idempotence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from autarky.data import bundled_path
from clitools import run_cli as run

ETO = bundled_path("eto-chip-explorer-2026")


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "eto"
    shutil.copytree(ETO, dst)
    return dst


def _replace_line(path: Path, lineno: int, new: str) -> str:
    lines = path.read_text(encoding="utf-8").split("\n")
    old = lines[lineno - 1]
    lines[lineno - 1] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return old


def test_corrupted_rows_are_quarantined_and_the_rest_loads(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    prov = folder / "provision.csv"
    # line 45 is ASML's 100% of EUV tools; three corruptions on three lines
    _replace_line(prov, 45, 'ASML,P88,EUV lithography tools,N99999,100.0,2025,"x"')  # unknown node id
    _replace_line(prov, 46, 'Lasertec,P94,Photomask inspection and repair tools,N62,140,2025,"x"')  # share 140
    _replace_line(prov, 47, 'ASML,P88,Lithography tools,N19,lots,2025,"x"')  # text in a number field
    store = tmp_path / "s.duckdb"
    r = run("import", "eto", str(folder), store=store)
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(store), read_only=True)
    q = con.execute("SELECT file, line, field, reason FROM quarantine ORDER BY line").fetchall()
    assert [(f, line) for f, line, _, _ in q] == [("provision.csv", 45), ("provision.csv", 46), ("provision.csv", 47)]
    reasons = " | ".join(x[3] for x in q)
    assert "N99999" in reasons and "140" in reasons and "lots" in reasons
    loaded = con.execute("SELECT count(*) FROM chain_provision").fetchone()
    n_rows = len((ETO / "provision.csv").read_text(encoding="utf-8").strip().split("\n")) - 1
    assert loaded is not None and loaded[0] == n_rows - 3
    con.close()


def test_missing_provision_is_exit_1_naming_the_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "provision.csv").unlink()
    r = run("import", "eto", str(folder), store=tmp_path / "s.duckdb")
    assert r.returncode == 1
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "provision.csv" in lines[0]
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM datasets").fetchone() == (0,)
    con.close()


def test_not_a_csv_is_exit_1_naming_the_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "inputs.csv").write_bytes(bytes(range(256)) * 64)
    r = run("import", "eto", str(folder), store=tmp_path / "s.duckdb")
    assert r.returncode == 1
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "inputs.csv" in lines[0]


def test_reimport_is_unchanged_and_datasets_lists_it(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    assert run("import", "eto", str(ETO), store=store).returncode == 0
    r = run("import", "eto", str(ETO), store=store)
    assert r.returncode == 0 and "unchanged" in r.stdout
    d = json.loads(run("datasets", "--format", "json", store=store).stdout)["table"]["rows"]
    assert len(d) == 1 and d[0]["licence"] == "CC BY-NC 4.0" and d[0]["vintage"] == "2026-08"
