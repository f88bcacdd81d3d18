"""Screenshots of the real windows for the user guide, from the running app on demo data.

    .venv/bin/python docs/make_screenshots.py            # all shots into docs/images/
    .venv/bin/python docs/make_screenshots.py main-cases # only some
    .venv/bin/python docs/make_screenshots.py --out DIR  # somewhere else (the tests do)

It makes a demo database (``gkdesk demo --count 300 --seed 1``) in a temporary data
folder, starts the GUI offscreen with the same font and style sheet as the real app, opens
each window the guide talks about, grabs it with ``QWidget.grab()`` and saves a PNG no
wider than 1200 px, reduced to 64 colours (the repository stays lean). A shot whose
window is not built yet is reported as TODO and the old image, if any, is left alone.
Nothing outside the temporary folder and ``docs/images/`` is touched.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
MAX_WIDTH = 1200
COLOURS = 64          # UI screenshots stay crisp with 64 colours at a third less size
WINDOW_SIZE = (1280, 800)
DEMO_TODAY = "2026-11-20"   # the demo's "today": the same cases every time


class NotBuiltYet(Exception):
    """The window this shot needs does not exist in this build."""


@dataclass
class Shot:
    name: str          # docs/images/<name>.png
    title: str         # what it shows (printed)
    make: Callable     # make(env) -> QWidget to grab


class Env:
    def __init__(self, app, ctx, window):
        self.app, self.ctx, self.window = app, ctx, window
        self.opened: list = []

    def settle(self, seconds: float = 0.4, until: Callable[[], bool] | None = None,
               limit: float = 20.0) -> None:
        """Let layouts, background previews and repaints finish: at least ``seconds``, and
        until ``until()`` holds (at most ``limit`` seconds)."""
        start = time.monotonic()
        while True:
            elapsed = time.monotonic() - start
            if elapsed >= seconds and (until is None or until() or elapsed >= limit):
                break
            self.app.processEvents()
            self.ctx.wait_for_background(50)
            time.sleep(0.02)
        self.app.processEvents()

    def case(self, **where):
        """A demo case matching ``where`` (field=value), the lowest id for stable shots."""
        from gkdesk.db.models import Case

        q = Case.select().order_by(Case.id)
        for key, value in where.items():
            field = getattr(Case, key)
            q = q.where(field.in_(value) if isinstance(value, tuple) else field == value)
        c = q.first()
        if c is None:
            raise NotBuiltYet(f"演示数据中没有符合 {where} 的案件")
        return c

    def page(self, key: str):
        from gkdesk.ui.main_window import ErrorPage

        page = self.window.show_page(key)
        if isinstance(page, ErrorPage):   # a page that failed to build is a broken build, not a TODO
            raise RuntimeError(f"页面“{key}”加载失败：{page.detail}")
        self.settle()
        return page

    def keep(self, widget):
        self.opened.append(widget)
        return widget


def _import(module: str, name: str):
    import importlib

    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            raise NotBuiltYet(f"{module} 尚未实现") from None
        raise
    obj = getattr(mod, name, None)
    if obj is None:
        raise NotBuiltYet(f"{module}.{name} 尚未实现")
    return obj


# ---------------------------------------------------------------------------- the shots

def shot_first_run(env: Env):
    cls = _import("gkdesk.ui.login", "FirstRunDialog")
    dlg = env.keep(cls(env.window))
    dlg.show()
    env.settle()
    return dlg


def shot_login(env: Env):
    cls = _import("gkdesk.ui.login", "LoginDialog")
    dlg = env.keep(cls(env.window, settings=env.ctx.settings))
    dlg.show()
    env.settle()
    return dlg


def shot_main_window(env: Env):
    env.page("dashboard")
    return env.window


def shot_main_cases(env: Env):
    env.page("cases")
    return env.window


EXAMPLE = {
    "applicant_name": "张三", "id_number": "110101199003074514", "phone": "13800138000",
    "address": "某某区某某路2号", "postcode": "362800",
    "content": "请公开2025年本区老旧小区改造项目的资金使用情况。", "purpose": "了解本小区改造情况",
}


def shot_register(env: Env):
    dlg = env.keep(env.window.open_register_dialog())
    # the applicant of an answered demo case asks again: the dialog's repeat warning shows
    earlier = env.case(stage="archived", applicant_kind="natural")
    values = dict(EXAMPLE, applicant_name=earlier.applicant_name, id_number=earlier.id_number,
                  content=earlier.content)
    for key, value in values.items():
        w = dlg.fields.get(key) if hasattr(dlg, "fields") else getattr(dlg, key, None)
        if w is None:
            continue
        (w.setPlainText if hasattr(w, "setPlainText") else w.setText)(value)
    if hasattr(dlg, "check_repeat"):
        dlg.check_repeat()
    env.settle()
    return dlg


def _case_window(env: Env, case):
    w = env.window.open_case(case.id)
    if w is None or not hasattr(w, "open_action"):
        if w is not None:
            w.close()
        raise NotBuiltYet("案件窗口尚未实现")
    env.keep(w)
    w.resize(1180, 780)
    env.settle()
    return w


def registered_case(env: Env):
    """A freshly registered application (the demo's cases have all moved on)."""
    from gkdesk.cases import registry

    if getattr(env, "_registered", None) is None:
        env._registered = registry.register(registry.ApplicationInput(
            received_date=dt.date.today(), channel="in_person", **EXAMPLE), user="wangfang")
        env.ctx.notify_cases_changed(env._registered.id)
    return env._registered


def shot_case_window(env: Env):
    return _case_window(env, env.case(stage="handling"))


def _action_dialog(env: Env, case, code: str, **values):
    """The input form of workflow action ``code``, opened from the case window."""
    w = _case_window(env, case)
    dlg = env.keep(w.open_action(code))
    for name, value in values.items():
        dlg.set_value(name, value)
    env.settle()
    return dlg


def shot_correction(env: Env):
    return _action_dialog(env, registered_case(env), "correction_notice",
                          what_to_add="请明确所申请信息对应的小区名称和年度。",
                          period_end=dt.date.today() + dt.timedelta(days=15))


def shot_extension(env: Env):
    return _action_dialog(env, env.case(stage="handling"), "extend",
                          reason="申请公开的信息涉及多个部门，需要协调汇总，不能在20个工作日内答复。")


def shot_reply_action(env: Env):
    return _action_dialog(env, env.case(stage="handling"), "reply", outcome="disclosed",
                          provided_description="随答复书提供项目资金使用情况表一份。")


def shot_reply_document(env: Env):
    open_document_dialog = _import("gkdesk.ui.dialogs.document_dialog", "open_document_dialog")
    case = env.case(stage="replied", outcome="disclosed")
    dlg = open_document_dialog(env.ctx, case.id, "reply", env.window, modal=False)
    if dlg is None:
        raise NotBuiltYet(f"案件 {case.number} 不能出具答复书")
    env.keep(dlg)
    dlg.resize(1200, 820)
    preview_cls = _import("gkdesk.ui.dialogs.document_dialog", "PagePreview")
    env.settle(1.0, until=lambda: all(getattr(p, "_laid", True) is not None
                                      for p in dlg.findChildren(preview_cls)))
    env.settle(0.3)
    return dlg


def shot_deliver(env: Env):
    return _action_dialog(env, env.case(stage="replied"), "deliver", method="post",
                          tracking_number="1100123456789")


def shot_archive(env: Env):
    return _action_dialog(env, env.case(stage="delivered"), "archive")


def shot_templates(env: Env):
    env.page("templates")
    env.settle(1.0)
    return env.window


def shot_annex1(env: Env):
    page = env.page("annex1")
    units = getattr(page, "units", None) or getattr(page, "unit_list", None)
    view = getattr(units, "view", None) or getattr(units, "table", None)
    if view is not None and hasattr(view, "selectRow"):
        view.selectRow(0)
    env.settle(0.6)
    return env.window


def shot_annex2(env: Env):
    page = env.page("annex2")
    units = getattr(page, "units", None) or getattr(page, "unit_list", None)
    view = getattr(units, "view", None) or getattr(units, "table", None)
    if view is not None and hasattr(view, "selectRow"):
        view.selectRow(0)
    env.settle(0.6)
    return env.window


def shot_annex_rounds(env: Env):
    env.page("annex1")
    new_round = _import("gkdesk.ui.dialogs.rounds", "NewRoundDialog")
    dlg = env.keep(new_round(env.ctx, env.window))
    dlg.show()
    env.settle(0.5)
    return dlg


def shot_reports_annual(env: Env):
    page = env.page("reports")
    tabs = getattr(page, "tabs", None)
    if tabs is not None:
        tabs.setCurrentIndex(0)
    env.settle(1.5)
    return env.window


def shot_reports_ledger(env: Env):
    page = env.page("reports")
    tabs = getattr(page, "tabs", None)
    if tabs is None:
        raise NotBuiltYet("统计报表页没有分页")
    for i in range(tabs.count()):
        if "台账" in tabs.tabText(i):
            tabs.setCurrentIndex(i)
            break
    else:
        raise NotBuiltYet("统计报表页没有“台账”分页")
    env.settle(1.0)
    return env.window


def shot_annual_document(env: Env):
    page = env.page("reports")
    tabs = getattr(page, "tabs", None)
    if tabs is None:
        raise NotBuiltYet("统计报表页没有分页")
    for i in range(tabs.count()):
        if "年报正文" in tabs.tabText(i):
            tabs.setCurrentIndex(i)
            break
    else:
        raise NotBuiltYet("统计报表页没有“年报正文”分页")
    env.settle(2.0)
    return env.window


def shot_tasks(env: Env):
    page = env.page("tasks")
    env.settle(1.0)
    if getattr(page, "model", None) is not None and page.model.rowCount():
        page.table.selectRow(0)
    env.settle(0.5)
    return env.window


def shot_tasks_import(env: Env):
    """The import wizard on the 2018 table of seed 001, as an office pastes it (the tests'
    fixture writer, never gkdesk's own export)."""
    page = env.page("tasks")
    wizard_cls = _import("gkdesk.ui.pages.tasks", "ImportWizard")
    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "tasks"))
    import make_fixtures

    path = make_fixtures.write_001_xlsx(Path(tempfile.mkdtemp(prefix="gkdesk-shot-")) / "2018年政务公开工作任务分解表.xlsx")
    wizard = env.keep(wizard_cls(page, str(path)))
    wizard.show()
    wizard.load()
    env.settle(1.0, until=lambda: wizard.preview is not None)
    if wizard.preview is None:
        raise NotBuiltYet("导入向导没有读出任务")
    return wizard


