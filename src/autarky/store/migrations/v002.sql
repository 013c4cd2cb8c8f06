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

