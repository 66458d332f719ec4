"""Pure tests of star reviews and pay formulas (no Odoo, no database).

Numbers come from the seed regulations: 003 (star review in the order 2, 1, 3
with the 1-star / 3-star examples, 5 % five-star quota, monthly star changes,
probation 90 % of 1200 and score floors 70 / 80, 2000 + 1200 x 85 % + 200 =
3220, 2800 + 2000 x 85 % + 200 = 4700, result table 90 / 80 / 70, monthly
awards), 000 (5000 x 95 % = 4750, 10000 x 110 % = 11000, complaint cuts
5 / 20 / 50 % and reception < 96 -> 10 %, 30 % of the commission above the
base salary deferred, (gross profit - revenue x 34 %) x 3 % split 3 : 5 : 2),
001 (below 60 points -> -30 % of the performance pay).
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
StarLevel = engine.StarLevel
StarDecision = engine.StarDecision
REP_LEVELS = engine.SEED_003_REP_LEVELS
LEAD_LEVELS = engine.SEED_003_LEAD_LEVELS
PRESENT = {"full_attendance": True}


def raises(match):
    return pytest.raises(KpiEngineError, match=match)


def rep_star(base, *months, max_stars=5):
    """Return the star of the last of ``months`` (earlier ones are history)."""
    *history, current = months
    return engine.effective_star(base, current, history, max_stars)


# ---------------------------------------------------------------------------
# Package hygiene
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["kpi_engine.stars", "kpi_engine.pay"])
def test_doctests(module):
    result = doctest.testmod(sys.modules[module])
    assert result.attempted > 0
    assert result.failed == 0


def test_public_api_is_exported():
    for name in (
        "check_star_levels",
        "review_star",
        "five_star_quota",
        "apply_five_star_quota",
        "effective_star",
        "effective_lead_star",
        "lead_quarter_score",
        "probation_pay",
        "probation_score",
        "regularisation_due",
        "star_pay",
        "monthly_wage",
        "performance_pay",
        "annual_bonus",
        "low_score_cut",
        "complaint_rate",
        "complaint_cut",
        "deferral",
        "pool_base",
        "profit_pool",
        "check_result_table",
        "result_table_rate",
        "award_winners",
    ):
        assert callable(getattr(engine, name)), name
        assert name in engine.__all__, name
    for name in ("StarLevel", "StarDecision", "SEED_003_REP_LEVELS", "AWARDS"):
        assert name in engine.__all__, name
    assert all(hasattr(engine, name) for name in engine.__all__)
    assert len(set(engine.__all__)) == len(engine.__all__)
    # Names of the earlier modules are still exported.
    for name in ("score_indicator", "grade_for", "competition_ranks", "veto"):
        assert name in engine.__all__, name
    assert engine.AWARDS == ("service_star", "progress_star", "efficiency_star")
    assert engine.STAR_RULES == (
        "score",
        "skill",
        "attendance_cap",
        "quota",
        "base",
        "commendation",
        "one_time_award",
        "satisfaction",
        "commendation_satisfaction",
        "downgrade",
        "repeat_downgrade",
    )


def test_dataclasses_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        REP_LEVELS[3].pay = 1300
    with pytest.raises(dataclasses.FrozenInstanceError):
        StarDecision(3, "score", 90.0).stars = 4


def test_error_keeps_message_and_params():
    with raises("appears twice") as info:
        engine.check_star_levels([(0, 0, 0, 0), (1, 60, 0, 800), (1, 70, 0, 900)], 1)
    error = info.value
    assert error.message == "The star level %(stars)s appears twice."
    assert error.params == {"stars": 1}
    assert str(error) == error.message % error.params


# ---------------------------------------------------------------------------
# Star levels
# ---------------------------------------------------------------------------


def test_seed_ladders():
    assert engine.check_star_levels(REP_LEVELS, 5) == REP_LEVELS
    assert engine.check_star_levels(LEAD_LEVELS, 4) == LEAD_LEVELS
    assert [level.stars for level in REP_LEVELS] == [0, 1, 2, 3, 4, 5]
    assert [level.stars for level in LEAD_LEVELS] == [0, 1, 2, 3, 4]
    assert REP_LEVELS[3].pay == 1200.0
    assert LEAD_LEVELS[2].pay == 2000.0


def test_check_star_levels_sorts_and_accepts_tuples_and_dicts():
    levels = [
        {"stars": 2, "min_score": 80, "min_skill": 60, "pay": 1000},
        (0, 0, 0, 500),
        StarLevel(1, 70, 60, 800),
    ]
    assert engine.check_star_levels(levels, 2) == (
        StarLevel(0, 0.0, 0.0, 500.0),
        StarLevel(1, 70.0, 60.0, 800.0),
        StarLevel(2, 80.0, 60.0, 1000.0),
    )
    # Equal minimums on consecutive stars are allowed (non-decreasing).
    assert len(engine.check_star_levels([(0, 0, 0, 0), (1, 0, 0, 0)], 1)) == 2


@pytest.mark.parametrize(
    ("levels", "max_stars", "match"),
    [
        ([(0, 0, 0, 0), (1, 60, 0, 800)], 2, r"^The star levels 2 are missing: "),
        ([(0, 0, 0, 0)], 3, r"star levels 1, 2, 3 are missing"),
        (
            [(0, 0, 0, 0), (1, 60, 0, 800), (2, 70, 0, 900)],
            1,
            r"^The star level \(2\) must lie between 0 and 1\.$",
        ),
        ([(0, 0, 0, 0), (1, 60, 0, 8), (1, 70, 0, 9)], 1, r"star level 1 appears"),
        (
            [(0, 0, 0, 0), (1, 70, 0, 800), (2, 65, 0, 900)],
            2,
            r"minimum score of 2 stars \(65\) cannot be below that of 1 stars \(70\)",
        ),
        (
            [(0, 0, 0, 0), (1, 70, 50, 800), (2, 75, 45, 900)],
            2,
            r"minimum skill of 2 stars \(45\) cannot be below that of 1 stars",
        ),
        ([(0, 0, 0, -1), (1, 60, 0, 800)], 1, r"pay of a star level cannot be neg"),
        ([(0, math.nan, 0, 0), (1, 60, 0, 8)], 1, r"minimum score of a star level"),
        ([(0.5, 0, 0, 0), (1, 60, 0, 8)], 1, r"number of stars of a level must be"),
        ([(0, 0, 0), (1, 60, 0, 8)], 1, r"star level must be given as \(stars, "),
        ([{"stars": 0, "pay": 0}], 1, r"star level must be given as"),
        ([(0, 0, 0, 0), (1, 60, 0, 800)], 0, r"needs at least 1 star above 0"),
        ([(0, 0, 0, 0), (1, 60, 0, 800)], None, r"top number of stars is missing"),
        (None, 1, r"star levels must be a list"),
        ({1: (1, 60, 0, 800)}, 1, r"star levels must be a list"),
    ],
)
def test_check_star_levels_errors(levels, max_stars, match):
    with raises(match):
        engine.check_star_levels(levels, max_stars)


# ---------------------------------------------------------------------------
# Quarterly review (seed 003, order 2, 1, 3)
# ---------------------------------------------------------------------------


def test_review_seed_examples():
    # A: 90 points, not full attendance, 75 characters per minute -> 1 star.
    assert engine.review_star([90, 90, 90], 4, 75, REP_LEVELS) == StarDecision(
        1, "attendance_cap", 90.0, 75.0
    )
    # B: the same with full attendance -> 3 stars (4 stars need 92 points).
    assert engine.review_star([90, 90, 90], 0, 75, REP_LEVELS) == StarDecision(
        3, "score", 90.0, 75.0
    )


@pytest.mark.parametrize(
    ("months", "events", "skill", "stars", "rule"),
    [
        ([85, 90, 95], 0, 75, 3, "score"),  # mean 90
        ([93, 93, 93], 0, 75, 3, "skill"),  # 4 stars need 80 chars/min
        ([93, 93, 93], 0, 80, 4, "score"),
        ([97, 96, 98], 0, 95, 5, "score"),  # the top
        ([85, 85, 85], 0, 70, 3, "score"),  # minimums reached exactly
        ([85, 85, 84.99], 0, 70, 2, "score"),
        ([85, 85, 85], 0, 69.99, 2, "skill"),
        ([50, 55, 59], 0, 95, 0, "score"),
        ([90, 90, 90], 0, 30, 0, "skill"),  # 1 star needs 40 chars/min
        ([0], 0, 0, 0, "score"),
        ([90, 80], 0, 75, 3, "score"),  # 2 months only: mean 85
    ],
)
def test_review_full_attendance(months, events, skill, stars, rule):
    decision = engine.review_star(months, events, skill, REP_LEVELS)
    assert (decision.stars, decision.rule) == (stars, rule)


@pytest.mark.parametrize(
    ("months", "events", "skill", "expected"),
    [
        ([90, 90, 90], 3, 75, (3, "score")),  # 3 events still pass
        ([90, 90, 90], 4, 75, (1, "attendance_cap")),
        ([97, 97, 97], 10, 95, (1, "attendance_cap")),
        ([60, 60, 60], 4, 75, (1, "attendance_cap")),  # 1 star needs 60 points
        ([59.99, 60, 60], 4, 75, (0, "attendance_cap")),  # mean 59.9967
        ([90, 90, 90], 4, 0, (1, "attendance_cap")),  # the skill test is skipped
    ],
)
def test_review_attendance_caps_first(months, events, skill, expected):
    decision = engine.review_star(months, events, skill, REP_LEVELS)
    assert (decision.stars, decision.rule) == expected


def test_review_custom_limit_and_unsorted_levels():
    assert engine.review_star([90], 1, 75, REP_LEVELS, attendance_limit=0).stars == 1
    levels = list(reversed(LEAD_LEVELS))
    team = engine.lead_quarter_score([90, 85, 80, 81])
    assert team == 84.0
    assert engine.review_star([team], 0, 0, levels) == StarDecision(2, "score", 84.0, 0.0)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([90, 90, 90, 90], 0, 75), r"monthly scores must hold 1 to 3 scores"),
        (([], 0, 75), r"monthly scores must hold 1 to 3 scores \(got 0\)"),
        (([90], -1, 75), r"number of attendance events cannot be negative"),
        (([90], 1.5, 75), r"number of attendance events must be a whole number"),
        (([90], 0, math.nan), r"skill test result must be a finite number"),
        (([90], 0, -1), r"skill test result cannot be negative"),
        (([-5], 0, 75), r"score cannot be negative"),
    ],
)
def test_review_errors(args, match):
    with raises(match):
        engine.review_star(*args, REP_LEVELS)


def test_review_needs_a_one_star_level():
    with raises(r"star levels 1 are missing"):
        engine.review_star([90], 0, 75, [(0, 0, 0, 0)])
    with raises(r"attendance event limit cannot be negative"):
        engine.review_star([90], 0, 75, REP_LEVELS, attendance_limit=-1)


# ---------------------------------------------------------------------------
# Five-star quota (at most 5 % of the reps on duty)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on_duty", "pct", "expected"),
    [
        (19, 5, 0),
        (20, 5, 1),
        (39, 5, 1),
        (40, 5, 2),
        (0, 5, 0),
        (100, 0, 0),
        (19, 10, 1),
        (7, 100, 7),
        (60, 5.0, 3),  # 60 x 5 / 100 = 3.0000000000000004 stays 3
    ],
)
def test_five_star_quota(on_duty, pct, expected):
    assert engine.five_star_quota(on_duty, pct) == expected


@pytest.mark.parametrize(
    ("on_duty", "pct", "match"),
    [
        (-1, 5, r"number of reps on duty cannot be negative"),
        (20.5, 5, r"number of reps on duty must be a whole number"),
        (20, 101, r"five-star share must lie between 0 and 100 \(got 101\)"),
        (20, -1, r"five-star share must lie between 0 and 100"),
    ],
)
def test_five_star_quota_errors(on_duty, pct, match):
    with raises(match):
        engine.five_star_quota(on_duty, pct)


def test_quota_19_reps_gives_no_five_star_place():
    decided, quota = engine.apply_five_star_quota({"a": (5, 98), "b": (3, 90)}, 19)
    assert quota == 0
    assert decided == {
        "a": StarDecision(4, "quota", 98.0),
        "b": StarDecision(3, None, 90.0),
    }


def test_quota_20_reps_one_place_to_the_best_score():
    decisions = {"a": (5, 97), "b": (5, 98), "c": (4, 99)}
    decided, quota = engine.apply_five_star_quota(decisions, 20)
    assert quota == 1
    assert list(decided) == ["a", "b", "c"]
    assert decided["b"] == StarDecision(5, None, 98.0)
    assert decided["a"] == StarDecision(4, "quota", 97.0)
    assert decided["c"] == StarDecision(4, None, 99.0)


def test_quota_40_reps_ties_higher_skill_then_lower_key():
    decisions = {
        7: (5, 97, 90),
        3: (5, 97, 92),
        5: (5, 98, 80),
        1: (5, 97, 92),
        9: (5, 97),  # no skill result: ranks after any result
    }
    decided, quota = engine.apply_five_star_quota(decisions, 40)
    assert quota == 2
    kept = [key for key, decision in decided.items() if decision.stars == 5]
    # 98 first, then the 97s with skill 92 (keys 1 and 3): the lower key wins.
    assert kept == [5, 1]
    assert {key: d.rule for key, d in decided.items() if d.stars == 4} == {
        7: "quota",
        3: "quota",
        9: "quota",
    }
    decided, _quota = engine.apply_five_star_quota({9: (5, 97), 8: (5, 97, 0)}, 20)
    assert decided[8].stars == 5 and decided[9].stars == 4


def test_quota_unused_places_lapse_and_decisions_pass_through():
    reviewed = engine.review_star([97, 97, 97], 0, 95, REP_LEVELS)
    decisions = {"a": reviewed, "b": (4, 96, 95), "c": (0, 10)}
    decided, quota = engine.apply_five_star_quota(decisions, 40)
    assert quota == 2
    assert decided["a"] == reviewed
    assert decided["b"] == StarDecision(4, None, 96.0, 95.0)
    assert decided["c"] == StarDecision(0, None, 10.0)
    decided, quota = engine.apply_five_star_quota({}, 40)
    assert (decided, quota) == ({}, 2)
    # A quota of 10 % on 20 reps: 2 places.
    decided, quota = engine.apply_five_star_quota(
        {"a": (5, 97), "b": (5, 96), "c": (5, 95)}, 20, pct=10
    )
    assert quota == 2
    assert [d.stars for d in decided.values()] == [5, 5, 4]
    # A lead ladder: the top is 4 stars, over-quota leads get 3.
    decided, _quota = engine.apply_five_star_quota({"x": (4, 99)}, 10, top_stars=4)
    assert decided["x"] == StarDecision(3, "quota", 99.0)


@pytest.mark.parametrize(
    ("decisions", "match"),
    [
        ({"a": (6, 90)}, r"number of stars of 'a' \(6\) must lie between 0 and 5"),
        ({"a": (5, -1)}, r"score of 'a' cannot be negative"),
        ({"a": (5, 90, math.inf)}, r"skill test result of 'a' must be a finite"),
        ({"a": 5}, r"star decision of 'a' must be a StarDecision or \(stars, score"),
        ({"a": (5,)}, r"star decision of 'a' must be"),
        ([("a", 5, 90)], r"star decisions must map each rep to a decision"),
        (
            {"a": (5, 97), 1: (5, 97)},
            r"keys of the star decisions must be comparable with each other",
        ),
    ],
)
def test_apply_five_star_quota_errors(decisions, match):
    with raises(match):
        engine.apply_five_star_quota(decisions, 40)


def test_quota_mixed_keys_without_tie_are_fine():
    decided, _quota = engine.apply_five_star_quota({"a": (5, 98), 1: (5, 97)}, 20)
    assert decided["a"].stars == 5 and decided[1].stars == 4


# ---------------------------------------------------------------------------
# Monthly star changes of a rep
# ---------------------------------------------------------------------------


def test_rep_without_events_keeps_the_reviewed_star():
    assert rep_star(3, {}) == (3, "base")
    assert rep_star(0, {}) == (0, "base")
    assert rep_star(3, {"commendation": 0, "violation": 0}) == (3, "base")
    assert engine.effective_star(3, {}) == (3, "base")


def test_commendation_lifts_for_three_months_from_that_month():
    commended = {"commendation": 1}
    assert rep_star(2, commended) == (3, "commendation")
    assert rep_star(2, commended, {}) == (3, "commendation")
    assert rep_star(2, commended, {}, {}) == (3, "commendation")
    assert rep_star(2, commended, {}, {}, {}) == (2, "base")
    # A second commendation within the window still gives one star.
    assert rep_star(2, commended, {"commendation": 2}) == (3, "commendation")
    # The lift follows the reviewed star of each month (a new quarter).
    assert rep_star(1, commended, {}) == (2, "commendation")


def test_commendation_to_five_stars_flags_the_one_time_award():
    commended = {"commendation": 1}
    assert rep_star(4, commended) == (5, "one_time_award")
    assert rep_star(4, commended, {}) == (5, "commendation")
    assert rep_star(4, commended, {}, {}) == (5, "commendation")
    # Already five-star: nothing to lift, no award.
    assert rep_star(5, commended) == (5, "base")
    # The lead ladder stops at 4.
    assert rep_star(3, commended, max_stars=4) == (4, "one_time_award")


@pytest.mark.parametrize("event", ["violation", "attitude_complaint", "absenteeism"])
def test_single_offence_downgrades_that_month_only(event):
    assert rep_star(4, {event: 1}) == (0, "downgrade")
    assert rep_star(4, {event: 1}, {}) == (4, "base")
    assert rep_star(4, {event: 2}) == (0, "downgrade")


def test_abnormal_attitude_needs_two_consecutive_months():
    abnormal = {"abnormal_attitude": 1}
    assert rep_star(3, abnormal) == (3, "base")
    assert rep_star(3, abnormal, abnormal) == (0, "downgrade")
    assert rep_star(3, abnormal, {}, abnormal) == (3, "base")
    # A third month in a row repeats the offence: 0 stars for 3 months.
    assert rep_star(3, abnormal, abnormal, abnormal) == (0, "repeat_downgrade")


def test_repeated_offence_zero_stars_for_three_months():
    first, again = {"violation": 1}, {"absenteeism": 1}
    assert rep_star(4, first, again) == (0, "repeat_downgrade")
    assert rep_star(4, first, again, {}) == (0, "repeat_downgrade")
    assert rep_star(4, first, again, {}, {}) == (0, "repeat_downgrade")
    # The reviewed star comes back after the three months.
    assert rep_star(4, first, again, {}, {}, {}) == (4, "base")
    # Offences a month apart are not repeated: each is a one-month downgrade.
    assert rep_star(4, first, {}, again) == (0, "downgrade")
    assert rep_star(4, first, {}, again, {}) == (4, "base")
    # A third offence in a row starts three more months.
    months = [first, again, first, {}, {}]
    assert rep_star(4, *months) == (0, "repeat_downgrade")
    assert rep_star(4, *months, {}) == (4, "base")


def test_offence_beats_commendation():
    assert rep_star(3, {"commendation": 1, "violation": 1}) == (0, "downgrade")
    assert rep_star(3, {"commendation": 1}, {"violation": 1}) == (0, "downgrade")
    assert rep_star(3, {"commendation": 1}, {"violation": 1}, {}) == (
        4,
        "commendation",
    )


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((6, {}), r"reviewed number of stars \(6\) must lie between 0 and 5"),
        ((-1, {}), r"reviewed number of stars cannot be negative"),
        ((3, {"praise": 1}), r"Unknown events 'praise' in the events of the month"),
        ((3, {"violation": -1}), r"^The count of 'violation' cannot be negative \(got -1\)\.$"),
        ((3, {"violation": 0.5}), r"count of 'violation' must be a whole number"),
        ((3, {"violation": True}), r"count of 'violation' must be a number"),
        ((3, [1, 0]), r"events of the month must map event names to counts"),
        ((3, {}, {"violation": 1}), r"event history must be a list"),
        ((3, {}, [{"oops": 1}]), r"Unknown events 'oops' in the events of an earlier"),
        ((3, {}, None), r"event history must be a list"),
    ],
)
def test_effective_star_errors(args, match):
    with raises(match):
        engine.effective_star(*args)


# ---------------------------------------------------------------------------
# Monthly star changes of a lead
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "events", "expected"),
    [
        (2, {}, (2, "base")),
        (2, {"commendation": 1}, (3, "commendation")),
        (2, {"satisfaction": 99}, (3, "satisfaction")),
        (2, {"satisfaction": 98.99}, (2, "base")),
        (2, {"satisfaction": None}, (2, "base")),
        (2, {"commendation": 1, "satisfaction": 100}, (4, "commendation_satisfaction")),
        (3, {"commendation": 1, "satisfaction": 99}, (4, "commendation")),
        (4, {"commendation": 2, "satisfaction": 99.5}, (4, "base")),
        (3, {"team_violation": 1}, (0, "downgrade")),
        (3, {"attitude_complaint": 1}, (0, "downgrade")),
        (3, {"major_error": 1, "commendation": 1}, (0, "downgrade")),
        (3, {"major_error": 1, "lates": 5}, (0, "downgrade")),
        (3, {"lates": 3}, (1, "attendance_cap")),
        (3, {"lates": 2}, (3, "base")),
        (3, {"leave_hours": 40}, (3, "base")),
        (3, {"leave_hours": 40.5}, (1, "attendance_cap")),
        (3, {"absenteeism": 1, "satisfaction": 99}, (1, "attendance_cap")),
        (0, {"lates": 4}, (0, "attendance_cap")),  # drops to 1, never lifts
        (1, {"lates": 3}, (1, "attendance_cap")),
    ],
)
def test_effective_lead_star(base, events, expected):
    assert engine.effective_lead_star(base, events) == expected


@pytest.mark.parametrize(
    ("base", "events", "match"),
    [
        (5, {}, r"reviewed number of stars \(5\) must lie between 0 and 4"),
        (2, {"satisfaction": 101}, r"service satisfaction must lie between 0 and"),
        (2, {"satisfaction": "99%"}, r"service satisfaction must be a number"),
        (2, {"leave_hours": -1}, r"leave hours cannot be negative"),
        (2, {"lates": 1.5}, r"count of 'lates' must be a whole number"),
        (2, {"violation": 1}, r"Unknown events 'violation'"),
        (2, None, r"events of the month must map event names"),
    ],
)
def test_effective_lead_star_errors(base, events, match):
    with raises(match):
        engine.effective_lead_star(base, events)


def test_lead_quarter_score_is_the_team_mean():
    assert engine.lead_quarter_score([90, 85, 80, 91]) == 86.5
    assert engine.lead_quarter_score([88, 91, 92]) == 90.3333
    with raises(r"At least one score is needed"):
        engine.lead_quarter_score([])
    with raises(r"score cannot be negative"):
        engine.lead_quarter_score([90, -1])


# ---------------------------------------------------------------------------
# Probation (seed 003)
# ---------------------------------------------------------------------------


def test_probation_pay():
    assert engine.probation_pay(1200) == 1080.0  # 90 % of the 3-star pay
    assert engine.probation_pay(REP_LEVELS[3].pay) == 1080.0
    assert engine.probation_pay(LEAD_LEVELS[1].pay, 1) == 1600.0  # lead: 1 star
    assert engine.probation_pay(1200, 0) == 0.0
    assert engine.probation_pay(1234.56) == 1111.1  # 1111.104
    with raises(r"probation pay ratio must lie between 0 and 1 \(got 1\.1\)"):
        engine.probation_pay(1200, 1.1)
    with raises(r"three-star pay cannot be negative"):
        engine.probation_pay(-1)


@pytest.mark.parametrize(
    ("score", "floor", "expected"),
    [
        (65, 70, 70.0),
        (70, 70, 70.0),
        (70.01, 70, 70.01),
        (75, 70, 75.0),
        (0, 70, 70.0),
        (79, 80, 80.0),
        (80, 80, 80.0),
        (85, 80, 85.0),
    ],
)
def test_probation_score(score, floor, expected):
    assert engine.probation_score(score, floor) == expected


@pytest.mark.parametrize(
    ("scores", "threshold", "expected"),
    [
        ([70, 72], 70, True),
        ([65, 70, 72], 70, True),
        ([70, 69, 71], 70, False),
        ([69.99, 75], 70, False),
        ([75], 70, False),
        ([], 70, False),
        ([65, 65], 70, False),  # real scores: the pay floor of 70 does not count
        ([85, 85], 85, True),
        ([80, 85, 86], 85, True),
        ([84.99, 90], 85, False),
        ([90, 84, 90], 85, False),
    ],
)
def test_regularisation_due(scores, threshold, expected):
    assert engine.regularisation_due(scores, threshold) is expected


def test_regularisation_custom_months_and_errors():
    assert engine.regularisation_due([90, 90, 90], 85, months=3) is True
    assert engine.regularisation_due([90, 90], 85, months=3) is False
    with raises(r"number of months must be at least 1 \(got 0\)"):
        engine.regularisation_due([90], 85, months=0)
    with raises(r"scores must be a list"):
        engine.regularisation_due(90, 85)
    with raises(r"score is missing"):
        engine.regularisation_due([90, None], 85)
    with raises(r"regularisation threshold is missing"):
        engine.regularisation_due([90], None)
    with raises(r"probation score floor cannot be negative"):
        engine.probation_score(70, -1)


# ---------------------------------------------------------------------------
# Pay from a score (seeds 003, 000)
# ---------------------------------------------------------------------------


def test_star_pay_and_monthly_wage_seed_003():
    assert engine.star_pay(1200, 85) == 1020.0
    assert engine.star_pay(2000, 85) == 1700.0
    assert engine.monthly_wage(2000, 1200, 85, 200) == 3220.0
    assert engine.monthly_wage(2800, 2000, 85, 200) == 4700.0
    assert engine.monthly_wage(2000, 1200, 85, engine.ATTENDANCE_BONUS) == 3220.0
    assert engine.monthly_wage(2000, 1200, 85) == 3020.0  # not full attendance
    assert engine.star_pay(1200, 0) == 0.0
    assert engine.star_pay(1200, 110) == 1320.0


def test_performance_pay_and_annual_bonus_seed_000():
    assert engine.performance_pay(5000, 95) == 4750.0
    assert engine.annual_bonus(10000, 110) == 11000.0
    assert engine.annual_bonus(10000, 0) == 0.0


def test_money_rounds_half_up_to_cents():
    assert engine.performance_pay(0.25, 50) == 0.13  # 0.125
    assert engine.performance_pay(2.01, 50) == 1.01  # 1.005
    assert engine.star_pay(1234.57, 85.5) == 1055.56  # 1055.55735
    assert engine.performance_pay(3333.33, 33.3333) == 1111.11
    assert engine.monthly_wage(2000.004, 1200, 85, 200.004) == 3220.0


def test_amounts_are_rounded_once_to_the_currency_step():
    """RELIABILITY #33: 3 KPIs x 33.333 % of 1000.005, each rounded once."""
    parts = (
        engine.star_pay(1000.005, 33.333),
        engine.performance_pay(1000.005, 33.333),
        engine.annual_bonus(1000.005, 33.333),
    )
    # 333.3349..., not the 333.34 of a base rounded first (1000.01 x 33.333 %)
    assert parts == (333.33, 333.33, 333.33)
    assert math.fsum(parts) == pytest.approx(999.99, abs=1e-9)
    # a currency without decimals: whole units, rounded once (195.4953 -> 195,
    # where cents first would give 195.50 -> 196)
    assert engine.star_pay(1001, 19.53, rounding=1.0) == 195.0
    assert engine.star_pay(1001, 19.53) == 195.5
    assert engine.performance_pay(1000.005, 33.333, rounding=1.0) == 333.0
    assert engine.annual_bonus(10000, 110, rounding=1.0) == 11000.0
    # a 0.05 step (cash rounding)
    assert engine.performance_pay(1000, 33.333, rounding=0.05) == 333.35


