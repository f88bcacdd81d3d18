"""台账 tab: the ledger exported for a period and imported back."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QFileDialog, QGridLayout, QGroupBox, QHBoxLayout,
    QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from gkdesk.api import reports as api
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.report_bits import BAD_STYLE, OK_STYLE, ask_save_path, cancellable

class LedgerTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.last_result = None
        self.last_export: Path | None = None

        exp = QGroupBox("导出台账")
        self.from_date = QDateEdit()
        self.to_date = QDateEdit()
        for w in (self.from_date, self.to_date):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        y = api.today().year
        self.from_date.setDate(QDate(y, 1, 1))
        self.to_date.setDate(QDate(y, 12, 31))
        self.period = QComboBox()
        self.period.addItem("按收到申请日期", "range")
        self.period.addItem("全部案件", "all")
        self.period.currentIndexChanged.connect(self._period_changed)
        self.export_button = QPushButton("导出台账…")
        self.export_button.setObjectName("primaryButton")
        self.export_button.clicked.connect(self.ask_export)
        self.full_personal = QCheckBox("含完整证件号码和联系电话（记入审计）")
        self.full_personal.setToolTip("默认导出打码后的证件号码和联系电话；勾选需登记员或审核人权限")
        self.full_personal.setVisible(api.can_export_personal(self.ctx.actor))
        g = QGridLayout(exp)
        g.addWidget(QLabel("范围："), 0, 0)
        g.addWidget(self.period, 0, 1)
        g.addWidget(QLabel("自"), 0, 2)
        g.addWidget(self.from_date, 0, 3)
        g.addWidget(QLabel("至"), 0, 4)
        g.addWidget(self.to_date, 0, 5)
        g.addWidget(self.export_button, 0, 6)
        g.addWidget(self.full_personal, 1, 1, 1, 5)
        g.setColumnStretch(7, 1)
        hint = QLabel("列与“台账”格式一致：受理编号、申请人类型……备注；日期为 Excel 日期（yyyy-mm-dd）。")
        hint.setObjectName("hint")
        g.addWidget(hint, 2, 0, 1, 8)          # below the checkbox of row 1 (they overlapped)

        imp = QGroupBox("导入历史台账")
        self.import_button = QPushButton("选择台账文件并导入…")
        self.import_button.clicked.connect(self.ask_import)
        self.import_status = QLabel("整份文件检查无误才导入；有任何问题则一件也不导入，并列出每个问题所在的行和列。"
                                    "受理编号已存在的行保持不变，同一文件重复导入不会重复建案。")
        self.import_status.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("ledgerProblems")
        il = QVBoxLayout(imp)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        il.addLayout(row)
        il.addWidget(self.import_status)
        il.addWidget(self.problems, 1)

        lay = QVBoxLayout(self)
        lay.addWidget(exp)
        lay.addWidget(imp, 1)

    def _period_changed(self, _i) -> None:
        on = self.period.currentData() == "range"
        self.from_date.setEnabled(on)
        self.to_date.setEnabled(on)

    def period_dates(self) -> tuple[dt.date | None, dt.date | None]:
        if self.period.currentData() == "all":
            return None, None
        return self.from_date.date().toPython(), self.to_date.date().toPython()

    def ask_export(self) -> None:
        a, b = self.period_dates()
        name = f"台账_{a.isoformat()}_{b.isoformat()}.xlsx" if a else "台账_全部.xlsx"
        path = ask_save_path(self, "导出台账", name, "Excel 工作簿 (*.xlsx)")
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.export(path)

    def export(self, path: str) -> None:
        a, b = self.period_dates()

        def job(progress, cancelled):
            who = self.ctx.actor if self.full_personal.isChecked() else None
            return cancellable(lambda: api.export_ledger(path, a, b, progress=progress, cancelled=cancelled,
                                                             personal_for=who))

        def done(n):
            self.last_export = Path(path)
            messages.info(self, "已导出", f"已导出 {n} 件案件到：\n{path}")

        self.ctx.run_in_background(job, done, progress=True, title="正在导出台账", parent=self)

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择要导入的台账", "", "Excel 工作簿 (*.xlsx *.xlsm)")
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        actor = self.ctx.actor
        self.problems.clear()
        self.import_status.setText(f"正在检查并导入“{Path(path).name}”……")
        self.import_status.setStyleSheet("")

        def job(progress, cancelled):
            return cancellable(lambda: api.import_ledger(path, actor, progress=progress, cancelled=cancelled))

        # on the one writer thread: a clerk's action asked for meanwhile runs after the import
        self.ctx.run_in_background(job, self._imported, self._import_failed, progress=True,
                                   title="正在导入台账", parent=self, write=True, initiator=self,
                                   on_cancelled=lambda: self.import_status.setText("已取消，未作任何改动。"))

    def _imported(self, res) -> None:
        self.last_result = res
        self.import_status.setText(f"导入完成：{res.summary()}。")
        self.import_status.setStyleSheet(OK_STYLE)
        for w in res.warnings:
            self.problems.addItem(QListWidgetItem(f"提示：{w}"))

    def _import_failed(self, exc) -> None:
        from gkdesk.errors import ImportError_

        self.last_result = exc
        if isinstance(exc, ImportError_):
            self.import_status.setText(f"未导入，数据库未作任何改动。共 {len(exc.problems)} 个问题，请在文件中更正后重新导入：")
            self.import_status.setStyleSheet(BAD_STYLE)
            for p in exc.problems:
                self.problems.addItem(QListWidgetItem(p))
            for w in getattr(exc, "warnings", []):
                self.problems.addItem(QListWidgetItem(f"提示：{w}"))
        else:
            self.import_status.setText("未导入。")
            self.ctx.show_error(exc, self)
