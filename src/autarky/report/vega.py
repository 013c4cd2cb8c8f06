"""Vega, Vega-Lite and Vega-Embed as one script, from vl-convert (no CDN, works offline)."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path

from autarky.data import cache_dir

__all__ = ["VEGA_LITE_VERSION", "vega_bundle"]

log = logging.getLogger(__name__)

VEGA_LITE_VERSION = "5.21"

# Renders every element carrying data-vega-spec="<id of a JSON script tag>" once the bundle loads.
_SNIPPET = """
window.autarkyRender = (root) => {
  for (const el of (root || document).querySelectorAll("[data-vega-spec]")) {
    const spec = JSON.parse(document.getElementById(el.dataset.vegaSpec).textContent);
    vegaEmbed(el, spec, {actions: false, renderer: "svg"}).then(() => { el.dataset.rendered = "true"; })
      .catch((err) => { el.dataset.rendered = "error"; el.textContent = String(err); });
  }
};
window.vegaEmbed = vegaEmbed;
autarkyRender();
"""


@cache
def vega_bundle() -> str:
    """The JavaScript bundle (about 900 kB).

    Building it takes vl-convert about a second, the same every time for one vl-convert version, Vega-Lite
    version and snippet: it is built once per machine and kept in :func:`autarky.data.cache_dir` under a name
    derived from those three (written whole or not at all), then read in a millisecond.  If the cache
    cannot be written the bundle is built for this process only.
    """
    path = _bundle_path()
    try:
        text = path.read_text(encoding="utf-8")
        if text:
            return text
    except (OSError, UnicodeDecodeError):
        pass
    import vl_convert as vlc

    bundle: str = vlc.javascript_bundle(_SNIPPET, vl_version=VEGA_LITE_VERSION)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(bundle)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.debug("could not keep the Vega bundle in %s: %s", path.parent, exc)
    return bundle


def _bundle_path() -> Path:
    made_by = f"{metadata.version('vl-convert-python')}\0{VEGA_LITE_VERSION}\0{_SNIPPET}"
    return cache_dir() / f"vega-bundle-{hashlib.sha256(made_by.encode()).hexdigest()[:16]}.js"
