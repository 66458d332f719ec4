"""Back-pay (补发) of months missed monthly but achieved later in the quarter or the
year to date (seed 000 浙江和通, pure Python, no Odoo).

Seed 000 备注 2-3: 指标按月取数, 在计算工资时间节点, 当季度完成或累计数完成, 都算完成;
加粗部分为否决项, 未达到该项奖励为0, 且后期累计数达成也不再补发.

* :func:`back_paid_months`: the earlier months of one indicator that the pay run of
  ``month`` pays back (the engine's ``paid_months``: what this pay run pays that the
  previous one did not, the month itself aside). A veto item is never paid back.
* :func:`back_pay`: the amount.  A missed month counts as achieved: the indicator is
  paid as if it had reached its target that month.  With pay by score (seed 000
  效劳经理 提成工资 = 提成基数 × 绩效分数 %), the month lacked ``achieved - scored``
  weighted points, so the back-pay is ``base × (achieved − scored) %`` per month and
  indicator: 5000 × (30 − 27) % = 150.  The base is the paying contract's
  performance base (the pay in force at pay time), rounded once.

>>> year = [(90, 100), (95, 100), (130, 100)]
>>> back_paid_months(year, 2)
[0, 1]
>>> missed = [MissedMonth(1, "维修收入", 30, 27), MissedMonth(2, "维修收入", 30, 28.5)]
>>> tuple(back_pay(5000, missed))
(225.0, '5000 × (30 − 27) % + 5000 × (30 − 28.5) % = 225')
"""

import math
from dataclasses import dataclass

from .errors import KpiEngineError, _lt
from .pay import CENT, _amount, _money
from .paylines import PayLine, fmt, note
from .scoring import HIGHER, PERCENT
from .targets import SUM, paid_months

BACK_PAID = _lt(
    "%(indicator)s, month %(month)s: missed in its month, achieved in the quarter or the "
    "year to date, paid back now."
)


@dataclass(frozen=True)
class MissedMonth:
    """One month of one indicator paid back: its month (1-12), the indicator's name,
    the weighted points it scores at its target (``achieved``) and those it scored
    (``scored``); ``key`` identifies it for the caller (the evaluation line)."""

    month: int
    indicator: str
    achieved: float
    scored: float
    key: object = None

    @property
    def missing(self):
        return max(self.achieved - self.scored, 0.0)


def back_paid_months(months, month, basis="monthly", direction=HIGHER, aggregate=SUM, veto=False):
    """Return the earlier months (0-based) the pay run of ``month`` pays back.

    ``months``: ``(actual, target)`` per month of the year, January first (``None``
    without figures), as :func:`.targets.paid_months` takes them.  A veto item:
    none, ever (后期累计数达成也不再补发).

    >>> back_paid_months([(90, 100), (95, 100), (130, 100)], 1)
    []
    >>> back_paid_months([(90, 100), (95, 100), (130, 100)], 2, veto=True)
    []
    """
    if veto:
        return []
    if not 0 <= month < len(months):
        raise KpiEngineError(_lt("No figures for month %(month)s."), month=month + 1)
    now = paid_months(months, month, basis, direction, aggregate, lenient=True)
    before = paid_months(months, month - 1, basis, direction, aggregate, lenient=True)
    return sorted(set(now) - set(before) - {month})


def back_pay(base, missed, *, rounding=CENT):
    """Return the :class:`PayLine` paying back ``missed`` (:class:`MissedMonth`)
    on the performance ``base``: ``base × (achieved − scored) %`` each, summed, then
    rounded once.  Nothing without a base or without a missing point."""
    base = _amount(base, "performance pay base")
    items = [item for item in missed if item.missing > 0]
    if not base or not items:
        return PayLine()
    amount = _money(math.fsum(base * item.missing / PERCENT for item in items), rounding)
    expression = " + ".join(
        f"{fmt(base)} × ({fmt(item.achieved)} − {fmt(item.scored)}) %" for item in items
    )
    notes = ()
    for item in items:
        notes += note(BACK_PAID, indicator=item.indicator, month=item.month)
    return PayLine(amount, expression, notes, tuple(item.key for item in items))


__all__ = ["MissedMonth", "back_paid_months", "back_pay"]
