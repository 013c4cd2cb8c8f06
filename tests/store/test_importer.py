"""Imports are one transaction: idempotent, vintage-aware, all-or-nothing (even under SIGKILL)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pytest

from autarky.store import DatasetMeta, Store, open_store


def _meta(vintage: str = "2025", content: str = "A") -> DatasetMeta:
    return DatasetMeta(name="demo", kind="eto", vintage=vintage, content_hash=content, licence="CC0")


def _stages(n: int) -> pa.Table:
    return pa.table({"stage_id": [f"S{i}" for i in range(n)], "name": [f"stage {i}" for i in range(n)],
                     "source_line": list(range(2, n + 2))})


def snapshot(store: Store) -> dict[str, str]:
    """A content digest of every table (order-independent), to compare a store before and after."""
    out = {}
    for name in store.tables():
        rows = store.raw.execute(f'SELECT * FROM "{name}"').fetchall()
        digest = hashlib.sha256("\n".join(sorted(map(repr, rows))).encode()).hexdigest()
        out[name] = f"{len(rows)}:{digest}"
    return out


def test_import_counts_rows_and_quarantine(store: Store) -> None:
    with store.importer(_meta()) as imp:
        imp.rows_read = 4
        imp.insert("chain_stages", _stages(3))
        imp.quarantine(file="stages.csv", line=5, field="name", value="", reason="empty name")
    r = imp.result
    assert (r.status, r.rows_read, r.rows_loaded, r.rows_quarantined) == ("loaded", 4, 3, 1)
    q = store.query("SELECT file, line, field, reason, dataset_id FROM quarantine").to_pylist()
    assert q == [{"file": "stages.csv", "line": 5, "field": "name", "reason": "empty name",
                  "dataset_id": r.dataset_id}]
    d = store.dataset(r.dataset_id)
    assert (d["rows_loaded"], d["rows_quarantined"], d["licence"]) == (3, 1, "CC0")


def test_same_content_again_changes_nothing(store: Store) -> None:
    with store.importer(_meta()) as imp:
        imp.insert("chain_stages", _stages(3))
    before = snapshot(store)
    with store.importer(_meta()) as imp2:
        assert imp2.unchanged
    assert imp2.result.status == "unchanged"
    assert imp2.result.dataset_id == imp.result.dataset_id
    assert snapshot(store) == before


def test_new_vintage_is_kept_beside_the_old(store: Store) -> None:
    with store.importer(_meta("2019", "A")) as a:
        a.insert("chain_stages", _stages(2))
    with store.importer(_meta("2025", "B")) as b:
        b.insert("chain_stages", _stages(3))
    assert b.result.status == "loaded"
    rows = store.query("SELECT dataset_id, count(*) AS n FROM chain_stages GROUP BY 1 ORDER BY 1").to_pylist()
    assert rows == [{"dataset_id": a.result.dataset_id, "n": 2}, {"dataset_id": b.result.dataset_id, "n": 3}]


def test_changed_content_of_same_vintage_replaces_it(store: Store) -> None:
    with store.importer(_meta("2025", "A")) as a:
        a.insert("chain_stages", _stages(2))
        a.quarantine(file="f", line=1, field=None, value=None, reason="x")
    with store.importer(_meta("2025", "B")) as b:
        b.insert("chain_stages", _stages(5))
    assert b.result.status == "replaced"
    assert store.query("SELECT count(*) AS n FROM chain_stages").column("n")[0].as_py() == 5
    assert store.query("SELECT count(*) AS n FROM quarantine").column("n")[0].as_py() == 0
    assert store.query("SELECT count(*) AS n FROM datasets").column("n")[0].as_py() == 1


def test_an_error_mid_import_leaves_nothing(store: Store) -> None:
    with store.importer(_meta("2019", "A")) as a:
        a.insert("chain_stages", _stages(2))
    before = snapshot(store)
    with pytest.raises(RuntimeError), store.importer(_meta("2025", "B")) as b:
        b.insert("chain_stages", _stages(100))
        raise RuntimeError("parser failed half-way")
    assert snapshot(store) == before


def test_unknown_column_is_refused(store: Store) -> None:
    from autarky.errors import StoreError

    with pytest.raises(StoreError, match="no column"), store.importer(_meta()) as imp:
        imp.insert("chain_stages", pa.table({"stage_id": ["S1"], "name": ["x"], "bogus": [1]}))


_KILLED_IMPORT = textwrap.dedent("""
    import sys, time
    import pyarrow as pa
    from autarky.store import DatasetMeta, open_store
    st = open_store(sys.argv[1])
    meta = DatasetMeta(name="big", kind="eto", vintage="2030", content_hash="K")
    with st.importer(meta) as imp:
        for chunk in range(20):
            n = 50_000
            imp.insert("chain_provision", pa.table({
                "provider_id": [f"P{i}" for i in range(n)], "node_id": ["N1"] * n,
                "year": [2030] * n, "share": [1.0] * n, "share_view": ["hq"] * n}))
            imp.quarantine(file="x.csv", line=chunk, field="f", value="v", reason="r")
            if chunk == 10:
                print("HALF", flush=True)
                time.sleep(600)
""")


def test_sigkill_half_way_leaves_the_store_exactly_as_before(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    st = open_store(path)
    with st.importer(_meta("2019", "A")) as a:
        a.insert("chain_stages", _stages(3))
    before = snapshot(st)
    st.close()

    with subprocess.Popen([sys.executable, "-c", _KILLED_IMPORT, str(path)], stdout=subprocess.PIPE,
                          text=True) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "HALF"  # 550,000 rows written inside the open transaction
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    st = open_store(path)
    assert snapshot(st) == before
    assert st.query("SELECT count(*) AS n FROM datasets WHERE name = 'big'").column("n")[0].as_py() == 0
    st.close()
