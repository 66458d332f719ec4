"""Pure tests of the pay plan (engine/payplan.py): one employee-month's facts in,
every KPI code's amount and formula out (no Odoo, no database).

The worked numbers of the seeds: 003 (2000 + 1200 x 85 % + 200 = 3220 for a rep,
2800 + 2000 x 85 % + 200 = 4700 for a lead, probation 90 % of the three-star pay
with a floor of 70 / 80, result table 90 / 80 / 70), 000 (5000 x 95 % = 4750,
10000 x 110 % = 11000, complaint cuts 5 / 20 / 50 %, reception < 96 -> 10 %,
30 % of the commission above the base salary held to year end, (gross profit -
revenue x 34 %) x 3 % x score split 3 : 5 : 2), 001 (below 60 -> -30 %).
"""

import ast
import doctest
import sys
from dataclasses import FrozenInstanceError, replace

import pytest

try:
    from .engine_loader import ENGINE_DIR, load_engine
except ImportError:
    from engine_loader import ENGINE_DIR, load_engine

engine = load_engine()
PayMonth, ContractTerms, PayRules = engine.PayMonth, engine.ContractTerms, engine.PayRules
pay_plan = engine.pay_plan
CODES = engine.KPI_CODES

REP = ContractTerms(wage=2000)
LEAD = ContractTerms(wage=2800)
SALES = ContractTerms(wage=3000, performance_base=5000)
MANAGER = ContractTerms(wage=8000, performance_base=6000, performance_method=engine.BY_RESULT_TABLE)
RULES = PayRules()
POOL = {"pool_gross_profit": 500000.0, "pool_revenue": 1000000.0}
HOLDERS = ((1, "service_manager"), (2, "parts"), (3, "quality_inspection"))


def amounts(month, contract=REP, rules=RULES):
    return {code: line.amount for code, line in pay_plan(month, contract, rules).items()}


def explained(month, contract=REP, rules=RULES):
    return {code: tuple(line) for code, line in pay_plan(month, contract, rules).items()}


def total(month, contract=REP, rules=RULES):
    """What the structure pays: wage + every code, the deferral deducted."""
    values = amounts(month, contract, rules)
    return contract.wage + sum(values.values()) - 2 * values["KPI_DEFER"]


def test_every_code_is_returned_with_an_explanation():
    plan = pay_plan(PayMonth(score=85, stars=3, star_pay=1200), REP, RULES)
    assert tuple(plan) == CODES
    for code, (amount, explanation) in ((c, tuple(line)) for c, line in plan.items()):
        assert isinstance(amount, float), code
        assert isinstance(explanation, str) and explanation, code


def test_seed_003_rep_3220():
    month = PayMonth(score=85, stars=3, star_pay=1200)
    plan = explained(month)
    assert plan["KPI_STAR"] == (1020.0, "1200 × 85 % = 1020")
    assert plan["KPI_ATT"] == (200.0, "200")
    assert total(month) == 3220.0


def test_seed_003_lead_4700():
    month = PayMonth(score=85, stars=3, star_pay=2000, lead=True)
    assert explained(month, LEAD)["KPI_STAR"] == (1700.0, "2000 × 85 % = 1700")
    assert total(month, LEAD) == 4700.0


def test_seed_000_commission_4750_and_deferral_of_the_excess():
    plan = explained(PayMonth(score=95), SALES)
    assert plan["KPI_PERF"] == (4750.0, "5000 × 95 % = 4750")
    # 30 % of (4750 - 3000) is held to year end
    assert plan["KPI_DEFER"] == (525.0, "(4750 − 3000) × 30 % = 525")
    assert amounts(PayMonth(score=50), SALES)["KPI_DEFER"] == 0.0  # 2500 < 3000


def test_seed_000_annual_bonus_11000():
    contract = replace(REP, annual_bonus_base=10000)
    plan = explained(PayMonth(annual_score=110), contract)
    assert plan["KPI_ANNUAL"] == (11000.0, "10000 × 110 % = 11000")
    # no annual result, or no base: nothing
    assert amounts(PayMonth(), contract)["KPI_ANNUAL"] == 0.0
    assert amounts(PayMonth(annual_score=110), REP)["KPI_ANNUAL"] == 0.0
    # the annual bonus does not need a monthly evaluation
    assert amounts(PayMonth(evaluated=False, annual_score=110), contract)["KPI_ANNUAL"] == 11000.0


