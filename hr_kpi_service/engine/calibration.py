"""Calibration (绩效校准) of a results sheet by the 考核委员会 (seed 004 考核流程): the
grade distribution against target ranges, which are configuration.

A rule is ``(name, codes, max_pct, min_per)``: the grades ``codes`` together hold
at most ``max_pct`` % of the people (None: no ceiling), and at least one person
per ``min_per`` people (None: no floor; 20 people → 1, 39 → 1, 40 → 2, fewer
than ``min_per`` → none required).
"""

from .errors import KpiEngineError, _lt


def required_count(total, min_per):
    """People the grades must hold at least: one per `min_per` people.

    >>> required_count(20, 20), required_count(39, 20), required_count(19, 20)
    (1, 1, 0)
    """
    if not min_per:
        return 0
    return total // min_per


def distribution_breaches(grade_counts, rules):
    """The rules `grade_counts` ({grade code: people}) break, as
    ``[(rule name, message, params)]`` (untranslated messages, named params).

    >>> distribution_breaches({"优秀": 3, "良好": 17}, [("优秀", ("优秀",), 10, None)])[0][2]
    {'rule': '优秀', 'count': 3, 'total': 20, 'share': 15.0, 'limit': 10}
    >>> distribution_breaches({"优秀": 2, "良好": 18}, [("优秀", ("优秀",), 10, None)])
    []
    """
    total = sum(grade_counts.values())
    breaches = []
    for name, codes, max_pct, min_per in rules:
        if max_pct is not None and not 0 <= max_pct <= 100:
            raise KpiEngineError(
                _lt("The ceiling of %(rule)s must be between 0 and 100 %%."), rule=name
            )
        if min_per is not None and min_per < 1:
            raise KpiEngineError(
                _lt("%(rule)s: one per %(per)s people needs at least 1."), rule=name, per=min_per
            )
        count = sum(grade_counts.get(code, 0) for code in codes)
        share = round(count * 100.0 / total, 2) if total else 0.0
        if max_pct is not None and share > max_pct:
            breaches.append(
                (
                    name,
                    _lt(
                        "%(rule)s: %(count)s of %(total)s people (%(share)s %%), above the "
                        "ceiling of %(limit)s %%."
                    ),
                    {
                        "rule": name,
                        "count": count,
                        "total": total,
                        "share": share,
                        "limit": max_pct,
                    },
                )
            )
        needed = required_count(total, min_per)
        if count < needed:
            breaches.append(
                (
                    name,
                    _lt(
                        "%(rule)s: %(count)s of %(total)s people, at least %(needed)s "
                        "needed (one per %(per)s)."
                    ),
                    {
                        "rule": name,
                        "count": count,
                        "total": total,
                        "needed": needed,
                        "per": min_per,
                    },
                )
            )
    return breaches
