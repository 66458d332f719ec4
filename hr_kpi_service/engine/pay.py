"""Pay formulas that turn KPI results into payslip amounts (pure Python, no Odoo).

Each formula returns the amount of one payslip input line (DESIGN §7); the
payroll bridge writes it and a salary rule consumes it.

Vocabulary
----------
amount
    Money, in the company currency.  Amounts given to the engine are never
    negative; amounts it returns are rounded **once**, half away from zero
    (``-0.005`` gives ``-0.01``, as ``res.currency.round`` does), to a
    multiple of ``rounding`` (keyword-only, default ``0.01``: cents; the
    payroll bridge passes the company currency's rounding, ``1.0`` for a
    currency without decimals), after absorbing float noise (so
    ``1200 * 85 / 100`` is exactly ``1020.0``).  Inputs are never rounded
    first: ``performance_pay(1000.005, 33.333)`` is ``333.33``, not the
    ``333.34`` of ``1000.01 x 33.333 %``.
cut
    An amount taken off the pay: returned **negative** (``-309.0``), ready to
    add to the payslip.  A deferral (the part of a commission held to year
    end) is returned **positive**: the amount held now and paid later.
score
    A KPI score in points (0..100, may exceed 100: seed 000 pays 110 % of the
    annual bonus for 110 points); compared after rounding to 4 decimals.
percentage
    A rate in percent, between 0 and 100 (``30`` is 30 %).  Percentages the
    engine returns are rounded to 4 decimals.
key
    Whatever identifies a candidate for the caller (an employee or badge id);
    keys must be comparable with each other, since the lower key wins a tie.

Rules (seed noted on each function): star pay and monthly wage (003), commission
and annual bonus (000), low-score cut (001), complaint cut, deferral and
profit pool (000), result table (003), monthly awards (003).

Every function validates its inputs and raises ``KpiEngineError`` with an
English message marked for translation.
"""

import itertools
import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from .errors import KpiEngineError, _lt
from .grading import _sequence
from .ranking import _pct
from .scoring import (
    PERCENT,
    WHOLE_STEP_DIGITS,
    _count,
    _fmt,
    _non_negative,
    _number,
    _positive,
    _round,
)

CENT = 0.01  # default rounding step of the amounts (cents)

# Seed 003 全勤: "当月出勤未出现任何迟到、早退、病事假或调休小于等于3次, 视为全勤".
FULL_ATTENDANCE_LIMIT = 3

# Seed 003: full-attendance bonus 200; 服务明星 / 进步之星 / 效能之星 200 each.
ATTENDANCE_BONUS = 200.0
AWARD_AMOUNT = 200.0
# Seed 001: a month below 60 points costs 30 % of the performance pay.
LOW_SCORE_THRESHOLD = 60.0
LOW_SCORE_CUT_PCT = 30.0
# Seed 000 业务接待: complaints cut 5 / 20 / 50 % of the commission; a reception
# score below 96 cuts 10 %.
COMPLAINT_STEPS = (5.0, 20.0, 50.0)
RECEPTION_THRESHOLD = 96.0
RECEPTION_CUT_PCT = 10.0
# Seed 000: 30 % of a commission above the base salary is held to year end.
DEFERRAL_PCT = 30.0
# Seed 000 服务经理: (gross profit - revenue x 34 %) x 3 %, split 3 : 5 : 2.
POOL_RATIO_PCT = 34.0
POOL_PCT = 3.0
SEED_000_POOL_COEFFICIENTS = MappingProxyType(
    {"service_manager": 3, "parts": 5, "quality_inspection": 2}
)
# Seed 003 客户服务部经理 result table: 90-100 full bonus, 80-89 x %, 70-79
# y %, below 70 no bonus and the fixed pay cut by z %.  The seed leaves x, y
# and z blank ("奖金发放%"); 80 / 50 / 10 are demo values, to be configured.
SEED_003_RESULT_TABLE = ((90.0, 100.0), (80.0, 80.0), (70.0, 50.0))
SEED_003_BELOW_CUT_PCT = 10.0

