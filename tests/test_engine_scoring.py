"""Pure tests of the KPI scoring engine (no Odoo, no database).

Numbers come from the seed regulations: 001 (50 - 1 per problem, satisfaction
20/16/12/8/4, complaints 30 - 6 per valid - 12 per major), 002 (banded 5/4/3/2),
003 (threshold bands, linear per unit, capped penalties), 000 (escalating
-1/-1.5/-2.5).
"""

import doctest
import math
import re
import sys

import pytest

try:
    from .engine_loader import ENGINE_DIR, load_engine
except ImportError:
    from engine_loader import ENGINE_DIR, load_engine

engine = load_engine()
KpiEngineError = engine.KpiEngineError
Band = engine.Band
IndicatorScore = engine.IndicatorScore
HIGHER, LOWER = engine.HIGHER, engine.LOWER

SEED_PERCENT_BANDS = [
    (100, None, 0),
    (95, 100, 1),
    (80, 95, 2),
    (75, 80, 3),
    (None, 75, 5),
]
SEED_COUNT_BANDS = [(0, 1, 0), (1, 2, 1), (2, 3, 2), (3, 6, 3), (6, None, 5)]


def raises(match):
    return pytest.raises(KpiEngineError, match=match)


# ---------------------------------------------------------------------------
# Package hygiene
# ---------------------------------------------------------------------------


def test_engine_does_not_import_odoo():
    files = sorted(ENGINE_DIR.glob("**/*.py"))
    assert files
    pattern = re.compile(r"^\s*(import odoo|from odoo)\b", re.MULTILINE)
    offenders = [f.name for f in files if pattern.search(f.read_text("utf-8"))]
    assert offenders == []


@pytest.mark.parametrize("module", ["kpi_engine.scoring", "kpi_engine.errors"])
def test_doctests(module):
    result = doctest.testmod(sys.modules[module])
    assert result.attempted > 0
    assert result.failed == 0


def test_public_api_is_exported():
    for name in (
        "achievement_ratio",
        "banded_points",
        "likert_score",
        "likert_value",
        "deduction_per_incident",
        "escalating_deduction",
        "escalating_cost",
        "threshold_deduction",
        "linear_per_unit",
        "capped_penalty",
        "manual_rating",
        "veto",
        "check_bands",
        "band_value",
        "score_indicator",
        "weighted_contribution",
        "check_weights",
        "total_score",
    ):
        assert callable(getattr(engine, name)), name
    assert engine.METHODS == (
        "ratio",
        "banded",
        "likert",
        "deduction",
        "escalating",
        "threshold",
        "linear",
        "penalty",
        "manual",
        "veto",
    )
    assert engine.LIKERT_SCALES == {
        "5": (5, 4, 3, 2, 1),
        "10": (10, 8, 6, 4, 2),
        "20": (20, 16, 12, 8, 4),
    }


def test_error_keeps_message_and_params():
    with raises("negative") as info:
        engine.deduction_per_incident(50, [(-1, 1)])
    error = info.value
    assert isinstance(error, ValueError)
    assert "%(count)s" in error.message
    assert error.params["count"] == "-1"
    assert str(error) == error.message % error.params


# ---------------------------------------------------------------------------
# Deduction per incident (seed 001)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problems", "expected"),
    [(0, 50.0), (1, 49.0), (3, 47.0), (50, 0.0), (60, 0.0), (3.0, 47.0)],
)
def test_standards_check_50_minus_1_per_problem(problems, expected):
    assert engine.deduction_per_incident(50, [(problems, 1)]) == expected


@pytest.mark.parametrize(
    ("valid", "major", "expected"),
    [(0, 0, 30.0), (1, 0, 24.0), (0, 1, 18.0), (1, 1, 12.0), (5, 0, 0.0), (2, 2, 0.0)],
)
def test_complaints_30_minus_6_valid_minus_12_major(valid, major, expected):
    assert engine.deduction_per_incident(30, [(valid, 6), (major, 12)]) == expected


def test_deduction_floor_and_no_incidents():
    assert engine.deduction_per_incident(30, [(5, 6)], floor=10) == 10.0
    assert engine.deduction_per_incident(30, []) == 30.0


