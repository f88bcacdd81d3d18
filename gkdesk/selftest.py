"""``gkdesk --self-test``: prove that this installation works end to end.

In a fresh temporary data folder and database it registers a case, walks it through the
process, renders a letter to PDF, writes a .docx and the ledger as .xlsx and reads both
back, exports the annual-report tables (xlsx and PDF), makes and verifies a backup, and
builds the main window (every page) offscreen. Each step prints ``[ OK ]`` or ``[FAIL]``
with the reason; the exit code is 0 only when every step passed.

It is written for the frozen app first (CI builds the PyInstaller bundle and runs it):
every step touches something PyInstaller must have bundled — the ``resources/`` and
``docs/`` folders, the Qt platform and image plugins, reportlab, python-docx's default
template, openpyxl, pypinyin's dictionaries, chinese-calendar's schedule, the gkdesk
modules the GUI and the CLI import by name. The user's own data and settings are never
touched (``GKDESK_DATA_DIR`` points at the temporary folder while it runs; Qt settings go
to an INI file there). ``GKDESK_SELFTEST_KEEP=1`` keeps the folder for a look afterwards.

The Qt platform is ``offscreen`` unless ``QT_QPA_PLATFORM`` says otherwise (CI also runs
it with ``xcb`` under Xvfb to prove the X11 plugin loads).
"""
from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

# A fixed, known stretch of the 2026 calendar, so the self-test is the same any day it
# runs: received Monday 2 March 2026; every action is dated before "today" (25 March).
RECEIVED = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 3, 25)
APPLICANT = "张三"


class SelfTestFailure(Exception):
    """A check inside a step did not hold; the message says what was expected."""


def check(condition, message: str) -> None:
    if not condition:
        raise SelfTestFailure(message)


@dataclass
class Outcome:
    name: str
    ok: bool
    detail: str = ""
    seconds: float = 0.0


@dataclass
class State:
    folder: Path
    db_path: Path
    case_id: int | None = None
    case_number: str = ""
    opened: object = None
    notes: list[str] = field(default_factory=list)
    screenshot: Path | None = None      # --screenshot FILE: the main window, grabbed by the app


def _say(line: str) -> None:
    out = sys.stdout
    if out is None:  # a windowed Windows build has no console
        return
    try:
        out.write(line + "\n")
    except UnicodeEncodeError:
        out.write(line.encode("ascii", "backslashreplace").decode("ascii") + "\n")
    out.flush()


# ---------------------------------------------------------------------------- the steps

def step_environment(st: State) -> str:
    from gkdesk import __version__, resources

    res = resources.resources_dir()
    check(res.is_dir(), f"找不到资源文件夹 resources（查找位置：{res}）")
    # gkdesk's own CJK font and its licence: every installation carries them
    for rel in (("style", "gkdesk.qss"), ("icons", "gkdesk.svg"), ("fonts", "LXGWWenKai-Regular.ttf"),
                ("fonts", "OFL.txt")):
        check(res.joinpath(*rel).is_file(), f"资源文件缺失：{res.joinpath(*rel)}")
    templates = res / "templates"
    check(templates.is_dir() and any(templates.glob("*.j2")), f"文书模板缺失：{templates} 中没有 .j2 文件")
    docs = resources.docs_dir()
    check((docs / resources.GUIDE_INDEX).is_file(), f"用户手册缺失：{docs / resources.GUIDE_INDEX}")
    if resources.is_frozen():
        frozen = "安装版（PyInstaller）"
    elif (Path(sys.executable).parent / "python311._pth").is_file():
        frozen = "安装版（Windows 嵌入式 Python）"     # installer/windows/gkdesk.nsi
    else:
        frozen = "源码运行"
    import importlib.util

    pg = "有" if importlib.util.find_spec("psycopg2") is not None else "无（仅 SQLite）"
    return (f"gkdesk {__version__}，{frozen}，Python {platform.python_version()}，"
            f"{platform.system()} {platform.machine()}；PostgreSQL 支持：{pg}；资源：{res}")


