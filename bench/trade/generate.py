"""Write synthetic BACI files in CEPII's published format, of a chosen size (``bench/out`` is git-ignored).

    python bench/trade/generate.py --rows 11000000 --year 2022 --out bench/out/trade

writes ``BACI_HS17_Y2022_V202401.csv`` (``t,i,j,k,v,q``) with the country and product code tables of that
release.  The flows are skewed like the real data: exporter and importer sizes follow a Zipf law, product
popularity is log-normal, values (thousand USD) are log-normal with three decimals, and quantities have the
real files' quirks: right-aligned in a 13-character field, ``NA`` for about 3% of rows and ``0.000`` for about
5%.  HS codes are the real HS 2017 six-digit codes, written as numbers (``71120`` for ``071120``) as in
BACI extracts that went through a spreadsheet or R, and the exporter/importer codes are BACI's own.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import numpy as np
import polars as pl

DATA = Path(__file__).resolve().parents[2] / "src" / "autarky" / "data"


def _countries() -> tuple[np.ndarray, Path]:
    path = DATA / "baci-sample" / "country_codes_V202201.csv"
    df = pl.read_csv(path, encoding="latin1", infer_schema=False)
    historical = {"58", "200", "230", "278", "280", "530", "532", "590", "711", "720", "736", "810", "866",
                  "868", "886", "890", "891"}
    codes = [int(c) for c in df["country_code"].to_list() if c not in historical]
    return np.array(codes, dtype=np.int32), path


def _products() -> np.ndarray:
    path = DATA / "hs" / "HS_consolidated_comtrade_concordances.csv"
    df = pl.read_csv(path, infer_schema=False)
    hs17 = df.filter(pl.col("adjustment") == "2022 to 2017")["code.before"].unique().sort()
    return np.array([int(c) for c in hs17.to_list()], dtype=np.int32)


def sample_flows(rows: int, year: int, *, seed: int = 20240101) -> tuple[pl.DataFrame, Path, np.ndarray]:
    """About ``rows`` distinct (i, j, k) flows of ``year`` as numbers (``t, i, j, k, v, q`` and a uniform
    ``u`` that picks the quirky quantities), with the country code file and the HS 2017 codes used."""
    rng = np.random.default_rng(seed)
    countries, codes_file = _countries()
    products = _products()
    nc, npr = len(countries), len(products)
    exp_w = 1.0 / np.arange(1, nc + 1) ** 1.1
    imp_w = 1.0 / np.arange(1, nc + 1) ** 0.8
    prod_w = rng.lognormal(0.0, 1.0, npr)
    exp_order = rng.permutation(nc)
    imp_order = rng.permutation(nc)
    keys = np.empty(0, dtype=np.int64)
    while keys.size < rows:
        n = int((rows - keys.size) * 1.6) + 1000
        i = exp_order[rng.choice(nc, n, p=exp_w / exp_w.sum())]
        j = imp_order[rng.choice(nc, n, p=imp_w / imp_w.sum())]
        k = rng.choice(npr, n, p=prod_w / prod_w.sum())
        ok = i != j
        new = (i[ok].astype(np.int64) * nc + j[ok]) * npr + k[ok]
        keys = np.unique(np.concatenate([keys, new]))
    keys = rng.choice(keys, rows, replace=False)
    keys.sort()
    k_idx = keys % npr
    ij = keys // npr
    i_idx, j_idx = ij // nc, ij % nc
    v = np.maximum(np.round(rng.lognormal(1.0, 2.6, rows), 3), 0.001)
    q = np.round(v * rng.lognormal(-1.0, 1.5, rows), 3)
    frame = pl.DataFrame({
        "t": np.full(rows, year, dtype=np.int32),
        "i": countries[i_idx],
        "j": countries[j_idx],
        "k": products[k_idx],
        "v": v,
        "q": q,
        "u": rng.random(rows),
    })
    return frame, codes_file, products


def generate(rows: int, year: int, out: Path, *, version: str = "V202401", revision: str = "HS17",
             seed: int = 20240101, pad_k: bool = False) -> Path:
    """Write one BACI year file with about ``rows`` distinct (i, j, k) flows; returns its path."""
    flows, codes_file, products = sample_flows(rows, year, seed=seed)
    u = flows["u"].to_numpy()
    df = flows.drop("u").with_columns(q=pl.col("q").round(3).cast(pl.String))
    k_col = pl.col("k").cast(pl.String)
    df = df.with_columns(
        k=k_col.str.zfill(6) if pad_k else k_col,
        v=pl.col("v").round(3).cast(pl.String),
        q=pl.when(pl.Series(u < 0.03)).then(pl.lit("NA"))
        .when(pl.Series(u < 0.08)).then(pl.lit("0.000"))
        .otherwise(pl.format("{}", pl.col("q")))
        .str.pad_start(13),
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"BACI_{revision}_Y{year}_{version}.csv"
    df.write_csv(path)
    shutil.copyfile(codes_file, out / f"country_codes_{version}.csv")
    pl.DataFrame({"code": [f"{c:06d}" for c in products.tolist()],
                  "description": [f"HS 2017 product {c:06d}" for c in products.tolist()]}).write_csv(
        out / f"product_codes_{revision}_{version}.csv")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=11_000_000)
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "out" / "trade")
    ap.add_argument("--seed", type=int, default=20240101)
    args = ap.parse_args()
    t0 = time.perf_counter()
    path = generate(args.rows, args.year, args.out, seed=args.seed)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