@pytest.mark.parametrize(
    ("incidents", "match"),
    [
        ([(-1, 6)], r"count of incidents cannot be negative \(got -1\)"),
        ([(1.5, 6)], r"count of incidents must be a whole number \(got 1\.5\)"),
        ([(1, -6)], r"cost per incident cannot be negative"),
        ([(True, 6)], r"count of incidents must be a number"),
        ([(None, 6)], r"count of incidents is missing"),
        ([(math.nan, 6)], r"count of incidents must be a finite number"),
        ([(1, math.inf)], r"cost per incident must be a finite number"),
        ([(1, 6, 12)], r"incident must be given as \(count, cost each\)"),
        (None, r"incidents are missing"),
    ],
)
def test_deduction_errors(incidents, match):
    with raises(match):
        engine.deduction_per_incident(30, incidents)


def test_deduction_floor_above_full_is_refused():
    with raises(r"floor 40 cannot be above the full points 30"):
        engine.deduction_per_incident(30, [], floor=40)


# ---------------------------------------------------------------------------
# Escalating deduction (seed 000)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("findings", "steps", "expected"),
    [
        (0, (1.0, 1.5, 2.5), 50.0),
        (1, (1.0, 1.5, 2.5), 49.0),
        (2, (1.0, 1.5, 2.5), 47.5),
        (3, (1.0, 1.5, 2.5), 45.0),
        (4, (1.0, 1.5, 2.5), 42.5),
        (5, (1.0, 1.5, 2.5), 40.0),
        (1, (1, 2, 3), 49.0),
        (2, (1, 2, 3), 47.0),
        (3, (1, 2, 3), 44.0),
        (4, (1, 2, 3), 41.0),
        (1, (2, 3), 48.0),
        (3, (2, 3), 42.0),
        (40, (1.0, 1.5, 2.5), 0.0),
    ],
)
def test_escalating_deduction(findings, steps, expected):
    assert engine.escalating_deduction(50, findings, steps) == expected


def test_escalating_defaults_and_cost():
    assert engine.escalating_deduction(50, 4) == 42.5
    assert [engine.escalating_cost(n) for n in range(5)] == [0.0, 1.0, 2.5, 5.0, 7.5]
    assert engine.escalating_cost(3, (0.5, 1, 1.5)) == 3.0
    assert engine.escalating_deduction(5, 3, floor=1) == 1.0


@pytest.mark.parametrize(
    ("findings", "steps", "match"),
    [
        (-1, (1.0,), r"number of findings cannot be negative \(got -1\)"),
        (1.5, (1.0,), r"number of findings must be a whole number"),
        (None, (1.0,), r"number of findings is missing"),
        (1, (), r"At least one deduction step is required"),
        (1, (1, -1), r"deduction step cannot be negative"),
        (1, None, r"deduction steps must be a list"),
    ],
)
def test_escalating_errors(findings, steps, match):
    with raises(match):
        engine.escalating_deduction(50, findings, steps)


# ---------------------------------------------------------------------------
# Bands and threshold deductions (seed 003)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100, 10.0),
        (120, 10.0),
        (99.99, 9.0),
        (95, 9.0),
        (94.99, 8.0),
        (80, 8.0),
        (79.9, 7.0),
        (75, 7.0),
        (74.99, 5.0),
        (74, 5.0),
        (0, 5.0),
    ],
)
def test_threshold_percent_bands(value, expected):
    assert engine.threshold_deduction(10, value, SEED_PERCENT_BANDS) == expected
    assert engine.threshold_deduction(10, value, engine.PERCENT_DEDUCTION_BANDS) == (
        expected
    )


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, 10.0), (1, 9.0), (2, 8.0), (3, 7.0), (5, 7.0), (6, 5.0), (40, 5.0)],
)
def test_threshold_count_bands(count, expected):
    assert engine.threshold_deduction(10, count, SEED_COUNT_BANDS) == expected
    assert engine.threshold_deduction(10, count, engine.COUNT_DEDUCTION_BANDS) == (
        expected
    )


def test_threshold_floor():
    assert engine.threshold_deduction(3, 74, SEED_PERCENT_BANDS) == 0.0
    assert engine.threshold_deduction(3, 74, SEED_PERCENT_BANDS, floor=1) == 1.0


def test_check_bands_sorts_and_accepts_several_shapes():
    bands = engine.check_bands(
        [{"lower": 3, "upper": 6, "value": 3}, Band(6, None, 5), [0, 3, 1]]
    )
    assert bands == (Band(0.0, 3.0, 1.0), Band(3.0, 6.0, 3.0), Band(6.0, None, 5.0))


