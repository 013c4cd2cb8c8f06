"""Fuzz report (issue 19.8): every importer kind fed damaged copies of a real source.

Runs the cases of ``tests/store/test_fuzz_imports.py`` (the same code the test suite runs) and prints, per
importer: cases tried, clear errors, quarantined, loaded as is, tracebacks and silent losses (both must be 0).
Then a 200 MiB one-line ``provision.csv`` through the ETO importer's line bound: peak Python memory and the
error it gives.

    .venv/bin/python bench/store/fuzz_report.py [--detail]
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import tracemalloc
from collections import Counter
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _suite() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_suite", ROOT / "tests" / "store" / "test_fuzz_imports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_suite"] = module
    spec.loader.exec_module(module)
    return module


def _giant_line(base: Path) -> str:
    from autarky.errors import FormatError
    from autarky.store.limits import check_input

    folder = base / "giant"
    folder.mkdir()
    with (folder / "provision.csv").open("wb") as fh:
        fh.write(b"provider,node,share\n")
        for _ in range(200):
            fh.write(b"y" * (1 << 20))
    tracemalloc.start()
    try:
        check_input("eto", folder)
        message = "accepted (!)"
    except FormatError as exc:
        message = str(exc)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return f"200 MiB one-line provision.csv: peak Python memory {peak / 2**20:.1f} MiB; {message}"


def main() -> int:
    detail = "--detail" in sys.argv
    fz = _suite()
    rows: list[tuple[str, int, int, int, int, int, int]] = []
    shown = []
    with tempfile.TemporaryDirectory(prefix="autarky-fuzz-") as tmp:
        base = Path(tmp)
        for source in fz.SOURCES:
            tmpl = fz.template(source, base / "templates" / source.label)
            tally: Counter[str] = Counter()
            losses = 0
            for damage in fz.DAMAGE:
                out = fz.run_case(source, damage, tmpl, base / "cases" / source.label / damage)
                tally[out.result] += 1
                losses += bool(out.silent_loss)
                if out.result == "traceback" or out.silent_loss or detail:
                    shown.append(out)
            rows.append((source.label, sum(tally.values()), tally["clear error"], tally["quarantined"],
                         tally["loaded"], tally["traceback"], losses))
        giant = _giant_line(base)
    header = ("importer", "cases", "clear errors", "quarantined", "loaded as is", "tracebacks", "silent losses")
    totals = ("total", *(sum(r[i] for r in rows) for i in range(1, len(header))))  # type: ignore[misc]
    table = [header, *rows, totals]
    widths = [max(len(str(r[i])) for r in table) for i in range(len(header))]
    for r in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    for out in shown:
        print(f"  {out.source} / {out.damage}: {out.result}; {out.detail}; silent loss: {out.silent_loss}")
    print(giant)
    return 0 if totals[5] == 0 and totals[6] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
