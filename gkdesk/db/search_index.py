"""The character-level search indexes the store creates and keeps (SQLite FTS5).

FTS5's trigram tokenizer finds nothing for 1–2 characters (docs/pitfalls.md #8), and ``LIKE`` over
100,000 wide rows costs 70–180 ms a keystroke. So each index holds every character of its
text as its own token (``unicode61`` over the characters separated by spaces); triggers keep
the indexes and call ``gk_search_body``, which gkdesk.db.connection registers on every SQLite
connection it opens. The query side (the phrase a search matches, the re-check with ``LIKE``)
is the cases area's: gkdesk/cases/search_text.py and gkdesk/cases/precedents.py.

``case_chars``   rowid = case id: the case number, applicant and content (migration 4);
``reply_chars``  rowid = case id: the case's reply texts (migration 6, precedents);
``letter_chars`` rowid = document id: the markup of each issued letter (not receipts, forms
                 or proofs of service); a cancelled or superseded letter leaves it.
"""
from __future__ import annotations

import peewee as pw

from gkdesk.db.models import db


def search_body(number, name, content) -> str:
    """The indexed text: its characters, space-separated, whitespace dropped."""
    # str.split() splits at exactly the characters str.isspace() calls whitespace
    return " ".join("".join(f"{number or ''}\n{name or ''}\n{content or ''}".split()))


CASE_INDEX_DDL = (
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

# the issued letters the precedents search (not receipts, forms or proofs of service)
LETTER_KINDS = ("reply", "termination", "not-request", "extension", "fee", "correction", "consultation",
                "consultation-notice")
_KINDS_SQL = ", ".join(f"'{k}'" for k in LETTER_KINDS)
_REPLY_BODY = "gk_search_body(new.outcome_reason, new.provided_description, " \
              "new.responsible_agency || ' ' || new.outcome_articles)"
_LETTER_BODY = "gk_search_body('', '', json_extract(new.fields, '$.markup'))"

PRECEDENTS_INDEX_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS reply_chars USING fts5(body, tokenize='unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS letter_chars USING fts5(body, tokenize='unicode61 remove_diacritics 0')",
    'CREATE TRIGGER IF NOT EXISTS reply_chars_ai AFTER INSERT ON "case" '
    "WHEN new.outcome_reason != '' OR new.provided_description != '' OR new.responsible_agency != '' BEGIN "
    f"INSERT INTO reply_chars(rowid, body) VALUES (new.id, {_REPLY_BODY}); END",
    'CREATE TRIGGER IF NOT EXISTS reply_chars_ad AFTER DELETE ON "case" BEGIN '
    "DELETE FROM reply_chars WHERE rowid = old.id; END",
    'CREATE TRIGGER IF NOT EXISTS reply_chars_au AFTER UPDATE OF outcome_reason, provided_description, '
    'responsible_agency, outcome_articles ON "case" BEGIN '
    "DELETE FROM reply_chars WHERE rowid = old.id; "
    f"INSERT INTO reply_chars(rowid, body) SELECT new.id, {_REPLY_BODY} "
    "WHERE new.outcome_reason != '' OR new.provided_description != '' OR new.responsible_agency != ''; END",
    f"CREATE TRIGGER IF NOT EXISTS letter_chars_ai AFTER INSERT ON document "
    f"WHEN new.status = 'issued' AND new.kind IN ({_KINDS_SQL}) BEGIN "
    f"INSERT INTO letter_chars(rowid, body) VALUES (new.id, {_LETTER_BODY}); END",
    "CREATE TRIGGER IF NOT EXISTS letter_chars_au AFTER UPDATE OF status ON document "
    "WHEN new.status != 'issued' BEGIN DELETE FROM letter_chars WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS letter_chars_ad AFTER DELETE ON document BEGIN "
    "DELETE FROM letter_chars WHERE rowid = old.id; END",
)


def create_case_index(rebuild: bool = False) -> None:
    """The case index and its triggers, dropping the old trigram one (SQLite);
    ``rebuild`` fills it from the cases."""
    if not isinstance(db.obj, pw.SqliteDatabase):
        return
    for sql in OLD_TRIGRAM_DDL + CASE_INDEX_DDL:
        db.execute_sql(sql)
    if rebuild:
        db.execute_sql("DELETE FROM case_chars")
        db.execute_sql('INSERT INTO case_chars(rowid, body) '
                       'SELECT id, gk_search_body(number, applicant_name, content) FROM "case"')


def create_precedents_index(rebuild: bool = False) -> None:
    """The reply and letter indexes and their triggers (SQLite); ``rebuild`` fills them."""
    if not isinstance(db.obj, pw.SqliteDatabase):
        return
    for sql in PRECEDENTS_INDEX_DDL:
        db.execute_sql(sql)
    if rebuild:
        db.execute_sql("DELETE FROM reply_chars")
        db.execute_sql("DELETE FROM letter_chars")
        db.execute_sql("INSERT INTO reply_chars(rowid, body) SELECT id, " + _REPLY_BODY.replace("new.", "") +
                       " FROM \"case\" WHERE outcome_reason != '' OR provided_description != '' "
                       "OR responsible_agency != ''")
        db.execute_sql("INSERT INTO letter_chars(rowid, body) SELECT id, " + _LETTER_BODY.replace("new.", "") +
                       f" FROM document WHERE status = 'issued' AND kind IN ({_KINDS_SQL})")
