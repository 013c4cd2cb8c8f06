"""The API's JSON response: the documents of :meth:`Result.to_dict`, encoded by orjson.

Answers hold thousands of figures; orjson encodes them about eight times faster than the standard
library (27 ms against 216 ms for the ~210 answers of ``bench/api/bench_cold.py``).  The documents are
already JSON values (:func:`autarky.queries.results.to_json` turns NaN and infinities into null), so the
bytes parse to what ``json.dumps`` would have written.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse

__all__ = ["JSON"]


class JSON(JSONResponse):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
