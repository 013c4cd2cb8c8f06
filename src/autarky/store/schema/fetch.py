"""Files fetched from the publishers (``autarky fetch``): where each imported dataset was downloaded from.

One row per downloaded file (and, for an archive, per member that was imported) of a dataset: the URL,
the file in the local cache, its size and sha256, the server's validators (ETag, Last-Modified), when
it was fetched and under which licence.  Rows belong to their dataset (``dataset_id``) and go with it
when a vintage is replaced::

    SELECT d.name, d.vintage, f.url, f.sha256, f.licence
    FROM fetched_files f JOIN datasets d USING (dataset_id)
"""

from __future__ import annotations

from autarky.store.schema import Column, Table, dataset_id

TABLES: tuple[Table, ...] = (
    Table(
        "fetched_files",
        "Files downloaded by `autarky fetch` for a dataset: URL, cache path, bytes, sha256, validators, licence.",
        (
            dataset_id(),
            Column("source", "VARCHAR", False, "connector: baci, comtrade, wdi, oecd-icio, oecd-iot, eto, usgs"),
            Column("url", "VARCHAR", False, "where the file was downloaded from (never carries an API key)"),
            Column("path", "VARCHAR", False, "the file in the local cache"),
            Column("member", "VARCHAR", doc="the file inside the downloaded archive that was imported, if any"),
            Column("bytes", "BIGINT", False, "size of the downloaded file"),
            Column("sha256", "VARCHAR", False, "sha256 of the downloaded file, verified on re-use"),
            Column("etag", "VARCHAR", doc="the server's ETag, if it sent one"),
            Column("last_modified", "VARCHAR", doc="the server's Last-Modified, if it sent one"),
            Column("fetched_at", "TIMESTAMP", False, "when the download completed (UTC)"),
            Column("licence", "VARCHAR", doc="the licence the publisher states for the file"),
        ),
        indexes=(("dataset_id",),),
    ),
)

__all__ = ["TABLES"]
