"""GUI measurements, each in a fresh process (run by ``run.py``; prints one JSON line last).

    gui_child.py startup-bare            bare PySide6 QMainWindow: time of its first paint
    gui_child.py startup-app DB          ``gkdesk --db DB`` (the real entry, login bypassed):
                                         time of the main window's first paint, and of the
                                         start page's counts shown (they arrive from a worker)
    gui_child.py startup-frame           a PySide6 window with the frame of gkdesk's main
                                         window (navigation, menus, toolbar, status bar, 10
                                         cards, gkdesk's style sheet) and no gkdesk code or
                                         database: what the widgets alone cost
    gui_child.py browse DB               main window, case list scrolled through many pages,
                                         searched as you type, case windows opened; latencies
                                         and the peak resident memory (VmHWM)
    gui_child.py county DB               every page of the main window opened (→ read → painted)
    gui_child.py stall DB N              the longest gap of a 10 ms UI-thread timer while N
                                         reply letters render in the background

Start-up times are ``time.monotonic()`` (CLOCK_MONOTONIC, the same clock in every process
on Linux) at the first paint event of the window; the parent subtracts the moment it
spawned the process, so interpreter start-up and every import are included.
Run under ``QT_QPA_PLATFORM=offscreen`` with ``GKDESK_DATA_DIR`` and ``XDG_CONFIG_HOME``
pointing at scratch folders (the parent does this).
"""
import time

T_START = time.monotonic()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def emit(obj) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def vm_status() -> dict:
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmHWM", "VmRSS")):
                k, v = line.split(":")
                out[k] = int(v.split()[0]) / 1024.0   # kB → MiB
    return out


def _first_paint_filter(on_paint):
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QMainWindow, QWidget

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Paint and isinstance(obj, QWidget):
                win = obj.window()
                if isinstance(win, QMainWindow) and win.isVisible():
                    on_paint()
            return False

    return FirstPaint()


def _exit_on_paint(extra=None, ready=None):
    """On the first paint: note the time, then let the event loop run what is already
    queued (work deferred with a zero timer) and, when ``ready`` is given, wait until it
    says the window's content is complete; note that time ("idle"); then exit."""
    from PySide6.QtCore import QTimer

    state = {}

    def idle():
        if ready is not None and not ready():
            QTimer.singleShot(2, idle)
            return
        emit({"shown": state["shown"], "idle": time.monotonic(), "child_start": T_START, **(extra or {})})
        os._exit(0)

    def on_paint():
        if "shown" in state:
            return
        state["shown"] = time.monotonic()
        QTimer.singleShot(0, idle)
    return on_paint


def startup_bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    filt = _first_paint_filter(_exit_on_paint())
    app.installEventFilter(filt)
    w = QMainWindow()
    w.setWindowTitle("bare")
    w.resize(1280, 800)
    w.show()
    app.exec()


FRAME_PAGES = ("工作台", "案件办理", "附件一 工作人员情况表", "附件二 工作职能清单", "文书模板", "统计报表", "设置")
FRAME_MENUS = ("文件(&F)", "转到(&G)", "维护(&M)", "帮助(&H)")


