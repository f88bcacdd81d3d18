"""Subcommands of the forms area (附件一、附件二):

  gkdesk forms units [--all] [--json]                     list units
  gkdesk forms unit add|rename|merge|retire|restore …      manage units
  gkdesk forms export [--round R] [--blank] [--unit U] -o DIR
  gkdesk forms import FILE_OR_DIR [--yes] [--round R] [--skip-bad]
  gkdesk forms summary -o FILE.xlsx
  gkdesk forms pdf --unit NAME -o FILE.pdf  |  --all -o DIR
  gkdesk forms round new --name … --deadline YYYY-MM-DD --email … --fax …
  gkdesk forms round status [R] [--json]  |  round list  |  round close R
"""
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


def register(sub, common) -> None:
    p = sub.add_parser("forms", parents=[common], help="附件一（工作人员情况表）、附件二（工作职能清单）：单位、导出、导入、汇总")
    fs = p.add_subparsers(dest="forms_command", metavar="ACTION", required=True)

    u = fs.add_parser("units", parents=[common], help="列出单位")
    u.add_argument("--all", action="store_true", help="包括已撤销的单位")
    u.add_argument("--json", action="store_true", help="输出 JSON")
    u.set_defaults(func=cmd_units)

    um = fs.add_parser("unit", parents=[common], help="新增、更名、合并、撤销、恢复单位")
    ums = um.add_subparsers(dest="unit_command", metavar="ACTION", required=True)
    a = ums.add_parser("add", parents=[common], help="新增单位")
    a.add_argument("name")
    a.add_argument("--kind", default=None, help="单位类型：街道、部门、管委会、乡镇、其他（默认按名称判断）")
    a.set_defaults(func=cmd_unit_add)
    r = ums.add_parser("rename", parents=[common], help="单位更名")
    r.add_argument("name")
    r.add_argument("new_name")
    r.set_defaults(func=cmd_unit_rename)
    m = ums.add_parser("merge", parents=[common], help="把一个单位并入另一个（工作人员复制到目标单位，原单位撤销）")
    m.add_argument("source")
    m.add_argument("target")
    m.set_defaults(func=cmd_unit_merge)
    rt = ums.add_parser("retire", parents=[common], help="撤销单位")
    rt.add_argument("name")
    rt.set_defaults(func=cmd_unit_retire)
    rs = ums.add_parser("restore", parents=[common], help="恢复已撤销的单位")
    rs.add_argument("name")
    rs.set_defaults(func=cmd_unit_restore)

    e = fs.add_parser("export", parents=[common], help="导出各单位的附件一、附件二（每个单位一个 xlsx）")
    e.add_argument("-o", "--output", required=True, help="输出文件夹")
    e.add_argument("--round", default=None, help="征集轮次（名称或编号；默认最近一个未结束的轮次）")
    e.add_argument("--blank", action="store_true", help="导出空白表（不预填已有信息）")
    e.add_argument("--unit", action="append", default=[], help="只导出该单位（可重复）")
    e.set_defaults(func=cmd_export)

    i = fs.add_parser("import", parents=[common], help="导入单位交回的表格（文件或文件夹）；默认只显示变化，--yes 才保存")
    i.add_argument("path", help="xlsx 文件或文件夹")
    i.add_argument("--yes", action="store_true", help="保存变化")
    i.add_argument("--round", default=None, help="登记为该征集轮次的交回（默认：导出时的轮次或最近一个未结束的轮次）")
    i.add_argument("--no-round", action="store_true", help="不登记为任何征集轮次的交回")
    i.add_argument("--skip-bad", action="store_true", help="有问题的文件跳过，其余照常保存（退出码仍为非零）")
    i.set_defaults(func=cmd_import)

    s = fs.add_parser("summary", parents=[common], help="导出全区汇总表（工作人员、工作职能清单、领导小组）")
    s.add_argument("-o", "--output", required=True, help="输出 xlsx 文件")
    s.add_argument("--all", action="store_true", help="包括已撤销的单位")
    s.set_defaults(func=cmd_summary)

    pd = fs.add_parser("pdf", parents=[common], help="生成单位的附件一、附件二 PDF（用于打印盖章）")
    g = pd.add_mutually_exclusive_group(required=True)
    g.add_argument("--unit", help="单位名称")
    g.add_argument("--all", action="store_true", help="所有在用单位，每个单位一个 PDF（-o 为文件夹）")
    pd.add_argument("-o", "--output", required=True, help="输出 PDF 文件（--all 时为文件夹）")
    pd.add_argument("--blank", action="store_true", help="空白表")
    pd.add_argument("--round", default=None, help="注中的截止日期、邮箱、传真取自该征集轮次")
    pd.set_defaults(func=cmd_pdf)

    rd = fs.add_parser("round", parents=[common], help="征集轮次：发起、查看交回情况、结束")
    rds = rd.add_subparsers(dest="round_command", metavar="ACTION", required=True)
    n = rds.add_parser("new", parents=[common], help="发起征集")
    n.add_argument("--name", required=True, help="轮次名称，如 2026年第一次")
    n.add_argument("--deadline", type=_date, required=True, help="截止日期 YYYY-MM-DD")
    n.add_argument("--email", default="", help="电子版发送邮箱")
    n.add_argument("--fax", default="", help="纸质版传真号码")
    n.add_argument("--note", default="", help="自定义“注”的文字（默认按截止日期、邮箱、传真生成）")
    n.set_defaults(func=cmd_round_new)
    st = rds.add_parser("status", parents=[common], help="各单位交回情况：已交回、逾期交回、未交回、有问题")
    st.add_argument("round", nargs="?", default=None, help="轮次名称或编号（默认最近一个）")
    st.add_argument("--json", action="store_true", help="输出 JSON")
    st.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    st.set_defaults(func=cmd_round_status)
    ls = rds.add_parser("list", parents=[common], help="列出征集轮次")
    ls.set_defaults(func=cmd_round_list)
    cl = rds.add_parser("close", parents=[common], help="结束征集轮次")
    cl.add_argument("round")
    cl.set_defaults(func=cmd_round_close)


