"""工作台: the cards show the counts of gkdesk.cases.alerts and open the filtered list."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from gkdesk import changes
from gkdesk.cases import alerts, deadlines
from gkdesk.db.models import Case
from tests.ui.helpers import bulk_cases


def cases_changed_elsewhere():
    """What another gkdesk process's write looks like to this one: the change feed."""
    changes.publish(changes.Changes(case_list=True))


def test_cards_match_alerts_and_open_the_list(main_window, ctx, qtbot):
    bulk_cases(200)
    today = deadlines.today()
    # Put some open cases overdue and some due today, so the red cards are not empty.
    ids = [c.id for c in Case.select(Case.id).order_by(Case.id).limit(12)]
    Case.update(stage="handling", paused=False, due_date=today - dt.timedelta(days=3)).where(Case.id.in_(ids[:7])).execute()
    Case.update(stage="registered", paused=False, due_date=today).where(Case.id.in_(ids[7:])).execute()
    cases_changed_elsewhere()
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
    """The fake pool (ops.SyncRunner) counts at once: nothing to wait for."""
    assert not dash.counting


def test_dashboard_refreshes_after_changes(main_window, ctx, qtbot):
    dash = main_window.show_page("dashboard")
    wait_counted(qtbot, dash)
    assert dash.cards["not_delivered"].count_label.text() == "0"
    bulk_cases(3)
    Case.update(stage="replied").execute()
    cases_changed_elsewhere()
    assert dash.cards["not_delivered"].count_label.text() == "3"
    assert dash.cards["not_delivered"].property("level") == "blue"
    assert "在办案件" in dash.summary_label.text()


def test_a_stale_count_is_dropped(threaded_ctx, qtbot):
    """Two refreshes in a row on the real reader pool: only the newer one's counts reach the
    cards (ops.read keeps the latest per key), even when the older one's result comes last."""
    from gkdesk.ui.pages.dashboard import DashboardPage

    dash = DashboardPage(threaded_ctx)
    qtbot.addWidget(dash)
    qtbot.waitUntil(lambda: not dash.counting, timeout=10000)
    bulk_cases(2)
    Case.update(stage="replied").execute()
    seen = []
    dash.counted.connect(lambda: seen.append(dash.cards["not_delivered"].count_label.text()))
    dash.refresh()
    dash.refresh()
    qtbot.waitUntil(lambda: not dash.counting, timeout=10000)
    threaded_ctx.wait_for_background()
    qtbot.wait(50)
    assert seen == ["2"], "the first refresh's result was dropped"


def test_a_failed_count_is_reported_and_retried(main_window, ctx, qtbot, monkeypatch):
    dash = main_window.show_page("dashboard")
    wait_counted(qtbot, dash)

    def broken(*_a, **_k):
        raise RuntimeError("磁盘读取错误")

    monkeypatch.setattr("gkdesk.api.cases.query.count_cases", broken)
    dash.refresh()
    wait_counted(qtbot, dash)
    assert "统计失败" in dash.summary_label.text() and "磁盘读取错误" in dash.summary_label.text()
    monkeypatch.undo()
    dash.activate()      # coming back to the page tries again
    wait_counted(qtbot, dash)
    assert "在办案件" in dash.summary_label.text()


def test_the_start_page_does_not_import_the_other_areas_pages():
    """Start-up (issue 20): the 工作台 is the first page painted; the 工作任务 and 年报正文
    pages and the tasks/annual APIs are imported only when their reads run after it painted."""
    import subprocess
    import sys

    code = ("import sys; import gkdesk.ui.pages.dashboard; "
            "print(sorted(m for m in ('gkdesk.ui.pages.tasks', 'gkdesk.ui.pages.annual_document', "
            "'gkdesk.api.tasks', 'gkdesk.api.annual', 'gkdesk.tasks.service') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_task_and_deadline_cards_are_read_after_the_first_paint(main_window, ctx, qtbot):
    dash = main_window.show_page("dashboard")
    main_window.show()
    qtbot.waitExposed(main_window)
    qtbot.waitUntil(lambda: not dash.others_waiting, timeout=10000)
    assert [lab.text() for lab in dash.task_cards.counts.values()] == ["0", "0", "0"]
    texts = [lab.text() for lab in dash.report_deadlines.labels]
    assert len(texts) == 2 and "第四十九条" in texts[0] and "第五十条" in texts[1]
