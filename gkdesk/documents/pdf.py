"""Drawing laid-out pages with reportlab: embedded TrueType subsets, fake bold by
stroke-and-fill where no bold face exists, the seal image or a light seal mark, and the
PDF's metadata. Text stays extractable (reportlab writes a ToUnicode map)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from gkdesk.documents.layout import BLACK, PAGE_H, PAGE_W, Laid, Run

FAKE_BOLD_WIDTH = 0.035   # stroke width as a fraction of the font size


@dataclass
class PdfMeta:
    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: str = ""


def _creator() -> str:
    from gkdesk import __version__

    return f"gkdesk {__version__}"


SPACING_TOLERANCE = 0.005  # points: gaps this close are drawn with one character spacing


def pieces(run: Run) -> list[tuple[float, str, float]]:
    """``run`` as (x, text, char_space) pieces, each shown by one text operator: a piece
    holds consecutive characters whose distance to the next is their own advance plus one
    common spacing (``Tc``). A justified line of full-width characters is one piece; a
    number or Latin word inside Chinese text starts pieces of its own."""
    text, xs = run.text, run.xs
    n = len(text)
    if n < 2:
        return [(run.x, text, 0.0)]
    face = run.font.face
    widths, default, scale = face.charWidths, face.defaultWidth, run.size / 1000.0
    out = []
    start = 0
    cs = None
    for i in range(n - 1):
        gap = xs[i + 1] - xs[i] - widths.get(ord(text[i]), default) * scale
        if cs is None:
            cs = gap
        elif abs(gap - cs) > SPACING_TOLERANCE:
            out.append((xs[start], text[start:i + 1], cs))
            start = i + 1
            cs = None
    out.append((xs[start], text[start:], cs or 0.0))
    return out


def draw_runs(c, runs: list[Run], page_h: float = PAGE_H) -> None:
    """Draw ``runs`` in as few text objects as the fake-bold line widths allow (one per
    page for a plain letter), one ``Tj`` per piece. ``page_h``: the page height (A4 unless
    the page is an envelope)."""
    t = None
    line_width = font = color = None
    mode = 0
    cs = 0.0

    def finish():
        if cs:
            t.setCharSpace(0)
        if mode:
            t.setTextRenderMode(0)
        c.drawText(t)

    for run in runs:
        if run.bold:
            w = run.size * FAKE_BOLD_WIDTH
            if w != line_width:
                # the stroke width of fake bold is graphics state: set it outside BT … ET
                if t is not None:
                    finish()
                    t = None
                    mode, cs = 0, 0.0
                c.setLineWidth(w)
                line_width = w
        if t is None:
            t = c.beginText()
            font = color = None
        if font != (run.font.key, run.size):
            font = (run.font.key, run.size)
            t.setFont(run.font.key, run.size)
        if color != run.color:
            color = run.color
            t.setFillColorRGB(*color)
            t.setStrokeColorRGB(*color)
        want = 2 if run.bold else 0
        if want != mode:
            mode = want
            t.setTextRenderMode(mode)
        y = page_h - run.y
        for x, text, space in pieces(run):
            if space != cs:
                cs = space
                t.setCharSpace(cs)
            t.setTextOrigin(x, y)
            t.textOut(text)
    if t is not None:
        finish()
        if color is not None and color != BLACK:
            c.setFillColorRGB(*BLACK)
            c.setStrokeColorRGB(*BLACK)


def write(laid: Laid, meta: PdfMeta, *, seal_image: Path | None = None, seal_mark: bool = False,
          pagesize: tuple[float, float] | None = None) -> bytes:
    """``laid`` as PDF bytes; ``pagesize`` (points) for pages other than A4 (envelopes)."""
    from reportlab.pdfgen import canvas

    page_w, page_h = pagesize or (PAGE_W, PAGE_H)
    buf = io.BytesIO()
    first = next((r for p in laid.pages for r in p.runs), None)
    # the page preamble names the initial font: make it an embedded one, not Helvetica
    extra = {"initialFontName": first.font.key, "initialFontSize": first.size} if first else {}
    c = canvas.Canvas(buf, pagesize=(page_w, page_h), pageCompression=1, **extra)
    c.setTitle(meta.title or laid.title)
    c.setAuthor(meta.author)
    c.setSubject(meta.subject)
    c.setKeywords(meta.keywords)
    c.setCreator(_creator())
    c.setProducer(_creator())
    for page in laid.pages:
        for rule in page.rules:
            c.setStrokeColorRGB(0, 0, 0)
            c.setLineWidth(rule.width)
            c.line(rule.x1, page_h - rule.y1, rule.x2, page_h - rule.y2)
        draw_runs(c, page.runs, page_h)
        if page.seal is not None:
            s = page.seal
            if seal_mark:
                c.saveState()
                c.setStrokeColorRGB(0.75, 0.75, 0.75)
                c.setLineWidth(0.6)
                c.setDash(3, 3)
                c.circle(s.cx, PAGE_H - s.cy, s.diameter / 2, stroke=1, fill=0)
                c.restoreState()
            if seal_image is not None:
                # ink over print: multiply keeps the text under the seal readable
                c.saveState()
                c.setBlendMode("Multiply")
                c.drawImage(str(seal_image), s.cx - s.diameter / 2, PAGE_H - s.cy - s.diameter / 2,
                            width=s.diameter, height=s.diameter, mask="auto", preserveAspectRatio=True,
                            anchor="c")
                c.restoreState()
        c.showPage()
    c.save()
    return buf.getvalue()
