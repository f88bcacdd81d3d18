"""The ledger (台账) at scale against its floors, measured in one run (``run.py --only ledger``).

Export: gkdesk's ``export_ledger`` of every case (the database read, the labels, the file)
against the floor of writing the same cells — the rows already in memory — with XlsxWriter
in constant-memory mode, the fastest well-kept writer found (openpyxl's write-only mode is
timed too, for comparison). Import: gkdesk's ``import_ledger`` of that file into a fresh
database (every check, the numbering, the due dates, the side records, one audit event per
case, one transaction) against the issue's floor: openpyxl read-only reading the same
workbook and peewee ``insert_many`` of the rows into the case table in one transaction; and
against a stricter floor that reads with python-calamine instead.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path


def _fresh(path: Path) -> None:
    from gkdesk.db import close_database, open_database

    close_database()
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    open_database(path)


def _write_header(wb, ws, ledger) -> None:
    for i, h in enumerate(ledger.HEADERS):
        ws.set_column(i, i, 13)
    ws.freeze_panes(1, 1)
    ws.write_row(0, 0, ledger.HEADERS, wb.add_format({"bold": True, "align": "center", "valign": "vcenter"}))


def export_floor(rows: list[tuple], path: Path) -> float:
    """The same cells (header, text, dates as yyyy-mm-dd) with bare XlsxWriter."""
    import xlsxwriter

    from gkdesk.reports import ledger

    t0 = time.perf_counter()
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "default_date_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("台账")
    _write_header(wb, ws, ledger)
    for n, row in enumerate(rows, start=1):
        ws.write_row(n, 0, row)
    wb.close()
    return time.perf_counter() - t0


def export_openpyxl(rows: list[tuple], path: Path) -> float:
    """The same cells with openpyxl's write-only mode (what gkdesk used before)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from gkdesk.reports import ledger

    date_idx = [i for i, c in enumerate(ledger.COLUMNS) if c.kind == "date"]
    t0 = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(list(ledger.HEADERS))
    for row in rows:
        out = list(row)
        for i in date_idx:
            if out[i] is not None:
                cell = WriteOnlyCell(ws, value=out[i])
                cell.number_format = "yyyy-mm-dd"
                out[i] = cell
        ws.append(out)
    wb.save(path)
    return time.perf_counter() - t0


def _floor_rows(values_iter):
    """Case rows for insert_many from the ledger's cells (labels → codes by dict, no checks)."""
    from gkdesk.domain import terms
    from gkdesk.reports import ledger

    kinds = {t.label: c for c, t in terms.APPLICANT_KINDS.items()}
    channels = {t.label: c for c, t in terms.CHANNELS.items()}
    col = {h: i for i, h in enumerate(ledger.HEADERS)}
    now = dt.datetime.now(dt.timezone.utc).isoformat()
    for serial, v in enumerate(values_iter, start=1):
        received = v[col["收到申请日期"]]
        received = received.date() if isinstance(received, dt.datetime) else received
        yield {"number": v[col["受理编号"]], "year": received.year, "serial": serial,
               "applicant_kind": kinds.get(v[col["申请人类型"]], "natural"), "applicant_name": v[col["申请人"]],
               "id_number": v[col["证件号码"]] or "", "phone": v[col["联系电话"]] or "",
               "address": v[col["通讯地址"]] or "", "email": v[col["电子邮箱"]] or "",
               "content": v[col["申请内容"]], "channel": channels.get(v[col["申请渠道"]], ""),
               "received_date": received, "clock_start": received, "stage": "registered",
               "due_date": received, "reply_number": v[col["答复文号"]] or "", "section": v[col["承办股室"]] or "",
               "handler": v[col["承办人"]] or "", "note": v[col["备注"]] or "", "registered_by": "floor",
               "created_at": now, "updated_at": now}


def _insert(rows) -> int:
    from gkdesk.db.models import Case, db

    n = 0
    batch = []
    with db.atomic():
        for r in rows:
            batch.append(r)
            if len(batch) == 500:                 # 500 rows × 26 values: under SQLite's variable limit
                Case.insert_many(batch).execute()
                n += len(batch)
                batch = []
        if batch:
            Case.insert_many(batch).execute()
            n += len(batch)
    return n


