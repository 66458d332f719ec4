"""What a model lets users change, declared once per model, and the action grants.

Each model of the addons declares ``_kpi_policy = KpiPolicy(...)`` (read by
``hr.kpi.protected.mixin``, which every model of the addons inherits; the registry
test refuses a model that does not):

* ``protected``: fields only action methods change (states, scores, points, deciders,
  confirmation flags, the links that decide pay). A create or write naming them with
  another value than the default is refused outside an action.
* ``fixed``: fields set at creation and never re-pointed afterwards (a plan's
  employee, a period's dates once used).
* ``locked_when``: when a record is history, as ``(field, values)`` (its state) or
  the name of a method returning the locked records of a recordset. Outside actions a
  locked record keeps ``locked_fields`` (default: every field but
  ``writable_when_locked`` and the chatter's).
* ``unlink``: ``"free"`` (access rights and rules decide), ``"unlocked"`` (not while
  locked), ``"action"`` (only inside an action: records that come and go with a step).
* ``system_owned``: only the system (the superuser: a step's code writes them with
  ``sudo()`` after the step's own checks, with values it computed itself) creates,
  writes and deletes the records; the access rights give users read only.
* ``action_scope``: other models an action of this model changes on the way (its
  lines, the consequences it creates).
* ``bounds``: ``{field: (minimum, maximum)}`` of the numbers that differ from the
  defaults of :mod:`.kpi_values` (``None``: no limit on that side).

The superuser (data files, crons, the system's own steps) passes the checks of *who*
(protected, fixed, system-owned, action-only deletion) and moves the system's own
(protected) fields, but not the rest of *history*: outside an action, a locked
record's other fields stay and it is not deleted.

An action (:func:`kpi_action`) checks the caller's group, the record's state and
four-eyes itself, then may change the protected fields of the records it was called
on, of the records it creates, and of the models of its ``action_scope``: the grant
is a ``ContextVar`` of the running Python code, never the Odoo context, which the RPC
client controls.
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

# Chatter, followers and activities: anybody who reads a record may use them.
MAIL_FIELDS = frozenset(
    {
        "activity_ids",
        "message_follower_ids",
        "message_ids",
        "message_main_attachment_id",
        "message_partner_ids",
        "website_message_ids",
    }
)
UNLINK_POLICIES = ("free", "unlocked", "action")
# Every record of a model (a grant naming the model, not records).
ALL = "all"


@dataclass(frozen=True)
class KpiPolicy:
    protected: tuple = ()
    fixed: tuple = ()
    locked_when: object = None
    locked_fields: tuple | None = None
    writable_when_locked: frozenset = frozenset()
    unlink: str = "unlocked"
    system_owned: bool = False
    action_scope: tuple = ()
    bounds: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.unlink not in UNLINK_POLICIES:
            raise ValueError(f"unlink policy {self.unlink!r} is not one of {UNLINK_POLICIES}")

    def lockable(self, fnames):
        """The fields of `fnames` that a locked record keeps."""
        if self.locked_fields is not None:
            return sorted(set(fnames) & set(self.locked_fields))
        return sorted(set(fnames) - set(self.writable_when_locked) - MAIL_FIELDS)


# {model name: set of record ids, or ALL}: what the running actions may change.
_GRANTS = ContextVar("hr_kpi_service_grants", default=None)


def _grants_of(target):
    """A model name, or an empty recordset (an action of the model, such as a step
    over a period): all its records. A recordset: those records. And every record of
    the models its policy's action scope names."""
    if isinstance(target, str):
        return [(target, ALL)]
    if not target:
        return [(target._name, ALL), *((model, ALL) for model in _scope(target))]
    return [(target._name, set(target.ids)), *((model, ALL) for model in _scope(target))]


def _scope(records):
    policy = getattr(records, "_kpi_policy", None)
    return policy.action_scope if policy else ()


@contextmanager
def kpi_action_scope(*targets):
    """Let the code inside change the protected fields of `targets` (recordsets: those
    records and the ones created inside; model names: every record of the model).
    Server code only, after the caller's checks."""
    grants = {
        model: (ids if ids == ALL else set(ids)) for model, ids in (_GRANTS.get() or {}).items()
    }
    for model, ids in (grant for target in targets for grant in _grants_of(target)):
        if ids == ALL or grants.get(model) == ALL:
            grants[model] = ALL
        else:
            grants[model] = grants.get(model, set()) | ids
    token = _GRANTS.set(grants)
    try:
        yield
    finally:
        _GRANTS.reset(token)


def in_action(records):
    """Whether a running action covers every record of `records` (an empty recordset:
    whether it covers its model, for a creation)."""
    grants = _GRANTS.get()
    if not grants:
        return False
    ids = grants.get(records._name)
    return ids == ALL or (ids is not None and set(records._ids) <= ids)


def grant_created(records):
    """Records created inside an action belong to it."""
    grants = _GRANTS.get()
    if grants and grants.get(records._name) not in (None, ALL):
        grants[records._name].update(records.ids)


def kpi_action(method):
    """Decorate an action method: after its own checks it may change the protected
    fields of its records, of those it creates, and of its model's action scope."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with kpi_action_scope(self):
            return method(self, *args, **kwargs)

    return wrapper
