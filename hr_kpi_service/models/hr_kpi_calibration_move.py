from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .kpi_policy import KpiPolicy, kpi_action, kpi_action_scope

MOVE_STATES = [("proposed", "Proposed"), ("confirmed", "Confirmed"), ("refused", "Refused")]


class HrKpiCalibrationMove(models.Model):
    """A committee member moves an employee's grade or score on a results sheet,
    with a reason; another member confirms it (four-eyes), and only then does the
    result change. Before and after stay on the move."""

    _name = "hr.kpi.calibration.move"
    _description = "KPI Calibration Move"
    _order = "sheet_id, id"
    _rec_name = "employee_name"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    _check_company_auto = True
    _kpi_policy = KpiPolicy(
        protected=(
            "sheet_id",
            "evaluation_id",
            "employee_name",
            "score_before",
            "score_after",
            "grade_before_id",
            "grade_after_id",
            "reason",
            "state",
            "proposed_by_id",
            "confirmed_by_id",
            "decided_date",
        ),
        unlink="action",
        action_scope=("hr.kpi.evaluation", "hr.kpi.results.sheet.line", "hr.kpi.consequence"),
    )

    sheet_id = fields.Many2one(
        "hr.kpi.results.sheet", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="sheet_id.company_id", store=True, index=True)
    evaluation_id = fields.Many2one("hr.kpi.evaluation", required=True, ondelete="cascade")
    employee_name = fields.Char(string="Employee", readonly=True)
    score_before = fields.Float(digits=(16, 2), readonly=True)
    score_after = fields.Float(digits=(16, 2), readonly=True)
    grade_before_id = fields.Many2one("hr.kpi.grade.band", readonly=True)
    grade_after_id = fields.Many2one("hr.kpi.grade.band", readonly=True)
    reason = fields.Text(readonly=True)
    state = fields.Selection(MOVE_STATES, default="proposed", readonly=True, tracking=True)
    proposed_by_id = fields.Many2one("res.users", readonly=True)
    confirmed_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    decided_date = fields.Datetime(readonly=True)

    def _check_decider(self):
        self.ensure_one()
        sheet = self.sheet_id
        sheet._check_committee_member()
        if self.state != "proposed":
            raise UserError(self.env._("This move was already decided."))
        if sheet.state != "draft":
            raise UserError(
                self.env._("Moves are decided while the sheet is a draft (before sign-off).")
            )
        if self.proposed_by_id == self.env.user:
            raise AccessError(
                self.env._("Another member of the committee confirms your move (four-eyes).")
            )

    @kpi_action
    def action_confirm(self):
        """Another member confirms: the evaluation takes the new score and grade."""
        for move in self:
            move._check_decider()
            move.write(
                {
                    "state": "confirmed",
                    "confirmed_by_id": self.env.uid,
                    "decided_date": fields.Datetime.now(),
                }
            )
            # the calibrated result is the committee's: written after the checks above,
            # whatever the member's rights on the evaluation itself
            evaluation = move.evaluation_id.sudo()
            with kpi_action_scope(evaluation):
                evaluation.write(
                    {"total_score": move.score_after, "grade_band_id": move.grade_after_id.id}
                )
                evaluation.message_post(
                    body=self.env._(
                        "Calibrated by the committee: %(before)s (%(grade_before)s) → "
                        "%(after)s (%(grade_after)s). %(reason)s",
                        before=round(move.score_before, 2),
                        grade_before=move.grade_before_id.name or "-",
                        after=round(move.score_after, 2),
                        grade_after=move.grade_after_id.name or "-",
                        reason=move.reason,
                    )
                )
            move._follow_new_result()
        return True

    def _follow_new_result(self):
        """After a confirmed move: the period is ranked again through its own ranking
        step, so the ranks, the 末位 proposals and the lines of the draft sheets of the
        department follow the calibrated score (inside the confirming action)."""
        self.ensure_one()
        evaluation = self.evaluation_id.sudo()
        # ranks are derived from the scores the committee just decided
        with kpi_action_scope(evaluation):
            evaluation._compute_rankings()
        peers = evaluation.search(
            [
                ("period_id", "=", evaluation.period_id.id),
                ("department_id", "=", evaluation.department_id.id),
                ("state", "!=", "draft"),
            ]
        )
        self.env["hr.kpi.consequence"]._follow_calibrated_ranks(peers, self)
        sheets = self.sheet_id | self.sheet_id.sudo().search(
            [
                ("period_id", "=", evaluation.period_id.id),
                ("department_id", "=", evaluation.department_id.id),
                ("state", "=", "draft"),
            ]
        )
        sheets._refresh_lines()

    @kpi_action
    def action_refuse(self):
        for move in self:
            move._check_decider()
            move.write(
                {
                    "state": "refused",
                    "confirmed_by_id": self.env.uid,
                    "decided_date": fields.Datetime.now(),
                }
            )
        return True