def test_cuts_round_symmetrically_half_away_from_zero():
    # 30 % of 1005 = 301.5: the cut is -302 in whole units, as +301.5 rounds to 302
    assert engine.low_score_cut(1005, 50, rounding=1.0) == -302.0
    assert engine.deferral(2005, 1000, 30, rounding=1.0) == 302.0
    assert engine.low_score_cut(1005, 50) == -301.5
    # 5 % of 3000.1 = 150.005: -150.01 as +150.005 gives 150.01
    assert engine.complaint_cut(3000.1, 1) == -150.01
    assert engine.performance_pay(3000.1, 5) == 150.01
    assert engine.complaint_cut(3000.1, 1, rounding=1.0) == -150.0
    assert engine.low_score_cut(0.05, 50) == -0.02  # -0.015
    assert engine.low_score_cut(1005, 60, rounding=1.0) == 0.0


def test_profit_pool_rounds_the_bonus_once_and_shares_add_up():
    shares = engine.profit_pool(500000.005, 1000000, 95.5, rounding=1.0)
    assert shares == {"service_manager": 1375.0, "parts": 2292.0, "quality_inspection": 917.0}
    # (500000.005 - 340000) x 3 % x 95.5 % = 4584.0001..: 4584 whole units
    assert math.fsum(shares.values()) == 4584.0
    assert engine.pool_base(500000.005, 1000000, rounding=1.0) == 4800.0


