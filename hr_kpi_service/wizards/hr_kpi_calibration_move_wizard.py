from odoo import api, fields, models

from ..models.kpi_policy import KpiPolicy


class HrKpiCalibrationMoveWizard(models.TransientModel):
    """A committee member's move of one result of a draft results sheet."""

    _name = "hr.kpi.calibration.move.wizard"
    _inherit = ["hr.kpi.protected.mixin"]
    # A wizard: its values are checked like any record's; its button is the action.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "Propose a KPI Calibration Move"

    sheet_id = fields.Many2one("hr.kpi.results.sheet", required=True)
    line_id = fields.Many2one(
        "hr.kpi.results.sheet.line",
        string="Result",
        required=True,
        domain="[('sheet_id', '=', sheet_id)]",
    )
    move_type = fields.Selection(
        [("score", "New score (the grade follows)"), ("grade", "New grade")],
        default="score",
        required=True,
    )
    new_score = fields.Float(digits=(16, 2))
    grade_scale_id = fields.Many2one(
        "hr.kpi.grade.scale", compute="_compute_grade_scale_id", compute_sudo=True
    )
    new_grade_id = fields.Many2one(
        "hr.kpi.grade.band", domain="[('scale_id', '=', grade_scale_id)]"
    )
    reason = fields.Text(required=True)

    @api.depends("line_id")
    def _compute_grade_scale_id(self):
        for wizard in self:
            wizard.grade_scale_id = wizard.line_id.evaluation_id.scheme_id.grade_scale_id

    def action_confirm(self):
        self.ensure_one()
        self.sheet_id.action_propose_move(
            self.line_id.sudo().evaluation_id,
            self.reason,
            score=self.new_score if self.move_type == "score" else None,
            grade=self.new_grade_id if self.move_type == "grade" else None,
        )
        return {"type": "ir.actions.act_window_close"}
