from odoo import fields, models
from odoo.exceptions import UserError

from ..models.kpi_policy import KpiPolicy


class HrKpiEvaluationGenerate(models.TransientModel):
    """Generate the evaluations of a period for everyone on an active scheme."""

    _name = "hr.kpi.evaluation.generate"
    _inherit = ["hr.kpi.protected.mixin"]
    # A wizard: its values are checked like any record's; its buttons are the actions.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "Generate KPI Evaluations"

    date = fields.Date(
        string="Any Day of the Period", required=True, default=fields.Date.context_today
    )
    period_type = fields.Selection(
        [
            ("monthly", "Month"),
            ("quarterly", "Quarter"),
            ("semiannual", "Half-year"),
            ("annual", "Year"),
        ],
        required=True,
        default="monthly",
    )

    def action_generate(self):
        self.ensure_one()
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise UserError(self.env._("Only a KPI officer generates evaluations."))
        period = self.env["hr.kpi.period"]._get_or_create(self.date, self.period_type)
        evaluations = self.env["hr.kpi.evaluation"]._generate(period)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Evaluations of %(period)s", period=period.name),
            "res_model": "hr.kpi.evaluation",
            "view_mode": "list,form",
            "domain": [("period_id", "=", period.id)],
            "context": {"kpi_generated_count": len(evaluations)},
        }
