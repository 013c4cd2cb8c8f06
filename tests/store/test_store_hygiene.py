"""Issue 19.7: staging folders swept on open, every row read accounted for, symlink loops named, and
`autarky sql` reading no file but the store's own unless --allow-files."""

from __future__ import annotations

from pathlib import Path

from autarky.bundled import bundled_path, load_bundled
from autarky.queries.plumbing import run_import
from autarky.store import open_store
from clitools import run_cli as _cli


def test_a_killed_imports_staging_folder_is_removed_by_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    staging = tmp_path / "s.duckdb.parquet" / "trade_flows" / ".staging-0123abcd" / "year=2020"
    staging.mkdir(parents=True)
    (staging / "part-00000.parquet").write_bytes(b"PAR1 half-written")
    open_store(path, read_only=True).close()  # a reader may not know whether an import is running: keeps it
    assert staging.exists()
    open_store(path).close()  # a writer holds the lock: no import runs, the leftover goes
    assert not staging.parent.exists()


def test_every_row_the_eto_import_reads_is_accounted_for(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.duckdb") as st:
        r = run_import(st, "eto", bundled_path("eto-chip-explorer-2026"))
        assert r.rows_read == r.rows_loaded + r.rows_quarantined + r.rows_skipped
        assert r.rows_skipped > 0 and all("merged" in reason for reason in r.skipped)
        stored = st.query("SELECT message FROM data_warnings WHERE dataset_id = ? AND subject = 'rows skipped'",
                          [r.dataset_id]).column(0).to_pylist()
        assert stored and str(r.rows_skipped) in stored[0]


def test_no_bundled_import_leaves_rows_unaccounted(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.duckdb") as st:
        results = load_bundled(st)
        for r in results:
            assert not [w for w in r.warnings if w.startswith("rows unaccounted")], (r.name, r.warnings)
            if r.rows_loaded <= r.rows_read:  # kinds that derive more rows than they read are not row-for-row
                assert r.rows_read == r.rows_loaded + r.rows_quarantined + r.rows_skipped, r


def test_a_symlink_loop_is_named(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.symlink_to(b)
    b.symlink_to(a)
    done = _cli("import", "sectors", str(a), store=tmp_path / "s.duckdb")
    assert done.returncode == 1
    assert "symbolic link loop" in done.stderr and "no such file" not in done.stderr


def test_sql_reads_no_other_file_unless_allowed(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    with open_store(store) as st:
        run_import(st, "baci", bundled_path("baci-sample"))
    secret = tmp_path / "secret.txt"
    secret.write_text("the password\n", encoding="utf-8")
    query = f"SELECT content FROM read_text('{secret}')"
    refused = _cli("sql", query, store=store)
    assert refused.returncode == 1
    assert "--allow-files" in refused.stderr and "the password" not in refused.stdout
    allowed = _cli("sql", query, "--allow-files", store=store)
    assert allowed.returncode == 0 and "the password" in allowed.stdout
    own = _cli("sql", "SELECT count(*) AS n FROM trade_flows", "--format", "csv", store=store)
    assert own.returncode == 0, own.stderr  # the store's own Parquet stays readable
    assert own.stdout.strip().splitlines()[-1] == "72097"
