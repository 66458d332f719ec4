"""Star reviews of customer-service reps and leads (pure Python, no Odoo).

Seed 003 (天津博真 客户服务部绩效考核制度) pays reps (客服代表, 0 to 5 stars) and
leads (客服领班, 0 to 4 stars) a monthly performance pay that depends on
their star; the star is reviewed every quarter and adjusted month by month.

Vocabulary
----------
star level
    One star of a ladder: the quarter score (``min_score``) and skill test
    result (``min_skill``, e.g. typing speed in characters per minute) it
    needs, and its monthly star performance pay (``pay``).  A ladder has
    every star from 0 to its top once; 0 stars is the floor, reached by
    everyone, so the minimums of the 0-star level are never checked.
quarter score
    The mean of the previous quarter's (up to 3) monthly scores.
attendance events
    The quarter's late arrivals, early leaves, sick or personal leaves and
    time off in lieu (迟到、早退、病事假、调休); at most 3 keep the full star
    review open (seed 003 出勤: 小于等于3次).
key
    Whatever identifies a rep for the caller (an employee id or badge id).
    Keys must be comparable with each other when they break a tie.
rule
    Why a star is what it is; one of :data:`STAR_RULES`.

Every function validates its inputs and raises ``KpiEngineError`` with an
English message marked for translation.  Scores are rounded to 4 decimals;
pay is money, rounded half up to cents (see :mod:`.pay`).
"""

import functools
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .errors import KpiEngineError, _lt
from .grading import _sequence, mean_score, quarterly_score
from .pay import _best_first, _money
from .ranking import _pct
from .scoring import (
    PERCENT,
    WHOLE_STEP_DIGITS,
    _count,
    _fmt,
    _non_negative,
    _number,
    _round,
)

REP_MAX_STARS = 5
LEAD_MAX_STARS = 4
ATTENDANCE_LIMIT = 3  # attendance events allowed in the reviewed quarter
FIVE_STAR_PCT = 5.0  # at most 5 % of the reps on duty are five-star
COMMENDATION_MONTHS = 3  # a commendation lifts the star for 3 months
REPEAT_ZERO_MONTHS = 3  # a repeated offence: 0 stars for 3 months
LEAD_SATISFACTION_PCT = 99.0  # monthly service satisfaction for +1 star
LEAD_LATE_LIMIT = 3  # this many lates or more -> 1 star
LEAD_LEAVE_HOURS = 40.0  # more sick + personal leave hours -> 1 star
REP_PROBATION_RATIO = 0.9  # probation pay: 90 % of the three-star pay
REP_PROBATION_FLOOR = 70.0  # a probation month scored <= 70 counts as 70
LEAD_PROBATION_FLOOR = 80.0
REP_REGULAR_THRESHOLD = 70.0  # 2 consecutive months >= 70 -> regularisation
LEAD_REGULAR_THRESHOLD = 85.0
REGULAR_MONTHS = 2

# Rules: why a star is what it is.
BY_SCORE = "score"  # the score decided (missed the next level, or the top)
BY_SKILL = "skill"  # the skill test kept the rep from the next level
ATTENDANCE_CAP = "attendance_cap"  # attendance capped the star (at 1)
QUOTA = "quota"  # a five-star rep beyond the 5 % quota gets 4 stars
BASE_STARS = "base"  # the reviewed star, unchanged this month
COMMENDATION = "commendation"  # +1 for a written commendation
ONE_TIME_AWARD = "one_time_award"  # a commendation lifted the rep to 5 stars
SATISFACTION = "satisfaction"  # lead: +1 for satisfaction >= 99 %
COMMENDATION_SATISFACTION = "commendation_satisfaction"  # lead: both, +2
DOWNGRADE = "downgrade"  # 0 stars this month
REPEAT_DOWNGRADE = "repeat_downgrade"  # 0 stars for 3 months
STAR_RULES = (
    BY_SCORE,
    BY_SKILL,
    ATTENDANCE_CAP,
    QUOTA,
    BASE_STARS,
    COMMENDATION,
    ONE_TIME_AWARD,
    SATISFACTION,
    COMMENDATION_SATISFACTION,
    DOWNGRADE,
    REPEAT_DOWNGRADE,
)