def _actor():
    from gkdesk.actors import SYSTEM

    return SYSTEM


def cmd_units(args, opened) -> int:
    from gkdesk.forms import units

    rows = units.list_units(None if args.all else True)
    if args.json:
        json.dump([{"id": u.id, "name": u.name, "kind": u.kind_label, "active": u.active, "leaders": u.leaders,
                    "staff": u.staff, "functions": u.has_functions, "merged_into": u.merged_into or None}
                   for u in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for u in rows:
        state = "" if u.active else ("（已并入" + u.merged_into + "）" if u.merged_into else "（已撤销）")
        print(f"{u.id}\t{u.name}{state}\t{u.kind_label}\t分管领导{u.leaders}人\t工作人员{u.staff}人\t"
              f"职能清单{'有' if u.has_functions else '无'}")
    print(f"共 {len(rows)} 个单位", file=sys.stderr)
    return 0


def cmd_unit_add(args, opened) -> int:
    from gkdesk.forms import units

    u = units.add_unit(args.name, _actor(), kind=args.kind)
    print(f"已新增单位“{u.name}”（编号 {u.id}）")
    return 0


def cmd_unit_rename(args, opened) -> int:
    from gkdesk.forms import units

    old = units.get_unit(args.name)
    old_name = old.name
    u = units.rename_unit(old, args.new_name, _actor())
    print(f"已将“{old_name}”更名为“{u.name}”")
    return 0


def cmd_unit_merge(args, opened) -> int:
    from gkdesk.forms import units

    src, tgt = units.get_unit(args.source), units.get_unit(args.target)
    units.merge_units(src, tgt, _actor())
    print(f"已将“{src.name}”并入“{tgt.name}”")
    return 0


def cmd_unit_retire(args, opened) -> int:
    from gkdesk.forms import units

    u = units.retire_unit(units.get_unit(args.name), _actor())
    print(f"已撤销单位“{u.name}”")
    return 0


def cmd_unit_restore(args, opened) -> int:
    from gkdesk.forms import units

    u = units.restore_unit(units.get_unit(args.name), _actor())
    print(f"已恢复单位“{u.name}”")
    return 0


def _round(ref):
    from gkdesk.forms import rounds

    return rounds.get_round(ref) if ref else rounds.open_round()


def cmd_export(args, opened) -> int:
    from gkdesk.forms import units, xlsx_export

    rnd = _round(args.round)
    ids = [units.get_unit(n).id for n in args.unit] or None
    files = xlsx_export.export_all(args.output, rnd, blank=args.blank, unit_ids=ids,
                                   progress=lambda d, t: print(f"\r{d}/{t}", end="", file=sys.stderr))
    print(file=sys.stderr)
    for f in files:
        print(f)
    print(f"已导出 {len(files)} 个单位的表格到 {args.output}" + (f"（征集轮次：{rnd.name}）" if rnd else ""),
          file=sys.stderr)
    return 0


def cmd_import(args, opened) -> int:
    from gkdesk.forms import xlsx_import

    diffs = xlsx_import.diff_paths(args.path)
    if not diffs:
        raise ValidationError(f"“{args.path}”中没有 xlsx 文件", "path")
    bad = [d for d in diffs if not d.ok]
    for d in diffs:
        head = f"{d.display} → {d.unit_name or '（未识别单位）'}"
        if not d.ok:
            print(f"{head}：有问题，不能导入", file=sys.stderr)
            for p in d.problems:
                print(f"  ✗ {p}", file=sys.stderr)
            continue
        print(head + ("" if d.changes else "：无变化"))
        for c in d.changes:
            print(f"  {c}")
        for w in d.warnings:
            print(f"  提示：{w}")
    good = [d for d in diffs if d.ok]
    if bad and not args.skip_bad:
        print(f"{len(bad)} 个文件有问题，未保存任何内容。请修正后重新导入（或加 --skip-bad 只导入没有问题的文件）。",
              file=sys.stderr)
        return 2
    if not args.yes:
        print(f"以上为预览，未保存。确认无误后加 --yes 保存（{len(good)} 个单位）。", file=sys.stderr)
        return 2 if bad else 0
    for d in diffs:
        d.accepted = d.ok
    rnd = False if args.no_round else (args.round or None)
    result = xlsx_import.apply(diffs, _actor(), rnd)
    print(f"已保存：{len(result.saved)} 个单位有变化，{len(result.unchanged)} 个单位无变化；"
          f"登记交回 {result.returns_recorded} 份。")
    if bad:
        print(f"{len(bad)} 个有问题的文件已跳过。", file=sys.stderr)
        return 2
    return 0


def cmd_summary(args, opened) -> int:
    from gkdesk.forms.summary import summary

    path = summary(args.output, include_retired=args.all)
    print(path)
    return 0


def cmd_pdf(args, opened) -> int:
    from gkdesk.forms import pdf

    rnd = _round(args.round)
    if args.all:
        files = pdf.render_all(args.output, rnd, blank=args.blank)
        for f in files:
            print(f)
        print(f"已生成 {len(files)} 个 PDF", file=sys.stderr)
    else:
        print(pdf.render_unit(args.unit, args.output, rnd, blank=args.blank))
    return 0


def cmd_round_new(args, opened) -> int:
    from gkdesk.forms import rounds

    r = rounds.create_round(args.name, args.deadline, _actor(), email=args.email, fax=args.fax, note=args.note)
    print(f"已发起征集“{r.name}”（编号 {r.id}），截止 {r.deadline.isoformat()}")
    print(rounds.note_text(r))
    return 0


def cmd_round_status(args, opened) -> int:
    from gkdesk.forms import rounds

    r = rounds.get_round(args.round)
    statuses = rounds.round_status(r, today=args.today)
    counts = rounds.status_counts(statuses)
    if args.json:
        json.dump({"round": r.name, "deadline": r.deadline.isoformat(), "counts": counts,
                   "units": [{"unit": s.unit_name, "status": s.status, "label": s.label,
                              "returned_at": s.returned_at.isoformat() if s.returned_at else None,
                              "problems": s.problems.split("\n") if s.problems else [],
                              "file": s.source_file or None} for s in statuses]},
                  sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    print(f"征集“{r.name}”，截止 {r.deadline.isoformat()}" + ("（已结束）" if r.closed else ""))
    for s in statuses:
        when = s.returned_at.astimezone().strftime("%Y-%m-%d %H:%M") if s.returned_at else ""
        print(f"{s.unit_name}\t{s.label}\t{when}")
        if s.problems:
            for p in s.problems.split("\n"):
                print(f"    {p}")
    print("，".join(f"{rounds.STATUS_LABELS[k]} {v}" for k, v in counts.items()))
    return 0


def cmd_round_list(args, opened) -> int:
    from gkdesk.forms import rounds

    for r in rounds.list_rounds():
        print(f"{r.id}\t{r.name}\t截止 {r.deadline.isoformat()}\t{'已结束' if r.closed else '进行中'}")
    return 0


def cmd_round_close(args, opened) -> int:
    from gkdesk.forms import rounds

    r = rounds.close_round(args.round, _actor())
    print(f"已结束征集“{r.name}”")
    return 0
