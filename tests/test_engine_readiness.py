"""Pure tests of what "complete" means before a step of the month (engine/readiness.py,
issue 20 findings 2 and 4); no Odoo."""

import ast
import datetime
import doctest
import importlib

import pytest

try:
    from .engine_loader import ENGINE_DIR, load_engine
except ImportError:
    from engine_loader import ENGINE_DIR, load_engine

engine = load_engine()
readiness = importlib.import_module(f"{engine.__name__}.readiness")
KpiEngineError = engine.KpiEngineError


def _line(**facts):
    defaults = {
        "has_value": False,
        "no_rater": False,
        "sourced": False,
        "role": "superior",
        "pending_roles": set(),
        "rated_roles": {"superior"},
    }
    return readiness.line_readiness(**dict(defaults, **facts))


def test_lines_ready_for_hr_review():
    """Finding 2.2: the lines a rater or the data still owe block HR review; what HR
    types in HR review does not."""
    assert _line(has_value=True) == readiness.READY
    assert _line(no_rater=True) == readiness.READY
    assert _line(pending_roles={"superior"}) == readiness.WAITING_RATER
    assert _line(sourced=True, role="hr") == readiness.NO_RECORDS
    assert _line(role="hr", rated_roles=set()) == readiness.FOR_HR
    # a superior's line of an employee without a superior: HR types it
    assert _line(rated_roles=set()) == readiness.FOR_HR
    # the superior submitted but left the line empty (cannot happen by the form,
    # but a value cleared since): nobody typed it
    assert _line() == readiness.NOT_TYPED
    assert set(readiness.BLOCKING) == {"waiting_rater", "no_records", "not_typed"}


def test_pending_ratings_that_still_owe_a_value():
    ratings = [("王建国", False, [False, True]), ("陈静", False, [True]), ("杨帆", True, [False])]
    assert readiness.blocking_pending_ratings(ratings) == ["王建国"]


def test_months_required_and_their_gaps():
    """Finding 4.1: November's year is built from two quarters: October to December
    must each be approved and published, from the first evaluated month (July) on."""
    starts = [datetime.date(2026, month, 1) for month in range(1, 13)]
    required = readiness.required_months(starts, datetime.date(2026, 7, 1))
    assert required == starts[6:]
    assert readiness.required_months(starts, None) == []
    gaps = readiness.month_gaps(
        [("2026-07", 15, 0), ("2026-10", 20, 1), ("2026-11", 17, 17), ("2026-12", 0, 0)]
    )
    assert gaps == [("2026-10", "open", 1), ("2026-11", "open", 17), ("2026-12", "none", 0)]
    assert readiness.month_gaps([("2026-09", 15, 0)]) == []


def test_quarter_must_have_ended():
    """Finding 4.2 and 4.4: the Q4 star review and team reward wait for January."""
    q4_end = datetime.date(2026, 12, 31)
    with pytest.raises(KpiEngineError) as caught:
        readiness.check_quarter_ended(q4_end, datetime.date(2026, 11, 20), "星级评定")
    assert "2026-12-31" in str(caught.value)
    assert caught.value.params["step"] == "星级评定"
    with pytest.raises(KpiEngineError):
        readiness.check_quarter_ended(q4_end, q4_end, "星级评定")
    assert readiness.check_quarter_ended(q4_end, datetime.date(2027, 1, 1), "星级评定")
    with pytest.raises(KpiEngineError):
        readiness.check_quarter_ended(None, datetime.date(2027, 1, 1), "星级评定")


def test_pool_shared_by_fewer_members():
    """Finding 4.3: one advisor alone with figures would receive the whole pool."""
    gaps = readiness.pool_gaps(
        {
            "接待一组": ({"赵宏伟", "钱晓东", "孙佳怡"}, {"赵宏伟"}),
            "接待二组": ({"甲"}, {"甲"}),
            "接待三组": ({"乙", "丙"}, set()),
        }
    )
    assert gaps == {"接待一组": ["孙佳怡", "钱晓东"]}


def test_doctests_and_no_odoo_import():
    assert doctest.testmod(readiness).failed == 0
    tree = ast.parse((ENGINE_DIR / "readiness.py").read_text())
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [module for module in imported if module.startswith("odoo")]
