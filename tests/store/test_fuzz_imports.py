"""Issue 19.8: hostile input to every importer kind ends in a clear error or quarantined rows, never a
traceback, never the silent loss of new or old data.

Each case starts from a store that already holds the real (bundled or fixture) source of that kind, then
imports a damaged copy of it under the same name: empty, header-only, wrong delimiter, UTF-16, UTF-8 with
BOM, Latin-1, a giant line, binary, a duplicated column, NaN/inf/negative numbers, a missing path and a
symlink loop.  :func:`outcome` classifies what happened; ``bench/store/fuzz_report.py`` prints the tally.

Silent loss means: the import succeeded but rows it read are neither loaded, quarantined nor skipped with a
reason (new data), or the dataset loaded before is gone without a replacement of comparable size (old data).
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from autarky.bundled import bundled_path
from autarky.errors import AutarkyError
from autarky.queries.plumbing import run_import
from autarky.store import Store, open_store
from autarky.store.importer import SHRINK_LIMIT

TESTS = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Source:
    """One importer kind with a real source and the file whose damage is tried."""

    label: str
    kind: str
    path: Path
    target: str | None  # the file inside a folder to damage (None: the source is that file)
    options: tuple[tuple[str, Any], ...] = ()
    needs: tuple[tuple[str, Path], ...] = ()  # imports that must precede it (maps links point into)


def _b(rel: str) -> Path:
    return bundled_path(rel)


SOURCES: tuple[Source, ...] = (
    Source("eto", "eto", _b("eto-chip-explorer-2026"), "provision.csv"),
    Source("baci", "baci", _b("baci-sample"), "BACI_HS17_Y2020_V202301_exporters_4_710.csv"),
    Source("comtrade", "comtrade", _b("comtrade-samples/example_1.csv"), None),
    Source("chains", "chains", _b("chains/li-ion-batteries"), "provision.csv"),
    Source("hs", "hs", _b("hs"), "harmonized-system.csv"),
    Source("io-pymrio", "io", _b("mrio-test"), "mrio_data/trade_flows_Z.txt", (("layout", "pymrio"),)),
    Source("io-oecd", "io", _b("oecd-iot-chn/OECD21ed_CHN_1995.csv"), None, (("layout", "oecd"),)),
    Source("io-icio", "io", TESTS / "data" / "io" / "ICIO2023_2018_small.csv", None, (("layout", "icio"),)),
    Source("io-national", "io", TESTS / "data" / "io" / "national_example.csv", None, (("layout", "national"),)),
    Source("ledger", "ledger", _b("ledger"), "deals.csv"),
    Source("sectors", "sectors", _b("sectors/strategic_sectors.csv"), None),
    Source("measures", "measures", _b("measures"), "measures.csv"),
    Source("bom", "bom", _b("company/sample-bom.csv"), None),
    Source("series", "series", _b("series/series.csv"), None),
    Source("wdi", "wdi", _b("wdi-science-technology"), "indicators.csv"),
    Source("map-links", "map-links", _b("chains/critical-minerals/feeds.csv"), None,
           needs=(("eto", _b("eto-chip-explorer-2026")), ("chains", _b("chains/critical-minerals")))),
    Source("ev-outlook", "ev-outlook", _b("iea-gevo-2024"), "iea-global-ev-data-2024-historical.csv",
           (("name", "iea-gevo-2024"),)),
    Source("sector-facts", "sector-facts", _b("sectors-evidence/facts.csv"), None),
)


# -- damage ---------------------------------------------------------------------------------------------------
def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def empty(data: bytes) -> bytes:
    return b""


def header_only(data: bytes) -> bytes:
    return _lines(data)[0] if data else b""


def wrong_delimiter(data: bytes) -> bytes:
    return data.replace(b",", b";").replace(b"\t", b";")


def utf16(data: bytes) -> bytes:
    return data.decode("utf-8-sig", errors="replace").encode("utf-16")


def utf8_bom(data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def latin1(data: bytes) -> bytes:
    text = data.decode("utf-8-sig", errors="replace").replace("e", "é", 3)
    return text.encode("latin-1", errors="replace")


def giant_line(data: bytes) -> bytes:
    lines = _lines(data)
    return b"".join([*lines[:2], b"g" * (2 << 20) + b"\n", *lines[2:]])


def binary(data: bytes) -> bytes:
    rnd = random.Random(19)
    return bytes(rnd.randrange(256) for _ in range(4096)) + b"\x00\x00"


def duplicate_column(data: bytes) -> bytes:
    lines = _lines(data)
    if not lines:
        return data
    sep = b"\t" if b"\t" in lines[0] and b"," not in lines[0] else b","
    first = lines[0].rstrip(b"\r\n").split(sep)[0]
    out = [lines[0].rstrip(b"\r\n") + sep + first + b"\n"]
    out += [ln.rstrip(b"\r\n") + sep + b"dup\n" for ln in lines[1:]]
    return b"".join(out)


_NUMBER = re.compile(rb"(?<=[,;\t])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?=[,;\t\r\n]|$)")


def nan_inf_negative(data: bytes) -> bytes:
    lines = _lines(data)
    bad = [b"NaN", b"inf", b"-5.5", b"-inf"]
    out = lines[:1]
    for i, ln in enumerate(lines[1:]):
        out.append(_NUMBER.sub(lambda m, i=i: bad[i % len(bad)], ln, count=2) if i % 3 == 0 else ln)
    return b"".join(out)


CONTENT_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": empty, "header-only": header_only, "wrong-delimiter": wrong_delimiter, "utf-16": utf16,
    "utf-8-bom": utf8_bom, "latin-1": latin1, "giant-line": giant_line, "binary": binary,
    "duplicate-column": duplicate_column, "nan-inf-negative": nan_inf_negative,
}
PATH_DAMAGE = ("missing-path", "looping-path")
DAMAGE = (*CONTENT_DAMAGE, *PATH_DAMAGE)


# -- running a case -------------------------------------------------------------------------------------------
@dataclass
class Outcome:
    source: str
    damage: str
    result: str  # "clear error", "quarantined", "loaded", "traceback"
    detail: str
    silent_loss: str | None = None


def _copy(src: Path, into: Path) -> Path:
    dst = into / src.name
    into.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copy(src, dst)
    return dst


Template = tuple[Path, dict[int, int]]


def _rows_by_dataset(st: Store) -> dict[int, int]:
    return {int(r["dataset_id"]): int(r["rows_loaded"] or 0)
            for r in st.query("SELECT dataset_id, rows_loaded FROM datasets").to_pylist()}


def template(source: Source, folder: Path) -> Template:
    """A store holding ``source`` as loaded from an intact copy: its path and rows loaded per dataset."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "template.duckdb"
    with open_store(path) as st:
        for kind, needed in source.needs:
            run_import(st, kind, needed)
        run_import(st, source.kind, _copy(source.path, folder / "src"), **dict(source.options))
        return path, _rows_by_dataset(st)


