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


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"案件数“{value}”应为整数") from None
    if n < 0:
        raise argparse.ArgumentTypeError("案件数不能为负数")
    return n


def register(sub, common) -> None:
    p = sub.add_parser("cases", parents=[common], help="案件：列出、查询")
    csub = p.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    lp = csub.add_parser("list", parents=[common], help="列出案件（受理编号、申请人、阶段、收到日期、答复期限）")
    lp.add_argument("--json", action="store_true", help="输出 JSON")
    lp.add_argument("--search", default="", help="按申请人、申请内容、编号或拼音首字母检索")
    lp.add_argument("--stage", action="append", default=[],
                    help="只列出该阶段（可重复），中文或代码：" + _stage_choices_text())
    lp.add_argument("--year", type=int, help="只列出该年度收到的申请")
    lp.add_argument("--limit", type=int, default=0, help="最多列出多少件（默认全部）")
    lp.set_defaults(func=cmd_cases_list)

    sp = csub.add_parser("show", parents=[common], help="显示一件案件的全部信息、时间线和当前可办理的操作")
    sp.add_argument("number", help="受理编号，如 依申〔2026〕17号")
    sp.add_argument("--json", action="store_true", help="输出 JSON")
    sp.set_defaults(func=cmd_cases_show)
    ap = csub.add_parser("act", parents=[common], help="对案件执行一项办理操作（与界面上的按钮相同）",
                         formatter_class=argparse.RawDescriptionHelpFormatter, epilog=actions_help())
    ap.add_argument("number", help="受理编号")
    ap.add_argument("action", help="操作代码或中文名（cases show 列出当前可用的操作及其字段；全部见下）")
    ap.add_argument("--set", action="append", default=[], metavar="字段=值",
                    help="操作所需的输入，可重复；字段写代码或中文名均可（如 reason=… 或 延期理由=…），"
                         "可选值写代码或中文均可")
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
    d.set_defaults(func=cmd_due, database="given")

    dm = sub.add_parser("demo", parents=[common], help="生成演示数据（案件、单位及其附件一二）")
    dm.add_argument("--count", type=_count, default=500, help="案件数（默认500）")
    dm.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")
    dm.add_argument("--units", type=int, default=None, help="单位数（默认按案件数推算，最多200）")
    dm.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    dm.set_defaults(func=cmd_demo)


def cmd_cases_list(args, opened) -> int:
    from gkdesk.cases.query import CaseFilter, count_cases, list_cases
    from gkdesk.domain import terms

    stages = tuple(stage_code(s) for s in args.stage)
    flt = CaseFilter(text=args.search, stages=stages, year=args.year)
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


def cmd_due(args, opened) -> int:
    from gkdesk.cases import deadlines
    from gkdesk.cases.workdays import WorkCalendar
    from gkdesk.domain import rules

    if not 0 <= args.extend <= rules.EXTENSION_MAX_WORKING_DAYS:
        raise ValidationError(f"--extend：延期最多{rules.EXTENSION_MAX_WORKING_DAYS}个工作日，现为{args.extend}", "--extend")
    # the office's holidays when a database is given (--db), the built-in calendar otherwise
    cal = deadlines.calendar() if opened is not None else WorkCalendar()
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


def cmd_demo(args, opened) -> int:
    from gkdesk.demo import generate

    stats = generate(args.count, seed=args.seed, units=args.units, today=args.today,
                     progress=lambda done, total: print(f"\r{done}/{total}", end="", file=sys.stderr))
    print(file=sys.stderr)
    print(f"已在 {opened.display} 生成 {stats['cases']} 件案件、{stats['units']} 个单位")
    return 0


# -- the vocabulary of `cases act`: every action and field by code or Chinese label, the
#    labels taken from the workflow's own ActionSpec / FieldSpec and the domain's terms

_KIND_WORDS = {"date": "日期 YYYY-MM-DD", "int": "整数", "bool": "是/否", "multiline": "文字", "text": "文字"}


def _stage_choices_text() -> str:
    from gkdesk.domain import terms

    return "、".join(f"{t.label}（{code}）" for code, t in terms.STAGES.items())


def stage_code(value: str) -> str:
    """A stage given by code or Chinese label → its code; ValidationError naming both."""
    from gkdesk.domain import terms

    v = value.strip()
    for code, t in terms.STAGES.items():
        if v in (code, t.label):
            return code
    raise ValidationError(f"--stage：未知的阶段“{value}”，可选：{_stage_choices_text()}", "--stage")


def _short(label: str) -> str:
    """A label without its bracketed note: 补正期限（截止日期） → 补正期限."""
    return label.split("（", 1)[0].strip()


