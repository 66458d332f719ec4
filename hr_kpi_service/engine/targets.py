"""Personal targets over a year: attainment by month, quarter or year to date, the
stretch target (力争), vetoes and the team reward (pure Python, no Odoo).

Seed 000 (浙江和通 2015 服务部量化考核方案, 目标责任书 January–December):

* 指标按月取数: figures are taken per month; at pay time (在计算工资时间节点),
  when the quarter's figure or the cumulative figure is achieved, the indicator
  counts as achieved (当季度完成或累计数完成,都算完成);
* bold items are vetoes (否决项): missed, the month's reward is 0, and a later
  cumulative achievement does not pay it back (后期累计数达成也不再补发); an
  ordinary item missed in a month is paid back when its quarter or its
  cumulative figure is achieved later;
* reaching the stretch target (力争指标) sets aside 0.3 % of the quarter's repair
  revenue as a team reward (季度计提维修收入0.3%作为团队奖励), requested by the
  service manager.

A year of one indicator is a sequence of ``(actual, target)`` pairs, January
first (``None`` for a month without figures yet).  Quarters and the year to date
add the months up (``SUM``: revenue, vehicles) or average them (``AVERAGE``: a
rate, a satisfaction score).
"""

import math
from collections.abc import Mapping

from .errors import KpiEngineError, _lt
from .pay import CENT, _amount, _money
from .paylines import fmt
from .ranking import _pct
from .scoring import DIRECTIONS, HIGHER, PERCENT, _direction, _non_negative, _round

MONTHLY = "monthly"  # each month on its own
QUARTERLY = "quarterly"  # the quarter to date
CUMULATIVE = "cumulative"  # the year to date
BASES = (MONTHLY, QUARTERLY, CUMULATIVE)
SUM = "sum"
AVERAGE = "average"
AGGREGATES = (SUM, AVERAGE)
TEAM_REWARD_PCT = 0.3  # 季度计提维修收入0.3%
MONTHS = 12


def _check_months(months):
    months = list(months)
    if len(months) > MONTHS:
        raise KpiEngineError(_lt("A year has at most 12 months of figures."))
    for entry in months:
        if entry is not None and (not isinstance(entry, (tuple, list)) or len(entry) != 2):
            raise KpiEngineError(
                _lt("A month's figures are (actual, target), got %(value)s."), value=repr(entry)
            )
    return months


def _aggregate(values, aggregate):
    if aggregate == SUM:
        return math.fsum(values)
    if aggregate == AVERAGE:
        return math.fsum(values) / len(values)
    raise KpiEngineError(
        _lt("Unknown aggregation %(value)s; expected one of %(known)s."),
        value=repr(aggregate),
        known=", ".join(AGGREGATES),
    )


def _window(month, basis):
    """The months (0-based indexes) that ``basis`` adds up at ``month``."""
    if basis == MONTHLY:
        return range(month, month + 1)
    if basis == QUARTERLY:
        return range(month - month % 3, month + 1)
    return range(0, month + 1)


def figures(months, month, basis=MONTHLY, aggregate=SUM):
    """Return ``(actual, target)`` of ``basis`` at ``month`` (0 = January).

    Months without figures in the window are left out.

    >>> year = [(90, 100), (120, 100), (95, 100)]
    >>> figures(year, 2, QUARTERLY), figures(year, 2, QUARTERLY, AVERAGE)
    ((305.0, 300.0), (101.6667, 100.0))
    """
    months = _check_months(months)
    if basis not in BASES:
        raise KpiEngineError(
            _lt("Unknown attainment basis %(value)s; expected one of %(known)s."),
            value=repr(basis),
            known=", ".join(BASES),
        )
    if not 0 <= month < len(months):
        raise KpiEngineError(_lt("No figures for month %(month)s."), month=month + 1)
    entries = [months[index] for index in _window(month, basis) if months[index] is not None]
    if not entries:
        raise KpiEngineError(_lt("No figures for month %(month)s."), month=month + 1)
    actual = _aggregate([_non_negative(a, "actual value") for a, _t in entries], aggregate)
    target = _aggregate([_non_negative(t, "target") for _a, t in entries], aggregate)
    return _round(actual), _round(target)


def reached(actual, target, direction=HIGHER):
    """Whether ``actual`` meets ``target`` (at or above; at or below for lower-is-better).

    >>> reached(100, 100), reached(99, 100), reached(2, 3, "lower")
    (True, False, True)
    """
    direction = _direction(direction)
    actual, target = _round(actual), _round(target)
    return actual >= target if direction == HIGHER else actual <= target


def attained(months, month, basis=MONTHLY, direction=HIGHER, aggregate=SUM, lenient=False):
    """Return ``(achieved, basis that decided)`` of an indicator at ``month``.

    ``basis`` is the indicator's own (monthly, quarterly or cumulative).  With
    ``lenient`` (seed 000: 当季度完成或累计数完成,都算完成), the quarter to date
    or the year to date achieved also counts.

    >>> year = [(90, 100), (120, 100)]
    >>> attained(year, 0), attained(year, 1, lenient=True)
    ((False, 'monthly'), (True, 'monthly'))
    >>> attained([(120, 100), (90, 100)], 1, lenient=True)
    (True, 'quarterly')
    """
    bases = (basis, QUARTERLY, CUMULATIVE) if lenient else (basis,)
    for candidate in dict.fromkeys(bases):
        actual, target = figures(months, month, candidate, aggregate)
        if reached(actual, target, direction):
            return True, candidate
    return False, basis