def step_database(st: State) -> str:
    from gkdesk.db import migrations, open_database

    st.opened = open_database(st.db_path)
    version = migrations.schema_version()
    check(version == migrations.LATEST, f"数据库版本为 {version}，应为 {migrations.LATEST}")
    check(st.db_path.is_file(), f"数据库文件未创建：{st.db_path}")
    return f"新建数据库 {st.db_path.name}，结构版本 {version}"


def step_calendar(st: State) -> str:
    import chinese_calendar

    from gkdesk.cases import deadlines
    from gkdesk.cases.registry import initials

    # chinese-calendar's official schedule: National Day is a holiday, the Saturday make-up
    # day before the Spring Festival 2026 (14 February) is a working day.
    check(chinese_calendar.is_holiday(dt.date(2026, 10, 1)), "节假日数据缺失：2026年10月1日应为节假日")
    check(chinese_calendar.is_workday(dt.date(2026, 2, 14)), "调休数据缺失：2026年2月14日（星期六）应为工作日")
    due = deadlines.due_from(RECEIVED)
    # 20 working days counted from the day after receipt, no holiday in March 2026.
    check(due.date == dt.date(2026, 3, 30), f"答复期限计算有误：{due.date}，应为 2026-03-30")
    got = initials(APPLICANT)
    check(got == "zs", f"拼音首字母有误：{APPLICANT} → {got!r}，应为 'zs'")
    return "节假日与调休数据、答复期限计算、拼音首字母均正常"


def step_register(st: State) -> str:
    from gkdesk.cases import registry

    app = registry.ApplicationInput(
        applicant_kind="natural", applicant_name=APPLICANT, id_type="resident_id",
        id_number="110101199003074514", phone="13800138000",
        address="某某区某某路2号", postcode="362800",
        content="请公开2025年本区老旧小区改造项目的资金使用情况。",
        purpose="了解本小区改造情况", form_wanted="paper", receive_method="post",
        channel="in_person", received_date=RECEIVED)
    case = registry.register(app, user="selftest", today=TODAY)
    st.case_id, st.case_number = case.id, case.number
    check(case.stage == "registered", f"登记后阶段为 {case.stage}，应为 registered")
    check(case.due_date == dt.date(2026, 3, 30), f"答复期限为 {case.due_date}，应为 2026-03-30")
    return f"{case.number}（申请人{APPLICANT}，答复期限 {case.due_date:%Y-%m-%d}）"


def step_workflow(st: State) -> str:
    from gkdesk.actors import SYSTEM
    from gkdesk.cases import workflow
    from gkdesk.db.models import CaseEvent

    cid = st.case_id
    check(cid is not None, "没有已登记的案件")
    walk = [
        ("correction_notice", dict(notice_date=dt.date(2026, 3, 4), what_to_add="请明确具体小区名称",
                                   period_end=dt.date(2026, 3, 18)), "correcting"),
        ("correction_received", dict(received_date=dt.date(2026, 3, 10)), "registered"),
        ("accept", dict(section="政务公开科", handler="李四"), "handling"),
        ("reply", dict(outcome="disclosed", reply_date=dt.date(2026, 3, 20),
                       provided_description="随答复书提供项目资金使用情况表一份"), "replied"),
        ("deliver", dict(method="electronic", delivery_date=dt.date(2026, 3, 23)), "delivered"),
    ]
    for code, inputs, stage in walk:
        case = workflow.perform(cid, code, SYSTEM, today=TODAY, **inputs)
        check(case.stage == stage, f"“{workflow.ACTIONS[code].label}”后阶段为 {case.stage}，应为 {stage}")
    events = CaseEvent.select().where(CaseEvent.case == cid).count()
    check(events >= 1 + len(walk), f"审计记录只有 {events} 条")
    return f"补正告知 → 收到补正 → 审核通过 → 答复 → 送达，共 {events} 条审计记录"


