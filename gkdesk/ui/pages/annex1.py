"""附件一 工作人员情况表: the staff table in two groups (分管领导, 工作人员) and the leading
group roster (组长 / 副组长 / 成员), on the shared forms page frame (``pages.forms``)."""
from __future__ import annotations

import logging


from gkdesk.domain import terms
from gkdesk.errors import ValidationError
from gkdesk.api import forms as api
from gkdesk.api.forms import GroupMember, StaffRow
from gkdesk.ui.pages.forms import FormsPage
from gkdesk.ui.widgets.row_table import RowTable, table_box

log = logging.getLogger(__name__)


def create_annex1_page(ctx, parent):
    return Annex1Page(ctx, parent)



class Annex1Page(FormsPage):
    title_text = "附件一 工作人员情况表"

    def build_editor(self, layout) -> None:
        headers = [label for _, label in api.STAFF_FIELDS]
        self.leaders = RowTable(headers, phone_cols=(2,), widths=[100, 0, 210, 150], stretch=1)
        self.leaders.setObjectName("leadersTable")
        self.staff = RowTable(headers, phone_cols=(2,), widths=[100, 0, 210, 150], stretch=1)
        self.staff.setObjectName("staffTable")
        roles = [t.label for t in terms.LEADING_GROUP_ROLES.values()]
        self.group = RowTable(["职务类别", "姓名", "职务"], choices={0: roles}, widths=[100, 110], stretch=2)
        self.group.setObjectName("leadingGroupTable")
        hint = "联系方式：手机号11位，固定电话带区号（如0595-22355669）；多个号码用“、”分隔"
        layout.addWidget(table_box(terms.STAFF_GROUPS["leader"].label, self.leaders, hint), 2)
        layout.addWidget(table_box(terms.STAFF_GROUPS["staff"].label, self.staff, hint), 3)
        layout.addWidget(table_box("政务公开领导小组（组长 / 副组长 / 成员）", self.group), 3)
        for t in (self.leaders, self.staff, self.group):
            t.edited.connect(lambda: self.set_dirty(True))

    def editor_enabled(self, enabled: bool) -> None:
        for t in (self.leaders, self.staff, self.group):
            t.setEnabled(enabled)
            for b in t.buttons.values():
                b.setEnabled(enabled)

    def clear_editor(self) -> None:
        for t in (self.leaders, self.staff, self.group):
            t.set_rows([])

    def fill(self, forms: api.UnitForms) -> None:
        s = forms.staff
        self.leaders.set_rows([[r.name, r.post, r.contact, r.remark] for r in s.leaders])
        self.staff.set_rows([[r.name, r.post, r.contact, r.remark] for r in s.staff])
        self.group.set_rows([[terms.label_of(terms.LEADING_GROUP_ROLES, m.role), m.name, m.post]
                             for m in forms.leading_group])
        self._loaded = (s, list(forms.leading_group))

    def _staff_rows(self, table: RowTable) -> list[StaffRow]:
        return [StaffRow(*r) for r in table.rows()]

    def _members(self) -> list[GroupMember]:
        out = []
        for role_label, name, post in self.group.rows():
            out.append(GroupMember(terms.code_of(terms.LEADING_GROUP_ROLES, role_label) or role_label, name, post))
        return out

    def check(self) -> list[str]:
        """Mark wrong cells red (the same checks as the service) and list the problems."""
        for t in (self.leaders, self.staff, self.group):
            t.clear_marks()
        _, problems = api.validate_staff(self._staff_rows(self.leaders), self._staff_rows(self.staff))
        _, gproblems = api.validate_leading_group(self._members())
        cols = {k: i for i, (k, _) in enumerate(api.STAFF_FIELDS)}
        msgs = []
        for p in problems + gproblems:
            if not p.is_error:
                continue
            kind, row, fld = p.where
            table = {"leader": self.leaders, "staff": self.staff, "leading_group": self.group}[kind]
            col = cols.get(fld, 0) if kind != "leading_group" else {"role": 0, "name": 1, "post": 2}[fld]
            table.mark(row, col, p.message)
            msgs.append(f"{api.place_of(p.where)}：{p.message}")
        return msgs

    def prepare_save(self):
        msgs = self.check()
        if msgs:
            self.status_label.setText("有问题的单元格已标红，请修改后再保存。")
            raise ValidationError(msgs[0] if len(msgs) == 1 else f"有{len(msgs)}处问题", None, msgs)
        uid, actor, version = self.unit_id, self.ctx.actor, self._version
        leaders, staff, members = self._staff_rows(self.leaders), self._staff_rows(self.staff), self._members()
        # staff and leading group in ONE transaction: a refusal or conflict on either
        # leaves the unit's form as it was (and these edits on screen)
        return lambda: api.save_annex1(uid, leaders, staff, members, actor, expected_version=version)
