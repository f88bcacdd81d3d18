"""The text the case search index holds, and the query that finds it (SQLite).

FTS5's trigram tokenizer finds nothing for 1–2 characters (pitfalls #8), and ``LIKE`` over
100,000 wide rows costs 70–180 ms a keystroke. So the index holds every character of the
case number, applicant and content as its own token (``unicode61`` over the characters
separated by spaces), and a query is the phrase of its characters: 拆迁 → "拆 迁". The
tokenizer drops punctuation (〔〕，), so candidates are re-checked with ``instr`` to keep
results exact. Triggers keep the index; they call ``gk_search_body``, which gkdesk
registers on every SQLite connection it opens.
"""
from __future__ import annotations


def search_body(number, name, content) -> str:
    """The indexed text of a case: its characters, space-separated, whitespace dropped."""
    text = f"{number or ''}\n{name or ''}\n{content or ''}"
    return " ".join(ch for ch in text if not ch.isspace())


def match_phrase(text: str) -> str | None:
    """The FTS5 phrase for a query, or None when it has no letter or digit to look up."""
    chars = [ch for ch in text if ch.isalnum()]
    if not chars:
        return None
    return '"' + " ".join(chars).replace('"', '""') + '"'


INDEX_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS case_chars USING fts5(body, tokenize='unicode61 remove_diacritics 0')",
    'CREATE TRIGGER IF NOT EXISTS case_chars_ai AFTER INSERT ON "case" BEGIN '
    "INSERT INTO case_chars(rowid, body) VALUES (new.id, gk_search_body(new.number, new.applicant_name, new.content)); END",
    'CREATE TRIGGER IF NOT EXISTS case_chars_ad AFTER DELETE ON "case" BEGIN '
    "DELETE FROM case_chars WHERE rowid = old.id; END",
    'CREATE TRIGGER IF NOT EXISTS case_chars_au AFTER UPDATE OF number, applicant_name, content ON "case" BEGIN '
    "DELETE FROM case_chars WHERE rowid = old.id; "
    "INSERT INTO case_chars(rowid, body) VALUES (new.id, gk_search_body(new.number, new.applicant_name, new.content)); END",
)
OLD_TRIGRAM_DDL = (
    "DROP TRIGGER IF EXISTS case_search_ai",
    "DROP TRIGGER IF EXISTS case_search_ad",
    "DROP TRIGGER IF EXISTS case_search_au",
    "DROP TABLE IF EXISTS case_search",
)
