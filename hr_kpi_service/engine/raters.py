"""Multi-rater weighting of an evaluation (pure Python, no Odoo).

Vocabulary
----------
rater role
    Who rates: the employee (``self``), the direct ``superior``, colleagues of
    the same level (``peer``), the people the employee leads
    (``subordinate``), or a ``group`` of colleagues from related departments
    (seed 003 小组考核).
rater row
    A ``dict`` role -> weight in percent, summing to 100.  The first row of a
    configuration is the main one; later rows are explicit fallbacks for when
    some roles have no rater (seed 004: no peers -> superior 60 / subordinate
    40).
present roles
    The roles that have at least one rater for one evaluation.
part score
    The score of one rater group (0..100, may exceed 100); the evaluation's
    score is their weighted mean.

Every function validates its inputs and raises ``KpiEngineError`` with an
English message marked for translation.  Every float it returns is rounded to
4 decimals.
"""

import math
from collections.abc import Mapping

from .errors import KpiEngineError, _lt
from .scoring import PERCENT, _fmt, _non_negative, _round, check_weights

RATER_ROLES = ("self", "superior", "peer", "subordinate", "group")

# Seed 003 客户服务部: 被考核人本人 15 %, 上级领导 60 %, 小组考核 25 %.
SEED_003_RATERS = ({"self": 15, "superior": 60, "group": 25},)
# Seed 004 售后服务: 上级、同级、下级 40 / 30 / 30; without peers (or
# without subordinates) superior 60 / the other 40; without both, superior
# 100.
SEED_004_RATERS = (
    {"superior": 40, "peer": 30, "subordinate": 30},
    {"superior": 60, "subordinate": 40},
    {"superior": 60, "peer": 40},
    {"superior": 100},
)

WEIGHT_TOLERANCE = 0.01


def _role(role):
    if role not in RATER_ROLES:
        raise KpiEngineError(
            _lt("Unknown rater role %(role)s; expected one of %(roles)s."),
            role=repr(role),
            roles=", ".join(RATER_ROLES),
        )
    return role


def _roles_text(roles):
    return ", ".join(role for role in RATER_ROLES if role in roles)


def _check_row(number, row):
    """Return one rater row as ``{role: float}`` without its zero weights."""
    if not isinstance(row, Mapping):
        raise KpiEngineError(
            _lt("Rater row %(row)s must map rater roles to weights, got %(value)s."),
            row=number,
            value=repr(row),
        )
    weights = {}
    for role, weight in row.items():
        weight = _non_negative(weight, f"weight of the rater role {_role(role)}")
        if weight > 0:
            weights[role] = _round(weight)
    total = _round(math.fsum(weights.values()))
    if abs(total - PERCENT) > WEIGHT_TOLERANCE:
        raise KpiEngineError(
            _lt("The rater weights of row %(row)s add up to %(total)s %%, not 100 %%."),
            row=number,
            total=_fmt(total),
        )
    return weights


def check_rater_rows(rows):
    """Validate rater rows and return them as a tuple of ``{role: float}``.

    Roles must be known, weights non-negative and each row must add up to 100
    (± 0.01); roles weighted 0 are dropped.  Two rows may not cover the same
    set of roles, and a fallback row (any row after the first) may only use
    roles of the first row, otherwise it could never apply.

    >>> check_rater_rows(SEED_003_RATERS)
    ({'self': 15.0, 'superior': 60.0, 'group': 25.0},)
    >>> check_rater_rows([{"superior": 100, "peer": 0}])
    ({'superior': 100.0},)
    """
    if rows is None or isinstance(rows, (str, Mapping)):
        raise KpiEngineError(
            _lt("The rater rows must be a list of role weights, got %(rows)s."),
            rows=repr(rows),
        )
    checked = tuple(_check_row(number, row) for number, row in enumerate(rows, start=1))
    if not checked:
        raise KpiEngineError(_lt("At least one rater row is required."))
    main_roles = set(checked[0])
    seen = {}
    for number, row in enumerate(checked, start=1):
        roles = frozenset(row)
        if roles in seen:
            raise KpiEngineError(
                _lt(
                    "Rater rows %(first)s and %(second)s both cover the roles "
                    "%(roles)s."
                ),
                first=seen[roles],
                second=number,
                roles=_roles_text(roles),
            )
        seen[roles] = number
        extra = roles - main_roles
        if extra:
            raise KpiEngineError(
                _lt(
                    "Rater row %(row)s uses the roles %(roles)s, which the first "
                    "row does not weight."
                ),
                row=number,
                roles=_roles_text(extra),
            )
    return checked


