"""Timestamps and JSON are stored as the same text whatever path writes them (the audit
chain hashes that text; rows written by earlier releases must compare and sort with new ones)."""
from __future__ import annotations

import datetime as dt

from gkdesk.db.models import AwareDateTimeField, JSONField


def test_timestamps_are_utc_iso_text_with_microseconds():
    f = AwareDateTimeField()
    utc = dt.timezone.utc
    assert f.db_value(dt.datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=utc)) == "2025-01-02T03:04:05.000006+00:00"
    assert f.db_value(dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=utc)) == "2025-01-02T03:04:05.000000+00:00"
    beijing = dt.timezone(dt.timedelta(hours=8))
    assert f.db_value(dt.datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=beijing)) == "2025-01-01T19:04:05.000006+00:00"
    assert f.db_value(dt.datetime(2025, 1, 2, 3, 4, 5, 6)) == "2025-01-02T03:04:05.000006+00:00"   # naive: UTC
    assert f.db_value("2025-01-02T03:04:05.000006+00:00") == "2025-01-02T03:04:05.000006+00:00"
    assert f.db_value(None) is None


def test_json_is_sorted_and_keeps_chinese():
    f = JSONField()
    assert f.db_value({"b": 1, "a": ["二", None, True]}) == '{"a": ["二", null, true], "b": 1}'
    assert f.db_value(None) is None
    assert f.python_value(f.db_value({"件": 3})) == {"件": 3}
