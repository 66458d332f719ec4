from odoo import api, fields, models

from ..engine import (
    ATTENDANCE_CAP,
    BASE_STARS,
    BY_SCORE,
    BY_SKILL,
    COMMENDATION,
    COMMENDATION_SATISFACTION,
    DOWNGRADE,
    ONE_TIME_AWARD,
    QUOTA,
    REPEAT_DOWNGRADE,
    SATISFACTION,
)
from .hr_kpi_number_checks import COUNT, POINTS, check_numbers
from .hr_kpi_star_level import SCORE_DIGITS, STAR_ROLES

# Labels of the engine's star rules (engine.stars.STAR_RULES).
STAR_RULE_SELECTION = [
    (BY_SCORE, "Score"),
    (BY_SKILL, "Skill test"),
    (ATTENDANCE_CAP, "Attendance cap"),
    (QUOTA, "Five-star quota"),
    (BASE_STARS, "Reviewed star"),
    (COMMENDATION, "Commendation (+1)"),
    (ONE_TIME_AWARD, "Commendation to the top star (one-time award)"),
    (SATISFACTION, "Service satisfaction (+1)"),
    (COMMENDATION_SATISFACTION, "Commendation and satisfaction (+2)"),
    (DOWNGRADE, "Downgrade to 0 stars"),
    (REPEAT_DOWNGRADE, "Repeated offence: 0 stars for 3 months"),
]


# Limits of the numeric fields (shared check: finite, within these bounds).
NUMBER_LIMITS = {
    "skill_score": POINTS,
    "quarter_score": POINTS,
    "attendance_events": COUNT,
    "month_count": COUNT,
    "team_size": COUNT,
}


class HrKpiStarReviewLine(models.Model):
    """One employee's result in a quarterly star review."""

    _name = "hr.kpi.star.review.line"
    _description = "KPI Star Review Line"
    _inherit = ["hr.kpi.number.mixin"]
    _order = "review_id, role, stars desc, quarter_score desc, employee_id"
    _check_company_auto = True

    review_id = fields.Many2one("hr.kpi.star.review", required=True, index=True, ondelete="cascade")
    review_state = fields.Selection(related="review_id.state")
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    period_id = fields.Many2one(related="review_id.period_id", store=True)
    period_date_from = fields.Date(related="review_id.period_date_from", store=True)
    employee_id = fields.Many2one("hr.employee", required=True, index=True, check_company=True)
    department_id = fields.Many2one(related="employee_id.department_id")
    role = fields.Selection(STAR_ROLES, required=True)
    month_count = fields.Integer(string="Scored Months", readonly=True)
    team_size = fields.Integer(
        readonly=True, help="Team lead: the representatives whose mean score is used."
    )
    quarter_score = fields.Float(digits=SCORE_DIGITS, readonly=True)
    attendance_events = fields.Integer(
        readonly=True,
        help="Approved time off overlapping the quarter plus confirmed late arrivals "
        "and early leaves.",
    )
    skill_score = fields.Float(
        string="Skill Test",
        digits=SCORE_DIGITS,
        help="The quarter's skill test result (e.g. typing speed in characters per "
        "minute); run the review again after typing it.",
    )
    stars = fields.Integer(readonly=True)
    star_level_id = fields.Many2one("hr.kpi.star.level", readonly=True)
    rule = fields.Selection(STAR_RULE_SELECTION, readonly=True)
    explanation = fields.Text(readonly=True)
    note = fields.Text()

    _sql_constraints = [
        (
            "review_employee_uniq",
            "unique(review_id, employee_id)",
            "An employee appears once in a star review.",
        ),
    ]

    @api.depends("employee_id.name", "review_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.employee_id.name or ''} · {line.review_id.name or ''}"

    def _check_draft(self):
        self.review_id._check_draft(["line_ids"])

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_draft()
        return lines

    def write(self, vals):
        self._check_draft()
        return super().write(vals)

    def unlink(self):
        self._check_draft()
        return super().unlink()

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
