"""Envelopes: DL (220 × 110 mm) and C5 (229 × 162 mm), drawn through the document
pipeline (fonts with per-character fallback and refusal of missing glyphs, 禁则 line
breaking, ``pdf.write``), one envelope per page.

Layout (mm from the envelope's top-left corner), after GB/T 1416 and ISO 269 window
envelopes: six postcode boxes 8 × 10 mm, 2 mm apart, the first 20 mm from the left and
10 mm from the top; the recipient's address and name inside the address window (90 × 45
mm, 20 mm from the left and 15 mm from the bottom), so the same page serves window and
plain envelopes; the stamp box top right; the office's return address, name and postcode
bottom right.
"""
from __future__ import annotations

from dataclasses import dataclass

from gkdesk.documents import fonts, linebreak
from gkdesk.documents.layout import MM, Laid, Page, Rule, Run
from gkdesk.errors import ValidationError


@dataclass(frozen=True)
class EnvelopeSize:
    code: str
    label: str
    width_mm: float
    height_mm: float

    @property
    def window(self) -> tuple[float, float, float, float]:
        """The address window (left, top, right, bottom) in mm from the top-left corner."""
        return (20.0, self.height_mm - 15.0 - 45.0, 110.0, self.height_mm - 15.0)


SIZES = {s.code: s for s in (EnvelopeSize("DL", "DL（220×110毫米，5号信封）", 220, 110),
                             EnvelopeSize("C5", "C5（229×162毫米，6号信封）", 229, 162))}

POSTCODE_BOX = (8.0, 10.0)      # width, height
POSTCODE_GAP = 2.0
POSTCODE_ORIGIN = (20.0, 10.0)
ADDRESS_PT = 12.0
NAME_PT = 16.0
RETURN_PT = 9.0
INSET = 4.0                      # the address block's margin inside the window


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str
    postcode: str = ""
    ref: str = ""                # e.g. the case number, printed small under the name


@dataclass(frozen=True)
class Sender:
    name: str
    address: str
    postcode: str = ""


class _Placer:
    def __init__(self, fs: fonts.FontSet, source: str):
        self.fs = fs
        self.source = source

    def chars(self, text: str, role: str, size: float):
        out = []
        for ch in text:
            if ch.isspace():
                out.append((ch, None, False, 0.25 * size))
                continue
            got = self.fs.font_for(ch, role)
            if got is None:
                raise fonts.FontMissing(fonts.missing_message(self.source, ch), field=self.source)
            f, bold = got
            out.append((ch, f, bold, f.advance(ch) * size))
        return out

    def line(self, page: Page, text: str, x: float, baseline: float, size: float, role: str = "body",
             align: str = "left", width: float = 0.0) -> float:
        chars = self.chars(text, role, size)
        total = sum(c[3] for c in chars)
        if align == "center":
            x += (width - total) / 2
        elif align == "right":
            x += width - total
        runs: list[Run] = []
        for ch, f, bold, w in chars:
            if f is not None:
                last = runs[-1] if runs else None
                if last is not None and last.font is f and last.bold == bold:
                    last.text += ch
                    last.xs.append(x)
                else:
                    runs.append(Run(x, baseline, ch, f, size, bold, [x]))
            x += w
        page.runs.extend(runs)
        return total

    def wrap(self, text: str, role: str, size: float, width: float) -> list[str]:
        us = linebreak.units(text)
        ws = [sum(c[3] for c in self.chars(u, role, size)) for u in us]
        return ["".join(us[ln.start:ln.end]) for ln in linebreak.break_lines(ws, us, width, width)]


def _box(page: Page, x: float, y: float, w: float, h: float, width: float = 0.6) -> None:
    x1, y1, x2, y2 = x * MM, y * MM, (x + w) * MM, (y + h) * MM
    page.rules += [Rule(x1, y1, x2, y1, width), Rule(x2, y1, x2, y2, width), Rule(x2, y2, x1, y2, width),
                   Rule(x1, y2, x1, y1, width)]


def _ascent(size: float) -> float:
    return fonts.EM_ASCENT * size


def layout_envelopes(recipients: list[Recipient], sender: Sender, size: str = "DL") -> tuple[Laid, tuple]:
    """One page per recipient; returns the laid pages and the page size in points."""
    env = SIZES.get(size)
    if env is None:
        raise ValidationError(f"信封规格：请选择{'或'.join(SIZES)}", "信封规格")
    fs = fonts.fontset()
    fs.require_usable()
    pages = []
    left, top, right, bottom = env.window
    for i, r in enumerate(recipients, start=1):
        page = Page(i)
        p = _Placer(fs, f"收件人“{r.name}”的地址")
        # postcode boxes, the digits centred in them
        code = "".join(ch for ch in (r.postcode or "") if ch.isdigit())[:6]
        for k in range(6):
            bx = POSTCODE_ORIGIN[0] + k * (POSTCODE_BOX[0] + POSTCODE_GAP)
            _box(page, bx, POSTCODE_ORIGIN[1], *POSTCODE_BOX)
            if k < len(code):
                base = (POSTCODE_ORIGIN[1] + POSTCODE_BOX[1] / 2) * MM + 0.35 * 16
                p.line(page, code[k], bx * MM, base, 16.0, "body", "center", POSTCODE_BOX[0] * MM)
        # stamp box
        _box(page, env.width_mm - 10 - 20, 8, 20, 24, 0.4)
        p.line(page, "贴邮票处", (env.width_mm - 30) * MM, 21 * MM, 7.0, "body", "center", 20 * MM)
        # the address block, inside the window
        width = (right - left - 2 * INSET) * MM
        y = (top + INSET) * MM
        lines = p.wrap(" ".join(r.address.split()), "body", ADDRESS_PT, width)
        if len(lines) > 4:
            raise ValidationError(f"收件人地址：“{r.name}”的地址太长，信封窗口放不下（最多4行），请精简", "收件人地址")
        for ln in lines:
            p.line(page, ln, (left + INSET) * MM, y + _ascent(ADDRESS_PT), ADDRESS_PT)
            y += ADDRESS_PT * 1.45
        y += 2 * MM
        p.line(page, f"{r.name}　收", (left + INSET) * MM, y + _ascent(NAME_PT), NAME_PT, "body", "left")
        y += NAME_PT * 1.3
        if r.ref:
            p.line(page, r.ref, (left + INSET) * MM, y + _ascent(RETURN_PT), RETURN_PT)
        # the return address, bottom right
        s = _Placer(fs, "本机关寄件地址（设置 → 本机关信息）")
        rw = 85 * MM
        rx = (env.width_mm - 10) * MM - rw
        ret = [sender.address, sender.name] + ([f"邮政编码：{sender.postcode}"] if sender.postcode else [])
        yb = (env.height_mm - 8) * MM - (len(ret) - 1) * RETURN_PT * 1.5
        for ln in ret:
            s.line(page, ln, rx, yb, RETURN_PT, "body", "right", rw)
            yb += RETURN_PT * 1.5
        pages.append(page)
    if not pages:
        raise ValidationError("收件人：没有可打印信封的收件人", "收件人")
    return Laid(pages, "信封"), (env.width_mm * MM, env.height_mm * MM)


def envelopes_pdf(recipients: list[Recipient], sender: Sender, size: str = "DL") -> bytes:
    from gkdesk.documents import pdf

    laid, pagesize = layout_envelopes(recipients, sender, size)
    return pdf.write(laid, pdf.PdfMeta(title=f"信封（{len(recipients)}个，{size}）", author=sender.name),
                     pagesize=pagesize)
