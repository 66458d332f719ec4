"""Grade scales and period aggregation (pure Python, no Odoo).

Vocabulary
----------
grade band
    A grade ``code`` and the inclusive lower bound ``min_score`` from which a
    score earns it; the bottom band has no lower bound (``None``) and takes
    every score below the next band.
grade scale
    The bands of one scale, best first (seed 000 A/B/C/D, seed 004
    优/良/中/较差/差, seed 001 优秀/合格/不合格).
quarterly, annual score
    The mean of a quarter's monthly scores, and the arithmetic mean of a
    year's quarterly results (seed 004:
    年终考核结果为各次考核结果的算术平均数).

Scores are never negative and may exceed 100 (seed 000: 110 分).  Every
function validates its inputs and raises ``KpiEngineError`` with an English
message marked for translation.  Every float it returns is rounded to 4
decimals.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import KpiEngineError, _lt
from .scoring import _fmt, _non_negative, _round

MONTHS_PER_QUARTER = 3
QUARTERS_PER_YEAR = 4


@dataclass(frozen=True)
class GradeBand:
    """A grade ``code`` earned from ``min_score`` (inclusive) upwards.

    ``min_score`` ``None`` marks the bottom band: every score below the next
    band.
    """

    code: str
    min_score: float | None


# Seed 000: >= 100 A, 90-100 B, 80-90 C, < 80 D.
SCALE_ABCD = (
    GradeBand("A", 100),
    GradeBand("B", 90),
    GradeBand("C", 80),
    GradeBand("D", None),
)
# Seed 004 第19条: 优 >= 90, 良 80-90, 中 70-80, 较差 60-70, 差 < 60.
SCALE_FIVE = (
    GradeBand("优", 90),
    GradeBand("良", 80),
    GradeBand("中", 70),
    GradeBand("较差", 60),
    GradeBand("差", None),
)
# Seed 001: >= 95 优秀, >= 90 合格, < 90 不合格.
SCALE_PASS = (
    GradeBand("优秀", 95),
    GradeBand("合格", 90),
    GradeBand("不合格", None),
)


def _sequence(values, name):
    """Return ``values`` as a list, refusing strings, mappings and scalars."""
    if values is None or isinstance(values, (str, bytes, Mapping)):
        raise KpiEngineError(
            _lt("The %(name)s must be a list, got %(values)s."),
            name=name,
            values=repr(values),
        )
    try:
        return list(values)
    except TypeError:
        raise KpiEngineError(
            _lt("The %(name)s must be a list, got %(values)s."),
            name=name,
            values=repr(values),
        ) from None


def _as_grade_band(item):
    """Accept a ``GradeBand`` or a ``(code, min_score)`` pair."""
    if isinstance(item, GradeBand):
        code, min_score = item.code, item.min_score
    elif isinstance(item, (tuple, list)) and len(item) == 2:
        code, min_score = item
    else:
        raise KpiEngineError(
            _lt("A grade band must be given as (code, minimum score), got %(band)s."),
            band=repr(item),
        )
    if not isinstance(code, str) or not code.strip():
        raise KpiEngineError(
            _lt("A grade band needs a code, got %(code)s."), code=repr(code)
        )
    if min_score is not None:
        min_score = _round(_non_negative(min_score, "minimum score of a grade band"))
    return GradeBand(code, min_score)


def _min_key(band):
    return -math.inf if band.min_score is None else band.min_score


def check_grade_scale(bands):
    """Validate a grade scale and return its bands, best first.

    Codes and minimum scores must be distinct, minimum scores non-negative,
    and exactly one band (the bottom one) has no minimum.

    >>> [band.code for band in check_grade_scale([("D", None), ("A", 100), ("B", 90)])]
    ['A', 'B', 'D']
    """
    items = tuple(_as_grade_band(item) for item in _sequence(bands, "grade bands"))
    if not items:
        raise KpiEngineError(_lt("At least one grade band is required."))
    bottoms = sum(1 for band in items if band.min_score is None)
    if bottoms != 1:
        raise KpiEngineError(
            _lt(
                "Exactly one grade band must have no minimum score (the bottom "
                "band); found %(count)s."
            ),
            count=bottoms,
        )
    codes, minimums = set(), set()
    for band in items:
        if band.code in codes:
            raise KpiEngineError(
                _lt("The grade code %(code)s appears twice in the scale."),
                code=band.code,
            )
        if band.min_score in minimums:
            raise KpiEngineError(
                _lt("Two grade bands start at the same score %(score)s."),
                score=_fmt(band.min_score),
            )
        codes.add(band.code)
        minimums.add(band.min_score)
    return tuple(sorted(items, key=_min_key, reverse=True))


def grade_for(score, bands):
    """Return the code of the best band whose minimum the score reaches.

    The score is rounded to 4 decimals first; it may exceed 100 but not be
    negative.

    >>> grade_for(110, SCALE_ABCD), grade_for(99.99, SCALE_ABCD)
    ('A', 'B')
    >>> grade_for(75, SCALE_FIVE), grade_for(89.9, SCALE_PASS)
    ('中', '不合格')
    """
    score = _round(_non_negative(score, "score"))
    *upper, bottom = check_grade_scale(bands)
    for band in upper:
        if score >= band.min_score:
            return band.code
    return bottom.code


def mean_score(scores):
    """Return the arithmetic mean of non-negative scores.

    >>> mean_score([85, 90, 95])
    90.0
    """
    values = [_non_negative(score, "score") for score in _sequence(scores, "scores")]
    if not values:
        raise KpiEngineError(_lt("At least one score is needed for a mean."))
    return _round(math.fsum(values) / len(values))


def _period_mean(scores, name, most):
    values = _sequence(scores, name)
    if not 1 <= len(values) <= most:
        raise KpiEngineError(
            _lt("The %(name)s must hold 1 to %(most)s scores (got %(count)s)."),
            name=name,
            most=most,
            count=len(values),
        )
    return mean_score(values)


def quarterly_score(monthly_scores):
    """Return the quarter's score: the mean of its 1 to 3 monthly scores (004).

    >>> quarterly_score([88, 91, 92])
    90.3333
    """
    return _period_mean(monthly_scores, "monthly scores", MONTHS_PER_QUARTER)


def annual_score(quarterly_scores):
    """Return the year's score: the mean of its 1 to 4 quarterly results (004).

    >>> annual_score([90, 85, 95, 88])
    89.5
    """
    return _period_mean(quarterly_scores, "quarterly scores", QUARTERS_PER_YEAR)
