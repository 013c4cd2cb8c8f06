"""The publishers' data one command away: connectors, robust transfers, and the files each dataset came from.

The sources, their URL layouts and licences are listed in :data:`autarky.fetch.sources.SOURCES`.

One function per source downloads into the local cache (resumable, checksummed, with retries) and, given
a store, imports through the same loaders as ``autarky import``, recording every file in
``fetched_files``::

    from autarky.fetch import FetchConfig, fetch_baci, fetched_files
    result = fetch_baci(store, release="202301", hs="17", years=[2020])
    for f in fetched_files(store, result.imported[0].dataset_id):
        print(f.url, f.sha256, f.licence)

======================  ==========================================================  ===============
source                  function                                                    loader kind
======================  ==========================================================  ===============
``baci``                :func:`fetch_baci` (release, HS revision, years)            ``baci``
``comtrade``            :func:`fetch_comtrade` (reporters, partners, HS, years)     ``comtrade``
``wdi``                 :func:`fetch_wdi` (indicators, economies)                   ``wdi``
``oecd-icio``           :func:`fetch_icio` (edition, years)                         ``io`` (icio)
``oecd-iot``            :func:`fetch_oecd_iot` (economies, years; needs a base URL) ``io`` (oecd)
``eto``                 :func:`fetch_eto` (git ref)                                 ``eto``
``usgs``                :func:`fetch_usgs` (ScienceBase item)                       download only
======================  ==========================================================  ===============
"""

from autarky.errors import NetworkError
from autarky.fetch.baci import baci_file_name, fetch_baci
from autarky.fetch.comtrade import comtrade_code, fetch_comtrade
from autarky.fetch.eto import fetch_eto
from autarky.fetch.http import Download, RetryPolicy, Transfer
from autarky.fetch.oecd import fetch_icio, fetch_oecd_iot
from autarky.fetch.record import FetchedFile, fetched_files, record_fetched
from autarky.fetch.result import FetchResult
from autarky.fetch.sources import FetchConfig, Source, base_url, cache_dir
from autarky.fetch.usgs import fetch_usgs
from autarky.fetch.wdi import fetch_wdi

__all__ = [
    "Download",
    "FetchConfig",
    "FetchResult",
    "FetchedFile",
    "NetworkError",
    "RetryPolicy",
    "Source",
    "Transfer",
    "baci_file_name",
    "base_url",
    "cache_dir",
    "comtrade_code",
    "fetch_baci",
    "fetch_comtrade",
    "fetch_eto",
    "fetch_icio",
    "fetch_oecd_iot",
    "fetch_usgs",
    "fetch_wdi",
    "fetched_files",
    "record_fetched",
]
