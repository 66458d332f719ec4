"""Consequence rules of grades and rankings (pure Python, no Odoo).

Each rule returns the consequences it finds as :class:`Consequence` values;
the ORM turns them into HR activities (suggestions, never silent changes).

Vocabulary
----------
key
    Whatever identifies a result for the caller (an evaluation id); a
    consequence carries the keys of the results that triggered it, in
    chronological order.
history
    The chronological ``(key, grade code)`` list of one employee's monthly
    results, one entry per month; a grade code ``None`` marks a month without
    a result (it breaks a run and takes its place in a window).
top, bottom grade
    The grade codes that count for promotion (seed 000: A) and for the
    demotion warning (seed 000: D).

Rules (seed 000 unless told)
----------------------------
``PROMOTION``
    3 consecutive monthly top grades -> promotion by one level.
``DEMOTION_WARNING``
    3 bottom grades within 6 consecutive months -> demotion or removal.
``ANNUAL_PRIORITY``, ``ANNUAL_DEMOTION``
    Annual top grade -> priority for awards and raises; annual C or worse ->
    demotion review.
``NO_YEAR_END_AWARD``
    Two or more results below 90 in a year (seed 001).
``NO_RAISE``, ``SALARY_DOWN``, ``BOTTOM_RANK``
    中 / 较差 -> no raise, 差 -> one salary grade down, last of the
    department -> retraining / transfer review (seed 004).

Every function validates its inputs and raises ``KpiEngineError`` with an
English message marked for translation.
"""

from collections.abc import Hashable
from dataclasses import dataclass

from .errors import KpiEngineError, _lt
from .grading import _sequence
from .scoring import _count, _fmt, _non_negative, _number, _round

PROMOTION = "promotion"
DEMOTION_WARNING = "demotion_warning"
ANNUAL_PRIORITY = "annual_priority"
ANNUAL_DEMOTION = "annual_demotion"
NO_YEAR_END_AWARD = "no_year_end_award"
NO_RAISE = "no_raise"
SALARY_DOWN = "salary_down"
BOTTOM_RANK = "bottom_rank"
CONSEQUENCE_RULES = (
    PROMOTION,
    DEMOTION_WARNING,
    ANNUAL_PRIORITY,
    ANNUAL_DEMOTION,
    NO_YEAR_END_AWARD,
    NO_RAISE,
    SALARY_DOWN,
    BOTTOM_RANK,
)

PROMOTION_RUN = 3  # consecutive monthly top grades
DEMOTION_COUNT = 3  # bottom grades ...
DEMOTION_WINDOW = 6  # ... within this many consecutive months
YEAR_AWARD_THRESHOLD = 90.0
YEAR_AWARD_COUNT = 2


@dataclass(frozen=True)
class Consequence:
    """A consequence ``rule`` triggered by the results ``keys`` (in order)."""

    rule: str
    keys: tuple


def _key(key):
    if key is None or not isinstance(key, Hashable):
        raise KpiEngineError(
            _lt("A result needs an identifier, got %(key)s."), key=repr(key)
        )
    return key


def _grade(code, optional=False):
    if code is None and optional:
        return None
    if not isinstance(code, str) or not code:
        raise KpiEngineError(
            _lt("A grade code must be a non-empty text, got %(code)s."),
            code=repr(code),
        )
    return code


def _codes(codes, name):
    """Return grade codes as a frozenset; a single string is refused."""
    return frozenset(_grade(code) for code in _sequence(codes, name))


def _disjoint(first, second, first_name, second_name):
    shared = first & second
    if shared:
        raise KpiEngineError(
            _lt("The grade codes %(codes)s are both %(first)s and %(second)s."),
            codes=", ".join(sorted(shared)),
            first=first_name,
            second=second_name,
        )


def _history(history):
    entries, seen = [], set()
    for entry in _sequence(history, "grade history"):
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise KpiEngineError(
                _lt(
                    "A history entry must be given as (result, grade code), got "
                    "%(entry)s."
                ),
                entry=repr(entry),
            )
        key, code = _key(entry[0]), _grade(entry[1], optional=True)
        if key in seen:
            raise KpiEngineError(
                _lt("The result %(key)s appears twice in the grade history."),
                key=repr(key),
            )
        seen.add(key)
        entries.append((key, code))
    return entries


def _promotions(entries, top):
    found, run = [], []
    for key, code in entries:
        run = [*run, key] if code in top else []
        if len(run) == PROMOTION_RUN:
            found.append(Consequence(PROMOTION, tuple(run)))
            run = []
    return found


def _demotion_warnings(entries, bottom):
    found, pending = [], []
    for index, (key, code) in enumerate(entries):
        if code not in bottom:
            continue
        pending = [(i, k) for i, k in pending if i > index - DEMOTION_WINDOW]
        pending.append((index, key))
        if len(pending) == DEMOTION_COUNT:
            found.append(Consequence(DEMOTION_WARNING, tuple(k for _i, k in pending)))
            pending = []
    return found