def shot_catalogue(env: Env):
    page = env.page("catalogue")
    env.settle(1.0)
    units = getattr(page, "units", None)
    if units is None or units.count() < 2:
        raise NotBuiltYet("演示数据中没有单位目录")
    units.setCurrentRow(1)                      # the first unit's catalogue, with its changes
    env.settle(0.8)
    rows = getattr(page.model, "rows", [])
    pick = next((i for i, r in enumerate(rows) if r.action == "change"), 0)
    page.table.selectRow(pick)
    env.settle(0.5)
    return env.window


def shot_case_confidentiality(env: Env):
    case = env.case(stage="handling")
    win = _case_window(env, case)
    panel = getattr(win, "confidentiality", None)
    if panel is None:
        raise NotBuiltYet("案件窗口没有“保密审查”分页")
    win.tabs.setCurrentWidget(panel)
    form = env.keep(panel.ask_record())
    form.reviewer.setText("陈静")
    form.conclusion.setCurrentIndex(1)
    form.deidentified.setChecked(True)
    form.note.setPlainText("删除了第三人的姓名和联系电话")
    env.settle(0.6)
    return form


def shot_backup(env: Env):
    dialog_cls = _import("gkdesk.ui.dialogs.backup_dialog", "BackupDialog")
    from gkdesk import backup

    if not backup.list_backups():
        backup.create_backup(kind="manual")   # one backup in the list, as an office would have
    dlg = env.keep(dialog_cls(env.ctx, env.window))
    dlg.show()
    env.settle(0.8)
    return dlg