def test_band_gap_is_allowed_but_a_value_in_it_raises():
    bands = [(0, 10, 1), (20, 30, 2)]
    assert engine.band_value(25, bands) == 2.0
    with raises(r"value 15 falls in a gap between the bands"):
        engine.band_value(15, bands)
    with raises(r"value 30 falls in a gap"):
        engine.band_value(30, bands)
    with raises(r"value -1 falls in a gap"):
        engine.threshold_deduction(10, -1, SEED_COUNT_BANDS)


@pytest.mark.parametrize(
    ("bands", "match"),
    [
        ([(0, 10, 1), (5, 20, 2)], r"Bands overlap: \[0, 10\) and \[5, 20\)"),
        ([(0, 10, 1), (0, 5, 2)], r"Bands overlap: \[0, 5\) and \[0, 10\)"),
        ([(0, None, 1), (5, 20, 2)], r"Bands overlap: \[0, \+∞\) and \[5, 20\)"),
        ([(10, 0, 1)], r"band \[10, 0\) is empty"),
        ([(5, 5, 1)], r"band \[5, 5\) is empty"),
        ([(None, 0, 1), (None, 5, 2)], r"unbounded below \(found 2\)"),
        ([(0, None, 1), (5, None, 2)], r"unbounded above \(found 2\)"),
        ([], r"At least one band is required"),
        (None, r"bands must be a list"),
        ([(0, 1)], r"band must be given as \(lower, upper, value\)"),
        ([(0, math.nan, 1)], r"upper bound of a band must be a finite number"),
        ([(0, 1, None)], r"value of a band is missing"),
    ],
)
def test_band_errors(bands, match):
    with raises(match):
        engine.check_bands(bands)


def test_threshold_value_errors():
    with raises(r"value is missing"):
        engine.threshold_deduction(10, None, SEED_PERCENT_BANDS)
    with raises(r"value must be a finite number \(got nan\)"):
        engine.threshold_deduction(10, math.nan, SEED_PERCENT_BANDS)
    with raises(r"threshold deduction cannot be negative"):
        engine.threshold_deduction(10, 1, [(0, None, -2)])


# ---------------------------------------------------------------------------
# Achievement ratio (seeds 000, 003)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "direction", "cap", "expected"),
    [
        (95, 100, HIGHER, None, 95.0),
        (100, 100, HIGHER, None, 100.0),
        (150, 100, HIGHER, None, 150.0),
        (150, 100, HIGHER, 120, 120.0),
        (110, 100, HIGHER, 120, 110.0),
        (0, 100, HIGHER, None, 0.0),
        (1, 3, HIGHER, None, 33.3333),
        (80, 100, LOWER, None, 125.0),
        (80, 100, LOWER, 120, 120.0),
        (125, 100, LOWER, None, 80.0),
        (0, 100, LOWER, 120, 120.0),
    ],
)
def test_achievement_ratio(actual, target, direction, cap, expected):
    assert engine.achievement_ratio(actual, target, direction, cap) == expected


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((95, 0), r"target must not be zero for an achievement ratio"),
        ((-5, 100), r"actual value cannot be negative \(got -5\)"),
        ((5, -100), r"target cannot be negative"),
        ((None, 100), r"actual value is missing"),
        ((math.nan, 100), r"actual value must be a finite number"),
        ((math.inf, 100), r"actual value must be a finite number \(got inf\)"),
        ((True, 100), r"actual value must be a number \(got True\)"),
        (("95", 100), r"actual value must be a number \(got '95'\)"),
        ((0, 100, LOWER), r"zero on a lower-is-better indicator needs a cap"),
        ((5, 100, "up"), r"direction must be 'higher' or 'lower' \(got 'up'\)"),
        ((5, 100, HIGHER, 0), r"cap must be greater than zero"),
    ],
)
def test_achievement_ratio_errors(args, match):
    with raises(match):
        engine.achievement_ratio(*args)