def monthly_run_consequences(history, top_codes=("A",), bottom_codes=("D",)):
    """Return the promotions and demotion warnings of a monthly grade history.

    ``PROMOTION`` for each run of 3 consecutive top grades, runs not
    overlapping (6 A in a row give two, 4 give one).  ``DEMOTION_WARNING``
    when 3 bottom grades fall within 6 consecutive entries; those three are
    then used up and cannot warn again.  Promotions come first, then
    warnings, each in chronological order.

    >>> monthly_run_consequences([(1, "A"), (2, "A"), (3, "A"), (4, "A")])
    [Consequence(rule='promotion', keys=(1, 2, 3))]
    >>> history = list(enumerate(["D", "B", "D", "B", "B", "D"], start=1))
    >>> monthly_run_consequences(history)
    [Consequence(rule='demotion_warning', keys=(1, 3, 6))]
    """
    top = _codes(top_codes, "top grade codes")
    bottom = _codes(bottom_codes, "bottom grade codes")
    _disjoint(top, bottom, "top grade codes", "bottom grade codes")
    entries = _history(history)
    return _promotions(entries, top) + _demotion_warnings(entries, bottom)


def annual_consequences(key, grade_code, top_codes=("A",), demotion_codes=("C", "D")):
    """Return the consequences of an annual grade (seed 000).

    >>> annual_consequences(7, "A")
    [Consequence(rule='annual_priority', keys=(7,))]
    >>> annual_consequences(7, "B")
    []
    """
    top = _codes(top_codes, "top grade codes")
    demotion = _codes(demotion_codes, "demotion grade codes")
    _disjoint(top, demotion, "top grade codes", "demotion grade codes")
    key, code = _key(key), _grade(grade_code)
    if code in top:
        return [Consequence(ANNUAL_PRIORITY, (key,))]
    if code in demotion:
        return [Consequence(ANNUAL_DEMOTION, (key,))]
    return []


def year_award_consequence(
    results, threshold=YEAR_AWARD_THRESHOLD, count=YEAR_AWARD_COUNT
):
    """Return ``NO_YEAR_END_AWARD`` when ``count`` results of a year are below.

    ``results`` are the ``(key, score)`` pairs of one year; a score counts
    when it is strictly below ``threshold`` (seed 001: two scores below 90).

    >>> year_award_consequence([(1, 92), (2, 89.5), (3, 95), (4, 80)])
    [Consequence(rule='no_year_end_award', keys=(2, 4))]
    >>> year_award_consequence([(1, 92), (2, 90)])
    []
    """
    threshold = _number(threshold, "award threshold")
    count = _count(count, "number of low results")
    if count < 1:
        raise KpiEngineError(
            _lt("The number of low results must be at least 1 (got %(count)s)."),
            count=count,
        )
    below, seen = [], set()
    for entry in _sequence(results, "results of the year"):
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise KpiEngineError(
                _lt("A result must be given as (result, score), got %(entry)s."),
                entry=repr(entry),
            )
        key = _key(entry[0])
        if key in seen:
            raise KpiEngineError(
                _lt("The result %(key)s appears twice in the results of the year."),
                key=repr(key),
            )
        seen.add(key)
        if _round(_non_negative(entry[1], "score")) < threshold:
            below.append(key)
    if len(below) >= count:
        return [Consequence(NO_YEAR_END_AWARD, tuple(below))]
    return []


def grade_consequences(
    key, grade_code, no_raise_codes=("中", "较差"), salary_down_codes=("差",)
):
    """Return the pay consequences of a grade (seed 004).

    >>> grade_consequences(3, "较差")
    [Consequence(rule='no_raise', keys=(3,))]
    >>> grade_consequences(3, "差")
    [Consequence(rule='salary_down', keys=(3,))]
    """
    no_raise = _codes(no_raise_codes, "no-raise grade codes")
    salary_down = _codes(salary_down_codes, "salary-down grade codes")
    _disjoint(no_raise, salary_down, "no-raise grade codes", "salary-down grade codes")
    key, code = _key(key), _grade(grade_code)
    if code in no_raise:
        return [Consequence(NO_RAISE, (key,))]
    if code in salary_down:
        return [Consequence(SALARY_DOWN, (key,))]
    return []


def rank_consequences(key, rank, count):
    """Return ``BOTTOM_RANK`` for the last of a department (seed 004 末位).

    Only a rank equal to the number of ranked results is last, and only when
    more than one result was ranked.  With competition ranks, results tied
    for last place share a better rank and are not flagged.

    >>> rank_consequences(9, 5, 5)
    [Consequence(rule='bottom_rank', keys=(9,))]
    >>> rank_consequences(9, 1, 1)
    []
    """
    key = _key(key)
    count = _count(count, "number of ranked results")
    rank = _count(rank, "rank")
    if not 1 <= rank <= count:
        raise KpiEngineError(
            _lt("The rank %(rank)s lies outside 1 to %(count)s."),
            rank=_fmt(rank),
            count=_fmt(count),
        )
    if rank == count and count > 1:
        return [Consequence(BOTTOM_RANK, (key,))]
    return []
