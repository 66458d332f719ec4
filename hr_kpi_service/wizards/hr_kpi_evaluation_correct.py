from odoo import api, fields, models

from ..models.kpi_policy import KpiPolicy


class HrKpiEvaluationCorrect(models.TransientModel):
    """The correction dialog of one evaluation line (更正): how, the value, the reason.
    Its button calls ``hr.kpi.evaluation.line.action_correct``, which checks everything."""

    _name = "hr.kpi.evaluation.correct"
    _inherit = ["hr.kpi.protected.mixin"]
    # A wizard: its values are checked like any record's; its button is the action.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "Correct a KPI Evaluation Line"

    line_id = fields.Many2one("hr.kpi.evaluation.line", string="Indicator Line", required=True)
    indicator_id = fields.Many2one(related="line_id.indicator_id")
    current_value = fields.Float(related="line_id.actual_value", string="Current Value")
    has_current_value = fields.Boolean(related="line_id.has_actual", string="Has a Value")
    override_active = fields.Boolean(related="line_id.override_active")
    source_summary = fields.Char(related="line_id.source_summary")
    mode = fields.Selection(
        [
            ("value", "Set the value (typed, or an override of the source)"),
            ("facts", "Read the corrected records again"),
            ("release", "Remove the override"),
        ],
        string="Correction",
        required=True,
        default="value",
    )
    value = fields.Float(string="Corrected Value", digits=(16, 4))
    reason = fields.Text(required=True)

    @api.onchange("line_id")
    def _onchange_line_id(self):
        if self.line_id and not self.value:
            self.value = self.line_id.actual_value

    def action_confirm(self):
        self.ensure_one()
        self.line_id.action_correct(
            self.mode, self.reason, self.value if self.mode == "value" else None
        )
        return {"type": "ir.actions.act_window_close"}
