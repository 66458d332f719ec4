"""Rankings and award shares (pure Python, no Odoo).

Vocabulary
----------
key
    Whatever identifies a ranked result for the caller (an evaluation or
    employee id); the engine only compares scores.
competition rank
    "1, 2, 2, 4" ranking, highest score first: tied scores share the best
    rank and the next rank skips the tied places.
share, quota
    A top share in percent (seed 003: top 10 % excellence award, 10-30 %
    good-performance award) and the number of places it gives.
most improved
    The result with the largest gain over the previous period (seed 003
    进步奖 / 进步之星).

Scores are compared after rounding to 4 decimals.  Every function validates
its inputs and raises ``KpiEngineError`` with an English message marked for
translation.
"""

import math
from collections.abc import Mapping

from .errors import KpiEngineError, _lt
from .scoring import (
    PERCENT,
    WHOLE_STEP_DIGITS,
    _count,
    _fmt,
    _non_negative,
    _number,
    _round,
)

EXCELLENCE = "excellence"
GOOD = "good"
EXCELLENCE_PCT = 10.0
GOOD_PCT = 30.0


def _scores(scores, name="scores"):
    """Return ``{key: rounded score}`` from a mapping of non-negative scores."""
    if not isinstance(scores, Mapping):
        raise KpiEngineError(
            _lt("The %(name)s must map each result to its score, got %(scores)s."),
            name=name,
            scores=repr(scores),
        )
    return {
        key: _round(_non_negative(score, f"score of {key!r}"))
        for key, score in scores.items()
    }


def _pct(value, name):
    pct = _number(value, name)
    if not 0 <= pct <= PERCENT:
        raise KpiEngineError(
            _lt("The %(name)s must lie between 0 and 100 (got %(pct)s)."),
            name=name,
            pct=_fmt(pct),
        )
    return pct


def competition_ranks(scores):
    """Return ``{key: rank}``, highest score first, ties sharing a rank.

    The result lists the keys by rank, tied keys in their input order.

    >>> competition_ranks({"a": 90, "b": 95, "c": 90, "d": 80})
    {'b': 1, 'a': 2, 'c': 2, 'd': 4}
    """
    values = _scores(scores)
    ordered = sorted(values, key=values.get, reverse=True)
    ranks, previous = {}, None
    for place, key in enumerate(ordered, start=1):
        if previous is None or values[key] != values[previous]:
            rank = place
        ranks[key] = rank
        previous = key
    return ranks


def share_quota(count, pct):
    """Return how many places a top share of ``pct`` % of ``count`` gives.

    The rule is "at most ``pct`` %, and the best one always": the quota is
    ``floor(count * pct / 100)``, but at least 1 when there is someone to rank
    (``count >= 1``) and the share is not zero.  14 people at 10 % give 1
    place, at 30 % 4 places; 5 people at 10 % still give 1.

    >>> share_quota(14, 10), share_quota(14, 30), share_quota(5, 10), share_quota(0, 10)
    (1, 4, 1, 0)
    """
    count = _count(count, "number of ranked results")
    pct = _pct(pct, "top share")
    if count == 0 or pct == 0:
        return 0
    places = math.floor(round(count * pct / PERCENT, WHOLE_STEP_DIGITS))
    return max(1, places)


def top_share_flags(scores, excellence_pct=EXCELLENCE_PCT, good_pct=GOOD_PCT):
    """Return ``{key: "excellence" | "good" | None}`` for the award shares.

    A result is ``"excellence"`` when its competition rank is within the
    excellence quota, ``"good"`` when it is not but its rank is within the
    good quota (``good_pct`` counts from the top, so 30 means the 10-30 %
    band after a 10 % excellence share).  Ranks decide, so everyone tied on a
    boundary is inside.

    >>> top_share_flags({"a": 95, "b": 90, "c": 90, "d": 80, "e": 70})
    {'a': 'excellence', 'b': None, 'c': None, 'd': None, 'e': None}
    >>> top_share_flags({"a": 95, "b": 90, "c": 90, "d": 80}, 25, 50)
    {'a': 'excellence', 'b': 'good', 'c': 'good', 'd': None}
    """
    excellence_pct = _pct(excellence_pct, "excellence share")
    good_pct = _pct(good_pct, "good-performance share")
    if good_pct < excellence_pct:
        raise KpiEngineError(
            _lt(
                "The good-performance share %(good)s %% counts from the top and "
                "cannot be below the excellence share %(excellence)s %%."
            ),
            good=_fmt(good_pct),
            excellence=_fmt(excellence_pct),
        )
    ranks = competition_ranks(scores)
    excellence = share_quota(len(ranks), excellence_pct)
    good = share_quota(len(ranks), good_pct)
    flags = {}
    for key, rank in ranks.items():
        if rank <= excellence:
            flags[key] = EXCELLENCE
        elif rank <= good:
            flags[key] = GOOD
        else:
            flags[key] = None
    return flags


def most_improved(current, previous):
    """Return the keys with the largest strictly positive gain (all tied ones).

    Only keys scored in both periods count; no gain at all gives an empty set.

    >>> sorted(most_improved({"a": 90, "b": 85, "c": 80}, {"a": 85, "b": 80, "c": 81}))
    ['a', 'b']
    >>> most_improved({"a": 80}, {"a": 85})
    set()
    """
    now = _scores(current, "current scores")
    before = _scores(previous, "previous scores")
    gains = {key: _round(now[key] - before[key]) for key in now if key in before}
    best = max(gains.values(), default=0.0)
    if best <= 0:
        return set()
    return {key for key, gain in gains.items() if gain == best}