def shot_settings(env: Env):
    env.page("settings")
    return env.window


def shot_reasons(env: Env):
    page = env.page("settings")
    editor = getattr(page, "reasons", None)
    if editor is None:
        raise NotBuiltYet("设置 → 理由库尚未实现")
    page.tabs.setCurrentWidget(page.reasons_tab)
    editor.categories.setCurrentRow(1)           # 无法提供
    env.settle()
    return env.window


def _handoff_case(env: Env):
    """A case in handling whose legal due date is still ahead (a hand-off makes sense)."""
    from gkdesk.db.models import Case

    c = (Case.select().where(Case.stage == "handling", Case.due_date >= dt.date.today())
         .order_by(Case.due_date.desc(), Case.id).first())
    if c is None:
        raise NotBuiltYet("演示数据中没有期限未到的办理中案件")
    return c


def shot_handoff(env: Env):
    from gkdesk.api import handoffs

    case = _handoff_case(env)
    w = _case_window(env, case)
    panel = getattr(w, "handoffs_panel", None)
    if panel is None:
        raise NotBuiltYet("案件窗口的交办页尚未实现")
    units = handoffs.units()
    if not handoffs.of_case(case.id) and units:
        handoffs.send(case.id, env.ctx.actor, unit_id=units[0].id, instructions="请检索相关征收补偿台账")
    w.tabs.setCurrentWidget(panel)
    env.settle()
    dlg = env.keep(panel.open_send())
    if len(units) > 1:
        dlg.unit.setEditText(units[1].name)
    dlg.instructions.setPlainText("请检索2025年该地块的征收补偿方案，提出是否公开的意见并说明依据")
    env.settle()
    return dlg


