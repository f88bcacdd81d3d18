"""Text for reportlab platypus flowables (tables, forms, the annual report) through the
document pipeline: fonts from ``gkdesk.documents.fonts`` (per-character fallback, the
bundled font last), lines broken by ``gkdesk.documents.linebreak`` (禁则: no line starts
with ，。、 etc.) and handed to reportlab ready-broken, so reportlab's own CJK wrapping
(docs/pitfalls.md #6) is never used. A character no font has is refused naming its field
(docs/pitfalls.md #5), with the one message of ``fonts.missing_message``.

Used by the Annex PDFs (``gkdesk.forms.pdf``) and the annual-report PDF
(``gkdesk.reports.annual_xlsx``); the letters have their own GB/T 9704 layout
(``gkdesk.documents.layout``).
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from gkdesk.documents import fonts, linebreak


class Writer:
    """Turns text into reportlab Paragraph markup, line-broken by the 禁则 breaker, each
    character in a font that has it. ``width``/``size`` are the defaults of ``para``."""

    def __init__(self, width: float, size: float = 12.0):
        self.fs = fonts.fontset()
        self.fs.require_usable()
        self.width = width
        self.size = size

    def check(self, text: str, field: str) -> None:
        self.fs.check(text, field)

    def font_key(self, role: str = "body") -> str:
        """The registered reportlab name of ``role``'s first font (for table styles)."""
        return self.fs.primary(role)[0].key

    def _font(self, ch: str, role: str):
        got = self.fs.font_for(ch, role)
        return (got or self.fs.primary(role))[0]

    def _width(self, unit: str, role: str, size: float) -> float:
        return sum(self._font(ch, role).advance(ch) for ch in unit) * size

    def lines(self, text: str, role: str, size: float, width: float) -> list[str]:
        out: list[str] = []
        for para in (text or "").split("\n"):
            us = linebreak.units(para)
            us = linebreak.split_long_units(us, lambda u: self._width(u, role, size), width)
            ws = [self._width(u, role, size) for u in us]
            if not us:
                out.append("")
                continue
            for ln in linebreak.break_lines(ws, us, width, width):
                out.append("".join(us[ln.start:ln.end]).strip())
        return out

    @staticmethod
    def upright_lines(text: str) -> list[str]:
        """``text`` one character a line (a label standing upright in a narrow cell), a
        character that may not start a line (、，) kept with the one before (禁则)."""
        out: list[str] = []
        for u in linebreak.units(text):
            if out and not linebreak.can_break_before(out[-1], u):
                out[-1] += u
            else:
                out.append(u)
        return out

    def markup(self, line: str, role: str) -> str:
        parts: list[str] = []
        cur_key, buf = None, []
        for ch in line:
            key = self._font(ch, role).key
            if key != cur_key and buf:
                parts.append(f'<font name="{cur_key}">{escape("".join(buf))}</font>')
                buf = []
            cur_key = key
            buf.append(ch)
        if buf:
            parts.append(f'<font name="{cur_key}">{escape("".join(buf))}</font>')
        return "".join(parts)

    def para(self, text: str, role: str = "body", size: float | None = None, width: float | None = None,
             align: str = "left", leading: float | None = None, field: str = "", lines: list[str] | None = None):
        from reportlab.lib.enums import TA_CENTER, TA_LEFT
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph

        size = self.size if size is None else size
        width = self.width if width is None else width
        text = "" if text is None else str(text)
        self.check(text, field or "表格")
        if lines is None:
            lines = self.lines(text, role, size, width)
        style = ParagraphStyle(
            f"gk-{role}-{size}-{align}", fontName=self.fs.primary(role)[0].key, fontSize=size,
            leading=leading or size * 1.45, alignment=TA_CENTER if align == "center" else TA_LEFT,
            wordWrap=None, splitLongWords=False)
        return Paragraph("<br/>".join(self.markup(ln, role) or "&nbsp;" for ln in lines) or "&nbsp;", style)
