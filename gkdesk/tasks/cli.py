"""Subcommands of tasks and submissions (工作任务与报送):

  gkdesk tasks import FILE [--year Y] [--due TEXT] [--what W] [--map PHRASE=单位,单位]… [--create-units] [--yes]
  gkdesk tasks list [--year Y] [--overdue] [--json]
  gkdesk tasks status [--overdue] [--unit U] [--task T] [--json]
  gkdesk tasks new --title T --year Y [--number N] [--deadline TEXT] [--responsible TEXT]
  gkdesk tasks ask TASK (--unit U … | --all) [--what W] [--due TEXT]
  gkdesk tasks receive TASK UNIT FILE [--date D] [--by NAME] [--what W] [--accept]
  gkdesk tasks return TASK UNIT --reason TEXT   |   gkdesk tasks accept TASK UNIT
  gkdesk tasks remind [--unit U] [--kind auto|reminder|supervision] -o DIR
  gkdesk tasks summary --year Y -o FILE.xlsx [--pdf FILE.pdf]

TASK is the number as written (「3」, 「1（2）」) or ``#id`` (shown by ``tasks list``).
``--today YYYY-MM-DD`` computes states as of that day (what a fixed clock would show).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from gkdesk.domain import terms
from gkdesk.errors import ValidationError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{value}”格式不对，应为 YYYY-MM-DD") from None


def register(sub, common) -> None:
    p = sub.add_parser("tasks", parents=[common], help="工作任务与报送：导入分解表、登记报送、催报、落实情况汇总")
    ts = p.add_subparsers(dest="tasks_command", metavar="ACTION", required=True)
    today = argparse.ArgumentParser(add_help=False)
    today.add_argument("--today", type=_date, default=None, help="按该日计算状态（默认今天），YYYY-MM-DD")

    i = ts.add_parser("import", parents=[common], help="导入任务分解表（.xlsx/.docx）；不加 --yes 只显示解析结果")
    i.add_argument("file")
    i.add_argument("--year", type=int, default=None, help="年度（默认从表格标题或完成时间中读取）")
    i.add_argument("--due", default="", help="没有完成时间的任务的截止时间，如“2018年12月1日前”")
    i.add_argument("--what", default=terms.DEFAULT_DELIVERABLE, help=f"报送内容（默认“{terms.DEFAULT_DELIVERABLE}”）")
    i.add_argument("--map", action="append", default=[], metavar="PHRASE=单位,单位",
                   help="无法对应的单位写法对应到哪些单位（留空表示忽略），可多次使用")
    i.add_argument("--create-units", action="store_true", help="名单中没有的单位名称新增为单位")
    i.add_argument("--yes", action="store_true", help="保存")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=cmd_import)

    ls = ts.add_parser("list", parents=[common, today], help="列出任务及各状态的单位数")
    ls.add_argument("--year", type=int, default=None)
    ls.add_argument("--overdue", action="store_true", help="只列有逾期单位的任务")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)

    st = ts.add_parser("status", parents=[common, today], help="每个（任务，单位）的报送状态，逾期在前")
    st.add_argument("--overdue", action="store_true", help="只列逾期未报送的")
    st.add_argument("--unit", default=None, help="只列该单位")
    st.add_argument("--task", default=None, help="只列该任务")
    st.add_argument("--year", type=int, default=None)
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)

    n = ts.add_parser("new", parents=[common], help="手工新建任务")
    n.add_argument("--title", required=True)
    n.add_argument("--year", type=int, required=True)
    n.add_argument("--number", default="")
    n.add_argument("--item", default="")
    n.add_argument("--lead", default="")
    n.add_argument("--responsible", default="")
    n.add_argument("--requirement", default="")
    n.add_argument("--deadline", default="", help="完成时间，如“7月底前”“每季度”“长期”")
    n.add_argument("--kind", default="task", choices=list(terms.TASK_KINDS))
    n.set_defaults(func=cmd_new)

    a = ts.add_parser("ask", parents=[common], help="向单位布置报送（一个单位一条报送要求）")
    a.add_argument("task")
    a.add_argument("--unit", action="append", default=[], help="单位名称，可多次使用")
    a.add_argument("--all", action="store_true", help="全部在用单位")
    a.add_argument("--what", default=terms.DEFAULT_DELIVERABLE)
    a.add_argument("--due", default=None, help="截止时间（默认任务的完成时间）")
    a.set_defaults(func=cmd_ask)

    r = ts.add_parser("receive", parents=[common], help="登记单位报送的材料（文件按 SHA-256 保存）")
    r.add_argument("task")
    r.add_argument("unit")
    r.add_argument("file")
    r.add_argument("--date", type=_date, default=None, help="收到日期（默认今天）")
    r.add_argument("--by", default="", help="报送人")
    r.add_argument("--what", default=None, help="报送内容（一个单位有多项时）")
    r.add_argument("--note", default="")
    r.add_argument("--accept", action="store_true", help="同时采用")
    r.set_defaults(func=cmd_receive)

    b = ts.add_parser("return", parents=[common], help="退回修改（写明原因）")
    b.add_argument("task")
    b.add_argument("unit")
    b.add_argument("--reason", required=True)
    b.add_argument("--what", default=None)
    b.set_defaults(func=cmd_return)

    c = ts.add_parser("accept", parents=[common], help="采用报送的材料")
    c.add_argument("task")
    c.add_argument("unit")
    c.add_argument("--what", default=None)
    c.set_defaults(func=cmd_accept)

    m = ts.add_parser("remind", parents=[common, today], help="给逾期单位出具催报/督办通知，并生成领导一览表")
    m.add_argument("--unit", default=None, help="只给该单位")
    m.add_argument("--kind", default="auto", choices=("auto", "reminder", "supervision"),
                   help="auto：已催报过仍未报的出督办通知，否则出催报通知")
    m.add_argument("--date", type=_date, default=None, help="成文日期（默认今天）")
    m.add_argument("--reply-by", type=_date, default=None, help="限报日期（默认3个工作日后）")
    m.add_argument("-o", "--output", required=True, help="输出文件夹")
    m.set_defaults(func=cmd_remind)

    s = ts.add_parser("summary", parents=[common, today], help="年度工作任务落实情况汇总（xlsx，可另出 PDF）")
    s.add_argument("--year", type=int, required=True)
    s.add_argument("-o", "--output", required=True, help="xlsx 文件")
    s.add_argument("--pdf", default=None, help="同时输出 PDF 文件")
    s.set_defaults(func=cmd_summary)


def _actor():
    from gkdesk.actors import SYSTEM

    return SYSTEM


def _mapping(pairs: list[str]) -> dict[str, list[int]]:
    from gkdesk.forms.units import get_unit
    from gkdesk.tasks import unitphrase

    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValidationError(f"--map “{pair}” 格式不对，应为“写法=单位,单位”（留空表示忽略）", "--map")
        piece, names = pair.split("=", 1)
        out[piece.strip()] = [get_unit(n).id for n in unitphrase.split(names)]
    return out


def _print_preview(pv) -> None:
    print(f"文件“{pv.source}”：{pv.year}年，任务 {len(pv.rows)} 项，将布置报送 {pv.requests} 条")
    heading = None
    for r in pv.rows:
        if r.heading and r.heading != heading:
            heading = r.heading
            print(heading.replace("\n", " "))
        units = "、".join(r.lead + r.responsible) or "（无）"
        print(f"  {r.label[:40]}\t截止：{r.due_label}（{r.deadline_text or r.due_source or '未写'}）"
              f"\t单位：{len(r.lead + r.responsible)}个 {units[:60]}"
              + (f"\t指导：{'、'.join(r.guide)}" if r.guide else ""))
    for w in pv.warnings:
        print(f"提示：{w}")
    if pv.unresolved:
        print(f"有 {len(pv.unresolved)} 处单位写法无法对应到单位（用 --map 写法=单位,单位 指定，"
              "或 --create-units 新增）：")
        for u in pv.unresolved:
            print(f"  “{u.piece}”（{terms.label_of(terms.TASK_UNIT_ROLES, u.role)}，{u.why}；"
                  f"见任务 {'、'.join(t[:12] for t in u.tasks[:3])}{'等' if len(u.tasks) > 3 else ''}）")


def cmd_import(args, opened) -> int:
    from gkdesk.tasks import service

    mapping = _mapping(args.map)
    pv = service.preview_import(args.file, year=args.year, default_due=args.due, mapping=mapping)
    if args.json:
        json.dump({"source": pv.source, "year": pv.year, "requests": pv.requests,
                   "tasks": [{"number": r.number, "item_number": r.item_number, "heading": r.heading,
                              "title": r.title, "item": r.item, "lead": list(r.lead), "responsible": list(r.responsible),
                              "guide": list(r.guide), "lead_text": r.lead_text, "responsible_text": r.responsible_text,
                              "guide_text": r.guide_text, "deadline_text": r.deadline_text, "due_kind": r.due_kind,
                              "due": r.due.isoformat() if r.due else None, "due_label": r.due_label,
                              "unresolved": list(r.unresolved)} for r in pv.rows],
                   "unresolved": [{"piece": u.piece, "role": u.role, "kinds": list(u.kinds)} for u in pv.unresolved],
                   "warnings": list(pv.warnings)}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        _print_preview(pv)
    if not args.yes:
        if not args.json:
            print("未保存（核对无误后加 --yes 保存）")
        return 0
    ids = service.save_import(args.file, _actor(), year=args.year, default_due=args.due, mapping=mapping,
                              what=args.what, create_units=args.create_units)
    print(f"已保存任务 {len(ids)} 项", file=sys.stderr if args.json else sys.stdout)
    return 0


def cmd_list(args, opened) -> int:
    from gkdesk.tasks import service

    tasks = service.list_tasks(year=args.year, on=args.today)
    if args.overdue:
        tasks = [t for t in tasks if t.overdue]
    if args.json:
        json.dump([{"id": t.id, "kind": t.kind, "year": t.year, "number": t.number, "item_number": t.item_number,
                    "title": t.title, "item": t.item, "deadline_text": t.deadline_text, "closed": t.closed,
                    "counts": t.counts, "total": t.total} for t in tasks], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not tasks:
        print("没有任务" if not args.overdue else "没有逾期的任务")
        return 0
    for t in tasks:
        counts = "，".join(f"{terms.REQUEST_STATES[k].label}{t.counts[k]}" for k in terms.REQUEST_STATES
                          if t.counts.get(k))
        print(f"#{t.id}\t{t.year or ''}\t{t.label[:40]}\t{t.deadline_text or '—'}\t{counts or '未布置报送'}"
              + ("\t已关闭" if t.closed else ""))
    return 0


def _view_json(v) -> dict:
    return {"request": v.id, "task_id": v.task_id, "task": v.task_label, "unit": v.unit_name, "what": v.what,
            "period": v.period, "due": v.due.isoformat() if v.due else None, "due_text": v.due_text,
            "state": v.state, "state_label": v.state_label, "overdue": v.overdue, "days_late": v.days_late,
            "received_on": v.received_on.isoformat() if v.received_on else None, "file": v.filename,
            "reason": v.reason}


def cmd_status(args, opened) -> int:
    from gkdesk.forms.units import get_unit
    from gkdesk.tasks import service

    unit_id = get_unit(args.unit).id if args.unit else None
    task_ids = [service.get_task_row(args.task).id] if args.task else None
    views = service.request_views(on=args.today, unit_id=unit_id, task_ids=task_ids, year=args.year)
    if args.overdue:
        views = [v for v in views if v.overdue]
    if args.json:
        json.dump([_view_json(v) for v in views], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not views:
        print("没有逾期未报送的事项" if args.overdue else "没有报送要求")
        return 0
    for v in views:
        late = f"逾期{v.days_late}天" if v.overdue else ""
        print(f"{v.state_label}\t{v.unit_name}\t{v.task_label[:36]}\t{v.what}{('（' + v.period + '）') if v.period else ''}"
              f"\t截止 {v.due_label}\t{late}{('收到 ' + v.received_on.isoformat()) if v.received_on else ''}"
              + (f"\t退回原因：{v.reason}" if v.state == "returned" else ""))
    n = sum(1 for v in views if v.overdue)
    print(f"共 {len(views)} 条，逾期 {n} 条")
    return 0


def cmd_new(args, opened) -> int:
    from gkdesk.tasks import service

    t = service.create_task(_actor(), args.title, year=args.year, kind=args.kind, number=args.number,
                            item=args.item, lead=args.lead, responsible=args.responsible,
                            requirement=args.requirement, deadline=args.deadline)
    print(f"已新建任务 #{t.id}：{t.label}")
    return 0


def cmd_ask(args, opened) -> int:
    from gkdesk.forms import units
    from gkdesk.tasks import service

    if args.all:
        ids = [u.id for u in units.list_units(active=True)]
    else:
        ids = [units.get_unit(n).id for n in args.unit]
    new = service.ask(args.task, ids, _actor(), what=args.what, due=args.due)
    print(f"已布置报送 {len(new)} 条（已布置过的单位不重复布置）")
    return 0


def _request(args):
    from gkdesk.tasks import service

    return service.find_request(args.task, args.unit, args.what)


def cmd_receive(args, opened) -> int:
    from gkdesk.tasks import service

    v = service.receive(_request(args).id, _actor(), args.file, received_on=args.date, submitted_by=args.by,
                        note=args.note, accept=args.accept)
    s = v.submissions[-1]
    print(f"已登记：{v.unit_name} 报送“{v.what}”（{v.task_label[:30]}），收到 {s.received_on.isoformat()}，"
          f"文件 {s.filename}（SHA-256 {s.sha256[:12]}…），状态：{v.state_label}")
    return 0


def cmd_return(args, opened) -> int:
    from gkdesk.tasks import service

    v = service.send_back(_request(args).id, args.reason, _actor())
    print(f"已退回：{v.unit_name}“{v.what}”：{v.reason}")
    return 0


def cmd_accept(args, opened) -> int:
    from gkdesk.tasks import service

    v = service.accept(_request(args).id, _actor())
    print(f"已采用：{v.unit_name}“{v.what}”（{v.task_label[:30]}）")
    return 0


def cmd_remind(args, opened) -> int:
    from pathlib import Path

    from gkdesk.fileio import atomic_write
    from gkdesk.tasks import letters

    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    issued = letters.issue_letters(_actor(), unit=args.unit, kind=args.kind, on=args.today, date=args.date,
                                   reply_by=args.reply_by, folder=folder)
    for x in issued:
        print(f"{x.kind_label} {x.number}\t{x.unit_name}\t{len(x.request_ids)}项\t{x.path}")
    lst = folder / f"{letters.LEADER_LIST_TITLE}.pdf"
    atomic_write(lst, letters.leader_list_pdf(on=args.today))
    print(f"已出具通知 {len(issued)} 份；领导一览表：{lst}")
    return 0


def cmd_summary(args, opened) -> int:
    from gkdesk.tasks import summary

    path = summary.write_xlsx(args.output, args.year, on=args.today)
    print(f"已导出 {args.year} 年落实情况汇总：{path}")
    if args.pdf:
        print(f"PDF：{summary.write_pdf(args.pdf, args.year, on=args.today)}")
    return 0
