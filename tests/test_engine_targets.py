"""Pure tests of personal targets over a year (engine/targets.py); no Odoo.

Seed 000 浙江和通 2015 服务部量化考核方案: a target letter (目标责任书) for January to
December; 指标按月取数, at pay time the quarter's or the cumulative figure achieved
counts as achieved; veto items missed pay 0 and are not paid back when the
cumulative figure is reached later; reaching the stretch target (力争) sets aside
0.3 % of the quarter's repair revenue as a team reward.
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
targets = sys.modules[f"{engine.__name__}.targets"]
MONTHLY, QUARTERLY, CUMULATIVE = engine.MONTHLY, engine.QUARTERLY, engine.CUMULATIVE

# A service department's monthly repair revenue (万元) against its target letter:
# January missed, February above, March at target, April missed, May above.
YEAR = [(90, 100), (115, 100), (100, 100), (80, 100), (130, 100)]


def test_figures_by_month_quarter_and_year_to_date():
    assert targets.figures(YEAR, 1, MONTHLY) == (115.0, 100.0)
    assert targets.figures(YEAR, 1, QUARTERLY) == (205.0, 200.0)
    assert targets.figures(YEAR, 4, QUARTERLY) == (210.0, 200.0)  # April + May
    assert targets.figures(YEAR, 3, CUMULATIVE) == (385.0, 400.0)
    assert targets.figures(YEAR, 1, QUARTERLY, engine.AVERAGE) == (102.5, 100.0)
    # a month without figures yet is left out
    assert targets.figures([(90, 100), None, (120, 100)], 2, QUARTERLY) == (210.0, 200.0)


def test_strict_monthly_attainment():
    assert [engine.attained(YEAR, m)[0] for m in range(5)] == [False, True, True, False, True]


def test_quarterly_and_cumulative_bases():
    assert engine.attained(YEAR, 1, QUARTERLY) == (True, QUARTERLY)
    assert engine.attained(YEAR, 0, QUARTERLY) == (False, QUARTERLY)
    assert engine.attained(YEAR, 3, CUMULATIVE) == (False, CUMULATIVE)  # 385 < 400


def test_quarter_or_cumulative_achieved_counts_as_achieved():
    """当季度完成或累计数完成,都算完成."""
    # February missed alone, but January + February reach the quarter's target
    assert engine.attained([(120, 100), (90, 100)], 1, lenient=True) == (True, QUARTERLY)
    # April missed, its quarter too, but the year to date (440 of 400) is reached
    year = [(150, 100), (100, 100), (100, 100), (90, 100)]
    assert engine.attained(year, 3) == (False, MONTHLY)
    assert engine.attained(year, 3, lenient=True) == (True, CUMULATIVE)
    # nothing reached: missed, on the indicator's own basis
    assert engine.attained(YEAR, 3, lenient=True) == (False, MONTHLY)


def test_scored_figures_follow_the_basis_that_decided():
    """The evaluation scores the figures that decided: the month's, else (lenient)
    the quarter's or the year's to date that reached the target."""
    assert engine.scored_figures(YEAR, 3) == (80.0, 100.0, MONTHLY)
    assert engine.scored_figures(YEAR, 4, QUARTERLY) == (210.0, 200.0, QUARTERLY)
    year = [(150, 100), (100, 100), (100, 100), (90, 100)]
    assert engine.scored_figures(year, 3, lenient=True) == (440.0, 400.0, CUMULATIVE)
    # missed everywhere: the indicator's own basis
    assert engine.scored_figures(YEAR, 3, CUMULATIVE, lenient=True) == (
        385.0,
        400.0,
        CUMULATIVE,
    )


def test_ordinary_items_are_paid_back_vetoes_are_not():
    """后期累计数达成也不再补发: January and April are paid back with the
    quarter's achievement (February, May) for an ordinary item, never for a veto."""
    assert engine.paid_months(YEAR, 4) == [1, 2, 4]
    assert engine.paid_months(YEAR, 4, lenient=True) == [0, 1, 2, 3, 4]
    assert engine.paid_months(YEAR, 4, lenient=True, veto=True) == [1, 2, 4]
    # by the pay run of January nothing is paid; by February's, January comes back
    assert engine.paid_months(YEAR, 0, lenient=True) == []
    assert engine.paid_months(YEAR, 1, lenient=True) == [0, 1]
    assert engine.paid_months(YEAR, 1, lenient=True, veto=True) == [1]


