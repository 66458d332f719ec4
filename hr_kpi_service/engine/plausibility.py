"""The range of values a rater plausibly types for an indicator (pure Python).

A value outside it is not refused: it asks the rater to confirm it (92 typed
against a target of 8,000 calls is a typo far more often than a month's work).
Values the scoring method cannot take at all (a manual rating beyond its maximum,
a survey score off its scale) are refused by the scoring itself.

Rules, by scoring method:

* ``manual``: the indicator's rating minimum to maximum.
* ``likert``: the lowest to the highest answer value of its scale.
* ``veto``: 0 (not achieved) to 1 (achieved).
* ``ratio`` and ``banded`` (a target to reach): higher is better, from a tenth of
  the target to ten times it; lower is better, from 0 to ten times the target.
* the counts and amounts of the deduction methods: not negative, no upper limit.

A bound is ``None`` when there is none on that side.

>>> plausible_range("ratio", {"target": 8000, "direction": "higher"})
(800.0, 80000.0)
>>> is_plausible(92, (800.0, 80000.0))
False
>>> is_plausible(0, plausible_range("manual", {"minimum": 0, "maximum": 100}))
True
"""

from .scoring import HIGHER, LIKERT_SCALES

# How far from its target a typed value may lie before it is questioned.
TARGET_FACTOR = 10.0
COUNT_METHODS = ("deduction", "escalating", "threshold", "linear", "penalty")


def plausible_range(method, params):
    """(minimum, maximum) of the values plausible for an indicator scored by `method`
    with `params` (the engine's parameter dict); either may be None."""
    if method == "manual":
        return (float(params.get("minimum", 0.0)), float(params.get("maximum", 100.0)))
    if method == "likert":
        levels = LIKERT_SCALES.get(str(params.get("scale", "5")), LIKERT_SCALES["5"])
        return (float(min(levels)), float(max(levels)))
    if method == "veto":
        return (0.0, 1.0)
    if method in ("ratio", "banded"):
        target = float(params.get("target") or 0.0)
        if target <= 0:
            return (None, None)
        if params.get("direction", HIGHER) == HIGHER:
            return (target / TARGET_FACTOR, target * TARGET_FACTOR)
        return (0.0, target * TARGET_FACTOR)
    if method in COUNT_METHODS:
        return (0.0, None)
    return (None, None)


def is_plausible(value, bounds):
    """Whether `value` lies within `bounds` (a pair from :func:`plausible_range`)."""
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)
