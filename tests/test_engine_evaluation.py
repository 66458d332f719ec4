"""Pure tests of rater weighting, grading, ranking and consequences (no Odoo).

Numbers come from the seed regulations: 003 (self 15 / superior 60 / group 25,
top 10 % and 10-30 % awards, most-improved award), 004 (superior 40 / peer 30 /
subordinate 30 with its fallbacks, 优/良/中/较差/差, quarterly and annual means,
no raise / salary down / bottom rank), 000 (A/B/C/D, 3 consecutive A, 3 D
within 6 months, annual grade), 001 (优秀 95 / 合格 90, two scores below 90).
"""

import dataclasses
import doctest
import math
import sys

import pytest

try:
    from .engine_loader import load_engine
except ImportError:
    from engine_loader import load_engine

engine = load_engine()
KpiEngineError = engine.KpiEngineError
Consequence = engine.Consequence
GradeBand = engine.GradeBand

SUPERIOR_PEER_SUBORDINATE = {"superior", "peer", "subordinate"}


def raises(match):
    return pytest.raises(KpiEngineError, match=match)


def history(codes, start=1):
    """Number monthly grade codes 1, 2, 3... as (key, code) pairs."""
    return list(enumerate(codes, start=start))


# ---------------------------------------------------------------------------
# Package hygiene
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [
        "kpi_engine.raters",
        "kpi_engine.grading",
        "kpi_engine.ranking",
        "kpi_engine.consequences",
    ],
)
def test_doctests(module):
    result = doctest.testmod(sys.modules[module])
    assert result.attempted > 0
    assert result.failed == 0


def test_public_api_is_exported():
    for name in (
        "check_rater_rows",
        "rater_weights",
        "multi_rater_score",
        "check_grade_scale",
        "grade_for",
        "mean_score",
        "quarterly_score",
        "annual_score",
        "competition_ranks",
        "share_quota",
        "top_share_flags",
        "most_improved",
        "monthly_run_consequences",
        "annual_consequences",
        "year_award_consequence",
        "grade_consequences",
        "rank_consequences",
    ):
        assert callable(getattr(engine, name)), name
        assert name in engine.__all__, name
    assert all(hasattr(engine, name) for name in engine.__all__)
    assert engine.RATER_ROLES == ("self", "superior", "peer", "subordinate", "group")
    assert engine.CONSEQUENCE_RULES == (
        "promotion",
        "demotion_warning",
        "annual_priority",
        "annual_demotion",
        "no_year_end_award",
        "no_raise",
        "salary_down",
        "bottom_rank",
    )


def test_shipped_scales_match_the_seeds():
    assert [(b.code, b.min_score) for b in engine.SCALE_ABCD] == [
        ("A", 100),
        ("B", 90),
        ("C", 80),
        ("D", None),
    ]
    assert [(b.code, b.min_score) for b in engine.SCALE_FIVE] == [
        ("优", 90),
        ("良", 80),
        ("中", 70),
        ("较差", 60),
        ("差", None),
    ]
    assert [(b.code, b.min_score) for b in engine.SCALE_PASS] == [
        ("优秀", 95),
        ("合格", 90),
        ("不合格", None),
    ]
    for scale in (engine.SCALE_ABCD, engine.SCALE_FIVE, engine.SCALE_PASS):
        assert engine.check_grade_scale(scale) == scale


# ---------------------------------------------------------------------------
# Rater rows
# ---------------------------------------------------------------------------


def test_check_rater_rows_seeds():
    assert engine.check_rater_rows(engine.SEED_003_RATERS) == (
        {"self": 15.0, "superior": 60.0, "group": 25.0},
    )
    rows = engine.check_rater_rows(engine.SEED_004_RATERS)
    assert rows == (
        {"superior": 40.0, "peer": 30.0, "subordinate": 30.0},
        {"superior": 60.0, "subordinate": 40.0},
        {"superior": 60.0, "peer": 40.0},
        {"superior": 100.0},
    )
    assert all(isinstance(w, float) for row in rows for w in row.values())


def test_check_rater_rows_drops_zero_weights_and_allows_tolerance():
    assert engine.check_rater_rows([{"superior": 100, "peer": 0}]) == (
        {"superior": 100.0},
    )
    assert engine.check_rater_rows([{"superior": 66.67, "peer": 33.335}]) == (
        {"superior": 66.67, "peer": 33.335},
    )


