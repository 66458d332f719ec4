from odoo import fields, models

from ..models.kpi_policy import KpiPolicy


class HrKpiResultsSheetReturn(models.TransientModel):
    """Ask the signer for the reason before returning a results sheet to HR."""

    _name = "hr.kpi.results.sheet.return"
    _inherit = ["hr.kpi.protected.mixin"]
    # A wizard: its values are checked like any record's; its button is the action.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "Return KPI Results Sheet"

    sheet_id = fields.Many2one("hr.kpi.results.sheet", required=True)
    purpose = fields.Selection(
        [("return", "Return to HR"), ("distribution", "Committee's reason")],
        default="return",
        required=True,
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.purpose == "distribution":
            self.sheet_id.action_record_distribution_reason(self.reason)
        else:
            self.sheet_id.action_return(self.reason)
        return {"type": "ir.actions.act_window_close"}
