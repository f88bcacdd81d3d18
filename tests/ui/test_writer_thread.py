"""One writer thread: a clerk's action asked for while a ledger import is writing waits for
the import and then completes (no 「数据库正忙」, no frozen window), in the order asked.
Runs with the real runner (``threaded_ctx``); the import is slowed per row so the action is
certainly asked for while the import holds its write transaction."""
from __future__ import annotations

import threading
import time

from openpyxl import Workbook
from PySide6.QtCore import Qt

from gkdesk.db.models import Case, CaseEvent
from gkdesk.reports import ledger
from tests.cases.helpers import new_case

ROWS = 150


def _ledger_file(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["受理编号", "申请人类型", "申请人", "申请内容", "收到申请日期"])
    for i in range(ROWS):
        ws.append([f"L-{i + 1}", "自然人", f"申请人{i}", "某某文件", "2025-03-04"])
    wb.save(path)
    return path


def test_a_clerks_action_during_a_ledger_import_completes_after_it(threaded_ctx, qtbot, tmp_path,
                                                                    monkeypatch, messages_log):
    from gkdesk.ui.case_window import CaseWindow
    from gkdesk.ui.pages.reports import ReportsPage

    ctx = threaded_ctx
    case = new_case()
    writing = threading.Event()
    threads: dict[str, set[int]] = {"import": set(), "action": set()}
    real_create = ledger._case_row         # once per new case, inside the write transaction

    def slow_create(*a, **kw):            # ~1.5 s inside the import's write transaction
        threads["import"].add(threading.get_ident())
        writing.set()
        time.sleep(0.01)
        return real_create(*a, **kw)

    monkeypatch.setattr(ledger, "_case_row", slow_create)

    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.navigate(tab="ledger")
    cw = CaseWindow(ctx, case.id)
    qtbot.addWidget(cw)
    qtbot.waitUntil(lambda: cw.case is not None, timeout=10000)

    page.ledger.import_file(str(_ledger_file(tmp_path / "台账.xlsx")))
    assert writing.wait(20), "the import started writing"

    from gkdesk.api import cases as api
    real_perform = api.perform

    def perform(*a, **kw):
        threads["action"].add(threading.get_ident())
        return real_perform(*a, **kw)

    monkeypatch.setattr(api, "perform", perform)
    asked_at = time.monotonic()
    dlg = cw.open_action("accept")
    dlg.set_value("section", "政务公开科")
    dlg.set_value("handler", "陈默")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    stalled = time.monotonic() - asked_at
    assert stalled < 0.5, f"the window did not wait for the import ({stalled:.2f} s)"

    qtbot.waitUntil(lambda: page.ledger.last_result is not None, timeout=60000)
    qtbot.waitUntil(lambda: dlg.result_case is not None, timeout=20000)
    ctx.wait_for_background()

    assert page.ledger.last_result.created == ROWS
    assert Case.get_by_id(case.id).stage == "handling", "the clerk's action was carried out"
    assert not [m for m in messages_log if m[0] == "error"], messages_log
    last_import = CaseEvent.select().where(CaseEvent.action == "import").order_by(CaseEvent.id.desc()).first()
    accepted = CaseEvent.get((CaseEvent.case == case.id) & (CaseEvent.action == "accept"))
    assert accepted.id > last_import.id, "the action ran after the whole import, in the order asked"
    assert threads["import"] == threads["action"], "both ran on the one writer thread"
    qtbot.waitUntil(lambda: cw.stage_label.text() == "办理中", timeout=10000)