def shot_day_list(env: Env):
    DayListDialog = _import("gkdesk.ui.dialogs.day_list", "DayListDialog")
    dlg = env.keep(DayListDialog(env.ctx, env.window, on_start=True))
    dlg.resize(900, 540)
    dlg.show()
    env.settle(0.6)
    return dlg


SHOTS: tuple[Shot, ...] = (
    Shot("first-run", "第一次使用：创建管理员", shot_first_run),
    Shot("login", "登录", shot_login),
    Shot("main-window", "主窗口（工作台）", shot_main_window),
    Shot("main-cases", "案件办理列表", shot_main_cases),
    Shot("register-dialog", "登记申请窗口", shot_register),
    Shot("case-window", "案件窗口", shot_case_window),
    Shot("correction-dialog", "发出补正告知", shot_correction),
    Shot("extension-dialog", "延期答复", shot_extension),
    Shot("reply-dialog", "作出答复", shot_reply_action),
    Shot("reply-document", "出具答复书（预览、出具、盖章）", shot_reply_document),
    Shot("deliver-dialog", "登记送达", shot_deliver),
    Shot("archive-dialog", "归档", shot_archive),
    Shot("templates-page", "文书模板", shot_templates),
    Shot("annex1-page", "附件一 工作人员情况表", shot_annex1),
    Shot("annex2-page", "附件二 工作职能清单", shot_annex2),
    Shot("annex-round", "发起征集", shot_annex_rounds),
    Shot("reports-annual", "年度报告", shot_reports_annual),
    Shot("reports-ledger", "台账导出", shot_reports_ledger),
    Shot("annual-document", "年度报告全文", shot_annual_document),
    Shot("tasks-page", "工作任务", shot_tasks),
    Shot("tasks-import", "导入任务分解表", shot_tasks_import),
    Shot("catalogue-page", "标准目录", shot_catalogue),
    Shot("confidentiality-dialog", "登记保密审查", shot_case_confidentiality),
    Shot("backup-dialog", "备份与恢复", shot_backup),
    Shot("settings-page", "设置", shot_settings),
    Shot("reasons-library", "设置 → 理由库", shot_reasons),
    Shot("handoff-dialog", "交办", shot_handoff),
    Shot("day-list", "今日及本周到期事项", shot_day_list),
)


# ---------------------------------------------------------------------------- saving

NICE_DATA_DIR = "/home/wangfang/.local/share/gkdesk"


