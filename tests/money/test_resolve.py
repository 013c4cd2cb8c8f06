"""Entity resolution: Chinese names, pinyin, traditional characters and typos resolve; near-names do not merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from autarky.money import load_ledger, pending_suggestions
from autarky.money.resolve import EntityIndex, compact_key, discriminators, normalize_name
from autarky.store import Store

DATA = Path(__file__).parents[1] / "data" / "money" / "resolution"

EXPECTED = {
    # deal: (fund id, investee id) the ledger's names must resolve to
    "r01": ("bf2", "smic"),  # Big Fund II / 中芯国际
    "r02": ("bf2", "smic"),  # 国家集成电路产业投资基金二期 / Zhongxin Guoji
    "r03": ("bf2", "smic"),  # "Phase 2" / Semiconducter Manufacturing Internatonal Corp. (typos)
    "r04": ("bf2", "smic"),  # id / 中芯國際 (traditional characters)
    "r05": ("bf2", "smic"),  # SMIC
    "r06": ("hubei-ic", "ymtc"),  # 湖北省… / Changjiang Cunchu (pinyin of 长江存储)
    "r07": ("hubei-ic", "ymtc"),  # Yangtze Memory Technolgies (typo)
    "r08": ("hunan-ic", "cxmt"),  # Changxin Cunchu: pinyin of 长鑫存储 (长 read chang, not zhang)
    "r09": ("hunan-ic", "cxmt"),
    "r12": ("bf2", "huahong"),  # Huahong Semiconductor = pinyin of 华虹半导体
    "r13": ("bf2", "naura"),  # 北方华创
    "r14": ("bf2", "naura"),  # Naura Technology Grop (typo)
}


@pytest.fixture
def resolved(store: Store) -> dict[str, dict[str, object]]:
    result = load_ledger(store, DATA)
    assert result.rows_quarantined == 0
    return {r["deal_id"]: r for r in store.query("SELECT * FROM deals").to_pylist()}


def test_names_resolve_to_the_right_entities(resolved: dict[str, dict[str, object]]) -> None:
    got = {d: (resolved[d]["fund_id"], resolved[d]["investee_id"]) for d in EXPECTED}
    assert got == EXPECTED


def test_no_false_merge(resolved: dict[str, dict[str, object]], store: Store) -> None:
    # Henan is neither Hubei nor Hunan; Phase III is not Phase II; "Changjiang Memory" is not a known name
    assert resolved["r10"]["fund_id"] not in ("hubei-ic", "hunan-ic", "bf2")
    assert resolved["r11"]["fund_id"] != "bf2"
    assert resolved["r15"]["investee_id"] not in ("ymtc", "cxmt")
    assert (resolved["r10"]["fund_match"], resolved["r11"]["fund_match"]) == ("new", "new")
    # Changjiang (YMTC) and Changxin (CXMT) stay apart
    ymtc = {d for d, r in resolved.items() if r["investee_id"] == "ymtc"}
    cxmt = {d for d, r in resolved.items() if r["investee_id"] == "cxmt"}
    assert ymtc == {"r06", "r07"} and cxmt == {"r08", "r09"}
    # the near-misses are offered for review, never merged silently
    pending = pending_suggestions(store)
    pairs = set(zip(pending["entity_id"].to_list(), pending["candidate_id"].to_list(), strict=True))
    assert (resolved["r11"]["fund_id"], "bf2") in pairs
    assert (resolved["r10"]["fund_id"], "hunan-ic") in pairs


def test_declared_entities_are_not_merged_by_likeness(store: Store, tmp_path: Path) -> None:
    load_ledger(store, DATA)
    (tmp_path / "investees.csv").write_text(
        "investee_id,name,name_zh,source_document,confidence\n"
        "smic-2,SMIC,,test,low\n"  # exact alias of a known entity: the same entity
        "ymtc-like,Yangtze Memory Technologies Holdings,,test,low\n"  # similar name, own id: kept apart
        "hh,Hua Hong Bandaoti,,test,low\n",  # pinyin of 华虹半导体 only: kept apart, suggested
        encoding="utf-8",
    )
    result = load_ledger(store, tmp_path / "investees.csv", name="second")
    ids = {r["investee_id"] for r in store.query(
        "SELECT investee_id FROM investees WHERE dataset_id = ?", [result.dataset_id]).to_pylist()}
    assert ids == {"smic", "ymtc-like", "hh"}
    assert any("same entity as 'smic'" in w for w in result.warnings)
    pending = pending_suggestions(store)
    pairs = set(zip(pending["entity_id"].to_list(), pending["candidate_id"].to_list(), strict=True))
    assert ("hh", "huahong") in pairs


def test_index_rules() -> None:
    ix = EntityIndex("fund")
    ix.add("bf2", ["National IC Industry Investment Fund Phase II", "国家集成电路产业投资基金二期"])
    ix.add("hubei", ["Hubei IC Industry Investment Fund"])
    assert ix.resolve("national ic industry investment fund phase 2").match is not None
    assert ix.resolve("National IC Industry Investment Fund Phase III").match is None
    assert ix.resolve("Hunan IC Industry Investment Fund").match is None
    res = ix.resolve("Hubei IC Industry Investmnt Fund")
    assert res.match is not None and res.match.entity_id == "hubei" and res.match.method == "fuzzy"
    # below the threshold: a suggestion only
    low = ix.resolve("Hubei IC Fund", threshold=99)
    assert low.match is None


def test_normalisation_helpers() -> None:
    assert normalize_name("Yangtze Memory Technologies Co., Ltd.") == "yangtze memory technologies"
    assert normalize_name("中芯国际集成电路制造有限公司") == "中芯国际集成电路制造"
    assert compact_key("中芯国际") == compact_key("Zhongxin Guoji") == "zhongxinguoji"
    assert discriminators("Big Fund II") == discriminators("国家大基金二期") == frozenset({"2"})
    assert discriminators("湖北省集成电路产业投资基金") == frozenset({"hubei"})
    assert discriminators("Inner Mongolia Fund") == frozenset({"neimenggu"})