def test_cumulative_back_pay_reaches_earlier_quarters():
    year = [(50, 100), (100, 100), (100, 100), (100, 100), (200, 100)]
    # May: the quarter (300 of 200) and the year (550 of 500) are reached
    assert engine.paid_months(year, 4, lenient=True) == [0, 1, 2, 3, 4]
    assert engine.paid_months(year, 4, lenient=True, veto=True) == [1, 2, 3, 4]


def test_lower_is_better_averaged():
    """A claim rate (客户索赔率, lower is better) averaged over the quarter."""
    year = [(3, 2), (1, 2)]
    assert engine.attained(year, 0, direction="lower") == (False, MONTHLY)
    assert engine.attained(year, 1, direction="lower", aggregate=engine.AVERAGE) == (True, MONTHLY)
    assert engine.paid_months(year, 1, direction="lower", aggregate=engine.AVERAGE,
                              lenient=True) == [0, 1]


def test_stretch_target():
    """目标责任书 5.1 力争指标: 1,300,000 of repair revenue against a stretch of 1,200,000."""
    assert engine.stretch_reached(1300000, 1200000)
    assert engine.stretch_reached(1200000, 1200000)
    assert not engine.stretch_reached(1199999, 1200000)
    assert not engine.stretch_reached(1300000, 0)  # no stretch target set
    assert engine.stretch_reached(1.5, 2, "lower")


def test_team_reward_and_its_split():
    """季度计提维修收入0.3%: 1,500,000 of the quarter's repair revenue gives 4,500."""
    assert engine.team_reward(1500000) == 4500.0
    assert engine.team_reward(1500000, 0.5) == 7500.0
    assert engine.split_by_coefficients(4500, {"manager": 1.5, "A": 1.0, "B": 1.0}) == {
        "manager": 1928.58, "A": 1285.71, "B": 1285.71,
    }
    shares = engine.split_by_coefficients(4500, {"manager": 1.5, "A": 1.0, "B": 1.0})
    assert round(sum(shares.values()), 2) == 4500.0
    assert engine.check_allocation(4500, {"A": 2000, "B": 2500}) == {"A": 2000.0, "B": 2500.0}


def test_team_reward_is_paid_after_its_quarter():
    """DESIGN §15: a quarter's team reward is paid in a month after the quarter."""
    from datetime import date

    assert engine.check_team_reward_month(date(2026, 9, 30), date(2026, 10, 1))
    for month in (date(2026, 9, 1), date(2026, 7, 1)):
        with pytest.raises(engine.KpiEngineError, match="paid in a month after its quarter"):
            engine.check_team_reward_month(date(2026, 9, 30), month)
    with pytest.raises(engine.KpiEngineError, match="needs its quarter"):
        engine.check_team_reward_month(None, date(2026, 10, 1))


def test_team_reward_shares_are_paid_as_kpi_team():
    """Approved shares of the month's team rewards: one KPI_TEAM line, summed and
    rounded once, whether or not the month is evaluated."""
    month = engine.PayMonth(
        evaluated=False, team_rewards=(("售后服务部 2026Q3", 1285.71), ("售后服务部 2026Q2", 900))
    )
    line = engine.pay_plan(month, engine.ContractTerms(wage=3000), engine.PayRules())["KPI_TEAM"]
    assert line.amount == 2185.71
    assert line.explanation == "1285.71 + 900 = 2185.71"
    assert line.notes == (("%(awards)s", {"awards": "售后服务部 2026Q3 1285.71、售后服务部 2026Q2 900"}),)
    assert engine.KPI_TEAM in engine.KPI_CODES


def test_bad_inputs_are_refused():
    with pytest.raises(engine.KpiEngineError, match="add up to 4400, not to the reward of 4500"):
        engine.check_allocation(4500, {"A": 2000, "B": 2400})
    with pytest.raises(engine.KpiEngineError):
        engine.check_allocation(4500, {"A": 5000, "B": -500})
    with pytest.raises(engine.KpiEngineError, match="must not all be 0"):
        engine.split_by_coefficients(100, {"A": 0})
    with pytest.raises(engine.KpiEngineError, match="between 0 and 100"):
        engine.team_reward(1000, 150)
    with pytest.raises(engine.KpiEngineError, match="No figures for month 3"):
        targets.figures(YEAR[:2], 2)
    with pytest.raises(engine.KpiEngineError, match="Unknown attainment basis"):
        targets.figures(YEAR, 1, "weekly")
    with pytest.raises(engine.KpiEngineError, match="at most 12 months"):
        targets.figures([(1, 1)] * 13, 0)


def test_doctests_and_no_odoo_import():
    assert doctest.testmod(targets).failed == 0
    tree = ast.parse((ENGINE_DIR / "targets.py").read_text())
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [module for module in imported if module.startswith("odoo")]