# Monthly events of a rep (counts).  "violation": a rules violation or a
# public criticism; "attitude_complaint": a substantiated service attitude
# complaint; "abnormal_attitude": a month of abnormal service attitude.
REP_EVENTS = (
    "commendation",
    "abnormal_attitude",
    "violation",
    "attitude_complaint",
    "absenteeism",
)
# Monthly events of a lead.  "commendation": written commendations so far in
# the quarter; "satisfaction": the month's service satisfaction in percent
# (or None); "team_violation", "attitude_complaint", "major_error": in the
# lead's team; "lates", "absenteeism": counts; "leave_hours": sick + personal
# leave hours in the month.
LEAD_EVENTS = (
    "commendation",
    "satisfaction",
    "team_violation",
    "attitude_complaint",
    "major_error",
    "lates",
    "leave_hours",
    "absenteeism",
)
LEAD_ZERO_EVENTS = ("team_violation", "attitude_complaint", "major_error")


@dataclass(frozen=True)
class StarLevel:
    """One star of a ladder: what it needs and what it pays each month."""

    stars: int
    min_score: float
    min_skill: float
    pay: float


@dataclass(frozen=True)
class StarDecision:
    """A reviewed star, the ``rule`` that decided it and the quarter ``score``.

    ``skill`` (the skill test result, ``None`` when unknown) breaks ties of
    the five-star quota.
    """

    stars: int
    rule: str | None
    score: float
    skill: float | None = None


# Demo ladders (seed 003 names the 3-star rep pay, 1200, and the 2-star lead
# pay, 2000; its tables of thresholds are not in the text).  They reproduce
# the seed's examples: 90 points and 75 characters per minute give 3 stars
# with full attendance, 1 star without.
SEED_003_REP_LEVELS = (
    StarLevel(0, 0.0, 0.0, 600.0),
    StarLevel(1, 60.0, 40.0, 800.0),
    StarLevel(2, 75.0, 55.0, 1000.0),
    StarLevel(3, 85.0, 70.0, 1200.0),
    StarLevel(4, 92.0, 80.0, 1500.0),
    StarLevel(5, 96.0, 90.0, 1800.0),
)
SEED_003_LEAD_LEVELS = (
    StarLevel(0, 0.0, 0.0, 1200.0),
    StarLevel(1, 70.0, 0.0, 1600.0),
    StarLevel(2, 80.0, 0.0, 2000.0),
    StarLevel(3, 88.0, 0.0, 2400.0),
    StarLevel(4, 95.0, 0.0, 2800.0),
)


# ---------------------------------------------------------------------------
# Star levels
# ---------------------------------------------------------------------------


def _stars(value, name, max_stars):
    stars = _count(value, name)
    if stars > max_stars:
        raise KpiEngineError(
            _lt("The %(name)s (%(stars)s) must lie between 0 and %(max_stars)s."),
            name=name,
            stars=stars,
            max_stars=max_stars,
        )
    return stars


def _as_star_level(item):
    """Accept a ``StarLevel``, a ``(stars, min_score, min_skill, pay)`` or a dict."""
    fields = ("stars", "min_score", "min_skill", "pay")
    if isinstance(item, StarLevel):
        values = (item.stars, item.min_score, item.min_skill, item.pay)
    elif isinstance(item, Mapping) and set(item) == set(fields):
        values = tuple(item[field] for field in fields)
    elif isinstance(item, (tuple, list)) and len(item) == len(fields):
        values = tuple(item)
    else:
        raise KpiEngineError(
            _lt(
                "A star level must be given as (stars, minimum score, minimum "
                "skill, pay), got %(level)s."
            ),
            level=repr(item),
        )
    stars, min_score, min_skill, pay = values
    return StarLevel(
        _count(stars, "number of stars of a level"),
        _round(_non_negative(min_score, "minimum score of a star level")),
        _round(_non_negative(min_skill, "minimum skill of a star level")),
        _money(_non_negative(pay, "pay of a star level")),
    )


def _check_ladder(ordered, attribute, label):
    for lower, higher in itertools.pairwise(ordered):
        if getattr(higher, attribute) < getattr(lower, attribute):
            raise KpiEngineError(
                _lt(
                    "The %(label)s of %(higher)s stars (%(higher_value)s) cannot "
                    "be below that of %(lower)s stars (%(lower_value)s)."
                ),
                label=label,
                higher=higher.stars,
                higher_value=_fmt(getattr(higher, attribute)),
                lower=lower.stars,
                lower_value=_fmt(getattr(lower, attribute)),
            )