def _clone(template_path: Path, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    dst = into / template_path.name
    shutil.copy(template_path, dst)
    parquet = template_path.with_name(template_path.name + ".parquet")
    if parquet.exists():
        shutil.copytree(parquet, dst.with_name(dst.name + ".parquet"))
    return dst


def run_case(source: Source, damage: str, tmpl: Template, work: Path) -> Outcome:
    """Import ``source`` damaged by ``damage`` into a clone of the template store; classify what happened."""
    store_path = _clone(tmpl[0], work)
    _, old = tmpl
    root = _copy(source.path, work / "src")
    victim = root / source.target if source.target else root
    if damage == "missing-path":
        victim.unlink()
        if victim == root:
            root = victim
    elif damage == "looping-path":
        loop = work / "loop.csv"
        loop.symlink_to(work / "loop2.csv")
        (work / "loop2.csv").symlink_to(loop)
        if victim == root:
            root = loop
        else:
            victim.unlink()
            victim.symlink_to(loop)
    else:
        victim.write_bytes(CONTENT_DAMAGE[damage](victim.read_bytes()))
    with open_store(store_path) as st:
        try:
            r = run_import(st, source.kind, root, **dict(source.options))
        except AutarkyError as exc:
            out = Outcome(source.label, damage, "clear error", str(exc)[:200])
        except Exception as exc:  # a traceback is what this suite counts
            return Outcome(source.label, damage, "traceback", f"{type(exc).__name__}: {exc}"[:300])
        else:
            out = Outcome(source.label, damage, "quarantined" if r.rows_quarantined else "loaded",
                          f"{r.status}: read {r.rows_read}, loaded {r.rows_loaded}, "
                          f"quarantined {r.rows_quarantined}, skipped {r.rows_skipped}")
            if [w for w in r.warnings if w.startswith("rows unaccounted")] or (
                    r.rows_read > r.rows_loaded + r.rows_quarantined + r.rows_skipped):
                out.silent_loss = f"new rows unaccounted: {out.detail}"
        now = _rows_by_dataset(st)
        for dataset_id, rows in old.items():
            if dataset_id in now and now[dataset_id] != rows:
                out.silent_loss = f"dataset {dataset_id}: rows changed {rows} -> {now[dataset_id]}"
            elif dataset_id not in now and out.result == "clear error":
                out.silent_loss = f"dataset {dataset_id} vanished although the import failed"
            elif dataset_id not in now and sum(now.values()) < sum(old.values()) * SHRINK_LIMIT:
                out.silent_loss = f"dataset {dataset_id} replaced by far fewer rows"
    return out


# -- the suite ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Template]:
    base = tmp_path_factory.mktemp("fuzz-templates")
    return {s.label: template(s, base / s.label) for s in SOURCES}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("source", SOURCES, ids=[s.label for s in SOURCES])
def test_damaged_input_is_a_clear_error_or_quarantine(source: Source, damage: str, tmp_path: Path,
                                                      templates: dict[str, Template]) -> None:
    out = run_case(source, damage, templates[source.label], tmp_path)
    assert out.result != "traceback", out.detail
    assert out.silent_loss is None, out.silent_loss
    if out.result == "clear error":
        assert out.detail.strip() and "Traceback" not in out.detail
    if damage in ("empty", "header-only", "binary"):
        assert out.result == "clear error", out  # no data, or none readable: never a successful import
    if damage in PATH_DAMAGE:  # an error, or (a folder whose other files still load, e.g. hs) nothing changes
        assert out.result == "clear error" or out.detail.startswith("unchanged"), out
    if damage == "giant-line":  # refused, or (the streamed trade readers) the line quarantined
        assert out.result in ("clear error", "quarantined"), out
