"""What 末位 and 差 do to pay once HR approved them (seed 004, pure Python, no Odoo).

Seed 004 第20条 考核结果运用:

* 末位处理: 对考核结果为差或居部门末位者, 视情况给予本岗位留用、待岗培训、分流或淘汰;
  待岗时间至少为三天, 待岗培训期间不予发工资.  HR decides the standby-training
  days (at least 3); they are unpaid: the month's payslip deducts them at the day
  rate of the contract wage over the month's working days (the contract's working
  calendar, public holidays left out):
  ``−wage / working days × days``: −4400 / 22 × 3 = −600.
* 工资晋升: 考核结果为差的下调一级工资.  The seed does not say how large a grade is;
  each company configures it: a fixed wage step (e.g. 200), or, without one, a
  percentage of the wage (default 5 %).  The lower wage is proposed, approved by
  a second HR officer, then written to the contract; never silently.

>>> tuple(standby_deduction(4400, 22, 3))
(-600.0, '−4400 / 22 × 3 = -600')
>>> one_grade_down(4400, pct=5), one_grade_down(4400, step=200)
(4180.0, 4200.0)
"""

from dataclasses import dataclass

from .errors import KpiEngineError, _lt
from .pay import CENT, _amount, _money
from .paylines import PayLine, fmt, note
from .scoring import PERCENT

MIN_STANDBY_DAYS = 3  # 待岗时间至少为三天
SALARY_GRADE_PCT = 5.0  # default size of one salary grade when no step is configured

STANDBY = _lt("%(days)s day(s) of standby training (待岗培训), unpaid.")
LATE_STANDBY = _lt(
    "%(days)s day(s) of standby training (待岗培训) in %(month)s, decided after that "
    "month's payslip: deducted now."
)


def check_standby_days(days, working_days=None):
    """Standby training lasts at least 3 days, and at most the month's working days."""
    if isinstance(days, bool) or not isinstance(days, int) or days < MIN_STANDBY_DAYS:
        raise KpiEngineError(
            _lt("Standby training lasts at least %(minimum)s days, got %(days)s."),
            minimum=MIN_STANDBY_DAYS,
            days=days,
        )
    if working_days is not None and days > working_days:
        raise KpiEngineError(
            _lt("%(days)s standby days are more than the month's %(working)s working days."),
            days=days,
            working=fmt(working_days),
        )
    return days


def standby_deduction(wage, working_days, days, *, rounding=CENT):
    """Return the (negative) :class:`PayLine` of ``days`` unpaid standby days:
    ``−wage / working_days × days``, rounded once."""
    wage = _amount(wage, "wage")
    if not working_days or working_days <= 0:
        raise KpiEngineError(_lt("The month has no working day to count a day's pay from."))
    check_standby_days(days, working_days)
    amount = _money(-wage * days / working_days, rounding)
    return PayLine(
        amount,
        f"−{fmt(wage)} / {fmt(working_days)} × {days}",
        note(STANDBY, days=days),
    )


@dataclass(frozen=True)
class StandbyDays:
    """Standby-training days HR decided for one month: ``month`` names it
    (``"2026-11"``), ``working_days`` are that month's, ``late`` when it is paid by
    the payslip of a later month (decided after its own payslip); ``key``
    identifies it for the caller (the decision)."""

    month: str
    days: int
    working_days: float
    late: bool = False
    key: object = None


def standby_deductions(wage, items, *, rounding=CENT):
    """Return the (negative) :class:`PayLine` of several months' standby days, each
    at the day rate of its own month, summed and rounded once; a month paid late is
    named in the formula.

    >>> late = StandbyDays("2026-10", 3, 22, late=True, key=7)
    >>> line = standby_deductions(4400, [late, StandbyDays("2026-11", 3, 20, key=8)])
    >>> line.explanation, line.keys
    ('2026-10: −4400 / 22 × 3 + −4400 / 20 × 3 = -1260', (7, 8))
    """
    wage = _amount(wage, "wage")
    if not items:
        return PayLine()
    total, parts, notes = 0.0, [], ()
    for item in items:
        if not item.working_days or item.working_days <= 0:
            raise KpiEngineError(
                _lt("The month has no working day to count a day's pay from.")
            )
        check_standby_days(item.days, item.working_days)
        total += -wage * item.days / item.working_days
        formula = f"−{fmt(wage)} / {fmt(item.working_days)} × {item.days}"
        parts.append(f"{item.month}: {formula}" if item.late else formula)
        notes += (
            note(LATE_STANDBY, days=item.days, month=item.month)
            if item.late
            else note(STANDBY, days=item.days)
        )
    return PayLine(
        _money(total, rounding),
        " + ".join(parts),
        notes,
        tuple(item.key for item in items if item.key is not None),
    )


def one_grade_down(wage, step=0.0, pct=SALARY_GRADE_PCT, *, rounding=CENT):
    """Return the wage one salary grade down: ``wage − step`` when the company has a
    wage step, else ``wage × (1 − pct %)``; never below 0."""
    wage = _amount(wage, "wage")
    step = _amount(step or 0.0, "salary grade step")
    pct = _amount(pct or 0.0, "salary grade percentage")
    if not step and not (0 < pct < PERCENT):
        raise KpiEngineError(
            _lt("One salary grade needs a wage step or a percentage between 0 and 100.")
        )
    lower = wage - step if step else wage * (1 - pct / PERCENT)
    return _money(max(lower, 0.0), rounding)


__all__ = [
    "MIN_STANDBY_DAYS",
    "SALARY_GRADE_PCT",
    "StandbyDays",
    "check_standby_days",
    "one_grade_down",
    "standby_deduction",
    "standby_deductions",
]
