"""Scoring rules for KPI indicators (pure Python, no Odoo).

Vocabulary
----------
actual
    The measured value of an indicator for one employee and period (a count,
    a percentage, an amount, survey answers...).
target, stretch
    The expected value (衡量标准) and the better-than-expected value that earns
    the top band of banded points.
direction
    ``HIGHER`` when a larger actual is better (sales, pass rate), ``LOWER``
    when a smaller one is (unit cost, claim rate, complaints).
points, max_points
    What an indicator earns on its method's own scale, and the full marks of
    that scale (100 for a ratio, 5 for banded points, 50 for a 50-point
    standards check...).  ``weighted_contribution`` brings it to the weight.
band
    A half-open interval ``[lower, upper)`` mapped to a value; ``None`` leaves
    a side unbounded.  Threshold bands map a value to a deduction.
deduction, floor
    Points taken off the full marks of an item; the result never goes below
    the floor (0 unless told otherwise).
cap
    An upper limit: of an achievement ratio (e.g. 120 %), or of a penalty.
penalty from the total
    A deduction taken from the month total as is, not weighted
    (``IndicatorScore.from_total``).
veto (否决项)
    An indicator that, when not achieved, voids the linked reward.
weight, contribution
    An indicator's share of the 100-point total, and the points it adds to it.

Every function validates its inputs and raises ``KpiEngineError`` with an
English message marked for translation.  Every float it returns is rounded to
4 decimals, so results can be compared exactly.
"""

import itertools
import math
import numbers
import string
from dataclasses import dataclass, replace

from .errors import KpiEngineError, _lt

HIGHER = "higher"
LOWER = "lower"
DIRECTIONS = (HIGHER, LOWER)

LIKERT_5 = (5, 4, 3, 2, 1)
LIKERT_10 = (10, 8, 6, 4, 2)
LIKERT_20 = (20, 16, 12, 8, 4)
LIKERT_SCALES = {"5": LIKERT_5, "10": LIKERT_10, "20": LIKERT_20}

BANDED_POINTS = (5, 4, 3, 2)
ESCALATING_STEPS = (1.0, 1.5, 2.5)

PERCENT = 100.0  # full achievement, and the sum all weights must reach
DECIMALS = 4
WHOLE_STEP_DIGITS = 9  # absorbs float noise before counting whole steps
ANSWER_LETTERS = string.ascii_uppercase


# ---------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------


def _round(value):
    """Round to 4 decimals; ``+ 0.0`` turns ``-0.0`` into ``0.0``."""
    return round(value, DECIMALS) + 0.0


def _fmt(value):
    """Render a number for an error message: ``95.0`` -> ``'95'``."""
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _is_number(value):
    # floats and ints first: the abstract class check costs more than the scoring
    # itself at 20,000 lines a batch (bench_evaluations --profile score)
    if type(value) is float or type(value) is int:
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _number(value, name):
    """Return ``value`` as a finite float, or raise naming ``name``."""
    if value is None:
        raise KpiEngineError(_lt("The %(name)s is missing."), name=name)
    if not _is_number(value):
        raise KpiEngineError(
            _lt("The %(name)s must be a number (got %(value)s)."),
            name=name,
            value=repr(value),
        )
    if not math.isfinite(value):
        raise KpiEngineError(
            _lt("The %(name)s must be a finite number (got %(value)s)."),
            name=name,
            value=str(value),
        )
    return float(value)


def _non_negative(value, name):
    number = _number(value, name)
    if number < 0:
        raise KpiEngineError(
            _lt("The %(name)s cannot be negative (got %(value)s)."),
            name=name,
            value=_fmt(number),
        )
    return number


def _positive(value, name):
    number = _number(value, name)
    if number <= 0:
        raise KpiEngineError(
            _lt("The %(name)s must be greater than zero (got %(value)s)."),
            name=name,
            value=_fmt(number),
        )
    return number


