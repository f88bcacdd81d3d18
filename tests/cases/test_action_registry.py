"""Each workflow action is one registered unit (spec, precondition, apply), and no module
outside gkdesk/cases writes a case's columns (an AST check over the package)."""
from __future__ import annotations

import ast
import datetime as dt
import textwrap
from pathlib import Path

from gkdesk.cases import actions
from gkdesk.cases import workflow as wf
from gkdesk.cases.actions.spec import ActionSpec, action

PACKAGE = Path(__file__).resolve().parents[2] / "gkdesk"

# Writers of case rows outside gkdesk/cases that are allowed, and why.
ALLOWED = {
    # the store itself (migrations fill new columns)
    ("db", "*"),
    # the ledger import creates whole cases (the registration of old records); their due date,
    # provisional flag and paused state come from gkdesk.cases.deadlines.derive
    ("reports/ledger.py", "Case.create"), ("reports/ledger.py", "bulk_insert(Case)"),
    # the demo generator inserts generated cases in bulk (dates through deadlines.derive)
    ("demo.py", "bulk_insert(Case)"),
    # a template preview sets the outcome of an unsaved sample case
    ("documents/templates.py", "case.outcome"),
}
WRITE_METHODS = {"update", "insert", "insert_many", "insert_from", "create", "replace", "replace_many",
                 "bulk_create", "bulk_update", "get_or_create", "delete", "delete_instance"}


def _case_fields() -> set[str]:
    from gkdesk.db.models import Case

    return set(Case._meta.fields)


def case_writes(source: str, fields: set[str]) -> list[str]:
    """What in ``source`` writes a case row's columns: ``Case.<write>(…)``,
    ``bulk_insert(Case, …)``, an assignment to ``case.<column>`` or ``setattr(case, …)``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "Case" \
                    and f.attr in WRITE_METHODS:
                found.append(f"Case.{f.attr}")
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name == "bulk_insert" and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == "Case":
                found.append("bulk_insert(Case)")
            if name == "setattr" and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == "case":
                found.append("setattr(case)")
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for t in targets:
            for el in (t.elts if isinstance(t, ast.Tuple) else [t]):
                if isinstance(el, ast.Attribute) and isinstance(el.value, ast.Name) and el.value.id == "case" \
                        and el.attr in fields:
                    found.append(f"case.{el.attr}")
    return found


def test_every_action_is_registered_once_with_its_three_parts():
    codes = [a.spec.code for a in actions.REGISTRY.values()]
    assert len(codes) == len(set(codes)) == 21
    for code, a in actions.REGISTRY.items():
        assert a.code == code and isinstance(a.spec, ActionSpec)
        assert callable(a.precondition) and callable(a.apply)
        assert a.apply.__module__.startswith("gkdesk.cases.actions."), code
    # the engine's public API is the registry's
    assert list(wf.ACTIONS) == codes and all(wf.ACTIONS[c] is actions.REGISTRY[c].spec for c in codes)
    # process order, as the GUI offers them
    assert codes[:3] == ["accept", "correction_notice", "correction_received"]
    assert codes[-2:] == ["proceeding_add", "proceeding_result"]


def test_an_action_cannot_be_registered_twice():
    import pytest

    with pytest.raises(RuntimeError, match="twice"):
        action(actions.REGISTRY["accept"].spec)(lambda case, v, actor, today: ("", None))
    assert actions.REGISTRY["accept"].apply.__name__ == "_accept"


def test_preconditions_are_the_registered_ones(db_path):
    from gkdesk.actors import SYSTEM

    from .helpers import new_case

    case = new_case()
    today = dt.date(2026, 11, 20)
    offered = {s.code for s in wf.available_actions(wf.get_case(case.id), SYSTEM, today)}
    assert "consult_answer" not in offered        # no consultation waiting for an answer
    assert actions.REGISTRY["consult_answer"].precondition(wf.get_case(case.id), today) == "没有待答复的征求意见"
    assert {"accept", "correction_notice", "not_request", "withdraw"} <= offered


def test_no_module_outside_cases_writes_case_columns():
    fields = _case_fields()
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("cases/"):
            continue
        for what in case_writes(path.read_text(encoding="utf-8"), fields):
            if (rel, what) in ALLOWED or (rel.split("/")[0], "*") in ALLOWED:
                continue
            offenders.append(f"{rel}: {what}")
    assert offenders == [], "a case's columns are written by gkdesk/cases only (workflow actions or an owner function)"


def test_the_check_catches_a_direct_write():
    fields = _case_fields()
    sneaky = textwrap.dedent("""
        from gkdesk.db.models import Case

        def issue(case, number):
            Case.update(reply_number=number).where(Case.id == case.id).execute()
            case.stage, case.due_date = "replied", None
            case.save()
    """)
    assert sorted(case_writes(sneaky, fields)) == ["Case.update", "case.due_date", "case.stage"]
    assert case_writes("doc.number = 'x'\nCase.select().where(Case.id == 1)\n", fields) == []