@pytest.mark.parametrize(
    ("rows", "match"),
    [
        ([{"boss": 100}], r"Unknown rater role 'boss'"),
        ([{"superior": 110, "peer": -10}], r"weight of the rater role peer cannot be"),
        ([{"superior": 60, "peer": 30}], r"row 1 add up to 90 %, not 100 %"),
        (
            [{"superior": 60, "peer": 40}, {"superior": 50, "peer": 30}],
            r"row 2 add up to 80 %, not 100 %",
        ),
        ([{"superior": 99.98}], r"row 1 add up to 99\.98 %"),
        ([{"superior": 0}], r"row 1 add up to 0 %"),
        (
            [{"superior": 60, "peer": 40}, {"peer": 50, "superior": 50}],
            r"Rater rows 1 and 2 both cover the roles superior, peer",
        ),
        (
            [{"superior": 60, "peer": 40}, {"superior": 60, "self": 40}],
            r"Rater row 2 uses the roles self, which the first row does not weight",
        ),
        ([{"superior": math.nan}], r"must be a finite number"),
        ([{"superior": "100"}], r"must be a number"),
        ([{"superior": None}], r"weight of the rater role superior is missing"),
        ([], r"At least one rater row is required"),
        (None, r"rater rows must be a list"),
        ("superior", r"rater rows must be a list"),
        ({"superior": 100}, r"rater rows must be a list"),
        ([("superior", 100)], r"Rater row 1 must map rater roles to weights"),
    ],
)
def test_check_rater_rows_errors(rows, match):
    with raises(match):
        engine.check_rater_rows(rows)


# ---------------------------------------------------------------------------
# Rater weights (seed 004 fallbacks, seed 003 proportional redistribution)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (
            {"superior", "peer", "subordinate"},
            {"superior": 40.0, "peer": 30.0, "subordinate": 30.0},
        ),
        ({"superior", "subordinate"}, {"superior": 60.0, "subordinate": 40.0}),
        ({"superior", "peer"}, {"superior": 60.0, "peer": 40.0}),
        ({"superior"}, {"superior": 100.0}),
        # Roles the configuration does not weight are ignored.
        ({"superior", "self", "group"}, {"superior": 100.0}),
        # No row covers peer + subordinate: the main row is rescaled.
        ({"peer", "subordinate"}, {"peer": 50.0, "subordinate": 50.0}),
        ({"peer"}, {"peer": 100.0}),
    ],
)
def test_rater_weights_seed_004(present, expected):
    weights = engine.rater_weights(engine.SEED_004_RATERS, present)
    assert weights == expected
    assert list(weights) == list(expected)


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (
            {"self", "superior", "group"},
            {"self": 15.0, "superior": 60.0, "group": 25.0},
        ),
        ({"self", "superior"}, {"self": 20.0, "superior": 80.0}),
        ({"superior", "group"}, {"superior": 70.5882, "group": 29.4118}),
        ({"self", "group"}, {"self": 37.5, "group": 62.5}),
        ({"self"}, {"self": 100.0}),
        ({"superior"}, {"superior": 100.0}),
        ({"group", "peer"}, {"group": 100.0}),
    ],
)
def test_rater_weights_seed_003_proportional(present, expected):
    assert engine.rater_weights(engine.SEED_003_RATERS, present) == expected


def test_rater_weights_rounding_remainder_goes_to_largest():
    rows = [{"self": 20, "superior": 20, "peer": 20, "subordinate": 40}]
    weights = engine.rater_weights(rows, ["self", "superior", "peer"])
    # 33.3333 * 3 = 99.9999: the remainder goes to the first of the equal ones.
    assert weights == {"self": 33.3334, "superior": 33.3333, "peer": 33.3333}
    assert round(math.fsum(weights.values()), 4) == 100.0
    rows = [{"self": 10, "superior": 10, "peer": 40, "group": 40}]
    weights = engine.rater_weights(rows, ["self", "superior", "peer"])
    # 16.6667 * 2 + 66.6667 = 100.0001: the largest gives the excess back.
    assert weights == {"self": 16.6667, "superior": 16.6667, "peer": 66.6666}
    assert round(math.fsum(weights.values()), 4) == 100.0


def test_rater_weights_accepts_any_iterable_of_roles():
    rows = engine.SEED_004_RATERS
    expected = {"superior": 60.0, "peer": 40.0}
    assert engine.rater_weights(rows, ["peer", "superior", "peer"]) == expected
    assert engine.rater_weights(rows, (r for r in ("superior", "peer"))) == expected
    assert engine.rater_weights(rows, {"superior": 2, "peer": 1}) == expected


@pytest.mark.parametrize(
    ("rows", "present", "match"),
    [
        (
            engine.SEED_003_RATERS,
            {"peer", "subordinate"},
            r"^No rater of the roles self, superior, group is available\.$",
        ),
        (
            engine.SEED_004_RATERS,
            [],
            r"No rater of the roles superior, peer, subordinate is available",
        ),
        (engine.SEED_004_RATERS, "superior", r"present rater roles must be a list"),
        (engine.SEED_004_RATERS, None, r"present rater roles must be a list"),
        (engine.SEED_004_RATERS, 3, r"present rater roles must be a list"),
        (engine.SEED_004_RATERS, ["manager"], r"Unknown rater role 'manager'"),
        ([{"superior": 50}], ["superior"], r"row 1 add up to 50 %"),
    ],
)
def test_rater_weights_errors(rows, present, match):
    with raises(match):
        engine.rater_weights(rows, present)