def _render_letter_pdf(st: State) -> tuple[bytes, str]:
    """The letter through the real document pipeline (fonts: the office's, else gkdesk's own)."""
    from gkdesk.documents import service

    return service.selftest_render(st.case_id) if hasattr(service, "selftest_render") else \
        service.render_pdf(service.get_case(st.case_id), "reply", {}), "gkdesk.documents.service"


def step_letter(st: State) -> str:
    from gkdesk import fileio

    data, how = _render_letter_pdf(st)
    check(data[:5] == b"%PDF-", "生成的文件不是 PDF")
    check(b"/FontFile2" in data, "PDF 中没有嵌入 TrueType 字体（中文无法显示）")
    if how != "reportlab":
        from gkdesk import __version__

        check(f"gkdesk {__version__}".encode() in data, f"PDF 元数据中没有版本号 gkdesk {__version__}")
    out = st.folder / "letter.pdf"
    fileio.atomic_write(out, data)
    check(out.stat().st_size == len(data), "PDF 写入不完整")
    return f"{out.name}，{len(data) // 1024} KB，已嵌入中文字体（{how}）"


def _documents_service():
    try:
        from gkdesk.documents import service
    except ModuleNotFoundError as exc:
        if exc.name not in ("gkdesk.documents", "gkdesk.documents.service"):
            raise
        return None
    return service


def step_docx(st: State) -> str:
    import io

    import docx

    from gkdesk import fileio

    out = st.folder / "letter.docx"
    service = _documents_service()
    if service is not None and hasattr(service, "render_docx"):
        data = service.render_docx(service.get_case(st.case_id), "reply", {})
        how = "答复书"
        expect = APPLICANT
    else:
        d = docx.Document()  # opens python-docx's bundled default template
        d.add_paragraph(f"{APPLICANT}：本机关已收到您的申请（{st.case_number}）。")
        buf = io.BytesIO()
        d.save(buf)
        data, how, expect = buf.getvalue(), "python-docx 默认模板", st.case_number
    fileio.atomic_write(out, data)
    again = docx.Document(str(out))
    text = "\n".join(p.text for p in again.paragraphs)
    text += "\n".join(c.text for t in again.tables for r in t.rows for c in r.cells)
    check(expect in text, f"重新打开的 .docx 中找不到“{expect}”")
    return f"{out.name}（{how}），{len(data) // 1024} KB，重新打开核对无误"


def step_xlsx(st: State) -> str:
    import openpyxl

    out = st.folder / "ledger.xlsx"
    try:
        from gkdesk.reports import ledger
    except ModuleNotFoundError as exc:
        if exc.name != "gkdesk.reports.ledger":
            raise
        ledger = None
    if ledger is not None:
        rows = ledger.export_ledger(out)
        check(rows == 1, f"台账导出 {rows} 行，应为 1 行")
        how = "政府信息公开台账"
    else:  # pragma: no cover - the ledger module exists since 0.1.0
        wb = openpyxl.Workbook()
        wb.active.append(["受理编号", "申请人"])
        wb.active.append([st.case_number, APPLICANT])
        wb.save(out)
        how = "最小工作簿"
    wb = openpyxl.load_workbook(out, read_only=True)
    found = any(st.case_number in str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                for v in row if v is not None)
    wb.close()
    check(found, "重新打开的 .xlsx 中找不到受理编号")
    if ledger is not None:
        # and imported back: the importer reads the file gkdesk itself wrote
        parsed = ledger.read_ledger(out, today=TODAY)
        check(not parsed.problems, "台账导入检查不通过：" + "；".join(parsed.problems[:3]))
        numbers = [lr.values.get("受理编号") for lr in parsed.rows]
        check(numbers == [st.case_number], f"导入读出的受理编号为 {numbers}，应为 [{st.case_number}]")
        from gkdesk.reports import xlsx_rows

        reader = xlsx_rows._reader()
        problem = xlsx_rows.calamine_problem()
        # a build without the fast reader is a packaging error; a system that cannot load it
        # (Wine 8: no bcryptprimitives.dll) still imports, with openpyxl, about ten times slower
        check(reader == "calamine" or os.environ.get("GKDESK_XLSX_READER") or (problem or "").startswith("python-calamine"),
              "缺少 python-calamine 组件：台账导入会改用 openpyxl，慢约十倍（安装包应包含它）")
        how += f"，导出后再导入核对一致（读取：{reader}"
        how += f"；{problem}，改用 openpyxl，较慢）" if reader != "calamine" and problem else "）"
    return f"{out.name}（{how}），重新打开核对无误"