# ---------------------------------------------------------------------------
# Banded points (seed 002)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (130, 5.0),
        (120, 5.0),
        (119.99, 4.0),
        (100, 4.0),
        (99.99, 3.0),
        (80, 3.0),
        (79.99, 2.0),
        (0, 2.0),
    ],
)
def test_banded_points_higher(actual, expected):
    assert engine.banded_points(actual, target=100, stretch=120) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (70, 5.0),
        (90, 5.0),
        (90.01, 4.0),
        (100, 4.0),
        (100.01, 3.0),
        (125, 3.0),
        (125.01, 2.0),
        (300, 2.0),
    ],
)
def test_banded_points_lower(actual, expected):
    points = engine.banded_points(actual, target=100, stretch=90, direction=LOWER)
    assert points == expected


def test_banded_points_custom_floor_and_points():
    assert engine.banded_points(90, 100, 120, floor_pct=90) == 3.0
    assert engine.banded_points(89, 100, 120, floor_pct=90) == 2.0
    assert engine.banded_points(120, 100, 120, points=(10, 8, 6, 0)) == 10.0
    assert engine.banded_points(1, 100, 120, points=(10, 8, 6, 0)) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"stretch": 90}, r"stretch target 90 must not be below the target 100"),
        (
            {"stretch": 110, "direction": LOWER},
            r"stretch target 110 must not be above the target 100",
        ),
        ({"points": (5, 4, 4, 2)}, r"banded points must be strictly descending"),
        ({"points": (2, 3, 4, 5)}, r"banded points must be strictly descending"),
        ({"points": (5, 4, 3)}, r"banded points must hold 4 values \(got 3\)"),
        ({"floor_pct": 0}, r"floor percentage must be above 0 and at most 100"),
        ({"floor_pct": 120}, r"floor percentage must be above 0 and at most 100"),
    ],
)
def test_banded_points_errors(kwargs, match):
    args = {"actual": 100, "target": 100, "stretch": 120} | kwargs
    with raises(match):
        engine.banded_points(**args)


# ---------------------------------------------------------------------------
# Likert surveys (seeds 001, 002)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "scale", "expected"),
    [
        (["A", "B", "C", "D", "E"], engine.LIKERT_5, 3.0),
        (["A", "a", " b "], engine.LIKERT_5, 4.6667),
        ([["A", "B"], ["C", "E"]], engine.LIKERT_5, 3.25),
        ([5, 4, "C"], engine.LIKERT_5, 4.0),
        (["A"], engine.LIKERT_20, 20.0),
        (["A", "B", "C", "D", "E"], engine.LIKERT_20, 12.0),
        ([20, 16, 16, 12], "20", 16.0),
        (["A", "B"], engine.LIKERT_10, 9.0),
        ([["B", "C"], ["D"]], "10", 6.0),
        ("B", 5, 4.0),
    ],
)
def test_likert_score(answers, scale, expected):
    assert engine.likert_score(answers, scale) == expected


@pytest.mark.parametrize(
    ("answers", "scale", "match"),
    [
        ([], engine.LIKERT_5, r"No survey answers were given"),
        ([[], []], engine.LIKERT_5, r"No survey answers were given"),
        (None, engine.LIKERT_5, r"survey answers are missing"),
        (["A", "F"], engine.LIKERT_5, r"Unknown survey answer 'F'"),
        ([3], engine.LIKERT_20, r"Unknown survey answer 3: .* 20, 16, 12, 8, 4"),
        ([True], engine.LIKERT_5, r"Unknown survey answer True"),
        ([[["A"]]], engine.LIKERT_5, r"Unknown survey answer \['A'\]"),
        (["A"], "7", r"Unknown survey scale '7'"),
        (["A"], (1, 2, 3), r"survey scale must be strictly descending"),
    ],
)
def test_likert_errors(answers, scale, match):
    with raises(match):
        engine.likert_score(answers, scale)


def test_likert_value():
    assert engine.likert_value(4.2) == 4.2
    assert engine.likert_value(16, engine.LIKERT_20) == 16.0
    assert engine.likert_value(2, "10") == 2.0
    with raises(r"survey score 21 lies outside the scale 4 to 20"):
        engine.likert_value(21, engine.LIKERT_20)
    with raises(r"survey score 0.5 lies outside the scale 1 to 5"):
        engine.likert_value(0.5)
    with raises(r"survey score must be a finite number"):
        engine.likert_value(math.nan)