def disguise_paths(widget, folder: Path) -> None:
    """Show the data folder as on a clerk's machine instead of this script's temp folder."""
    from PySide6.QtWidgets import QLabel, QTableWidget

    real = str(folder / "data")
    for w in [widget, *widget.findChildren(QLabel)]:
        if isinstance(w, QLabel) and real in w.text():
            w.setText(w.text().replace(real, NICE_DATA_DIR))
    for t in widget.findChildren(QTableWidget):
        for r in range(t.rowCount()):
            for c in range(t.columnCount()):
                item = t.item(r, c)
                if item is not None and real in item.text():
                    item.setText(item.text().replace(real, NICE_DATA_DIR))


def save_png(widget, path: Path) -> tuple[int, int, int]:
    """Grab ``widget``, scale to at most MAX_WIDTH, 256 colours, optimised; (w, h, bytes)."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt

    from PySide6.QtWidgets import QApplication

    focus = QApplication.focusWidget()
    if focus is not None:  # no text cursor or selected date part in the pictures
        focus.clearFocus()
        QApplication.processEvents()
    pix = widget.grab()
    if pix.width() > MAX_WIDTH:
        pix = pix.scaledToWidth(MAX_WIDTH, Qt.SmoothTransformation)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.WriteOnly)
    pix.toImage().save(buf, "PNG")
    buf.close()
    img = Image.open(io.BytesIO(bytes(data))).convert("RGB")
    img = img.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".png.tmp")
    tmp.write_bytes(out.getvalue())
    os.replace(tmp, path)
    return img.width, img.height, len(out.getvalue())


# ---------------------------------------------------------------------------- main

def make_demo_database(folder: Path) -> Path:
    db = folder / "demo.sqlite3"
    env = dict(os.environ, GKDESK_DATA_DIR=str(folder / "data"), PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-m", "gkdesk", "demo", "--count", "300", "--seed", "1",
                    "--today", DEMO_TODAY, "--db", str(db)], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return db


def main(argv: list[str]) -> int:
    global IMAGES
    argv = list(argv)
    if "--out" in argv:
        i = argv.index("--out")
        IMAGES = Path(argv[i + 1]).resolve()
        del argv[i:i + 2]
    wanted = set(argv)
    unknown = wanted - {s.name for s in SHOTS}
    if unknown:
        print(f"unknown shot(s): {', '.join(sorted(unknown))}; known: {', '.join(s.name for s in SHOTS)}")
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="gkdesk-shots-"))
    os.environ["GKDESK_DATA_DIR"] = str(folder / "data")
    sys.path.insert(0, str(ROOT))
    db = make_demo_database(folder)

    from PySide6.QtCore import QSettings

    from gkdesk.actors import SYSTEM, Actor
    from gkdesk.db import close_database, open_database
    from gkdesk.ui.app import create_application
    from gkdesk.ui.context import AppContext
    from gkdesk.ui.main_window import MainWindow

    app = create_application([sys.argv[0]])
    opened = open_database(db)
    settings = QSettings(str(folder / "qt.ini"), QSettings.IniFormat)
    actor = Actor("wangfang", "王芳", SYSTEM.roles)
    ctx = AppContext(opened, actor, settings=settings)
    window = MainWindow(ctx)
    window.resize(*WINDOW_SIZE)
    label = getattr(window, "db_label", None)
    if label is not None:  # show where the database lives on a clerk's machine, not /tmp
        label.setText(f"数据库：{NICE_DATA_DIR}/gkdesk.sqlite3")
    window.show()
    env = Env(app, ctx, window)
    env.settle()

    done, todo = [], []
    for shot in SHOTS:
        if wanted and shot.name not in wanted:
            continue
        try:
            widget = shot.make(env)
            disguise_paths(widget, folder)
            env.settle(0.1)
            w, h, size = save_png(widget, IMAGES / f"{shot.name}.png")
            done.append(shot.name)
            print(f"ok    {shot.name}.png  {w}x{h}  {size // 1024} KB  {shot.title}")
        except NotBuiltYet as exc:
            todo.append(shot.name)
            print(f"TODO  {shot.name}.png  {shot.title}：{exc}")
        finally:
            for w in env.opened:
                w.close()
            env.opened.clear()
            env.settle(0.1)
    window.close()
    ctx.wait_for_background(10000)
    close_database()
    print(f"{len(done)} screenshots written to {IMAGES}; {len(todo)} TODO: {' '.join(todo)}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
