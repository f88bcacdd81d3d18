"""Reply letters for the benchmarks: which cases, the clerk fields, gkdesk's own rendering,
the bare-reportlab floor, the .docx handed to LibreOffice, and LibreOffice itself.

Used by ``run.py`` (in-process) and ``gui_child.py`` (the background batch). Needs an open
gkdesk database.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from pathlib import Path

# What a clerk would type into a reply letter's required fields (by field key).
SAMPLE_FIELDS = {
    "provided": "随本答复书向您提供相关文件复印件一份（共3页）。",
    "where": "泉港区人民政府门户网站“政府信息公开”栏目。",
    "withheld": "文件中涉及第三方个人信息的部分。",
    "reason": "经检索本机关档案及相关业务系统，未找到您所申请的政府信息。",
    "agency": "泉港区自然资源局，地址：泉港区中心路1号，联系电话：0595-87654321。",
    "unclear": "申请内容未写明所需文件的名称或者文号。",
    "why": "该信息涉及第三方商业秘密。",
    "payment": "现金缴费，地点：区政务服务中心一楼。",
}


def documents_available() -> bool:
    try:
        from gkdesk.documents import service  # noqa: F401
    except ImportError:
        return False
    return True


def reply_fields(case) -> dict:
    """The clerk fields for ``case``'s reply letter: the case's defaults, and sample text
    for every required field the case leaves empty."""
    from gkdesk.documents import service

    out = {}
    for s in service.required_fields("reply", case):
        if s.required and not s.default.strip():
            out[s.key] = SAMPLE_FIELDS.get(s.key, "（示例内容）")
    return out


def pick_cases(n: int) -> list[int]:
    """``n`` replied cases, newest first, of every outcome (deterministic)."""
    from gkdesk.db.models import Case

    q = (Case.select(Case.id).where(Case.stage.in_(("replied", "delivered", "archived")),
                                    Case.outcome.is_null(False)).order_by(Case.id.desc()).limit(n))
    return [c.id for c in q]


def pick_one() -> int:
    """The case of "one letter": the newest replied case whose information was disclosed."""
    from gkdesk.db.models import Case

    c = (Case.select(Case.id).where(Case.stage.in_(("replied", "delivered", "archived")),
                                    Case.outcome == "disclosed").order_by(Case.id.desc()).first())
    return c.id


def prepare_jobs(case_ids) -> list[tuple[int, dict]]:
    from gkdesk.db.models import Case

    return [(cid, reply_fields(Case.get_by_id(cid))) for cid in case_ids]


def render_one(case_id: int, fields: dict) -> bytes:
    """gkdesk's own route: case → template → layout → PDF (a draft; nothing is written)."""
    from gkdesk.documents import service

    return service.render_pdf(case_id, "reply", fields)


def render_batch(jobs, folder, *, progress=None, cancelled=None) -> int:
    """Render every letter of ``jobs`` to its own PDF file in ``folder`` (atomic writes),
    each through the route the document dialog uses (``service.render_pdf``): the office
    has no separate batch route for draft letters, so a batch is that route 500 times."""
    from gkdesk.documents import service
    from gkdesk.fileio import atomic_write

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for i, (cid, fields) in enumerate(jobs):
        if cancelled is not None and cancelled():
            return i
        atomic_write(folder / f"letter-{cid}.pdf", service.render_pdf(cid, "reply", fields))
        if progress is not None:
            progress(i + 1, len(jobs))
    return len(jobs)


# ------------------------------------------------------------------ the floor

def text_blocks(case_id: int, fields: dict) -> list[tuple[str, str]]:
    """The letter's text as (role, paragraph) after templating (markup keywords removed):
    role "title" for its title, "body" for everything else."""
    from gkdesk.documents import markup, service

    p = service.prepare(case_id, "reply", fields)
    out = []
    for b in markup.parse(p.text):
        if b.kind in ("blank", "cols", "pagebreak"):
            out.append(("body", ""))
        elif b.cells:
            out.append(("body", "　".join(b.cells)))
        else:
            out.append(("title" if b.kind == "title" else "body",
                        b.text.replace(markup.BREAK, "").replace(" | ", "　")))
    return out


def plain_text(case_id: int, fields: dict) -> list[str]:
    """The letter's text as paragraphs, after templating (markup keywords removed)."""
    return [text for _, text in text_blocks(case_id, fields)]


def floor_font() -> str:
    """The reportlab name of the body font gkdesk uses (registered once, as gkdesk does)."""
    from gkdesk.documents import fonts

    return fonts.fontset().primary("body")[0].key


def floor_fonts() -> dict[str, str]:
    """The reportlab names of the fonts gkdesk uses for the letter's body and its title."""
    from gkdesk.documents import fonts

    fs = fonts.fontset()
    return {"body": fs.primary("body")[0].key, "title": fs.primary("title")[0].key}


