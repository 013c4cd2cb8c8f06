"""autarky.measures exposes a deliberate API: a sorted __all__, every name importable, typed results that serialise."""

from __future__ import annotations

import json
from datetime import date

import autarky.measures as measures
from autarky.measures import list_measures, listed_entities, restrictions_for
from autarky.store import Store


def test_all_is_sorted_unique_and_importable() -> None:
    exported = measures.__all__
    assert list(exported) == sorted(exported) and len(set(exported)) == len(exported)
    for name in exported:
        assert hasattr(measures, name), name


def test_results_serialise_to_plain_json(seed_store: Store) -> None:
    ms = list_measures(seed_store, in_force=date(2025, 6, 1))
    doc = json.loads(json.dumps([m.to_dict() for m in ms]))
    assert {"measure_id", "effective", "source_url", "events", "scope", "targets", "entities", "source"} <= set(doc[0])
    rs = restrictions_for(seed_store, frozenset({"CHN"}), date(2025, 6, 1))
    assert json.loads(json.dumps([r.to_dict() for r in rs]))[0]["source_url"].startswith("http")
    listings = listed_entities(seed_store, date(2025, 6, 1))
    entries = listings["huawei technologies"]
    assert {e.measure_id for e in entries} == {"us-el-2019-05-huawei", "us-el-2019-08-huawei-affiliates"}
    assert json.loads(json.dumps(entries[0].to_dict()))["listed_on"] == "2019-05-16"
