"""The query that finds a case in the case search index (SQLite); the index itself (its
text, DDL and triggers) is the store's: gkdesk/db/search_index.py.

FTS5's trigram tokenizer finds nothing for 1–2 characters (docs/pitfalls.md #8), and ``LIKE`` over
100,000 wide rows costs 70–180 ms a keystroke. So the index holds every character of the
case number, applicant and content as its own token (``unicode61`` over the characters
separated by spaces), and a query is the phrase of its characters: 拆迁 → "拆 迁". The
tokenizer drops punctuation (〔〕，) and runs the fields together, so its hits are a
superset of the matches, re-checked with ``LIKE`` to keep results exact. Triggers keep the
index; they call ``gk_search_body``, which gkdesk registers on every SQLite connection it
opens.

The phrase holds every character of the query but whitespace, exactly as the indexed text
does, and FTS5 tokenizes both the same way, so whatever the tokenizer keeps or drops
(punctuation, private-use characters, letters newer than its Unicode 6.1 tables) it does
on both sides: a case that holds the query holds the phrase. The one thing to rule out is
a phrase the tokenizer empties (it matches nothing): ``match_phrase`` answers None unless
the query holds a character every SQLite keeps — an ASCII letter or digit, or a CJK
ideograph of the Unicode 6.1 blocks — and the caller then scans with ``LIKE``.
"""
from __future__ import annotations


def _always_a_token(ch: str) -> bool:
    return (ch.isascii() and ch.isalnum()) or "\u4e00" <= ch <= "\u9fcc" or "\u3400" <= ch <= "\u4db5"


def match_phrase(text: str) -> str | None:
    """The FTS5 phrase for a query (see the module docstring), or None when the index
    cannot be trusted to hold it (no ASCII letter or digit, no common CJK ideograph)."""
    chars = [ch for ch in text if not ch.isspace()]
    if not any(_always_a_token(ch) for ch in chars):
        return None
    return '"' + " ".join(chars).replace('"', '""') + '"'
