"""Investment-ledger tables: funds, shareholders, investees, deals, published figures, entity resolution.

Every ledger row carries its own source (``source_document``, ``source_publisher``, ``source_date``,
``source_locator``) and a ``confidence`` (high, medium, low), besides the dataset it came from.
Amounts are in units of their ``currency`` (not thousands or millions).  Where an amount was converted,
the converted figure sits beside the rate used (``usd_rate``: units of the currency per USD; ``cny_rate``:
CNY per unit of the currency), the year of that annual average (``fx_year``) and the series
(``fx_source``): see ``autarky.money.fx``.  Dates may be partial (a year, a month): ``date`` holds the
first day of the period and ``date_precision`` says which (year, month, day).
"""

from __future__ import annotations

from autarky.store.schema import Column, Table, dataset_id, source_line

_SOURCE = (
    Column("source_document", "VARCHAR", doc="the document a row's facts come from"),
    Column("source_publisher", "VARCHAR"),
    Column("source_date", "VARCHAR", doc="publication date of the document (YYYY, YYYY-MM or YYYY-MM-DD)"),
    Column("source_locator", "VARCHAR", doc="URL, filing number, page or table"),
    Column("confidence", "VARCHAR", doc="high, medium or low"),
    Column("notes", "VARCHAR"),
)

_ORIGIN = (
    Column("source_file", "VARCHAR", doc="file (and sheet or JSON key) the row was read from"),
    source_line(),
)

_FX = (
    Column("usd_rate", "DOUBLE", doc="units of the currency per USD used for the *_usd figures"),
    Column("fx_year", "INTEGER", doc="year of the annual average rate used"),
    Column("fx_source", "VARCHAR", doc="series and release the rate comes from"),
)

