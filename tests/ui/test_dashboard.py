"""工作台: the cards show the counts of gkdesk.cases.alerts and open the filtered list."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from gkdesk.cases import alerts, deadlines
from gkdesk.db.models import Case
from tests.ui.helpers import bulk_cases


def test_cards_match_alerts_and_open_the_list(main_window, ctx, qtbot):
    bulk_cases(200)
    today = deadlines.today()
    # Put some open cases overdue and some due today, so the red cards are not empty.
    ids = [c.id for c in Case.select(Case.id).order_by(Case.id).limit(12)]
    Case.update(stage="handling", paused=False, due_date=today - dt.timedelta(days=3)).where(Case.id.in_(ids[:7])).execute()
    Case.update(stage="registered", paused=False, due_date=today).where(Case.id.in_(ids[7:])).execute()
    ctx.notify_cases_changed()
    dash = main_window.show_page("dashboard")
    wait_counted(qtbot, dash)
    expected = {a.code: a for a in alerts.compute(ctx.actor, today)}
    assert set(dash.cards) == set(expected)
    for code, card in dash.cards.items():
        assert card.count_label.text() == str(expected[code].count), code
    assert expected["overdue"].count >= 7 and expected["due_today"].count >= 5
    order = list(dash.cards)
    assert order[:3] == ["due_today", "due_soon", "overdue"]

    qtbot.mouseClick(dash.cards["overdue"], Qt.LeftButton)
    page = main_window.page("cases")
    assert main_window.current_page_key() == "cases"
    shown = {page.model.case_id(r) for r in range(page.model.rowCount())}
    assert shown == set(expected["overdue"].case_ids)
    assert all(page.model.index(r, 6).data().split()[-1].startswith("已超期") for r in range(page.model.rowCount()))


def wait_counted(qtbot, dash):
    qtbot.waitUntil(lambda: not dash.counting, timeout=10000)


def test_dashboard_refreshes_after_changes(main_window, ctx, qtbot):
    dash = main_window.show_page("dashboard")
    wait_counted(qtbot, dash)
    assert dash.cards["not_delivered"].count_label.text() == "0"
    bulk_cases(3)
    Case.update(stage="replied").execute()
    ctx.notify_cases_changed()
    # the cards are back at once, counting; the new counts follow from the background
    assert dash.cards["not_delivered"].count_label.text() == "…"
    wait_counted(qtbot, dash)
    assert dash.cards["not_delivered"].count_label.text() == "3"
    assert dash.cards["not_delivered"].property("level") == "blue"
    assert "在办案件" in dash.summary_label.text()


def test_a_stale_count_is_dropped(main_window, ctx, qtbot):
    """Two refreshes in a row: only the newer one's counts reach the cards, even when the
    older one's result arrives last."""
    dash = main_window.show_page("dashboard")
    wait_counted(qtbot, dash)
    bulk_cases(2)
    Case.update(stage="replied").execute()
    dash.refresh()
    first = dash._generation
    dash.refresh()
    wait_counted(qtbot, dash)
    assert dash.cards["not_delivered"].count_label.text() == "2"
    # an old result delivered late changes nothing
    stale = ({code: 99 for code in dash.cards}, 99, 99)
    dash._show_counts(first, dt.date.today(), stale)
    assert dash.cards["not_delivered"].count_label.text() == "2"
    assert "99" not in dash.summary_label.text()


def test_a_failed_count_is_reported_and_retried(main_window, ctx, qtbot, monkeypatch):
    dash = main_window.show_page("dashboard")
    wait_counted(qtbot, dash)

    def broken(*_a, **_k):
        raise RuntimeError("磁盘读取错误")

    monkeypatch.setattr("gkdesk.ui.pages.dashboard.count_cases", broken)
    dash.refresh()
    wait_counted(qtbot, dash)
    assert "统计失败" in dash.summary_label.text() and "磁盘读取错误" in dash.summary_label.text()
    monkeypatch.undo()
    dash.activate()      # coming back to the page tries again
    wait_counted(qtbot, dash)
    assert "在办案件" in dash.summary_label.text()