@pytest.mark.parametrize("rounding", [0, -0.01, None, "0.01", math.inf])
def test_rounding_step_must_be_a_positive_number(rounding):
    with raises(r"rounding step"):
        engine.star_pay(1200, 85, rounding=rounding)


def test_full_attendance_allows_three_events_not_four():
    """Seed 003 全勤: 迟到、早退、病事假或调休 at most 3 times; never absenteeism."""
    pay = sys.modules["kpi_engine.pay"]
    assert pay.FULL_ATTENDANCE_LIMIT == 3
    assert pay.full_attendance(0) is True
    assert pay.full_attendance(3) is True
    assert pay.full_attendance(4) is False
    assert pay.full_attendance(0, absenteeism=1) is False
    assert pay.full_attendance(3, 0, limit=0) is False
    assert pay.full_attendance(0, 0, limit=0) is True
    assert pay.full_attendance(5, 0, limit=5) is True
    with raises(r"number of attendance events cannot be negative"):
        pay.full_attendance(-1)
    with raises(r"attendance event limit must be a whole number"):
        pay.full_attendance(1, 0, 2.5)


@pytest.mark.parametrize(
    ("function", "args", "match"),
    [
        ("star_pay", (-1, 85), r"star pay amount cannot be negative \(got -1\)"),
        ("star_pay", (1200, -1), r"^The score cannot be negative \(got -1\)\.$"),
        ("star_pay", (1200, math.nan), r"score must be a finite number"),
        ("star_pay", (None, 85), r"star pay amount is missing"),
        ("star_pay", ("1200", 85), r"star pay amount must be a number"),
        ("monthly_wage", (-2000, 1200, 85), r"base salary cannot be negative"),
        ("monthly_wage", (2000, 1200, 85, -200), r"full-attendance bonus cannot"),
        ("performance_pay", (5000, math.inf), r"score must be a finite number"),
        ("performance_pay", (-5000, 95), r"performance pay base cannot be negative"),
        ("annual_bonus", (10000, -1), r"annual score cannot be negative"),
        ("annual_bonus", (math.nan, 100), r"annual bonus base must be a finite"),
    ],
)
def test_pay_errors(function, args, match):
    with raises(match):
        getattr(engine, function)(*args)


