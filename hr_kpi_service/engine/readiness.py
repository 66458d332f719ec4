"""What "complete" means before a step of the month runs (issue 20: readiness and
guards). Plain Python: the ORM layer gathers the facts, these rules say what is
missing, and the layer names each item to the user.

* An evaluation line is ready for HR review when it has a value, when nobody rates
  its group (its weight goes to the others), or when HR itself types it in HR
  review (an HR line, or a typed line whose role has no rater at all).
* A quarter (a year) is complete when each of its months, from the company's first
  evaluated month on, has evaluations and all of them are approved and published.
* A quarter's star review and team reward wait until the quarter has ended.
"""

from .errors import KpiEngineError, _lt

# Why a line is not ready (or ready only for HR review).
READY = "ready"
WAITING_RATER = "waiting_rater"  # a rater of its role has not submitted
NO_RECORDS = "no_records"  # sourced (imported, recorded facts): nothing recorded
NOT_TYPED = "not_typed"  # typed by its rater role: nobody typed it
FOR_HR = "for_hr"  # HR types it during HR review
BLOCKING = (WAITING_RATER, NO_RECORDS, NOT_TYPED)


def line_readiness(*, has_value, no_rater, sourced, role, pending_roles, rated_roles):
    """Return why one evaluation line is (not) ready to go to HR review.

    ``sourced``: its value comes from records or an import; ``role``: its rater
    role; ``pending_roles`` / ``rated_roles``: the roles of the evaluation's
    ratings not submitted yet / of all its ratings.

    >>> line_readiness(has_value=False, no_rater=False, sourced=False, role="superior",
    ...                pending_roles={"superior"}, rated_roles={"superior"})
    'waiting_rater'
    >>> line_readiness(has_value=False, no_rater=False, sourced=True, role="hr",
    ...                pending_roles=set(), rated_roles=set())
    'no_records'
    >>> line_readiness(has_value=False, no_rater=False, sourced=False, role="hr",
    ...                pending_roles=set(), rated_roles=set())
    'for_hr'
    """
    if has_value or no_rater:
        return READY
    if sourced:
        return NO_RECORDS
    if role in pending_roles:
        return WAITING_RATER
    if role == "hr" or role not in rated_roles:
        return FOR_HR
    return NOT_TYPED


def blocking_pending_ratings(ratings):
    """The pending ratings that still owe a value: ``ratings`` is
    ``[(key, submitted, [line has a value, ...])]``; a pending rating whose lines
    all have a value (typed on the evaluation, or given by the other raters of its
    role) is no longer waited for.

    >>> blocking_pending_ratings(
    ...     [("a", False, [False]), ("b", False, [True]), ("c", True, [False])]
    ... )
    ['a']
    """
    return [
        key for key, submitted, values in ratings if not submitted and not all(values)
    ]


def required_months(month_starts, first_evaluated):
    """The months of a period that must be complete: those from the company's
    first evaluated month on (``None``: none evaluated yet, nothing required).

    >>> import datetime as d
    >>> required_months([d.date(2026, 7, 1), d.date(2026, 8, 1)], d.date(2026, 8, 1))
    [datetime.date(2026, 8, 1)]
    """
    if first_evaluated is None:
        return []
    return [start for start in month_starts if start >= first_evaluated]


def month_gaps(months):
    """What keeps months from counting in a quarter's or year's results.

    ``months``: ``[(name, total evaluations, evaluations not yet approved and
    published)]``. Returns ``[(name, reason, count)]`` with reason ``"none"`` (no
    evaluation at all) or ``"open"`` (``count`` evaluations still open).

    >>> month_gaps([("2026-10", 15, 0), ("2026-11", 17, 17), ("2026-12", 0, 0)])
    [('2026-11', 'open', 17), ('2026-12', 'none', 0)]
    """
    gaps = []
    for name, total, still_open in months:
        if not total:
            gaps.append((name, "none", 0))
        elif still_open:
            gaps.append((name, "open", still_open))
    return gaps


def check_quarter_ended(quarter_end, today, step):
    """Refuse ``step`` (a star review, a team reward) of a quarter that has not
    ended: its months' figures are not all in yet.

    >>> import datetime as d
    >>> check_quarter_ended(d.date(2026, 9, 30), d.date(2026, 10, 1), "Star Review")
    True
    >>> try:
    ...     check_quarter_ended(d.date(2026, 12, 31), d.date(2026, 11, 20), "Star Review")
    ... except KpiEngineError as err:
    ...     print(err.args[0][:44])
    Star Review runs after its quarter has ended
    """
    if quarter_end is None or today is None:
        raise KpiEngineError(_lt("%(step)s needs its quarter."), step=step)
    if not today > quarter_end:
        raise KpiEngineError(
            _lt(
                "%(step)s runs after its quarter has ended: the quarter ends on "
                "%(quarter_end)s, today is %(today)s."
            ),
            step=step,
            quarter_end=str(quarter_end),
            today=str(today),
        )
    return True


def pool_gaps(groups):
    """Commission groups whose pool would be shared by fewer members than it has.

    ``groups``: ``{group: (members, members with a confirmed month)}`` (any
    hashable, sets of names). Returns ``{group: sorted members missing}`` for the
    groups where at least one member is paid and one is missing: the present ones
    would share the whole pool.

    >>> pool_gaps(
    ...     {"接待一组": ({"a", "b", "c"}, {"a"}), "g2": ({"d"}, {"d"}), "g3": ({"e"}, set())}
    ... )
    {'接待一组': ['b', 'c']}
    """
    return {
        group: sorted(members - confirmed)
        for group, (members, confirmed) in groups.items()
        if confirmed and members - confirmed
    }
