"""Subcommands of the standard catalogue (政务公开事项标准目录):

  gkdesk catalogue versions [--json]                              list versions
  gkdesk catalogue version NAME [--year Y] [--from OLD]           new version (a revision copies OLD)
  gkdesk catalogue import FILE --guidance --version V [--field F] [--unit U] [--yes]
                                                                  an upstream guidance workbook
  gkdesk catalogue import FILE_OR_DIR [--version V] [--unit U] [--yes]
                                                                  what units returned (diff; --yes saves)
  gkdesk catalogue start --version V --unit U [--field F]...      a unit's catalogue from the guidance
  gkdesk catalogue items --version V [--unit U] [--json]          list items (no --unit: the guidance)
  gkdesk catalogue edit ID --set fact=value… [--reason R] | delete ID --reason R | restore ID
  gkdesk catalogue export --version V [--unit U] -o FILE.xlsx     county (or unit) workbook
  gkdesk catalogue export --version V --html -o DIR               web pages, one per field
  gkdesk catalogue explain --version V --unit U -o FILE.pdf|.docx the 编制说明
  gkdesk catalogue diff --version V [--unit U] [--against OLD] [--json]
  gkdesk catalogue fields [--add L | --rename CODE_OR_LABEL --label L | --retire F | --restore F] [--json]
                                                                  the office's own fields
"""
from __future__ import annotations

import json
import sys

from gkdesk.errors import ValidationError


def _actor():
    from gkdesk.actors import SYSTEM

    return SYSTEM


def register(sub, common) -> None:
    p = sub.add_parser("catalogue", parents=[common],
                       help="政务公开事项标准目录：上级指引、单位目录、编制说明、导出、版本对照")
    cs = p.add_subparsers(dest="catalogue_command", metavar="ACTION", required=True)

    v = cs.add_parser("versions", parents=[common], help="列出标准目录版本")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=cmd_versions)

    nv = cs.add_parser("version", parents=[common], help="新建版本（--from 以旧版本为基础修订）")
    nv.add_argument("name")
    nv.add_argument("--year", type=int, default=None)
    nv.add_argument("--from", dest="based_on", default=None, help="以该版本为基础（复制全部事项）")
    nv.add_argument("--note", default="")
    nv.set_defaults(func=cmd_version)

    i = cs.add_parser("import", parents=[common],
                      help="导入上级标准指引（--guidance）或单位交回的目录；默认只显示变化，--yes 才保存")
    i.add_argument("path", help="xlsx 文件（单位交回的可以是文件夹）")
    i.add_argument("--version", default=None, help="版本名称（上级指引：不存在时新建）")
    i.add_argument("--guidance", action="store_true", help="作为上级标准指引导入")
    i.add_argument("--field", default=None, help="表格中没有写明领域时，所属的领域")
    i.add_argument("--unit", default=None, help="单位（上级指引：导入后即按指引编制该单位的目录）")
    i.add_argument("--yes", action="store_true", help="保存")
    i.set_defaults(func=cmd_import)

    s = cs.add_parser("start", parents=[common], help="按上级指引编制单位的目录")
    s.add_argument("--version", default=None)
    s.add_argument("--unit", required=True)
    s.add_argument("--field", action="append", default=[], help="只编制该领域（可重复）")
    s.set_defaults(func=cmd_start)

    it = cs.add_parser("items", parents=[common], help="列出事项（不带 --unit 为上级指引）")
    it.add_argument("--version", default=None)
    it.add_argument("--unit", default=None)
    it.add_argument("--json", action="store_true")
    it.set_defaults(func=cmd_items)

    e = cs.add_parser("edit", parents=[common], help="修改单位目录中的事项")
    e.add_argument("id", help="事项编号（如 C12 或 12）")
    e.add_argument("--set", action="append", default=[], metavar="FACT=VALUE",
                   help="如 time_limit=10个工作日内；勾选项写 mode_request=√ 或 mode_request=")
    e.add_argument("--reason", default="", help="修改原因（与上级指引不同时必填）")
    e.set_defaults(func=cmd_edit)
    d = cs.add_parser("delete", parents=[common], help="删除单位目录中的事项（上级指引中的事项必须写明原因）")
    d.add_argument("id")
    d.add_argument("--reason", default="")
    d.set_defaults(func=cmd_delete)
    r = cs.add_parser("restore", parents=[common], help="把事项恢复为上级指引的内容")
    r.add_argument("id")
    r.set_defaults(func=cmd_restore)

    x = cs.add_parser("export", parents=[common], help="导出：全县目录（发布格式 xlsx 或网页），或发给单位的 xlsx")
    x.add_argument("--version", default=None)
    x.add_argument("--unit", default=None, help="导出该单位的目录（发给单位填报）")
    x.add_argument("--html", action="store_true", help="导出网页（每个领域一页），-o 为文件夹")
    x.add_argument("-o", "--output", required=True)
    x.set_defaults(func=cmd_export)

    ex = cs.add_parser("explain", parents=[common], help="生成单位的编制说明（PDF 或 DOCX，用于盖章）")
    ex.add_argument("--version", default=None)
    ex.add_argument("--unit", required=True)
    ex.add_argument("-o", "--output", required=True, help=".pdf 或 .docx")
    ex.set_defaults(func=cmd_explain)

    df = cs.add_parser("diff", parents=[common], help="对照：单位目录与上级指引，或两个版本")
    df.add_argument("--version", default=None)
    df.add_argument("--unit", default=None)
    df.add_argument("--against", default=None, help="与该版本对照（如 2020年目录）")
    df.add_argument("--json", action="store_true")
    df.set_defaults(func=cmd_diff)

    fl = cs.add_parser("fields", parents=[common], help="本办新增的领域：列出、新增、改名、停用、恢复")
    g = fl.add_mutually_exclusive_group()
    g.add_argument("--add", default=None, metavar="名称", help="新增领域")
    g.add_argument("--rename", default=None, metavar="领域", help="改名（与 --label 一起用）")
    g.add_argument("--retire", default=None, metavar="领域", help="停用（已有事项保留，不能再新增事项）")
    g.add_argument("--restore", default=None, metavar="领域", help="恢复使用")
    fl.add_argument("--label", default=None, help="新名称")
    fl.add_argument("--json", action="store_true")
    fl.set_defaults(func=cmd_fields)


