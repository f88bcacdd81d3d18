"""GB/T 9704 geometry measured from the PDF with pdftotext -bbox-layout and pdftoppm:
A4, top margin 37 mm, left margin 28 mm, 22 lines of 28 characters, page numbers 7 mm
below the type area (right on odd pages, left on even), date four characters in from the
right with the office name centred over it, and the seal where the rule puts it."""
import re

import pytest

from gkdesk.actors import SYSTEM
from gkdesk.documents import layout, service, stamp

from tests.documents.helpers import (AREA_H, AREA_W, CELL, CLERK, LEFT, MM, PITCH, TOP, bbox_pages,
                                     ready_case, render_png)

LONG = "关于某某街道老旧小区改造项目的立项批复可行性研究报告初步设计审查意见资金拨付凭证和竣工验收备案材料" * 9


def _cjk_only(text: str) -> bool:
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def long_reply(db_path, tmp_path):
    case = ready_case("reply.disclose", content=LONG)
    doc = service.issue(case, "reply", CLERK, SYSTEM)
    data = service.stored_pdf(doc)
    return data, bbox_pages(data, tmp_path)


def test_page_is_a4(long_reply):
    _, pages = long_reply
    for p in pages:
        assert abs(p["width"] - 595.28) < 0.5 and abs(p["height"] - 841.89) < 0.5


def test_margins_and_grid(long_reply):
    _, pages = long_reply
    assert len(pages) >= 2
    body = [ln for ln in pages[0]["lines"] if TOP - 2 * MM < ln.y0 < TOP + AREA_H]
    # top margin: the first line (the title) starts at 37 mm
    assert abs(min(ln.y0 for ln in body) - TOP) <= 1 * MM
    # left margin: unindented lines start at 28 mm
    lefts = [ln.x0 for ln in body if not ln.text.startswith("政府信息公开")]
    assert abs(min(lefts) - LEFT) <= 1 * MM
    # every line sits on the 22-line grid
    idx = []
    for ln in body:
        k = (ln.y0 - TOP) / PITCH
        assert abs(k - round(k)) * PITCH <= 0.5 * MM, (ln.text, k)
        idx.append(round(k))
    # a full first page reaches the 22nd line (one line is the blank after the number)
    assert min(idx) == 0 and max(idx) == 21
    assert len(set(idx)) == 21


def test_full_lines_hold_28_characters_across_156_mm(long_reply):
    _, pages = long_reply
    full = [ln for p in pages for ln in p["lines"] if _cjk_only(ln.text) and len(ln.text) == 28]
    assert full, "expected lines of 28 Chinese characters"
    for ln in full:
        assert abs(ln.x0 - LEFT) <= 1 * MM
        assert abs(ln.x1 - (LEFT + AREA_W)) <= 1 * MM
    # and no line is wider than the type area
    for p in pages:
        for ln in p["lines"]:
            if TOP - 2 * MM < ln.y0 < TOP + AREA_H:
                assert ln.x1 <= LEFT + AREA_W + 0.5 * MM, ln.text


def test_no_line_starts_with_closing_punctuation(long_reply):
    _, pages = long_reply
    for p in pages:
        for ln in p["lines"]:
            assert not re.match(r"^[，。、；：？！）》」』”]", ln.text), ln.text
            assert not re.search(r"[（《「『“]$", ln.text), ln.text


def test_page_numbers(long_reply):
    _, pages = long_reply
    for i, p in enumerate(pages, start=1):
        nums = [ln for ln in p["lines"] if ln.y0 > TOP + AREA_H]
        assert len(nums) == 1
        ln = nums[0]
        assert ln.text.replace(" ", "") == f"—{i}—"
        assert abs(ln.y0 - (TOP + AREA_H + 7 * MM)) <= 1 * MM
        if i % 2:
            assert abs(ln.x1 - (LEFT + AREA_W - 14)) <= 1 * MM      # right, one 14 pt character in
        else:
            assert abs(ln.x0 - (LEFT + 14)) <= 1 * MM               # left, one character in


def _sign_lines(pages):
    for pi, p in enumerate(pages):
        for i, ln in enumerate(p["lines"]):
            if ln.text == "某某区人民政府办公室":
                date = next(d for d in p["lines"] if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", d.text))
                return pi, ln, date
    raise AssertionError("signature not found")


def test_date_four_characters_from_right_and_office_centred(long_reply):
    _, pages = long_reply
    _, name, date = _sign_lines(pages)
    assert abs(date.x1 - (LEFT + AREA_W - 4 * CELL)) <= 1 * MM
    assert abs((name.x0 + name.x1) / 2 - (date.x0 + date.x1) / 2) <= 1 * MM
    assert abs((date.y0 - name.y0) - PITCH) <= 0.5 * MM


def _red_box(img):
    px = img.load()
    w, h = img.size
    xs, ys = [], []
    for y in range(h):
        for x in range(w):
            r, g, b = px[x, y]
            if r > 180 and g < 90 and b < 90:
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs) + 1, max(ys) + 1) if xs else None


