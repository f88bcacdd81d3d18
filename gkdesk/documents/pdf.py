"""Drawing laid-out pages with reportlab: embedded TrueType subsets, fake bold by
stroke-and-fill where no bold face exists, the seal image or a light seal mark, and the
PDF's metadata. Text stays extractable (reportlab writes a ToUnicode map)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from gkdesk.documents.layout import PAGE_H, PAGE_W, Laid, Run

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


def draw_run(c, run: Run) -> None:
    c.setFillColorRGB(*run.color)
    c.setStrokeColorRGB(*run.color)
    mode = None
    if run.bold:
        mode = 2
        c.setLineWidth(run.size * FAKE_BOLD_WIDTH)
    c.setFont(run.font.key, run.size)
    y = PAGE_H - run.y
    step = run.uniform_step
    if len(run.text) == 1 or step is not None:
        natural = run.font.advance(run.text[0]) * run.size
        cs = (step - natural) if step is not None else 0.0
        # a uniform run of equal-width characters: one string with character spacing
        if step is None or all(abs(run.font.advance(ch) * run.size - natural) < 0.01 for ch in run.text):
            c.drawString(run.x, y, run.text, mode=mode, charSpace=cs)
            return
    for ch, x in zip(run.text, run.xs):
        c.drawString(x, y, ch, mode=mode)


def write(laid: Laid, meta: PdfMeta, *, seal_image: Path | None = None, seal_mark: bool = False) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    first = next((r for p in laid.pages for r in p.runs), None)
    # the page preamble names the initial font: make it an embedded one, not Helvetica
    extra = {"initialFontName": first.font.key, "initialFontSize": first.size} if first else {}
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), pageCompression=1, **extra)
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
            c.line(rule.x1, PAGE_H - rule.y1, rule.x2, PAGE_H - rule.y2)
        for run in page.runs:
            draw_run(c, run)
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
