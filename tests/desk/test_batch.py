"""Several cases at once: one PDF of letters and proofs in order; archive what is complete."""
import re
import subprocess

from gkdesk.actors import SYSTEM, Actor
from gkdesk.cases import batch, query
from gkdesk.db.desk_models import DocumentPrint
from gkdesk.db.models import Case, CaseEvent, Document

from tests.desk.helpers import D, delivered_case, replied_case
from tests.documents.helpers import need

MIXED = ["not_held", "disclosed", "third_party", "petition", "other_agency"]


def _pages(path):
    need("pdftotext")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def test_batch_print_of_30_mixed_cases_is_one_pdf_of_letters_and_proofs_in_order(db_path, tmp_path):
    cases, letters = [], []
    for i in range(30):
        c, doc = replied_case(MIXED[i % len(MIXED)], name=f"申请人{i}")
        cases.append(c)
        letters.append(doc)
    # one case already printed: its letter must not print again
    already = cases[7]
    DocumentPrint.create(document=letters[7].id, printed_by="clerk1")
    # one case without an issued letter: refused and named
    bare, _ = replied_case("not_held", issue=False, name="无文书")
    order = [c.id for c in cases] + [bare.id]
    out = tmp_path / "batch.pdf"
    res = batch.print_letters(batch.Selection(ids=tuple(order)), out, SYSTEM)
    assert len(res.done) == 29
    assert {o.number for o in res.refused} == {already.number, bare.number}
    pages = _pages(out)
    # each letter is followed by its proof of service; follow the pages in order
    expected = []
    for c, doc in zip(cases, letters):
        if c.id == already.id:
            continue
        proof = Document.get((Document.case == c.id) & (Document.kind == "service-proof"))
        expected += [doc.number, proof.number]
    starts = []
    for p in pages:
        flat = re.sub(r"\s+", "", p)
        heads = sorted((flat.find(n), n) for n in expected if n in flat)
        if heads:               # a document's own number stands first, under its title
            starts.append(heads[0][1])
    assert starts == expected
    flat_pages = [re.sub(r"\s+", "", p) for p in pages]
    proofs_at = [i for i, p in enumerate(flat_pages) if "送达回证" in p and "受送达人" in p]
    assert len(proofs_at) == 29
    # printed now: a second batch has nothing to print, and each case has its own audit event
    assert DocumentPrint.select().count() == 1 + 58
    assert CaseEvent.select().where(CaseEvent.action == "document.print").count() == 29


def test_printing_again_is_refused_with_the_reason(db_path, tmp_path):
    c, _ = replied_case("not_held")
    batch.print_letters(batch.Selection(ids=(c.id,)), tmp_path / "a.pdf", SYSTEM)
    import pytest

    from gkdesk.errors import WorkflowError

    with pytest.raises(WorkflowError, match="没有已出具、尚未打印的答复书"):
        batch.print_letters(batch.Selection(ids=(c.id,)), tmp_path / "b.pdf", SYSTEM)
    assert not (tmp_path / "b.pdf").exists()


def test_batch_archive_archives_the_complete_and_names_the_three_incomplete(db_path):
    complete = [delivered_case("not_held", method="post", name=f"甲{i}")[0] for i in range(5)]
    # direct service without a proof of service: incomplete
    no_proof = [delivered_case("not_held", method="direct", name=f"乙{i}")[0] for i in range(2)]
    # no reply letter at all
    no_letter = delivered_case("not_held", method="post", issue=False, name="丙")[0]
    ids = tuple(c.id for c in complete + no_proof + [no_letter])
    res = batch.archive(batch.Selection(ids=ids), SYSTEM, archive_date=D(2026, 4, 1), today=D(2026, 4, 1))
    assert sorted(o.case_id for o in res.done) == sorted(c.id for c in complete)
    assert len(res.refused) == 3
    by_id = {o.case_id: o.message for o in res.refused}
    for c in no_proof:
        assert "送达回证" in by_id[c.id]
    assert "答复书" in by_id[no_letter.id]
    for c in complete:
        assert Case.get_by_id(c.id).stage == "archived"
    for c in no_proof + [no_letter]:
        assert Case.get_by_id(c.id).stage == "delivered"
    # audited one by one
    assert CaseEvent.select().where(CaseEvent.action == "archive").count() == 5


def test_select_all_that_match_acts_by_filter(db_path):
    a = delivered_case("not_held", name="王五", content="征收补偿协议")[0]
    b = delivered_case("not_held", name="赵六", content="征收补偿协议")[0]
    delivered_case("not_held", name="钱七", content="道路规划图")
    sel = batch.Selection(filter=query.CaseFilter(text="补偿协议"))
    assert sel.count() == 2 and sorted(sel.case_ids()) == sorted([a.id, b.id])
    res = batch.archive(sel, SYSTEM, archive_date=D(2026, 4, 1), today=D(2026, 4, 1))
    assert len(res.done) == 2


def test_batch_assign_and_cancel(db_path):
    from tests.documents.helpers import new_case
    from gkdesk.cases import workflow as wf

    cs = []
    for i in range(4):
        c = new_case(name=f"丁{i}")
        cs.append(wf.perform(c.id, "accept", SYSTEM, today=D(2026, 3, 3), section="综合股", handler="王丽"))
    clerk = Actor("clerk1", "小李", frozenset({"clerk"}))
    res = batch.assign(batch.Selection(ids=tuple(c.id for c in cs)), clerk, section="法制股", handler="陈刚")
    assert len(res.done) == 0 and len(res.refused) == 4 and "审核人" in res.refused[0].message
    seen = []
    res = batch.assign(batch.Selection(ids=tuple(c.id for c in cs)), SYSTEM, section="法制股", handler="陈刚",
                       progress=lambda d, t: seen.append(d), cancelled=lambda: len(seen) >= 3)
    assert res.cancelled and len(res.done) == 3 and "其余1件未处理" in res.summary()
    assert [Case.get_by_id(c.id).handler for c in cs] == ["陈刚", "陈刚", "陈刚", "王丽"]


def test_export_selection_to_ledger(db_path, tmp_path):
    from openpyxl import load_workbook

    a = replied_case("not_held", name="甲")[0]
    replied_case("not_held", name="乙")
    c = replied_case("not_held", name="丙")[0]
    out = tmp_path / "sel.xlsx"
    n = batch.export_ledger(batch.Selection(ids=(a.id, c.id)), out, SYSTEM)
    assert n == 2
    ws = load_workbook(out).active
    names = [r[2] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["丙", "甲"]