@pytest.mark.parametrize(
    ("score", "expected"),
    [(59.99, -1200.0), (0, -1200.0), (60, 0.0), (59.99999, 0.0), (95, 0.0)],
)
def test_low_score_cut_seed_001(score, expected):
    assert engine.low_score_cut(4000, score) == expected


def test_low_score_cut_options_and_errors():
    assert engine.low_score_cut(4750, 50) == -1425.0
    assert engine.low_score_cut(4000, 65, threshold=70, cut_pct=50) == -2000.0
    assert engine.low_score_cut(0, 10) == 0.0
    with raises(r"low-score cut must lie between 0 and 100 \(got 130\)"):
        engine.low_score_cut(4000, 50, cut_pct=130)
    with raises(r"performance pay cannot be negative"):
        engine.low_score_cut(-1, 50)


# ---------------------------------------------------------------------------
# Complaint cuts, deferral, profit pool (seed 000)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("complaints", "reception", "rate", "cut"),
    [
        (0, None, 0.0, 0.0),
        (1, None, 5.0, -150.0),
        (2, None, 20.0, -600.0),
        (3, None, 50.0, -1500.0),
        (4, None, 50.0, -1500.0),  # past the last step: the last rate
        (0, 95, 10.0, -300.0),
        (0, 95.9999, 10.0, -300.0),
        (0, 96, 0.0, 0.0),  # 96 itself is not cut
        (0, 100, 0.0, 0.0),
        (1, 95, 15.0, -450.0),
        (2, 95, 30.0, -900.0),
        (3, 95, 60.0, -1800.0),
    ],
)
def test_complaint_cut_seed_000(complaints, reception, rate, cut):
    assert engine.complaint_rate(complaints, reception_score=reception) == rate
    assert engine.complaint_cut(3000, complaints, reception_score=reception) == cut


