"""Who a task names, as the tables write it, mapped to the office's real units.

A cell may hold one unit (「区财政局」), several (「编办、发改局、市场监管局」, 「区审改办 区经信局」,
a name broken over two lines: 「行政服务中心⏎管委会」), or words for a whole kind of unit
(「各镇（街道），区政府各部门、各直属机构，区属各国有企业」). ``split`` cuts a cell into its
pieces (not inside brackets: 「局各股室（中队、站）」 is one piece); ``resolve`` maps each
piece to unit ids: a kind phrase to every active unit of the kinds in ``KIND_PHRASES``, a
name to the unit of that name (with or without the 区/县 prefix, or the name in brackets).
What matches nothing comes back unresolved, for the GUI to ask and the CLI to print.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# phrase (after normalizing) → unit kinds (gkdesk.domain.terms.UNIT_KINDS). First match wins;
# a pattern must match the whole piece.
KIND_PHRASES: list[tuple[str, tuple[str, ...]]] = [
    (r"各镇[（(]街道[)）]|各镇街|各乡镇[（(]街道[)）]|各乡镇街道", ("township", "street")),
    (r"各(乡)?镇(人民政府)?", ("township",)),
    (r"各街道(办事处)?", ("street",)),
    (r"(区|县|市)?(政府)?各部门|区直各部门|县直各部门|各有关部门", ("department",)),
    (r"(区|县)?(政府)?各直属机构|各直属单位", ("institution",)),
    (r"(区|县)属(各)?国有企业|各国有企业|(区|县)属各国企", ("enterprise",)),
    (r"(局机关)?各股室|局各股室([（(]中队、?站[)）])?|各股室[（(]中队、?站[)）]", ("section", "subordinate")),
    (r"(各)?下属单位|局属各单位", ("subordinate",)),
    (r"各管委会|各园区(管委会)?", ("committee",)),
    (r"各单位|各责任单位|全体单位", ("street", "township", "department", "committee", "institution",
                                   "enterprise", "section", "subordinate", "other")),
]
_COMPILED = [(re.compile(p), kinds) for p, kinds in KIND_PHRASES]
# a piece that reads like a kind phrase (各…, 全…) but matches none above is asked about
_LOOKS_LIKE_KIND = re.compile(r"^(各|全|所有|其他|有关)|各(部门|单位|股室|机构)")

_OPEN, _CLOSE = "（(〔[【", "）)〕]】"
_SEPARATORS = set("、，,；;/／ ")


def normalize(piece: str) -> str:
    p = (piece or "").replace("\u3000", " ").strip(" ：:。.")
    return p


def split(cell: str) -> list[str]:
    """The pieces of a unit cell, in order, duplicates dropped."""
    text = (cell or "").replace("\r", "\n")
    # a line break inside a name (「行政服务中心⏎管委会」) joins; after a separator it is nothing
    text = re.sub(r"\s*\n\s*", "", text)
    text = text.replace("\u3000", " ").replace("\t", " ")
    pieces, cur, depth = [], [], 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in _SEPARATORS:
            pieces.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    pieces.append("".join(cur))
    out: list[str] = []
    for p in pieces:
        p = normalize(p)
        if p and p not in out and not re.fullmatch(r"[-—–_=·.。，、\s]+", p):
            out.append(p)
    return out


def kinds_of(piece: str) -> tuple[str, ...] | None:
    """The unit kinds a phrase names, or None when it is not a kind phrase."""
    p = normalize(piece)
    for rx, kinds in _COMPILED:
        if rx.fullmatch(p):
            return kinds
    return None


def looks_like_kind(piece: str) -> bool:
    return bool(_LOOKS_LIKE_KIND.search(normalize(piece)))


@dataclass
class UnitIndex:
    """The office's units, for matching names: active units by name and kind."""

    by_name: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "UnitIndex":
        from gkdesk.db.models import Unit

        idx = cls()
        for uid, name, kind in (Unit.select(Unit.id, Unit.name, Unit.kind)
                                .where(Unit.active == True).order_by(Unit.id).tuples()):  # noqa: E712
            idx.add(uid, name, kind)
        return idx

    def add(self, uid: int, name: str, kind: str) -> None:
        self.names[uid] = name
        self.by_kind.setdefault(kind, []).append(uid)
        for key in _name_keys(name):
            self.by_name.setdefault(key, uid)

    def find(self, name: str) -> int | None:
        for key in _name_keys(name):
            if key in self.by_name:
                return self.by_name[key]
        return None


_PREFIX = re.compile(r"^(泉港区|某某区|某某县|区委|区政府|区|县委|县政府|县|市)")


def _name_keys(name: str) -> list[str]:
    """Ways the same unit is written: 区财政局 / 财政局; 运管股（政策法规股） / 运管股 / 政策法规股."""
    n = normalize(name).replace(" ", "")
    keys = [n]
    bare = re.sub(r"[（(][^）)]*[)）]", "", n)
    inner = re.findall(r"[（(]([^）)]*)[)）]", n)
    for k in [bare, *inner]:
        if k and k not in keys:
            keys.append(k)
    for k in list(keys):
        s = _PREFIX.sub("", k)
        if s and s != k and len(s) >= 2 and s not in keys:
            keys.append(s)
    return keys


@dataclass(frozen=True)
class Resolved:
    piece: str                       # as written
    unit_ids: tuple[int, ...]        # the units it means (empty when unresolved)
    by_kind: tuple[str, ...] = ()    # the kinds, when the piece was a kind phrase
    unresolved: bool = False         # nothing matched: ask the clerk


def resolve(cell: str, index: UnitIndex, mapping: dict[str, list[int]] | None = None) -> list[Resolved]:
    """Every piece of ``cell`` with the unit ids it stands for. ``mapping`` (piece → ids)
    holds what the clerk answered for pieces that match nothing (an empty list: ignore)."""
    mapping = mapping or {}
    out = []
    for piece in split(cell):
        if piece in mapping:
            out.append(Resolved(piece, tuple(mapping[piece])))
            continue
        kinds = kinds_of(piece)
        if kinds is not None:
            ids = tuple(i for k in kinds for i in index.by_kind.get(k, []))
            out.append(Resolved(piece, ids, kinds, unresolved=not ids))
            continue
        uid = index.find(piece)
        out.append(Resolved(piece, (uid,) if uid else (), unresolved=uid is None))
    return out