def startup_frame() -> None:
    """gkdesk's main window as PySide6 widgets only: the same navigation list, menus with
    shortcuts, toolbar, status bar, a page of 10 cards in a scroll area and gkdesk's style
    sheet, but no gkdesk import and no database. The gap between this and the bare window
    is what the widgets themselves cost; the gap between gkdesk and this is gkdesk's own."""
    from PySide6.QtCore import QSize, Qt
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import (
        QApplication, QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
        QMainWindow, QScrollArea, QStackedWidget, QToolBar, QVBoxLayout, QWidget,
    )

    app = QApplication(sys.argv[:1])
    app.setStyleSheet((ROOT / "resources" / "style" / "gkdesk.qss").read_text(encoding="utf-8"))
    filt = _first_paint_filter(_exit_on_paint())
    app.installEventFilter(filt)
    w = QMainWindow()
    w.resize(1280, 800)
    nav = QListWidget()
    for title in FRAME_PAGES:
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, title)
        item.setSizeHint(QSize(0, 40))
        nav.addItem(item)
    stack = QStackedWidget()
    central = QWidget()
    lay = QHBoxLayout(central)
    lay.addWidget(nav)
    lay.addWidget(stack, 1)
    w.setCentralWidget(central)
    inner = QWidget()
    grid = QGridLayout(inner)
    for i in range(10):
        card = QFrame()
        card.setObjectName("dashCard")
        v = QVBoxLayout(card)
        v.addWidget(QLabel("…"))
        v.addWidget(QLabel("已超期"))
        grid.addWidget(card, i // 4, i % 4)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(inner)
    stack.addWidget(scroll)
    for m, title in enumerate(FRAME_MENUS):
        menu = w.menuBar().addMenu(title)
        for k in range(4):
            act = QAction(f"命令{m}{k}", w)
            act.setShortcut(QKeySequence(f"Ctrl+{k + 1}"))
            menu.addAction(act)
    tb = QToolBar("常用")
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    tb.addAction(QAction("登记申请", w))
    w.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
    w.statusBar().addPermanentWidget(QLabel("数据库"), 1)
    w.statusBar().addPermanentWidget(QLabel("当前用户"))
    w.show()
    app.exec()


def startup_app(db: str) -> None:
    """The real entry point (``gkdesk.cli.main``), with two hooks: the login returns an
    actor with every role, and the first paint of the main window ends the process."""
    sys.path.insert(0, str(ROOT))
    from gkdesk import cli
    from gkdesk.ui import app as gui_app

    gui_app.login = lambda ctx: gui_app.default_actor()
    filt_holder = []
    original = gui_app.create_application

    def counts_shown():
        """The start page (工作台) has its counts, the 工作任务 and report-deadline cards'
        too: they come from a worker after the paint."""
        from PySide6.QtWidgets import QApplication

        from gkdesk.ui.main_window import MainWindow

        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow):
                page = w.page("dashboard", create=False)
                return page is None or not (getattr(page, "counting", False)
                                            or getattr(page, "others_waiting", False))
        return True

    def create_application(argv=None):
        a = original(argv)
        filt = _first_paint_filter(_exit_on_paint(ready=counts_shown))
        filt_holder.append(filt)
        a.installEventFilter(filt)
        return a

    gui_app.create_application = create_application
    rc = cli.main(["--db", db])
    emit({"error": f"gkdesk exited ({rc}) before its window painted"})
    sys.exit(1)


def _open_window(db: str):
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gkdesk.db import open_database
    from gkdesk.ui.app import create_application, default_actor
    from gkdesk.ui.context import AppContext
    from gkdesk.ui.main_window import MainWindow

    app = create_application()
    opened = open_database(db)
    settings = QSettings(str(Path(os.environ.get("XDG_CONFIG_HOME", "/tmp")) / "bench.ini"), QSettings.IniFormat)
    ctx = AppContext(opened, default_actor(), settings)
    win = MainWindow(ctx)
    win.show()
    QApplication.processEvents()
    from gkdesk.ui.app import settle_heap

    settle_heap()                                     # as the app does after its first paint
    return app, ctx, win


