"""Pure tests of the service advisor's commission (engine/commission.py) and of
KPI_COMMISSION in the pay plan (engine/payplan.py); no Odoo, no database.

Seed 000 4S店售后服务绩效考核方案 (业务接待岗位): 产值 = repair receipts + warranty
claims received + accident repairs; production commission = 产值 × 0.5 % × 产值目标
达成率 × 接车台次目标达成率; accessories 10 % (front desk 6 %, workshop 4 %), none
at 8折 or below; 个人提成 = (产值提成 + 精品提成) × 个人系数 / 业务组总系数;
probationers earn none; complaints cut 5 / 20 / 50 % and a reception score below
96 cuts 10 % of the commission total; 30 % above the base salary waits for year end.
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
AdvisorMonth, group_commission = engine.AdvisorMonth, engine.group_commission
PayMonth, ContractTerms, PayRules = engine.PayMonth, engine.ContractTerms, engine.PayRules
COMMISSION = engine.KPI_COMMISSION

# The worked example: 产值 200,000 (150,000 receipts + 30,000 claims +
# 20,000 accident repairs), 110 % of the production target, 95 of 100 vehicles,
# accessories sold for 9,000 against a list value of 10,000 (90 %, 9折).
SEED = AdvisorMonth(
    repair_receipts=150000,
    warranty_claims=30000,
    accident_repairs=20000,
    production_target=181818.18,
    intake=95,
    intake_target=100,
    accessory_sales=9000,
    accessory_list=10000,
)
ADVISOR = ContractTerms(wage=3000, reception_staff=True)


def advisor_month(score=98.0, complaints=0, members=(("A", SEED),), key="A", **kwargs):
    return PayMonth(
        score=score,
        complaints=complaints,
        commission_members=members,
        commission_key=key,
        **kwargs,
    )


RULES = PayRules()


def plan(month, contract=ADVISOR, rules=RULES):
    return engine.pay_plan(month, contract, rules)


def test_production_value_is_the_three_parts():
    assert SEED.production_value == 200000.0


def test_seed_advisor_production_and_accessory_commission():
    """200,000 × 0.5 % × 110 % × 95 % = 1,045; 9,000 × 6 % = 540; alone in his group."""
    line = group_commission({"A": SEED})["A"]
    assert line.amount == 1585.0
    assert line.explanation == "(200000 × 0.5 % × 110 % × 95 % + 9000 × 6 %) × 1/1 = 1585"
    assert engine.attainment(200000, 181818.18, "production value") == 110.0
    assert engine.accessory_commission(9000, 10000) == (540.0, 360.0)


def test_accessories_at_eight_tenths_of_list_earn_nothing():
    """精品销售不能低于8折, 按8折销售的精品不计提成: 80 % and below earn 0."""
    assert engine.accessory_commission(8000, 10000) == (0.0, 0.0)
    assert engine.accessory_commission(7900, 10000) == (0.0, 0.0)
    assert engine.accessory_commission(8001, 10000) == (480.06, 320.04)
    line = group_commission(
        {"A": AdvisorMonth(accessory_sales=8000, accessory_list=10000, intake_target=1)}
    )["A"]
    assert line.amount == 0.0
    ((template, params),) = line.notes
    assert template % params == (
        "Accessories sold at 80 % of the list price (at most 80 %) earn no commission."
    )
    # no list value recorded: nothing to compare, the 10 % applies
    assert engine.accessory_commission(5000, 0) == (300.0, 200.0)


def test_production_only_and_accessories_only():
    production = AdvisorMonth(
        repair_receipts=100000, production_target=100000, intake=50, intake_target=50
    )
    assert group_commission({"A": production})["A"].explanation == (
        "100000 × 0.5 % × 100 % × 100 % × 1/1 = 500"
    )
    accessories = AdvisorMonth(accessory_sales=2000, accessory_list=2000)
    assert group_commission({"A": accessories})["A"].explanation == "2000 × 6 % × 1/1 = 120"


def test_group_split_by_personal_coefficients():
    """The group's production value and targets are its members' sums; each gets
    the group commission × his coefficient / the group's total."""
    members = {
        "A": AdvisorMonth(
            repair_receipts=150000,
            production_target=100000,
            intake=60,
            intake_target=50,
            accessory_sales=9000,
            accessory_list=10000,
            coefficient=1.2,
        ),
        "B": AdvisorMonth(
            repair_receipts=50000,
            production_target=100000,
            intake=40,
            intake_target=50,
            coefficient=0.8,
        ),
    }
    lines = group_commission(members)
    # 200,000 × 0.5 % × 100 % × 100 % = 1,000; + 540 accessories = 1,540
    assert lines["A"].amount == 924.0  # 1540 × 1.2 / 2
    assert lines["B"].amount == 616.0  # 1540 × 0.8 / 2
    assert lines["B"].explanation == ("(200000 × 0.5 % × 100 % × 100 % + 9000 × 6 %) × 0.8/2 = 616")


def test_probationer_earns_nothing_and_his_share_is_not_given_to_others():
    """试用期员工没有业绩提成奖金."""
    members = {
        "A": AdvisorMonth(
            repair_receipts=100000, production_target=100000, intake=10, intake_target=10
        ),
        "P": AdvisorMonth(
            repair_receipts=100000,
            production_target=100000,
            intake=10,
            intake_target=10,
            probation=True,
        ),
    }
    lines = group_commission(members)
    assert lines["A"].amount == 500.0  # 200,000 × 0.5 % × 1/2
    assert lines["P"].amount == 0.0
    assert lines["P"].notes[0][0] == "Probationers earn no commission."


