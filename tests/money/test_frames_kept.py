"""A read-only store reads the ledgers once; what it hands out equals a fresh read."""

from __future__ import annotations

from pathlib import Path

from autarky.money import load_frames
from autarky.money.frames import _read_frames
from autarky.store import open_store


def test_a_read_only_store_keeps_the_ledgers_and_filters_economies_from_them(bundled_store_path: Path) -> None:
    with open_store(bundled_store_path, read_only=True) as st:
        whole = load_frames(st)
        assert load_frames(st) is whole  # kept
        fresh = _read_frames(st)
        for name in ("funds", "investees", "deals", "shareholders", "figures", "statuses"):
            assert getattr(whole, name).equals(getattr(fresh, name)), name
        for econ in ({"CHN"}, {"USA"}, {"CHN", "USA"}):
            part = load_frames(st, economy=econ)
            assert part.funds is whole.funds and part.investees is whole.investees
            # a deal is the economy's when its investee is based there, or its fund when the investee's is unknown
            expected = [i for i, (hq, fund) in enumerate(zip(fresh.deals["hq_economy"], fresh.deals["fund_economy"],
                                                             strict=True)) if (hq in econ if hq else fund in econ)]
            assert part.deals.equals(fresh.deals[expected]), econ
        assert load_frames(st).deals.height == whole.deals.height  # filtering left the kept frames whole
