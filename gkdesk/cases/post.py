"""Post (邮寄送达): envelopes, the postal list (交寄清单) for the post office, and tracking
numbers recorded from a pasted list.

    envelopes(sel, path, actor, size="DL")     → one PDF, one envelope a page
    post_list(sel, path, actor, posted_on)     → records the letters handed in that day and
                                                 writes the 交寄清单 PDF
    parse_tracking(text) / record_tracking(text, actor)
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gkdesk import audit, changes, settings
from gkdesk.actors import Actor, require
from gkdesk.cases import deadlines
from gkdesk.cases.batch import BatchResult, Outcome, Selection
from gkdesk.db import write_transaction
from gkdesk.db.desk_models import PostItem
from gkdesk.db.models import Case, utcnow
from gkdesk.documents import envelope
from gkdesk.documents.markup import BREAK
from gkdesk.errors import ValidationError, WorkflowError

ROLES = ("clerk", "reviewer", "leader", "admin")
# 邮件号: UPU S10 (two letters, nine digits, two letters) or the domestic all-digit numbers
TRACKING_STAGES = ("replied", "delivered")
TRACKING_RE = re.compile(r"^(?:[A-Z]{2}\d{9}[A-Z]{2}|\d{10,20})$")


def sender() -> envelope.Sender:
    office = settings.get_all()
    return envelope.Sender(office["office.disclosure_office"] or office["office.name"], office["office.address"],
                           office["office.postcode"])


def _recipients(sel: Selection) -> tuple[list[tuple[Case, envelope.Recipient]], list[Outcome]]:
    ok, refused = [], []
    for cid in sel.case_ids():
        c = Case.get_or_none(Case.id == cid)
        if c is None:
            continue
        if not (c.address or "").strip():
            refused.append(Outcome(c.id, c.number, "没有通讯地址，无法邮寄（请在案件中补录地址）"))
            continue
        name = c.applicant_name if not c.contact_person else f"{c.applicant_name}（{c.contact_person}）"
        ok.append((c, envelope.Recipient(name, c.address, c.postcode, c.number)))
    return ok, refused


def envelopes(sel: Selection, path, actor: Actor, *, size: str = "DL") -> BatchResult:
    """Envelopes for the selected cases; cases without an address are listed, not printed."""
    from gkdesk.fileio import atomic_write

    require(actor, ROLES, "打印信封")
    ok, refused = _recipients(sel)
    res = BatchResult("打印信封", len(ok) + len(refused), refused=refused)
    if not ok:
        raise WorkflowError("所选案件都没有通讯地址，无法打印信封", field="通讯地址")
    atomic_write(path, envelope.envelopes_pdf([r for _, r in ok], sender(), size))
    res.done = [Outcome(c.id, c.number, "") for c, _ in ok]
    res.path = str(path)
    return res


@dataclass(frozen=True)
class PostRow:
    serial: int
    case_id: int
    number: str
    recipient: str
    address: str
    postcode: str
    tracking_number: str
    posted_on: dt.date


def _cell(text: str) -> str:
    return (text or "").replace("|", "｜").replace("\n", BREAK)


def list_markup(rows: list[PostRow], posted_on: dt.date, office: str) -> str:
    from gkdesk.documents.context import cn_date

    lines = ["@title 邮件交寄清单", f"@center 交寄单位：{_cell(office)}　交寄日期：{cn_date(posted_on)}", "@blank",
             "@cols 2,5,10,7,4", "@row 序号 | 收件人 | 收件地址（邮编） | 邮件号 | 交寄日期"]
    for r in rows:
        addr = r.address + (f"（{r.postcode}）" if r.postcode else "")
        lines.append(f"@row {r.serial} | {_cell(r.recipient)} | {_cell(addr)} | {_cell(r.tracking_number) or '　'} | "
                     f"{r.posted_on.month}月{r.posted_on.day}日")
    lines += [f"@noindent 共{len(rows)}件。", "@blank", "@noindent 交寄人（签名）：　　　　　　　收寄人（签名）："]
    return "\n".join(lines)


def post_rows(posted_on: dt.date) -> list[PostRow]:
    """The letters recorded as handed in on ``posted_on``, in the order they were added."""
    q = (PostItem.select(PostItem, Case).join(Case).where(PostItem.posted_on == posted_on).order_by(PostItem.id))
    return [PostRow(i, p.case.id, p.case.number, p.case.applicant_name, p.case.address, p.case.postcode,
                    p.tracking_number or p.case.tracking_number, p.posted_on) for i, p in enumerate(q, start=1)]


def post_list(sel: Selection, path, actor: Actor, *, posted_on: dt.date | None = None) -> BatchResult:
    """Record the selected cases' letters as handed to the post office on ``posted_on`` and
    write that day's 交寄清单 (every letter of the day, with those recorded before)."""
    from gkdesk.documents import fonts, layout, markup, pdf
    from gkdesk.fileio import atomic_write

    require(actor, ROLES, "制作交寄清单")
    posted_on = posted_on or deadlines.today()
    ok, refused = _recipients(sel)
    res = BatchResult("交寄清单", len(ok) + len(refused), refused=refused)
    with write_transaction():
        already = {r[0] for r in PostItem.select(PostItem.case).where(PostItem.posted_on == posted_on).tuples()}
        for c, _ in ok:
            if c.id in already:
                res.done.append(Outcome(c.id, c.number, "已在当日清单中"))
                continue
            PostItem.create(case=c, posted_on=posted_on, tracking_number=c.tracking_number, created_by=actor.username)
            audit.record("post.list", case=c, user=actor.username, summary=f"列入{posted_on.isoformat()}交寄清单")
            res.done.append(Outcome(c.id, c.number, ""))
        changes.note("post")
    rows = post_rows(posted_on)
    text = list_markup(rows, posted_on, settings.get("office.name"))
    laid = layout.layout(markup.parse(text), fonts.fontset(), source="交寄清单")
    atomic_write(path, pdf.write(laid, pdf.PdfMeta(title="邮件交寄清单", author=settings.get("office.name"))))
    res.path = str(path)
    return res


