"""Likely repeat requests (Art. 36(6)) are flagged at registration and in review."""
import datetime as dt

from gkdesk.actors import SYSTEM
from gkdesk.cases import workflow as wf
from gkdesk.ui.dialogs.register import RegisterDialog
from tests.cases.helpers import new_case
from tests.ui.helpers import type_text

D = dt.date


def _answered_case():
    c = new_case(received=D(2026, 9, 1), name="张三", content="申请公开泉港区某某路拆迁补偿方案")
    return wf.perform(c.id, "reply_on_spot", SYSTEM, today=D(2026, 9, 1), outcome="disclosed",
                      reply_date=D(2026, 9, 1), provided_description="提供方案复印件")


def test_register_dialog_flags_an_answered_similar_request(ctx, qtbot):
    earlier = _answered_case()
    dlg = RegisterDialog(ctx, today=D(2026, 11, 20))
    qtbot.addWidget(dlg)
    type_text(qtbot, dlg.applicant_name, "张三")
    type_text(qtbot, dlg.content, "请公开泉港区某某路的拆迁补偿方案")
    qtbot.waitUntil(lambda: dlg.repeat_label.isVisibleTo(dlg), timeout=5000)
    text = dlg.repeat_label.text()
    assert earlier.number in text and "第三十六条第六项" in text and "予以公开" in text
    dlg.content.setPlainText("申请公开2025年区财政预算执行情况")
    assert dlg.check_repeat() == "" and not dlg.repeat_label.isVisibleTo(dlg)


def test_case_window_in_review_shows_the_earlier_case(ctx, qtbot):
    from gkdesk.ui.case_window import CaseWindow

    earlier = _answered_case()
    again = new_case(received=D(2026, 11, 2), name="张三", content="申请公开泉港区某某路拆迁补偿方案")
    w = CaseWindow(ctx, again.id)
    qtbot.addWidget(w)
    assert earlier.number in w.due_note.text() and "重复申请" in w.due_note.text()