def _count(value, name):
    """Return a whole, non-negative count (``3.0`` is accepted as ``3``)."""
    number = _number(value, name)
    if number < 0:
        raise KpiEngineError(
            _lt("The %(name)s cannot be negative (got %(count)s)."),
            name=name,
            count=_fmt(number),
        )
    if not number.is_integer():
        raise KpiEngineError(
            _lt("The %(name)s must be a whole number (got %(count)s)."),
            name=name,
            count=_fmt(number),
        )
    return int(number)


def _direction(direction):
    if direction not in DIRECTIONS:
        raise KpiEngineError(
            _lt("The direction must be %(higher)s or %(lower)s (got %(direction)s)."),
            higher=repr(HIGHER),
            lower=repr(LOWER),
            direction=repr(direction),
        )
    return direction


def _descending(values, name, size=None):
    """Return ``values`` as a tuple of floats, strictly descending."""
    if values is None or isinstance(values, str):
        raise KpiEngineError(
            _lt("The %(name)s must be a list of numbers (got %(values)s)."),
            name=name,
            values=repr(values),
        )
    levels = tuple(_number(value, name) for value in values)
    if size is not None and len(levels) != size:
        raise KpiEngineError(
            _lt("The %(name)s must hold %(size)s values (got %(count)s)."),
            name=name,
            size=size,
            count=len(levels),
        )
    if len(levels) < 2:
        raise KpiEngineError(
            _lt("The %(name)s must hold at least 2 values (got %(count)s)."),
            name=name,
            count=len(levels),
        )
    if any(upper <= lower for upper, lower in itertools.pairwise(levels)):
        raise KpiEngineError(
            _lt("The %(name)s must be strictly descending (got %(values)s)."),
            name=name,
            values=", ".join(_fmt(level) for level in levels),
        )
    return levels


def _check_floor(full, floor):
    floor = _number(floor, "floor")
    if floor > full:
        raise KpiEngineError(
            _lt("The floor %(floor)s cannot be above the full points %(full)s."),
            floor=_fmt(floor),
            full=_fmt(full),
        )
    return floor


def _floored(value, floor):
    return _round(max(floor, value))


