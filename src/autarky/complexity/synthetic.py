"""Generated trade tables with a known complexity structure, for tests, benchmarks and examples.

Each economy has a capability ``a_c`` and a size, each product a sophistication ``b_p`` and a market size.
An economy exports product ``p`` with probability ``σ(s (a_c − b_p) + o)`` and, if it does, the value
``size_c · market_p · exp(a_c − b_p) · LogNormal(0, noise)``.  Capable economies export more (and more
sophisticated) products, so the second eigenvalue of the economy–product network stands clear of the
third and the ECI is well defined — as in real trade data, unlike a matrix of pure noise.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = ["synthetic_population", "synthetic_trade"]

FloatArray = npt.NDArray[np.float64]


def _names(prefix: str, n: int) -> list[str]:
    width = len(str(max(n - 1, 0)))
    return [f"{prefix}{i:0{width}d}" for i in range(n)]


def _structure(
    rng: np.random.Generator, n_economies: int, n_products: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    capability = rng.normal(0.0, 1.0, n_economies)
    sophistication = rng.normal(0.0, 1.0, n_products)
    size = rng.lognormal(0.0, 1.5, n_economies)
    market = rng.lognormal(0.0, 1.0, n_products)
    return capability, sophistication, size, market


def synthetic_trade(
    n_economies: int,
    n_products: int,
    n_years: int = 1,
    *,
    seed: int = 0,
    first_year: int = 2000,
    steepness: float = 2.0,
    offset: float = 0.0,
    noise: float = 1.0,
) -> pl.DataFrame:
    """A long table ``year, economy, product, value`` (float64, > 0) with only the non-zero flows."""
    rng = np.random.default_rng(seed)
    capability, sophistication, size, market = _structure(rng, n_economies, n_products)
    economies = np.array(_names("E", n_economies))
    products = np.array(_names("P", n_products))
    frames = []
    for t in range(n_years):
        a = capability + rng.normal(0.0, 0.05, n_economies) * t
        gap = a[:, np.newaxis] - sophistication[np.newaxis, :]
        p_export = 1.0 / (1.0 + np.exp(-(steepness * gap + offset)))
        exports = rng.random((n_economies, n_products)) < p_export
        value = (
            size[:, np.newaxis] * market[np.newaxis, :] * np.exp(gap)
            * rng.lognormal(0.0, noise, (n_economies, n_products))
        )
        rows, cols = np.nonzero(exports)
        frames.append(
            pl.DataFrame(
                {
                    "year": np.full(rows.size, first_year + t, dtype=np.int64),
                    "economy": economies[rows],
                    "product": products[cols],
                    "value": value[rows, cols] * 1e3,
                }
            )
        )
    return pl.concat(frames)


def synthetic_population(
    n_economies: int, n_years: int = 1, *, seed: int = 0, first_year: int = 2000, spread: float = 0.3
) -> pl.DataFrame:
    """A long table ``year, economy, population`` for the economies of :func:`synthetic_trade` with the
    same ``seed``: population follows each economy's size, times ``LogNormal(0, spread)``."""
    _, _, size, _ = _structure(np.random.default_rng(seed), n_economies, 1)
    base = 1e6 * size * np.random.default_rng(seed + 7919).lognormal(0.0, spread, n_economies)
    economies = _names("E", n_economies)
    return pl.DataFrame(
        {
            "year": np.repeat(np.arange(first_year, first_year + n_years, dtype=np.int64), n_economies),
            "economy": economies * n_years,
            "population": np.concatenate([base * (1.01**t) for t in range(n_years)]),
        }
    )