# ---------------------------------------------------------------------------
# Linear per unit (seed 003: unit cost, claim rate, training pass rate)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "kwargs", "expected"),
    [
        # Unit cost: at most 50, every 5 above costs 2 points, above 70 scores 0.
        (40, {}, 10.0),
        (50, {}, 10.0),
        (55, {}, 8.0),
        (57.5, {}, 7.0),
        (65, {}, 4.0),
        (70, {}, 2.0),
        (70.01, {}, 0.0),
        (57.5, {"whole_steps": True}, 8.0),
        (59.99, {"whole_steps": True}, 8.0),
        (60, {"whole_steps": True}, 6.0),
        (90, {"zero_beyond": None}, 0.0),
        (60, {"zero_beyond": None, "points_per_step": 1}, 8.0),
    ],
)
def test_linear_per_unit_lower_is_better(actual, kwargs, expected):
    args = {"limit": 50, "step": 5, "points_per_step": 2, "zero_beyond": 70}
    assert engine.linear_per_unit(10, actual, **(args | kwargs)) == expected


@pytest.mark.parametrize(
    ("actual", "whole_steps", "expected"),
    [
        # Training pass rate: 95 %, every point below costs 1, under 90 % scores 0.
        (100, False, 5.0),
        (95, False, 5.0),
        (94, False, 4.0),
        (92.5, False, 2.5),
        (92.5, True, 3.0),
        (90, False, 0.0),
        (89.9, False, 0.0),
    ],
)
def test_linear_per_unit_higher_is_better(actual, whole_steps, expected):
    points = engine.linear_per_unit(
        5, actual, 95, 1, 1, zero_beyond=90, direction=HIGHER, whole_steps=whole_steps
    )
    assert points == expected


def test_linear_per_unit_claim_rate_float_steps():
    # Claim rate 2 %, every 0.1 point above costs 0.5, above 5 % scores 0.
    args = {"limit": 2, "step": 0.1, "points_per_step": 0.5, "zero_beyond": 5}
    assert engine.linear_per_unit(10, 2.3, **args, whole_steps=True) == 8.5
    assert engine.linear_per_unit(10, 2.3, **args) == 8.5
    assert engine.linear_per_unit(10, 5.01, **args) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"step": 0}, r"step must be greater than zero \(got 0\)"),
        ({"step": -1}, r"step must be greater than zero"),
        ({"points_per_step": -1}, r"points per step cannot be negative"),
        ({"zero_beyond": 40}, r"zero-score limit 40 must not be below the limit 50"),
        (
            {"zero_beyond": 60, "direction": HIGHER},
            r"zero-score limit 60 must not be above the limit 50",
        ),
        ({"actual": None}, r"actual value is missing"),
        ({"direction": "sideways"}, r"direction must be"),
    ],
)
def test_linear_per_unit_errors(kwargs, match):
    args = {"full": 10, "actual": 55, "limit": 50, "step": 5, "points_per_step": 2}
    with raises(match):
        engine.linear_per_unit(**(args | kwargs))


# ---------------------------------------------------------------------------
# Capped penalty, manual rating, veto
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "cap", "expected"),
    [(2 * 3, 10, -6.0), (2 + 10 + 10, 10, -10.0), (0, 10, 0.0), (10, 10, -10.0)],
)
def test_capped_penalty(amount, cap, expected):
    assert engine.capped_penalty(amount, cap) == expected


def test_capped_penalty_zero_is_not_negative_zero():
    assert math.copysign(1, engine.capped_penalty(0, 10)) == 1.0


@pytest.mark.parametrize(
    ("amount", "cap", "match"),
    [
        (-1, 10, r"penalty amount cannot be negative"),
        (1, -10, r"penalty cap cannot be negative"),
        (None, 10, r"penalty amount is missing"),
    ],
)
def test_capped_penalty_errors(amount, cap, match):
    with raises(match):
        engine.capped_penalty(amount, cap)


@pytest.mark.parametrize(
    ("value", "minimum", "maximum", "expected"),
    [(0, 0, 100, 0.0), (87.5, 0, 100, 87.5), (100, 0, 100, 100.0), (3, 1, 5, 3.0)],
)
def test_manual_rating(value, minimum, maximum, expected):
    assert engine.manual_rating(value, minimum, maximum) == expected


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((101,), r"rating 101 lies outside the range 0 to 100"),
        ((-1,), r"rating -1 lies outside the range 0 to 100"),
        ((6, 1, 5), r"rating 6 lies outside the range 1 to 5"),
        ((3, 5, 1), r"minimum 5 must be below the maximum 1"),
        ((None,), r"rating is missing"),
    ],
)
def test_manual_rating_errors(args, match):
    with raises(match):
        engine.manual_rating(*args)