def test_complaint_cut_custom_steps_and_cap():
    assert engine.complaint_cut(1000, 2, steps=(10, 10, 30)) == -100.0
    assert engine.complaint_cut(1000, 5, steps=[100]) == -1000.0
    assert engine.complaint_rate(1, steps=[95], reception_score=0) == 100.0
    assert engine.complaint_cut(1000, 1, steps=[95], reception_score=0) == -1000.0
    assert engine.complaint_cut(1000, 0, reception_score=90, reception_cut=0) == 0.0
    assert engine.complaint_cut(0, 3, reception_score=50) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"steps": (20, 5)}, r"cut for complaint 2 \(5 %\) cannot be below the cut"),
        ({"steps": ()}, r"At least one complaint cut is required"),
        ({"steps": (5, 120)}, r"complaint cut must lie between 0 and 100"),
        ({"steps": "5"}, r"steps must be a list"),
        ({"reception_score": -1}, r"reception score cannot be negative"),
        ({"reception_cut": -10}, r"reception score cut must lie between 0 and 100"),
        ({"reception_threshold": None}, r"reception score threshold is missing"),
    ],
)
def test_complaint_cut_errors(kwargs, match):
    with raises(match):
        engine.complaint_cut(3000, 1, **kwargs)


def test_complaint_cut_input_errors():
    with raises(r"number of complaints cannot be negative"):
        engine.complaint_cut(3000, -1)
    with raises(r"number of complaints must be a whole number"):
        engine.complaint_cut(3000, 1.5)
    with raises(r"commission cannot be negative"):
        engine.complaint_cut(-3000, 1)


