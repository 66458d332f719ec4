from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import mean_score
from .kpi_policy import KpiPolicy

# Cards mix 5-point and 10-point questions (seed 002, card 2); averages are given on
# the 5-point scale, a 10-point answer counting half.
AVERAGE_SCALE = 5.0




class HrKpiSurvey(models.Model):
    """A filled survey card: who answered, about whom, and the answers."""

    _name = "hr.kpi.survey"
    _inherit = ["hr.kpi.protected.mixin"]
    # A filled survey card: typed or imported; its average is computed.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "KPI Survey"
    _order = "date desc, id desc"
    _check_company_auto = True

    card_id = fields.Many2one("hr.kpi.survey.card", required=True, index=True, check_company=True)
    card_type = fields.Selection(related="card_id.card_type", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    respondent = fields.Char(help="Person or department who filled the card.")
    employee_id = fields.Many2one(
        "hr.employee", string="Evaluated Employee", index=True, check_company=True
    )
    department_id = fields.Many2one(
        "hr.department", string="Evaluated Department", index=True, check_company=True
    )
    answer_ids = fields.One2many("hr.kpi.survey.answer", "survey_id", string="Answers")
    average = fields.Float(
        compute="_compute_average",
        store=True,
        digits=(16, 4),
        aggregator="avg",
        help="Mean of the answers on the 5-point scale (10-point answers are halved).",
    )
    comment = fields.Text(string="Suggestions")
    import_key = fields.Char(index=True, copy=False, readonly=True)

    _sql_constraints = [
        ("import_key_uniq", "unique(import_key)", "This survey row was already imported."),
    ]

    @api.depends("card_id.name", "employee_id.name", "department_id.name", "respondent", "date")
    def _compute_display_name(self):
        for survey in self:
            survey.display_name = self.env._(
                "%(card)s: %(about)s · %(date)s",
                card=survey.card_id.name or self.env._("Survey"),
                about=survey.employee_id.name
                or survey.department_id.name
                or survey.respondent
                or "",
                date=survey.date or "",
            )

    @api.constrains("employee_id")
    def _check_not_about_self(self):
        """Four-eyes: nobody records (or answers) a survey card about himself."""
        if self.env.su:
            return
        own = self.filtered(lambda survey: survey.employee_id.user_id == self.env.user)
        if own:
            raise UserError(
                self.env._(
                    "%(employee)s: nobody records a survey card about himself; another "
                    "KPI manager or officer enters it.",
                    employee=own[0].employee_id.name,
                )
            )

    @api.depends("answer_ids.value", "answer_ids.question_id.scale")
    def _compute_average(self):
        for survey in self:
            values = [
                answer.value * AVERAGE_SCALE / max(answer.question_id._scale_values())
                for answer in survey.answer_ids
            ]
            survey.average = mean_score(values) if values else 0.0

    @api.model
    def _averages(self, employees, date_from, date_to, card_type):
        """{employee id: mean of the cards' averages} for cards about the employee or,
        when there is none, about his department (one query)."""
        surveys = self.search(
            [
                ("card_type", "=", card_type),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                "|",
                ("employee_id", "in", employees.ids),
                ("department_id", "in", employees.department_id.ids),
            ]
        )
        by_employee, by_department = {}, {}
        for survey in surveys:
            if survey.employee_id:
                by_employee.setdefault(survey.employee_id.id, []).append(survey.average)
            elif survey.department_id:
                by_department.setdefault(survey.department_id.id, []).append(survey.average)
        result = {}
        for employee in employees:
            values = by_employee.get(employee.id) or by_department.get(employee.department_id.id)
            if values:
                result[employee.id] = round(sum(values) / len(values), 4)
        return result
