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


def test_dashboard_refreshes_after_changes(main_window, ctx, qtbot):
    dash = main_window.show_page("dashboard")
    assert dash.cards["not_delivered"].count_label.text() == "0"
    bulk_cases(3)
    Case.update(stage="replied").execute()
    ctx.notify_cases_changed()
    assert dash.cards["not_delivered"].count_label.text() == "3"
