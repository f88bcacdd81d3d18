"""The county's catalogue as static web pages for the government website: ``index.html``
listing the fields, and one page per field (``<code>.html``) with the table in the
published layout (two header rows, 一级事项 spanning its items, √ in the mark columns).
HTML5, UTF-8, no scripts, no external files (a small inline style sheet), every text
escaped — ready to hand to the web team. Written atomically.
"""
from __future__ import annotations

import html
from pathlib import Path

from gkdesk.catalogue import export
from gkdesk.catalogue import items as svc
from gkdesk.catalogue.items import ItemData
from gkdesk.domain import catalogue as dom
from gkdesk.errors import ValidationError
from gkdesk.fileio import atomic_write

STYLE = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:1400px;
padding:0 1em;color:#222;line-height:1.6}
h1{font-size:1.5em;text-align:center}
p.meta{text-align:center;color:#555}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #666;padding:.35em .5em;vertical-align:middle}
th{background:#eef2f7;font-weight:bold;text-align:center}
td.n,td.mark{text-align:center;white-space:nowrap}
ul.fields{columns:3;list-style:none;padding:0}
ul.fields li{margin:.3em 0}
nav{margin:1em 0}
""".strip()


def _e(text) -> str:
    return html.escape(str(text or ""), quote=True).replace("\n", "<br>")


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"{_e(_generator())}\">\n"
            f"<title>{_e(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n")


def _generator() -> str:
    from gkdesk import creator

    return creator()


def field_table(rows: list[ItemData]) -> str:
    """The <table> of one field's items in the published layout."""
    head1 = ['<th rowspan="2">序号</th>', '<th colspan="2">公开事项</th>']
    head1 += [f'<th rowspan="2">{_e(f.label)}</th>' for f in dom.TEXT_FACTS if f.key not in ("level1", "level2")]
    head1 += [f'<th colspan="{len(g.marks)}">{_e(g.label)}</th>' for g in dom.MARK_GROUPS]
    head1.append(f'<th rowspan="2">{_e(dom.REMARK.label)}</th>')
    head2 = ['<th>一级事项</th>', '<th>二级事项</th>'] + [f'<th>{_e(m.label)}</th>' for m in dom.MARKS]
    out = ["<table>", "<thead>", "<tr>" + "".join(head1) + "</tr>", "<tr>" + "".join(head2) + "</tr>",
           "</thead>", "<tbody>"]
    spans: list[int] = []
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1].level1 == rows[i].level1:
            j += 1
        spans += [j - i + 1] + [0] * (j - i)
        i = j + 1
    for n, (d, span) in enumerate(zip(rows, spans), 1):
        cells = [f'<td class="n">{n}</td>']
        if span:
            cells.append(f'<td rowspan="{span}">{_e(d.level1)}</td>' if span > 1 else f"<td>{_e(d.level1)}</td>")
        cells.append(f"<td>{_e(d.level2)}</td>")
        cells += [f"<td>{_e(getattr(d, f.key))}</td>" for f in dom.TEXT_FACTS if f.key not in ("level1", "level2")]
        cells += [f'<td class="mark">{dom.MARK_OUT if getattr(d, m.key) else ""}</td>' for m in dom.MARKS]
        cells.append(f"<td>{_e(d.remark)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out) + "\n"


def export_html(version, folder) -> list[Path]:
    """Write index.html and a page per field of the county's catalogue; returns the files."""
    v = svc.get_version(version)
    labels = svc.field_labels()
    items = svc.county_items(v)
    if not items:
        raise ValidationError(f"版本“{v.name}”还没有任何单位的标准目录事项，无法导出", "版本")
    who = export.county_name()
    folder = Path(folder)
    by_field: dict[str, list] = {}
    for it in items:
        by_field.setdefault(it.field, []).append(it)
    written: list[Path] = []
    links = []
    order = {c: i for i, c in enumerate(labels)}
    for code in sorted(by_field, key=lambda c: order.get(c, 999)):
        its = by_field[code]
        first: dict[str, int] = {}
        for i, it in enumerate(its):
            first.setdefault(it.level1, i)
        its = sorted(its, key=lambda it: (first[it.level1], its.index(it)))
        label = labels.get(code, code)
        title = f"{who}{label}领域基层政务公开标准目录"
        body = (f"<nav><a href=\"index.html\">返回标准目录首页</a></nav>\n<h1>{_e(title)}</h1>\n"
                f"<p class=\"meta\">{_e(v.name)}　共{len(its)}项</p>\n"
                + field_table([ItemData.of(it) for it in its]))
        path = folder / f"{code}.html"
        atomic_write(path, _page(title, body).encode("utf-8"))
        written.append(path)
        links.append(f'<li><a href="{_e(path.name)}">{_e(label)}</a>（{len(its)}项）</li>')
    title = f"{who}政务公开事项标准目录"
    body = (f"<h1>{_e(title)}</h1>\n<p class=\"meta\">{_e(v.name)}　共{len(items)}项，{len(links)}个领域</p>\n"
            "<ul class=\"fields\">\n" + "\n".join(links) + "\n</ul>\n")
    index = folder / "index.html"
    atomic_write(index, _page(title, body).encode("utf-8"))
    return [index] + written