SERVICE_STAR = "service_star"  # 服务明星: top monthly score
PROGRESS_STAR = "progress_star"  # 进步之星: largest gain over last month
EFFICIENCY_STAR = "efficiency_star"  # 效能之星: top skill test
AWARDS = (SERVICE_STAR, PROGRESS_STAR, EFFICIENCY_STAR)
CANDIDATE_COUNTS = ("absenteeism", "unapproved_swaps", "complaints", "major_errors")
CANDIDATE_FIELDS = (
    "score",
    "previous_score",
    "skill",
    "full_attendance",
    *CANDIDATE_COUNTS,
)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _money(value, rounding=CENT):
    """Round an amount to a multiple of ``rounding``, half away from zero.

    ``+ 0.0`` turns ``-0.0`` into ``0.0``.  ``round(value, 9)`` first absorbs
    float noise, so that an amount that is a whole number of half steps on
    paper rounds as on paper; negative amounts round symmetrically
    (``-0.125`` -> ``-0.13``), as ``res.currency.round`` does.

    >>> _money(0.125), _money(-0.125), _money(1500.5, 1.0), _money(-1500.5, 1.0)
    (0.13, -0.13, 1501.0, -1501.0)
    """
    step = Decimal(repr(_rounding(rounding)))
    exact = Decimal(repr(round(value, WHOLE_STEP_DIGITS)))
    units = (exact / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(units * step) + 0.0


def _rounding(rounding):
    return _positive(rounding, "rounding step")


def _amount(value, name):
    return _non_negative(value, name)


def _score(value, name="score"):
    return _round(_non_negative(value, name))


def _share(amount, score):
    """Return ``amount x score %`` (unrounded)."""
    return amount * score / PERCENT


def _best_first(entries, name):
    """Sort ``(sort_key, key)`` pairs; the sort key decides, then the key.

    Keys of different kinds (``1`` and ``"a"``) cannot break a tie.
    """
    try:
        return sorted(entries)
    except TypeError:
        raise KpiEngineError(
            _lt(
                "The keys of the %(name)s must be comparable with each other to "
                "break ties (got %(keys)s)."
            ),
            name=name,
            keys=", ".join(repr(key) for _sort, key in entries),
        ) from None


# ---------------------------------------------------------------------------
# Pay from a score
# ---------------------------------------------------------------------------


def star_pay(star_pay_amount, score, *, rounding=CENT):
    """Return the month's star performance pay: the star's amount x score %.

    Seed 003: a three-star rep (1200) with 85 points earns 1200 x 85 % = 1020.

    >>> star_pay(1200, 85)
    1020.0
    >>> star_pay(2000, 85)
    1700.0
    """
    amount = _amount(star_pay_amount, "star pay amount")
    return _money(_share(amount, _score(score)), rounding)


def monthly_wage(base, star_amount, score, attendance_bonus=0.0, *, rounding=CENT):
    """Return base salary + star pay x score % + full-attendance bonus.

    Each part is rounded to cents before the sum.  Seed 003: rep
    2000 + 1200 x 85 % + 200 = 3220; lead 2800 + 2000 x 85 % + 200 = 4700.

    >>> monthly_wage(2000, 1200, 85, ATTENDANCE_BONUS)
    3220.0
    >>> monthly_wage(2800, 2000, 85, ATTENDANCE_BONUS)
    4700.0
    """
    base = _money(_amount(base, "base salary"), rounding)
    bonus = _money(_amount(attendance_bonus, "full-attendance bonus"), rounding)
    return _money(base + star_pay(star_amount, score, rounding=rounding) + bonus, rounding)


def performance_pay(base, score, *, rounding=CENT):
    """Return the performance (commission) base x score %.

    Seed 000: a commission base of 5000 at 95 points pays 5000 x 95 % = 4750.

    >>> performance_pay(5000, 95)
    4750.0
    """
    base = _amount(base, "performance pay base")
    return _money(_share(base, _score(score)), rounding)


def annual_bonus(base, annual_score, *, rounding=CENT):
    """Return the annual bonus base x annual score %; the score may pass 100.

    Seed 000: a bonus base of 10000 at 110 points pays 10000 x 110 % = 11000.

    >>> annual_bonus(10000, 110)
    11000.0
    """
    base = _amount(base, "annual bonus base")
    return _money(_share(base, _score(annual_score, "annual score")), rounding)


def low_score_cut(
    performance_pay,
    score,
    threshold=LOW_SCORE_THRESHOLD,
    cut_pct=LOW_SCORE_CUT_PCT,
    *,
    rounding=CENT,
):
    """Return the cut of a month below ``threshold`` points (negative or 0).

    Seed 001: below 60 points (不满60分) the base salary is untouched but 30 %
    of the performance pay is cut; exactly 60 is not cut.

    >>> low_score_cut(4000, 59.99), low_score_cut(4000, 60)
    (-1200.0, 0.0)
    """
    pay = _amount(performance_pay, "performance pay")
    score = _score(score)
    threshold = _number(threshold, "low-score threshold")
    cut_pct = _pct(cut_pct, "low-score cut")
    rounding = _rounding(rounding)
    if score >= threshold:
        return 0.0
    return _money(-pay * cut_pct / PERCENT, rounding)


# ---------------------------------------------------------------------------
# Commission cuts, deferral and profit pool (seed 000)
# ---------------------------------------------------------------------------


def _complaint_steps(steps):
    rates = tuple(_pct(step, "complaint cut") for step in _sequence(steps, "steps"))
    if not rates:
        raise KpiEngineError(_lt("At least one complaint cut is required."))
    for number, (lower, higher) in enumerate(itertools.pairwise(rates), start=2):
        if higher < lower:
            raise KpiEngineError(
                _lt(
                    "The cut for complaint %(number)s (%(higher)s %%) cannot be "
                    "below the cut for the one before (%(lower)s %%)."
                ),
                number=number,
                higher=_fmt(higher),
                lower=_fmt(lower),
            )
    return rates


def complaint_rate(
    complaints,
    steps=COMPLAINT_STEPS,
    reception_score=None,
    reception_threshold=RECEPTION_THRESHOLD,
    reception_cut=RECEPTION_CUT_PCT,
):
    """Return the percentage of the commission that complaints cut.

    ``complaints`` substantiated complaints in the month cut the rate of the
    **highest step reached** (seed 000 table 投诉次数 第一次 / 第二次 / 第三次
    -> 提成总额扣罚比例 5 % / 20 % / 50 %: the rate is read per number of
    complaints, applied to the whole commission, not added up); past the last
    step the last rate applies.  A reception score strictly below
    ``reception_threshold`` adds ``reception_cut`` (考核成绩低于96分 -> 10 %;
    96 itself is not cut; ``None``: no reception score).  The total is at
    most 100.

    >>> complaint_rate(1), complaint_rate(2), complaint_rate(3), complaint_rate(4)
    (5.0, 20.0, 50.0, 50.0)
    >>> complaint_rate(2, reception_score=95)
    30.0
    """
    count = _count(complaints, "number of complaints")
    rates = _complaint_steps(steps)
    threshold = _number(reception_threshold, "reception score threshold")
    extra = _pct(reception_cut, "reception score cut")
    rate = rates[min(count, len(rates)) - 1] if count else 0.0
    reception = None
    if reception_score is not None:
        reception = _score(reception_score, "reception score")
    if reception is not None and reception < threshold:
        rate += extra
    return _round(min(rate, PERCENT))


def complaint_cut(
    commission,
    complaints,
    steps=COMPLAINT_STEPS,
    reception_score=None,
    reception_threshold=RECEPTION_THRESHOLD,
    reception_cut=RECEPTION_CUT_PCT,
    *,
    rounding=CENT,
):
    """Return the commission cut for complaints and reception score (negative).

    The cut is ``commission x complaint_rate(...) %``; see
    :func:`complaint_rate` for the rate.

    >>> complaint_cut(3000, 1), complaint_cut(3000, 2), complaint_cut(3000, 3)
    (-150.0, -600.0, -1500.0)
    >>> complaint_cut(3000, 0, reception_score=95)
    -300.0
    """
    commission = _amount(commission, "commission")
    rate = complaint_rate(complaints, steps, reception_score, reception_threshold, reception_cut)
    return _money(-commission * rate / PERCENT, rounding)


def deferral(commission, base_salary, pct=DEFERRAL_PCT, *, rounding=CENT):
    """Return the part of a commission held to year end (positive or 0).

    Seed 000: when the month's commission exceeds the base salary (如每月提成
    超过底薪), 30 % of the excess (超过部分计提30%) is held to year end.  The
    payroll deducts it now and pays it with the year-end settlement.

    >>> deferral(5000, 3000)
    600.0
    >>> deferral(2500, 3000)
    0.0
    """
    commission = _amount(commission, "commission")
    base_salary = _amount(base_salary, "base salary")
    pct = _pct(pct, "deferral share")
    return _money(max(0.0, commission - base_salary) * pct / PERCENT, rounding)


def _coefficients(coefficients):
    if not isinstance(coefficients, Mapping):
        raise KpiEngineError(
            _lt(
                "The position coefficients must map each position to its "
                "coefficient, got %(coefficients)s."
            ),
            coefficients=repr(coefficients),
        )
    checked = {
        position: _non_negative(value, f"coefficient of the position {position}")
        for position, value in coefficients.items()
    }
    if not math.fsum(checked.values()) > 0:
        raise KpiEngineError(_lt("At least one position coefficient must be greater than zero."))
    return checked


def pool_base(
    gross_profit, revenue, ratio_pct=POOL_RATIO_PCT, pool_pct=POOL_PCT, *, rounding=CENT
):
    """Return the bonus base (gross profit - revenue x 34 %) x 3 %, never below 0.

    Seed 000 服务经理: 奖金基础=(总实际毛利-总实营金额*34%)*3%.  The gross
    profit may be negative (a loss); a negative base gives no bonus.

    >>> pool_base(500000, 1000000)
    4800.0
    >>> pool_base(300000, 1000000)
    0.0
    """
    return _money(_pool_base(gross_profit, revenue, ratio_pct, pool_pct), rounding)


def _pool_base(gross_profit, revenue, ratio_pct, pool_pct):
    """The bonus base of :func:`pool_base`, unrounded."""
    gross_profit = _number(gross_profit, "gross profit")
    revenue = _amount(revenue, "revenue")
    ratio_pct = _pct(ratio_pct, "revenue share")
    pool_pct = _pct(pool_pct, "bonus pool share")
    margin = gross_profit - revenue * ratio_pct / PERCENT
    return max(0.0, margin) * pool_pct / PERCENT


def profit_pool(
    gross_profit,
    revenue,
    score,
    coefficients=SEED_000_POOL_COEFFICIENTS,
    ratio_pct=POOL_RATIO_PCT,
    pool_pct=POOL_PCT,
    *,
    rounding=CENT,
):
    """Return ``{position: amount}``: the bonus base x score %, split by coefficient.

    The bonus base is :func:`pool_base`; the month's bonus is base x KPI
    score % (奖金基础×KPI得分), split between the positions in proportion to
    their coefficients (seed 000: 服务经理 : 配件部 : 质量检验 = 3 : 5 : 2).
    The bonus is rounded once (the base is not rounded before the score
    applies), shares to ``rounding``; any rounding remainder goes to the largest
    coefficient (the first of equal ones), so the shares add up to the
    rounded bonus.  A position with coefficient 0 gets 0.

    >>> profit_pool(500000, 1000000, 95)
    {'service_manager': 1368.0, 'parts': 2280.0, 'quality_inspection': 912.0}
    """
    # The bonus base is not paid: it stays unrounded, so the bonus is rounded once.
    base = _pool_base(gross_profit, revenue, ratio_pct, pool_pct)
    weights = _coefficients(coefficients)
    total = _money(_share(base, _score(score)), rounding)
    weight_sum = math.fsum(weights.values())
    shares = {
        position: _money(total * weight / weight_sum, rounding)
        for position, weight in weights.items()
    }
    remainder = _money(total - math.fsum(shares.values()), rounding)
    if remainder:
        largest = max(weights, key=weights.get)
        shares[largest] = _money(shares[largest] + remainder, rounding)
    return shares


# ---------------------------------------------------------------------------
# Result table (seed 003 客户服务部经理)
# ---------------------------------------------------------------------------


def _result_row(row):
    if not isinstance(row, (tuple, list)) or len(row) != 2:
        raise KpiEngineError(
            _lt(
                "A result table row must be given as (minimum score, bonus "
                "percentage), got %(row)s."
            ),
            row=repr(row),
        )
    return (
        _score(row[0], "minimum score of a result table row"),
        _round(_pct(row[1], "bonus percentage")),
    )


def check_result_table(table):
    """Validate a result table and return its rows, best first.

    Rows are ``(minimum score, bonus percentage)``; minimum scores must be
    distinct, and a lower row cannot pay a larger bonus than a higher one.

    >>> check_result_table([(70, 50), (90, 100), (80, 80)])
    ((90.0, 100.0), (80.0, 80.0), (70.0, 50.0))
    """
    rows = tuple(_result_row(row) for row in _sequence(table, "result table"))
    if not rows:
        raise KpiEngineError(_lt("A result table needs at least one row."))
    ordered = tuple(sorted(rows, reverse=True))
    for (upper, upper_pct), (lower, lower_pct) in itertools.pairwise(ordered):
        if upper == lower:
            raise KpiEngineError(
                _lt("Two result table rows start at the same score %(score)s."),
                score=_fmt(upper),
            )
        if lower_pct > upper_pct:
            raise KpiEngineError(
                _lt(
                    "The row from %(lower)s points cannot pay a larger bonus "
                    "(%(lower_pct)s %%) than the row from %(upper)s points "
                    "(%(upper_pct)s %%)."
                ),
                lower=_fmt(lower),
                lower_pct=_fmt(lower_pct),
                upper=_fmt(upper),
                upper_pct=_fmt(upper_pct),
            )
    return ordered


def result_table_rate(score, table=SEED_003_RESULT_TABLE, below_fixed_cut=SEED_003_BELOW_CUT_PCT):
    """Return ``(bonus percentage, fixed pay cut percentage)`` for a score.

    The score earns the bonus of the best row whose minimum it reaches (after
    rounding to 4 decimals: 89.99 is in the 80 row) and no cut; below the
    lowest row there is no bonus and the fixed pay is cut by
    ``below_fixed_cut`` % (seed 003: 70分以下 固定工资扣减%, 无奖金).

    >>> result_table_rate(95), result_table_rate(89.99), result_table_rate(69.99)
    ((100.0, 0.0), (80.0, 0.0), (0.0, 10.0))
    """
    score = _score(score)
    rows = check_result_table(table)
    cut = _round(_pct(below_fixed_cut, "fixed pay cut"))
    for minimum, bonus in rows:
        if score >= minimum:
            return bonus, 0.0
    return 0.0, cut


# ---------------------------------------------------------------------------
# Full attendance (seed 003 全勤) and monthly awards (seed 003 其它奖励)
# ---------------------------------------------------------------------------


def full_attendance(events, absenteeism=0, limit=FULL_ATTENDANCE_LIMIT):
    """Return whether a month counts as full attendance (全勤).

    Seed 003 (客服代表 and 客服领班 §3 全勤奖): "当月出勤未出现任何迟到、早退、
    病事假或调休小于等于3次, 视为全勤" -- a month with at most ``limit``
    attendance ``events`` (late arrivals, early leaves, approved time off:
    sick, personal, time off in lieu) is a month of full attendance; the
    limit is inclusive (3 events still count, 4 do not).  Absenteeism (旷工)
    is never full attendance.  ``limit`` 0 requires no event at all.

    This one rule decides both the full-attendance bonus (KPI_ATT) and the
    monthly awards' first condition (参评条件 5.2.1 在相应评选周期全勤).

    >>> full_attendance(3), full_attendance(4), full_attendance(0, absenteeism=1)
    (True, False, False)
    """
    events = _count(events, "number of attendance events")
    absenteeism = _count(absenteeism, "number of absences")
    limit = _count(limit, "attendance event limit")
    return not absenteeism and events <= limit


def _optional_score(candidate, field, name):
    value = candidate.get(field)
    return None if value is None else _score(value, name)


def _candidate(key, candidate):
    """Return ``(eligible, score, gain, skill)`` of one candidate."""
    if not isinstance(candidate, Mapping):
        raise KpiEngineError(
            _lt("The candidate %(key)s must be a dict of its results, got %(value)s."),
            key=repr(key),
            value=repr(candidate),
        )
    unknown = [field for field in candidate if field not in CANDIDATE_FIELDS]
    if unknown:
        raise KpiEngineError(
            _lt("Unknown fields %(fields)s for the candidate %(key)s; expected %(known)s."),
            fields=", ".join(repr(field) for field in unknown),
            key=repr(key),
            known=", ".join(CANDIDATE_FIELDS),
        )
    attendance = candidate.get("full_attendance")
    if not isinstance(attendance, bool):
        raise KpiEngineError(
            _lt(
                "The full attendance of the candidate %(key)s must be True or "
                "False, got %(value)s."
            ),
            key=repr(key),
            value=repr(attendance),
        )
    score = _score(candidate.get("score"), f"score of {key!r}")
    previous = _optional_score(candidate, "previous_score", f"last score of {key!r}")
    skill = _optional_score(candidate, "skill", f"skill test result of {key!r}")
    incidents = [
        _count(candidate.get(field, 0), f"count of {field!r} of {key!r}")
        for field in CANDIDATE_COUNTS
    ]
    eligible = attendance and not any(incidents)
    gain = None if previous is None else _round(score - previous)
    return eligible, score, gain, skill


def award_winners(candidates):
    """Return ``{award: key or None}`` for the three monthly awards.

    ``candidates`` maps each rep's key (badge id) to a dict with ``score``
    (the month's score), ``full_attendance`` (True/False), optionally
    ``previous_score`` (last month's score), ``skill`` (the month's skill test
    result) and the counts ``absenteeism``, ``unapproved_swaps`` (shift swaps
    without approval), ``complaints`` and ``major_errors`` (0 when absent).

    Only eligible reps compete (seed 003 参评条件: full attendance, no
    absenteeism or unapproved shift swap, no complaint, no major error).
    服务明星 (``service_star``) goes to the top score, 进步之星
    (``progress_star``) to the largest gain over last month (a gain must be
    above 0; reps without a last score do not compete), 效能之星
    (``efficiency_star``) to the top skill test (reps without a result do not
    compete).  Ties: the higher monthly score wins, then the lower key (the
    earlier badge id).  An award nobody can win is ``None``.

    >>> present = {"full_attendance": True}
    >>> award_winners({
    ...     "E01": {"score": 95, "previous_score": 90, "skill": 80, **present},
    ...     "E02": {"score": 92, "previous_score": 80, "skill": 85, **present},
    ...     "E03": {"score": 99, "skill": 90, "complaints": 1, **present},
    ... })
    {'service_star': 'E01', 'progress_star': 'E02', 'efficiency_star': 'E02'}
    """
    if not isinstance(candidates, Mapping):
        raise KpiEngineError(
            _lt("The candidates must map each rep to their results, got %(value)s."),
            value=repr(candidates),
        )
    checked = {key: _candidate(key, value) for key, value in candidates.items()}
    eligible = {key: entry for key, entry in checked.items() if entry[0]}
    values = {
        SERVICE_STAR: {key: score for key, (_e, score, _g, _s) in eligible.items()},
        PROGRESS_STAR: {
            key: gain
            for key, (_e, _score, gain, _s) in eligible.items()
            if gain is not None and gain > 0
        },
        EFFICIENCY_STAR: {
            key: skill for key, (_e, _score, _g, skill) in eligible.items() if skill is not None
        },
    }
    winners = {}
    for award in AWARDS:
        entries = [((-value, -eligible[key][1]), key) for key, value in values[award].items()]
        ranked = _best_first(entries, "candidates")
        winners[award] = ranked[0][1] if ranked else None
    return winners
