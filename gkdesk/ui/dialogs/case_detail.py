"""A read-only view of every fact of a case (used until/besides the full case window)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget,
)

from gkdesk.api import checks
from gkdesk.api import cases as api
from gkdesk.domain import outcomes, terms
from gkdesk.ui.widgets.fields import format_date

L = api.FIELD_LABELS


def _yes(v) -> str:
    return "是" if v else "否"


def _outcome_label(code) -> str:
    if not code:
        return ""
    table = getattr(outcomes, "OUTCOMES", None)
    if isinstance(table, dict) and code in table:
        o = table[code]
        return getattr(o, "label", "") or getattr(o, "description", "") or code
    return code


def due_status(case):
    return api.due_status_of(case.due_date, bool(case.due_provisional),
                            open_case=case.stage in terms.OPEN_STAGES, paused=bool(case.paused))


def case_fact_groups(case) -> list[tuple[str, list[tuple[str, str]]]]:
    """The facts of ``case`` grouped as the case window and the detail dialog show them:
    [(group title, [(label, text), …]), …]; empty values are left out except key ones.
    The ID number and phone are masked (gkdesk.privacy: shown in full only on request)."""
    st = due_status(case)
    due = format_date(case.due_date, chinese=True)
    if st.text:
        due = f"{due}（{st.text}）"
    groups = [
        ("案件", [
            ("受理编号", case.number),
            ("阶段", terms.label_of(terms.STAGES, case.stage, case.stage)),
            ("答复期限", due),
            ("承办股室", case.section),
            ("承办人", case.handler),
            ("登记人", case.registered_by),
        ]),
        ("申请人", [
            (L["applicant_kind"], terms.label_of(terms.APPLICANT_KINDS, case.applicant_kind)),
            (L["applicant_name"], case.applicant_name),
            (L["contact_person"], case.contact_person),
            (L["id_type"], terms.label_of(terms.ID_TYPES, case.id_type)),
            (L["id_number"], checks.mask_id(case.id_number)),
            (L["phone"], checks.mask_phone(case.phone)),
            (L["address"], case.address),
            (L["postcode"], case.postcode),
            (L["email"], case.email),
        ]),
        ("申请内容", [
            (L["content"], case.content),
            (L["purpose"], case.purpose),
            (L["form_wanted"], terms.label_of(terms.FORMS_WANTED, case.form_wanted)),
            (L["receive_method"], terms.label_of(terms.RECEIVE_METHODS, case.receive_method)),
        ]),
        ("收件", [
            (L["channel"], terms.label_of(terms.CHANNELS, case.channel)),
            (L["received_date"], format_date(case.received_date, chinese=True)),
            ("期限起算日", format_date(case.clock_start, chinese=True)
             if case.clock_start != case.received_date else ""),
            (L["oral"], _yes(case.oral)),
            (L["note"], case.note),
        ]),
        ("答复与送达", [
            ("办理结果", _outcome_label(case.outcome)),
            ("答复日期", format_date(case.reply_date, chinese=True)),
            ("答复文号", case.reply_number),
            ("送达方式", terms.label_of(terms.DELIVERY_METHODS, case.delivery_method)),
            ("送达日期", format_date(case.delivery_date, chinese=True)),
            ("邮件单号", case.tracking_number),
            ("归档号", case.archive_number),
            ("归档日期", format_date(case.archive_date, chinese=True)),
            ("保管期限", case.retention_period),
        ]),
    ]
    keep_empty = {"受理编号", "阶段", "答复期限", L["applicant_name"], L["content"]}
    out = []
    for title, rows in groups:
        rows = [(k, str(v)) for k, v in rows if (v not in (None, "")) or k in keep_empty]
        if rows:
            out.append((title, rows))
    return out


def facts_widget(case, parent: QWidget | None = None) -> QWidget:
    body = QWidget(parent)
    lay = QVBoxLayout(body)
    lay.setContentsMargins(0, 0, 0, 0)
    for title, rows in case_fact_groups(case):
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
        form.setHorizontalSpacing(12)
        for label, text in rows:
            value = QLabel(text)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            value.setObjectName(f"fact_{label}")
            form.addRow(label + "：", value)
        lay.addWidget(box)
    lay.addStretch(1)
    return body


class CaseDetailDialog(QDialog):
    """Every recorded fact of one case, read-only."""

    def __init__(self, ctx, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        from gkdesk.api import cases as api

        self.case = api.case_view(case_id, ctx.actor)
        self.setWindowTitle(f"案件 {self.case.number}")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(facts_widget(self.case))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll, 1)
        lay.addWidget(buttons)
        self.resize(640, 720)
