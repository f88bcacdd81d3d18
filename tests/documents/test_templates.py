"""Template errors name the field and the line; templates cannot run code; edits are
versioned, checked on save, and the default can be restored."""
import pytest

from gkdesk.actors import SYSTEM, Actor
from gkdesk.documents import service, templates
from gkdesk.errors import PermissionDenied, TemplateError

from tests.documents.helpers import CLERK, flat, pdftotext, ready_case

def test_unknown_field_names_field_and_line(db_path):
    body = templates.default_body("receipt") + "申请人生日：{{ case.birthday }}\n"
    line = body.count("\n")
    with pytest.raises(TemplateError) as err:
        templates.validate("receipt", body)
    assert "case.birthday" in str(err.value)
    assert f"第{line}行" in str(err.value)
    assert err.value.field == "case.birthday"


def test_unknown_top_level_name(db_path):
    with pytest.raises(TemplateError) as err:
        templates.validate("receipt", templates.default_body("receipt") + "{{ applicant }}\n")
    assert "applicant" in str(err.value)


def test_syntax_error_names_line(db_path):
    body = "## 名称：坏模板\n@title 标题\n{% if case.email %}\n没有结束\n"
    with pytest.raises(TemplateError) as err:
        templates.validate("receipt", body)
    assert "语法错误" in str(err.value) and "第" in str(err.value)


def test_undeclared_clerk_field(db_path):
    with pytest.raises(TemplateError) as err:
        templates.validate("receipt", templates.default_body("receipt") + "{{ fields.bank }}\n")
    assert "fields.bank" in str(err.value) and "## 字段：bank" in str(err.value)


def test_custom_clerk_field_declared(db_path):
    body = "## 字段：bank | 收款账户 | 多行\n" + templates.default_body("receipt") + "收款账户：{{ fields.bank }}\n"
    templates.validate("receipt", body)
    templates.save("receipt", body, SYSTEM)
    case = ready_case("receipt")
    specs = {s.key: s for s in service.required_fields("receipt", case)}
    assert specs["bank"].label == "收款账户" and specs["bank"].required and specs["bank"].multiline
    with pytest.raises(TemplateError) as err:
        service.render_pdf(case, "receipt", {})
    assert "收款账户" in str(err.value) and err.value.field == "收款账户"


def test_unknown_markup_is_refused(db_path):
    with pytest.raises(TemplateError) as err:
        templates.validate("receipt", templates.default_body("receipt") + "@bold 加粗\n")
    assert "@bold" in str(err.value)


@pytest.mark.parametrize("expr", ["{{ ''.__class__.__mro__ }}", "{{ case._values }}",
                                  "{{ case.__class__ }}", "{% for x in ().__class__.__base__.__subclasses__() %}{% endfor %}"])
def test_templates_cannot_run_code(db_path, expr):
    with pytest.raises(TemplateError):
        templates.validate("receipt", templates.default_body("receipt") + expr + "\n")


def test_missing_required_clerk_field_is_named(db_path):
    case = ready_case("reply.withhold")
    case.outcome_reason = ""
    case.save()
    with pytest.raises(TemplateError) as err:
        service.render_pdf(case, "reply", {})
    assert "“理由”" in str(err.value)
    assert err.value.field == "理由"


def test_blank_case_value_is_an_error_not_a_hole(db_path):
    case = ready_case("receipt")
    body = templates.default_body("receipt").replace("特此告知。", "") + "申请人邮箱：{{ case.email }}\n"
    templates.save("receipt", body, SYSTEM)
    with pytest.raises(TemplateError) as err:
        service.render_pdf(case, "receipt", {})
    assert "申请人电子邮箱" in str(err.value)
    # {% if %} guards a blank value
    body2 = templates.default_body("receipt") + "{% if case.email %}邮箱：{{ case.email }}{% endif %}\n"
    templates.save("receipt", body2, SYSTEM)
    service.render_pdf(case, "receipt", {})


def test_versions_restore_and_issued_document_records_version(db_path, tmp_path):
    case = ready_case("receipt")
    assert templates.current("receipt").version == 0
    body = templates.default_body("receipt").replace("如有疑问", "如有任何疑问")
    row = templates.save("receipt", body, SYSTEM, note="措辞")
    assert row.version == 1 and templates.current("receipt").version == 1
    doc = service.issue(case, "receipt", {}, SYSTEM)
    assert doc.template_version == 1
    assert "如有任何疑问" in flat(pdftotext(service.stored_pdf(doc), tmp_path))
    with pytest.raises(TemplateError):
        templates.save("receipt", body + "{{ nope }}\n", SYSTEM)
    assert templates.current("receipt").version == 1          # a broken save stores nothing
    templates.restore_default("receipt", SYSTEM)
    cur = templates.current("receipt")
    assert cur.version == 2 and cur.body == templates.default_body("receipt")
    assert [v.version for v in templates.versions("receipt")] == [2, 1]
    from gkdesk.db.models import CaseEvent

    assert CaseEvent.select().where(CaseEvent.action == "template.save").count() == 2


def test_only_reviewers_leaders_admins_edit_templates(db_path):
    clerk = Actor("c", "登记员甲", frozenset({"clerk"}))
    with pytest.raises(PermissionDenied):
        templates.save("receipt", templates.default_body("receipt"), clerk)


def test_list_templates_shows_placeholders_and_fields(db_path):
    items = {t.name: t for t in templates.list_templates()}
    assert len(items) == len(templates.TEMPLATE_NAMES)
    partial = items["reply.partial"]
    assert "部分公开" in partial.title
    assert {"provided", "withheld", "reason", "articles"} <= {f.key for f in partial.fields}
    assert "case.applicant_name" in partial.placeholders and "remedy.court" in partial.placeholders


def test_preview_against_case_with_unsaved_body(db_path, tmp_path):
    case = ready_case("reply.disclose")
    body = templates.current("reply.disclose").body.replace("经审查，现答复如下", "经认真审查，现答复如下")
    data = service.render_pdf(case, "reply", CLERK, template_body=body)
    assert "经认真审查" in flat(pdftotext(data, tmp_path))
    assert templates.current("reply.disclose").version == 0