# ---------------------------------------------------------------------------
# Bands
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A half-open interval ``[lower, upper)`` worth ``value``.

    ``None`` as ``lower`` (``upper``) means unbounded below (above).
    """

    lower: float | None
    upper: float | None
    value: float


# Seed 003 客户服务部绩效考核方案: deduction by percentage reached, and by count.
PERCENT_DEDUCTION_BANDS = (
    Band(100.0, None, 0.0),
    Band(95.0, 100.0, 1.0),
    Band(80.0, 95.0, 2.0),
    Band(75.0, 80.0, 3.0),
    Band(None, 75.0, 5.0),
)
COUNT_DEDUCTION_BANDS = (
    Band(0.0, 1.0, 0.0),
    Band(1.0, 2.0, 1.0),
    Band(2.0, 3.0, 2.0),
    Band(3.0, 6.0, 3.0),
    Band(6.0, None, 5.0),
)


def _bound(value, unbounded):
    return unbounded if value is None else _fmt(value)


def _optional_bound(value, name):
    return None if value is None else _number(value, name)


def _as_band(item):
    """Accept a ``Band``, a ``(lower, upper, value)`` triple or a dict."""
    if isinstance(item, Band):
        lower, upper, value = item.lower, item.upper, item.value
    elif isinstance(item, dict) and "value" in item:
        lower, upper, value = item.get("lower"), item.get("upper"), item["value"]
    elif isinstance(item, (tuple, list)) and len(item) == 3:
        lower, upper, value = item
    else:
        raise KpiEngineError(
            _lt("A band must be given as (lower, upper, value), got %(band)s."),
            band=repr(item),
        )
    band = Band(
        _optional_bound(lower, "lower bound of a band"),
        _optional_bound(upper, "upper bound of a band"),
        _number(value, "value of a band"),
    )
    if band.lower is not None and band.upper is not None and band.lower >= band.upper:
        raise KpiEngineError(
            _lt(
                "The band [%(lower)s, %(upper)s) is empty: its lower bound must be "
                "below its upper bound."
            ),
            lower=_fmt(band.lower),
            upper=_fmt(band.upper),
        )
    return band


def _band_key(band):
    lower = -math.inf if band.lower is None else band.lower
    upper = math.inf if band.upper is None else band.upper
    return lower, upper


def _check_unbounded(bands):
    below = sum(1 for band in bands if band.lower is None)
    above = sum(1 for band in bands if band.upper is None)
    if below > 1:
        raise KpiEngineError(
            _lt("Only one band may be unbounded below (found %(count)s)."),
            count=below,
        )
    if above > 1:
        raise KpiEngineError(
            _lt("Only one band may be unbounded above (found %(count)s)."),
            count=above,
        )


def _check_no_overlap(first, second):
    if first.upper is None or first.upper > second.lower:
        raise KpiEngineError(
            _lt(
                "Bands overlap: [%(a_lower)s, %(a_upper)s) and "
                "[%(b_lower)s, %(b_upper)s)."
            ),
            a_lower=_bound(first.lower, "-∞"),
            a_upper=_bound(first.upper, "+∞"),
            b_lower=_bound(second.lower, "-∞"),
            b_upper=_bound(second.upper, "+∞"),
        )


def check_bands(bands):
    """Validate bands and return them sorted by lower bound.

    Overlapping bands, empty bands (lower >= upper) and more than one band
    unbounded on the same side are refused; gaps are allowed.

    >>> check_bands([(1, 2, 1), (0, 1, 0)])[0]
    Band(lower=0.0, upper=1.0, value=0.0)
    """
    if bands is None or isinstance(bands, (str, dict)):
        raise KpiEngineError(
            _lt("The bands must be a list of (lower, upper, value), got %(bands)s."),
            bands=repr(bands),
        )
    items = tuple(_as_band(item) for item in bands)
    if not items:
        raise KpiEngineError(_lt("At least one band is required."))
    _check_unbounded(items)
    ordered = tuple(sorted(items, key=_band_key))
    for first, second in itertools.pairwise(ordered):
        _check_no_overlap(first, second)
    return ordered


def _contains(band, value):
    above_lower = band.lower is None or value >= band.lower
    below_upper = band.upper is None or value < band.upper
    return above_lower and below_upper


def band_value(value, bands):
    """Return the value of the band that contains ``value``.

    >>> band_value(95, PERCENT_DEDUCTION_BANDS)
    1.0
    >>> band_value(4, COUNT_DEDUCTION_BANDS)
    3.0
    """
    number = _number(value, "value")
    for band in check_bands(bands):
        if _contains(band, number):
            return _round(band.value)
    raise KpiEngineError(
        _lt("The value %(value)s falls in a gap between the bands."),
        value=_fmt(number),
    )


# ---------------------------------------------------------------------------
# Scoring methods
# ---------------------------------------------------------------------------


def achievement_ratio(actual, target, direction=HIGHER, cap=None):
    """Return the achievement in percent, optionally capped.

    ``HIGHER``: actual / target; ``LOWER``: target / actual.

    >>> achievement_ratio(95, 100)
    95.0
    >>> achievement_ratio(150, 100, cap=120)
    120.0
    >>> achievement_ratio(80, 100, direction=LOWER)
    125.0
    """
    direction = _direction(direction)
    actual = _non_negative(actual, "actual value")
    target = _non_negative(target, "target")
    cap = None if cap is None else _positive(cap, "cap")
    if target == 0:
        raise KpiEngineError(
            _lt("The target must not be zero for an achievement ratio.")
        )
    if direction == HIGHER:
        ratio = actual * PERCENT / target
    elif actual == 0:
        if cap is None:
            raise KpiEngineError(
                _lt(
                    "An actual value of zero on a lower-is-better indicator needs "
                    "a cap for its achievement ratio."
                )
            )
        ratio = cap
    else:
        ratio = target * PERCENT / actual
    return _round(ratio if cap is None else min(ratio, cap))


def _check_stretch(target, stretch, direction):
    if direction == HIGHER and stretch < target:
        raise KpiEngineError(
            _lt(
                "The stretch target %(stretch)s must not be below the target "
                "%(target)s when higher is better."
            ),
            stretch=_fmt(stretch),
            target=_fmt(target),
        )
    if direction == LOWER and stretch > target:
        raise KpiEngineError(
            _lt(
                "The stretch target %(stretch)s must not be above the target "
                "%(target)s when lower is better."
            ),
            stretch=_fmt(stretch),
            target=_fmt(target),
        )


def _floor_pct(value):
    pct = _number(value, "floor percentage")
    if not 0 < pct <= PERCENT:
        raise KpiEngineError(
            _lt("The floor percentage must be above 0 and at most 100 (got %(pct)s)."),
            pct=_fmt(pct),
        )
    return pct


def banded_points(
    actual, target, stretch, direction=HIGHER, floor_pct=80.0, points=BANDED_POINTS
):
    """Return banded points (seed 002): stretch 5, target 4, 80 % 3, below 2.

    For ``LOWER`` the bands mirror: <= stretch, <= target,
    <= target * 100 / floor_pct, above.

    >>> banded_points(12, target=10, stretch=12)
    5.0
    >>> banded_points(8, target=10, stretch=12)
    3.0
    >>> banded_points(125, target=100, stretch=90, direction=LOWER)
    3.0
    """
    direction = _direction(direction)
    actual = _number(actual, "actual value")
    target = _non_negative(target, "target")
    stretch = _non_negative(stretch, "stretch target")
    pct = _floor_pct(floor_pct)
    levels = _descending(points, "banded points", size=len(BANDED_POINTS))
    _check_stretch(target, stretch, direction)
    if direction == HIGHER:
        reached = (
            actual >= stretch,
            actual >= target,
            actual * PERCENT >= target * pct,
        )
    else:
        reached = (
            actual <= stretch,
            actual <= target,
            actual * pct <= target * PERCENT,
        )
    for level, hit in zip(levels[:-1], reached, strict=True):
        if hit:
            return _round(level)
    return _round(levels[-1])


def _scale(scale):
    """Return a Likert scale as a strictly descending tuple of floats."""
    if isinstance(scale, (str, int)) and not isinstance(scale, bool):
        if str(scale) not in LIKERT_SCALES:
            raise KpiEngineError(
                _lt("Unknown survey scale %(scale)s; use one of %(keys)s."),
                scale=repr(scale),
                keys=", ".join(LIKERT_SCALES),
            )
        scale = LIKERT_SCALES[str(scale)]
    levels = _descending(scale, "survey scale")
    if len(levels) > len(ANSWER_LETTERS):
        raise KpiEngineError(
            _lt("A survey scale can have at most %(size)s values."),
            size=len(ANSWER_LETTERS),
        )
    return levels


def _flatten(answers):
    """Yield answers, flattening one level of (respondent x items) nesting."""
    if answers is None:
        raise KpiEngineError(_lt("The survey answers are missing."))
    if isinstance(answers, str) or not hasattr(answers, "__iter__"):
        answers = [answers]
    for answer in answers:
        if isinstance(answer, (list, tuple)):
            yield from answer
        else:
            yield answer


def _likert_answer(answer, levels):
    if isinstance(answer, str):
        letter = answer.strip().upper()
        index = ANSWER_LETTERS.find(letter) if len(letter) == 1 else -1
        if 0 <= index < len(levels):
            return levels[index]
    elif _is_number(answer) and answer in levels:
        return float(answer)
    raise KpiEngineError(
        _lt(
            "Unknown survey answer %(answer)s: expected a letter among %(letters)s "
            "or a value among %(values)s."
        ),
        answer=repr(answer),
        letters=", ".join(ANSWER_LETTERS[: len(levels)]),
        values=", ".join(_fmt(level) for level in levels),
    )


def likert_score(answers, scale=LIKERT_5):
    """Return the mean of survey answers (A = best = ``scale[0]``).

    Answers are letters (case-insensitive) or scale values, optionally nested
    one level (one list of items per respondent).

    >>> likert_score(["A", "b", "C", "E"])
    3.25
    >>> likert_score([["A", "B"], ["B", "C"]], LIKERT_20)
    16.0
    """
    levels = _scale(scale)
    values = [_likert_answer(answer, levels) for answer in _flatten(answers)]
    if not values:
        raise KpiEngineError(_lt("No survey answers were given."))
    return _round(math.fsum(values) / len(values))


def likert_value(value, scale=LIKERT_5):
    """Check an already averaged survey score against its scale and return it.

    >>> likert_value(16, LIKERT_20)
    16.0
    """
    levels = _scale(scale)
    number = _number(value, "survey score")
    if not min(levels) <= number <= max(levels):
        raise KpiEngineError(
            _lt(
                "The survey score %(value)s lies outside the scale %(minimum)s to "
                "%(maximum)s."
            ),
            value=_fmt(number),
            minimum=_fmt(min(levels)),
            maximum=_fmt(max(levels)),
        )
    return _round(number)


def _incident_cost(item):
    if not isinstance(item, (tuple, list)) or len(item) != 2:
        raise KpiEngineError(
            _lt("An incident must be given as (count, cost each), got %(item)s."),
            item=repr(item),
        )
    count = _count(item[0], "count of incidents")
    return count * _non_negative(item[1], "cost per incident")


def deduction_per_incident(full, incidents, floor=0.0):
    """Return ``full`` minus the cost of the incidents, never below ``floor``.

    ``incidents`` are ``(count, cost_each)`` pairs (seed 001: standards check
    50 - 1 per problem; complaints 30 - 6 per valid, - 12 per major).

    >>> deduction_per_incident(50, [(3, 1)])
    47.0
    >>> deduction_per_incident(30, [(1, 6), (1, 12)])
    12.0
    """
    full = _non_negative(full, "full points")
    floor = _check_floor(full, floor)
    if incidents is None:
        raise KpiEngineError(_lt("The incidents are missing."))
    total = math.fsum(_incident_cost(item) for item in incidents)
    return _floored(full - total, floor)


def _steps(steps):
    if steps is None or isinstance(steps, str):
        raise KpiEngineError(
            _lt("The deduction steps must be a list of numbers (got %(steps)s)."),
            steps=repr(steps),
        )
    costs = tuple(_non_negative(step, "deduction step") for step in steps)
    if not costs:
        raise KpiEngineError(_lt("At least one deduction step is required."))
    return costs


def escalating_cost(findings, steps=ESCALATING_STEPS):
    """Return the total deduction for ``findings`` escalating findings.

    The n-th finding costs ``steps[n - 1]``; findings past the last step cost
    the last step (seed 000: -1, -1.5, -2.5).

    >>> escalating_cost(3)
    5.0
    >>> escalating_cost(4)
    7.5
    """
    count = _count(findings, "number of findings")
    costs = _steps(steps)
    extra = max(0, count - len(costs)) * costs[-1]
    return _round(math.fsum(costs[:count]) + extra)


def escalating_deduction(full, findings, steps=ESCALATING_STEPS, floor=0.0):
    """Return ``full`` minus the escalating cost of the findings, floored.

    >>> escalating_deduction(50, 2)
    47.5
    >>> escalating_deduction(5, 9)
    0.0
    """
    full = _non_negative(full, "full points")
    floor = _check_floor(full, floor)
    return _floored(full - escalating_cost(findings, steps), floor)


def threshold_deduction(full, value, bands, floor=0.0):
    """Return ``full`` minus the deduction of the band holding ``value``.

    >>> threshold_deduction(10, 94.99, PERCENT_DEDUCTION_BANDS)
    8.0
    >>> threshold_deduction(10, 6, COUNT_DEDUCTION_BANDS)
    5.0
    """
    full = _non_negative(full, "full points")
    floor = _check_floor(full, floor)
    deduction = band_value(value, bands)
    if deduction < 0:
        raise KpiEngineError(
            _lt("A threshold deduction cannot be negative (got %(deduction)s)."),
            deduction=_fmt(deduction),
        )
    return _floored(full - deduction, floor)


def _check_zero_beyond(zero_beyond, limit, sign):
    zero_beyond = _number(zero_beyond, "zero-score limit")
    if sign > 0 and zero_beyond < limit:
        raise KpiEngineError(
            _lt(
                "The zero-score limit %(zero_beyond)s must not be below the limit "
                "%(limit)s when lower is better."
            ),
            zero_beyond=_fmt(zero_beyond),
            limit=_fmt(limit),
        )
    if sign < 0 and zero_beyond > limit:
        raise KpiEngineError(
            _lt(
                "The zero-score limit %(zero_beyond)s must not be above the limit "
                "%(limit)s when higher is better."
            ),
            zero_beyond=_fmt(zero_beyond),
            limit=_fmt(limit),
        )
    return zero_beyond


def linear_per_unit(
    full,
    actual,
    limit,
    step,
    points_per_step,
    zero_beyond=None,
    direction=LOWER,
    whole_steps=False,
):
    """Return ``full`` minus ``points_per_step`` for every ``step`` past ``limit``.

    ``LOWER`` counts the excess above the limit (unit cost, claim rate),
    ``HIGHER`` the shortfall below it (training pass rate).  Past
    ``zero_beyond`` the item scores 0; the result is never negative.

    >>> linear_per_unit(10, actual=3, limit=2, step=0.5, points_per_step=2)
    6.0
    >>> linear_per_unit(5, 92, 95, 1, 1, zero_beyond=90, direction=HIGHER)
    2.0
    >>> linear_per_unit(5, 89, 95, 1, 1, zero_beyond=90, direction=HIGHER)
    0.0
    """
    sign = 1 if _direction(direction) == LOWER else -1
    full = _non_negative(full, "full points")
    actual = _number(actual, "actual value")
    limit = _number(limit, "limit")
    step = _positive(step, "step")
    per_step = _non_negative(points_per_step, "points per step")
    if zero_beyond is not None:
        zero_beyond = _check_zero_beyond(zero_beyond, limit, sign)
        if sign * (actual - zero_beyond) > 0:
            return 0.0
    excess = sign * (actual - limit)
    if excess <= 0:
        return _round(full)
    steps = excess / step
    if whole_steps:
        steps = math.floor(round(steps, WHOLE_STEP_DIGITS))
    return _floored(full - steps * per_step, 0.0)


def capped_penalty(amount, cap):
    """Return the penalty taken from the month total: ``-min(amount, cap)``.

    >>> capped_penalty(2 * 3, 10)
    -6.0
    >>> capped_penalty(2 + 10 + 10, 10)
    -10.0
    """
    amount = _non_negative(amount, "penalty amount")
    cap = _non_negative(cap, "penalty cap")
    return _round(-min(amount, cap))


def manual_rating(value, minimum=0.0, maximum=100.0):
    """Return a rating entered by a rater after checking its range.

    >>> manual_rating(4, 1, 5)
    4.0
    """
    minimum = _number(minimum, "minimum rating")
    maximum = _number(maximum, "maximum rating")
    if minimum >= maximum:
        raise KpiEngineError(
            _lt(
                "The rating range is empty: the minimum %(minimum)s must be below "
                "the maximum %(maximum)s."
            ),
            minimum=_fmt(minimum),
            maximum=_fmt(maximum),
        )
    rating = _number(value, "rating")
    if not minimum <= rating <= maximum:
        raise KpiEngineError(
            _lt(
                "The rating %(value)s lies outside the range %(minimum)s to "
                "%(maximum)s."
            ),
            value=_fmt(rating),
            minimum=_fmt(minimum),
            maximum=_fmt(maximum),
        )
    return _round(rating)


def veto(achieved):
    """Return True when a veto item (否决项) vetoes, i.e. was not achieved.

    >>> veto(False), veto(1)
    (True, False)
    """
    if isinstance(achieved, bool):
        return not achieved
    if _is_number(achieved) and achieved in (0, 1):
        return achieved == 0
    raise KpiEngineError(
        _lt("A veto item is achieved (1) or not achieved (0), got %(value)s."),
        value=repr(achieved),
    )


# ---------------------------------------------------------------------------
# Dispatcher and totals
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorScore:
    """The outcome of one indicator on its scoring method's own scale."""

    points: float
    max_points: float
    vetoed: bool = False
    from_total: bool = False