@pytest.mark.parametrize(
    ("achieved", "vetoed"),
    [(True, False), (False, True), (1, False), (0, True), (1.0, False)],
)
def test_veto(achieved, vetoed):
    assert engine.veto(achieved) is vetoed


@pytest.mark.parametrize("achieved", [2, -1, 0.5, None, "yes"])
def test_veto_errors(achieved):
    with raises(r"veto item is achieved \(1\) or not achieved \(0\)"):
        engine.veto(achieved)


# ---------------------------------------------------------------------------
# Dispatcher
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "actual", "params", "expected"),
    [
        ("ratio", 95, {"target": 100}, IndicatorScore(95.0, 100.0)),
        ("ratio", 150, {"target": 100, "cap": 120}, IndicatorScore(120.0, 100.0)),
        (
            "ratio",
            80,
            {"target": 100, "direction": LOWER},
            IndicatorScore(125.0, 100.0),
        ),
        ("banded", 100, {"target": 100, "stretch": 120}, IndicatorScore(4.0, 5.0)),
        (
            "banded",
            2,
            {"target": 5, "stretch": 3, "direction": LOWER, "points": (10, 8, 6, 4)},
            IndicatorScore(10.0, 10.0),
        ),
        ("likert", ["A", "B"], {"scale": "20"}, IndicatorScore(18.0, 20.0)),
        ("likert", 16, {"scale": engine.LIKERT_20}, IndicatorScore(16.0, 20.0)),
        ("likert", 4.5, {}, IndicatorScore(4.5, 5.0)),
        ("deduction", 3, {"full": 50, "cost": 1}, IndicatorScore(47.0, 50.0)),
        (
            "deduction",
            (1, 1),
            {"full": 30, "cost": 6, "cost_major": 12},
            IndicatorScore(12.0, 30.0),
        ),
        (
            "deduction",
            1,
            {"full": 30, "cost": 6, "cost_major": 12, "actual_major": 1},
            IndicatorScore(12.0, 30.0),
        ),
        ("escalating", 3, {"full": 5}, IndicatorScore(0.0, 5.0)),
        ("escalating", 2, {"full": 5, "steps": (2, 3)}, IndicatorScore(0.0, 5.0)),
        ("escalating", 1, {"full": 50}, IndicatorScore(49.0, 50.0)),
        (
            "threshold",
            94.99,
            {"full": 10, "bands": SEED_PERCENT_BANDS},
            IndicatorScore(8.0, 10.0),
        ),
        (
            "linear",
            55,
            {"full": 10, "limit": 50, "step": 5, "points_per_step": 2},
            IndicatorScore(8.0, 10.0),
        ),
        (
            "linear",
            92.5,
            {
                "full": 5,
                "limit": 95,
                "step": 1,
                "points_per_step": 1,
                "zero_beyond": 90,
                "direction": HIGHER,
                "whole_steps": True,
            },
            IndicatorScore(3.0, 5.0),
        ),
        (
            "penalty",
            3,
            {"cap": 10, "per_unit": 2},
            IndicatorScore(-6.0, 0.0, from_total=True),
        ),
        ("penalty", 22, {"cap": 10}, IndicatorScore(-10.0, 0.0, from_total=True)),
        ("manual", 88, {}, IndicatorScore(88.0, 100.0)),
        ("manual", 4, {"minimum": 1, "maximum": 5}, IndicatorScore(4.0, 5.0)),
        ("veto", 1, {}, IndicatorScore(1.0, 1.0)),
        ("veto", False, {}, IndicatorScore(0.0, 1.0, vetoed=True)),
    ],
)
def test_score_indicator(method, actual, params, expected):
    assert engine.score_indicator(method, actual, params) == expected


