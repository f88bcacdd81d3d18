"""Subcommands of the document area: ``render``, ``docs``, ``templates``, ``seal``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gkdesk.errors import ValidationError

KIND_HELP = "；".join(f"{k}={v}" for k, v in (
    ("receipt", "接收回执"), ("correction", "补正申请告知书"), ("not-request", "非政府信息公开申请告知书"),
    ("consultation", "征求意见书"), ("consultation-notice", "征求意见告知书"), ("extension", "延期答复告知书"),
    ("fee", "信息处理费收费通知书"), ("reply", "答复书（按办理结果选用）"), ("termination", "终止办理告知书"),
    ("service-proof", "送达回证"), ("application_form", "申请登记表")))


def _kinds() -> list[str]:
    from gkdesk.domain import terms

    return list(terms.DOCUMENT_KINDS)


def _field(value: str) -> tuple[str, str]:
    if "=" not in value:
        raise argparse.ArgumentTypeError(f"“{value}”格式不对，应为 key=value（如 reason=涉及个人隐私）")
    k, v = value.split("=", 1)
    return k.strip(), v.replace("\\n", "\n")


def _actor():
    from gkdesk.actors import SYSTEM

    return SYSTEM


def register(sub, common) -> None:
    p = sub.add_parser(
        "render", parents=[common], help="生成案件的文书（PDF 或 DOCX）",
        description="生成案件的文书。默认生成草稿（无文号）；--issue 正式出具（编号、存档、冻结）。"
                    f"文书种类：{KIND_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--case", required=True, metavar="NUMBER", help="受理编号，如 依申〔2026〕17号")
    p.add_argument("--doc", required=True, choices=_kinds(), metavar="KIND",
                   help="文书种类：" + "、".join(_kinds()))
    p.add_argument("-o", "--output", metavar="FILE", help="输出文件（.pdf 或 .docx；默认按文书名称生成 PDF）")
    p.add_argument("--field", action="append", type=_field, default=[], metavar="KEY=VALUE",
                   help="经办人填写的内容，可多次使用；--list-fields 查看需要哪些")
    p.add_argument("--issue", action="store_true", help="正式出具：取得文号，存档并记录 SHA-256")
    p.add_argument("--stamp", action="store_true", help="加盖电子印章（需先用 gkdesk seal import 导入；须与 --issue 同用）")
    p.add_argument("--seal-mark", action="store_true", help="用浅色虚线圆圈标出盖章位置（打印后手工盖章）")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="成文日期（默认今天）")
    p.add_argument("--list-fields", action="store_true", help="只列出此文书需要填写的内容及默认值")
    p.set_defaults(func=cmd_render)

    d = sub.add_parser("docs", parents=[common], help="已出具的文书：列出、导出、作废、批量打印")
    ds = d.add_subparsers(dest="docs_command", metavar="ACTION", required=True)
    ls = ds.add_parser("list", parents=[common], help="列出案件的文书")
    ls.add_argument("--case", required=True, metavar="NUMBER")
    ls.set_defaults(func=cmd_docs_list)
    ex = ds.add_parser("export", parents=[common], help="导出已出具的文书（存档的 PDF、盖章副本或 DOCX）")
    ex.add_argument("id", type=int, help="文书编号（docs list 第一列）")
    ex.add_argument("-o", "--output", required=True, metavar="FILE")
    ex.add_argument("--stamp", action="store_true", help="加盖电子印章的副本")
    ex.set_defaults(func=cmd_docs_export)
    ca = ds.add_parser("cancel", parents=[common], help="作废文书（文号保留不再使用）")
    ca.add_argument("id", type=int)
    ca.add_argument("--reason", required=True)
    ca.set_defaults(func=cmd_docs_cancel)
    ba = ds.add_parser("batch", parents=[common], help="把多份文书合成一个 PDF，按顺序打印后盖章")
    ba.add_argument("ids", type=int, nargs="*", help="文书编号（按打印顺序）")
    ba.add_argument("--case", metavar="NUMBER", help="或：该案件全部已出具的文书")
    ba.add_argument("-o", "--output", required=True, metavar="FILE")
    ba.add_argument("--no-mark", action="store_true", help="不标出盖章位置")
    ba.set_defaults(func=cmd_docs_batch)

    t = sub.add_parser("templates", parents=[common], help="文书模板：列出、查看、检查、保存、恢复默认")
    ts = t.add_subparsers(dest="templates_command", metavar="ACTION", required=True)
    tl = ts.add_parser("list", parents=[common], help="列出模板及其版本、需要填写的内容")
    tl.set_defaults(func=cmd_templates_list)
    tw = ts.add_parser("show", parents=[common], help="显示模板正文")
    tw.add_argument("name")
    tw.set_defaults(func=cmd_templates_show)
    tc = ts.add_parser("check", parents=[common], help="检查模板文件（不保存）")
    tc.add_argument("name")
    tc.add_argument("file")
    tc.set_defaults(func=cmd_templates_check)
    tv = ts.add_parser("save", parents=[common], help="检查并保存为新版本")
    tv.add_argument("name")
    tv.add_argument("file")
    tv.add_argument("--note", default="")
    tv.set_defaults(func=cmd_templates_save)
    tr = ts.add_parser("restore", parents=[common], help="恢复默认模板（保存为新版本）")
    tr.add_argument("name")
    tr.set_defaults(func=cmd_templates_restore)

    s = sub.add_parser("seal", parents=[common], help="电子印章：导入背景透明的印章图片")
    ss = s.add_subparsers(dest="seal_command", metavar="ACTION", required=True)
    si = ss.add_parser("import", parents=[common], help="导入印章图片（PNG，背景透明）")
    si.add_argument("file")
    si.add_argument("--diameter", type=float, default=42.0, help="印章直径（毫米，默认42）")
    si.set_defaults(func=cmd_seal_import)
    sf = ss.add_parser("fonts", parents=[common], help="显示文书使用的字体")
    sf.set_defaults(func=cmd_seal_fonts, database="none")


def _write(path: str, data: bytes) -> None:
    from gkdesk.fileio import atomic_write

    atomic_write(Path(path), data)
    print(path)


def _print_fields(specs) -> None:
    for spec in specs:
        flag = "必填" if spec.required else "可选"
        default = f"  默认：{spec.default}" if spec.default else ""
        print(f"{spec.key}\t{spec.label}（{flag}）{default}")


def _list_reply_fields_by_outcome(case) -> None:
    """The reply letter depends on the outcome, not chosen yet: the fields of each variant,
    headed by the outcomes (labels from the domain) that use it."""
    from gkdesk.documents import context, templates
    from gkdesk.domain import outcomes

    print(f"案件 {case.number} 尚未确定办理结果；答复书按办理结果分为以下几种，各需填写：", file=sys.stderr)
    by_letter: dict[str, list[str]] = {}
    for o in outcomes.OUTCOMES.values():
        by_letter.setdefault(o.letter, []).append(o.label)
    records = context.records_for(case)
    for letter, labels in by_letter.items():
        src = templates.current(f"reply.{letter}")
        _, specs = templates.resolve_fields(src, case, records, {})
        print(f"[{'、'.join(labels)}]")
        _print_fields(specs)


def cmd_render(args, opened) -> int:
    import datetime as dt

    from gkdesk.documents import service

    case = service.get_case(args.case)
    fields = dict(args.field)
    date = None
    if args.date:
        from gkdesk.documents.templates import parse_date

        date = parse_date(args.date)
        fields["date"] = args.date
    if args.list_fields:
        if args.doc == "reply" and not case.outcome:
            _list_reply_fields_by_outcome(case)
            return 0
        _print_fields(service.required_fields(args.doc, case))
        return 0
    out = args.output
    if args.stamp and not args.issue:
        raise ValidationError("电子印章只能加盖在正式出具的文书上：请同时使用 --issue", "--stamp")
    if out and not out.lower().endswith((".pdf", ".docx")):
        raise ValidationError(f"输出文件“{out}”应以 .pdf 或 .docx 结尾", "-o")
    if args.issue:
        doc = service.issue(case, args.doc, fields, _actor(), stamp=args.stamp, date=date)
        print(f"已出具 {doc.number}（SHA-256 {doc.sha256[:16]}…）", file=sys.stderr)
        if out and out.lower().endswith(".docx"):
            _write(out, service.document_docx(doc))
        elif out:
            _write(out, service.stored_pdf(doc))
        else:
            from gkdesk.db import current

            print(current().files_dir / doc.stored_path)
        return 0
    if not out:
        from gkdesk.domain import terms

        out = f"{terms.DOCUMENT_KINDS[args.doc].label}-{case.number}-草稿.pdf"
    if out.lower().endswith(".docx"):
        data = service.render_docx(case, args.doc, fields)
    else:
        data = service.render_pdf(case, args.doc, fields, seal_mark=args.seal_mark)
    _write(out, data)
    _ = dt
    return 0


def cmd_docs_list(args, opened) -> int:
    from gkdesk.documents import service
    from gkdesk.domain import terms

    for d in service.case_documents(args.case):
        when = d.issued_at.astimezone().strftime("%Y-%m-%d %H:%M") if d.issued_at else ""
        print("\t".join([str(d.id), d.number or "", terms.label_of(terms.DOCUMENT_KINDS, d.kind, d.kind),
                         service._status_label(d.status), "已盖章" if d.stamped else "", when, d.note]))
    return 0


def cmd_docs_export(args, opened) -> int:
    from gkdesk.documents import service

    if args.output.lower().endswith(".docx"):
        data = service.document_docx(args.id)
    elif args.stamp:
        data = service.stamped_copy(args.id, _actor())
    else:
        data = service.stored_pdf(args.id)
    _write(args.output, data)
    return 0


def cmd_docs_cancel(args, opened) -> int:
    from gkdesk.documents import service

    doc = service.cancel(args.id, args.reason, _actor())
    print(f"已作废 {doc.number}")
    return 0


def cmd_docs_batch(args, opened) -> int:
    from gkdesk.documents import service

    ids = list(args.ids)
    if args.case:
        ids += [d.id for d in service.case_documents(args.case) if d.status == "issued"]
    if not ids:
        raise ValidationError("请给出文书编号，或用 --case 选择案件", "ids")
    _write(args.output, service.batch_pdf(ids, seal_mark=not args.no_mark))
    return 0


def cmd_templates_list(args, opened) -> int:
    from gkdesk.documents import templates

    for t in templates.list_templates():
        ver = "默认" if t.version == 0 else f"第{t.version}版"
        fields = "、".join(f.label + ("" if f.required else "（可选）") for f in t.fields if f.key != "date")
        print(f"{t.name}\t{t.title}\t{ver}\t{fields}")
    return 0


def cmd_templates_show(args, opened) -> int:
    from gkdesk.documents import templates

    sys.stdout.write(templates.current(args.name).body)
    return 0


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(f"找不到文件“{path}”", "file") from None
    except UnicodeDecodeError:
        raise ValidationError(f"“{path}”不是 UTF-8 文本文件", "file") from None


def cmd_templates_check(args, opened) -> int:
    from gkdesk.documents import templates

    templates.validate(args.name, _read(args.file))
    print("模板检查通过")
    return 0


def cmd_templates_save(args, opened) -> int:
    from gkdesk.documents import templates

    row = templates.save(args.name, _read(args.file), _actor(), note=args.note)
    print(f"已保存“{args.name}”第{row.version}版")
    return 0


def cmd_templates_restore(args, opened) -> int:
    from gkdesk.documents import templates

    row = templates.restore_default(args.name, _actor())
    print(f"已恢复默认模板（第{row.version}版）")
    return 0


def cmd_seal_import(args, opened) -> int:
    from gkdesk.documents import stamp

    print(stamp.import_seal(args.file, _actor(), args.diameter))
    return 0


def cmd_seal_fonts(args, opened) -> int:
    from gkdesk.documents import fonts

    fs = fonts.fontset()
    fs.require_usable()
    for role, desc in fs.describe().items():
        print(f"{role}\t{desc}")
    return 0