def check_star_levels(levels, max_stars):
    """Validate a star ladder and return its levels, 0 stars first.

    Every star from 0 to ``max_stars`` must appear exactly once, and the
    minimum score and minimum skill may not decrease as stars increase.

    >>> [level.stars for level in check_star_levels(SEED_003_LEAD_LEVELS, 4)]
    [0, 1, 2, 3, 4]
    >>> check_star_levels([(1, 70, 0, 1600), (0, 0, 0, 1200)], 1)[1]
    StarLevel(stars=1, min_score=70.0, min_skill=0.0, pay=1600.0)
    """
    max_stars = _count(max_stars, "top number of stars")
    if max_stars < 1:
        raise KpiEngineError(_lt("A star ladder needs at least 1 star above 0."))
    items = tuple(_as_star_level(item) for item in _sequence(levels, "star levels"))
    seen = set()
    for level in items:
        _stars(level.stars, "star level", max_stars)
        if level.stars in seen:
            raise KpiEngineError(_lt("The star level %(stars)s appears twice."), stars=level.stars)
        seen.add(level.stars)
    missing = [stars for stars in range(max_stars + 1) if stars not in seen]
    if missing:
        raise KpiEngineError(
            _lt(
                "The star levels %(missing)s are missing: every star from 0 to "
                "%(max_stars)s is needed once."
            ),
            missing=", ".join(str(stars) for stars in missing),
            max_stars=max_stars,
        )
    ordered = tuple(sorted(items, key=lambda level: level.stars))
    _check_ladder(ordered, "min_score", "minimum score")
    _check_ladder(ordered, "min_skill", "minimum skill")
    return ordered


def _ladder(levels):
    """Check a ladder whose top is its highest star (a tuple of levels is checked
    once: a review checks the same ladder for every employee)."""
    if isinstance(levels, tuple) and all(isinstance(item, StarLevel) for item in levels):
        return _checked_ladder(levels)
    return _check_any_ladder(levels)


@functools.lru_cache(maxsize=64)
def _checked_ladder(levels):
    return _check_any_ladder(levels)


def _check_any_ladder(levels):
    items = tuple(_as_star_level(item) for item in _sequence(levels, "star levels"))
    top = max((level.stars for level in items), default=0)
    return check_star_levels(items, max(top, 1))


# ---------------------------------------------------------------------------
# Quarterly review
# ---------------------------------------------------------------------------


def review_star(
    quarter_scores, attendance_events, skill, levels, attendance_limit=ATTENDANCE_LIMIT
):
    """Return the star a quarter earns, as a :class:`StarDecision`.

    The score is the mean of the quarter's 1 to 3 monthly scores.  The three
    criteria are checked in the seed's order 2, 1, 3 (按2、1、3顺序):
    attendance first: more than ``attendance_limit`` events cap the result at
    1 star, or 0 when the score misses the 1-star minimum (rule
    ``attendance_cap``; seed 003: 第2项未达标,直接评定为一星级或者0星级).
    Otherwise the rep earns the highest level whose minimum score and minimum
    skill both are reached; the rule names what kept them from the next level
    (``skill``), or ``score`` when the score did or the top was reached.

    Seed 003: A, 90 points, not full attendance, 75 characters per minute ->
    1 star; B, the same with full attendance -> 3 stars.

    >>> review_star([90, 90, 90], 5, 75, SEED_003_REP_LEVELS)
    StarDecision(stars=1, rule='attendance_cap', score=90.0, skill=75.0)
    >>> review_star([88, 90, 92], 0, 75, SEED_003_REP_LEVELS)
    StarDecision(stars=3, rule='score', score=90.0, skill=75.0)
    """
    score = quarterly_score(quarter_scores)
    events = _count(attendance_events, "number of attendance events")
    skill = _round(_non_negative(skill, "skill test result"))
    ladder = _ladder(levels)
    limit = _count(attendance_limit, "attendance event limit")
    if events > limit:
        stars = 1 if score >= ladder[1].min_score else 0
        return StarDecision(stars, ATTENDANCE_CAP, score, skill)
    stars, rule = 0, BY_SCORE
    for level in ladder[1:]:
        if score < level.min_score:
            break
        if skill < level.min_skill:
            rule = BY_SKILL
            break
        stars = level.stars
    return StarDecision(stars, rule, score, skill)


