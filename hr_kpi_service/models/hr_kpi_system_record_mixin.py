"""Records only the system writes: background steps, their jobs, background imports.

A model inheriting ``hr.kpi.system.record.mixin`` is created, written and deleted only
in superuser mode (``env.su``); any other caller, whatever his groups, is refused with
a translated AccessError naming the model. The access rights give users read only
(record rules say which records), and this guard holds even if a later access right
gave more.

The code that keeps these records runs inside the actions that start the work
(a cockpit step, Import, Retry): each action checks the caller first (his group,
the record's state, that he may read it), then writes the record explicitly with
``sudo()``. That is not a way round a record rule: nobody but the system owns these
records, so the system writes them, and only with values it computed itself
(counts, states, job ids), never with text a user sent.
"""

from odoo import api, models
from odoo.exceptions import AccessError


class HrKpiSystemRecordMixin(models.AbstractModel):
    _name = "hr.kpi.system.record.mixin"
    _description = "KPI Records Written Only by the System"

    def _kpi_refuse_unless_system(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "%(model)s records are kept by the system (the background jobs and the "
                    "buttons that start them): nobody creates, changes or deletes them by hand.",
                    model=self.env["ir.model"]._get(self._name).display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._kpi_refuse_unless_system()
        return super().create(vals_list)

    def write(self, vals):
        self._kpi_refuse_unless_system()
        return super().write(vals)

    def unlink(self):
        self._kpi_refuse_unless_system()
        return super().unlink()
