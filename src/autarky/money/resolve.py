"""Entity resolution for funds and investees: exact aliases, Chinese <-> pinyin, fuzzy matching.

A name is resolved to a known entity in three steps, and only the first two may merge on their own:

1. **alias** -- the normalised name (case, width, punctuation and legal suffixes such as "Co., Ltd." or
   有限公司 removed) equals a normalised name or alias of exactly one entity;
2. **pinyin** -- the name's compact romanisation equals one entity's: Chinese characters become toneless
   pinyin (pypinyin), Latin names lose their spaces, so 中芯国际, "Zhongxin Guoji" and "ZhongxinGuoji" meet;
3. **fuzzy** -- rapidfuzz similarity (token-sort ratio on Latin names, plain ratio on compact pinyin)
   of at least ``threshold`` (default 90) merges only when the best entity is unambiguous and the names
   agree on their *discriminators*: numbers and phase numerals (I, II, III, 一期, 二期) and Chinese place
   names (Hubei vs Hunan, 上海 vs 北京).  Anything from ``suggest_at`` (default 75) up that is not merged
   becomes a suggestion for a person to review (``autarky money resolve``); nothing is merged silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice, product

from rapidfuzz import fuzz, process

__all__ = [
    "DEFAULT_SUGGEST_AT",
    "DEFAULT_THRESHOLD",
    "EntityIndex",
    "Match",
    "Resolution",
    "compact_key",
    "compact_keys",
    "discriminators",
    "has_cjk",
    "normalize_name",
    "pinyin_of",
]

DEFAULT_THRESHOLD = 90.0
DEFAULT_SUGGEST_AT = 75.0

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LEGAL_LATIN = {
    "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "plc", "the",
    "sa", "ag", "gmbh", "bv", "nv", "kk",
}
_LEGAL_ZH = ("股份有限公司", "有限责任公司", "有限責任公司", "股份有限公司", "有限公司", "股份公司")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8",
          "ix": "9", "x": "10"}
_ZH_PHASE = {"一期": "1", "二期": "2", "三期": "3", "四期": "4", "五期": "5"}
# Province-level divisions and large cities, Chinese -> pinyin key, so 湖北 and "Hubei" compare equal.
_PLACES_ZH = {
    "北京": "beijing", "天津": "tianjin", "上海": "shanghai", "重庆": "chongqing", "重慶": "chongqing",
    "河北": "hebei", "山西": "shanxi", "辽宁": "liaoning", "吉林": "jilin", "黑龙江": "heilongjiang",
    "江苏": "jiangsu", "浙江": "zhejiang", "安徽": "anhui", "福建": "fujian", "江西": "jiangxi",
    "山东": "shandong", "河南": "henan", "湖北": "hubei", "湖南": "hunan", "广东": "guangdong",
    "海南": "hainan", "四川": "sichuan", "贵州": "guizhou", "云南": "yunnan", "陕西": "shaanxi",
    "甘肃": "gansu", "青海": "qinghai", "台湾": "taiwan", "內蒙古": "neimenggu", "内蒙古": "neimenggu",
    "广西": "guangxi", "西藏": "xizang", "宁夏": "ningxia", "新疆": "xinjiang", "香港": "hongkong",
    "澳门": "macau", "深圳": "shenzhen", "武汉": "wuhan", "合肥": "hefei", "南京": "nanjing",
    "苏州": "suzhou", "无锡": "wuxi", "杭州": "hangzhou", "厦门": "xiamen", "成都": "chengdu",
    "西安": "xian", "广州": "guangzhou", "大连": "dalian", "青岛": "qingdao", "长沙": "changsha",
    "郑州": "zhengzhou", "济南": "jinan", "宁波": "ningbo", "绍兴": "shaoxing", "厦門": "xiamen",
    "珠海": "zhuhai", "南昌": "nanchang", "福州": "fuzhou", "沈阳": "shenyang", "长春": "changchun",
    "哈尔滨": "harbin", "太原": "taiyuan", "石家庄": "shijiazhuang", "昆明": "kunming", "贵阳": "guiyang",
    "南宁": "nanning", "兰州": "lanzhou", "乌鲁木齐": "urumqi", "呼和浩特": "hohhot", "银川": "yinchuan",
    "西宁": "xining", "拉萨": "lhasa", "海口": "haikou", "常州": "changzhou", "南通": "nantong",
    "徐州": "xuzhou", "东莞": "dongguan", "佛山": "foshan", "芜湖": "wuhu", "泉州": "quanzhou",
}
_PLACES_LATIN = set(_PLACES_ZH.values()) | {
    "inner", "mongolia", "tibet", "macao", "hong", "kong", "xi'an", "canton", "peking", "chungking",
}
_PLACE_ALIASES = {"tibet": "xizang", "macao": "macau", "peking": "beijing", "canton": "guangzhou",
                  "chungking": "chongqing"}


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _strip_zh_suffix(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _LEGAL_ZH:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    return text


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Case-, width- and punctuation-insensitive form of a name without legal suffixes."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    text = _strip_zh_suffix(text.strip())
    text = re.sub(r"[^\w\u3400-\u9fff]+", " ", text).replace("_", " ")
    tokens = text.split()
    while len(tokens) > 1 and tokens[-1] in _LEGAL_LATIN:
        tokens.pop()
    while len(tokens) > 1 and tokens[0] == "the":
        tokens.pop(0)
    # a numeral after a word is a number: "Fund II" and "Fund 2" are the same name
    tokens = [_ROMAN.get(t, t) if i > 0 else t for i, t in enumerate(tokens)]
    return " ".join(tokens)


@lru_cache(maxsize=65536)
def pinyin_of(text: str) -> str:
    """Toneless pinyin of the Chinese characters in ``text``, space-separated (Latin parts kept)."""
    from pypinyin import lazy_pinyin  # ~0.3 s of dictionaries: loaded when a Chinese name is first read

    parts = lazy_pinyin(unicodedata.normalize("NFKC", text))
    return " ".join(p.strip().lower() for p in parts if p.strip())


def _ascii_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
                  .decode().lower())


@lru_cache(maxsize=65536)
def compact_key(name: str) -> str:
    """Romanised, spaceless form: 中芯国际 -> 'zhongxinguoji', 'Zhongxin Guoji' -> 'zhongxinguoji'."""
    norm = normalize_name(name)
    return _ascii_key(pinyin_of(norm) if has_cjk(norm) else norm)


_MAX_READINGS = 16


@lru_cache(maxsize=65536)
def compact_keys(name: str) -> tuple[str, ...]:
    """:func:`compact_key` plus the other readings of polyphonic characters (长 chang/zhang), at most 16."""
    first = compact_key(name)
    norm = normalize_name(name)
    if not has_cjk(norm):
        return (first,)
    from pypinyin import Style, pinyin

    readings = pinyin(norm, style=Style.NORMAL, heteronym=True)
    keys = dict.fromkeys([first])
    for combo in islice(product(*readings), _MAX_READINGS):
        keys[_ascii_key("".join(combo))] = None
    return tuple(k for k in keys if k)


@lru_cache(maxsize=65536)
def discriminators(name: str) -> frozenset[str]:
    """Tokens two names must share to be merged by similarity: numbers, phase numerals, places."""
    text = unicodedata.normalize("NFKC", name)
    found: set[str] = set()
    for zh, key in _PLACES_ZH.items():
        if zh in text:
            found.add(key)
    for zh, num in _ZH_PHASE.items():
        if zh in text:
            found.add(num)
    norm = normalize_name(text)
    tokens = norm.split()
    for i, tok in enumerate(tokens):
        if tok.isdigit():
            found.add(str(int(tok)))
        elif tok in _ROMAN and (i > 0):  # a numeral after a word: "Fund II", "Phase III"
            found.add(_ROMAN[tok])
        elif tok in _PLACES_LATIN:
            found.add(_PLACE_ALIASES.get(tok, tok))
        else:
            m = re.fullmatch(r"(\D*?)(\d+)", tok)
            if m and m.group(1) and not has_cjk(tok):
                found.add(str(int(m.group(2))))
    if {"inner", "mongolia"} <= found:
        found -= {"inner", "mongolia"}
        found.add("neimenggu")
    if {"hong", "kong"} <= found:
        found -= {"hong", "kong"}
        found.add("hongkong")
    found -= {"inner", "mongolia", "hong", "kong"}
    return frozenset(found)


@dataclass(frozen=True)
class Match:
    """A candidate entity for a name."""

    entity_id: str
    alias: str  # the known name it matched
    score: float  # 0-100
    method: str  # id, alias, pinyin, fuzzy
    reason: str | None = None  # why it was not merged, if it was not


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to: ``match`` when merged, else suggestions (possibly none)."""

    query: str
    match: Match | None
    suggestions: tuple[Match, ...] = ()

    @property
    def label(self) -> str:
        if self.match is None:
            return "new"
        return self.match.method if self.match.score >= 100 else f"{self.match.method}:{self.match.score:.0f}"


