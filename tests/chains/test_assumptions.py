"""Share assumptions a user supplies: read from a file or given in code, and labelled assumed wherever used."""

from __future__ import annotations

from pathlib import Path

import pytest

from autarky.chains import (
    ChainMap,
    ExportControl,
    assumptions_from,
    chokepoints,
    export_control,
    node_shares,
    read_assumptions,
)
from autarky.errors import FormatError, UnknownItemError
from autarky.figures import Basis

DATA = Path(__file__).parents[1] / "data" / "chains"


def test_read_assumptions_file() -> None:
    a = read_assumptions(DATA / "assumptions.csv")
    assert [(x.node, x.holder, x.share_pct) for x in a.items] == [
        ("N1", "USA", 90.0),  # "90%" read by the one number reader
        ("Advanced CPUs", "CHN", 4.0),
        ("N4", "Graphcore", 3.0),
    ]
    assert a.items[0].origin == "assumptions.csv line 2"
    with pytest.raises(FormatError) as err:
        read_assumptions(DATA / "assumptions-bad.csv")
    assert "assumptions-bad.csv" in str(err.value) and "line 3" in str(err.value) and "'share'" in str(err.value)


def test_assumed_shares_are_labelled_assumed(eto_map: ChainMap) -> None:
    a = read_assumptions(DATA / "assumptions.csv")
    ns = node_shares(eto_map, "N1", assumptions=a)
    usa = ns.share_of({"USA"})
    assert usa.basis is Basis.ASSUMED and usa.point == 90.0
    chn = ns.share_of({"CHN"})
    assert chn.basis is Basis.ASSUMED and chn.point == 4.0
    # what is left (6%) and who may hold it: the figure rests on the assumptions too
    deu = ns.share_of({"DEU"})
    assert deu.basis is Basis.ASSUMED
    assert ns.hhi.basis is Basis.ASSUMED
    # by provider name: Graphcore's 3% counts for its HQ economy
    assert node_shares(eto_map, "N4", assumptions=a).share_of({"GBR"}).point == 3.0
    # without the assumptions, nothing changed on the map
    assert node_shares(eto_map, "N1").share_of({"USA"}).basis is Basis.QUALITATIVE
    with pytest.raises(UnknownItemError):
        node_shares(eto_map, "N1", assumptions=assumptions_from({("N1", "Atlantis"): 5.0}))


def test_assumptions_flow_into_scenarios_and_chokepoints(eto_map: ChainMap) -> None:
    a = assumptions_from({("N1", "USA"): 90.0, ("N1", "CHN"): 4.0})
    sc = ExportControl(against=frozenset({"USA"}), target=frozenset({"CHN"}), assumptions=a)
    r = export_control(eto_map, sc)
    cpus = r.node("N1")
    assert cpus.assumed and cpus.availability is not None and cpus.availability.basis is Basis.ASSUMED
    assert cpus.available[1] == pytest.approx(0.10)  # 90% of it gone even at best
    assert "rests on an assumed share" in cpus.explanation
    # downstream of an assumed share, every figure says so
    assert r.node("N6").assumed and {s.id: s for s in r.stages}["S1"].assumed
    assert "assumptions" in r.to_dict()["scenario"] and r.scenario.describe()["assumptions"][0]["provider"] == "USA"
    cps = {c.node_id: c for c in chokepoints(eto_map, {"CHN"}, assumptions=a)}
    assert cps["N1"].self_share.basis is Basis.ASSUMED and cps["N1"].score.basis is Basis.ASSUMED
