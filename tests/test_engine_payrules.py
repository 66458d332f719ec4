"""Pure tests of the seed rules that reach pay (issue 21): back-pay of months achieved
in the quarter or the year to date (seed 000 浙江和通), unpaid standby training and
one salary grade down (seed 004 末位处理, 工资晋升); no Odoo.

Seed 000 numbers: the service manager's 提成基数 5000 paid × the month score
(5000 × 95 % = 4750); the 维修收入 indicator weighs 30 of the 100 points, monthly
target 100 (万元). January 90 and February 95 miss their months, March 130 brings
the quarter to 315 of 300: January and February count as achieved at March's pay.
"""

import ast
import doctest
import sys

import pytest

try:
    from .engine_loader import ENGINE_DIR, load_engine
except ImportError:
    from engine_loader import ENGINE_DIR, load_engine

engine = load_engine()
backpay = sys.modules[f"{engine.__name__}.backpay"]
sanctions = sys.modules[f"{engine.__name__}.sanctions"]

QUARTER = [(90, 100), (95, 100), (130, 100)]
BASE = 5000.0
WEIGHT = 30.0


def _missed(month, actual):
    """The 维修收入 line of a missed month: ratio points × weight 30."""
    return engine.MissedMonth(month, "维修收入", WEIGHT, WEIGHT * actual / 100)


def test_months_rescued_by_the_quarter_are_paid_back_in_march():
    """RELIABILITY #29: January and February are paid back once, by March's pay run;
    February's pay run paid nothing back (the quarter to date, 185 of 200, missed)."""
    assert engine.back_paid_months(QUARTER, 0) == []
    assert engine.back_paid_months(QUARTER, 1) == []
    assert engine.back_paid_months(QUARTER, 2) == [0, 1]
    # April starts a new quarter: nothing left to pay back
    assert engine.back_paid_months([*QUARTER, (100, 100)], 3) == []


def test_year_to_date_pays_back_earlier_quarters():
    """Q1 missed (270 of 300), April 80, May 200: the year to date 550 of 500 pays
    back January to April in May; the quarter of April alone would not."""
    year = [(90, 100), (90, 100), (90, 100), (80, 100), (200, 100)]
    assert engine.back_paid_months(year, 4) == [0, 1, 2, 3]
    assert engine.back_paid_months(year, 3) == []


def test_a_veto_item_is_never_paid_back():
    """后期累计数达成也不再补发."""
    assert engine.back_paid_months(QUARTER, 2, veto=True) == []


def test_month_paid_back_once():
    """A month paid back in March is not paid back again in a later month."""
    year = [(90, 100), (95, 100), (130, 100), (50, 100), (50, 100), (300, 100)]
    assert engine.back_paid_months(year, 2) == [0, 1]
    assert engine.back_paid_months(year, 5) == [3, 4]


def test_back_pay_amount_and_formula():
    """5000 × (30 − 27) % + 5000 × (30 − 28.5) % = 150 + 75 = 225."""
    line = engine.back_pay(BASE, [_missed(1, 90), _missed(2, 95)])
    assert tuple(line) == (225.0, "5000 × (30 − 27) % + 5000 × (30 − 28.5) % = 225")
    assert [params["month"] for _template, params in line.notes] == [1, 2]
    # nothing without a base, or when nothing is missing
    assert engine.back_pay(0, [_missed(1, 90)]).amount == 0.0
    assert engine.back_pay(BASE, [_missed(1, 100)]).amount == 0.0


def test_pay_plan_pays_back_on_pay_by_score_only():
    """KPI_BACK in March's pay plan, beside March's own 5000 × 95 % = 4750."""
    month = engine.PayMonth(score=95, back_pay=(_missed(1, 90), _missed(2, 95)))
    plan = engine.pay_plan(
        month, engine.ContractTerms(wage=3000, performance_base=BASE), engine.PayRules()
    )
    assert tuple(plan["KPI_PERF"]) == (4750.0, "5000 × 95 % = 4750")
    assert plan[engine.KPI_BACK].amount == 225.0
    # a veto in March does not take January's and February's pay back
    vetoed = engine.pay_plan(
        engine.PayMonth(score=95, vetoed=True, back_pay=month.back_pay),
        engine.ContractTerms(wage=3000, performance_base=BASE),
        engine.PayRules(),
    )
    assert (vetoed["KPI_PERF"].amount, vetoed[engine.KPI_BACK].amount) == (0.0, 225.0)
    table = engine.pay_plan(
        month,
        engine.ContractTerms(wage=3000, performance_base=BASE, performance_method="table"),
        engine.PayRules(),
    )
    assert table[engine.KPI_BACK].amount == 0.0
    assert engine.KPI_BACK in engine.KPI_CODES and engine.KPI_STANDBY in engine.KPI_CODES