@pytest.mark.parametrize(
    ("commission", "base", "expected"),
    [
        (5000, 3000, 600.0),  # 30 % of the 2000 above the base salary
        (3000, 3000, 0.0),
        (2500, 3000, 0.0),
        (3000.1, 3000, 0.03),
        (10000, 0, 3000.0),
    ],
)
def test_deferral_seed_000(commission, base, expected):
    assert engine.deferral(commission, base) == expected


def test_deferral_options_and_errors():
    assert engine.deferral(5000, 3000, pct=50) == 1000.0
    assert engine.deferral(5000, 3000, pct=0) == 0.0
    with raises(r"deferral share must lie between 0 and 100"):
        engine.deferral(5000, 3000, pct=-5)
    with raises(r"base salary cannot be negative"):
        engine.deferral(5000, -1)
    with raises(r"commission must be a finite number"):
        engine.deferral(math.inf, 3000)


def test_profit_pool_seed_000_split_3_5_2():
    # (500000 - 1000000 x 34 %) x 3 % = 4800; x 95 % = 4560; 3 : 5 : 2.
    assert engine.pool_base(500000, 1000000) == 4800.0
    shares = engine.profit_pool(500000, 1000000, 95)
    assert shares == {
        "service_manager": 1368.0,
        "parts": 2280.0,
        "quality_inspection": 912.0,
    }
    assert sum(shares.values()) == 4560.0
    assert engine.profit_pool(500000, 1000000, 100)["parts"] == 2400.0
    assert engine.profit_pool(500000, 1000000, 110)["service_manager"] == 1584.0