def step_annual(st: State) -> str:
    try:
        from gkdesk.reports import annual, annual_xlsx
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("gkdesk.reports"):
            raise
        return "年度报告模块尚未实现，跳过"
    import openpyxl

    problems = annual.check(RECEIVED.year)
    check(not problems, f"年度报告核对不通过：{problems[:3]}")
    t3 = annual.table3(RECEIVED.year)
    xlsx = annual_xlsx.export_xlsx(RECEIVED.year, st.folder / "annual.xlsx")
    pdf_path = annual_xlsx.export_pdf(RECEIVED.year, st.folder / "annual.pdf")
    wb = openpyxl.load_workbook(xlsx)
    sheets = len(wb.worksheets)
    wb.close()
    check(sheets >= 2, f"年度报告 xlsx 只有 {sheets} 个工作表")
    check(Path(pdf_path).read_bytes()[:5] == b"%PDF-", "年度报告 PDF 不是 PDF 文件")
    return f"{RECEIVED.year}年表三、表四核对通过（{len(t3)}行），已导出 xlsx（{sheets}个工作表）和 PDF"


def step_backup(st: State) -> str:
    try:
        from gkdesk import backup
    except ModuleNotFoundError as exc:
        if exc.name != "gkdesk.backup":
            raise
        return "备份模块尚未实现，跳过"
    info = backup.create_backup(st.folder / "backups", kind="manual")
    problems = backup.verify_backup(info.path)
    check(not problems, "备份校验不通过：" + "；".join(problems[:3]))
    check(info.case_count == 1, f"备份中的案件数为 {info.case_count}，应为 1")
    # restored into another database file, which then holds the case
    import sqlite3

    target = st.folder / "恢复 测试" / "恢复的数据库.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    result = backup.restore(info.path, target, files_dir=target.parent / "files",
                            safety_dir=target.parent / "safety")
    con = sqlite3.connect(str(result.target))
    try:
        numbers = [r[0] for r in con.execute("SELECT number FROM \"case\"")]
    finally:
        con.close()
    check(numbers == [st.case_number], f"恢复出的数据库中案件为 {numbers}，应为 [{st.case_number}]")
    return (f"{Path(info.path).name}，{Path(info.path).stat().st_size // 1024} KB，校验无误；"
            f"已恢复到“{target.parent.name}”中的新数据库，案件 {st.case_number} 在")


def step_paths(st: State) -> str:
    """Every file of the self-test lives under a folder whose name has Chinese characters
    and a space (like 「D:\\政务 资料」 or a Windows user called 张三)."""
    from gkdesk.db.connection import current

    path = str(st.db_path)
    check(any("\u4e00" <= c <= "\u9fff" for c in path) and " " in path,
          f"自检的数据库路径应含中文和空格：{path}")
    opened = current().path
    check(opened is not None and opened.resolve() == st.db_path.resolve(),
          f"打开的数据库（{opened}）不是自检的数据库")
    made = sorted(p.name for p in st.folder.iterdir())
    return f"数据库、文书、导出和备份都在“{st.folder}”下（{len(made)}项），均可读写"


