-- autarky store schema, version 2: from version 1 (frozen once released; never edit a released file).

ALTER TABLE "blocs" ADD COLUMN "as_of" VARCHAR;

ALTER TABLE "blocs" ADD COLUMN "source_url" VARCHAR;

CREATE TABLE IF NOT EXISTS "entity_statuses" (
  "dataset_id" BIGINT NOT NULL,
  "entity_type" VARCHAR NOT NULL,
  "entity_id" VARCHAR NOT NULL,
  "entity_ref" VARCHAR,
  "status" VARCHAR NOT NULL,
  "status_date" DATE,
  "status_date_precision" VARCHAR,
  "source_document" VARCHAR,
  "source_publisher" VARCHAR,
  "source_date" VARCHAR,
  "source_locator" VARCHAR,
  "confidence" VARCHAR,
  "notes" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "indicator_values" (
  "dataset_id" BIGINT NOT NULL,
  "indicator_code" VARCHAR NOT NULL,
  "indicator_name" VARCHAR,
  "economy" VARCHAR NOT NULL,
  "economy_name" VARCHAR,
  "is_aggregate" BOOLEAN NOT NULL,
  "year" INTEGER NOT NULL,
  "value" DOUBLE NOT NULL,
  "source_file" VARCHAR,
  "source_line" INTEGER
);
CREATE INDEX IF NOT EXISTS "indicator_values_idx0" ON "indicator_values" ("indicator_code", "economy", "year");

CREATE TABLE IF NOT EXISTS "series_points" (
  "dataset_id" BIGINT NOT NULL,
  "series_id" VARCHAR NOT NULL,
  "series_name" VARCHAR,
  "economy" VARCHAR NOT NULL,
  "year" INTEGER NOT NULL,
  "value" DOUBLE NOT NULL,
  "unit" VARCHAR,
  "kind" VARCHAR NOT NULL,
  "comparator" VARCHAR,
  "definition" VARCHAR,
  "source_document" VARCHAR NOT NULL,
  "source_publisher" VARCHAR,
  "source_date" VARCHAR,
  "source_locator" VARCHAR,
  "source_url" VARCHAR,
  "notes" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);
CREATE INDEX IF NOT EXISTS "series_points_idx0" ON "series_points" ("series_id", "economy", "year");

CREATE TABLE IF NOT EXISTS "fetched_files" (
  "dataset_id" BIGINT NOT NULL,
  "source" VARCHAR NOT NULL,
  "url" VARCHAR NOT NULL,
  "path" VARCHAR NOT NULL,
  "member" VARCHAR,
  "bytes" BIGINT NOT NULL,
  "sha256" VARCHAR NOT NULL,
  "etag" VARCHAR,
  "last_modified" VARCHAR,
  "fetched_at" TIMESTAMP NOT NULL,
  "licence" VARCHAR
);
CREATE INDEX IF NOT EXISTS "fetched_files_idx0" ON "fetched_files" ("dataset_id");

CREATE TABLE IF NOT EXISTS "measures" (
  "dataset_id" BIGINT NOT NULL,
  "measure_id" VARCHAR NOT NULL,
  "imposing" VARCHAR NOT NULL,
  "authority" VARCHAR,
  "instrument" VARCHAR NOT NULL,
  "title" VARCHAR NOT NULL,
  "document" VARCHAR,
  "announced" DATE,
  "effective" DATE,
  "licence_policy" VARCHAR,
  "threshold" VARCHAR,
  "end_use" VARCHAR,
  "source_url" VARCHAR NOT NULL,
  "locator" VARCHAR,
  "date_note" VARCHAR,
  "scope_note" VARCHAR,
  "note" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER,
  PRIMARY KEY ("dataset_id", "measure_id")
);

CREATE TABLE IF NOT EXISTS "measure_events" (
  "dataset_id" BIGINT NOT NULL,
  "measure_id" VARCHAR NOT NULL,
  "event" VARCHAR NOT NULL,
  "date" DATE NOT NULL,
  "until" DATE,
  "source_url" VARCHAR NOT NULL,
  "locator" VARCHAR,
  "note" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);
CREATE INDEX IF NOT EXISTS "measure_events_idx0" ON "measure_events" ("dataset_id", "measure_id");

CREATE TABLE IF NOT EXISTS "measure_targets" (
  "dataset_id" BIGINT NOT NULL,
  "measure_id" VARCHAR NOT NULL,
  "kind" VARCHAR NOT NULL,
  "target" VARCHAR NOT NULL,
  "name_zh" VARCHAR,
  "economy" VARCHAR,
  "removed" DATE,
  "source_url" VARCHAR,
  "note" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);
CREATE INDEX IF NOT EXISTS "measure_targets_idx0" ON "measure_targets" ("dataset_id", "measure_id");

CREATE TABLE IF NOT EXISTS "measure_scope" (
  "dataset_id" BIGINT NOT NULL,
  "measure_id" VARCHAR NOT NULL,
  "kind" VARCHAR NOT NULL,
  "map" VARCHAR,
  "value" VARCHAR NOT NULL,
  "source_file" VARCHAR,
  "source_line" INTEGER
);
CREATE INDEX IF NOT EXISTS "measure_scope_idx0" ON "measure_scope" ("dataset_id", "measure_id");

CREATE TABLE IF NOT EXISTS "map_links" (
  "dataset_id" BIGINT NOT NULL,
  "src_map" VARCHAR NOT NULL,
  "src_node" VARCHAR NOT NULL,
  "dst_map" VARCHAR NOT NULL,
  "dst_node" VARCHAR NOT NULL,
  "relation" VARCHAR NOT NULL,
  "note" VARCHAR NOT NULL,
  "source" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "bom_lines" (
  "dataset_id" BIGINT NOT NULL,
  "line_id" VARCHAR NOT NULL,
  "part" VARCHAR NOT NULL,
  "quantity" DOUBLE NOT NULL,
  "unit_cost" DOUBLE,
  "currency" VARCHAR,
  "spend" DOUBLE,
  "spend_usd" DOUBLE,
  "fx_year" INTEGER,
  "fx_source" VARCHAR,
  "hs_code" VARCHAR,
  "hs_revisions" VARCHAR,
  "hs22" VARCHAR,
  "node_map" VARCHAR,
  "node_id" VARCHAR,
  "supplier" VARCHAR,
  "hq_country" VARCHAR,
  "site_country" VARCHAR,
  "source_line" INTEGER
);

CREATE TABLE IF NOT EXISTS "ev_outlook" (
  "dataset_id" BIGINT NOT NULL,
  "region" VARCHAR NOT NULL,
  "economy" VARCHAR,
  "category" VARCHAR NOT NULL,
  "parameter" VARCHAR NOT NULL,
  "mode" VARCHAR NOT NULL,
  "powertrain" VARCHAR NOT NULL,
  "year" INTEGER NOT NULL,
  "unit" VARCHAR NOT NULL,
  "value" DOUBLE NOT NULL,
  "source_line" INTEGER
);
CREATE INDEX IF NOT EXISTS "ev_outlook_idx0" ON "ev_outlook" ("economy", "parameter", "year");

CREATE TABLE IF NOT EXISTS "sector_facts" (
  "dataset_id" BIGINT NOT NULL,
  "fact_id" VARCHAR NOT NULL,
  "sector" VARCHAR NOT NULL,
  "subject" VARCHAR NOT NULL,
  "year" INTEGER,
  "basis" VARCHAR NOT NULL,
  "value" DOUBLE,
  "low" DOUBLE,
  "high" DOUBLE,
  "label" VARCHAR,
  "unit" VARCHAR,
  "name" VARCHAR NOT NULL,
  "statement" VARCHAR NOT NULL,
  "edition" VARCHAR,
  "source_document" VARCHAR NOT NULL,
  "source_publisher" VARCHAR,
  "source_date" VARCHAR,
  "source_locator" VARCHAR,
  "source_url" VARCHAR,
  "notes" VARCHAR,
  "source_file" VARCHAR,
  "source_line" INTEGER
);
CREATE INDEX IF NOT EXISTS "sector_facts_idx0" ON "sector_facts" ("sector", "subject");

