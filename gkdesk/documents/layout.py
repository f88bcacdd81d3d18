"""GB/T 9704-2012 page layout, independent of the output format.

The page is A4 with the type area (版心) 156 × 225 mm placed 37 mm from the top and
28 mm from the left. Body text is 16 pt laid on a grid of 22 lines × 28 characters:
the line pitch is 225/22 mm, and every full-width character occupies one cell of
156/28 mm. Each line's ideographic em box starts at the top of its grid line, so the
first line's characters touch the top of the type area (37 mm) and the last line of a
full page is line 22. Titles (22 pt), headings and table rows also stay on the grid.

Signature block (7.3.5.1): the date is placed four characters in from the right, the
office name centred over it; the seal is centred on them horizontally with its centre at
the top of the office-name line, so name and date sit in its lower middle, and the blank
lines before the name are just enough for the seal's top to fall within the first line
after the body. Page numbers — 1 — are 14 pt, 7 mm below the type area, one character
in from the right on odd pages and from the left on even ones.

``layout(blocks, fontset)`` returns pages of positioned runs; ``pdf.py`` draws them with
reportlab and the GUI preview draws the same runs with Qt.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from gkdesk.documents import linebreak
from gkdesk.documents.fonts import EM_ASCENT, FontMissing, FontSet, LoadedFont, missing_message
from gkdesk.documents.markup import BREAK, Block

MM = 72.0 / 25.4
PAGE_W = 210 * MM
PAGE_H = 297 * MM
TOP = 37 * MM
LEFT = 28 * MM
AREA_W = 156 * MM
AREA_H = 225 * MM
LINES = 22
CHARS = 28
PITCH = AREA_H / LINES        # line pitch, ≈ 28.99 pt
CELL = AREA_W / CHARS         # character pitch, ≈ 15.79 pt
BODY_PT = 16.0                # 3号
TITLE_PT = 22.0               # 2号
PAGE_NO_PT = 14.0             # 4号
PAGE_NO_GAP = 7 * MM
DATE_RIGHT_CELLS = 4          # 右空四字 when sealed
DEFAULT_SEAL_MM = 42.0
JUSTIFY_MAX = 3 * CELL        # don't stretch a line by more than this

BLACK = (0.0, 0.0, 0.0)
GREY = (0.55, 0.55, 0.55)


@dataclass
class Run:
    """Characters drawn in one font on one baseline; ``xs`` is each character's x."""
    x: float
    y: float                  # baseline, points from the top of the page
    text: str
    font: LoadedFont
    size: float
    bold: bool = False
    xs: list[float] = field(default_factory=list)
    color: tuple = BLACK


@dataclass
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.75


@dataclass
class Seal:
    cx: float
    cy: float
    diameter: float


@dataclass
class Page:
    number: int
    runs: list[Run] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    seal: Seal | None = None
    # grid line → (kind, runs) for the text lines placed on it (used to move lines)
    lines: dict[int, tuple[str, list[Run]]] = field(default_factory=dict)
    # keyed table cells drawn on this page (tables.CellBox), for checks and previews
    cells: list = field(default_factory=list)


@dataclass
class Laid:
    pages: list[Page]
    title: str = ""

    @property
    def seal(self) -> tuple[int, Seal] | None:
        for i, p in enumerate(self.pages):
            if p.seal:
                return i, p.seal
        return None


def line_top(index: int) -> float:
    return TOP + index * PITCH


def baseline(index: int, size: float = BODY_PT) -> float:
    return line_top(index) + EM_ASCENT * size


