"""Subcommands of the case area: ``cases list``, ``due``, ``demo``."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from gkdesk.errors import ValidationError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{value}”格式不对，应为 YYYY-MM-DD") from None


def _span(value: str) -> tuple[dt.date, dt.date]:
    try:
        a, b = value.split(":")
        a, b = _date(a), _date(b)
    except (ValueError, argparse.ArgumentTypeError):
        raise argparse.ArgumentTypeError(f"暂停期间“{value}”格式不对，应为 YYYY-MM-DD:YYYY-MM-DD") from None
    if b < a:
        raise argparse.ArgumentTypeError(f"暂停期间“{value}”的结束日早于开始日")
    return a, b


def register(sub, common) -> None:
    p = sub.add_parser("cases", parents=[common], help="案件：列出、查询")
    csub = p.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    lp = csub.add_parser("list", parents=[common], help="列出案件（受理编号、申请人、阶段、收到日期、答复期限）")
    lp.add_argument("--json", action="store_true", help="输出 JSON")
    lp.add_argument("--search", default="", help="按申请人、申请内容、编号或拼音首字母检索")
    lp.add_argument("--stage", action="append", default=[], help="只列出该阶段（可重复）")
    lp.add_argument("--year", type=int, help="只列出该年度收到的申请")
    lp.add_argument("--limit", type=int, default=0, help="最多列出多少件（默认全部）")
    lp.set_defaults(func=cmd_cases_list)

    sp = csub.add_parser("show", parents=[common], help="显示一件案件的全部信息、时间线和当前可办理的操作")
    sp.add_argument("number", help="受理编号，如 依申〔2026〕17号")
    sp.add_argument("--json", action="store_true", help="输出 JSON")
    sp.set_defaults(func=cmd_cases_show)
    ap = csub.add_parser("act", parents=[common], help="对案件执行一项办理操作（与界面上的按钮相同）")
    ap.add_argument("number", help="受理编号")
    ap.add_argument("action", help="操作代码（cases show 列出当前可用的操作）")
    ap.add_argument("--set", action="append", default=[], metavar="字段=值", help="操作所需的输入，可重复")
    ap.add_argument("--user", default="system", help="以哪个用户的身份（默认 system，拥有全部角色）")
    ap.set_defaults(func=cmd_cases_act)

    hp = sub.add_parser("holidays", parents=[common], help="节假日安排：查看或录入某年的放假和调休上班日")
    hp.add_argument("--year", type=int, required=True)
    hp.add_argument("--set", metavar="FILE", help="从文本文件录入（每行：2027-01-01 休 / 2027-02-06 班；- 表示标准输入）")
    hp.set_defaults(func=cmd_holidays)

    d = sub.add_parser("due", parents=[common], help="计算答复期限（最后一行输出 YYYY-MM-DD）")
    d.add_argument("--received", type=_date, required=True, help="收到申请日期 YYYY-MM-DD")
    d.add_argument("--pause", type=_span, action="append", default=[], metavar="START:END",
                   help="不计入期限的期间（征求意见、缴费），首尾两日均含，可重复")
    d.add_argument("--restart", type=_date, help="收到补正后申请的日期（自该日重新计算）")
    d.add_argument("--extend", type=int, default=0, help="延期的工作日数（最多20）")
    d.set_defaults(func=cmd_due)

    dm = sub.add_parser("demo", parents=[common], help="生成演示数据（案件、单位及其附件一二）")
    dm.add_argument("--count", type=int, default=500, help="案件数（默认500）")
    dm.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")
    dm.add_argument("--units", type=int, default=None, help="单位数（默认按案件数推算，最多200）")
    dm.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    dm.set_defaults(func=cmd_demo)


def cmd_cases_list(args) -> int:
    from gkdesk.cases.query import CaseFilter, count_cases, list_cases
    from gkdesk.cli import open_db
    from gkdesk.domain import terms

    open_db(args)
    flt = CaseFilter(text=args.search, stages=tuple(args.stage), year=args.year)
    bad = [s for s in args.stage if s not in terms.STAGES]
    if bad:
        raise ValidationError(f"--stage：未知的阶段“{bad[0]}”，可选：{', '.join(terms.STAGES)}", "--stage")
    total = count_cases(flt)
    limit = args.limit or total
    rows = []
    page = 2000
    offset = 0
    while offset < min(total, limit):
        batch = list_cases(flt, sort="number", descending=False, offset=offset, limit=min(page, limit - offset))
        if not batch:
            break
        rows.extend(batch)
        offset += len(batch)
    out = []
    for r in rows:
        out.append({
            "number": r["number"],
            "applicant_kind": terms.label_of(terms.APPLICANT_KINDS, r["applicant_kind"]),
            "applicant": r["applicant_name"],
            "stage": terms.label_of(terms.STAGES, r["stage"]),
            "received": r["received_date"].isoformat(),
            "due": r["due_date"].isoformat() if r["due_date"] else None,
            "due_provisional": bool(r["due_provisional"]),
        })
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for o in out:
            due = (o["due"] or "") + ("（暂定）" if o["due_provisional"] else "")
            print(f"{o['number']}\t{o['applicant_kind']}\t{o['applicant']}\t{o['stage']}\t{o['received']}\t{due}")
        print(f"共 {len(out)} 件", file=sys.stderr)
    return 0


def cmd_due(args) -> int:
    from gkdesk.cases import deadlines
    from gkdesk.cases.workdays import WorkCalendar
    from gkdesk.domain import rules

    if not 0 <= args.extend <= rules.EXTENSION_MAX_WORKING_DAYS:
        raise ValidationError(f"--extend：延期最多{rules.EXTENSION_MAX_WORKING_DAYS}个工作日，现为{args.extend}", "--extend")
    cal = None
    if getattr(args, "db", None):
        from gkdesk.cli import open_db

        open_db(args)
        cal = deadlines.calendar()
    else:
        cal = WorkCalendar()
    start = args.received
    if args.restart:
        if args.restart < args.received:
            raise ValidationError("--restart：补正后收到日期不能早于收到申请日期", "--restart")
        start = args.restart
    due = deadlines.due_from(start, args.pause, args.extend, cal)
    if due.provisional:
        print(deadlines.PROVISIONAL_NOTE, file=sys.stderr)
        print("（暂定）", file=sys.stderr)
    print(due.date.isoformat())
    return 0


def cmd_demo(args) -> int:
    from gkdesk.cli import open_db
    from gkdesk.demo import generate

    if args.count < 0:
        raise ValidationError("--count：案件数不能为负数", "--count")
    opened = open_db(args)
    stats = generate(args.count, seed=args.seed, units=args.units, today=args.today,
                     progress=lambda done, total: print(f"\r{done}/{total}", end="", file=sys.stderr))
    print(file=sys.stderr)
    print(f"已在 {opened.display} 生成 {stats['cases']} 件案件、{stats['units']} 个单位")
    return 0


def _actor(username: str):
    from gkdesk.actors import SYSTEM, Actor
    from gkdesk.db.models import User

    if username == "system":
        return SYSTEM
    user = User.get_or_none(User.username == username)
    if user is None or not user.active:
        raise ValidationError(f"--user：没有名为“{username}”的在用用户", "--user")
    return Actor.from_user(user)


def cmd_cases_show(args) -> int:
    from gkdesk.actors import SYSTEM
    from gkdesk.cases import workflow as wf
    from gkdesk.cli import open_db
    from gkdesk.domain import outcomes, terms
    from gkdesk.validation import mask_id, mask_phone

    open_db(args)
    case = wf.find_case(args.number)
    st = wf.due_status(case)
    info = {
        "number": case.number,
        "applicant_kind": terms.label_of(terms.APPLICANT_KINDS, case.applicant_kind),
        "applicant": case.applicant_name,
        "id": mask_id(case.id_number),
        "phone": mask_phone(case.phone),
        "content": case.content,
        "channel": terms.label_of(terms.CHANNELS, case.channel),
        "received": case.received_date.isoformat(),
        "stage": terms.label_of(terms.STAGES, case.stage),
        "due": case.due_date.isoformat() if case.due_date else None,
        "due_status": st.text,
        "due_provisional": case.due_provisional,
        "outcome": outcomes.OUTCOMES[case.outcome].label if case.outcome else None,
        "reply_date": case.reply_date.isoformat() if case.reply_date else None,
        "timeline": [f"{e.at:%Y-%m-%d %H:%M} {e.user} {e.summary}" for e in wf.timeline(case)],
        "actions": [f"{a.code}（{a.label}）" for a in wf.available_actions(case, SYSTEM)],
    }
    if args.json:
        json.dump(info, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for k, v in info.items():
            if isinstance(v, list):
                print(f"{k}:")
                for x in v:
                    print(f"  {x}")
            else:
                print(f"{k}: {v if v is not None else ''}")
    return 0


def cmd_cases_act(args) -> int:
    from gkdesk.cases import workflow as wf
    from gkdesk.cli import open_db

    open_db(args)
    actor = _actor(args.user)
    case = wf.find_case(args.number)
    spec = wf.ACTIONS.get(args.action)
    if spec is None:
        raise ValidationError(f"未知的操作“{args.action}”，可选：{', '.join(wf.ACTIONS)}", "action")
    inputs = {}
    kinds = {f.name: f.kind for f in spec.fields}
    for item in args.set:
        if "=" not in item:
            raise ValidationError(f"--set：“{item}”应为 字段=值", "--set")
        k, v = item.split("=", 1)
        if kinds.get(k) == "bool":
            v = v.strip().lower() in ("1", "true", "yes", "是", "y")
        inputs[k.strip()] = v
    case = wf.perform(case.id, args.action, actor, **inputs)
    st = wf.due_status(case)
    print(f"{case.number}：{spec.label}完成，当前阶段 {case.stage}" + (f"，{st.text}" if st.text else ""))
    return 0


def cmd_holidays(args) -> int:
    from gkdesk.actors import SYSTEM
    from gkdesk.cases import holidays
    from gkdesk.cli import open_db

    open_db(args)
    if args.set:
        text = sys.stdin.read() if args.set == "-" else open(args.set, encoding="utf-8").read()
        changed = holidays.set_year(args.year, text, SYSTEM, source=args.set)
        print(f"已录入{args.year}年节假日安排，{changed}件在办案件的答复期限已更新")
        return 0
    status = {"office": "本单位已录入", "package": "使用国务院公布的安排（内置）", "unknown": "尚未录入（按周一至周五暂定计算）"}
    print(f"{args.year}年：{status[holidays.year_status(args.year)]}")
    text = holidays.year_as_text(args.year)
    if text:
        print(text)
    return 0
