from odoo import models
from odoo.exceptions import UserError

from .kpi_policy import kpi_action, kpi_action_scope


class HrKpiPeriod(models.Model):
    _inherit = "hr.kpi.period"

    @kpi_action
    def action_draw_up_results_sheets(self):
        """HR draws up the period's results sheets (seed 004 第17条): the approved
        results whose scheme has a sign-off chain, per department and chain."""
        self.ensure_one()
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise UserError(
                self.env._(
                    "This step needs the group %(group)s.",
                    group=self.env.ref("hr_kpi_service.group_kpi_officer").display_name,
                )
            )
        self.check_access("write")
        Sheet = self.env["hr.kpi.results.sheet"]
        with kpi_action_scope(Sheet):  # the sheets, their lines, the evaluations' link
            Sheet._draw_up(self)
        return self.action_open_results_sheets()

    def action_open_results_sheets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Results Sheets"),
            "res_model": "hr.kpi.results.sheet",
            "view_mode": "list,form",
            "domain": [("period_id", "=", self.id)],
            "context": {"create": False},
        }

    def _kpi_chunk_publish(self, evaluations):
        """The period's Publish leaves out the results waiting for sign-off: their
        signed sheet publishes them (公示)."""
        waiting = evaluations.filtered("signoff_pending")
        done, skipped, *busy = super()._kpi_chunk_publish(evaluations - waiting)
        return (done, skipped + len(waiting), *busy)
