"""Entity names as lists write them, reduced to a key that matches across spellings.

``normalise_entity("Huawei Technologies Co., Ltd.") == normalise_entity("HUAWEI TECHNOLOGIES CO LTD")``:
Unicode NFKC, case-folded, punctuation to spaces, trailing legal forms dropped (Co., Ltd., Inc., Corp.,
Corporation, Company, Limited, LLC, GmbH, AG, S.A., plc, K.K., 株式会社, 有限公司, 公司), spaces collapsed.
It is deliberately conservative -- no fuzzy matching: a listed firm is marked only when its name matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalise_entity"]

_SUFFIXES = ("co", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "company", "llc", "gmbh",
             "ag", "sa", "s a", "plc", "kk", "k k", "株式会社", "有限公司", "股份有限公司", "公司")


@lru_cache(maxsize=1 << 16)  # pages and filters match the same listed names again and again
def normalise_entity(name: str) -> str:
    s = unicodedata.normalize("NFKC", name).casefold()
    s = re.sub(r"[^\w\u3000-\u9fff]+", " ", s).strip()
    changed = True
    while changed and s:
        changed = False
        for suf in _SUFFIXES:
            if s == suf:
                break
            if s.endswith(" " + suf) or (not suf.isascii() and s.endswith(suf)):
                s = s[: -len(suf)].rstrip()
                changed = True
    return re.sub(r"\s+", " ", s)