def _param(params, key, method):
    value = params.get(key)
    if value is None:
        raise KpiEngineError(
            _lt(
                "The parameter %(param)s is required for the scoring method %(method)s."
            ),
            param=key,
            method=method,
        )
    return value


def _score_ratio(actual, params):
    points = achievement_ratio(
        actual,
        _param(params, "target", "ratio"),
        params.get("direction", HIGHER),
        params.get("cap"),
    )
    return IndicatorScore(points, 100.0)


def _score_banded(actual, params):
    levels = params.get("points") or BANDED_POINTS
    points = banded_points(
        actual,
        _param(params, "target", "banded"),
        _param(params, "stretch", "banded"),
        params.get("direction", HIGHER),
        params.get("floor_pct", 80.0),
        levels,
    )
    return IndicatorScore(points, _round(levels[0]))


def _score_likert(actual, params):
    levels = _scale(params.get("scale", LIKERT_5))
    if _is_number(actual):
        points = likert_value(actual, levels)
    else:
        points = likert_score(actual, levels)
    return IndicatorScore(points, _round(levels[0]))


def _deduction_counts(actual, params):
    major = params.get("actual_major")
    if not isinstance(actual, (tuple, list)):
        return actual, 0 if major is None else major
    if len(actual) != 2 or major is not None:
        raise KpiEngineError(
            _lt(
                "The incident counts must be one count or a (count, major count) "
                "pair, got %(actual)s."
            ),
            actual=repr(actual),
        )
    return actual[0], actual[1]