@pytest.mark.parametrize(
    ("complaints", "cut", "rate"),
    [(0, 0.0, 0), (1, -237.5, 5), (2, -950.0, 20), (3, -2375.0, 50), (4, -2375.0, 50)],
)
def test_seed_000_complaint_cuts_5_20_50(complaints, cut, rate):
    amount, explanation = explained(PayMonth(score=95, complaints=complaints), SALES)[
        "KPI_COMPLAINT"
    ]
    assert amount == cut
    if cut:
        assert explanation == f"−4750 × {rate} % = {cut:g}"


def test_seed_000_reception_score_below_96_cuts_10_more():
    reception = replace(SALES, reception_staff=True)
    assert amounts(PayMonth(score=95), reception)["KPI_COMPLAINT"] == -475.0  # 10 %
    assert amounts(PayMonth(score=96), reception)["KPI_COMPLAINT"] == 0.0  # 96 is not cut
    # with two complaints: 20 % + 10 %
    plan = explained(PayMonth(score=95, complaints=2), reception)
    assert plan["KPI_COMPLAINT"] == (-1425.0, "−4750 × 30 % = -1425")
    # not reception staff: the score does not cut
    assert amounts(PayMonth(score=95), SALES)["KPI_COMPLAINT"] == 0.0


def test_seed_001_low_score_below_60_cuts_30_percent_of_the_pay():
    month = PayMonth(score=59, stars=3, star_pay=1200)
    plan = explained(month, replace(REP, performance_base=1000))
    # star 1200 x 59 % = 708, performance 1000 x 59 % = 590; 30 % of 1298
    assert plan["KPI_STAR"][0] == 708.0 and plan["KPI_PERF"][0] == 590.0
    assert plan["KPI_LOW"] == (-389.4, "−1298 × 30 % = -389.4")
    assert amounts(replace(month, score=60))["KPI_LOW"] == 0.0  # exactly 60 is not cut


def test_probation_rep_is_paid_90_percent_of_3_star_pay_on_a_floor_of_70():
    probation_pay = 1200 * 0.9  # engine.probation_pay(1200)
    assert engine.probation_pay(1200) == probation_pay == 1080.0
    month = PayMonth(score=65, stars=1, star_pay=probation_pay, probation=True)
    line = pay_plan(month, REP, RULES)["KPI_STAR"]
    assert tuple(line) == (756.0, "1080 × 70 % = 756")  # 65 counts as 70
    assert any("Probation" in template for template, _params in line.notes)
    # 70 is the floor, so no low-score cut below 60 either
    assert amounts(replace(month, score=50))["KPI_LOW"] == 0.0
    # above the floor the real score pays
    assert amounts(replace(month, score=75))["KPI_STAR"] == 810.0
    # not on probation: the real score (and the cut below 60)
    regular = replace(month, score=50, probation=False)
    assert amounts(regular)["KPI_STAR"] == 540.0
    assert amounts(regular)["KPI_LOW"] == -162.0


def test_probation_lead_floor_is_80():
    month = PayMonth(score=75, stars=1, star_pay=1500, probation=True, lead=True)
    assert explained(month, LEAD)["KPI_STAR"] == (1200.0, "1500 × 80 % = 1200")


def test_veto_zeroes_star_and_performance_pay_and_nothing_is_paid_back():
    month = PayMonth(score=40, vetoed=True, stars=3, star_pay=1200, complaints=2)
    contract = replace(SALES, wage=1000)
    values = amounts(month, contract)
    assert values["KPI_STAR"] == values["KPI_PERF"] == 0.0
    # nothing to cut from nothing, nothing held back to pay later
    assert values["KPI_LOW"] == values["KPI_COMPLAINT"] == values["KPI_DEFER"] == 0.0
    line = pay_plan(month, contract, RULES)["KPI_STAR"]
    assert "veto" in line.notes[0][0]
    # attendance does not depend on the score
    assert values["KPI_ATT"] == 200.0