def test_rounding_once_to_the_currency_step():
    members = {
        "A": AdvisorMonth(accessory_sales=1000),
        "B": AdvisorMonth(),
        "C": AdvisorMonth(coefficient=1.5),
    }
    lines = group_commission(members)  # 60 split 1 : 1 : 1.5
    assert [lines[key].amount for key in "ABC"] == [17.14, 17.14, 25.71]
    odd = group_commission(
        {"A": AdvisorMonth(accessory_sales=1001)}, engine.CommissionRules(rounding=1.0)
    )
    assert odd["A"].amount == 60.0  # 60.06 rounded to a whole unit


def test_bad_facts_are_refused_with_a_clear_error():
    with pytest.raises(engine.KpiEngineError, match="production value target must be greater"):
        group_commission({"A": AdvisorMonth(repair_receipts=1000, intake=1, intake_target=1)})
    with pytest.raises(engine.KpiEngineError, match="vehicle intake target must be greater"):
        group_commission({"A": AdvisorMonth(repair_receipts=1000, production_target=1000)})
    with pytest.raises(engine.KpiEngineError, match="must not all be 0"):
        group_commission({"A": AdvisorMonth(accessory_sales=100, coefficient=0)})
    with pytest.raises(engine.KpiEngineError):
        group_commission({"A": AdvisorMonth(repair_receipts=-1)})
    with pytest.raises(engine.KpiEngineError, match="at least one advisor"):
        group_commission({})
    # RELIABILITY #43: a coefficient of 100 would take the group's pool
    with pytest.raises(engine.KpiEngineError, match="cannot be above 3"):
        group_commission(
            {
                "A": AdvisorMonth(accessory_sales=100, coefficient=100),
                "B": AdvisorMonth(accessory_sales=100),
            }
        )


def test_pay_plan_pays_kpi_commission_with_its_formula():
    line = plan(advisor_month())[COMMISSION]
    assert line.amount == 1585.0
    assert line.explanation == "(200000 × 0.5 % × 110 % × 95 % + 9000 × 6 %) × 1/1 = 1585"
    # no commission facts: no line
    assert plan(PayMonth(score=98))[COMMISSION].amount == 0.0


@pytest.mark.parametrize(
    ("complaints", "cut", "formula"),
    [
        (0, 0.0, ""),
        (1, -79.25, "−1585 × 5 % = -79.25"),
        (2, -317.0, "−1585 × 20 % = -317"),
        (3, -792.5, "−1585 × 50 % = -792.5"),
    ],
)
def test_complaint_cuts_apply_to_the_commission_total(complaints, cut, formula):
    line = plan(advisor_month(complaints=complaints))["KPI_COMPLAINT"]
    assert line.amount == cut
    if formula:
        assert line.explanation == formula


def test_reception_score_below_96_cuts_ten_percent():
    lines = plan(advisor_month(score=95))
    assert lines["KPI_COMPLAINT"].amount == -158.5
    assert plan(advisor_month(score=96))["KPI_COMPLAINT"].amount == 0.0
    # with a complaint: 5 % + 10 %
    assert plan(advisor_month(score=95, complaints=1))["KPI_COMPLAINT"].amount == -237.75


def test_deferral_holds_thirty_percent_above_the_base_salary():
    """(1585 − 1000) × 30 % = 175.5 waits for year end; none under a base of 3000."""
    lines = plan(advisor_month(), ContractTerms(wage=1000, reception_staff=True))
    assert lines["KPI_DEFER"].amount == 175.5
    assert lines["KPI_DEFER"].explanation == "(1585 − 1000) × 30 % = 175.5"
    assert plan(advisor_month())["KPI_DEFER"].amount == 0.0


def test_commission_total_adds_the_commission_base_pay():
    """A contract with a commission base (KPI_PERF) and advisor facts: the cuts
    apply to both together."""
    contract = ContractTerms(wage=3000, performance_base=1000, reception_staff=True)
    lines = plan(advisor_month(score=90, complaints=1), contract)
    assert lines["KPI_PERF"].amount == 900.0
    assert lines[COMMISSION].amount == 1585.0
    # (900 + 1585) × (5 % + 10 %)
    assert lines["KPI_COMPLAINT"].amount == -372.75


def test_veto_zeroes_the_commission_and_without_evaluation_nothing_is_paid():
    lines = plan(advisor_month(vetoed=True, complaints=2))
    assert lines[COMMISSION].amount == 0.0
    assert lines[COMMISSION].notes[0][0] == "A veto item was not achieved: no commission."
    assert lines["KPI_COMPLAINT"].amount == 0.0
    assert plan(advisor_month(evaluated=False))[COMMISSION].amount == 0.0


def test_probationer_in_the_pay_plan():
    members = (("A", SEED), ("P", AdvisorMonth(repair_receipts=1, probation=True)))
    month = advisor_month(members=members, key="P")
    assert plan(month)[COMMISSION].amount == 0.0


def test_commission_is_one_of_the_kpi_codes():
    assert COMMISSION == "KPI_COMMISSION"
    assert COMMISSION in engine.KPI_CODES


@pytest.mark.parametrize("name", ["commission", "paylines"])
def test_doctests_and_no_odoo_import(name):
    module = sys.modules[f"{engine.__name__}.{name}"]
    assert doctest.testmod(module).failed == 0
    tree = ast.parse((ENGINE_DIR / f"{name}.py").read_text())
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [module for module in imported if module.startswith("odoo")]