# ---------------------------------------------------------------------------
# Multi-rater score
# ---------------------------------------------------------------------------


def test_multi_rater_score_seed_004():
    scores = {"superior": 90, "peer": 80, "subordinate": 70}
    weights = {"superior": 40, "peer": 30, "subordinate": 30}
    assert engine.multi_rater_score(scores, weights) == 81.0


def test_multi_rater_score_seed_003():
    scores = {"self": 100, "superior": 80, "group": 90}
    weights = engine.rater_weights(engine.SEED_003_RATERS, scores)
    # 15 + 48 + 22.5
    assert engine.multi_rater_score(scores, weights) == 85.5


def test_multi_rater_score_with_fallback_weights():
    scores = {"superior": 90, "subordinate": 70}
    weights = engine.rater_weights(engine.SEED_004_RATERS, scores)
    assert engine.multi_rater_score(scores, weights) == 82.0  # 54 + 28
    scores = {"superior": 85.5}
    weights = engine.rater_weights(engine.SEED_004_RATERS, scores)
    assert engine.multi_rater_score(scores, weights) == 85.5
    scores = {"superior": 90, "group": 60}
    weights = engine.rater_weights(engine.SEED_003_RATERS, scores)
    # 90 * 70.5882 % + 60 * 29.4118 % = 63.52938 + 17.64708
    assert engine.multi_rater_score(scores, weights) == 81.1765


def test_multi_rater_score_above_100_extra_roles_and_zero_weights():
    assert engine.multi_rater_score({"superior": 110}, {"superior": 100}) == 110.0
    scores = {"superior": 90, "peer": 50}
    assert engine.multi_rater_score(scores, {"superior": 100}) == 90.0
    assert engine.multi_rater_score({"superior": 90}, {"superior": 100, "peer": 0}) == (
        90.0
    )
    assert (
        engine.multi_rater_score(
            {"self": 0, "superior": 0}, {"self": 20, "superior": 80}
        )
        == 0.0
    )


@pytest.mark.parametrize(
    ("scores", "weights", "match"),
    [
        (
            {"superior": 90},
            {"superior": 60, "peer": 40},
            r"^The score of the rater role peer is missing\.$",
        ),
        (
            {"superior": -1},
            {"superior": 100},
            r"score of the rater role superior cannot",
        ),
        ({"superior": math.nan}, {"superior": 100}, r"must be a finite number"),
        ({"superior": None}, {"superior": 100}, r"score of the rater role superior is"),
        ({"boss": 90}, {"superior": 100}, r"Unknown rater role 'boss'"),
        ({"superior": 90}, {"boss": 100}, r"Unknown rater role 'boss'"),
        (
            {"superior": 90, "peer": 80},
            {"superior": 60, "peer": 30},
            r"weights of the rater roles add up to 90 %, not 100 %",
        ),
        (
            {"superior": 90},
            {"superior": 110, "peer": -10},
            r"weight cannot be negative",
        ),
        ([90], {"superior": 100}, r"rater scores must map rater roles to scores"),
        ({"superior": 90}, [100], r"rater weights must map rater roles to weights"),
    ],
)
def test_multi_rater_score_errors(scores, weights, match):
    with raises(match):
        engine.multi_rater_score(scores, weights)


# ---------------------------------------------------------------------------
# Grade scales
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (110, "A"),
        (100, "A"),
        (99.99, "B"),
        (90, "B"),
        (89.99, "C"),
        (80, "C"),
        (79.99, "D"),
        (0, "D"),
        # Scores are rounded to 4 decimals first: float noise does not demote.
        (99.99999, "A"),
        (0.1 * 3 * 300, "B"),  # 90.00000000000001
        (89.99999999999999, "B"),
    ],
)
def test_grade_abcd_seed_000(score, grade):
    assert engine.grade_for(score, engine.SCALE_ABCD) == grade


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "优"),
        (90, "优"),
        (89.99, "良"),
        (80, "良"),
        (79.99, "中"),
        (70, "中"),
        (69.99, "较差"),
        (60, "较差"),
        (59.99, "差"),
        (0, "差"),
    ],
)
def test_grade_five_seed_004(score, grade):
    assert engine.grade_for(score, engine.SCALE_FIVE) == grade


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "优秀"),
        (95, "优秀"),
        (94.99, "合格"),
        (90, "合格"),
        (89.99, "不合格"),
        (0, "不合格"),
    ],
)
def test_grade_pass_seed_001(score, grade):
    assert engine.grade_for(score, engine.SCALE_PASS) == grade


def test_check_grade_scale_sorts_and_accepts_pairs():
    scale = engine.check_grade_scale([("D", None), ("B", 90), ("A", 100), ("C", 80)])
    assert scale == (
        GradeBand("A", 100.0),
        GradeBand("B", 90.0),
        GradeBand("C", 80.0),
        GradeBand("D", None),
    )
    assert engine.grade_for(85, [("D", None), ("B", 90), ("A", 100), ("C", 80)]) == "C"
    assert engine.check_grade_scale([GradeBand("all", None)]) == (
        GradeBand("all", None),
    )
    assert engine.grade_for(55, [GradeBand("all", None)]) == "all"
    assert engine.grade_for(0, [("pass", 0), ("none", None)]) == "pass"


