"""pdf.py draws each laid-out run in as few text operators as it can (one per stretch of
evenly spaced characters). The page must look exactly as if every character had been
drawn on its own at the x the layout gave it: compared pixel by pixel with pdftoppm."""
import io

from PIL import ImageChops

from gkdesk.documents import layout, pdf, service

from tests.documents.helpers import CLERK, content_streams, ready_case, render_png

# digits, a Latin address, a dash pair and an ellipsis inside justified Chinese lines
MIXED = ("2025年3月至2026年11月某某路拓宽工程（编号QG-2025-017）征收补偿方案、联系邮箱zhang.san@example.com"
         "及电话0595-22355669——包括会议纪要……以及第1至第12号补偿协议") * 3


def _one_by_one(laid: layout.Laid) -> bytes:
    """The reference: every character drawn alone at its laid-out x."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(layout.PAGE_W, layout.PAGE_H))
    for page in laid.pages:
        for rule in page.rules:
            c.setLineWidth(rule.width)
            c.line(rule.x1, layout.PAGE_H - rule.y1, rule.x2, layout.PAGE_H - rule.y2)
        for run in page.runs:
            c.setFillColorRGB(*run.color)
            c.setStrokeColorRGB(*run.color)
            c.setLineWidth(run.size * pdf.FAKE_BOLD_WIDTH)
            c.setFont(run.font.key, run.size)
            for ch, x in zip(run.text, run.xs):
                c.drawString(x, layout.PAGE_H - run.y, ch, mode=2 if run.bold else 0)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_runs_land_where_the_layout_put_each_character(db_path, tmp_path):
    case = ready_case("reply.disclose", content=MIXED)
    p = service.prepare(case, "reply", CLERK)
    data = pdf.write(p.laid, pdf.PdfMeta(title=p.title))
    reference = _one_by_one(p.laid)
    runs = [r for page in p.laid.pages for r in page.runs]
    chars = sum(len(r.text) for r in runs)
    assert any(ch.isdigit() for r in runs for ch in r.text) and any(ch.isascii() and ch.isalpha() for r in runs for ch in r.text)
    # fewer text operators than characters: whole stretches are shown at once
    shown = content_streams(data).count(b" Tj")
    assert shown < chars / 3, (shown, chars)
    for n in range(1, len(p.laid.pages) + 1):
        a = render_png(data, tmp_path, page=n, dpi=150).convert("L")
        b = render_png(reference, tmp_path, page=n, dpi=150).convert("L")
        diff = ImageChops.difference(a, b).point(lambda v: 255 if v > 64 else 0)
        assert diff.getbbox() is None, f"page {n} differs from character-by-character drawing at {diff.getbbox()}"


def test_pieces_split_where_spacing_changes():
    from gkdesk.documents import fonts

    fs = fonts.fontset()
    font = fs.primary("body")[0]
    cell = layout.CELL
    digit = font.advance("2") * layout.BODY_PT
    # 本机关于 on the grid (+1 pt of justification), then 2026 at its natural width, then 年
    xs = [0.0, cell + 1, 2 * (cell + 1), 3 * (cell + 1)]
    x = xs[-1] + cell + 1
    for _ in "2026":
        xs.append(x)
        x += digit
    xs.append(x + 1)
    run = layout.Run(0.0, 100.0, "本机关于2026年", font, layout.BODY_PT, xs=xs)
    got = pdf.pieces(run)
    assert [t for _, t, _ in got] == ["本机关于2", "026", "年"]
    # drawn with its character spacing, every character of a piece lands on its laid-out x
    i = 0
    for x0, text, space in got:
        x = x0
        for ch in text:
            assert abs(x - xs[i]) < 0.01, (ch, x, xs[i])
            x += font.advance(ch) * layout.BODY_PT + space
            i += 1
    assert i == len(xs)