def test_veto_keeps_the_result_table_cut_of_the_fixed_pay():
    values = amounts(PayMonth(score=65, vetoed=True), MANAGER)
    assert values["KPI_PERF"] == 0.0
    assert values["KPI_LOW"] == -800.0  # 8000 x 10 %


@pytest.mark.parametrize(
    ("score", "perf", "low"),
    [(95, 6000.0, 0.0), (89.99, 4800.0, 0.0), (75, 3000.0, 0.0), (69.99, 0.0, -800.0)],
)
def test_seed_003_result_table(score, perf, low):
    values = amounts(PayMonth(score=score), MANAGER)
    assert (values["KPI_PERF"], values["KPI_LOW"]) == (perf, low)
    # the table's manager has no commission cuts
    assert values["KPI_COMPLAINT"] == values["KPI_DEFER"] == 0.0


def test_result_table_follows_the_company_rows():
    rules = replace(RULES, result_table=((90.0, 100.0), (80.0, 70.0), (70.0, 40.0)), result_cut=20)
    plan = explained(PayMonth(score=85), MANAGER, rules)
    assert plan["KPI_PERF"] == (4200.0, "6000 × 70 % = 4200")
    assert amounts(PayMonth(score=60), MANAGER, rules)["KPI_LOW"] == -1600.0


@pytest.mark.parametrize(
    ("events", "absences", "bonus"), [(0, 0, 200.0), (3, 0, 200.0), (4, 0, 0.0), (0, 1, 0.0)]
)
def test_full_attendance_at_most_3_events_and_no_absenteeism(events, absences, bonus):
    month = PayMonth(evaluated=False, attendance_events=events, absences=absences)
    assert amounts(month)["KPI_ATT"] == bonus


def test_full_attendance_follows_the_company_limit_and_bonus():
    rules = replace(RULES, attendance_limit=0, attendance_bonus=150.005)
    assert amounts(PayMonth(attendance_events=1), REP, rules)["KPI_ATT"] == 0.0
    assert amounts(PayMonth(), REP, rules)["KPI_ATT"] == 150.01  # rounded once, half up


def test_awards_are_summed_then_rounded_once():
    month = PayMonth(awards=(("服务明星", 300.0), ("进步之星", 200.0)))
    line = pay_plan(month, REP, RULES)["KPI_AWARD"]
    assert tuple(line) == (500.0, "300 + 200 = 500")
    assert line.notes[0][1] == {"awards": "服务明星 300、进步之星 200"}
    assert amounts(PayMonth(awards=(("服务明星", 500.0),)))["KPI_AWARD"] == 500.0
    assert amounts(PayMonth())["KPI_AWARD"] == 0.0


def test_seed_000_pool_share_by_coefficients():
    manager = replace(REP, pool_position="service_manager")
    month = PayMonth(score=95, pool_holders=HOLDERS, pool_key=1, **POOL)
    # (500000 - 1000000 x 34 %) x 3 % = 4800; x 95 % = 4560; 3/10 -> 1368
    plan = explained(month, manager)
    assert plan["KPI_POOL"] == (
        1368.0,
        "(500000 − 1000000 × 34 %) × 3 % × 95 % × 3/10 = 1368",
    )
    parts = replace(REP, pool_position="parts")
    assert amounts(replace(month, pool_key=2), parts)["KPI_POOL"] == 2280.0
    quality = replace(REP, pool_position="quality_inspection")
    assert amounts(replace(month, pool_key=3), quality)["KPI_POOL"] == 912.0


def test_pool_alone_holder_takes_the_whole_bonus_and_a_loss_pays_nothing():
    manager = replace(REP, pool_position="service_manager")
    alone = PayMonth(score=95, pool_key=7, **POOL)
    assert amounts(alone, manager)["KPI_POOL"] == 4560.0
    loss = replace(alone, pool_gross_profit=300000.0)
    assert amounts(loss, manager)["KPI_POOL"] == 0.0
    # no position, no pool figures, or no evaluation: nothing
    assert amounts(alone, REP)["KPI_POOL"] == 0.0
    assert (
        amounts(replace(alone, pool_gross_profit=0.0, pool_revenue=0.0), manager)["KPI_POOL"] == 0.0
    )
    assert amounts(replace(alone, evaluated=False), manager)["KPI_POOL"] == 0.0