def five_star_quota(on_duty, pct=FIVE_STAR_PCT):
    """Return the number of five-star places: ``floor(on_duty x pct / 100)``.

    "At most 5 %" (seed 003: 五星级人员数量占全体人员5%的比例): unlike the
    award shares, no place is granted below a whole one, so 19 reps on duty
    give 0 places, 20 give 1 and 40 give 2.

    >>> five_star_quota(19), five_star_quota(20), five_star_quota(40)
    (0, 1, 2)
    """
    on_duty = _count(on_duty, "number of reps on duty")
    pct = _pct(pct, "five-star share")
    return math.floor(round(on_duty * pct / PERCENT, WHOLE_STEP_DIGITS))


def _as_decision(key, value, top_stars):
    if isinstance(value, StarDecision):
        stars, rule, score, skill = value.stars, value.rule, value.score, value.skill
    elif isinstance(value, (tuple, list)) and len(value) in (2, 3):
        stars, score, skill = (*value, None)[:3]
        rule = None
    else:
        raise KpiEngineError(
            _lt(
                "The star decision of %(key)s must be a StarDecision or "
                "(stars, score[, skill]), got %(value)s."
            ),
            key=repr(key),
            value=repr(value),
        )
    stars = _stars(stars, f"number of stars of {key!r}", top_stars)
    score = _round(_non_negative(score, f"score of {key!r}"))
    if skill is not None:
        skill = _round(_non_negative(skill, f"skill test result of {key!r}"))
    return StarDecision(stars, rule, score, skill)


def apply_five_star_quota(decisions, on_duty, pct=FIVE_STAR_PCT, top_stars=REP_MAX_STARS):
    """Return ``({key: StarDecision}, quota)`` after the five-star quota.

    ``decisions`` maps each rep to a :class:`StarDecision` or a
    ``(stars, score)`` / ``(stars, score, skill)`` tuple (rule ``None``).  The
    quota is :func:`five_star_quota` of the reps on duty.  Five-star reps are
    ranked by higher quarter score, then higher skill test result (a missing
    result ranks last), then lower key; the first ``quota`` keep 5 stars, the
    others get 4 (rule ``quota``).  Unused places lapse (达标人数不足5%的,
    剩余名额作废).  Other decisions are returned unchanged, in input order.

    >>> decided, quota = apply_five_star_quota(
    ...     {"a": (5, 97), "b": (5, 98), "c": (3, 90)}, on_duty=20)
    >>> quota, decided["b"].stars, decided["a"]
    (1, 5, StarDecision(stars=4, rule='quota', score=97.0, skill=None))
    """
    if not isinstance(decisions, Mapping):
        raise KpiEngineError(
            _lt("The star decisions must map each rep to a decision, got %(value)s."),
            value=repr(decisions),
        )
    top_stars = _count(top_stars, "top number of stars")
    if top_stars < 1:
        raise KpiEngineError(_lt("A star ladder needs at least 1 star above 0."))
    quota = five_star_quota(on_duty, pct)
    checked = {key: _as_decision(key, value, top_stars) for key, value in decisions.items()}
    entries = [
        ((-decision.score, decision.skill is None, -(decision.skill or 0.0)), key)
        for key, decision in checked.items()
        if decision.stars == top_stars
    ]
    keep = {key for _sort, key in _best_first(entries, "star decisions")[:quota]}
    result = {}
    for key, decision in checked.items():
        if decision.stars == top_stars and key not in keep:
            decision = replace(decision, stars=top_stars - 1, rule=QUOTA)
        result[key] = decision
    return result, quota


# ---------------------------------------------------------------------------
# Monthly adjustments
# ---------------------------------------------------------------------------


def _events(month, known, name):
    if not isinstance(month, Mapping):
        raise KpiEngineError(
            _lt("The %(name)s must map event names to counts, got %(value)s."),
            name=name,
            value=repr(month),
        )
    unknown = [event for event in month if event not in known]
    if unknown:
        raise KpiEngineError(
            _lt("Unknown events %(events)s in the %(name)s; expected %(known)s."),
            events=", ".join(repr(event) for event in unknown),
            name=name,
            known=", ".join(known),
        )
    return month


def _rep_month(month, name):
    month = _events(month, REP_EVENTS, name)
    return {event: _count(month.get(event, 0), f"count of {event!r}") for event in REP_EVENTS}


