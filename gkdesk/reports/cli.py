"""Subcommands of the reports area: ``annual-report``, ``ledger export|import``, ``stats``,
``review withheld|frequent``."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{value}”格式不对，应为 YYYY-MM-DD") from None


def _year(value: str) -> int:
    try:
        y = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度“{value}”应为四位数字，如 2025") from None
    if not 1990 <= y <= 2200:
        raise argparse.ArgumentTypeError(f"年度“{value}”超出范围")
    return y


def _year_or_all(value: str) -> int:
    return 0 if value.strip() == "0" else _year(value)


def _this_year() -> int:
    from gkdesk.cases import deadlines

    return deadlines.today().year


def register(sub, common) -> None:
    a = sub.add_parser("annual-report", parents=[common],
                       help="年度报告表三、表四（及表二）：--json 输出数据，-o 导出 xlsx/pdf（核对不通过则拒绝导出）")
    a.add_argument("--year", type=_year, default=None, help="年度（默认今年）")
    a.add_argument("-o", "--output", metavar="FILE", help="导出文件（.xlsx 或 .pdf）")
    a.add_argument("--json", action="store_true", help="以 JSON 输出表三、表四")
    a.add_argument("--document", action="store_true",
                   help="导出年度报告全文（一至六部分，含表二至表四）：-o 文件为 .pdf 或 .docx")
    a.set_defaults(func=cmd_annual)
    asub = a.add_subparsers(dest="annual_command", metavar="ACTION", required=False)
    ac = asub.add_parser("check", parents=[common], help="核对各单位报送的年度报告表格（文件或文件夹），逐格指出错误")
    ac.add_argument("path", metavar="FILE_OR_DIR")
    ac.add_argument("--year", type=_year, default=None, help="统计年度（默认从表格中读取）")
    ac.set_defaults(func=cmd_annual_check)
    asum = asub.add_parser("sum", parents=[common],
                           help="核对并汇总文件夹中各单位的年度报告，导出本级汇总表 xlsx（同时保存各单位报告，供下年核对上年结转）")
    asum.add_argument("path", metavar="DIR")
    asum.add_argument("--year", type=_year, default=None, help="统计年度（默认从表格中读取）")
    asum.add_argument("-o", "--output", metavar="FILE.xlsx", required=True)
    asum.set_defaults(func=cmd_annual_sum)

    ar = asub.add_parser("register", parents=[common],
                         help="规章和规范性文件登记簿：列出、导入 xlsx（--import），按登记簿填入表二（--apply）")
    ar.add_argument("--year", type=_year, default=None, help="年度（默认今年）")
    ar.add_argument("--import", dest="import_file", metavar="FILE.xlsx", help="导入登记簿（有任何问题则整份不导入）")
    ar.add_argument("--apply", action="store_true", help="用登记簿计算的件数替换表二第二十条第（一）项")
    ar.set_defaults(func=cmd_annual_register)

    lp = sub.add_parser("ledger", parents=[common], help="台账：导出、导入")
    lsub = lp.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)
    le = lsub.add_parser("export", parents=[common], help="按收到申请日期导出台账 xlsx")
    le.add_argument("--from", dest="date_from", type=_date, help="起始日期 YYYY-MM-DD（含）")
    le.add_argument("--to", dest="date_to", type=_date, help="截止日期 YYYY-MM-DD（含）")
    le.add_argument("-o", "--output", metavar="FILE.xlsx", required=True)
    le.add_argument("--full-personal-data", action="store_true",
                    help="导出完整的证件号码和联系电话（默认打码；此操作记入审计记录）")
    le.set_defaults(func=cmd_ledger_export)
    li = lsub.add_parser("import", parents=[common], help="导入台账 xlsx（有任何问题则整份不导入）")
    li.add_argument("file", metavar="FILE.xlsx")
    li.add_argument("--check", action="store_true", help="只检查，不导入")
    li.set_defaults(func=cmd_ledger_import)

    s = sub.add_parser("stats", parents=[common], help="办理统计：按月、办理结果、按期率、办理用时、按股室/承办人")
    s.add_argument("--year", type=_year, default=None, help="年度（默认今年）")
    s.add_argument("-o", "--output", metavar="FILE.xlsx", help="导出 xlsx")
    s.add_argument("--json", action="store_true", help="以 JSON 输出")
    s.set_defaults(func=cmd_stats)

    r = sub.add_parser("review", parents=[common], help="年度复查：不予公开信息（withheld）、高频申请（frequent）")
    r.add_argument("kind", choices=("withheld", "frequent"))
    r.add_argument("--year", type=_year_or_all, default=None, help="年度（默认今年；0 表示历年全部）")
    r.add_argument("-o", "--output", metavar="FILE.xlsx", help="导出 xlsx")
    r.set_defaults(func=cmd_review)


def cmd_annual(args, opened) -> int:
    from gkdesk.reports import annual, annual_xlsx

    year = args.year or _this_year()
    if args.document:
        from gkdesk.errors import ValidationError
        from gkdesk.reports import annual_doc

        if not args.output:
            raise ValidationError("--document 需要用 -o 指定输出文件（.pdf 或 .docx）", "-o")
        out = annual_doc.export(year, args.output)      # refuses (GkError, non-zero) on problems
        print(f"已导出 {year} 年度报告全文：{out}", file=sys.stderr)
        return 0
    if args.output:
        out = annual_xlsx.export(year, args.output)     # refuses (GkError, non-zero) on problems
        print(f"已导出 {year} 年度报告：{out}", file=sys.stderr)
    rep = annual.report(year)
    if not args.output:
        for p in annual.check(year, rep["table3"]):
            print(f"注意：{p}", file=sys.stderr)
    if args.json:
        json.dump(rep, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif not args.output:
        _print_tables(rep)
    return 0


def _print_unit_problems(reports) -> int:
    bad = 0
    for r in reports:
        if r.problems:
            bad += 1
            for p in r.problems:
                print(f"{r.display}!{p}" if p.cell else f"{r.display}：{p.message}", file=sys.stderr)
        else:
            print(f"通过：{r.display}（{r.unit_name}，{r.year}年度）")
    return bad


def cmd_annual_check(args, opened) -> int:
    from gkdesk.reports import unit_reports

    reports = unit_reports.read_paths(args.path, year=args.year)
    if not reports:
        print(f"“{args.path}”中没有 xlsx 表格", file=sys.stderr)
        return 1
    bad = _print_unit_problems(reports)
    print(f"共 {len(reports)} 份，{len(reports) - bad} 份通过，{bad} 份有问题", file=sys.stderr)
    return 1 if bad else 0


def cmd_annual_register(args, opened) -> int:
    import datetime as _dt

    from gkdesk.actors import SYSTEM
    from gkdesk.errors import ImportError_
    from gkdesk.reports import regulations

    year = args.year or _dt.date.today().year
    if args.import_file:
        try:
            res = regulations.import_xlsx(args.import_file, SYSTEM)
        except ImportError_ as exc:
            for p in exc.problems or [str(exc)]:
                print(p, file=sys.stderr)
            return 1
        print(f"已导入：新增{res['added']}件，更新{res['updated']}件，未变{res['unchanged']}件")
    for e in regulations.entries(year):
        print(f"{e.kind_label}\t{e.title}\t{e.number}\t{e.issued.isoformat()}\t"
              f"{e.repealed.isoformat() if e.repealed else ''}")
    for row, cols in regulations.counts(year).items():
        print(f"{year}年{row}：" + "，".join(f"{c}{n}" for c, n in cols.items()))
    if args.apply:
        changed = regulations.apply_to_table2(year, SYSTEM)
        print(f"已填入{year}年表二（{len(changed)}项有变化）")
    return 0


def cmd_annual_sum(args, opened) -> int:
    from gkdesk import settings
    from gkdesk.actors import SYSTEM
    from gkdesk.reports import unit_reports

    if Path(args.output).suffix.lower() != ".xlsx":
        from gkdesk.errors import ValidationError

        raise ValidationError(f"-o：汇总表只能导出为 .xlsx，现为“{args.output}”", "-o")
    reports = unit_reports.read_paths(args.path, year=args.year)
    if not reports:
        print(f"“{args.path}”中没有 xlsx 表格", file=sys.stderr)
        return 1
    if _print_unit_problems(reports):
        raise unit_reports.UnitReportsRefused(reports)
    unit_reports.sum_to_xlsx(reports, args.output, office=settings.get("office.name"))
    from gkdesk.tasks.links import record_unit_report

    unit_reports.save(reports, SYSTEM, on_saved=lambda r, uid: record_unit_report(r, uid, SYSTEM))
    print(f"已汇总 {len(reports)} 个单位的年度报告到 {args.output}", file=sys.stderr)
    return 0


def _print_tables(rep: dict) -> None:
    from gkdesk.reports import annual

    print(f"{rep['year']}年 {annual.TABLE3_TITLE}")
    print("\t".join(["栏目", *annual.TABLE3_COLUMNS]))
    for key, row in rep["table3"].items():
        print("\t".join([key, *(str(row[c]) for c in annual.TABLE3_COLUMNS)]))
    print()
    print(annual.TABLE4_TITLE)
    print("\t".join(["类别", *annual.TABLE4_COLUMNS]))
    for key, row in rep["table4"].items():
        print("\t".join([key, *(str(row[c]) for c in annual.TABLE4_COLUMNS)]))


def cmd_ledger_export(args, opened) -> int:
    from gkdesk.reports import ledger

    if Path(args.output).suffix.lower() != ".xlsx":
        from gkdesk.errors import ValidationError

        raise ValidationError(f"-o：台账只能导出为 .xlsx，现为“{args.output}”", "-o")
    personal = None
    if getattr(args, "full_personal_data", False):
        from gkdesk.actors import SYSTEM

        personal = SYSTEM
    n = ledger.export_ledger(args.output, args.date_from, args.date_to, personal_for=personal)
    print(f"已导出 {n} 件案件到 {args.output}")
    return 0


def cmd_ledger_import(args, opened) -> int:
    from gkdesk.actors import SYSTEM
    from gkdesk.errors import ImportError_
    from gkdesk.reports import ledger

    try:
        if args.check:
            parsed = ledger.read_ledger(args.file)
            for w in parsed.warnings:
                print(f"提示：{w}", file=sys.stderr)
            if parsed.problems:
                raise ImportError_(f"台账“{Path(args.file).name}”有 {len(parsed.problems)} 个问题："
                                   f"{parsed.problems[0]}", parsed.problems)
            print(f"检查通过：{len(parsed.rows)} 行，可以导入")
            return 0
        res = ledger.import_ledger(args.file, SYSTEM)
    except ImportError_ as exc:
        for w in getattr(exc, "warnings", []):
            print(f"提示：{w}", file=sys.stderr)
        raise
    for w in res.warnings:
        print(f"提示：{w}", file=sys.stderr)
    print(f"已导入“{Path(args.file).name}”：{res.summary()}")
    return 0


def cmd_stats(args, opened) -> int:
    from gkdesk.reports import stats

    st = stats.compute(args.year or _this_year())
    if args.output:
        stats.export_xlsx(st, args.output)
        print(f"已导出统计到 {args.output}", file=sys.stderr)
    if args.json:
        def g(x):
            return {"name": x.name, "received": x.received, "replied": x.replied, "on_time": x.on_time,
                    "on_time_rate": x.on_time_rate, "avg_working_days": x.avg_days,
                    "max_working_days": x.max_days, "open": x.open, "overdue": x.overdue}
        json.dump({"year": st.year, "received_by_month": st.received_by_month,
                   "replied_by_month": st.replied_by_month, "outcome_groups": dict(st.outcome_groups),
                   "overall": g(st.overall), "by_section": [g(x) for x in st.by_section],
                   "by_handler": [g(x) for x in st.by_handler]}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif not args.output:
        o = st.overall
        rate = "—" if o.on_time_rate is None else f"{o.on_time_rate:.1%}"
        avg = "—" if o.avg_days is None else f"{o.avg_days:.1f}"
        print(f"{st.year}年：收到 {o.received} 件，答复 {o.replied} 件，按期率 {rate}，"
              f"平均办理 {avg} 个工作日，最长 {o.max_days if o.max_days is not None else '—'} 个工作日，"
              f"未办结 {o.open} 件（已超期 {o.overdue} 件）")
        print("按月收到：" + " ".join(f"{m}{n}" for m, n in zip(stats.MONTHS, st.received_by_month)))
        print("办理结果：" + "，".join(f"{k}{n}" for k, n in st.outcome_groups))
    return 0


def cmd_review(args, opened) -> int:
    from gkdesk.reports import reviews

    year = None if args.year == 0 else (args.year or _this_year())
    if args.kind == "withheld":
        items = reviews.withheld(year)
        if args.output:
            reviews.export_withheld(items, args.output, year)
            print(f"已导出 {len(items)} 件到 {args.output}", file=sys.stderr)
        else:
            for it in items:
                print(f"{it.number}\t{it.reply_date}\t{it.outcome_label}\t{it.reason}")
            print(f"共 {len(items)} 件", file=sys.stderr)
    else:
        groups = reviews.frequent(year)
        if args.output:
            reviews.export_frequent(groups, args.output, year)
            print(f"已导出 {len(groups)} 组到 {args.output}", file=sys.stderr)
        else:
            for i, g in enumerate(groups, start=1):
                print(f"{i}\t{g.size}件\t{'、'.join(g.phrases)}\t{'、'.join(g.numbers)}")
            print(f"共 {len(groups)} 组", file=sys.stderr)
    return 0