def field_line(f) -> str:
    """One field as the help and ``cases show`` print it: key、label、kind, choices."""
    what = "选项" if f.kind == "choice" else _KIND_WORDS.get(f.kind, f.kind)
    need = "必填" if f.required and f.default is None else "可不填" if not f.required else "默认今天"
    text = f"{f.name}={f.label}（{what}，{need}）"
    if f.choices:
        text += "：" + "、".join(f"{c}={lab}" for c, lab in f.choices)
    return text


def action_line(a) -> str:
    return f"{a.code}（{a.label}）"


def actions_help() -> str:
    from gkdesk.cases import workflow as wf

    lines = ["操作与字段（--set 字段=值；操作、字段、可选值写代码或中文均可）："]
    for a in wf.ACTIONS.values():
        lines.append(f"  {action_line(a)}")
        lines.extend(f"      {field_line(f)}" for f in a.fields)
    return "\n".join(lines)


def find_action(value: str):
    from gkdesk.cases import workflow as wf

    v = value.strip()
    for a in wf.ACTIONS.values():
        if v in (a.code, a.label, _short(a.label)):
            return a
    raise ValidationError(f"未知的操作“{value}”，可选：{'、'.join(action_line(a) for a in wf.ACTIONS.values())}",
                          "action")


def _find_field(spec, key: str):
    k = key.strip()
    for f in spec.fields:
        if k in (f.name, f.label, _short(f.label)):
            return f
    known = "、".join(f"{f.name}={f.label}" for f in spec.fields) or "（此操作无需输入）"
    raise ValidationError(f"--set：操作“{spec.label}”没有字段“{key}”，可用字段：{known}", "--set")


def _choice_code(f, value: str) -> str:
    from gkdesk.domain import outcomes

    v = value.strip()
    for code, label in f.choices:
        if v in (code, label):
            return code
    if f.name == "outcome":
        o = outcomes.outcome_by_label(v)
        if o is not None:
            return o.code
    return v        # dynamic choices (ids) and wrong values: the workflow names the problem


def _name_keys(message: str, spec) -> str:
    """Let a workflow message that names a field by its label also name its key."""
    for f in sorted(spec.fields, key=lambda f: -len(f.label)):
        message = message.replace(f"{f.label}：", f"{f.label}（--set {f.name}=… 或 {_short(f.label)}=…）：")
    return message


def _actor(username: str):
    from gkdesk.actors import SYSTEM, Actor
    from gkdesk.db.models import User

    if username == "system":
        return SYSTEM
    user = User.get_or_none(User.username == username)
    if user is None or not user.active:
        raise ValidationError(f"--user：没有名为“{username}”的在用用户", "--user")
    return Actor.from_user(user)


def cmd_cases_show(args, opened) -> int:
    from gkdesk.actors import SYSTEM
    from gkdesk.cases import workflow as wf
    from gkdesk.domain import outcomes, terms
    from gkdesk.validation import mask_id, mask_phone

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
        "actions": [action_line(a) for a in wf.available_actions(case, SYSTEM)],
        "action_fields": {a.code: [field_line(f) for f in a.fields] for a in wf.available_actions(case, SYSTEM)},
    }
    if args.json:
        json.dump(info, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        fields = info.pop("action_fields")
        for k, v in info.items():
            if k == "actions":
                print("actions（cases act 受理编号 操作 --set 字段=值）:")
                for a in wf.available_actions(case, SYSTEM):
                    print(f"  {action_line(a)}")
                    for line in fields[a.code]:
                        print(f"      {line}")
            elif isinstance(v, list):
                print(f"{k}:")
                for x in v:
                    print(f"  {x}")
            else:
                print(f"{k}: {v if v is not None else ''}")
    return 0


def cmd_cases_act(args, opened) -> int:
    from gkdesk.cases import workflow as wf

    from gkdesk.domain import terms

    spec = find_action(args.action)
    inputs = {}
    for item in args.set:
        if "=" not in item:
            raise ValidationError(f"--set：“{item}”应为 字段=值（如 reason=… 或 延期理由=…）", "--set")
        k, v = item.split("=", 1)
        f = _find_field(spec, k)
        if f.kind == "bool":
            v = v.strip().lower() in ("1", "true", "yes", "是", "y")
        elif f.kind == "choice":
            v = _choice_code(f, v)
        inputs[f.name] = v
    actor = _actor(args.user)
    case = wf.find_case(args.number)
    try:
        case = wf.perform(case.id, spec.code, actor, **inputs)
    except ValidationError as exc:
        raise ValidationError(_name_keys(exc.message, spec), exc.field,
                              [_name_keys(p, spec) for p in exc.problems]) from None
    st = wf.due_status(case)
    print(f"{case.number}：{spec.label}完成，当前阶段：{terms.label_of(terms.STAGES, case.stage)}"
          + (f"，{st.text}" if st.text else ""))
    return 0


def cmd_holidays(args, opened) -> int:
    from gkdesk.actors import SYSTEM
    from gkdesk.cases import holidays

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
