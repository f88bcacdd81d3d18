"""The PySide6 GUI of gkdesk. Only this package imports Qt.

Layout:
  app.py          QApplication set-up (font, style, error hook) and ``run_gui``
  context.py      ``AppContext``: database, current actor, change signals, background runner
  main_window.py  the main window: navigation, status bar, menus
  pages/          one module per navigation entry (contract in ``pages/__init__.py``)
  models/         Qt item models that page through the core's queries
  dialogs/        dialogs (registration, case details, messages)
  widgets/        small reusable widgets (validated line edits, Chinese date edit)
  workers.py      QThreadPool workers with progress and cancel

The UI never writes SQL: it calls the core's service functions and shows what they
return or raise.
"""
