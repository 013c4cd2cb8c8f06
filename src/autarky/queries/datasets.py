"""Plumbing questions: the datasets loaded, quarantined rows, blocs and what an economy name stands for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autarky.queries.convert import build_table, integer, listing, prose, text
from autarky.queries.results import Result, TableResult
from autarky.queries.spec import Request, as_names, param, set_field

if TYPE_CHECKING:
    from autarky.store import Store

__all__ = ["BlocsRequest", "DatasetsRequest", "EconomiesRequest", "EconomyRequest", "QuarantineRequest",
           "WarningsRequest"]


@dataclass(frozen=True, kw_only=True)
class DatasetsRequest(Request):
    kind: str | None = param(None, help="Only datasets of this kind (eto, baci, ledger …).")


@dataclass(frozen=True, kw_only=True)
class QuarantineRequest(Request):
    dataset: int | None = param(None, help="Only this dataset id.", wire=int, minimum=1, maximum=2**62)


@dataclass(frozen=True, kw_only=True)
class WarningsRequest(Request):
    dataset: int | None = param(None, help="Only this dataset id.", wire=int, minimum=1, maximum=2**62)


@dataclass(frozen=True, kw_only=True)
class BlocsRequest(Request):
    pass


@dataclass(frozen=True, kw_only=True)
class EconomiesRequest(Request):
    search: str | None = param(None, help="Part of a name or code, any case (default: every economy).")


@dataclass(frozen=True, kw_only=True)
class EconomyRequest(Request):
    name: str = param(help="An economy, a bloc, or a comma-separated list: CHN, US_ALLIES, NLD,JPN.",
                      positional=True)

    def __post_init__(self) -> None:
        set_field(self, "name", ",".join(as_names(self.name, "name")))


class DatasetsResult(TableResult):
    question = "datasets"


class QuarantineResult(TableResult):
    question = "quarantine"


class BlocsResult(TableResult):
    question = "blocs"


class WarningsResult(TableResult):
    question = "warnings"


class EconomiesResult(TableResult):
    question = "economies"


@dataclass
class EconomyResult(Result):
    question = "economy"
    label: str = ""
    parts: list[str] = field(default_factory=list)
    is_bloc: bool = False
    members: list[dict[str, str]] = field(default_factory=list)


def _shown_source(source: Any) -> str | None:
    """A dataset's source as a reader may see it: a URL as is, a local path reduced to its file name."""
    if source is None:
        return None
    s = str(source)
    if s.startswith(("http://", "https://")):
        return s
    parts = [p for p in s.replace("\\", "/").split("/") if p]
    return parts[-1] if parts else s


def datasets(store: Store, req: DatasetsRequest) -> DatasetsResult:
    where, params = ("WHERE kind = ?", [req.kind]) if req.kind else ("", [])
    rows = store.query(
        "SELECT dataset_id AS id, name, kind, vintage, licence, rows_loaded AS rows, rows_quarantined AS quarantined,"
        f" publisher, attribution, source, content_hash, CAST(loaded_at AS VARCHAR) AS loaded_at FROM datasets {where}"
        " ORDER BY dataset_id", params).to_pylist()
    fetched: dict[int, list[dict[str, Any]]] = {}
    for f in store.query("SELECT dataset_id, url, sha256 FROM fetched_files WHERE dataset_id IS NOT NULL "
                         "ORDER BY dataset_id, url").to_pylist():
        fetched.setdefault(int(f["dataset_id"]), []).append(f)
    for r in rows:
        r["source"] = _shown_source(r["source"])
        files = fetched.get(int(r["id"]), [])
        r["fetched_from"] = [f["url"] for f in files]
        r["fetched_sha256"] = [f["sha256"] for f in files]
    outs = [integer("id", "Id"), text("name", "Dataset"), text("kind", "Kind"), text("vintage", "Vintage"),
            text("licence", "Licence"), integer("rows", "Rows", fmt="count"),
            integer("quarantined", "Quarantined", fmt="count"), text("publisher", "Publisher", terminal=False),
            text("attribution", "Attribution", terminal=False), text("source", "Source", terminal=False),
            text("content_hash", "Content sha256", terminal=False),
            listing("fetched_from", "Fetched from", terminal=False),
            listing("fetched_sha256", "Downloaded files' sha256", terminal=False),
            text("loaded_at", "Loaded at (UTC)", terminal=False)]
    return DatasetsResult(req, build_table(rows, outs, title="Datasets"))