def _present(present):
    if present is None or isinstance(present, (str, bytes)):
        raise KpiEngineError(
            _lt("The present rater roles must be a list of roles, got %(present)s."),
            present=repr(present),
        )
    try:
        roles = list(present)
    except TypeError:
        raise KpiEngineError(
            _lt("The present rater roles must be a list of roles, got %(present)s."),
            present=repr(present),
        ) from None
    return {_role(role) for role in roles}


def _rescaled(row, relevant):
    """Return ``row`` restricted to ``relevant``, rescaled to sum to 100."""
    kept = {role: weight for role, weight in row.items() if role in relevant}
    total = math.fsum(kept.values())
    weights = {role: _round(weight * PERCENT / total) for role, weight in kept.items()}
    remainder = _round(PERCENT - math.fsum(weights.values()))
    if remainder:
        largest = max(weights, key=weights.get)
        weights[largest] = _round(weights[largest] + remainder)
    return weights


def rater_weights(rows, present):
    """Return the rater weights that apply when only ``present`` roles rated.

    ``rows[0]`` is the main configuration, later rows are explicit fallbacks.
    Only the present roles that ``rows[0]`` weights count.  When a row covers
    exactly those roles it applies as is; otherwise ``rows[0]`` is restricted
    to them and rescaled proportionally so that it adds up to 100 (rounded to
    4 decimals, any rounding remainder on the largest weight, the first of
    equal ones in row order).

    >>> rater_weights(SEED_004_RATERS, ["superior", "subordinate"])
    {'superior': 60.0, 'subordinate': 40.0}
    >>> rater_weights(SEED_003_RATERS, {"self", "superior"})
    {'self': 20.0, 'superior': 80.0}
    """
    checked = check_rater_rows(rows)
    relevant = _present(present) & set(checked[0])
    if not relevant:
        raise KpiEngineError(
            _lt("No rater of the roles %(roles)s is available."),
            roles=_roles_text(checked[0]),
        )
    for row in checked:
        if set(row) == relevant:
            return dict(row)
    return _rescaled(checked[0], relevant)


def multi_rater_score(part_scores, weights):
    """Return the weighted mean of the rater groups' scores.

    ``part_scores`` maps each rater role to the score of its group (0..100,
    may exceed 100); ``weights`` are rater weights adding up to 100, as
    :func:`rater_weights` returns them.  Every weighted role needs a score;
    scores of roles without a weight are ignored.

    >>> multi_rater_score({"superior": 90, "peer": 80, "subordinate": 70},
    ...                   {"superior": 40, "peer": 30, "subordinate": 30})
    81.0
    """
    if not isinstance(part_scores, Mapping):
        raise KpiEngineError(
            _lt("The rater scores must map rater roles to scores, got %(scores)s."),
            scores=repr(part_scores),
        )
    if not isinstance(weights, Mapping):
        raise KpiEngineError(
            _lt("The rater weights must map rater roles to weights, got %(weights)s."),
            weights=repr(weights),
        )
    scores = {
        _role(role): _non_negative(score, f"score of the rater role {role}")
        for role, score in part_scores.items()
    }
    for role in weights:
        _role(role)
    check_weights(weights.values(), label="rater roles", tolerance=WEIGHT_TOLERANCE)
    terms = []
    for role, weight in weights.items():
        if not weight:
            continue
        if role not in scores:
            raise KpiEngineError(
                _lt("The score of the rater role %(role)s is missing."),
                role=role,
            )
        terms.append(weight * scores[role])
    return _round(math.fsum(terms) / PERCENT)