TABLES: tuple[Table, ...] = (
    Table(
        "funds",
        "Investment funds (state guidance funds, SOEs, private investors) with registered and raised capital.",
        (
            dataset_id(),
            Column("fund_id", "VARCHAR", False),
            Column("name", "VARCHAR", False),
            Column("name_zh", "VARCHAR"),
            Column("level", "VARCHAR", doc="national, provincial, municipal, SOE or private"),
            Column("parent_fund_id", "VARCHAR"),
            Column("phase", "VARCHAR", doc="e.g. I, II, III for the national IC fund"),
            Column("established", "DATE"),
            Column("established_precision", "VARCHAR", doc="year, month or day"),
            Column("economy", "VARCHAR", doc="ISO3 of the fund's home economy"),
            Column("province", "VARCHAR"),
            Column("city", "VARCHAR"),
            Column("registered_capital", "DOUBLE", doc="registered capital, in currency units"),
            Column("raised_capital", "DOUBLE", doc="capital actually raised, in currency units"),
            Column("currency", "VARCHAR", doc="ISO 4217"),
            Column("registered_capital_usd", "DOUBLE"),
            Column("raised_capital_usd", "DOUBLE"),
            *_FX,
            *_SOURCE,
            *_ORIGIN,
        ),
    ),
    Table(
        "fund_shareholders",
        "Shareholders (limited partners) of each fund with their share and, where published, amount.",
        (
            dataset_id(),
            Column("fund_id", "VARCHAR", False),
            Column("shareholder", "VARCHAR", False),
            Column("shareholder_zh", "VARCHAR"),
            Column("share_pct", "DOUBLE", doc="percent of the fund's registered capital, 0-100"),
            Column("amount", "DOUBLE"),
            Column("currency", "VARCHAR"),
            Column("amount_usd", "DOUBLE"),
            *_FX,
            Column("date", "DATE"),
            Column("date_precision", "VARCHAR"),
            *_SOURCE,
            *_ORIGIN,
        ),
    ),
    Table(
        "investees",
        "Companies and projects receiving investment, linked to sector segments and supply-chain map nodes.",
        (
            dataset_id(),
            Column("investee_id", "VARCHAR", False),
            Column("name", "VARCHAR", False),
            Column("name_zh", "VARCHAR"),
            Column("name_pinyin", "VARCHAR"),
            Column("hq_economy", "VARCHAR", doc="ISO3"),
            Column("province", "VARCHAR"),
            Column("city", "VARCHAR"),
            Column("sector", "VARCHAR", doc="strategic sector (sector_concordance.sector)"),
            Column("segment", "VARCHAR", doc="segment of the sector (sector_concordance.segment)"),
            Column("node_ids", "VARCHAR", doc="supply-chain map nodes, ;-separated"),
            Column("implicit", "BOOLEAN", doc="created from a deal that named an investee the ledger did not list"),
            *_SOURCE,
            *_ORIGIN,
        ),
    ),
    Table(
        "deals",
        "Investments: fund -> investee, amount, date, stake, type and status (incl. failed, abandoned, written off).",
        (
            dataset_id(),
            Column("deal_id", "VARCHAR", False),
            Column("fund_id", "VARCHAR"),
            Column("fund_ref", "VARCHAR", doc="the fund as the ledger named it"),
            Column("fund_match", "VARCHAR", doc="how fund_ref was resolved: id, alias, pinyin, fuzzy:<score>, new"),
            Column("investee_id", "VARCHAR", False),
            Column("investee_ref", "VARCHAR", doc="the investee as the ledger named it"),
            Column("investee_match", "VARCHAR", doc="how investee_ref was resolved"),
            Column("amount", "DOUBLE", doc="in currency units; NULL when no source gives it"),
            Column("currency", "VARCHAR", doc="ISO 4217"),
            Column("amount_basis", "VARCHAR", doc="committed, paid, planned, registered or reported"),
            Column("amount_usd", "DOUBLE"),
            Column("amount_cny", "DOUBLE"),
            Column("cny_rate", "DOUBLE", doc="CNY per unit of the currency used for amount_cny"),
            *_FX,
            Column("date", "DATE"),
            Column("date_precision", "VARCHAR"),
            Column("stake_pct", "DOUBLE", doc="0-100"),
            Column("deal_type", "VARCHAR"),
            Column("status", "VARCHAR",
                   doc="announced, agreed, completed, holding, failed, abandoned or written_off"),
            *_SOURCE,
            *_ORIGIN,
        ),
    ),
    Table(
        "ledger_figures",
        "Published figures that are not one fund or deal: guidance-fund aggregates, shares of commitments.",
        (
            dataset_id(),
            Column("figure_id", "VARCHAR", False),
            Column("subject", "VARCHAR", False),
            Column("fund_id", "VARCHAR", doc="the fund the figure describes, if one"),
            Column("metric", "VARCHAR", False),
            Column("period", "VARCHAR"),
            Column("value", "DOUBLE"),
            Column("unit", "VARCHAR", doc="e.g. 'CNY bn', '%', 'count'"),
            *_SOURCE,
            *_ORIGIN,
        ),
    ),
    Table(
        "entity_statuses",
        "What became of a project, company or fund, dated and sourced: operating, stalled, failed, defaulted, "
        "restructured or investigated (one row per event; the latest dated row is the current status).",
        (
            dataset_id(),
            Column("entity_type", "VARCHAR", False, "investee or fund"),
            Column("entity_id", "VARCHAR", False),
            Column("entity_ref", "VARCHAR", doc="the entity as the ledger named it"),
            Column("status", "VARCHAR", False,
                   "operating, stalled, failed, defaulted, restructured or investigated"),
            Column("status_date", "DATE", doc="when the status was reported or took effect (first day of a "
                                              "year or month when only that is known)"),
            Column("status_date_precision", "VARCHAR", doc="year, month or day"),
            *_SOURCE,
            *_ORIGIN,
        ),
    ),
    Table(
        "entity_aliases",
        "Names under which a fund or investee appears (English, Chinese, pinyin, abbreviations).",
        (
            dataset_id(),
            Column("entity_type", "VARCHAR", False, "fund or investee"),
            Column("entity_id", "VARCHAR", False),
            Column("alias", "VARCHAR", False),
            Column("alias_kind", "VARCHAR", doc="name, zh, pinyin, alias, ref (a name a deal used)"),
            *_ORIGIN,
        ),
    ),
    Table(
        "entity_suggestions",
        "Possible matches below the auto-merge threshold, kept for review (`autarky money resolve`).",
        (
            dataset_id(),
            Column("entity_type", "VARCHAR", False, "fund or investee"),
            Column("entity_id", "VARCHAR", False, "the entity the ledger created"),
            Column("name", "VARCHAR", False, "the name that was matched"),
            Column("candidate_id", "VARCHAR", False, "the known entity it may be"),
            Column("candidate_name", "VARCHAR", False),
            Column("score", "DOUBLE", False, "0-100"),
            Column("method", "VARCHAR", False),
            Column("reason", "VARCHAR", doc="why it was not merged automatically"),
            *_ORIGIN,
        ),
    ),
    Table(
        "entity_decisions",
        "A user's verdicts on suggestions: merge (entity_id is candidate_id) or distinct. Kept across imports.",
        (
            Column("entity_type", "VARCHAR", False),
            Column("entity_id", "VARCHAR", False),
            Column("candidate_id", "VARCHAR", False),
            Column("decision", "VARCHAR", False, "merge or distinct"),
            Column("decided_at", "TIMESTAMP", False),
            Column("note", "VARCHAR"),
        ),
        primary_key=("entity_type", "entity_id", "candidate_id"),
        provenance=False,
    ),
)

__all__ = ["TABLES"]