def _score_deduction(actual, params):
    full = _param(params, "full", "deduction")
    count, major = _deduction_counts(actual, params)
    incidents = [
        (count, _param(params, "cost", "deduction")),
        (major, params.get("cost_major", 0.0)),
    ]
    points = deduction_per_incident(full, incidents)
    return IndicatorScore(points, _number(full, "full points"))


def _score_escalating(actual, params):
    full = _param(params, "full", "escalating")
    points = escalating_deduction(full, actual, params.get("steps") or ESCALATING_STEPS)
    return IndicatorScore(points, _number(full, "full points"))


def _score_threshold(actual, params):
    full = _param(params, "full", "threshold")
    points = threshold_deduction(full, actual, _param(params, "bands", "threshold"))
    return IndicatorScore(points, _number(full, "full points"))


def _score_linear(actual, params):
    full = _param(params, "full", "linear")
    points = linear_per_unit(
        full,
        actual,
        _param(params, "limit", "linear"),
        _param(params, "step", "linear"),
        _param(params, "points_per_step", "linear"),
        zero_beyond=params.get("zero_beyond"),
        direction=params.get("direction", LOWER),
        whole_steps=bool(params.get("whole_steps", False)),
    )
    return IndicatorScore(points, _number(full, "full points"))


def _score_penalty(actual, params):
    units = _non_negative(actual, "number of penalised events")
    per_unit = _non_negative(params.get("per_unit", 1.0), "penalty per event")
    points = capped_penalty(units * per_unit, _param(params, "cap", "penalty"))
    return IndicatorScore(points, 0.0, from_total=True)