def scored_figures(months, month, basis=MONTHLY, direction=HIGHER, aggregate=SUM, lenient=False):
    """Return ``(actual, target, basis)`` that the month's evaluation scores.

    The figures of the indicator's own basis; with ``lenient``, those of the first
    of the quarter or the year to date that reaches its target when the own
    basis falls short (a missed month scored on the window that achieved it).

    >>> year = [(120, 100), (90, 100)]
    >>> scored_figures(year, 1), scored_figures(year, 1, lenient=True)
    ((90.0, 100.0, 'monthly'), (210.0, 200.0, 'quarterly'))
    """
    _achieved, decided = attained(months, month, basis, direction, aggregate, lenient)
    actual, target = figures(months, month, decided, aggregate)
    return actual, target, decided


def paid_months(months, upto, basis=MONTHLY, direction=HIGHER, aggregate=SUM, lenient=False,
                veto=False):
    """Return the months (0-based) whose reward is paid by the pay run of ``upto``.

    Each month is judged at its own pay time on the figures known then.  An
    ordinary item missed in a month is paid back (补发) at the first later pay time
    where the item counts as achieved on the quarter or the year to date
    (``lenient`` only); a veto item missed is never paid back.

    >>> year = [(90, 100), (110, 100)]
    >>> paid_months(year, 1, lenient=True), paid_months(year, 1, lenient=True, veto=True)
    ([0, 1], [1])
    """
    paid, missed = [], []
    for month in range(upto + 1):
        if months[month] is None:
            continue
        achieved, _basis = attained(months, month, basis, direction, aggregate, lenient)
        if not achieved:
            missed.append(month)
            continue
        paid.append(month)
        if veto or not lenient:
            continue
        for window_basis in (QUARTERLY, CUMULATIVE):
            if reached(*figures(months, month, window_basis, aggregate), direction):
                window = set(_window(month, window_basis))
                paid.extend(m for m in missed if m in window)
                missed = [m for m in missed if m not in window]
    return sorted(paid)


def stretch_reached(actual, stretch, direction=HIGHER):
    """Whether the stretch target (力争) is reached; ``None``/0 stretch: never.

    >>> stretch_reached(1300000, 1200000), stretch_reached(1300000, None)
    (True, False)
    """
    if not stretch:
        return False
    return reached(actual, stretch, direction)


def team_reward(quarter_revenue, pct=TEAM_REWARD_PCT, *, rounding=CENT):
    """Return the team reward of a quarter: the repair revenue x ``pct`` %.

    Seed 000: 0.3 % of the quarter's repair revenue when the stretch target is
    reached.

    >>> team_reward(1500000)
    4500.0
    """
    revenue = _amount(quarter_revenue, "quarter repair revenue")
    return _money(revenue * _pct(pct, "team reward share") / PERCENT, rounding)


def check_team_reward_month(quarter_end, pay_month_start):
    """Check that a team reward is paid in a month after its quarter (DESIGN §15:
    the quarter's revenue is known only once the quarter has ended).

    Dates (or anything comparable); ``None`` for a missing one is refused.

    >>> import datetime
    >>> check_team_reward_month(datetime.date(2026, 9, 30), datetime.date(2026, 10, 1))
    True
    """
    if quarter_end is None or pay_month_start is None:
        raise KpiEngineError(_lt("A team reward needs its quarter and the month that pays it."))
    if not pay_month_start > quarter_end:
        raise KpiEngineError(
            _lt(
                "A team reward is paid in a month after its quarter: the quarter ends on "
                "%(quarter_end)s, the month that pays it starts on %(month_start)s."
            ),
            quarter_end=str(quarter_end),
            month_start=str(pay_month_start),
        )
    return True


def split_by_coefficients(amount, coefficients, *, rounding=CENT):
    """Return ``{key: share}`` of ``amount`` in proportion to the coefficients.

    Shares are rounded; the rounding remainder goes to the largest coefficient
    (the first of equal ones), so the shares add up to the amount.

    >>> split_by_coefficients(100, {"A": 1, "B": 1, "C": 1})
    {'A': 33.34, 'B': 33.33, 'C': 33.33}
    """
    amount = _money(_amount(amount, "team reward"), rounding)
    if not isinstance(coefficients, Mapping) or not coefficients:
        raise KpiEngineError(_lt("The team reward needs at least one member."))
    weights = {key: _non_negative(value, "coefficient") for key, value in coefficients.items()}
    total = math.fsum(weights.values())
    if not total > 0:
        raise KpiEngineError(_lt("The members' coefficients must not all be 0."))
    shares = {key: _money(amount * weight / total, rounding) for key, weight in weights.items()}
    remainder = _money(amount - math.fsum(shares.values()), rounding)
    if remainder:
        largest = max(weights, key=weights.get)
        shares[largest] = _money(shares[largest] + remainder, rounding)
    return shares


def check_allocation(amount, allocation, *, rounding=CENT):
    """Check a manager's allocation of a team reward: shares >= 0 adding up to it.

    >>> check_allocation(4500, {"A": 2000, "B": 2500})
    {'A': 2000.0, 'B': 2500.0}
    """
    amount = _money(_amount(amount, "team reward"), rounding)
    shares = {
        key: _money(_amount(value, "share"), rounding) for key, value in allocation.items()
    }
    total = _money(math.fsum(shares.values()), rounding)
    if total != amount:
        raise KpiEngineError(
            _lt("The shares add up to %(total)s, not to the reward of %(amount)s."),
            total=fmt(total),
            amount=fmt(amount),
        )
    return shares


__all__ = [
    "AGGREGATES",
    "AVERAGE",
    "BASES",
    "CUMULATIVE",
    "DIRECTIONS",
    "MONTHLY",
    "QUARTERLY",
    "SUM",
    "TEAM_REWARD_PCT",
    "attained",
    "check_allocation",
    "check_team_reward_month",
    "figures",
    "paid_months",
    "reached",
    "scored_figures",
    "split_by_coefficients",
    "stretch_reached",
    "team_reward",
]