def test_pool_remainder_goes_to_the_largest_coefficient():
    manager = replace(REP, pool_position="service_manager")
    month = PayMonth(
        score=100, pool_gross_profit=340.01, pool_revenue=0.0, pool_holders=HOLDERS, pool_key=2
    )
    shares = [
        amounts(replace(month, pool_key=key), replace(manager, pool_position=pos))["KPI_POOL"]
        for key, pos in HOLDERS
    ]
    assert round(sum(shares), 2) == 10.2  # 340.01 x 3 % = 10.2003 -> 10.20


def test_without_evaluation_only_attendance_awards_and_annual_pay():
    month = PayMonth(
        evaluated=False,
        score=95,
        stars=3,
        star_pay=1200,
        complaints=3,
        awards=(("服务明星", 200.0),),
        pool_key=1,
        **POOL,
    )
    contract = replace(SALES, pool_position="parts")
    values = amounts(month, contract)
    assert values["KPI_ATT"] == 200.0 and values["KPI_AWARD"] == 200.0
    for code in ("KPI_STAR", "KPI_PERF", "KPI_LOW", "KPI_COMPLAINT", "KPI_DEFER", "KPI_POOL"):
        assert values[code] == 0.0, code


def test_no_star_month_no_star_pay():
    assert amounts(PayMonth(score=85))["KPI_STAR"] == 0.0


def test_rounding_once_with_the_currency_step():
    # a currency without decimals: whole units, half away from zero
    rules = replace(RULES, rounding=1.0)
    month = PayMonth(score=85.5, stars=3, star_pay=1201)  # 1026.855
    assert amounts(month, REP, rules)["KPI_STAR"] == 1027.0
    assert amounts(month)["KPI_STAR"] == 1026.86
    # the low-score cut is a share of the pay as paid (rounded), rounded once
    low = PayMonth(score=33.33, stars=3, star_pay=1000)  # 333.3 -> cut 99.99
    assert amounts(low)["KPI_LOW"] == -99.99
    assert amounts(low, REP, rules)["KPI_LOW"] == -100.0  # 30 % of 333


def test_rules_from_company_settings():
    settings = {
        "attendance_bonus": 300.0,
        "attendance_limit": 2,
        "low_threshold": 60.0,
        "low_cut": 30.0,
        "complaint_steps": [5.0, 20.0, 50.0],
        "reception_threshold": 96.0,
        "reception_cut": 10.0,
        "deferral": 30.0,
        "pool_ratio": 34.0,
        "pool_pct": 3.0,
        "pool_coefficients": {"service_manager": 3.0, "parts": 5.0, "quality_inspection": 2.0},
        "result_table": ((90.0, 100.0), (80.0, 80.0), (70.0, 50.0)),
        "result_cut": 10.0,
        "currency": object(),  # ignored
    }
    rules = PayRules.from_settings(settings, rounding=0.01)
    assert rules.attendance_bonus == 300.0 and rules.complaint_steps == (5.0, 20.0, 50.0)
    assert rules.coefficient("parts") == 5.0
    with pytest.raises(FrozenInstanceError):
        rules.low_cut = 0
    with pytest.raises(FrozenInstanceError):
        PayMonth().score = 1


def test_bad_facts_raise_the_engine_error():
    with pytest.raises(engine.KpiEngineError):
        pay_plan(PayMonth(score=-1, stars=3, star_pay=1200), REP, RULES)
    with pytest.raises(engine.KpiEngineError):
        pay_plan(PayMonth(score=80), REP, replace(RULES, complaint_steps=(20.0, 5.0)))


def test_notes_are_translatable_templates():
    plan = pay_plan(
        PayMonth(score=50, stars=1, star_pay=1080, probation=True, complaints=1),
        replace(SALES, reception_staff=True),
        RULES,
    )
    for line in plan.values():
        for template, params in line.notes:
            assert template % params  # every placeholder is given


def test_payplan_doctests_and_no_odoo_import():
    module = sys.modules[f"{engine.__name__}.payplan"]
    assert doctest.testmod(module).failed == 0
    tree = ast.parse((ENGINE_DIR / "payplan.py").read_text())
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert not [name for name in imported if name.startswith("odoo")]