def test_grade_band_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        engine.SCALE_ABCD[0].min_score = 95


@pytest.mark.parametrize(
    ("bands", "match"),
    [
        (
            [("A", 90), ("B", 80)],
            r"Exactly one grade band must have no minimum.*found 0",
        ),
        ([("A", 90), ("B", None), ("C", None)], r"no minimum score .*found 2"),
        ([("A", 90), ("A", 80), ("D", None)], r"grade code A appears twice"),
        (
            [("A", 90), ("B", 90), ("D", None)],
            r"Two grade bands start at the same score 90",
        ),
        ([("A", 90), ("B", -10), ("D", None)], r"minimum score of a grade band cannot"),
        (
            [("A", math.nan), ("D", None)],
            r"minimum score of a grade band must be a finite",
        ),
        ([("A", "90"), ("D", None)], r"minimum score of a grade band must be a number"),
        ([("", 90), ("D", None)], r"A grade band needs a code, got ''"),
        ([(1, 90), ("D", None)], r"A grade band needs a code, got 1"),
        ([("A", 90, "x"), ("D", None)], r"grade band must be given as \(code, minimum"),
        (["A"], r"grade band must be given as \(code, minimum score\)"),
        ([], r"At least one grade band is required"),
        (None, r"grade bands must be a list"),
        ("ABCD", r"grade bands must be a list"),
        ({"A": 100}, r"grade bands must be a list"),
        (42, r"grade bands must be a list"),
    ],
)
def test_check_grade_scale_errors(bands, match):
    with raises(match):
        engine.check_grade_scale(bands)


@pytest.mark.parametrize(
    ("score", "match"),
    [
        (-0.01, r"^The score cannot be negative \(got -0\.01\)\.$"),
        (math.nan, r"score must be a finite number \(got nan\)"),
        (math.inf, r"score must be a finite number \(got inf\)"),
        (None, r"score is missing"),
        ("90", r"score must be a number"),
        (True, r"score must be a number"),
    ],
)
def test_grade_for_errors(score, match):
    with raises(match):
        engine.grade_for(score, engine.SCALE_ABCD)


# ---------------------------------------------------------------------------
# Period aggregation (seed 004)
# ---------------------------------------------------------------------------


def test_mean_score():
    assert engine.mean_score([85, 90, 95]) == 90.0
    assert engine.mean_score([110]) == 110.0
    assert engine.mean_score((88, 91, 92)) == 90.3333
    assert engine.mean_score([0, 0]) == 0.0


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        ([85, 90, 95], 90.0),
        ([88, 91, 92], 90.3333),
        ([100, 110, 119], 109.6667),
        ([70, 80], 75.0),
        ([87.5], 87.5),
    ],
)
def test_quarterly_score(months, expected):
    assert engine.quarterly_score(months) == expected


def test_annual_score_is_mean_of_quarters():
    assert engine.annual_score([90, 85, 95, 88]) == 89.5
    assert engine.annual_score([91.5, 88, 79.25, 100]) == 89.6875
    assert engine.annual_score([90, 80]) == 85.0
    quarters = [
        engine.quarterly_score([85, 90, 95]),
        engine.quarterly_score([88, 91, 92]),
        engine.quarterly_score([70, 80, 90]),
        engine.quarterly_score([100, 110, 119]),
    ]
    assert quarters == [90.0, 90.3333, 80.0, 109.6667]
    assert engine.annual_score(quarters) == 92.5
    assert engine.grade_for(engine.annual_score(quarters), engine.SCALE_FIVE) == "优"


@pytest.mark.parametrize(
    ("function", "scores", "match"),
    [
        ("mean_score", [], r"At least one score is needed for a mean"),
        ("mean_score", [90, -1], r"score cannot be negative \(got -1\)"),
        ("mean_score", [90, math.nan], r"score must be a finite number"),
        ("mean_score", None, r"scores must be a list"),
        ("mean_score", "90", r"scores must be a list"),
        ("mean_score", 90, r"scores must be a list"),
        (
            "quarterly_score",
            [90, 90, 90, 90],
            r"^The monthly scores must hold 1 to 3 scores \(got 4\)\.$",
        ),
        ("quarterly_score", [], r"monthly scores must hold 1 to 3 scores \(got 0\)"),
        ("quarterly_score", [90, None], r"score is missing"),
        ("quarterly_score", None, r"monthly scores must be a list"),
        (
            "annual_score",
            [90] * 5,
            r"quarterly scores must hold 1 to 4 scores \(got 5\)",
        ),
        ("annual_score", [], r"quarterly scores must hold 1 to 4 scores \(got 0\)"),
        ("annual_score", [90, -5], r"score cannot be negative"),
        ("annual_score", {"Q1": 90}, r"quarterly scores must be a list"),
    ],
)
def test_aggregation_errors(function, scores, match):
    with raises(match):
        getattr(engine, function)(scores)


