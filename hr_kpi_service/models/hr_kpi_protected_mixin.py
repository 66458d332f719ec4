"""Fields that decide pay change only through action methods.

A model inherits ``hr.kpi.protected.mixin`` and names its protected fields in
``_kpi_protected_fields`` (states, scores, points, weights, deadlines, decisions and
deciders, confirmation flags, and the links that decide what is paid). ``create`` and
``write`` then refuse those fields, with a translated AccessError naming them, unless:

* the environment is the superuser's (``env.su``: data files, crons run as root), or
* the write happens inside an action method decorated with :func:`kpi_action`.

The action is the gate: it checks the caller's group, the record's state and
four-eyes itself, then changes the fields with plain ``write``/``create`` (or the
``_kpi_write`` shortcut). The permission is a ``ContextVar`` of the running Python
code, never the Odoo context, which the RPC client controls.
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, models
from odoo.exceptions import AccessError

_IN_ACTION = ContextVar("hr_kpi_service_in_action", default=False)


@contextmanager
def kpi_action_scope():
    """Let the code inside change protected fields (server code only)."""
    token = _IN_ACTION.set(True)
    try:
        yield
    finally:
        _IN_ACTION.reset(token)


def kpi_action(method):
    """Decorate an action method: after its own checks, it may change protected fields."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with kpi_action_scope():
            return method(*args, **kwargs)

    return wrapper


class HrKpiProtectedMixin(models.AbstractModel):
    _name = "hr.kpi.protected.mixin"
    _description = "KPI Fields Changed Only Through Actions"

    # Field names that only action methods change; each model declares its own.
    _kpi_protected_fields = ()

    def _kpi_protection_applies(self):
        return bool(self._kpi_protected_fields) and not self.env.su and not _IN_ACTION.get()

    def _kpi_refuse_protected(self, fnames):
        touched = sorted(set(fnames) & set(self._kpi_protected_fields))
        if touched:
            labels = ", ".join(self._fields[name]._description_string(self.env) for name in touched)
            raise AccessError(
                self.env._(
                    "%(model)s: %(fields)s change only through the workflow buttons "
                    "(each checks who may do it and when), not by editing the record.",
                    model=self.env["ir.model"]._get(self._name).display_name,
                    fields=labels,
                )
            )

    def _kpi_unchanged_on_create(self, name, value):
        """A value the record would get anyway: no change (the client may send it)."""
        field = self._fields[name]
        default = field.default(self) if field.default else False
        if field.type == "many2one" and isinstance(default, models.BaseModel):
            default = default.id
        return value == default or (not value and not default)

    @api.model_create_multi
    def create(self, vals_list):
        if self._kpi_protection_applies():
            # default_<field> keys of the (client-controlled) context would set the
            # protected fields behind the check: they are dropped.
            protected = set(self._kpi_protected_fields)
            context = {
                key: value
                for key, value in self.env.context.items()
                if not (key.startswith("default_") and key[8:] in protected)
            }
            self = self.with_context(context)
            for vals in vals_list:
                self._kpi_refuse_protected(
                    [
                        name
                        for name, value in vals.items()
                        if name in protected and not self._kpi_unchanged_on_create(name, value)
                    ]
                )
        return super().create(vals_list)

    def write(self, vals):
        if self._kpi_protection_applies():
            self._kpi_refuse_protected(vals)
        return super().write(vals)

    def _kpi_write(self, vals):
        """Write protected fields from an action, after its checks."""
        with kpi_action_scope():
            return self.write(vals)
