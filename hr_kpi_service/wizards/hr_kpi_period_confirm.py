from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.kpi_policy import KpiPolicy

# Steps that may go ahead once the officer has read what is missing.
CONFIRMABLE = {"payslip_batch": "_action_payslip_batch"}


class HrKpiPeriodConfirm(models.TransientModel):
    """A period step whose data is incomplete: what is missing, and the choice to go
    ahead anyway or to stop (issue 20, finding 4)."""

    _name = "hr.kpi.period.confirm"
    _inherit = ["hr.kpi.protected.mixin"]
    # A question to the officer: the step it confirms checks him again.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "KPI Period Step Waiting for Confirmation"
    _rec_name = "step_label"

    period_id = fields.Many2one("hr.kpi.period", required=True, readonly=True)
    step = fields.Selection([("payslip_batch", "Payslip Batch")], required=True, readonly=True)
    step_label = fields.Char(readonly=True)
    missing = fields.Text(readonly=True)

    @api.model
    def _open(self, period, step, label, gaps):
        wizard = self.create(
            {
                "period_id": period.id,
                "step": step,
                "step_label": label,
                "missing": "\n".join(f"• {text}" for text in gaps),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("%(step)s: data missing", step=label),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_confirm(self):
        """Go ahead: the step runs with its own checks (group, open period)."""
        self.ensure_one()
        if self.step not in CONFIRMABLE:
            raise UserError(self.env._("This step cannot be confirmed."))
        return getattr(self.period_id, CONFIRMABLE[self.step])()