def import_floor_openpyxl(path: Path) -> tuple[float, int]:
    from openpyxl import load_workbook

    t0 = time.perf_counter()
    wb = load_workbook(path, read_only=True)
    rows = wb.worksheets[0].iter_rows(min_row=2, values_only=True)
    n = _insert(_floor_rows(rows))
    wb.close()
    return time.perf_counter() - t0, n


def import_floor_calamine(path: Path) -> tuple[float, int]:
    from python_calamine import CalamineWorkbook

    t0 = time.perf_counter()
    wb = CalamineWorkbook.from_path(str(path))
    data = wb.get_sheet_by_index(0).to_python()
    n = _insert(_floor_rows(([x if x != "" else None for x in r] for r in data[1:])))
    wb.close()
    return time.perf_counter() - t0, n


def measure(res, cfg, log) -> None:
    import statistics

    from gkdesk.actors import SYSTEM
    from gkdesk.db import close_database, open_database
    from gkdesk.reports import ledger

    out = cfg.scratch / "ledger.xlsx"
    rows = list(ledger.ledger_rows())
    exp, floor, opx = [], [], []
    for i in range(cfg.heavy_runs):              # gkdesk, floor, openpyxl, gkdesk, …
        t0 = time.perf_counter()
        n = ledger.export_ledger(out)
        exp.append(time.perf_counter() - t0)
        floor.append(export_floor(rows, cfg.scratch / "floor.xlsx"))
        opx.append(export_openpyxl(rows, cfg.scratch / "openpyxl.xlsx"))
        log(f"  export {i + 1}/{cfg.heavy_runs}: gkdesk {exp[-1]:.1f} s, XlsxWriter floor {floor[-1]:.1f} s, "
            f"openpyxl write-only {opx[-1]:.1f} s")
    size = out.stat().st_size / 1e6
    k = f"{n:,} rows, {size:.1f} MB; median of {cfg.heavy_runs}, alternating"
    res.set("ledger_export_s", statistics.median(exp), k, exp)
    res.set("ledger_export_floor_s", statistics.median(floor), "the same cells from memory, XlsxWriter "
                                                               f"constant_memory; {k}", floor)
    res.set("ledger_export_ratio", statistics.median(a / b for a, b in zip(exp, floor)), "median of the paired ratios")
    res.set("ledger_export_openpyxl_s", statistics.median(opx), f"the same cells, openpyxl write_only; {k}", opx)
    del rows
    src = cfg.db
    fresh = cfg.scratch / "import" / "fresh.sqlite3"
    fresh.parent.mkdir(exist_ok=True)
    imp, fl1, fl2 = [], [], []
    try:
        for i in range(cfg.heavy_runs):
            _fresh(fresh)
            t0 = time.perf_counter()
            result = ledger.import_ledger(out, SYSTEM)
            imp.append(time.perf_counter() - t0)
            assert result.created == n, result.summary()
            _fresh(fresh)
            t, m = import_floor_openpyxl(out)
            fl1.append(t)
            assert m == n
            _fresh(fresh)
            t, m = import_floor_calamine(out)
            fl2.append(t)
            assert m == n
            log(f"  import {i + 1}/{cfg.heavy_runs}: gkdesk {imp[-1]:.1f} s, floor (openpyxl + insert_many) "
                f"{fl1[-1]:.1f} s, floor (calamine + insert_many) {fl2[-1]:.1f} s")
    finally:
        close_database()
        open_database(src)
    k = f"{n:,} rows into a fresh database; median of {cfg.heavy_runs}, alternating"
    res.set("ledger_import_s", statistics.median(imp), f"every check, numbers, due dates, side records, "
                                                       f"{n:,} audit events, one transaction; {k}", imp)
    res.set("ledger_import_floor_s", statistics.median(fl1), f"openpyxl read_only + peewee insert_many of the "
                                                             f"case rows, one transaction; {k}", fl1)
    res.set("ledger_import_ratio", statistics.median(a / b for a, b in zip(imp, fl1)), "median of the paired ratios")
    res.set("ledger_import_floor2_s", statistics.median(fl2), f"python-calamine + peewee insert_many; {k}", fl2)
    res.set("ledger_import_ratio2", statistics.median(a / b for a, b in zip(imp, fl2)), "median of the paired ratios")
