"""The service advisor's commission of seed 000 (4S店售后服务绩效考核方案, 业务接待岗位).

Income = base salary + commission (收入=基本工资+奖金).  The commission of a
reception group (业务组) for a month:

* production commission (正常维修产值提成) = 产值 × 0.5 % × 产值目标达成率 ×
  接车台次目标达成率, where 产值 = repair receipts (正常维修结算单实际收款) +
  warranty claims received (SGM索赔实际回款) + accident repairs (事故车维修金额);
* accessory commission (精品提成) = 10 % of the accessory sales (精品营业额, the
  amount received), of which the front desk (前台业务人员) gets 6 % and the
  workshop (车间安装) 4 %; accessories sold at 80 % of the list price or less
  (8折) earn nothing;
* each advisor's commission (个人提成) = (production + front-desk accessory
  commission of the group) × personal coefficient / the group's total coefficient.

The group's production value, targets, intake and accessory sales are the sums of
its members' figures; a group of one is an advisor on his own.  Probationers (试用期
员工) earn no commission: their figures count for the group, their coefficient is
in the group's total, and their share is not paid.

The complaint cuts (5 / 20 / 50 %) and the reception score cut (< 96: 10 %) apply
to the commission total: they are the pay plan's KPI_COMPLAINT
(``payplan._commission_lines``), not repeated here.

>>> month = AdvisorMonth(repair_receipts=200000, production_target=181818.18,
...                      intake=95, intake_target=100, accessory_sales=9000,
...                      accessory_list=10000)
>>> group_commission({"A": month})["A"].explanation
'(200000 × 0.5 % × 110 % × 95 % + 9000 × 6 %) × 1/1 = 1585'
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import KpiEngineError, _lt
from .pay import CENT, _amount, _money
from .paylines import PayLine, fmt, note
from .scoring import PERCENT, _non_negative, _round

PRODUCTION_PCT = 0.5  # 产值×0.5%
ACCESSORY_PCT = 10.0  # 精品营业额的10%
FRONT_DESK_PCT = 6.0  # 前台业务人员按6%
WORKSHOP_PCT = 4.0  # 车间安装为4%
MIN_PRICE_PCT = 80.0  # 精品销售不能低于8折, 按8折销售的精品不计提成
# 个人系数: the seed gives no figures; front desks grade their advisors around 1
# (0.8, 1.0, 1.2). Above 3 one member would take most of the group's pool: a typing
# slip or an attack (RELIABILITY #43), not a grading.
COEFFICIENT_MAX = 3.0

PROBATION = _lt("Probationers earn no commission.")
NO_COEFFICIENT = _lt("The personal coefficient is 0.")
COEFFICIENT_TOO_HIGH = _lt("The personal coefficient cannot be above %(limit)s (got %(value)s).")
LOW_PRICE = _lt(
    "Accessories sold at %(pct)s %% of the list price (at most %(floor)s %%) earn no commission."
)


@dataclass(frozen=True)
class CommissionRules:
    """The company's commission rates (the seed's by default)."""

    production_pct: float = PRODUCTION_PCT
    front_desk_pct: float = FRONT_DESK_PCT
    workshop_pct: float = WORKSHOP_PCT
    min_price_pct: float = MIN_PRICE_PCT
    rounding: float = CENT


@dataclass(frozen=True)
class AdvisorMonth:
    """One advisor's month: the parts of his production value, the targets, the
    vehicles received (接车台次), the accessories sold (amount received and list
    value), his personal coefficient and whether he is on probation."""

    repair_receipts: float = 0.0
    warranty_claims: float = 0.0
    accident_repairs: float = 0.0
    production_target: float = 0.0
    intake: float = 0.0
    intake_target: float = 0.0
    accessory_sales: float = 0.0
    accessory_list: float = 0.0
    coefficient: float = 1.0
    probation: bool = False

    @property
    def production_value(self):
        """产值 = repair receipts + warranty claims received + accident repairs."""
        return (
            _amount(self.repair_receipts, "repair receipts")
            + _amount(self.warranty_claims, "warranty claims received")
            + _amount(self.accident_repairs, "accident repairs")
        )


def attainment(actual, target, name):
    """Return ``actual / target`` in percent (目标达成率), not capped.

    >>> attainment(200000, 181818.18, "production value")
    110.0
    """
    actual = _amount(actual, name)
    target = _non_negative(target, f"{name} target")
    if not target:
        raise KpiEngineError(
            _lt("The %(name)s target must be greater than zero for its attainment rate."),
            name=name,
        )
    return _round(actual * PERCENT / target)


def accessory_commission(sales, list_value, rules=CommissionRules()):
    """Return ``(front desk, workshop)`` commission of accessory sales (unrounded).

    10 % of the sales, 6 % to the front desk and 4 % to the workshop; nothing when
    the sales are 80 % of the list value or less (``list_value`` 0: no list price
    recorded, no check).

    >>> accessory_commission(9000, 10000)
    (540.0, 360.0)
    >>> accessory_commission(8000, 10000)
    (0.0, 0.0)
    """
    sales = _amount(sales, "accessory sales")
    list_value = _amount(list_value, "accessory list value")
    if list_value and sales * PERCENT <= list_value * rules.min_price_pct:
        return 0.0, 0.0
    return (
        _round(sales * rules.front_desk_pct / PERCENT),
        _round(sales * rules.workshop_pct / PERCENT),
    )


def coefficient(value):
    """Return the personal coefficient (个人系数), between 0 and :data:`COEFFICIENT_MAX`.

    >>> coefficient(1.2)
    1.2
    """
    value = _non_negative(value, "personal coefficient")
    if value > COEFFICIENT_MAX:
        raise KpiEngineError(COEFFICIENT_TOO_HIGH, limit=fmt(COEFFICIENT_MAX), value=fmt(value))
    return value


def _price_pct(sales, list_value):
    return _round(sales * PERCENT / list_value) if list_value else None


def group_commission(members, rules=CommissionRules()):
    """Return ``{key: PayLine}``: each member's commission of one group-month.

    ``members`` maps each advisor's key to his :class:`AdvisorMonth`.  The group's
    production commission and front-desk accessory commission are computed on the
    members' sums and split by the personal coefficients; each share is rounded
    once.  A probationer's share is 0 (not given to the others).

    >>> members = {"A": AdvisorMonth(repair_receipts=150000, production_target=200000,
    ...                              intake=80, intake_target=100, coefficient=1.2),
    ...            "B": AdvisorMonth(repair_receipts=100000, production_target=100000,
    ...                              intake=70, intake_target=100, coefficient=0.8)}
    >>> {key: line.amount for key, line in group_commission(members).items()}
    {'A': 468.75, 'B': 312.5}
    """
    if not isinstance(members, Mapping) or not members:
        raise KpiEngineError(_lt("A commission group needs at least one advisor."))
    months = list(members.values())
    value = math.fsum(month.production_value for month in months)
    target = math.fsum(_amount(m.production_target, "production target") for m in months)
    intake = math.fsum(_amount(m.intake, "vehicle intake") for m in months)
    intake_target = math.fsum(_amount(m.intake_target, "vehicle intake target") for m in months)
    sales = math.fsum(_amount(m.accessory_sales, "accessory sales") for m in months)
    list_value = math.fsum(_amount(m.accessory_list, "accessory list value") for m in months)
    coefficients = {key: coefficient(month.coefficient) for key, month in members.items()}
    total_coefficient = math.fsum(coefficients.values())
    if not total_coefficient > 0:
        raise KpiEngineError(_lt("The group's personal coefficients must not all be 0."))
    production, production_text = 0.0, ""
    if value:
        value_pct = attainment(value, target, "production value")
        intake_pct = attainment(intake, intake_target, "vehicle intake")
        production = (
            value * rules.production_pct / PERCENT * value_pct / PERCENT * intake_pct / PERCENT
        )
        production_text = (
            f"{fmt(value)} × {fmt(rules.production_pct)} % × {fmt(value_pct)} % × "
            f"{fmt(intake_pct)} %"
        )
    front_desk, _workshop = accessory_commission(sales, list_value, rules)
    notes = ()
    if sales and not front_desk:
        notes = note(
            LOW_PRICE, pct=fmt(_price_pct(sales, list_value)), floor=fmt(rules.min_price_pct)
        )
    accessory_text = f"{fmt(sales)} × {fmt(rules.front_desk_pct)} %" if front_desk else ""
    pool_text = " + ".join(text for text in (production_text, accessory_text) if text)
    if production_text and accessory_text:
        pool_text = f"({pool_text})"
    pool = production + front_desk
    lines = {}
    for key, month in members.items():
        share = coefficients[key]
        if month.probation:
            lines[key] = PayLine(0.0, "", notes + note(PROBATION))
        elif not share:
            lines[key] = PayLine(0.0, "", notes + note(NO_COEFFICIENT))
        elif not pool:
            lines[key] = PayLine(0.0, "", notes)
        else:
            amount = _money(pool * share / total_coefficient, rules.rounding)
            expression = f"{pool_text} × {fmt(share)}/{fmt(total_coefficient)}"
            lines[key] = PayLine(amount, expression, notes)
    return lines


__all__ = [
    "ACCESSORY_PCT",
    "COEFFICIENT_MAX",
    "FRONT_DESK_PCT",
    "MIN_PRICE_PCT",
    "PRODUCTION_PCT",
    "WORKSHOP_PCT",
    "AdvisorMonth",
    "CommissionRules",
    "accessory_commission",
    "attainment",
    "coefficient",
    "group_commission",
]