class _Engine:
    def __init__(self, fs: FontSet, seal_mm: float, source: str = "模板"):
        self.fs = fs
        self.seal_d = seal_mm * MM
        self.source = source
        self.pages: list[Page] = [Page(1)]
        self.ln = 0
        self.cols: list[int] | None = None

    # ---------------------------------------------------------------- pages
    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(Page(len(self.pages) + 1))
        self.ln = 0

    def need(self, n: int) -> None:
        if self.ln + n > LINES and self.ln > 0:
            self.new_page()

    # ---------------------------------------------------------------- glyphs
    def glyph(self, ch: str, role: str) -> tuple[LoadedFont, bool]:
        got = self.fs.font_for(ch, role)
        if got is None:
            # field=ch: the service names the field the character came from
            raise FontMissing(missing_message(self.source, ch), field=ch)
        return got

    def char_width(self, ch: str, font: LoadedFont | None, size: float) -> float:
        if ch == "\u3000":
            return CELL if size == BODY_PT else size
        if ch == " ":
            return 0.25 * size if font is None else font.advance(" ") * size
        adv = font.advance(ch)
        if size == BODY_PT and adv >= 0.9:
            return CELL
        return adv * size

    def metrics(self, role: str, size: float) -> dict[str, tuple]:
        """character → (character, font, bold, width) for ``role`` at ``size``, filled as
        characters are met and kept with the FontSet (the same for every document)."""
        key = (role, size)
        m = self.fs.layout_metrics.get(key)
        if m is None:
            m = self.fs.layout_metrics[key] = {}
        return m

    def char_info(self, ch: str, role: str, size: float) -> tuple:
        m = self.metrics(role, size)
        got = m.get(ch)
        if got is None:
            if ch in " \u3000":
                w = self.char_width(ch, None if ch == "\u3000" else self.fs.primary(role)[0], size)
                got = (ch, None, False, w)
            else:
                f, bold = self.glyph(ch, role)      # FontMissing for a character no font has
                got = (ch, f, bold, self.char_width(ch, f, size))
            m[ch] = got
        return got

    def measure_units(self, text: str, role: str, size: float):
        """Units of ``text`` with their widths and the per-character (font, bold, width)."""
        us = linebreak.units(text)
        us = linebreak.split_long_units(us, lambda u: self._unit_width(u, role, size), AREA_W)
        m = self.metrics(role, size)
        info = []
        widths = []
        for u in us:
            if len(u) == 1:
                c = m.get(u) or self.char_info(u, role, size)
                info.append([c])
                widths.append(c[3])
            else:
                chars = [m.get(ch) or self.char_info(ch, role, size) for ch in u]
                info.append(chars)
                widths.append(sum(c[3] for c in chars))
        return us, widths, info

    def _unit_width(self, u: str, role: str, size: float) -> float:
        return sum(self.char_info(ch, role, size)[3] for ch in u)

    def emit(self, info_line: list, x0: float, y: float, size: float, gap: float = 0.0,
             color=BLACK, page: Page | None = None) -> list[Run]:
        """Place the units of one line from x0, adding ``gap`` between units."""
        runs: list[Run] = []
        x = x0
        for ui, chars in enumerate(info_line):
            if ui:
                x += gap
            for ch, f, bold, w in chars:
                if f is not None:
                    last = runs[-1] if runs else None
                    if last is not None and last.font is f and last.bold == bold and last.size == size:
                        last.text += ch
                        last.xs.append(x)
                    else:
                        runs.append(Run(x, y, ch, f, size, bold, [x], color))
                x += w
        (page or self.page).runs.extend(runs)
        return runs

    # ---------------------------------------------------------------- blocks
    def paragraph(self, text: str, role: str = "body", size: float = BODY_PT, indent: float = 0.0,
                  align: str = "justify", kind: str = "p") -> None:
        for seg in text.split(BREAK):
            self._segment(seg, role, size, indent, align, kind)

    def _segment(self, text: str, role: str, size: float, indent: float, align: str, kind: str) -> None:
        if not text.strip():
            self.need(1)
            self.ln += 1
            return
        us, widths, info = self.measure_units(text, role, size)
        first = AREA_W - indent * CELL
        lines = linebreak.break_lines(widths, us, first, AREA_W)
        for i, ln in enumerate(lines):
            self.need(1)
            avail = first if i == 0 else AREA_W
            x0 = LEFT + (indent * CELL if i == 0 else 0.0)
            units_info = info[ln.start:ln.end]
            # drop spaces at the end of a broken line
            while units_info and not ln.last and all(c[0] == " " for c in units_info[-1]):
                units_info = units_info[:-1]
            w = sum(sum(c[3] for c in u) for u in units_info)
            gap = 0.0
            if align == "center":
                x0 = LEFT + (AREA_W - w) / 2
            elif align == "right":
                x0 = LEFT + AREA_W - w
            elif align == "justify" and not ln.last and len(units_info) > 1 and 0 < avail - w <= JUSTIFY_MAX:
                gap = (avail - w) / (len(units_info) - 1)
            runs = self.emit(units_info, x0, baseline(self.ln, size), size, gap)
            self.page.lines[self.ln] = (kind, runs)
            self.ln += 1

    def block(self, b: Block) -> None:
        k = b.kind
        if k == "title":
            self.paragraph(b.text, "title", TITLE_PT, 0, "center", "title")
        elif k == "number":
            self.paragraph(b.text, "body", BODY_PT, 0, "center", "number")
        elif k == "to":
            self.paragraph(b.text, "body", BODY_PT, 0, "justify", "p")
        elif k == "p":
            self.paragraph(b.text, "body", BODY_PT, 2, "justify", "p")
        elif k == "noindent":
            self.paragraph(b.text, "body", BODY_PT, 0, "justify", "p")
        elif k == "note":
            self.paragraph(b.text, "body", BODY_PT, 2, "justify", "note")
        elif k == "h1":
            self.paragraph(b.text, "heading1", BODY_PT, 2, "justify", "p")
        elif k == "h2":
            self.paragraph(b.text, "heading2", BODY_PT, 2, "justify", "p")
        elif k == "center":
            self.paragraph(b.text, "body", BODY_PT, 0, "center", "p")
        elif k == "right":
            self.paragraph(b.text, "body", BODY_PT, 0, "right", "p")
        elif k == "blank":
            for _ in range(b.count):
                if self.ln >= LINES:
                    self.new_page()
                self.ln += 1
        elif k == "pagebreak":
            if self.ln > 0:
                self.new_page()
        elif k == "cols":
            self.cols = list(b.widths)
        elif k == "row":
            self.row(b)
        elif k == "table":
            self.table(b)
        elif k == "sign":
            self.sign(b.cells[0], b.cells[1])

    # ---------------------------------------------------------------- tables
    def _widths_for(self, n: int) -> list[int]:
        if self.cols and len(self.cols) == n:
            return self.cols
        if n == 1:
            return [CHARS]
        if n == 2:
            return [7, 21]
        if n == 4:
            return [5, 9, 5, 9]
        base = CHARS // n
        ws = [base] * n
        ws[-1] += CHARS - base * n
        return ws

    def row(self, b: Block) -> None:
        widths = self._widths_for(len(b.cells))
        cells_lines = []
        for text, wc in zip(b.cells, widths):
            inner = (wc - 1) * CELL
            lines_here = []
            for seg in text.split(BREAK):
                if not seg.strip():
                    lines_here.append(([], 0.0))
                    continue
                us, ws, info = self.measure_units(seg, "body", BODY_PT)
                for ln in linebreak.break_lines(ws, us, inner, inner):
                    ui = info[ln.start:ln.end]
                    lines_here.append((ui, sum(sum(c[3] for c in u) for u in ui)))
            cells_lines.append(lines_here)
        height = max([b.count] + [len(c) for c in cells_lines])
        height = min(height, LINES)
        self.need(height)
        top = line_top(self.ln)
        bottom = line_top(self.ln + height)
        x = LEFT
        page = self.page
        page.rules.append(Rule(LEFT, top, LEFT + sum(widths) * CELL, top))
        page.rules.append(Rule(LEFT, bottom, LEFT + sum(widths) * CELL, bottom))
        for lines_here, wc in zip(cells_lines, widths):
            page.rules.append(Rule(x, top, x, bottom))
            offset = (height - len(lines_here)) / 2.0
            centre = wc <= 7 and len(lines_here) <= 1
            for i, (ui, w) in enumerate(lines_here[:height]):
                if not ui:
                    continue
                y = top + (offset + i) * PITCH + (PITCH - BODY_PT) / 2 + EM_ASCENT * BODY_PT
                x0 = x + (wc * CELL - w) / 2 if centre else x + CELL / 2
                self.emit(ui, x0, y, BODY_PT)
            x += wc * CELL
        page.rules.append(Rule(x, top, x, bottom))
        self.ln += height

    # ---------------------------------------------------------------- whole tables (tables.Grid)
    def _cell_lines(self, text: str, role: str, size: float, inner: float) -> list[tuple[list, float]]:
        out = []
        for seg in text.split(BREAK):
            if not seg.strip():
                out.append(([], 0.0))
                continue
            us, ws, info = self.measure_units(seg, role, size)
            for ln in linebreak.break_lines(ws, us, inner, inner):
                ui = info[ln.start:ln.end]
                out.append((ui, sum(sum(c[3] for c in u) for u in ui)))
        return out

    def table(self, b: Block) -> None:
        """A grid with spans in the grid's size (五号 by default), the full type-area width,
        rows as tall as their text; a row that does not fit starts a new page, where the
        header rows are repeated and a cell spanning the break is drawn again with its text.
        The text after the table continues on the next grid line."""
        from gkdesk.documents.tables import CellBox, place

        grid = b.grid
        if grid is None:
            from gkdesk.errors import TemplateError

            raise TemplateError(f"{self.source}第{b.line}行：表格“{b.text}”没有内容", field=f"@table {b.text}")
        size = grid.size
        pad_x, pad_y = 0.25 * size, 0.3 * size
        lead = round(size * 1.3, 2)
        total = sum(grid.widths)
        xs = [LEFT]
        for w in grid.widths:
            xs.append(xs[-1] + AREA_W * w / total)
        placed = place(grid)
        nrows = len(grid.rows)
        lines_of = {}
        for p in placed:
            inner = xs[p.col + p.cell.colspan] - xs[p.col] - 2 * pad_x
            role = "heading1" if p.cell.head else "body"
            lines_of[id(p)] = self._cell_lines(p.cell.text, role, size, inner)
        heights = [lead + 2 * pad_y] * nrows
        for p in sorted(placed, key=lambda p: p.cell.rowspan):
            need = len(lines_of[id(p)]) * lead + 2 * pad_y
            have = sum(heights[p.row:p.row + p.cell.rowspan])
            if need > have:
                heights[p.row + p.cell.rowspan - 1] += need - have
        bottom_limit = TOP + AREA_H
        # where each row goes: (page index, top y)
        where: list[tuple[int, float]] = [(0, 0.0)] * nrows
        y = line_top(self.ln) if self.ln else TOP
        page_i = len(self.pages) - 1
        header = list(range(min(grid.header_rows, nrows)))
        repeated: list[tuple[int, float, int]] = []    # (page, y, header row) drawn again
        for r in range(nrows):
            if y + heights[r] > bottom_limit + 0.01 and y > TOP + 0.01:
                self.new_page()
                page_i = len(self.pages) - 1
                y = TOP
                if r >= len(header):
                    for h in header:
                        repeated.append((page_i, y, h))
                        y += heights[h]
            where[r] = (page_i, y)
            y += heights[r]
        end_page, end_y = page_i, y

        def draw(p, page: Page, top: float, height: float, text_lines) -> None:
            x1, x2 = xs[p.col], xs[p.col + p.cell.colspan]
            bottom = top + height
            page.rules += [Rule(x1, top, x2, top, 0.5), Rule(x1, bottom, x2, bottom, 0.5),
                           Rule(x1, top, x1, bottom, 0.5), Rule(x2, top, x2, bottom, 0.5)]
            offset = max(0.0, (height - len(text_lines) * lead) / 2)
            for i, (ui, w) in enumerate(text_lines):
                if not ui:
                    continue
                ty = top + offset + i * lead + (lead - size) / 2 + EM_ASCENT * size
                if ty - EM_ASCENT * size + size > bottom + 0.5:
                    break
                x0 = x1 + (x2 - x1 - w) / 2 if p.cell.align == "center" else x1 + pad_x
                self.emit(ui, x0, ty, size, page=page)
            if p.cell.key is not None:
                page.cells.append(CellBox(grid.name, p.cell.key, p.cell.text, x1, top, x2, bottom))

        for p in placed:
            rows = range(p.row, p.row + p.cell.rowspan)
            # one piece per page the cell's rows fall on
            pieces: dict[int, list[int]] = {}
            for r in rows:
                pieces.setdefault(where[r][0], []).append(r)
            for pg, rs in pieces.items():
                top = where[rs[0]][1]
                height = sum(heights[r] for r in rs)
                draw(p, self.pages[pg], top, height, lines_of[id(p)])
        for pg, top, h in repeated:
            for p in placed:
                if p.row == h:      # header cells starting on this header row, with their spans
                    hh = sum(heights[r] for r in range(p.row, p.row + p.cell.rowspan))
                    draw(p, self.pages[pg], top, hh, lines_of[id(p)])
        assert end_page == len(self.pages) - 1
        self.ln = min(LINES, math.ceil((end_y - TOP) / PITCH - 1e-6))

    # ---------------------------------------------------------------- signature and seal
    def sign(self, office: str, date: str) -> None:
        r = self.seal_d / 2
        gap = max(1, math.ceil(r / PITCH - 1e-9))
        total = gap + 2
        if self.ln == 0 and len(self.pages) > 1 and not self.page.runs:
            self.pages.pop()          # a page break just before: carry from the page before
            self.ln = LINES
        if self.ln + total > LINES:
            self._carry_lines(total)
        name_line = self.ln + gap
        date_line = name_line + 1
        _, dw, dinfo = self.measure_units(date, "body", BODY_PT)
        _, nw, ninfo = self.measure_units(office, "body", BODY_PT)
        date_w = sum(dw)
        name_w = sum(nw)
        right = LEFT + AREA_W
        date_x = right - DATE_RIGHT_CELLS * CELL - date_w
        centre = date_x + date_w / 2
        name_x = centre - name_w / 2
        overflow = name_x + name_w - right
        if overflow > 0:
            name_x -= overflow
            date_x -= overflow
            centre -= overflow
        name_runs = self.emit(ninfo, name_x, baseline(name_line), BODY_PT)
        date_runs = self.emit(dinfo, date_x, baseline(date_line), BODY_PT)
        self.page.lines[name_line] = ("sign", name_runs)
        self.page.lines[date_line] = ("sign", date_runs)
        self.page.seal = Seal(centre, line_top(name_line), self.seal_d)
        self.ln = date_line + 1

    def _carry_lines(self, total: int) -> None:
        """Start a new page for the signature block, taking the last two body lines along
        (a page must not hold the signature alone)."""
        prev = self.page
        body_lines = sorted(i for i, (kind, _) in prev.lines.items() if kind == "p")
        carried: list[tuple[int, list[Run]]] = []
        if body_lines:
            last = max(prev.lines)
            take = [i for i in body_lines if i > last - 2]
            # only carry a contiguous tail of text lines
            take = [i for i in take if i in prev.lines]
            if take and take[-1] == last:
                carried = [(i, prev.lines.pop(i)[1]) for i in take]
        self.new_page()
        if not carried:
            return
        first = carried[0][0]
        moved = {id(r) for _, runs in carried for r in runs}
        prev.runs = [r for r in prev.runs if id(r) not in moved]
        for i, runs in carried:
            for r in runs:
                r.y -= first * PITCH
            self.page.runs.extend(runs)
            self.page.lines[i - first] = ("p", runs)
        self.ln = len(carried)

    # ---------------------------------------------------------------- page numbers, marks
    def page_numbers(self) -> None:
        for p in self.pages:
            text = f"— {p.number} —"
            info = []
            for ch in text:
                if ch == " ":
                    info.append([(ch, None, False, 0.25 * PAGE_NO_PT)])
                else:
                    f, _ = self.glyph(ch, "song")
                    info.append([(ch, f, False, f.advance(ch) * PAGE_NO_PT)])
            w = sum(c[0][3] for c in info)
            if p.number % 2:
                x = LEFT + AREA_W - PAGE_NO_PT - w
            else:
                x = LEFT + PAGE_NO_PT
            y = TOP + AREA_H + PAGE_NO_GAP + EM_ASCENT * PAGE_NO_PT
            saved = self.pages
            self.pages = [p]
            self.emit(info, x, y, PAGE_NO_PT)
            self.pages = saved

    def draft_mark(self, text: str) -> None:
        for p in self.pages:
            size = 10.5
            info = []
            for ch in text:
                f, _ = self.glyph(ch, "song")
                info.append([(ch, f, False, f.advance(ch) * size)])
            w = sum(c[0][3] for c in info)
            saved = self.pages
            self.pages = [p]
            self.emit(info, LEFT + AREA_W - w, TOP - 12 * MM, size, color=GREY)
            self.pages = saved


def layout(blocks: list[Block], fs: FontSet, *, seal_mm: float = DEFAULT_SEAL_MM,
           page_numbers: bool = True, draft_mark: str = "", source: str = "模板") -> Laid:
    fs.require_usable()
    eng = _Engine(fs, seal_mm, source)
    title = ""
    for b in blocks:
        if b.kind == "title" and not title:
            title = b.text.replace(BREAK, "")
        eng.block(b)
    # drop a trailing empty page (a page break or blank lines at the very end)
    if len(eng.pages) > 1 and not eng.pages[-1].runs and not eng.pages[-1].rules:
        eng.pages.pop()
    if page_numbers:
        eng.page_numbers()
    if draft_mark:
        eng.draft_mark(draft_mark)
    return Laid(eng.pages, title)