def _pct(values, p):
    v = sorted(values)
    if not v:
        return None
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def browse(db: str) -> None:
    from PySide6.QtWidgets import QApplication

    sys.path.insert(0, str(ROOT))
    from benchmarks.queries import typed_prefixes

    app, ctx, win = _open_window(db)
    result = {"after_open_mb": vm_status().get("VmRSS")}
    page = win.show_page("cases")
    QApplication.processEvents()
    view, model = page.view, page.model
    rows = model.rowCount()
    result["rows"] = rows
    sb = view.verticalScrollBar()

    # scroll: page by page from the top, then jumps all over the list
    scroll = []
    steps = [min(sb.maximum(), i * sb.pageStep()) for i in range(150)]
    steps += [sb.maximum() * k // 149 for k in range(150)]
    for v in steps:
        t0 = time.perf_counter()
        sb.setValue(v)
        view.viewport().repaint()
        scroll.append((time.perf_counter() - t0) * 1000)
    result["scroll_steps"] = len(steps)
    result["scroll_p50_ms"] = _pct(scroll, 50)
    result["scroll_p95_ms"] = _pct(scroll, 95)
    result["blocks_fetched"] = model.fetch_count

    # sort by other columns (the database sorts) and back
    sort_ms = []
    for key, desc in (("applicant", False), ("due", True), ("number", True), ("received", True)):
        t0 = time.perf_counter()
        page.set_sort(key, desc)
        view.viewport().repaint()
        sort_ms.append((time.perf_counter() - t0) * 1000)
    result["sort_max_ms"] = max(sort_ms)

    # search as you type through the page: text set → list filtered, counted (up to 1,000;
    # past that the label says "1,000+" and the exact count runs on a worker thread) and
    # repainted, keystroke after keystroke without waiting for those counts (each is
    # interrupted by the next keystroke, as when a clerk types on)
    search = []
    wrong_labels = []
    for _ in range(int(os.environ.get("BENCH_REPEAT", "3"))):
        for prefix in typed_prefixes():
            t0 = time.perf_counter()
            page.search.setText(prefix)
            page.search.returnPressed.emit()       # skip the 150 ms debounce
            view.viewport().repaint()
            page.count_label.repaint()
            search.append((time.perf_counter() - t0) * 1000)
            for r in range(0, min(model.rowCount(), 30)):   # look at the first rows
                model.data(model.index(r, 0))
            n = model.rowCount()
            if page.count_label.text() != (f"共 {n:,} 件" if model.count_exact else f"共 {n:,}+ 件（正在计数…）"):
                wrong_labels.append(page.count_label.text())
            QApplication.processEvents()           # as the app's event loop would: the count starts
        page.search.setText("")
        page.search.returnPressed.emit()
        view.viewport().repaint()
    if wrong_labels:
        emit({"error": f"count label does not match the list: {wrong_labels[:3]}"})
        os._exit(1)
    result["search_samples"] = len(search)
    result["search_p50_ms"] = _pct(search, 50)
    result["search_p95_ms"] = _pct(search, 95)
    result["search_max_ms"] = max(search)

    # the exact count of a term matching more than 1,000: type → exact figure shown
    exact = []
    for prefix in dict.fromkeys(typed_prefixes()):
        t0 = time.perf_counter()
        page.search.setText(prefix)
        page.search.returnPressed.emit()
        if model.count_exact:
            continue
        while not model.count_exact:
            QApplication.processEvents()
            time.sleep(0.0005)
            if time.perf_counter() - t0 > 30:
                emit({"error": f"the exact count of “{prefix}” did not arrive in 30 s"})
                os._exit(1)
        page.count_label.repaint()
        exact.append((time.perf_counter() - t0) * 1000)
    page.search.setText("")
    page.search.returnPressed.emit()
    ctx.wait_for_background(30000)
    QApplication.processEvents()
    result["exact_count_samples"] = len(exact)
    result["exact_count_p50_ms"] = _pct(exact, 50)
    result["exact_count_p95_ms"] = _pct(exact, 95)

    # opening case windows (with their events and documents)
    from gkdesk.db.models import Case, Document

    ids = [d.case_id for d in Document.select(Document.case).order_by(Document.id).limit(5)]
    n = rows
    ids += [Case.select(Case.id).order_by(Case.id).offset(k * n // 15).limit(1).scalar() for k in range(15)]
    try:
        import gkdesk.ui.case_window  # noqa: F401
        result["case_window"] = "gkdesk.ui.case_window"
    except ModuleNotFoundError:
        result["case_window"] = "gkdesk.ui.dialogs.case_detail (case_window not present)"
    win.open_case(ids[0]).close()     # the first one imports the module: not counted
    QApplication.processEvents()
    opens = []
    for cid in ids[1:]:
        t0 = time.perf_counter()
        w = win.open_case(cid)
        QApplication.processEvents()
        w.repaint()
        opens.append((time.perf_counter() - t0) * 1000)
        w.close()
        QApplication.processEvents()
    result["case_open_p50_ms"] = _pct(opens, 50)
    result["case_open_max_ms"] = max(opens)
    st = vm_status()
    result["peak_mb"] = st["VmHWM"]
    result["rss_mb"] = st["VmRSS"]
    emit(result)
    os._exit(0)


def stall(db: str, n: int) -> None:
    import tempfile

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    sys.path.insert(0, str(ROOT))
    from benchmarks import letters

    app, ctx, win = _open_window(db)
    win.show_page("cases")
    QApplication.processEvents()
    jobs = letters.prepare_jobs(letters.pick_cases(n))
    letters.render_one(*jobs[0])        # fonts loaded, as in an app that has shown a letter
    out = Path(tempfile.mkdtemp(prefix="gkdesk-stall-"))
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    state = {}

    def done(result):
        state["end"] = time.perf_counter()
        state["done"] = result
        QTimer.singleShot(50, app.quit)

    def failed(exc):
        state["error"] = f"{type(exc).__name__}: {exc}"
        app.quit()

    def start():
        state["start"] = time.perf_counter()
        ctx.run_in_background(lambda progress, cancelled: letters.render_batch(jobs, out, progress=progress,
                                                                               cancelled=cancelled),
                              on_done=done, on_error=failed, title="批量生成答复书", label="正在生成")

    timer.start()
    QTimer.singleShot(100, start)
    QTimer.singleShot(600_000, app.quit)
    app.exec()
    timer.stop()
    import shutil

    written = len(list(out.glob("letter-*.pdf")))
    shutil.rmtree(out, ignore_errors=True)       # no gkdesk-stall-* folder left behind
    if "error" in state or "done" not in state:
        emit({"error": state.get("error", "the batch did not finish in 10 minutes")})
        os._exit(1)
    ts = [t for t in ticks if state["start"] <= t <= state["end"]]
    gaps = [(b - a) * 1000 for a, b in zip(ts, ts[1:])]
    emit({"letters": written, "batch_s": state["end"] - state["start"], "ticks": len(ts),
          "max_gap_ms": max(gaps) if gaps else None, "p99_gap_ms": _pct(gaps, 99),
          "median_gap_ms": _pct(gaps, 50)})
    os._exit(0)


def county(db: str) -> None:
    """Every page of the main window opened in turn, three times, and the 统计报表 page's
    annual-report document tabs (年报正文, 单位年报核对汇总, 复查结论): page chosen → its reads
    done (the reader pool idle, the results delivered) → repainted. The first opening of a
    page also builds it. First the app's warm-up after start-up runs to its end, as it does
    while a clerk reads the start page (``gkdesk.ui.warmup``; its time from the first paint
    is reported); with ``GKDESK_WARMUP=0`` the pages are clicked at once instead."""
    from PySide6.QtWidgets import QApplication

    from gkdesk.ui import pages as page_registry
    from gkdesk.ui import warmup

    app, ctx, win = _open_window(db)
    t_warm = time.perf_counter()
    w = warmup.WarmUp(ctx, win) if warmup.enabled() else None
    if w is not None:
        w.start(0)                                    # the app waits DELAY_MS after the first paint
        deadline = time.perf_counter() + 60
        while not w.done and time.perf_counter() < deadline:
            ctx.ops.wait(5)
            QApplication.processEvents()
    warm_ms = (time.perf_counter() - t_warm) * 1000 if w is not None else None
    screens = [(spec.key, spec.key, None) for spec in page_registry.PAGES]
    screens += [(f"reports:{tab}", "reports", tab) for tab in ("document", "units", "decisions")]
    titles = {s.key: s.title for s in page_registry.PAGES}
    titles.update({"reports:document": "统计报表·年报正文", "reports:units": "统计报表·单位年报核对汇总",
                   "reports:decisions": "统计报表·复查结论"})
    times: dict[str, list[float]] = {}
    shown: dict[str, list[float]] = {}                 # painted, its reads perhaps still under way
    for _round in range(3):
        for name, key, tab in screens:
            t0 = time.perf_counter()
            page = win.show_page(key, tab=tab) if tab else win.show_page(key)
            QApplication.processEvents()
            page.repaint()
            shown.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
            deadline = time.perf_counter() + 30
            while ctx.ops.busy and time.perf_counter() < deadline:
                ctx.ops.wait(5)
                QApplication.processEvents()
            QApplication.processEvents()
            page.repaint()
            times.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
    emit({"pages": times, "shown": shown, "titles": titles, "warm_ms": warm_ms})
    os._exit(0)


def main() -> None:
    mode = sys.argv[1]
    if mode == "startup-bare":
        startup_bare()
    elif mode == "startup-frame":
        startup_frame()
    elif mode == "startup-app":
        startup_app(sys.argv[2])
    elif mode == "county":
        county(sys.argv[2])
    elif mode == "browse":
        browse(sys.argv[2])
    elif mode == "stall":
        stall(sys.argv[2], int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