def _second_process(*args: str) -> list[str]:
    """The command line that runs this gkdesk again (frozen app, or python -m gkdesk)."""
    from gkdesk import resources

    if resources.is_frozen():
        return [sys.executable, *args]
    return [sys.executable, "-m", "gkdesk", *args]


HOLD_FLAG = "--self-test-hold"


def hold_main(argv: list[str]) -> int:
    """The second process of the lock step: ``--self-test-hold db|file PATH SECONDS READY``
    holds the database's write lock (BEGIN IMMEDIATE) or keeps ``PATH`` open, writes
    ``READY`` once it holds it, and lets go after ``SECONDS``."""
    what, path, seconds, ready = argv[:4]
    if what == "db":
        import sqlite3

        con = sqlite3.connect(path, timeout=10, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        Path(ready).write_text("ok", encoding="utf-8")
        time.sleep(float(seconds))
        con.execute("ROLLBACK")
        con.close()
    else:
        with open(path, "rb"):
            Path(ready).write_text("ok", encoding="utf-8")
            time.sleep(float(seconds))
    return 0


def _hold(what: str, path: Path, seconds: float, st: State):
    import subprocess

    ready = st.folder / f"ready-{what}.txt"
    ready.unlink(missing_ok=True)
    proc = subprocess.Popen(_second_process(HOLD_FLAG, what, str(path), str(seconds), str(ready)),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not ready.exists():
        if proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace")[-400:]
            raise SelfTestFailure(f"第二个进程没能启动（退出码 {proc.returncode}）：{err}")
        check(time.monotonic() < deadline, "第二个进程 60 秒内没有就绪")
        time.sleep(0.05)
    return proc


def step_locks(st: State) -> str:
    """A second gkdesk process holds the database's write lock: this one's write waits and
    then succeeds (no 「database is locked」). Then a second process keeps an exported file
    open: replacing it either succeeds (Linux) or is refused with the old file intact and no
    temporary file left (Windows, where an open file cannot be replaced)."""
    from gkdesk import fileio, settings

    hold = 1.5
    proc = _hold("db", st.db_path, hold, st)
    t0 = time.perf_counter()
    try:
        settings.save({"office.name": settings.get("office.name")}, user="system")
    finally:
        proc.wait(timeout=60)
    waited = time.perf_counter() - t0
    check(proc.returncode == 0, f"持锁的第二个进程退出码 {proc.returncode}")
    check(waited >= hold * 0.5, f"写入没有等待另一个进程的写锁（只用了 {waited:.2f} 秒）")

    target = st.folder / "导出 文件.xlsx"
    fileio.atomic_write(target, b"old")
    proc = _hold("file", target, 1.0, st)
    try:
        try:
            fileio.atomic_write(target, b"new")
            outcome = "替换成功"
        except fileio.FileInUse as exc:
            check(sys.platform.startswith("win"), "非 Windows 系统上替换被另一进程打开的文件失败")
            check(target.read_bytes() == b"old", "替换失败后原文件被改动")
            check("正被其他程序打开" in str(exc), f"提示不清楚：{exc}")
            outcome = "Windows 拒绝替换，提示“文件正被其他程序打开”，原文件完好"
    finally:
        proc.wait(timeout=60)
    left = [p.name for p in st.folder.iterdir() if p.name.startswith(".") or p.suffix in (".tmp", ".part")]
    check(not left, f"留下了临时文件：{left}")
    return (f"另一进程持有数据库写锁 {hold} 秒，本进程等待 {waited:.1f} 秒后写入成功；"
            f"另一进程打开导出文件时再导出：{outcome}")


def step_gui(st: State) -> str:
    """The Qt part lives in ``gkdesk.ui.selftest`` (core imports no Qt; like ``cli.py`` this
    module only reaches the GUI package lazily)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gkdesk.ui.selftest import check_gui

    return check_gui(st.folder, st.opened, screenshot=st.screenshot)


STEPS: tuple[tuple[str, Callable[[State], str]], ...] = (
    ("运行环境与资源文件", step_environment),
    ("新建数据库", step_database),
    ("节假日与拼音数据", step_calendar),
    ("登记申请", step_register),
    ("办理流程", step_workflow),
    ("生成答复书 PDF", step_letter),
    ("生成 Word 文书", step_docx),
    ("导出台账 Excel", step_xlsx),
    ("年度报告", step_annual),
    ("备份与恢复", step_backup),
    ("中文与空格路径", step_paths),
    ("另一进程加锁", step_locks),
    ("图形界面", step_gui),
)
# Steps that cannot run once an earlier one failed (they need its result).
NEEDS = {"办理流程": "登记申请", "登记申请": "新建数据库", "生成答复书 PDF": "登记申请",
         "导出台账 Excel": "登记申请", "图形界面": "新建数据库", "生成 Word 文书": "登记申请",
         "年度报告": "办理流程", "备份与恢复": "新建数据库", "中文与空格路径": "新建数据库",
         "另一进程加锁": "新建数据库"}


def run_steps(st: State) -> list[Outcome]:
    results: dict[str, Outcome] = {}
    for name, fn in STEPS:
        need = NEEDS.get(name)
        if need and not results[need].ok:
            res = Outcome(name, False, f"跳过：前一步“{need}”失败")
        else:
            t0 = time.perf_counter()
            try:
                res = Outcome(name, True, fn(st) or "")
            except SelfTestFailure as exc:
                res = Outcome(name, False, str(exc))
            except Exception as exc:  # noqa: BLE001 - every failure is reported, none hidden
                tb = traceback.format_exc(limit=6).rstrip()
                res = Outcome(name, False, f"{type(exc).__name__}: {exc}\n{tb}")
            res.seconds = time.perf_counter() - t0
        results[name] = res
        mark = "[ OK ]" if res.ok else "[FAIL]"
        _say(f"{mark} {name}：{res.detail}" + (f"（{res.seconds:.1f} 秒）" if res.seconds >= 0.05 else ""))
    return list(results.values())


def run_self_test(screenshot: str | os.PathLike | None = None) -> int:
    """Run every step in a throw-away data folder; 0 when all passed, 1 otherwise.
    ``screenshot``: save the main window as PNG there (grabbed from inside the app)."""
    from gkdesk import __version__

    # a name with Chinese characters and a space: every path of the self-test has both
    folder = Path(tempfile.mkdtemp(prefix="gkdesk-selftest-自检 "))
    saved_env = os.environ.get("GKDESK_DATA_DIR")
    os.environ["GKDESK_DATA_DIR"] = str(folder / "data")
    st = State(folder=folder, db_path=folder / "data" / "gkdesk.sqlite3",
               screenshot=Path(screenshot).resolve() if screenshot else None)
    _say(f"gkdesk {__version__} 自检（临时文件夹：{folder}）")
    t0 = time.perf_counter()
    try:
        results = run_steps(st)
    finally:
        try:
            from gkdesk.db import close_database

            close_database()
        except Exception:  # noqa: BLE001 - closing must not mask the verdict
            pass
        if saved_env is None:
            os.environ.pop("GKDESK_DATA_DIR", None)
        else:
            os.environ["GKDESK_DATA_DIR"] = saved_env
        if os.environ.get("GKDESK_SELFTEST_KEEP") != "1":
            shutil.rmtree(folder, ignore_errors=True)
    failed = [r for r in results if not r.ok]
    took = time.perf_counter() - t0
    if failed:
        _say(f"自检未通过：{len(failed)} 项失败（{'、'.join(r.name for r in failed)}），用时 {took:.1f} 秒")
        return 1
    _say(f"自检通过：{len(results)} 项全部正常，用时 {took:.1f} 秒")
    return 0