def _score_manual(actual, params):
    maximum = params.get("maximum", 100.0)
    points = manual_rating(actual, params.get("minimum", 0.0), maximum)
    return IndicatorScore(points, _number(maximum, "maximum rating"))


def _score_veto(actual, params):
    vetoed = veto(actual)
    return IndicatorScore(0.0 if vetoed else 1.0, 1.0, vetoed=vetoed)


_SCORERS = {
    "ratio": _score_ratio,
    "banded": _score_banded,
    "likert": _score_likert,
    "deduction": _score_deduction,
    "escalating": _score_escalating,
    "threshold": _score_threshold,
    "linear": _score_linear,
    "penalty": _score_penalty,
    "manual": _score_manual,
    "veto": _score_veto,
}
METHODS = tuple(_SCORERS)


def score_indicator(method, actual, params=None):
    """Score one indicator with ``method`` and its ``params`` (a plain dict).

    With ``params["veto"]`` true, the indicator is vetoed whenever it falls
    short of full marks (a ratio below 100 %, any penalty at all).

    >>> score_indicator("deduction", 1, {"full": 30, "cost": 6})
    IndicatorScore(points=24.0, max_points=30.0, vetoed=False, from_total=False)
    >>> score_indicator("ratio", 95, {"target": 100, "veto": True}).vetoed
    True
    """
    scorer = _SCORERS.get(method) if isinstance(method, str) else None
    if scorer is None:
        raise KpiEngineError(
            _lt("Unknown scoring method %(method)s; expected one of %(methods)s."),
            method=repr(method),
            methods=", ".join(METHODS),
        )
    if actual is None:
        raise KpiEngineError(
            _lt("The actual value is missing for indicator scoring method %(method)s."),
            method=method,
        )
    params = dict(params or {})
    score = scorer(actual, params)
    if params.get("veto") and score.points < score.max_points:
        score = replace(score, vetoed=True)
    return score


