"""Vega, Vega-Lite and Vega-Embed as one script, from vl-convert (no CDN, works offline)."""

from __future__ import annotations

from functools import cache

__all__ = ["VEGA_LITE_VERSION", "vega_bundle"]

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
    """The JavaScript bundle (about 900 kB), built once per process."""
    import vl_convert as vlc

    bundle: str = vlc.javascript_bundle(_SNIPPET, vl_version=VEGA_LITE_VERSION)
    return bundle
