"""The 维护 menu and what happens around the main window: data check, automatic backup."""

from tests.cases.helpers import new_case


def test_data_check_from_the_menu_reports_a_tampered_file(main_window, ctx, qtbot, messages_log, tmp_path):
    from gkdesk.cases.registry import add_attachment

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF scan")
    c = new_case()
    att = add_attachment(c, str(scan), "tester")
    main_window.check_action.trigger()
    qtbot.waitUntil(lambda: len(messages_log) == 1, timeout=20000)
    assert messages_log[-1][0] == "info" and "检查通过" in messages_log[-1][2]
    from gkdesk.cases.registry import stored_file_path

    stored_file_path(att.stored_path).write_bytes(b"changed")
    main_window.check_action.trigger()
    qtbot.waitUntil(lambda: len(messages_log) == 2, timeout=20000)
    assert messages_log[-1][0] == "warning" and "问题" in messages_log[-1][2]


def test_users_menu_needs_an_admin(main_window, ctx, messages_log):
    from gkdesk.actors import Actor

    ctx.actor = Actor("c", "王丽", frozenset({"clerk"}))
    main_window.open_users()
    assert messages_log[-1][0] == "warning" and "管理员" in messages_log[-1][2]


def test_daily_backup_runs_in_the_background_after_show(main_window, ctx, qtbot, monkeypatch, tmp_path):
    from gkdesk import backup
    from gkdesk.ui import app

    new_case()
    app._after_show(ctx, main_window)
    qtbot.waitUntil(lambda: bool(backup.backups_of_current()), timeout=30000)
    assert backup.backups_of_current()[0].case_count == 1
    assert getattr(main_window, "idle_lock", None) is not None
    # a second start on the same day makes no new backup
    assert backup.maybe_daily_backup("start") is None


def test_read_only_flag_reaches_the_gui(monkeypatch):
    """`gkdesk --read-only --db X` opens the window on a read-only database."""
    from gkdesk import cli
    from gkdesk.ui import app

    seen = {}
    monkeypatch.setattr(app, "run_gui", lambda db=None, read_only=False, create=False:
                        seen.update(db=db, ro=read_only, create=create) or 0)
    assert cli.main(["--read-only", "--db", "x.sqlite3"]) == 0
    assert seen == {"db": "x.sqlite3", "ro": True, "create": False}
    assert cli.main(["--db", "y.sqlite3", "--create"]) == 0       # the explicit create reaches it too
    assert seen == {"db": "y.sqlite3", "ro": False, "create": True}