def weighted_contribution(score, weight):
    """Return the points ``score`` adds to the total for its ``weight``.

    >>> weighted_contribution(IndicatorScore(16.0, 20.0), 20)
    16.0
    >>> weighted_contribution(IndicatorScore(4.0, 5.0), 10)
    8.0
    >>> weighted_contribution(IndicatorScore(-6.0, 0.0, from_total=True), 10)
    -6.0
    """
    if not isinstance(score, IndicatorScore):
        raise KpiEngineError(
            _lt("An indicator score was expected, got %(score)s."), score=repr(score)
        )
    weight = _non_negative(weight, "weight")
    if score.from_total:
        return _round(score.points)
    if score.max_points <= 0:
        raise KpiEngineError(
            _lt("A score without full marks (%(max_points)s) cannot be weighted."),
            max_points=_fmt(score.max_points),
        )
    return _round(score.points * weight / score.max_points)


def check_weights(weights, label="indicators", tolerance=0.01):
    """Return the sum of ``weights`` after checking it is 100 (± tolerance).

    >>> check_weights([50, 20, 30])
    100.0
    """
    if weights is None or isinstance(weights, str):
        raise KpiEngineError(
            _lt("The weights of the %(label)s are missing."), label=label
        )
    total = _round(math.fsum(_non_negative(weight, "weight") for weight in weights))
    if abs(total - PERCENT) > _non_negative(tolerance, "tolerance"):
        raise KpiEngineError(
            _lt("The weights of the %(label)s add up to %(total)s %%, not 100 %%."),
            label=label,
            total=_fmt(total),
        )
    return total


