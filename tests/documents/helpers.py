"""Builders and PDF inspection helpers for the document tests (real poppler tools)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from html import unescape

import pytest

from gkdesk.cases.registry import ApplicationInput, register
from gkdesk.db.models import Consultation, Correction, Extension, Fee

MM = 72 / 25.4
TOP, LEFT, AREA_W, AREA_H = 37 * MM, 28 * MM, 156 * MM, 225 * MM
PITCH = AREA_H / 22
CELL = AREA_W / 28
RECEIVED = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 11, 20)

# Everything any default template may ask the clerk for.
CLERK = {
    "provided": "某某路拓宽工程征收补偿方案一份（共12页），随本答复书邮寄",
    "where": "某某区人民政府门户网站“政府信息公开”栏目",
    "withheld": "会议纪要中被征收人的身份证号码",
    "reason": "该部分属于个人隐私，公开会对第三方合法权益造成损害",
    "articles": "《中华人民共和国政府信息公开条例》第十五条",
    "agency": "某某市自然资源局，电话0595-22000000",
    "unclear": "所称“相关会议纪要”的范围不明确",
    "why": "涉及该公司的经营信息",
    "payment": "到本机关财务室现场缴纳",
    "method": "邮寄送达",
}


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} 未安装（poppler-utils）；scripts/system-packages 会安装它")
    return path


def new_case(name="张三", content="某某路拓宽工程征收补偿方案及相关会议纪要", **kw):
    kw.setdefault("id_type", "none")
    kw.setdefault("phone", "13800138000")
    kw.setdefault("address", "某某市某某区某某路8号")
    return register(ApplicationInput(applicant_name=name, content=content, received_date=kw.pop("received", RECEIVED),
                                     **kw), "clerk1", today=TODAY)


def ready_case(template_name: str, **kw):
    """A registered case with the records the template's document needs."""
    from gkdesk.domain.outcomes import OUTCOMES

    case = new_case(**kw)
    kind = template_name.split(".")[0]
    d = RECEIVED + dt.timedelta(days=2)
    if kind in ("correction", "termination"):
        Correction.create(case=case, notice_date=d, what_to_add="请写明所需会议纪要的日期或文号",
                          period_end=d + dt.timedelta(days=14), abandoned=kind == "termination")
    if kind in ("consultation", "consultation-notice"):
        Consultation.create(case=case, kind="third_party", party="某某置业有限公司", information="补偿协议",
                            sent_date=d, answer_due=d + dt.timedelta(days=21))
    if kind == "extension":
        Extension.create(case=case, working_days=20, reason="需要调取的档案数量较多", approver="陈某",
                         notice_date=d + dt.timedelta(days=20))
    if kind == "fee":
        Fee.create(case=case, method="per_volume", quantity=120, amount=1100,
                   computation="31—100页每页10元计700元；101—120页每页20元计400元",
                   notice_date=d, pay_by=d + dt.timedelta(days=28))
    if kind == "handoff":
        from gkdesk.db.desk_models import Handoff

        Handoff.create(case=case, number="交办〔2026〕1号", unit_name="某某街道办事处", sent_date=d,
                       legal_due=d + dt.timedelta(days=28), working_days_before=3, internal_due=d + dt.timedelta(days=23))
    if template_name.startswith("reply."):
        variant = template_name.split(".", 1)[1]
        code = next(o.code for o in OUTCOMES.values() if o.letter == variant)
        if code == "no_correction":
            Correction.create(case=case, notice_date=d, what_to_add="请写明所需信息",
                              period_end=d + dt.timedelta(days=14), abandoned=True)
        case.outcome = code
        case.outcome_reason = CLERK["reason"]
        case.provided_description = CLERK["provided"]
        case.responsible_agency = CLERK["agency"]
        case.save()
    if kind == "service-proof":
        from gkdesk.actors import SYSTEM
        from gkdesk.documents import service

        service.issue(case, "receipt", {}, SYSTEM)
    return case


# ---------------------------------------------------------------- poppler helpers

def pdftotext(data: bytes, tmp_path, layout=False) -> str:
    need("pdftotext")
    f = tmp_path / "x.pdf"
    f.write_bytes(data)
    args = ["pdftotext"] + (["-layout"] if layout else []) + [str(f), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class TextLine:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def bbox_pages(data: bytes, tmp_path) -> list[dict]:
    """Per page: {'width','height','lines':[TextLine]} from ``pdftotext -bbox-layout``."""
    need("pdftotext")
    f = tmp_path / "b.pdf"
    f.write_bytes(data)
    out = subprocess.run(["pdftotext", "-bbox-layout", str(f), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for pm in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        lines = []
        for lm in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                              pm.group(3), re.S):
            words = re.findall(r"<word[^>]*>(.*?)</word>", lm.group(5), re.S)
            lines.append(TextLine(float(lm.group(1)), float(lm.group(2)), float(lm.group(3)),
                                  float(lm.group(4)), unescape("".join(words))))
        pages.append({"width": float(pm.group(1)), "height": float(pm.group(2)), "lines": lines})
    return pages


def pdffonts(data: bytes, tmp_path) -> list[dict]:
    need("pdffonts")
    f = tmp_path / "f.pdf"
    f.write_bytes(data)
    out = subprocess.run(["pdffonts", str(f)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 7:
            # name type... encoding emb sub uni object ID — read from the right
            rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def content_streams(data: bytes) -> bytes:
    """Every stream of the PDF, decoded (ASCII85 and/or Flate, as reportlab writes them)."""
    import base64

    out = b""
    for m in re.finditer(rb"<<((?:(?!<<).)*?)>>\s*stream\r?\n", data, re.S):
        head = m.group(1)
        body = data[m.end():data.find(b"endstream", m.end())]
        try:
            if b"ASCII85Decode" in head:
                body = base64.a85decode(body.strip().removesuffix(b"~>"))
            if b"FlateDecode" in head:
                body = zlib.decompress(body)
        except (ValueError, zlib.error):
            continue
        out += body + b"\n"
    return out


def render_png(data: bytes, tmp_path, page=1, dpi=72):
    """Page ``page`` rendered by pdftoppm, as a Pillow image (1 px = 1 pt at 72 dpi)."""
    from PIL import Image

    need("pdftoppm")
    f = tmp_path / "r.pdf"
    f.write_bytes(data)
    prefix = tmp_path / f"r{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(f), str(prefix)], check=True)
    return Image.open(f"{prefix}.png").convert("RGB")
