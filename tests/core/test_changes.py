"""The change feed: what a committed write changed reaches subscribers once, after commit."""
import pytest

from gkdesk import changes
from gkdesk.db.connection import write_transaction
from gkdesk.db.models import Setting
from tests.cases.helpers import new_case


@pytest.fixture
def feed():
    got = []
    unsubscribe = changes.subscribe(lambda c, who: got.append((c, who)))
    yield got
    unsubscribe()


def test_registration_publishes_the_new_case_and_a_list_change(db_path, feed):
    case = new_case()
    assert len(feed) == 1, "one registration, one publication"
    c, who = feed[0]
    assert case.id in c.cases and c.case_list
    assert who is None


def test_nested_writes_publish_once_after_the_outer_commit(db_path, feed):
    with write_transaction():
        with write_transaction():
            changes.note("units")
        assert feed == [], "nothing is published before the outer transaction commits"
        changes.note("settings")
    assert len(feed) == 1
    assert feed[0][0].topics == {"units", "settings"}


def test_a_rolled_back_write_publishes_nothing_and_saves_nothing(db_path, feed):
    with pytest.raises(RuntimeError):
        with write_transaction():
            Setting.create(key="probe", value="1")
            changes.note("settings")
            raise RuntimeError("boom")
    assert feed == []
    assert not Setting.select().where(Setting.key == "probe").exists()


def test_initiator_travels_with_the_change(db_path, feed):
    token = object()
    with changes.initiated_by(token):
        with write_transaction():
            changes.note("templates")
    assert feed[0][1] is token
    assert changes.current_initiator() is None


def test_a_failing_subscriber_does_not_undo_the_write_or_starve_others(db_path, feed):
    def bad(c, who):
        raise ValueError("listener bug")

    unsubscribe = changes.subscribe(bad)
    try:
        with write_transaction():
            Setting.create(key="kept", value="1")
            changes.note("settings")
    finally:
        unsubscribe()
    assert Setting.select().where(Setting.key == "kept").exists()
    assert len(feed) == 1


def test_unknown_topics_are_refused():
    with pytest.raises(ValueError):
        changes.note("no-such-area")


def test_changes_value_semantics():
    a = changes.Changes(cases=frozenset({1}))
    b = changes.Changes(topics=frozenset({"units"}))
    m = a.merge(b)
    assert m.touches("cases") and m.touches("units") and not m.touches("settings")
    assert m.touches_case(1) and not m.touches_case(2)
    assert not changes.Changes()
    assert changes.EVERYTHING.touches("anything-at-all")