def test_profit_pool_negative_base_gives_nothing():
    assert engine.pool_base(340000, 1000000) == 0.0
    assert engine.pool_base(300000, 1000000) == 0.0
    assert engine.pool_base(-5000, 0) == 0.0
    assert engine.profit_pool(300000, 1000000, 95) == {
        "service_manager": 0.0,
        "parts": 0.0,
        "quality_inspection": 0.0,
    }


def test_profit_pool_rounding_remainder_and_custom_coefficients():
    # 100 split in thirds: 33.33 x 3 = 99.99; the cent goes to the first.
    coefficients = {"a": 1, "b": 1, "c": 1}
    shares = engine.profit_pool(10000 / 3, 0, 100, coefficients)
    assert shares == {"a": 33.34, "b": 33.33, "c": 33.33}
    # The largest coefficient takes the remainder: 0.01 split 1 : 2.
    shares = engine.profit_pool(1, 0, 100, {"x": 1, "y": 2}, pool_pct=1)
    assert shares == {"x": 0.0, "y": 0.01}
    shares = engine.profit_pool(500000, 1000000, 95, {"manager": 1, "idle": 0})
    assert shares == {"manager": 4560.0, "idle": 0.0}
    shares = engine.profit_pool(200000, 100000, 100, ratio_pct=0, pool_pct=10)
    assert shares == {
        "service_manager": 6000.0,
        "parts": 10000.0,
        "quality_inspection": 4000.0,
    }


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((500000, -1, 95), {}, r"revenue cannot be negative"),
        ((math.nan, 1000, 95), {}, r"gross profit must be a finite number"),
        ((500000, 1000, -1), {}, r"score cannot be negative"),
        ((500000, 1000, 95), {"coefficients": [3, 5, 2]}, r"coefficients must map"),
        (
            (500000, 1000, 95),
            {"coefficients": {"a": -1, "b": 2}},
            r"coefficient of the position a cannot be negative",
        ),
        (
            (500000, 1000, 95),
            {"coefficients": {"a": 0}},
            r"At least one position coefficient must be greater than zero",
        ),
        ((500000, 1000, 95), {"coefficients": {}}, r"At least one position coeff"),
        ((500000, 1000, 95), {"ratio_pct": 134}, r"revenue share must lie between"),
        ((500000, 1000, 95), {"pool_pct": -3}, r"bonus pool share must lie between"),
    ],
)
def test_profit_pool_errors(args, kwargs, match):
    with raises(match):
        engine.profit_pool(*args, **kwargs)


# ---------------------------------------------------------------------------
# Result table (seed 003 客户服务部经理)
# ---------------------------------------------------------------------------


TABLE = ((90, 100), (80, 70), (70, 40))


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (110, (100.0, 0.0)),
        (100, (100.0, 0.0)),
        (90, (100.0, 0.0)),
        (89.99, (70.0, 0.0)),
        (89.99999, (100.0, 0.0)),  # 90.0 after rounding to 4 decimals
        (80, (70.0, 0.0)),
        (79.99, (40.0, 0.0)),
        (70, (40.0, 0.0)),
        (69.99, (0.0, 15.0)),
        (0, (0.0, 15.0)),
    ],
)
def test_result_table_boundaries(score, expected):
    assert engine.result_table_rate(score, TABLE, below_fixed_cut=15) == expected