@pytest.mark.parametrize(
    ("method", "actual", "params", "vetoed"),
    [
        ("ratio", 99.99, {"target": 100}, True),
        ("ratio", 100, {"target": 100}, False),
        ("ratio", 130, {"target": 100, "cap": 120}, False),
        ("banded", 100, {"target": 100, "stretch": 120}, True),
        ("banded", 120, {"target": 100, "stretch": 120}, False),
        ("deduction", 0, {"full": 30, "cost": 6}, False),
        ("deduction", 1, {"full": 30, "cost": 6}, True),
        ("penalty", 0, {"cap": 10}, False),
        ("penalty", 1, {"cap": 10}, True),
        ("manual", 100, {}, False),
        ("manual", 99, {}, True),
    ],
)
def test_score_indicator_veto_flag(method, actual, params, vetoed):
    score = engine.score_indicator(method, actual, params | {"veto": True})
    assert score.vetoed is vetoed
    assert engine.score_indicator(method, actual, params).vetoed is False


@pytest.mark.parametrize(
    ("method", "actual", "params", "match"),
    [
        (
            "ratio",
            None,
            {"target": 100},
            r"actual value is missing for indicator scoring method ratio",
        ),
        (
            "threshold",
            None,
            {"full": 10},
            r"actual value is missing for indicator scoring method threshold",
        ),
        ("bogus", 1, {}, r"Unknown scoring method 'bogus'; expected one of ratio, "),
        (None, 1, {}, r"Unknown scoring method None"),
        ("ratio", 95, {}, r"parameter target is required for the scoring method ratio"),
        ("ratio", 95, {"target": 0}, r"target must not be zero"),
        ("banded", 95, {"target": 100}, r"parameter stretch is required"),
        ("deduction", 1, {"full": 30}, r"parameter cost is required"),
        ("deduction", (1, 2, 3), {"full": 30, "cost": 6}, r"\(count, major count\)"),
        (
            "deduction",
            (1, 1),
            {"full": 30, "cost": 6, "actual_major": 1},
            r"\(count, major count\)",
        ),
        ("deduction", -2, {"full": 30, "cost": 6}, r"cannot be negative \(got -2\)"),
        ("threshold", 50, {"full": 10}, r"parameter bands is required"),
        (
            "threshold",
            50,
            {"full": 10, "bands": [(0, 60, 1), (50, None, 0)]},
            r"Bands overlap",
        ),
        ("linear", 1, {"full": 10, "limit": 1, "step": 1}, r"points_per_step"),
        ("penalty", 1, {}, r"parameter cap is required"),
        ("penalty", -1, {"cap": 10}, r"penalised events cannot be negative"),
        ("likert", ["Z"], {}, r"Unknown survey answer 'Z'"),
        ("manual", 101, {}, r"outside the range 0 to 100"),
        ("veto", 3, {}, r"veto item is achieved"),
        ("escalating", math.nan, {"full": 5}, r"finite number"),
    ],
)
def test_score_indicator_errors(method, actual, params, match):
    with raises(match):
        engine.score_indicator(method, actual, params)


# ---------------------------------------------------------------------------
# Weights and totals
# ---------------------------------------------------------------------------


def test_weighted_contribution():
    assert engine.weighted_contribution(IndicatorScore(47.0, 50.0), 50) == 47.0
    assert engine.weighted_contribution(IndicatorScore(3.0, 5.0), 5) == 3.0
    assert engine.weighted_contribution(IndicatorScore(1.0, 3.0), 10) == 3.3333
    assert engine.weighted_contribution(IndicatorScore(120.0, 100.0), 10) == 12.0
    penalty = IndicatorScore(-6.0, 0.0, from_total=True)
    assert engine.weighted_contribution(penalty, 0) == -6.0
    with raises(r"score without full marks \(0\) cannot be weighted"):
        engine.weighted_contribution(IndicatorScore(0.0, 0.0), 10)
    with raises(r"weight cannot be negative"):
        engine.weighted_contribution(IndicatorScore(1.0, 1.0), -10)
    with raises(r"indicator score was expected"):
        engine.weighted_contribution(5, 10)


def test_check_weights():
    assert engine.check_weights([50, 20, 30]) == 100.0
    assert engine.check_weights([33.33, 33.33, 33.34], "perspectives") == 100.0
    assert engine.check_weights([50, 49.995]) == 99.995
    with raises(r"weights of the indicators add up to 95 %, not 100 %\.") as info:
        engine.check_weights([50, 20, 25])
    assert info.value.params == {"label": "indicators", "total": "95"}
    assert "%%" in info.value.message
    with raises(r"weights of the perspectives add up to 100\.5 %"):
        engine.check_weights([50, 50.5], "perspectives")
    with raises(r"weight cannot be negative \(got -5\)"):
        engine.check_weights([105, -5])
    with raises(r"add up to 0 %"):
        engine.check_weights([])


