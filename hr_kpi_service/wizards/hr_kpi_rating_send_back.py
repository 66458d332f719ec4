from odoo import fields, models

from ..models.kpi_policy import KpiPolicy


class HrKpiRatingSendBack(models.TransientModel):
    """Ask HR for the reason before sending submitted ratings back to their raters."""

    _name = "hr.kpi.rating.send.back"
    _inherit = ["hr.kpi.protected.mixin"]
    # A wizard: its values are checked like any record's; its button is the action.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "Send KPI Ratings Back"

    rating_ids = fields.Many2many("hr.kpi.rating", required=True, string="Ratings")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.rating_ids.action_send_back(self.reason)
        return {"type": "ir.actions.act_window_close"}