def _draw_floor(items, first_font: str) -> bytes:
    """Bare reportlab: each (font, size, characters a line, paragraph) of ``items`` cut into
    lines of that many characters, 22 lines a page, no templating, no line-breaking rules,
    no layout engine."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(210 * mm, 297 * mm), pageCompression=1, initialFontName=first_font,
                      initialFontSize=16)
    top, left, pitch, per_page = 260 * mm, 28 * mm, 225 * mm / 22, 22
    line = 0
    current = None
    for font, size, per_line, para in items:
        chunks = [para[i:i + per_line] for i in range(0, len(para), per_line)] or [""]
        for chunk in chunks:
            if line == per_page:
                c.showPage()
                current = None
                line = 0
            if chunk:
                if current != (font, size):
                    c.setFont(font, size)
                    current = (font, size)
                c.drawString(left, top - line * pitch, chunk)
            line += 1
    c.showPage()
    c.save()
    return buf.getvalue()


def render_floor(paragraphs: list[str], font: str) -> bytes:
    """The floor as first published: the same text in the body font only (the title too),
    16 pt, 28 characters a line, 22 lines a page."""
    return _draw_floor([(font, 16, 28, para) for para in paragraphs], font)


def render_floor_fonts(blocks: list[tuple[str, str]], fonts_: dict[str, str]) -> bytes:
    """The floor in the letter's own fonts: as ``render_floor``, but the title in the title
    font at 22 pt (20 characters a line, as 156 mm holds), so the PDF embeds the same two
    font subsets as gkdesk's letter."""
    return _draw_floor([(fonts_["title"], 22, 20, text) if role == "title" else (fonts_["body"], 16, 28, text)
                        for role, text in blocks], fonts_["body"])


# ------------------------------------------------------------------ .docx and LibreOffice

def docx_bytes(case_id: int, fields: dict) -> tuple[bytes, str]:
    """The same letter as .docx: gkdesk's own export when present, else python-docx."""
    try:
        from gkdesk.documents import docx_export  # noqa: F401
    except ImportError:
        docx_export = None
    if docx_export is not None:
        from gkdesk.documents import service

        return service.render_docx(case_id, "reply", fields), "gkdesk.documents.docx_export"
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from gkdesk.documents import markup, service

    p = service.prepare(case_id, "reply", fields)
    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.left_margin, sec.right_margin, sec.bottom_margin = Mm(37), Mm(28), Mm(26), Mm(35)
    style = d.styles["Normal"]
    style.font.size = Pt(16)
    style.font.name = "仿宋"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    for b in markup.parse(p.text):
        text = "　".join(b.cells) if b.cells else b.text.replace(markup.BREAK, "\n")
        if b.kind == "blank":
            d.add_paragraph("")
            continue
        if b.kind in ("cols", "pagebreak"):
            continue
        para = d.add_paragraph()
        if b.kind == "sign":
            name, _, date = text.partition(" | ")
            para.add_run(name + "\n" + date)
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            continue
        run = para.add_run(text)
        if b.kind == "title":
            run.font.size = Pt(22)
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif b.kind in ("number", "center"):
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif b.kind == "right":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif b.kind == "p":
            para.paragraph_format.first_line_indent = Pt(32)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue(), "python-docx (gkdesk.documents.docx_export not present)"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_version() -> str:
    exe = soffice()
    if not exe:
        return ""
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.strip().splitlines()[0] if out.strip() else ""


def _missing(docx_files: list[Path], outdir: Path) -> list[Path]:
    return [f for f in docx_files
            if not (outdir / (f.stem + ".pdf")).exists() or (outdir / (f.stem + ".pdf")).stat().st_size == 0]


def convert_all(docx_files: list[Path], outdir: Path, profile: Path, max_calls: int = 10) -> tuple[float, list[int]]:
    """Convert every file, starting with ONE soffice call for all of them. soffice 7.4 stops
    silently (exit 0) after a few hundred files in one call (here: 244 of 500), so the files
    it left are given to further calls, as an office would have to. Returns the total wall
    time and how many PDFs each call produced."""
    outdir.mkdir(parents=True, exist_ok=True)
    for f in docx_files:
        (outdir / (f.stem + ".pdf")).unlink(missing_ok=True)
    todo, total, per_call = list(docx_files), 0.0, []
    while todo and len(per_call) < max_calls:
        total += convert(todo, outdir, profile, check=False)
        left = _missing(todo, outdir)
        per_call.append(len(todo) - len(left))
        if not per_call[-1]:
            break
        todo = left
    if todo and _missing(todo, outdir):
        raise RuntimeError(f"LibreOffice did not convert {len(todo)} file(s) in {len(per_call)} calls")
    return total, per_call


def convert(docx_files: list[Path], outdir: Path, profile: Path, timeout: float = 1800,
            check: bool = True) -> float:
    """One soffice call converting ``docx_files`` to PDF in ``outdir`` (its own profile,
    docs/pitfalls.md #13). Returns the wall time; raises if any PDF is missing (unless not ``check``)."""
    exe = soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    if check:
        for f in docx_files:
            (outdir / (f.stem + ".pdf")).unlink(missing_ok=True)
    cmd = [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
           "--nologo", "--nodefault", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx_files)]
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    took = time.perf_counter() - t0
    missing = [f.name for f in _missing(docx_files, outdir)]
    if missing and check:
        raise RuntimeError(f"LibreOffice did not write {len(missing)} PDF(s) (exit {proc.returncode}): "
                           f"{missing[:3]} {proc.stderr[-500:]}")
    return took
