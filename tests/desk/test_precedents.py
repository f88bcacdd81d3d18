"""Precedents: the text of replies and issued letters is found, two characters included."""
from gkdesk.actors import SYSTEM
from gkdesk.cases import precedents, workflow
from gkdesk.db.models import Case
from gkdesk.documents import service

from tests.desk.helpers import replied_case


def test_a_reply_text_is_found_by_a_two_character_search(db_path):
    a, _ = replied_case("third_party", issue=False, name="甲",
                        outcome_reason="该协议涉及被征收人的隐私，公开会损害第三方合法权益")
    replied_case("not_held", issue=False, name="乙")
    found = precedents.search("隐私")
    assert [p.case_id for p in found] == [a.id]
    p = found[0]
    assert p.outcome_label.startswith("不予公开") and "隐私" in p.excerpt and p.where == "答复理由"
    # one character, and a query the index cannot hold alone, still exact
    assert [p.case_id for p in precedents.search("私")] == [a.id]
    assert precedents.search("隐 私") == []


def test_an_issued_letter_is_found_and_leaves_the_index_when_cancelled(db_path):
    c, doc = replied_case("not_held", name="丙")
    found = precedents.search("检索")            # in the not_held letter's wording
    assert [(p.case_id, p.letter_number) for p in found] == [(c.id, doc.number)]
    service.cancel(doc, "文字有误", SYSTEM)
    assert precedents.search("检索") == []


def test_the_index_follows_edits_and_rebuilds_on_migration(db_path):
    a, _ = replied_case("third_party", issue=False, outcome_reason="涉及商业秘密")
    Case.update(outcome_reason="涉及个人隐私").where(Case.id == a.id).execute()
    assert precedents.search("商业") == [] and len(precedents.search("隐私")) == 1
    precedents.create_index(rebuild=True)
    assert len(precedents.search("隐私")) == 1


def test_repeat_warning_shows_the_earlier_answer(db_path):
    a, doc = replied_case("not_held", name="李四", content="某某村土地征收补偿安置方案")
    w = workflow.repeat_warning("李四", "", "某某村土地征收补偿安置方案")
    assert a.number in w and doc.number in w