@pytest.fixture
def seal_png(tmp_path):
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((4, 4, 396, 396), outline=(220, 20, 20, 255), width=14)
    d.regular_polygon((200, 200, 60), 5, fill=(220, 20, 20, 255))
    path = tmp_path / "seal.png"
    img.save(path)
    return path


def test_seal_lands_where_the_rule_puts_it(db_path, tmp_path, seal_png):
    stamp.import_seal(seal_png, SYSTEM)
    case = ready_case("reply.disclose", content=LONG)
    doc = service.issue(case, "reply", CLERK, SYSTEM, stamp=True)
    assert doc.stamped
    data = service.stored_pdf(doc)
    pages = bbox_pages(data, tmp_path)
    pi, name, date = _sign_lines(pages)
    img = render_png(data, tmp_path, page=pi + 1, dpi=72)
    box = _red_box(img)
    assert box is not None, "no seal on the signature page"
    x0, y0, x1, y1 = box
    d = 42 * MM
    assert abs((x1 - x0) - d) <= 1.5 * MM and abs((y1 - y0) - d) <= 1.5 * MM
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    # centred over name and date, its centre at the top of the office-name line:
    # name and date sit in the lower middle of the seal
    assert abs(cx - (date.x0 + date.x1) / 2) <= 1 * MM
    assert abs(cy - name.y0) <= 1 * MM
    assert cy < name.y0 + 1 and date.y1 < cy + d / 2
    # its top within one line of the body: below the last body line, less than a line after it
    body = [ln for ln in pages[pi]["lines"] if TOP - 2 * MM < ln.y0 < name.y0 - PITCH / 2]
    last_body_bottom = max(ln.y0 for ln in body) + PITCH
    # (the measured top is the ring's outer pixel, drawn ~1 pt inside the image edge)
    assert last_body_bottom - 0.5 * MM <= y0 <= last_body_bottom + PITCH + 1 * MM
    # the seal is on the signature page only
    for other in range(len(pages)):
        if other != pi:
            assert _red_box(render_png(data, tmp_path, page=other + 1, dpi=36)) is None


@pytest.mark.parametrize("diameter", [38.0, 40.0, 42.0, 45.0, 50.0])
def test_seal_top_rule_in_the_layout_model(db_path, diameter):
    case = ready_case("reply.disclose")
    laid = service.prepare(case, "reply", CLERK, seal_mm=diameter).laid
    pi, seal = laid.seal
    page = laid.pages[pi]
    name_line = round((seal.cy - layout.TOP) / layout.PITCH)
    body = [k for k, (kind, _) in page.lines.items() if kind == "p" and k < name_line]
    body_bottom = layout.line_top(max(body) + 1)
    top = seal.cy - seal.diameter / 2
    assert body_bottom - 0.01 <= top < body_bottom + layout.PITCH
    assert abs(seal.diameter - diameter * MM) < 0.01


def test_signature_never_alone_on_a_page(db_path, tmp_path):
    # content lengths that push the signature block past the end of page 1
    carried = 0
    for n in range(8, 30):
        case = ready_case("reply.disclose", content="某某项目资金使用情况" * n, name=f"测试{n}")
        laid = service.prepare(case, "reply", CLERK).laid
        pi, seal = laid.seal
        carried += pi == 1 and laid.pages[0].lines.get(21) is None
        page = laid.pages[pi]
        body_lines = [r for r in page.runs if r.y < seal.cy - layout.PITCH and r.size == layout.BODY_PT]
        assert body_lines, f"signature alone on page {pi + 1} (n={n})"
    assert carried, "no content length exercised carrying body lines to the signature page"


def test_seal_mark_for_hand_stamping(db_path, tmp_path):
    case = ready_case("receipt")
    data = service.render_pdf(case, "receipt", {}, seal_mark=True)
    img = render_png(data, tmp_path, dpi=72)
    laid = service.prepare(case, "receipt", {}).laid
    _, seal = laid.seal
    px = img.load()
    # light grey dashes on the circle, nothing red
    hits = 0
    import math

    for a in range(0, 360, 5):
        x = seal.cx + seal.diameter / 2 * math.cos(math.radians(a))
        y = seal.cy + seal.diameter / 2 * math.sin(math.radians(a))
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                r, g, b = px[int(x) + dx, int(y) + dy]
                if 150 < r < 245 and abs(r - g) < 10 and abs(r - b) < 10:
                    hits += 1
                    break
            else:
                continue
            break
    assert hits > 20
    assert _red_box(img) is None
