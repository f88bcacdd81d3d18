"""The day's list offered after login: shown (non-modal) when something is overdue or due
today, not when nothing is; 「今天不再显示」 and 「登录后自动显示」 remembered in QSettings."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSettings

from gkdesk.cases import deadlines
from tests.documents.helpers import new_case


@pytest.fixture
def due_today(db_path, monkeypatch):
    c = new_case(received=dt.date(2026, 11, 16))
    monkeypatch.setattr(deadlines, "today", lambda: c.due_date)
    return c


def test_offered_after_login_when_something_is_due_today(main_window, ctx, qtbot, due_today, tmp_path):
    from gkdesk.ui import app
    from gkdesk.ui.dialogs.day_list import DayListDialog

    app._after_show(ctx, main_window)
    dlg = main_window.findChild(DayListDialog)
    assert dlg is not None and dlg.isVisible() and not dlg.isModal()
    assert dlg.tree.topLevelItem(0).child(0).text(0) == due_today.number
    assert "今日到期 1 件" in dlg.summary.text()
    assert dlg.on_start_box.isChecked() and dlg.skip_today_box.isVisible()
    dlg.grab().save(str(tmp_path / "day-list-start.png"))
    # 今天不再显示: remembered for this day only
    dlg.skip_today_box.setChecked(True)
    dlg.close()
    assert ctx.settings.value("dayList/skipDay") == due_today.due_date.isoformat()
    from gkdesk.ui.dialogs.day_list import offer_on_start

    assert offer_on_start(ctx, main_window) is None
    ctx.settings.setValue("dayList/skipDay", (due_today.due_date - dt.timedelta(days=1)).isoformat())
    again = offer_on_start(ctx, main_window)
    assert again is not None and again.isVisible()
    # 登录后自动显示 off: survives a restart (a new QSettings on the same file)
    again.on_start_box.setChecked(False)
    ctx.settings.sync()
    reread = QSettings(ctx.settings.fileName(), QSettings.IniFormat)
    assert reread.value("dayList/showOnStart") in (False, "false")
    assert offer_on_start(ctx, main_window) is None


def test_not_offered_when_nothing_is_due(main_window, ctx, qtbot, db_path, monkeypatch):
    from gkdesk.ui.dialogs.day_list import offer_on_start

    c = new_case(received=dt.date(2026, 11, 16))
    monkeypatch.setattr(deadlines, "today", lambda: c.due_date - dt.timedelta(days=10))
    assert offer_on_start(ctx, main_window) is None       # due later this month: not on start
    from gkdesk.ui.pages.dashboard import DashboardPage

    dash = DashboardPage(ctx)
    qtbot.addWidget(dash)
    dlg = dash.open_day_list()                                # from the dashboard as before
    qtbot.addWidget(dlg)
    assert not dlg.skip_today_box.isVisible() and dlg.on_start_box.isVisible()
