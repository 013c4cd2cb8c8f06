-- autarky store schema, version 1 (frozen: the schema released with autarky 0.1.0).
-- Generated once from autarky/store/schema/*.py at version 1; never edit: add a new version file instead.

CREATE TABLE IF NOT EXISTS "autarky_meta" (
  "key" VARCHAR NOT NULL,
  "value" VARCHAR,
  PRIMARY KEY ("key")
);

CREATE TABLE IF NOT EXISTS "datasets" (
  "dataset_id" BIGINT NOT NULL,
  "name" VARCHAR NOT NULL,
  "kind" VARCHAR NOT NULL,
  "publisher" VARCHAR,
  "vintage" VARCHAR NOT NULL,
  "licence" VARCHAR,
  "attribution" VARCHAR,
  "source" VARCHAR,
  "content_hash" VARCHAR NOT NULL,
  "loaded_at" TIMESTAMP NOT NULL,
  "rows_read" BIGINT,
  "rows_loaded" BIGINT,
  "rows_quarantined" BIGINT,
  "params" VARCHAR,
  "derived_from" VARCHAR,
  PRIMARY KEY ("dataset_id")
);

CREATE TABLE IF NOT EXISTS "quarantine" (
  "dataset_id" BIGINT NOT NULL,
  "file" VARCHAR NOT NULL,
  "line" BIGINT,
  "field" VARCHAR,
  "value" VARCHAR,
  "reason" VARCHAR NOT NULL,
  "raw" VARCHAR
);

CREATE TABLE IF NOT EXISTS "data_warnings" (
  "dataset_id" BIGINT NOT NULL,
  "subject" VARCHAR NOT NULL,
  "message" VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS "economies" (
  "iso3" VARCHAR NOT NULL,
  "name" VARCHAR NOT NULL,
  "official_name" VARCHAR,
  "iso2" VARCHAR,
  "un_code" INTEGER,
  "continent" VARCHAR,
  PRIMARY KEY ("iso3")
);

CREATE TABLE IF NOT EXISTS "blocs" (
  "bloc" VARCHAR NOT NULL,
  "description" VARCHAR,
  "source" VARCHAR,
  "origin" VARCHAR NOT NULL,
  PRIMARY KEY ("bloc")
);

CREATE TABLE IF NOT EXISTS "bloc_members" (
  "bloc" VARCHAR NOT NULL,
  "iso3" VARCHAR NOT NULL,
  PRIMARY KEY ("bloc", "iso3")
);

CREATE TABLE IF NOT EXISTS "chain_stages" (
  "dataset_id" BIGINT NOT NULL,
  "stage_id" VARCHAR NOT NULL,
  "name" VARCHAR NOT NULL,
  "description" VARCHAR,
  "share_view" VARCHAR,
  "source_line" INTEGER,
  PRIMARY KEY ("dataset_id", "stage_id")
);

CREATE TABLE IF NOT EXISTS "chain_nodes" (
  "dataset_id" BIGINT NOT NULL,
  "node_id" VARCHAR NOT NULL,
  "name" VARCHAR NOT NULL,
  "type" VARCHAR NOT NULL,
  "stage_id" VARCHAR,
  "description" VARCHAR,
  "year" INTEGER,
  "market_size" VARCHAR,
  "source" VARCHAR,
  "source_line" INTEGER,
  PRIMARY KEY ("dataset_id", "node_id")
);

CREATE TABLE IF NOT EXISTS "chain_edges" (
  "dataset_id" BIGINT NOT NULL,
  "src" VARCHAR NOT NULL,
  "dst" VARCHAR NOT NULL,
  "kind" VARCHAR NOT NULL,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "chain_providers" (
  "dataset_id" BIGINT NOT NULL,
  "provider_id" VARCHAR NOT NULL,
  "name" VARCHAR NOT NULL,
  "alias" VARCHAR,
  "provider_type" VARCHAR NOT NULL,
  "country" VARCHAR,
  "source_line" INTEGER,
  PRIMARY KEY ("dataset_id", "provider_id")
);

CREATE TABLE IF NOT EXISTS "chain_provision" (
  "dataset_id" BIGINT NOT NULL,
  "provider_id" VARCHAR NOT NULL,
  "node_id" VARCHAR NOT NULL,
  "year" INTEGER NOT NULL,
  "share" DOUBLE,
  "negligible" BOOLEAN,
  "share_view" VARCHAR NOT NULL,
  "source" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "hs_products" (
  "dataset_id" BIGINT NOT NULL,
  "revision" VARCHAR NOT NULL,
  "code" VARCHAR NOT NULL,
  "description" VARCHAR,
  "parent" VARCHAR,
  "level" INTEGER,
  "section" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "hs_concordance" (
  "dataset_id" BIGINT NOT NULL,
  "from_revision" VARCHAR NOT NULL,
  "from_code" VARCHAR NOT NULL,
  "to_revision" VARCHAR NOT NULL,
  "to_code" VARCHAR NOT NULL,
  "relationship" VARCHAR,
  "weight" DOUBLE,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "sector_concordance" (
  "dataset_id" BIGINT NOT NULL,
  "sector" VARCHAR NOT NULL,
  "segment" VARCHAR NOT NULL,
  "hs_revision" VARCHAR NOT NULL,
  "hs_code" VARCHAR NOT NULL,
  "description" VARCHAR,
  "node_ids" VARCHAR,
  "rationale" VARCHAR,
  "source" VARCHAR NOT NULL,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "trade_partner_codes" (
  "dataset_id" BIGINT NOT NULL,
  "scheme" VARCHAR NOT NULL,
  "code" VARCHAR NOT NULL,
  "iso3" VARCHAR NOT NULL,
  "name" VARCHAR,
  "how" VARCHAR
);

CREATE TABLE IF NOT EXISTS "trade_flow_parts" (
  "dataset_id" BIGINT NOT NULL,
  "year" SMALLINT NOT NULL,
  "hs_revision" VARCHAR NOT NULL,
  "reported_by" VARCHAR NOT NULL,
  "path" VARCHAR NOT NULL,
  "files" INTEGER NOT NULL,
  "rows" BIGINT NOT NULL,
  "value_usd" DOUBLE NOT NULL,
  PRIMARY KEY ("dataset_id", "year")
);

CREATE OR REPLACE VIEW "trade_flows" AS SELECT CAST(NULL AS BIGINT) AS "dataset_id", CAST(NULL AS SMALLINT) AS "year", CAST(NULL AS VARCHAR) AS "exporter", CAST(NULL AS VARCHAR) AS "importer", CAST(NULL AS VARCHAR) AS "hs_revision", CAST(NULL AS VARCHAR) AS "product", CAST(NULL AS DOUBLE) AS "value_usd", CAST(NULL AS DOUBLE) AS "quantity", CAST(NULL AS VARCHAR) AS "reported_by", CAST(NULL AS INTEGER) AS "source_line" WHERE false;

CREATE TABLE IF NOT EXISTS "funds" (
  "dataset_id" BIGINT NOT NULL,
  "fund_id" VARCHAR NOT NULL,
  "name" VARCHAR NOT NULL,
  "name_zh" VARCHAR,
  "level" VARCHAR,
  "parent_fund_id" VARCHAR,
  "phase" VARCHAR,
  "established" DATE,
  "established_precision" VARCHAR,
  "economy" VARCHAR,
  "province" VARCHAR,
  "city" VARCHAR,
  "registered_capital" DOUBLE,
  "raised_capital" DOUBLE,
  "currency" VARCHAR,
  "registered_capital_usd" DOUBLE,
  "raised_capital_usd" DOUBLE,
  "usd_rate" DOUBLE,
  "fx_year" INTEGER,
  "fx_source" VARCHAR,
  "source_document" VARCHAR,
  "source_publisher" VARCHAR,
  "source_date" VARCHAR,
  "source_locator" VARCHAR,
  "confidence" VARCHAR,
  "notes" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "fund_shareholders" (
  "dataset_id" BIGINT NOT NULL,
  "fund_id" VARCHAR NOT NULL,
  "shareholder" VARCHAR NOT NULL,
  "shareholder_zh" VARCHAR,
  "share_pct" DOUBLE,
  "amount" DOUBLE,
  "currency" VARCHAR,
  "amount_usd" DOUBLE,
  "usd_rate" DOUBLE,
  "fx_year" INTEGER,
  "fx_source" VARCHAR,
  "date" DATE,
  "date_precision" VARCHAR,
  "source_document" VARCHAR,
  "source_publisher" VARCHAR,
  "source_date" VARCHAR,
  "source_locator" VARCHAR,
  "confidence" VARCHAR,
  "notes" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "investees" (
  "dataset_id" BIGINT NOT NULL,
  "investee_id" VARCHAR NOT NULL,
  "name" VARCHAR NOT NULL,
  "name_zh" VARCHAR,
  "name_pinyin" VARCHAR,
  "hq_economy" VARCHAR,
  "province" VARCHAR,
  "city" VARCHAR,
  "sector" VARCHAR,
  "segment" VARCHAR,
  "node_ids" VARCHAR,
  "implicit" BOOLEAN,
  "source_document" VARCHAR,
  "source_publisher" VARCHAR,
  "source_date" VARCHAR,
  "source_locator" VARCHAR,
  "confidence" VARCHAR,
  "notes" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "deals" (
  "dataset_id" BIGINT NOT NULL,
  "deal_id" VARCHAR NOT NULL,
  "fund_id" VARCHAR,
  "fund_ref" VARCHAR,
  "fund_match" VARCHAR,
  "investee_id" VARCHAR NOT NULL,
  "investee_ref" VARCHAR,
  "investee_match" VARCHAR,
  "amount" DOUBLE,
  "currency" VARCHAR,
  "amount_basis" VARCHAR,
  "amount_usd" DOUBLE,
  "amount_cny" DOUBLE,
  "cny_rate" DOUBLE,
  "usd_rate" DOUBLE,
  "fx_year" INTEGER,
  "fx_source" VARCHAR,
  "date" DATE,
  "date_precision" VARCHAR,
  "stake_pct" DOUBLE,
  "deal_type" VARCHAR,
  "status" VARCHAR,
  "source_document" VARCHAR,
  "source_publisher" VARCHAR,
  "source_date" VARCHAR,
  "source_locator" VARCHAR,
  "confidence" VARCHAR,
  "notes" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "ledger_figures" (
  "dataset_id" BIGINT NOT NULL,
  "figure_id" VARCHAR NOT NULL,
  "subject" VARCHAR NOT NULL,
  "fund_id" VARCHAR,
  "metric" VARCHAR NOT NULL,
  "period" VARCHAR,
  "value" DOUBLE,
  "unit" VARCHAR,
  "source_document" VARCHAR,
  "source_publisher" VARCHAR,
  "source_date" VARCHAR,
  "source_locator" VARCHAR,
  "confidence" VARCHAR,
  "notes" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "entity_aliases" (
  "dataset_id" BIGINT NOT NULL,
  "entity_type" VARCHAR NOT NULL,
  "entity_id" VARCHAR NOT NULL,
  "alias" VARCHAR NOT NULL,
  "alias_kind" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "entity_suggestions" (
  "dataset_id" BIGINT NOT NULL,
  "entity_type" VARCHAR NOT NULL,
  "entity_id" VARCHAR NOT NULL,
  "name" VARCHAR NOT NULL,
  "candidate_id" VARCHAR NOT NULL,
  "candidate_name" VARCHAR NOT NULL,
  "score" DOUBLE NOT NULL,
  "method" VARCHAR NOT NULL,
  "reason" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "entity_decisions" (
  "entity_type" VARCHAR NOT NULL,
  "entity_id" VARCHAR NOT NULL,
  "candidate_id" VARCHAR NOT NULL,
  "decision" VARCHAR NOT NULL,
  "decided_at" TIMESTAMP NOT NULL,
  "note" VARCHAR,
  PRIMARY KEY ("entity_type", "entity_id", "candidate_id")
);

CREATE TABLE IF NOT EXISTS "io_tables" (
  "dataset_id" BIGINT NOT NULL,
  "table_name" VARCHAR NOT NULL,
  "year" SMALLINT,
  "layout" VARCHAR NOT NULL,
  "unit" VARCHAR,
  "n_regions" INTEGER NOT NULL,
  "n_sectors" INTEGER NOT NULL,
  "imports" VARCHAR NOT NULL,
  "columns_complete" BOOLEAN NOT NULL,
  "value_added_rows" VARCHAR,
  "export_categories" VARCHAR,
  "rtol" DOUBLE,
  "atol" DOUBLE,
  "source_file" VARCHAR,
  PRIMARY KEY ("dataset_id", "table_name")
);

CREATE TABLE IF NOT EXISTS "io_labels" (
  "dataset_id" BIGINT NOT NULL,
  "table_name" VARCHAR NOT NULL,
  "axis" VARCHAR NOT NULL,
  "position" INTEGER NOT NULL,
  "code" VARCHAR NOT NULL,
  "region" VARCHAR,
  "name" VARCHAR,
  "unit" VARCHAR,
  PRIMARY KEY ("dataset_id", "table_name", "axis", "position")
);

CREATE TABLE IF NOT EXISTS "io_blocks" (
  "dataset_id" BIGINT NOT NULL,
  "block_id" INTEGER NOT NULL,
  "table_name" VARCHAR NOT NULL,
  "block" VARCHAR NOT NULL,
  "row_axis" VARCHAR NOT NULL,
  "col_axis" VARCHAR,
  "n_rows" INTEGER NOT NULL,
  "n_cols" INTEGER NOT NULL,
  PRIMARY KEY ("dataset_id", "block_id")
);

CREATE TABLE IF NOT EXISTS "io_values" (
  "dataset_id" BIGINT NOT NULL,
  "block_id" INTEGER NOT NULL,
  "row_pos" INTEGER NOT NULL,
  "col_pos" INTEGER NOT NULL,
  "value" DOUBLE NOT NULL
);

CREATE OR REPLACE VIEW "io_cells" AS 
SELECT v.dataset_id, b.table_name, t.year, b.block,
       r.region AS row_region, r.code AS row_sector, c.region AS col_region, c.code AS col_sector,
       v.row_pos, v.col_pos, v.value
FROM io_values v
JOIN io_blocks b ON b.dataset_id = v.dataset_id AND b.block_id = v.block_id
JOIN io_tables t ON t.dataset_id = b.dataset_id AND t.table_name = b.table_name
LEFT JOIN io_labels r ON r.dataset_id = b.dataset_id AND r.table_name = b.table_name
                     AND r.axis = b.row_axis AND r.position = v.row_pos
LEFT JOIN io_labels c ON c.dataset_id = b.dataset_id AND c.table_name = b.table_name
                     AND c.axis = b.col_axis AND c.position = v.col_pos
;

CREATE TABLE IF NOT EXISTS "complexity_results" (
  "dataset_id" BIGINT NOT NULL,
  "year" SMALLINT NOT NULL,
  "economy" VARCHAR NOT NULL,
  "product" VARCHAR NOT NULL,
  "value" DOUBLE,
  "rca" DOUBLE,
  "rpop" DOUBLE,
  "mcp" DOUBLE,
  "diversity" DOUBLE,
  "ubiquity" DOUBLE,
  "eci" DOUBLE,
  "pci" DOUBLE,
  "density" DOUBLE,
  "coi" DOUBLE,
  "cog" DOUBLE
);

CREATE TABLE IF NOT EXISTS "complexity_years" (
  "dataset_id" BIGINT NOT NULL,
  "year" SMALLINT NOT NULL,
  "n_economies" INTEGER NOT NULL,
  "n_products" INTEGER NOT NULL,
  "zero_diversity" VARCHAR,
  "zero_ubiquity" VARCHAR,
  "absent_economies" VARCHAR,
  "absent_products" VARCHAR,
  "components" INTEGER NOT NULL,
  "lambda2" DOUBLE,
  "lambda3" DOUBLE,
  "degenerate" BOOLEAN NOT NULL,
  "defined" BOOLEAN NOT NULL,
  PRIMARY KEY ("dataset_id", "year")
);