def _offence(months, index):
    """Return True when month ``index`` downgrades the rep to 0 stars."""
    month = months[index]
    if month["violation"] or month["attitude_complaint"] or month["absenteeism"]:
        return True
    return bool(month["abnormal_attitude"] and index > 0 and months[index - 1]["abnormal_attitude"])


def effective_star(base_stars, month_events, history=(), max_stars=REP_MAX_STARS):
    """Return ``(stars, rule)``: a rep's star for one month after adjustments.

    ``base_stars`` is the star of the quarter's review.  ``month_events`` and
    each entry of ``history`` are dicts of event counts (keys of
    :data:`REP_EVENTS`, missing ones count 0); ``history`` holds the months
    just before this one, oldest first, without gaps.

    Downgrades (seed 003 降级操作) come first.  An *offence* is a rules
    violation or public criticism, a substantiated attitude complaint,
    absenteeism, or a second consecutive month of abnormal service attitude:
    it sets the month to 0 stars (``downgrade``).  An offence in the month
    right after an offending month (次月仍出现违纪现象) sets that month and
    the next two to 0 stars (``repeat_downgrade``); the reviewed star comes
    back afterwards.

    Upgrade (升级操作): a written commendation lifts the star by one for the
    month it is received and the next two (3 months); several commendations
    in that window still give one star.  The star never passes
    ``max_stars``.  The month a commendation lifts the rep to the top star
    the rule is ``one_time_award`` (星级达到五星给予一次性奖励); a
    commendation that cannot lift (already at the top) leaves ``base``.

    >>> effective_star(4, {"commendation": 1})
    (5, 'one_time_award')
    >>> effective_star(4, {}, history=[{"commendation": 1}])
    (5, 'commendation')
    >>> effective_star(3, {"absenteeism": 1})
    (0, 'downgrade')
    >>> effective_star(3, {}, history=[{"violation": 1}, {"violation": 1}, {}])
    (0, 'repeat_downgrade')
    """
    max_stars = _count(max_stars, "top number of stars")
    base = _stars(base_stars, "reviewed number of stars", max_stars)
    past = [
        _rep_month(month, "events of an earlier month")
        for month in _sequence(history, "event history")
    ]
    months = [*past, _rep_month(month_events, "events of the month")]
    current = len(months) - 1
    offences = [_offence(months, index) for index in range(len(months))]
    window = range(max(1, current - REPEAT_ZERO_MONTHS + 1), current + 1)
    if any(offences[index] and offences[index - 1] for index in window):
        return 0, REPEAT_DOWNGRADE
    if offences[current]:
        return 0, DOWNGRADE
    first = max(0, current - COMMENDATION_MONTHS + 1)
    lifted = any(month["commendation"] for month in months[first:])
    if not lifted or base >= max_stars:
        return base, BASE_STARS
    stars = base + 1
    if stars == max_stars and months[current]["commendation"]:
        return stars, ONE_TIME_AWARD
    return stars, COMMENDATION


def _lead_month(month):
    month = _events(month, LEAD_EVENTS, "events of the month")
    counts = {
        event: _count(month.get(event, 0), f"count of {event!r}")
        for event in LEAD_EVENTS
        if event not in ("satisfaction", "leave_hours")
    }
    satisfaction = month.get("satisfaction")
    if satisfaction is not None:
        satisfaction = _round(_pct(satisfaction, "service satisfaction"))
    leave_hours = _round(_non_negative(month.get("leave_hours", 0), "leave hours"))
    return counts, satisfaction, leave_hours