# ---------------------------------------------------------------------------
# Rankings and award shares (seed 003)
# ---------------------------------------------------------------------------


def test_competition_ranks_with_ties():
    ranks = engine.competition_ranks({"a": 90, "b": 95, "c": 90, "d": 80})
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}
    assert list(ranks) == ["b", "a", "c", "d"]
    ranks = engine.competition_ranks({1: 80, 2: 80, 3: 80})
    assert ranks == {1: 1, 2: 1, 3: 1}
    ranks = engine.competition_ranks({"x": 70, "y": 100, "z": 100, "w": 85, "v": 70})
    assert ranks == {"y": 1, "z": 1, "w": 3, "x": 4, "v": 4}
    assert engine.competition_ranks({}) == {}
    assert engine.competition_ranks({"solo": 0}) == {"solo": 1}
    # Compared after rounding to 4 decimals.
    assert engine.competition_ranks({"a": 90.00001, "b": 90}) == {"a": 1, "b": 1}
    assert engine.competition_ranks({"a": 110, "b": 90.0001}) == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    ("count", "pct", "expected"),
    [
        (14, 10, 1),
        (14, 30, 4),
        (5, 10, 1),
        (0, 10, 0),
        (0, 0, 0),
        (10, 0, 0),
        (10, 10, 1),
        (10, 30, 3),
        (20, 10, 2),
        (29, 10, 2),
        (7, 30, 2),
        (1, 10, 1),
        (3, 100, 3),
        (4.0, 50, 2),
        (10, 12.5, 1),
    ],
)
def test_share_quota(count, pct, expected):
    assert engine.share_quota(count, pct) == expected


@pytest.mark.parametrize(
    ("count", "pct", "match"),
    [
        (-1, 10, r"number of ranked results cannot be negative"),
        (2.5, 10, r"number of ranked results must be a whole number"),
        (10, 101, r"^The top share must lie between 0 and 100 \(got 101\)\.$"),
        (10, -5, r"top share must lie between 0 and 100 \(got -5\)"),
        (10, math.nan, r"top share must be a finite number"),
        (10, None, r"top share is missing"),
    ],
)
def test_share_quota_errors(count, pct, match):
    with raises(match):
        engine.share_quota(count, pct)


def test_top_share_flags_fourteen_distinct():
    scores = {f"e{i:02d}": 100 - i for i in range(14)}
    flags = engine.top_share_flags(scores)
    assert [key for key, flag in flags.items() if flag == "excellence"] == ["e00"]
    assert [key for key, flag in flags.items() if flag == "good"] == [
        "e01",
        "e02",
        "e03",
    ]
    assert sum(1 for flag in flags.values() if flag is None) == 10
    assert set(flags) == set(scores)


def test_top_share_flags_ties_on_the_boundaries_are_inside():
    # Two tie for the only excellence place: both get it.
    scores = {f"e{i:02d}": 100 - i for i in range(14)}
    scores["e01"] = 100
    flags = engine.top_share_flags(scores)
    assert sorted(k for k, f in flags.items() if f == "excellence") == ["e00", "e01"]
    assert sorted(k for k, f in flags.items() if f == "good") == ["e02", "e03"]
    # Two tie for the 4th (last good) place: both are good.
    scores = {f"e{i:02d}": 100 - i for i in range(14)}
    scores["e04"] = scores["e03"]
    flags = engine.top_share_flags(scores)
    assert sorted(k for k, f in flags.items() if f == "good") == [
        "e01",
        "e02",
        "e03",
        "e04",
    ]
    assert flags["e05"] is None
    # Everyone tied: everyone shares rank 1.
    flags = engine.top_share_flags({"a": 80, "b": 80, "c": 80})
    assert flags == {"a": "excellence", "b": "excellence", "c": "excellence"}


def test_top_share_flags_small_groups_and_custom_shares():
    assert engine.top_share_flags({}) == {}
    assert engine.top_share_flags({"a": 50}) == {"a": "excellence"}
    assert engine.top_share_flags({"a": 90, "b": 80}) == {"a": "excellence", "b": None}
    scores = {"a": 95, "b": 90, "c": 90, "d": 80}
    assert engine.top_share_flags(scores, 25, 50) == {
        "a": "excellence",
        "b": "good",
        "c": "good",
        "d": None,
    }
    assert engine.top_share_flags(scores, 0, 0) == dict.fromkeys(scores)
    assert engine.top_share_flags(scores, 0, 50) == {
        "a": "good",
        "b": "good",
        "c": "good",
        "d": None,
    }
    assert engine.top_share_flags(scores, 30, 30)["b"] is None