def _item_id(text: str) -> int:
    t = text.strip().upper().lstrip("C")
    if not t.isdigit():
        raise ValidationError(f"事项编号“{text}”应为数字（如 C12 或 12）", "事项编号")
    return int(t)


def cmd_versions(args, opened) -> int:
    from gkdesk.catalogue import items as svc

    rows = svc.list_versions()
    if args.json:
        print(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print("还没有标准目录版本", file=sys.stderr)
    for r in rows:
        print(f"{r.name}\t{r.year}" + (f"\t以“{r.based_on}”为基础" if r.based_on else ""))
    return 0


def cmd_version(args, opened) -> int:
    from gkdesk.catalogue import items as svc

    v = svc.create_version(args.name, _actor(), year=args.year, based_on=args.based_on, note=args.note)
    print(f"已新建版本“{v.name}”")
    return 0


def _print_problems(problems, warnings) -> None:
    for p in problems:
        print(f"  ✗ {p}", file=sys.stderr)
    for w in warnings:
        print(f"  提示：{w}", file=sys.stderr)


def cmd_import(args, opened) -> int:
    from gkdesk.catalogue import items as svc
    from gkdesk.catalogue import returns, workbook

    if args.guidance:
        if not args.version:
            raise ValidationError("导入上级指引时必须用 --version 指定版本（如 --version 2020年目录）", "版本")
        book = workbook.read_workbook(args.path, default_field=args.field)
        labels = svc.field_labels()
        problems = workbook.guidance_problems(book)
        by_field: dict[str, int] = {}
        for row in book.rows:
            by_field[labels.get(row.data.field, row.data.field)] = by_field.get(
                labels.get(row.data.field, row.data.field), 0) + 1
        print(f"{book.display}：上级指引 {len(book.rows)} 项（" + "，".join(f"{k}{n}项" for k, n in by_field.items()) + "）")
        _print_problems(problems, book.warnings)
        if problems:
            print("有问题，未保存。请修正后重新导入。", file=sys.stderr)
            return 2
        if not args.yes:
            print("以上为预览，未保存。确认无误后加 --yes 保存。", file=sys.stderr)
            return 0
        v = svc.add_guidance(args.version, [r.data for r in book.rows], _actor(), source=book.display)
        print(f"已导入到“{v.name}”")
        if args.unit:
            fields = sorted({r.data.field for r in book.rows})
            n = svc.start_unit(v, args.unit, _actor(), fields)
            print(f"已按上级指引编制“{args.unit}”的目录（{n}项）")
        return 0
    diffs = returns.diff_paths(args.path, args.version, args.unit)
    if not diffs:
        raise ValidationError(f"“{args.path}”中没有 xlsx 文件", "path")
    for d in diffs:
        head = f"{d.display} → {d.unit_name or '（未识别单位）'}（{d.version_name or '未识别版本'}）"
        if not d.ok:
            print(f"{head}：有问题，不能导入", file=sys.stderr)
            _print_problems(d.problems, d.warnings)
            continue
        print(head + ("" if d.changes else "：无变化"))
        for c in d.changes:
            print(f"  {c.text()}")
        for w in d.warnings:
            print(f"  提示：{w}")
    bad = [d for d in diffs if not d.ok]
    if bad:
        print(f"{len(bad)} 个文件有问题，未保存任何内容。请修正后重新导入。", file=sys.stderr)
        return 2
    if not args.yes:
        print("以上为预览，未保存。确认无误后加 --yes 保存。", file=sys.stderr)
        return 0
    from gkdesk.tasks.links import record_catalogue_return

    actor = _actor()     # each saved unit's request for its catalogue (工作任务) becomes 已采用
    res = returns.apply_returns(diffs, actor, on_saved=lambda d: record_catalogue_return(d, actor))
    print(f"已保存：{'、'.join(res.saved) or '无'}（{res.changes} 处变化）" +
          (f"；无变化：{'、'.join(res.unchanged)}" if res.unchanged else ""))
    return 0


def cmd_start(args, opened) -> int:
    from gkdesk.catalogue import items as svc

    n = svc.start_unit(args.version, args.unit, _actor(), args.field or None)
    print(f"已按上级指引编制“{args.unit}”的目录（新增 {n} 项）")
    return 0


def _item_json(it, labels) -> dict:
    from gkdesk.catalogue.items import ItemData
    from gkdesk.domain import catalogue as dom
    from gkdesk.domain.terms import label_of

    d = ItemData.of(it).as_dict()
    d.update(id=f"C{it.id}", field_label=labels.get(it.field, it.field), action=label_of(dom.ACTIONS, it.action),
             reason=it.reason)
    return d


def cmd_items(args, opened) -> int:
    from gkdesk.catalogue import items as svc
    from gkdesk.catalogue.items import ItemData
    from gkdesk.domain import catalogue as dom
    from gkdesk.domain.terms import label_of

    labels = svc.field_labels()
    its = svc.unit_items(args.version, args.unit) if args.unit else svc.guidance_items(args.version)
    if args.json:
        print(json.dumps([_item_json(i, labels) for i in its], ensure_ascii=False, indent=1))
        return 0
    for i in its:
        d = ItemData.of(i)
        extra = f"\t{label_of(dom.ACTIONS, i.action)}" + (f"（{i.reason}）" if i.reason else "") if args.unit else ""
        print(f"C{i.id}\t{d.name(labels)}\t{d.time_limit}\t{d.marks_text('mode')}{extra}")
    return 0


def cmd_edit(args, opened) -> int:
    from dataclasses import fields as dc_fields

    from gkdesk.catalogue import items as svc
    from gkdesk.catalogue.items import ItemData
    from gkdesk.domain import catalogue as dom

    item = svc.get_item(_item_id(args.id))
    data = ItemData.of(item)
    names = {f.name for f in dc_fields(ItemData)}
    for s in args.set:
        key, sep, value = s.partition("=")
        key = key.strip()
        if not sep or key not in names:
            raise ValidationError(f"“{s}”应写作 事实=值，事实为：" + "、".join(sorted(names)), "--set")
        if key in dom.MARK_KEYS:
            mark = dom.read_mark(value)
            if mark is None:
                raise ValidationError(f"{dom.FACT_LABELS[key]}“{value}”不是勾选标记（√ 或留空）", dom.FACT_LABELS[key])
            setattr(data, key, mark)
        else:
            setattr(data, key, value)
    action = svc.save_item(item.id, data, args.reason, _actor())
    print(f"已保存 C{item.id}（{dom.ACTIONS[action].label}）")
    return 0


def cmd_delete(args, opened) -> int:
    from gkdesk.catalogue import items as svc

    svc.delete_item(_item_id(args.id), args.reason, _actor())
    print(f"已删除 {args.id}")
    return 0


def cmd_restore(args, opened) -> int:
    from gkdesk.catalogue import items as svc

    svc.restore_item(_item_id(args.id), _actor())
    print(f"已恢复 {args.id} 为上级指引的内容")
    return 0


def cmd_export(args, opened) -> int:
    from gkdesk.catalogue import export, web

    if args.html:
        if args.unit:
            raise ValidationError("网页只导出全县目录，不能与 --unit 同用", "--html")
        files = web.export_html(args.version, args.output)
        for f in files:
            print(f)
        return 0
    if not args.output.lower().endswith(".xlsx"):
        raise ValidationError(f"输出文件“{args.output}”应以 .xlsx 结尾（网页请加 --html）", "输出文件")
    path = export.export_unit(args.version, args.unit, args.output) if args.unit else \
        export.export_county(args.version, args.output)
    print(path)
    return 0


def cmd_explain(args, opened) -> int:
    from gkdesk.catalogue import explain

    print(explain.write(args.version, args.unit, args.output))
    return 0


def cmd_diff(args, opened) -> int:
    from gkdesk.catalogue import items as svc
    from gkdesk.domain import catalogue as dom

    if args.against:
        deltas = svc.compare_versions(args.against, args.version or None, args.unit)
        title = f"“{svc.get_version(args.against).name}”→“{svc.get_version(args.version).name}”"
        labels = {"add": "新增", "delete": "删除", "change": "修改", "keep": "未变"}
    elif args.unit:
        deltas = svc.against_guidance(args.version, args.unit)
        title = f"“{args.unit}”对照“{svc.get_version(args.version).name}”上级指引"
        labels = {k: t.label for k, t in dom.ACTIONS.items()}
    else:
        raise ValidationError("请用 --unit 指定单位（与上级指引对照），或用 --against 指定要对照的版本", "--unit")
    if args.json:
        print(json.dumps([{"name": d.name, "unit": d.unit, "kind": d.kind, "kind_label": labels[d.kind],
                           "changed": [dom.FACT_LABELS.get(k, k) for k in d.changed], "change": d.change_text(),
                           "reason": d.reason} for d in deltas], ensure_ascii=False, indent=1))
        return 0
    c = svc.counts(deltas)
    print(f"{title}：" + "，".join(f"{labels[k]}{n}项" for k, n in c.items()))
    for d in deltas:
        if d.kind == "keep":
            continue
        who = f"[{d.unit}] " if args.against and not args.unit else ""
        line = f"  {labels[d.kind]}  {who}{d.name}"
        if d.change_text():
            line += f"：{d.change_text()}"
        if d.reason:
            line += f"（原因：{d.reason}）"
        print(line)
    return 0


def cmd_fields(args, opened) -> int:
    from gkdesk.catalogue import items as svc

    actor = _actor()

    def code_of(text: str) -> str:
        code = svc.field_code(text)
        if code is None:
            raise ValidationError(f"领域：找不到“{text}”", "领域")
        return code

    if args.add:
        code = svc.add_field(args.add, actor)
        print(f"已新增领域“{svc.field_labels()[code]}”（{code}）")
        return 0
    if args.rename:
        if not args.label:
            raise ValidationError("新名称：改名时请用 --label 写明新名称", "新名称")
        print(f"已改名为“{svc.rename_field(code_of(args.rename), args.label, actor)}”")
        return 0
    if args.retire or args.restore:
        code = code_of(args.retire or args.restore)
        svc.retire_field(code, actor, retired=bool(args.retire))
        print(f"领域“{svc.field_labels()[code]}”已{'停用' if args.retire else '恢复使用'}")
        return 0
    rows = svc.office_fields()
    if args.json:
        print(json.dumps([{"code": f.code, "label": f.label, "retired": f.retired, "items": f.items} for f in rows],
                         ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print("本办没有新增领域（26个领域之外）")
    for f in rows:
        print(f"{f.code}\t{f.label}\t{'已停用' if f.retired else '使用中'}\t{f.items}项")
    return 0