def test_result_table_default_demo_values():
    assert engine.SEED_003_RESULT_TABLE == ((90.0, 100.0), (80.0, 80.0), (70.0, 50.0))
    assert engine.result_table_rate(90) == (100.0, 0.0)
    assert engine.result_table_rate(89.99) == (80.0, 0.0)
    assert engine.result_table_rate(79.99) == (50.0, 0.0)
    assert engine.result_table_rate(69.99) == (0.0, 10.0)
    assert engine.result_table_rate(65, [(60, 100)], 0) == (100.0, 0.0)
    assert engine.check_result_table([(70, 40), (90, 100), (80, 70)]) == (
        (90.0, 100.0),
        (80.0, 70.0),
        (70.0, 40.0),
    )


@pytest.mark.parametrize(
    ("table", "cut", "match"),
    [
        ([(90, 100), (90, 80)], 10, r"Two result table rows start at the same score"),
        (
            [(90, 50), (80, 70)],
            10,
            r"row from 80 points cannot pay a larger bonus \(70 %\) than the row "
            r"from 90 points \(50 %\)",
        ),
        ([(90, 120)], 10, r"bonus percentage must lie between 0 and 100"),
        ([(-5, 100)], 10, r"minimum score of a result table row cannot be negative"),
        ([(90, 100, 0)], 10, r"result table row must be given as \(minimum score"),
        ([], 10, r"A result table needs at least one row"),
        (None, 10, r"result table must be a list"),
        (TABLE, 110, r"fixed pay cut must lie between 0 and 100"),
    ],
)
def test_result_table_errors(table, cut, match):
    with raises(match):
        engine.result_table_rate(85, table, cut)


# ---------------------------------------------------------------------------
# Monthly awards (seed 003 服务明星 / 进步之星 / 效能之星)
# ---------------------------------------------------------------------------


def candidate(score, previous=None, skill=None, **extra):
    return {
        "score": score,
        "previous_score": previous,
        "skill": skill,
        **PRESENT,
        **extra,
    }


def test_award_winners_basic():
    winners = engine.award_winners(
        {
            "E01": candidate(95, 90, 80),
            "E02": candidate(92, 80, 85),
            "E03": candidate(90, 89, 70),
        }
    )
    assert winners == {
        "service_star": "E01",
        "progress_star": "E02",  # +12
        "efficiency_star": "E02",
    }


@pytest.mark.parametrize(
    "extra",
    [
        {"full_attendance": False},
        {"absenteeism": 1},
        {"unapproved_swaps": 1},
        {"complaints": 1},
        {"major_errors": 1},
    ],
)
def test_award_ineligible_reps_do_not_compete(extra):
    winners = engine.award_winners(
        {"E01": candidate(99, 60, 99, **extra), "E02": candidate(90, 85, 80)}
    )
    assert winners == {
        "service_star": "E02",
        "progress_star": "E02",
        "efficiency_star": "E02",
    }


def test_award_ties_higher_score_then_earlier_badge():
    winners = engine.award_winners(
        {
            "E05": candidate(95, 85, 80),
            "E02": candidate(95, 85, 80),
            "E03": candidate(90, 80, 80),
            "E04": candidate(96, 90, 80),
        }
    )
    # Score 96 wins outright; gains of 10 tie between E02, E03 and E05: the
    # higher score (95) wins, then the earlier badge E02; skills all tie at 80:
    # the higher score 96 wins.
    assert winners == {
        "service_star": "E04",
        "progress_star": "E02",
        "efficiency_star": "E04",
    }
    winners = engine.award_winners({2: candidate(90, 80, 70), 1: candidate(90, 80, 70)})
    assert winners == dict.fromkeys(engine.AWARDS, 1)


def test_award_nobody_or_no_gain():
    assert engine.award_winners({}) == dict.fromkeys(engine.AWARDS)
    winners = engine.award_winners(
        {"E01": candidate(80, 85), "E02": candidate(70, 70), "E03": candidate(60)}
    )
    # Nobody improved, nobody took the skill test.
    assert winners == {
        "service_star": "E01",
        "progress_star": None,
        "efficiency_star": None,
    }
    winners = engine.award_winners({"E01": candidate(99, 50, 99, complaints=2)})
    assert winners == dict.fromkeys(engine.AWARDS)
    # Minimal dicts: only the score and the attendance are required.
    winners = engine.award_winners({"E01": {"score": 80, "full_attendance": True}})
    assert winners["service_star"] == "E01"


@pytest.mark.parametrize(
    ("candidates", "match"),
    [
        ([{"score": 90}], r"candidates must map each rep to their results"),
        ({"E01": 90}, r"candidate 'E01' must be a dict of its results"),
        ({"E01": {"score": 90}}, r"full attendance of the candidate 'E01' must be"),
        (
            {"E01": {"score": 90, "full_attendance": 1}},
            r"full attendance of the candidate 'E01' must be True or False",
        ),
        ({"E01": candidate(None)}, r"score of 'E01' is missing"),
        ({"E01": candidate(-1)}, r"score of 'E01' cannot be negative"),
        ({"E01": candidate(90, -5)}, r"last score of 'E01' cannot be negative"),
        ({"E01": candidate(90, 80, math.nan)}, r"skill test result of 'E01' must"),
        ({"E01": candidate(90, complaints=-1)}, r"count of 'complaints' of 'E01' cannot be neg"),
        (
            {"E01": candidate(90, complaint=1)},
            r"Unknown fields 'complaint' for the candidate 'E01'",
        ),
        (
            {"E01": candidate(90), 2: candidate(90)},
            r"keys of the candidates must be comparable",
        ),
    ],
)
def test_award_winners_errors(candidates, match):
    with raises(match):
        engine.award_winners(candidates)