def test_total_score_seed_001_service_quality():
    standards = engine.score_indicator("deduction", 3, {"full": 50, "cost": 1})
    satisfaction = engine.score_indicator("likert", 16, {"scale": "20"})
    complaints = engine.score_indicator(
        "deduction", (1, 0), {"full": 30, "cost": 6, "cost_major": 12}
    )
    assert (standards.points, satisfaction.points, complaints.points) == (
        47.0,
        16.0,
        24.0,
    )
    result = engine.total_score([(50, standards), (20, satisfaction), (30, complaints)])
    assert result == {
        "total": 87.0,
        "contributions": [47.0, 16.0, 24.0],
        "by_perspective": {},
        "vetoed": False,
    }


def test_total_score_seed_002_banded_scorecard():
    # (perspective, weight, actual, target, stretch, direction)
    indicators = [
        ("finance", 10, 95, 100, 90, LOWER),  # department budget, <= budget
        ("finance", 5, 105, 100, 90, LOWER),  # activity budget
        ("customer", 10, 85, 80, 90, HIGHER),  # internal satisfaction > 80 %
        ("customer", 10, 90, 80, 90, HIGHER),  # external satisfaction
        ("customer", 5, 6, 5, 3, LOWER),  # repeat complaint rate
        ("process", 10, 2, 2, 3, HIGHER),  # customer database updates
        ("process", 10, 4, 5, 6, HIGHER),  # rules kept
        ("process", 10, 1, 1, 2, HIGHER),  # analysis reports per quarter
        ("process", 10, 60, 80, 90, HIGHER),  # complaints handled on time
        ("process", 5, 12, 10, 12, HIGHER),  # supplier contacts per year
        ("learning", 5, 40, 40, 60, HIGHER),  # training hours
        ("learning", 10, 7, 10, 15, HIGHER),  # knowledge sharing
    ]
    assert engine.check_weights([row[1] for row in indicators]) == 100.0
    lines = []
    for perspective, weight, actual, target, stretch, direction in indicators:
        params = {"target": target, "stretch": stretch, "direction": direction}
        score = engine.score_indicator("banded", actual, params)
        lines.append({"weight": weight, "score": score, "perspective": perspective})
    result = engine.total_score(lines)
    # points: 4 3 | 4 5 3 | 4 3 4 2 5 | 4 2
    assert result["contributions"] == [
        8.0,
        3.0,
        8.0,
        10.0,
        3.0,
        8.0,
        6.0,
        8.0,
        4.0,
        5.0,
        4.0,
        4.0,
    ]
    assert result["by_perspective"] == {
        "finance": 11.0,
        "customer": 21.0,
        "process": 31.0,
        "learning": 8.0,
    }
    assert result["total"] == 71.0
    assert result["vetoed"] is False


def test_total_score_penalty_cannot_push_total_below_zero():
    weak = engine.score_indicator("manual", 5, {})
    penalty = engine.score_indicator("penalty", 22, {"cap": 10})
    result = engine.total_score([(100, weak), (0, penalty)])
    assert result["contributions"] == [5.0, -10.0]
    assert result["total"] == 0.0
    strong = engine.score_indicator("manual", 90, {})
    assert engine.total_score([(100, strong), (0, penalty)])["total"] == 80.0
    assert engine.total_score([(100, weak), (0, penalty)], floor=-100)["total"] == -5.0


def test_total_score_veto_and_above_100():
    boosted = engine.score_indicator("ratio", 150, {"target": 100, "cap": 120})
    vetoed = engine.score_indicator("veto", 0, {})
    result = engine.total_score([(100, boosted)])
    assert result["total"] == 120.0
    result = engine.total_score([(100, boosted), (0, vetoed)])
    assert result["vetoed"] is True
    assert result["total"] == 120.0


@pytest.mark.parametrize(
    ("lines", "match"),
    [
        (None, r"score lines are missing"),
        ([(100,)], r"score line must be \(weight, score\)"),
        ([{"weight": 100}], r"score line must be"),
        ([(None, IndicatorScore(1.0, 1.0))], r"weight is missing"),
        ([(100, IndicatorScore(1.0, 0.0))], r"cannot be weighted"),
    ],
)
def test_total_score_errors(lines, match):
    with raises(match):
        engine.total_score(lines)
