"""The CLI's exit codes and one-line errors, through the real console script."""

from __future__ import annotations

from pathlib import Path

from clitools import run_cli as run


def test_unknown_economy_is_exit_1_one_line_with_suggestions(tmp_path: Path) -> None:
    r = run("blocs", "show", "Chnia", store=tmp_path / "s.duckdb")
    assert r.returncode == 1
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1
    assert "Chnia" in lines[0] and "CHN" in lines[0]
    assert "Traceback" not in r.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    r = run("--debug", "blocs", "show", "Chnia", store=tmp_path / "s.duckdb")
    assert r.returncode == 1
    assert "Traceback" in r.stderr


def test_usage_error_is_exit_2(tmp_path: Path) -> None:
    assert run("no-such-command", store=tmp_path / "s.duckdb").returncode == 2
    assert run("import", store=tmp_path / "s.duckdb").returncode == 2


def test_sql_is_read_only(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    assert run("blocs", "list", store=store).returncode == 0
    r = run("sql", "DELETE FROM blocs", store=store)
    assert r.returncode == 1 and "only queries" in r.stderr
    r = run("sql", "SELECT count(*) AS n FROM blocs", "--format", "csv", store=store)
    assert r.returncode == 0
    assert r.stdout.splitlines()[0] == "n" and int(r.stdout.splitlines()[1]) >= 8


def test_unknown_import_kind(tmp_path: Path) -> None:
    r = run("import", "nonsense", str(tmp_path), store=tmp_path / "s.duckdb")
    assert r.returncode == 1 and "unknown import kind" in r.stderr