@dataclass(frozen=True)
class TrackingLine:
    line: int
    number: str
    tracking: str
    case_id: int | None
    problem: str = ""


def parse_tracking(text: str) -> list[TrackingLine]:
    """Each non-blank line: a case number (受理编号) and a tracking number, separated by
    spaces, a tab or a comma (as pasted from Excel or the post office's list)."""
    out = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p for p in re.split(r"[\s,，;；]+", line) if p]
        if len(parts) < 2:
            out.append(TrackingLine(lineno, line, "", None, "应为“受理编号 邮件号”"))
            continue
        number, tracking = parts[0], parts[-1].upper()
        c = Case.get_or_none(Case.number == number)
        problem = ""
        if c is None:
            problem = f"找不到受理编号为“{number}”的案件"
        elif c.stage not in TRACKING_STAGES:
            problem = f"案件{number}尚未答复，不能登记邮件号"
        elif not TRACKING_RE.match(tracking):
            problem = f"邮件号“{tracking}”格式不对（应为13位字母数字，如 XA123456789CN，或10至20位数字）"
        elif number in seen:
            problem = f"与第{seen[number]}行的受理编号重复"
        seen.setdefault(number, lineno)
        out.append(TrackingLine(lineno, number, tracking, c.id if c else None, problem))
    return out


def record_tracking(text: str, actor: Actor) -> list[TrackingLine]:
    """Record every line's tracking number, all or nothing: any bad line refuses the whole
    paste, naming each bad line, and nothing is written."""
    require(actor, ROLES, "登记邮件号")
    lines = parse_tracking(text)
    if not lines:
        raise ValidationError("邮件号清单：没有内容。每行写一个受理编号和邮件号，如“依申〔2026〕17号 XA123456789CN”",
                              "邮件号清单")
    bad = [f"第{ln.line}行：{ln.problem}" for ln in lines if ln.problem]
    if bad:
        raise ValidationError("邮件号清单有误，未做任何登记：" + "；".join(bad), "邮件号清单", bad)
    with write_transaction():
        for ln in lines:
            c = Case.get_by_id(ln.case_id)
            old = c.tracking_number
            Case.update(tracking_number=ln.tracking, version=Case.version + 1, updated_at=utcnow()).where(
                Case.id == c.id).execute()
            item = (PostItem.select().where(PostItem.case == c.id).order_by(PostItem.id.desc()).first())
            if item is not None:
                PostItem.update(tracking_number=ln.tracking).where(PostItem.id == item.id).execute()
            audit.record("post.tracking", case=c, user=actor.username, summary=f"登记邮件号{ln.tracking}",
                         details={"changes": {"tracking_number": [old, ln.tracking]}})
        changes.note("post")
    return lines



@dataclass(frozen=True)
class CasePost:
    """A case's post: how it was served, the tracking number, and the postal lists it is on."""
    case_id: int
    number: str
    stage: str
    delivery_method: str          # a key of terms.DELIVERY_METHODS, "" when not delivered yet
    delivery_date: dt.date | None
    tracking_number: str
    address: str
    postcode: str
    posted_on: tuple[dt.date, ...]

    @property
    def by_post(self) -> bool:
        return self.delivery_method == "post" or bool(self.posted_on) or bool(self.tracking_number)

    @property
    def can_record_tracking(self) -> bool:
        return self.stage in TRACKING_STAGES


def case_post(case_id: int) -> CasePost:
    from gkdesk.errors import NotFound

    c = Case.get_or_none(Case.id == case_id)
    if c is None:
        raise NotFound(f"找不到案件（编号 {case_id}）", field="案件")
    days = tuple(p.posted_on for p in PostItem.select(PostItem.posted_on).where(PostItem.case == c.id)
                 .order_by(PostItem.posted_on))
    return CasePost(c.id, c.number, c.stage, c.delivery_method or "", c.delivery_date, c.tracking_number or "", c.address or "",
                    c.postcode or "", days)