def quarantine(store: Store, req: QuarantineRequest) -> QuarantineResult:
    where, params = ("WHERE q.dataset_id = ?", [req.dataset]) if req.dataset is not None else ("", [])
    rows = store.query(
        "SELECT q.dataset_id AS id, d.name AS dataset, q.file, q.line, q.field, q.value, q.reason "
        f"FROM quarantine q JOIN datasets d USING (dataset_id) {where} "
        "ORDER BY q.dataset_id, q.file, q.line NULLS LAST, q.field", params).to_pylist()
    outs = [integer("id", "Dataset id"), text("dataset", "Dataset"), text("file", "File"),
            integer("line", "Line"), text("field", "Field"), text("value", "Value"), text("reason", "Reason")]
    return QuarantineResult(req, build_table(rows, outs, title="Quarantined rows"))


def blocs(store: Store, req: BlocsRequest) -> BlocsResult:
    members = store.blocs()
    rows = store.query("SELECT bloc, description, source, origin, as_of, source_url FROM blocs ORDER BY bloc"
                       ).to_pylist()
    for r in rows:
        r["members"] = list(members.get(r["bloc"], ()))
        r["n"] = len(r["members"])
    outs = [text("bloc", "Bloc"), text("origin", "Origin"), integer("n", "Members", fmt="count"),
            text("as_of", "As of"), listing("members", "ISO3 members"),
            prose("description", "What it is", terminal=True),
            text("source", "Source"), text("source_url", "Source URL", terminal=False)]
    return BlocsResult(req, build_table(rows, outs, title="Blocs"))


def economy(store: Store, req: EconomyRequest) -> EconomyResult:
    from autarky.geo.economies import name_of

    r = store.resolve(req.name)
    known = store.blocs()
    is_bloc = any(p in known and tuple(known[p]) != (p,) for p in r.parts)
    return EconomyResult(req, label=r.label, parts=list(r.parts), is_bloc=is_bloc,
                         members=[{"iso3": m, "name": name_of(m)} for m in sorted(r.members)])


def warnings(store: Store, req: WarningsRequest) -> WarningsResult:
    where, params = ("WHERE w.dataset_id = ?", [req.dataset]) if req.dataset is not None else ("", [])
    rows = store.query(
        "SELECT w.dataset_id AS id, d.name AS dataset, w.subject, w.message FROM data_warnings w "
        f"JOIN datasets d USING (dataset_id) {where} ORDER BY w.dataset_id, w.subject, w.message", params).to_pylist()
    outs = [integer("id", "Dataset id"), text("dataset", "Dataset"), text("subject", "Subject"),
            text("message", "Finding")]
    return WarningsResult(req, build_table(rows, outs, title="Data warnings (findings kept as published)"))


def economies(store: Store, req: EconomiesRequest) -> EconomiesResult:
    where, params = "", []
    if req.search:
        where = ("WHERE contains(lower(iso3), lower(?)) OR contains(lower(name), lower(?))"
                 " OR contains(lower(coalesce(official_name, '')), lower(?))")
        params = [req.search] * 3
    rows = store.query(f"SELECT iso3, name, official_name, iso2, un_code, continent FROM economies {where} "
                       "ORDER BY iso3", params).to_pylist()
    outs = [text("iso3", "ISO3"), text("name", "Name"), text("official_name", "Official name", terminal=False),
            text("iso2", "ISO2"), integer("un_code", "UN M49"), text("continent", "Continent")]
    return EconomiesResult(req, build_table(rows, outs, title="Economies (ISO 3166)"))
