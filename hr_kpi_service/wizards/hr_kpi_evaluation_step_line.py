from odoo import fields, models

from ..models.kpi_policy import KpiPolicy


class HrKpiEvaluationStepLine(models.TransientModel):
    """One evaluation of a bulk transition: done, or skipped and why."""

    _name = "hr.kpi.evaluation.step.line"
    _inherit = ["hr.kpi.protected.mixin"]
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "KPI Evaluation Moved in Bulk"
    _order = "done, id"
    _rec_name = "evaluation_id"

    step_id = fields.Many2one("hr.kpi.evaluation.step", required=True, ondelete="cascade")
    evaluation_id = fields.Many2one("hr.kpi.evaluation", readonly=True)
    state = fields.Selection(related="evaluation_id.state")
    done = fields.Boolean(readonly=True)
    reason = fields.Text(string="Why / Note", readonly=True)
    missing_line_ids = fields.Many2many(
        "hr.kpi.evaluation.line", string="Missing Lines", readonly=True
    )
    missing_count = fields.Integer(string="Missing", compute="_compute_missing_count")

    def _compute_missing_count(self):
        for line in self:
            line.missing_count = len(line.missing_line_ids)

    def action_open_evaluation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.kpi.evaluation",
            "res_id": self.evaluation_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_open_missing(self):
        self.ensure_one()
        return self.missing_line_ids._action_open_missing()