@pytest.mark.parametrize(
    ("scores", "excellence", "good", "match"),
    [
        (
            {"a": 90},
            30,
            10,
            r"good-performance share 10 % counts from the top and cannot be below "
            r"the excellence share 30 %",
        ),
        ({"a": 90}, 110, 120, r"excellence share must lie between 0 and 100"),
        ({"a": -1}, 10, 30, r"score of 'a' cannot be negative"),
        ({"a": math.nan}, 10, 30, r"score of 'a' must be a finite number"),
        ([90, 80], 10, 30, r"scores must map each result to its score"),
    ],
)
def test_top_share_flags_errors(scores, excellence, good, match):
    with raises(match):
        engine.top_share_flags(scores, excellence, good)


def test_most_improved():
    current = {"a": 90, "b": 85, "c": 80, "d": 99}
    previous = {"a": 85, "b": 80, "c": 81}
    assert engine.most_improved(current, previous) == {"a", "b"}
    assert engine.most_improved({"a": 90, "b": 85}, {"a": 80, "b": 84}) == {"a"}
    assert engine.most_improved({"a": 80, "b": 70}, {"a": 85, "b": 70}) == set()
    assert engine.most_improved({"a": 80}, {"b": 60}) == set()
    assert engine.most_improved({}, {}) == set()
    # Gains are compared after rounding to 4 decimals.
    assert engine.most_improved({"a": 90.00001, "b": 95}, {"a": 85, "b": 90}) == {
        "a",
        "b",
    }
    assert engine.most_improved({"a": 110, "b": 0.5}, {"a": 100, "b": 0}) == {"a"}


@pytest.mark.parametrize(
    ("current", "previous", "match"),
    [
        ({"a": -1}, {"a": 5}, r"score of 'a' cannot be negative"),
        ({"a": 5}, {"a": math.nan}, r"score of 'a' must be a finite number"),
        (None, {"a": 5}, r"current scores must map each result"),
        ({"a": 5}, [5], r"previous scores must map each result"),
    ],
)
def test_most_improved_errors(current, previous, match):
    with raises(match):
        engine.most_improved(current, previous)


# ---------------------------------------------------------------------------
# Consequences: monthly runs (seed 000)
# ---------------------------------------------------------------------------


def promotions(codes, **kwargs):
    found = engine.monthly_run_consequences(history(codes), **kwargs)
    return [c.keys for c in found if c.rule == engine.PROMOTION]


def warnings(codes, **kwargs):
    found = engine.monthly_run_consequences(history(codes), **kwargs)
    return [c.keys for c in found if c.rule == engine.DEMOTION_WARNING]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ("AAA", [(1, 2, 3)]),
        ("AAAA", [(1, 2, 3)]),
        ("AAAAA", [(1, 2, 3)]),
        ("AAAAAA", [(1, 2, 3), (4, 5, 6)]),
        ("AABAAA", [(4, 5, 6)]),
        ("AAABAAA", [(1, 2, 3), (5, 6, 7)]),
        ("AABAA", []),
        ("AA", []),
        ("BBBCCC", []),
        ("", []),
    ],
)
def test_promotion_runs_do_not_overlap(codes, expected):
    assert promotions(list(codes)) == expected


def test_promotion_month_without_result_breaks_the_run():
    assert promotions(["A", "A", None, "A", "A"]) == []
    assert promotions(["A", None, "A", "A", "A"]) == [(3, 4, 5)]


def test_promotion_custom_top_codes():
    assert promotions(["优", "优", "优"], top_codes=("优",), bottom_codes=("差",)) == [
        (1, 2, 3)
    ]
    assert promotions(["A", "B", "A"], top_codes=("A", "B")) == [(1, 2, 3)]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ("DBDBBD", [(1, 3, 6)]),  # 3 D in months 1-6
        ("DBBBDD", [(1, 5, 6)]),
        ("DBBBBDD", []),  # months 1-6 hold 2 D, months 2-7 hold 2 D
        ("DBBBBBDD", []),  # month 1 is out of every window with months 7 and 8
        ("BBBDBBDBD", [(4, 7, 9)]),  # months 4-9 hold 3 D
        ("BDBBBBDBD", []),  # months 2-9 span 8 months
        ("DDD", [(1, 2, 3)]),
        ("DDDD", [(1, 2, 3)]),  # the 4th D alone does not warn again
        ("DDDDD", [(1, 2, 3)]),
        ("DDDDDD", [(1, 2, 3), (4, 5, 6)]),
        ("DDDBBDD", [(1, 2, 3)]),  # 1-3 are used up: 6, 7 are only two
        ("DDDDDBD", [(1, 2, 3), (4, 5, 7)]),
        ("DDBBBBBBD", []),
        ("CCCCCC", []),
        ("", []),
    ],
)
def test_demotion_warning_three_bottom_grades_within_six_months(codes, expected):
    assert warnings(list(codes)) == expected


def test_demotion_warning_months_without_result_take_their_place():
    assert warnings(["D", None, "D", None, None, "D"]) == [(1, 3, 6)]
    assert warnings(["D", None, None, None, None, "D", "D"]) == []


