"""Database layer: models, connection (SQLite default, PostgreSQL URL), migrations."""
from gkdesk.db.connection import close_database, current, open_database, write_transaction
from gkdesk.db.models import db

__all__ = ["db", "open_database", "close_database", "current", "write_transaction"]
