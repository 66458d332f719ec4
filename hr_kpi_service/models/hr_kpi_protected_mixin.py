"""Enforce each model's ``_kpi_policy`` (see :mod:`.kpi_policy`) in create, write and
unlink. Every model of both addons inherits this mixin, and so do the models they
extend with fields that decide pay (employee, payslip)."""

from odoo import api, models
from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG
from odoo.exceptions import AccessError, UserError

from .kpi_policy import (  # noqa: F401  (kpi_action, kpi_action_scope: the models' import)
    MAIL_FIELDS,
    KpiPolicy,
    grant_created,
    in_action,
    kpi_action,
    kpi_action_scope,
)
from .kpi_values import check_values, checked_fields


class HrKpiProtectedMixin(models.AbstractModel):
    _name = "hr.kpi.protected.mixin"
    _description = "KPI Fields Changed Only Through Actions"

    _kpi_policy = KpiPolicy()

    # ------------------------------------------------------------------
    # Who may change what
    # ------------------------------------------------------------------
    def _kpi_protection_applies(self):
        """Whether the protected fields are refused here: not for the superuser, nor
        inside an action covering these records."""
        return not self.env.su and not in_action(self)

    def _kpi_model_label(self):
        return self.env["ir.model"]._get(self._name).display_name

    def _kpi_labels(self, fnames):
        return ", ".join(self._fields[name]._description_string(self.env) for name in fnames)

    def _kpi_refuse_protected(self, fnames):
        touched = sorted(set(fnames) & set(self._kpi_policy.protected))
        if touched:
            raise AccessError(
                self.env._(
                    "%(model)s: %(fields)s change only through the workflow buttons "
                    "(each checks who may do it and when), not by editing the record.",
                    model=self._kpi_model_label(),
                    fields=self._kpi_labels(touched),
                )
            )

    def _kpi_refuse_system_owned(self):
        raise AccessError(
            self.env._(
                "%(model)s records are kept by the system (the background jobs and the "
                "buttons that start them): nobody creates, changes or deletes them by hand.",
                model=self._kpi_model_label(),
            )
        )

    def _kpi_unchanged_on_create(self, name, value):
        """A value the record would get anyway: no change (the client may send it)."""
        field = self._fields[name]
        default = field.default(self) if field.default else False
        if field.type == "many2one" and isinstance(default, models.BaseModel):
            default = default.id
        return value == default or (not value and not default)

    def _kpi_changed(self, fname, value):
        """Whether writing `value` to `fname` changes any of these records."""
        field = self._fields[fname]
        new = field.convert_to_cache(value, self, validate=False)
        for record in self:
            old = field.convert_to_cache(field.convert_to_write(record[fname], record), record)
            if field.type in ("one2many", "many2many"):
                if set(old) != set(new):
                    return True
            elif (old or False) != (new or False):
                return True
        return False

    def _kpi_refuse_fixed(self, vals):
        changed = [
            name
            for name in self._kpi_policy.fixed
            if name in vals and self._kpi_changed(name, vals[name])
        ]
        if changed:
            raise UserError(self._kpi_fixed_message(changed))

    def _kpi_fixed_message(self, fnames):
        """The refusal of re-pointing `fnames` (models word it their own way)."""
        return self.env._(
            "%(model)s %(name)s: %(fields)s are fixed when it is created; create a new one "
            "instead.",
            model=self._kpi_model_label(),
            name=self[:1].display_name,
            fields=self._kpi_labels(fnames),
        )

    # ------------------------------------------------------------------
    # History
    # ------------------------------------------------------------------
    def _kpi_locked_records(self):
        locked_when = self._kpi_policy.locked_when
        if not locked_when:
            return self.browse()
        if isinstance(locked_when, str):
            return getattr(self, locked_when)()
        fname, values = locked_when
        return self.filtered(lambda record: record[fname] in values)

    def _kpi_locked_message(self, locked, fnames):
        """The refusal of a change of `fnames` on the `locked` records (models word it
        their own way)."""
        return self.env._(
            "%(model)s %(name)s is locked: %(fields)s no longer change.",
            model=self._kpi_model_label(),
            name=locked[0].display_name,
            fields=self._kpi_labels(fnames),
        )

    def _kpi_check_unlocked(self, fnames=None):
        """Refuse changing `fnames` (None: deleting) on locked records (write and unlink
        call it outside actions; an action that must not touch history calls it itself)."""
        blocked = None if fnames is None else self._kpi_policy.lockable(fnames)
        if blocked == []:
            return
        locked = self._kpi_locked_records()
        if locked:
            raise UserError(locked._kpi_locked_message(locked, blocked or []))

    def _kpi_unlink_message(self):
        return self.env._(
            "%(model)s records come and go with the workflow step that makes them; they are "
            "not deleted one by one.",
            model=self._kpi_model_label(),
        )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    def _kpi_check_values(self, vals):
        """Refuse a value its field cannot take (kpi_values); a model whose create reads
        `vals` before this mixin calls it first."""
        check_values(self, vals, self._kpi_policy.bounds)

    def _kpi_computed_fields(self):
        """Stored fields of the addons that the system computes (no inverse): nobody
        types them (cached per model class)."""
        cls = type(self)
        cached = cls.__dict__.get("_kpi_computed_cache")
        if cached is None:
            cached = frozenset(
                name
                for name, field in checked_fields(self, related=True).items()
                if (field.compute or field.related) and field.readonly and not field.inverse
            )
            cls._kpi_computed_cache = cached
        return cached

    def _kpi_refuse_computed(self, fnames):
        touched = sorted(set(fnames) & self._kpi_computed_fields())
        if touched:
            raise AccessError(
                self.env._(
                    "%(model)s: %(fields)s are computed from the record's data; they are not "
                    "typed.",
                    model=self._kpi_model_label(),
                    fields=self._kpi_labels(touched),
                )
            )

    def _kpi_without_protected_defaults(self, protected):
        """These records in a context without the ``default_<field>`` keys of the
        ``protected`` fields, which a client's context would otherwise set behind the
        checks. The context is replaced, not extended (``with_context`` only adds keys)."""
        context = {
            key: value
            for key, value in self.env.context.items()
            if not (key.startswith("default_") and key[8:] in protected)
        }
        return self.with_env(self.env(context=context))

    @api.model_create_multi
    def create(self, vals_list):
        policy = self._kpi_policy
        if policy.system_owned and not self.env.su:
            self._kpi_refuse_system_owned()
        for vals in vals_list:
            self._kpi_check_values(vals)
        if not self.env.su and not in_action(self):
            # default_<field> keys of the (client-controlled) context would set the
            # protected fields behind the check: they are dropped.
            protected = set(policy.protected)
            if protected:
                self = self._kpi_without_protected_defaults(protected)
                for vals in vals_list:
                    self._kpi_refuse_protected(
                        [
                            name
                            for name, value in vals.items()
                            if name in protected and not self._kpi_unchanged_on_create(name, value)
                        ]
                    )
        records = super().create(vals_list)
        grant_created(records)
        return records

    def write(self, vals):
        policy = self._kpi_policy
        if policy.system_owned and not self.env.su:
            self._kpi_refuse_system_owned()
        self._kpi_check_values(vals)
        if vals and self:
            acting = in_action(self)
            if policy.fixed and not self.env.su:
                self._kpi_refuse_fixed(vals)
            if policy.locked_when and not acting:
                # the superuser moves the system's own (protected) fields of history
                self._kpi_check_unlocked(
                    set(vals) - set(policy.protected) if self.env.su else vals
                )
            if not self.env.su and not acting:
                self._kpi_refuse_protected(vals)
                self._kpi_refuse_computed(vals)
                self._kpi_check_write(vals)
        return super().write(vals)

    def _kpi_check_write(self, vals):
        """What a model checks further on a user's write outside actions, after its
        policy (four-eyes, who types what)."""

    def unlink(self):
        policy = self._kpi_policy
        if policy.system_owned and not self.env.su:
            self._kpi_refuse_system_owned()
        uninstalling = self.env.su and self.env.context.get(MODULE_UNINSTALL_FLAG)
        if self and not uninstalling and not in_action(self):
            if not self.env.su:
                if policy.unlink == "action":
                    raise AccessError(self._kpi_unlink_message())
            if policy.unlink in ("unlocked", "action") and policy.locked_when:
                self._kpi_check_unlocked()
        return super().unlink()

    def _kpi_write(self, vals):
        """Write protected fields from an action, after its checks."""
        with kpi_action_scope(self):
            return self.write(vals)