def effective_lead_star(base_stars, month_events, max_stars=LEAD_MAX_STARS):
    """Return ``(stars, rule)``: a lead's star for one month after adjustments.

    ``month_events`` is a dict with the keys of :data:`LEAD_EVENTS` (missing
    ones count 0; ``satisfaction`` missing or ``None``: not measured);
    ``commendation`` counts the written commendations of the quarter up to and
    including this month, since one lifts the star for the rest of the
    quarter (本季度内等级上升一级).

    Checked in this order (seed 003 客服领班 星级异动):

    1. a violation or public criticism in the team, a substantiated attitude
       complaint against a member, or a major error -> 0 stars
       (``downgrade``);
    2. 3 lates or more, more than 40 hours of sick + personal leave, or
       absenteeism -> 1 star (``attendance_cap``; a 0-star lead stays at 0);
    3. otherwise a commendation in the quarter and a service satisfaction of
       at least 99 % each add one star (``commendation``, ``satisfaction``,
       both: ``commendation_satisfaction``), never past ``max_stars``; an
       upgrade that cannot lift leaves ``base``.

    >>> effective_lead_star(2, {"satisfaction": 99})
    (3, 'satisfaction')
    >>> effective_lead_star(3, {"lates": 3, "commendation": 1})
    (1, 'attendance_cap')
    >>> effective_lead_star(4, {"major_error": 1})
    (0, 'downgrade')
    """
    max_stars = _count(max_stars, "top number of stars")
    base = _stars(base_stars, "reviewed number of stars", max_stars)
    counts, satisfaction, leave_hours = _lead_month(month_events)
    if any(counts[event] for event in LEAD_ZERO_EVENTS):
        return 0, DOWNGRADE
    if (
        counts["lates"] >= LEAD_LATE_LIMIT
        or leave_hours > LEAD_LEAVE_HOURS
        or counts["absenteeism"]
    ):
        return min(base, 1), ATTENDANCE_CAP
    commended = counts["commendation"] > 0
    satisfied = satisfaction is not None and satisfaction >= LEAD_SATISFACTION_PCT
    stars = min(max_stars, base + commended + satisfied)
    if stars == base:
        return base, BASE_STARS
    if commended and satisfied and stars == base + 2:
        return stars, COMMENDATION_SATISFACTION
    return stars, COMMENDATION if commended else SATISFACTION


def lead_quarter_score(member_scores):
    """Return a lead's quarter score: the mean of the team members' scores.

    Seed 003: 组内全体客服代表的平均值作为客服领班的星级评定依据.

    >>> lead_quarter_score([90, 85, 80, 91])
    86.5
    """
    return mean_score(member_scores)


# ---------------------------------------------------------------------------
# Probation
# ---------------------------------------------------------------------------


def probation_pay(three_star_pay, ratio=REP_PROBATION_RATIO):
    """Return a probationer's monthly star pay: ``ratio`` x the given pay.

    Seed 003: a rep on probation gets 90 % of the three-star pay; a lead gets
    the one-star pay (``probation_pay(one_star_pay, 1)``).

    >>> probation_pay(1200)
    1080.0
    """
    pay = _non_negative(three_star_pay, "three-star pay")
    ratio = _number(ratio, "probation pay ratio")
    if not 0 <= ratio <= 1:
        raise KpiEngineError(
            _lt("The probation pay ratio must lie between 0 and 1 (got %(ratio)s)."),
            ratio=_fmt(ratio),
        )
    return _money(pay * ratio)


def probation_score(score, floor):
    """Return the score a probation month is paid on: never below ``floor``.

    Seed 003: a rep's month scored 70 or less counts as 70 (floor 70); a
    lead's, 80 or less, counts as 80 (floor 80).

    >>> probation_score(65, REP_PROBATION_FLOOR), probation_score(75, 70)
    (70.0, 75.0)
    """
    score = _non_negative(score, "score")
    floor = _non_negative(floor, "probation score floor")
    return _round(max(score, floor))


def regularisation_due(scores, threshold, months=REGULAR_MONTHS):
    """Return True when ``months`` consecutive scores reach ``threshold``.

    ``scores`` are the probation months' real scores, oldest first (not the
    floored pay scores of :func:`probation_score`: otherwise every month
    would count).  Seed 003: a rep is regularised after 2 consecutive months
    of at least 70 points (连续2个月绩效成绩大于或等于70分), a lead after
    2 of at least 85.

    >>> regularisation_due([65, 70, 72], REP_REGULAR_THRESHOLD)
    True
    >>> regularisation_due([84, 90, 80], LEAD_REGULAR_THRESHOLD)
    False
    """
    values = [_round(_non_negative(score, "score")) for score in _sequence(scores, "scores")]
    threshold = _number(threshold, "regularisation threshold")
    months = _count(months, "number of months")
    if months < 1:
        raise KpiEngineError(
            _lt("The number of months must be at least 1 (got %(months)s)."),
            months=months,
        )
    run = 0
    for value in values:
        run = run + 1 if value >= threshold else 0
        if run >= months:
            return True
    return False
