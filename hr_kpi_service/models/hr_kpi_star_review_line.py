from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

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
from .kpi_policy import KpiPolicy, kpi_action

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


# Fields only the review's actions change (hr.kpi.protected.mixin); the skill test
# result is typed through action_set_skill_score (also when typed in the form).
PROTECTED_FIELDS = (
    "review_id",
    "employee_id",
    "role",
    "month_count",
    "team_size",
    "quarter_score",
    "attendance_events",
    "skill_score",
    "stars",
    "star_level_id",
    "rule",
    "explanation",
)


def check_typed_number(records, fname, value):
    """A typed result must be a finite number: refuse text, booleans and lists with
    the field's name instead of the ORM's bare ValueError or TypeError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(
            records.env._(
                "%(field)s must be a finite number (got %(value)s).",
                field=records._fields[fname]._description_string(records.env),
                value=value,
            )
        )


class HrKpiStarReviewLine(models.Model):
    """One employee's result in a quarterly star review."""

    _name = "hr.kpi.star.review.line"
    _description = "KPI Star Review Line"
    _inherit = [ "hr.kpi.protected.mixin"]
    _order = "review_id, role, stars desc, quarter_score desc, employee_id"
    _check_company_auto = True
    _kpi_policy = KpiPolicy(bounds=NUMBER_LIMITS, protected=PROTECTED_FIELDS, unlink="action")

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
        aggregator=None,
        readonly=True, help="Team lead: the representatives whose mean score is used."
    )
    quarter_score = fields.Float(digits=SCORE_DIGITS, readonly=True, aggregator="avg")
    attendance_events = fields.Integer(
        readonly=True,
        help="Approved time off overlapping the quarter plus confirmed late arrivals "
        "and early leaves.",
    )
    skill_score = fields.Float(
        aggregator="avg",
        string="Skill Test",
        digits=SCORE_DIGITS,
        help="The quarter's skill test result (e.g. typing speed in characters per "
        "minute); run the review again after typing it.",
    )
    stars = fields.Integer(readonly=True, aggregator="avg")
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
        # Access rights first: a rep reading his line is told he may not change it,
        # not that he may not read the review behind it.
        self.check_access("write")
        self._check_draft()
        if "skill_score" in vals and self._kpi_protection_applies():
            # Typing the skill test (list or form) goes through its action.
            vals = dict(vals)
            score = vals.pop("skill_score")
            self._kpi_refuse_protected(vals)
            self.action_set_skill_score(score)
            if not vals:
                return True
        return super().write(vals)

    def _kpi_unlink_message(self):
        return self.env._(
            "Star review lines come and go with Run Star Review; they are not deleted one "
            "by one."
        )

    def unlink(self):
        self._check_draft()
        return super().unlink()

    def _check_not_own(self):
        """Four-eyes: nobody types his own skill test result."""
        own = self.filtered(lambda line: line.employee_id.user_id == self.env.user)
        if own:
            raise AccessError(
                self.env._(
                    "%(employee)s: nobody types his own skill test result; another KPI "
                    "officer must.",
                    employee=own[0].employee_id.name,
                )
            )

    @kpi_action
    def action_set_skill_score(self, score):
        """Type the quarter's skill test result (officers, draft reviews, never one's
        own line); Run Star Review then takes it into account."""
        self.check_access("write")
        self.review_id._check_officer()
        self._check_draft()
        self._check_not_own()
        check_typed_number(self, "skill_score", score)
        return self.write({"skill_score": score})

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