def test_monthly_runs_promotions_first_then_warnings():
    codes = ["D", "A", "A", "A", "D", "D"]
    result = engine.monthly_run_consequences(history(codes, start=101))
    assert result == [
        Consequence(engine.PROMOTION, (102, 103, 104)),
        Consequence(engine.DEMOTION_WARNING, (101, 105, 106)),
    ]
    # One month later the first D falls out of the window.
    codes = ["D", "A", "A", "A", "D", "B", "D"]
    result = engine.monthly_run_consequences(history(codes, start=101))
    assert result == [Consequence(engine.PROMOTION, (102, 103, 104))]


def test_monthly_runs_custom_codes_five_scale():
    codes = ["差", "较差", "差", "中", "差"]
    assert warnings(codes, top_codes=("优",), bottom_codes=("差",)) == [(1, 3, 5)]
    assert warnings(codes, top_codes=("优",), bottom_codes=("差", "较差")) == [
        (1, 2, 3)
    ]


def test_consequence_is_frozen():
    consequence = Consequence(engine.PROMOTION, (1, 2, 3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        consequence.keys = ()


@pytest.mark.parametrize(
    ("entries", "kwargs", "match"),
    [
        (None, {}, r"grade history must be a list"),
        ("AAA", {}, r"grade history must be a list"),
        ([("A",)], {}, r"history entry must be given as \(result, grade code\)"),
        (["A"], {}, r"history entry must be given as \(result, grade code\)"),
        ([(None, "A")], {}, r"A result needs an identifier, got None"),
        ([([1], "A")], {}, r"A result needs an identifier, got \[1\]"),
        ([(1, "A"), (1, "B")], {}, r"result 1 appears twice in the grade history"),
        ([(1, 5)], {}, r"grade code must be a non-empty text, got 5"),
        ([(1, "")], {}, r"grade code must be a non-empty text"),
        ([(1, "A")], {"top_codes": "A"}, r"top grade codes must be a list"),
        ([(1, "A")], {"bottom_codes": None}, r"bottom grade codes must be a list"),
        ([(1, "A")], {"top_codes": (None,)}, r"grade code must be a non-empty text"),
        (
            [(1, "A")],
            {"top_codes": ("A", "D")},
            r"grade codes D are both top grade codes and bottom grade codes",
        ),
    ],
)
def test_monthly_run_errors(entries, kwargs, match):
    with raises(match):
        engine.monthly_run_consequences(entries, **kwargs)


# ---------------------------------------------------------------------------
# Consequences: annual grade (seed 000), year-end award (seed 001)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        ("A", [Consequence(engine.ANNUAL_PRIORITY, (7,))]),
        ("B", []),
        ("C", [Consequence(engine.ANNUAL_DEMOTION, (7,))]),
        ("D", [Consequence(engine.ANNUAL_DEMOTION, (7,))]),
    ],
)
def test_annual_consequences(grade, expected):
    assert engine.annual_consequences(7, grade) == expected


def test_annual_consequences_from_annual_score():
    quarters = [100, 105, 98, 101]
    grade = engine.grade_for(engine.annual_score(quarters), engine.SCALE_ABCD)
    assert grade == "A"  # 101.0
    assert engine.annual_consequences("2024", grade) == [
        Consequence("annual_priority", ("2024",))
    ]
    custom = {"top_codes": ("优",), "demotion_codes": ("较差", "差")}
    assert engine.annual_consequences(1, "较差", **custom) == [
        Consequence(engine.ANNUAL_DEMOTION, (1,))
    ]
    assert engine.annual_consequences(1, "中", **custom) == []


@pytest.mark.parametrize(
    ("key", "grade", "kwargs", "match"),
    [
        (1, None, {}, r"grade code must be a non-empty text, got None"),
        (None, "A", {}, r"result needs an identifier"),
        (1, "A", {"demotion_codes": ("A",)}, r"both top grade codes and demotion"),
        (1, "A", {"demotion_codes": "CD"}, r"demotion grade codes must be a list"),
    ],
)
def test_annual_consequences_errors(key, grade, kwargs, match):
    with raises(match):
        engine.annual_consequences(key, grade, **kwargs)


@pytest.mark.parametrize(
    ("results", "kwargs", "expected"),
    [
        ([(1, 92), (2, 89.5), (3, 95), (4, 80)], {}, [(2, 4)]),
        ([(1, 92), (2, 90), (3, 90)], {}, []),  # exactly 90 is not below
        ([(1, 89), (2, 95)], {}, []),  # one is not enough
        ([(1, 89), (2, 88), (3, 50)], {}, [(1, 2, 3)]),
        ([], {}, []),
        ([(1, 89.99999)], {"count": 1}, []),  # 90.0 after rounding
        ([(1, 89)], {"count": 1}, [(1,)]),
        ([(1, 94), (2, 96), (3, 94.99)], {"threshold": 95}, [(1, 3)]),
        ([(1, 80), (2, 80)], {"count": 3}, []),
    ],
)
def test_year_award_consequence_seed_001(results, kwargs, expected):
    found = engine.year_award_consequence(results, **kwargs)
    assert [c.keys for c in found] == expected
    assert all(c.rule == engine.NO_YEAR_END_AWARD for c in found)