@dataclass
class EntityIndex:
    """Known entities of one type (funds or investees) and the names they go by."""

    entity_type: str
    _names: dict[str, list[str]] = field(default_factory=dict)  # id -> display names (first = main)
    _by_norm: dict[str, set[str]] = field(default_factory=dict)
    _by_compact: dict[str, set[str]] = field(default_factory=dict)
    _alias_of_key: dict[tuple[str, str], str] = field(default_factory=dict)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._names

    def __len__(self) -> int:
        return len(self._names)

    def ids(self) -> list[str]:
        return list(self._names)

    def name_of(self, entity_id: str) -> str:
        names = self._names.get(entity_id)
        return names[0] if names else entity_id

    def names_of(self, entity_id: str) -> list[str]:
        return list(self._names.get(entity_id, []))

    def add(self, entity_id: str, names: Iterable[str]) -> None:
        """Register ``entity_id`` under each of ``names`` (its name, Chinese name, pinyin, aliases)."""
        known = self._names.setdefault(entity_id, [])
        for name in names:
            name = name.strip()
            if not name or name in known:
                continue
            known.append(name)
            norm = normalize_name(name)
            if norm:
                self._by_norm.setdefault(norm, set()).add(entity_id)
                self._alias_of_key.setdefault((entity_id, norm), name)
            for comp in compact_keys(name):
                if len(comp) >= 2:
                    self._by_compact.setdefault(comp, set()).add(entity_id)
                    self._alias_of_key.setdefault((entity_id, comp), name)

    # -- matching ---------------------------------------------------------------------------------------
    def exact(self, name: str) -> list[Match]:
        """Entities whose normalised name or compact romanisation equals ``name``'s."""
        norm = normalize_name(name)
        hits = self._by_norm.get(norm, set())
        if hits:
            return [Match(e, self._alias_of_key.get((e, norm), norm), 100.0, "alias") for e in sorted(hits)]
        found: dict[str, str] = {}
        for comp in compact_keys(name):
            for e in self._by_compact.get(comp, set()) if len(comp) >= 2 else ():
                found.setdefault(e, self._alias_of_key.get((e, comp), comp))
        return [Match(e, found[e], 100.0, "pinyin") for e in sorted(found)]

    def fuzzy(self, name: str, *, cutoff: float, limit: int = 5) -> list[Match]:
        """Best fuzzy score per entity at or above ``cutoff``, best first."""
        best: dict[str, tuple[float, str]] = {}
        norm = normalize_name(name)
        if norm and not has_cjk(norm):
            latin = [k for k in self._by_norm if not has_cjk(k)]
            for key, score, _ in process.extract(norm, latin, scorer=fuzz.token_sort_ratio,
                                                 limit=limit * 4, score_cutoff=cutoff):
                for e in self._by_norm[key]:
                    if score > best.get(e, (-1.0, ""))[0]:
                        best[e] = (float(score), self._alias_of_key.get((e, key), key))
        compact_choices = list(self._by_compact)
        for comp in compact_keys(name):
            if len(comp) < 4:
                continue
            for key, score, _ in process.extract(comp, compact_choices, scorer=fuzz.ratio,
                                                 limit=limit * 4, score_cutoff=cutoff):
                for e in self._by_compact[key]:
                    if score > best.get(e, (-1.0, ""))[0]:
                        best[e] = (float(score), self._alias_of_key.get((e, key), key))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        return [Match(e, alias, round(score, 1), "fuzzy") for e, (score, alias) in ranked]

    def resolve(self, name: str, *, threshold: float = DEFAULT_THRESHOLD,
                suggest_at: float = DEFAULT_SUGGEST_AT, exclude: Iterable[str] = (),
                allow_fuzzy_merge: bool = True) -> Resolution:
        """Resolve ``name``: merged when exact and unambiguous, or fuzzy above ``threshold`` and safe."""
        skip = set(exclude)
        exact = [m for m in self.exact(name) if m.entity_id not in skip]
        if len(exact) == 1:
            return Resolution(name, exact[0])
        if len(exact) > 1:
            return Resolution(name, None, tuple(
                Match(m.entity_id, m.alias, m.score, m.method, "the name is an alias of several entities")
                for m in exact))
        fuzzy = [m for m in self.fuzzy(name, cutoff=min(suggest_at, threshold)) if m.entity_id not in skip]
        if not fuzzy:
            return Resolution(name, None)
        top = fuzzy[0]
        disc = discriminators(name)
        reasons: list[str] = []
        if not allow_fuzzy_merge:
            reasons.append("a declared entity is never merged by similarity alone")
        if top.score < threshold:
            reasons.append(f"score {top.score:.0f} below the threshold {threshold:.0f}")
        if len(fuzzy) > 1 and fuzzy[1].score >= threshold:
            reasons.append(f"also close to {fuzzy[1].entity_id} ({fuzzy[1].score:.0f})")
        other = discriminators(top.alias)
        if disc != other:
            diff = sorted(disc ^ other)
            reasons.append(f"names differ in {', '.join(diff)}")
        if len(compact_key(name)) < 5:
            reasons.append("name too short for a similarity match")
        if not reasons:
            return Resolution(name, top)
        suggestions = tuple(
            Match(m.entity_id, m.alias, m.score, m.method,
                  "; ".join(reasons) if m is top else _reason_for(m, name, threshold))
            for m in fuzzy if m.score >= suggest_at
        )
        return Resolution(name, None, suggestions)


def _reason_for(m: Match, name: str, threshold: float) -> str:
    parts = []
    if m.score < threshold:
        parts.append(f"score {m.score:.0f} below the threshold {threshold:.0f}")
    a, b = discriminators(name), discriminators(m.alias)
    if a != b:
        parts.append(f"names differ in {', '.join(sorted(a ^ b))}")
    return "; ".join(parts) or "not the best candidate"
