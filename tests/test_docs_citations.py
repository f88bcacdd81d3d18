"""The code cites documents inside the repository only: every pitfall cited by number is in
docs/pitfalls.md, every docs/… path cited exists, nothing points outside the repo (../shared)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for d in ("gkdesk", "tests", "benchmarks", "scripts") for p in (ROOT / d).rglob("*")
           if p.is_file() and p.suffix in (".py", ".md", ".toml", "") and "__pycache__" not in p.parts] + \
    [ROOT / "pyproject.toml"]


def _texts():
    for p in SOURCES:
        if p == Path(__file__):
            continue
        try:
            yield p, p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue


def test_no_citation_points_outside_the_repo():
    bad = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p, t in _texts()
           for m in re.finditer(r"(?:\.\./shared|shared/(?:pitfalls|domain|seeds|design))\S*", t)]
    assert bad == []


def test_every_cited_pitfall_is_in_docs_pitfalls():
    have = set(re.findall(r"^(\d+)\. ", (ROOT / "docs" / "pitfalls.md").read_text(encoding="utf-8"), re.M))
    cited = {(p.relative_to(ROOT).as_posix(), n) for p, t in _texts()
             for n in re.findall(r"docs/pitfalls\.md #(\d+)", t)}
    assert cited, "the code cites pitfalls"
    assert sorted(c for c in cited if c[1] not in have) == []
    loose = [f"{p.relative_to(ROOT)}" for p, t in _texts() if re.search(r"(?<!docs/)pitfalls? #?\d", t)]
    assert loose == [], "cite pitfalls as docs/pitfalls.md #N"


def test_cited_domain_documents_exist():
    cited = {m for _, t in _texts() for m in re.findall(r"docs/domain/[\w-]+\.md", t)}
    assert cited and all((ROOT / c).is_file() for c in cited)