@pytest.mark.parametrize(
    ("results", "kwargs", "match"),
    [
        ([(1, 80)], {"count": 0}, r"number of low results must be at least 1"),
        ([(1, 80)], {"count": 1.5}, r"number of low results must be a whole number"),
        ([(1, 80)], {"threshold": None}, r"award threshold is missing"),
        ([(1, -1)], {}, r"score cannot be negative"),
        ([(1, math.nan)], {}, r"score must be a finite number"),
        ([(1, 80), (1, 70)], {}, r"result 1 appears twice in the results of the year"),
        ([(1, 80, 3)], {}, r"A result must be given as \(result, score\)"),
        ([80, 70], {}, r"A result must be given as \(result, score\)"),
        (None, {}, r"results of the year must be a list"),
        ({1: 80}, {}, r"results of the year must be a list"),
    ],
)
def test_year_award_consequence_errors(results, kwargs, match):
    with raises(match):
        engine.year_award_consequence(results, **kwargs)


# ---------------------------------------------------------------------------
# Consequences: pay grade and bottom rank (seed 004)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        ("优", []),
        ("良", []),
        ("中", [Consequence(engine.NO_RAISE, (3,))]),
        ("较差", [Consequence(engine.NO_RAISE, (3,))]),
        ("差", [Consequence(engine.SALARY_DOWN, (3,))]),
    ],
)
def test_grade_consequences_seed_004(grade, expected):
    assert engine.grade_consequences(3, grade) == expected


def test_grade_consequences_from_score():
    for score, rule in ((75, "no_raise"), (65, "no_raise"), (59.99, "salary_down")):
        grade = engine.grade_for(score, engine.SCALE_FIVE)
        assert [c.rule for c in engine.grade_consequences("e1", grade)] == [rule]
    grade = engine.grade_for(80, engine.SCALE_FIVE)
    assert engine.grade_consequences("e1", grade) == []


@pytest.mark.parametrize(
    ("grade", "kwargs", "match"),
    [
        ("差", {"salary_down_codes": ("差", "中")}, r"grade codes 中 are both"),
        ("差", {"no_raise_codes": "中"}, r"no-raise grade codes must be a list"),
        (3, {}, r"grade code must be a non-empty text, got 3"),
    ],
)
def test_grade_consequences_errors(grade, kwargs, match):
    with raises(match):
        engine.grade_consequences(1, grade, **kwargs)


@pytest.mark.parametrize(
    ("rank", "count", "expected"),
    [
        (5, 5, [Consequence(engine.BOTTOM_RANK, (9,))]),
        (2, 2, [Consequence(engine.BOTTOM_RANK, (9,))]),
        (4, 5, []),
        (1, 5, []),
        (1, 1, []),  # alone in the department: not "last"
        (5.0, 5, [Consequence(engine.BOTTOM_RANK, (9,))]),
    ],
)
def test_rank_consequences_seed_004(rank, count, expected):
    assert engine.rank_consequences(9, rank, count) == expected


def test_rank_consequences_from_competition_ranks():
    ranks = engine.competition_ranks({"a": 90, "b": 80, "c": 70})
    flagged = [
        key
        for key, rank in ranks.items()
        if engine.rank_consequences(key, rank, len(ranks))
    ]
    assert flagged == ["c"]
    # Tied for last place: both share rank 2 of 3, nobody is "last".
    ranks = engine.competition_ranks({"a": 90, "b": 70, "c": 70})
    assert not any(
        engine.rank_consequences(key, rank, len(ranks)) for key, rank in ranks.items()
    )


@pytest.mark.parametrize(
    ("rank", "count", "match"),
    [
        (0, 5, r"^The rank 0 lies outside 1 to 5\.$"),
        (6, 5, r"rank 6 lies outside 1 to 5"),
        (1, 0, r"rank 1 lies outside 1 to 0"),
        (1.5, 5, r"rank must be a whole number"),
        (-1, 5, r"rank cannot be negative"),
        (1, None, r"number of ranked results is missing"),
    ],
)
def test_rank_consequences_errors(rank, count, match):
    with raises(match):
        engine.rank_consequences(1, rank, count)


# ---------------------------------------------------------------------------
# Errors keep their message and parameters for translation
# ---------------------------------------------------------------------------


def test_errors_keep_message_and_params():
    with raises("add up") as info:
        engine.check_rater_rows([{"superior": 60}])
    error = info.value
    assert "%(row)s" in error.message and "%(total)s" in error.message
    assert error.params == {"row": 1, "total": "60"}
    assert str(error) == error.message % error.params
    with raises("No rater") as info:
        engine.rater_weights(engine.SEED_003_RATERS, ["peer"])
    assert info.value.message == "No rater of the roles %(roles)s is available."
    assert info.value.params == {"roles": "self, superior, group"}
