"""The annual report as a document: its tables equal ``annual-report --json`` cell for cell,
read back from the .docx (python-docx) and the PDF (pdftotext, word by word inside each
cell the layout drew); the text carries the year's facts and last year's problems."""
from __future__ import annotations

import json
import re
import subprocess

import pytest

from gkdesk.actors import SYSTEM
from gkdesk.reports import annual, annual_doc

from . import scenario


@pytest.fixture
def ids(db_path):
    got = scenario.build()
    annual.save_table2(2025, {("规章", "本年制发件数"): 2, ("规章", "本年废止件数"): 1, ("规章", "现行有效件数"): 9,
                              ("行政许可", "本年处理决定数量"): 1234, ("行政事业性收费", "本年收费金额（单位：万元）"): "12.5"},
                       SYSTEM)
    annual_doc.save_texts(2024, {"problems": "依申请公开答复文书格式不够统一。"}, SYSTEM)
    annual_doc.save_texts(2025, {"improvements": "统一使用系统模板出具答复书。", "overview": "本年度深化政务公开。"}, SYSTEM)
    return got


def _json(run_cli, db_path) -> dict:
    r = run_cli("annual-report", "--year", "2025", "--json", "--db", db_path)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_docx_tables_equal_the_json_cell_for_cell(ids, db_path, tmp_path, run_cli):
    from docx import Document

    rep = _json(run_cli, db_path)
    out = tmp_path / "年报.docx"
    r = run_cli("annual-report", "--year", "2025", "--document", "-o", out, "--db", db_path)
    assert r.returncode == 0, r.stderr
    doc = Document(str(out))
    t2, t3, t4 = doc.tables[:3]
    layout = annual.table3_layout()
    assert len(t3.rows) == 3 + len(layout) == 28 and len(t3.columns) == 10
    for i, lr in enumerate(layout):
        cells = t3.rows[3 + i].cells
        assert cells[2].text == lr.label                                   # the row's own label
        assert [c.text for c in cells[3:]] == [str(rep["table3"][lr.key][c]) for c in annual.TABLE3_COLUMNS], lr.key
    assert t3.cell(0, 0).text == annual.HEADER_NOTE and t3.cell(1, 4).text == annual.HEADER_ORGANISATIONS
    nums = [c.text for c in t4.rows[3].cells]
    assert nums == [str(rep["table4"][k][c]) for k in annual.TABLE4_KEYS for c in annual.TABLE4_COLUMNS]
    assert t4.cell(1, 5).text == "未经复议直接起诉" and t4.cell(2, 14).text == "总计"
    t2_text = {(row.cells[0].text, i): row.cells[i].text for row in t2.rows for i in range(1, 4)}
    assert t2_text[("规章", 1)] == "2" and t2_text[("规章", 3)] == "9"
    assert t2_text[("行政许可", 1)] == "1234" and t2_text[("行政事业性收费", 1)] == "12.5"
    body = "\n".join(p.text for p in doc.paragraphs)
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in body
    received = rep["table3"][annual.ROW_NEW]["总计"]
    assert f"新收政府信息公开申请{received}件" in body
    assert "依申请公开答复文书格式不够统一。" in body and "统一使用系统模板出具答复书。" in body
    assert "本年度未登记工作任务" in body            # the tasks hook until issue 13 lands


def _words(pdf_path):
    """(page, x_min, y_min, x_max, y_max, text) of every word pdftotext finds."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for page_i, page in enumerate(html.split("<page ")[1:]):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page):
            out.append((page_i, *map(float, m.groups()[:4]), m.group(5)))
    return out


def test_pdf_tables_equal_the_json_cell_for_cell(ids, db_path, tmp_path, run_cli):
    rep = _json(run_cli, db_path)
    out = tmp_path / "年报.pdf"
    r = run_cli("annual-report", "--year", "2025", "--document", "-o", out, "--db", db_path)
    assert r.returncode == 0, r.stderr
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert all(" yes yes yes " in l for l in fonts.splitlines()[2:] if l.strip())
    words = _words(out)
    laid = annual_doc.prepare(2025).laid           # where the layout drew each numbered cell
    seen = {"table3": 0, "table4": 0}
    for pi, page in enumerate(laid.pages):
        for box in page.cells:
            if box.table not in seen:
                continue
            inside = "".join(w[5] for w in words if w[0] == pi and box.x1 <= (w[1] + w[3]) / 2 <= box.x2
                             and box.y1 <= (w[2] + w[4]) / 2 <= box.y2)
            row, col = box.key
            want = rep["table3" if box.table == "table3" else "table4"][row][col]
            assert inside == str(want), (box.table, row, col, inside)
            seen[box.table] += 1
    assert seen == {"table3": 25 * 7, "table4": 15}
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.replace(" ", "")
    assert "依申请公开答复文书格式不够统一。" in text and "一、总体情况" in text


def test_export_refused_when_the_figures_do_not_add_up(db_path, tmp_path, run_cli):
    from .conftest import make_case
    import datetime as dt

    make_case(dt.date(2025, 3, 1), reply=dt.date(2025, 3, 5))        # replied without an outcome
    out = tmp_path / "x.pdf"
    r = run_cli("annual-report", "--year", "2025", "--document", "-o", out, "--db", db_path)
    assert r.returncode != 0 and "未通过核对" in r.stderr and not out.exists()
    r = run_cli("annual-report", "--year", "2025", "--document", "-o", tmp_path / "x.txt", "--db", db_path)
    assert r.returncode != 0 and ".docx" in r.stderr


def test_the_template_is_editable_and_checked(db_path):
    from gkdesk.documents import templates
    from gkdesk.errors import TemplateError

    body = templates.current("annual_report").body
    assert "@table table3" in body
    templates.validate("annual_report", body.replace("@h1 六、其他需要报告的事项", "@h1 六、其他事项"))
    with pytest.raises(TemplateError, match="table9"):
        templates.validate("annual_report", body.replace("@table table4", "@table table9"))
    with pytest.raises(TemplateError, match="report.nothing"):
        templates.validate("annual_report", body + "\n@p {{ report.nothing }}\n")


def test_the_preview_follows_a_case_registered_after_it_was_drawn(ids, db_path):
    """The year's tables and statistics are remembered between previews (issue 20); a case
    registered since must be in the next one, and the tables must still add up."""
    import datetime as dt

    from .conftest import make_case

    def received(p):
        return p.data["table3"][annual.TABLE3_KEYS[0]][annual.TOTAL_COLUMN], flat(p.text)

    before, text_before = received(annual_doc.prepare(2025))
    again, _ = received(annual_doc.prepare(2025))
    assert again == before
    make_case(dt.date(2025, 6, 2))                                   # a new application in 2025
    after, text_after = received(annual_doc.prepare(2025))
    assert after == before + 1 and text_after != text_before


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)