def test_standby_training_is_unpaid():
    """待岗培训期间不予发工资: 4400 a month, 22 working days, 3 days: −600."""
    assert tuple(engine.standby_deduction(4400, 22, 3)) == (-600.0, "−4400 / 22 × 3 = -600")
    assert engine.standby_deduction(5000, 21, 5).amount == -1190.48
    plan = engine.pay_plan(
        engine.PayMonth(evaluated=False, standby_days=3, working_days=22),
        engine.ContractTerms(wage=4400),
        engine.PayRules(),
    )
    assert plan[engine.KPI_STANDBY].amount == -600.0


def test_standby_decided_late_is_deducted_at_its_own_months_rate():
    """A month decided after its payslip (2026-10, 22 working days) is deducted with
    the month's own days (2026-11, 20 working days), each at its month's day rate,
    rounded once; the formula names the late month, the keys say what is deducted."""
    late = engine.StandbyDays("2026-10", 3, 22, late=True, key="oct")
    own = engine.StandbyDays("2026-11", 3, 20, key="nov")
    plan = engine.pay_plan(
        engine.PayMonth(evaluated=False, standby=(late, own)),
        engine.ContractTerms(wage=4400),
        engine.PayRules(),
    )
    line = plan[engine.KPI_STANDBY]
    assert tuple(line) == (-1260.0, "2026-10: −4400 / 22 × 3 + −4400 / 20 × 3 = -1260")
    assert line.keys == ("oct", "nov")
    assert [params for _template, params in line.notes] == [
        {"days": 3, "month": "2026-10"},
        {"days": 3},
    ]
    thirds = [engine.StandbyDays("2026-10", 3, 21, late=True), engine.StandbyDays("x", 3, 21)]
    assert engine.standby_deductions(1000, thirds).amount == -285.71
    assert engine.standby_deductions(4400, ()) == engine.PayLine()
    with pytest.raises(engine.KpiEngineError, match="at least 3 days"):
        engine.standby_deductions(4400, [engine.StandbyDays("2026-10", 2, 22)])
    with pytest.raises(engine.KpiEngineError, match="no working day"):
        engine.standby_deductions(4400, [engine.StandbyDays("2026-10", 3, 0)])


def test_standby_days_at_least_three():
    """待岗时间至少为三天, at most the month's working days."""
    for days in (0, 2, 2.5, True, "3"):
        with pytest.raises(engine.KpiEngineError, match="at least 3 days"):
            engine.check_standby_days(days)
    with pytest.raises(engine.KpiEngineError, match="more than the month's 22 working days"):
        engine.standby_deduction(4400, 22, 23)
    with pytest.raises(engine.KpiEngineError, match="no working day"):
        engine.standby_deduction(4400, 0, 3)


def test_one_salary_grade_down():
    """差 → 下调一级工资: a wage step of the company, else a percentage (5 %)."""
    assert engine.one_grade_down(4400) == 4180.0
    assert engine.one_grade_down(4400, pct=10) == 3960.0
    assert engine.one_grade_down(4400, step=200) == 4200.0
    assert engine.one_grade_down(150, step=200) == 0.0
    with pytest.raises(engine.KpiEngineError, match="between 0 and 100"):
        engine.one_grade_down(4400, pct=0)


@pytest.mark.parametrize("module", ["backpay", "sanctions"])
def test_doctests_and_no_odoo_import(module):
    assert doctest.testmod(sys.modules[f"{engine.__name__}.{module}"]).failed == 0
    tree = ast.parse((ENGINE_DIR / f"{module}.py").read_text())
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [name for name in imported if name.startswith("odoo")]