def _unpack_line(line):
    if isinstance(line, dict) and "weight" in line and "score" in line:
        return line["weight"], line["score"], line.get("perspective")
    if isinstance(line, (tuple, list)) and len(line) == 2:
        return line[0], line[1], None
    raise KpiEngineError(
        _lt("A score line must be (weight, score) or a dict with both, got %(line)s."),
        line=repr(line),
    )


def total_score(lines, floor=0.0):
    """Add up weighted indicator scores into the period total.

    ``lines`` are ``(weight, IndicatorScore)`` pairs or dicts with ``weight``,
    ``score`` and optionally ``perspective``.  Only lines with a perspective
    appear in ``by_perspective``.  The total never goes below ``floor``, so
    penalties taken from the total cannot make it negative.

    >>> total_score([(50, IndicatorScore(47.0, 50.0)), (20, IndicatorScore(16.0, 20.0)),
    ...              (30, IndicatorScore(24.0, 30.0))])["total"]
    87.0
    """
    floor = _number(floor, "floor")
    if lines is None:
        raise KpiEngineError(_lt("The score lines are missing."))
    contributions, by_perspective, vetoed = [], {}, False
    for line in lines:
        weight, score, perspective = _unpack_line(line)
        contribution = weighted_contribution(score, weight)
        contributions.append(contribution)
        vetoed = vetoed or score.vetoed
        if perspective is not None:
            subtotal = by_perspective.get(perspective, 0.0) + contribution
            by_perspective[perspective] = _round(subtotal)
    return {
        "total": _floored(math.fsum(contributions), floor),
        "contributions": contributions,
        "by_perspective": by_perspective,
        "vetoed": vetoed,
    }
