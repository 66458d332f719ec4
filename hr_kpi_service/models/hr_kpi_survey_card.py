from odoo import api, fields, models

from .hr_kpi_number_checks import check_company_set

CARD_TYPES = [
    ("internal", "Card 1: internal customers"),
    ("external", "Card 2: external questionnaire"),
    ("supervisor", "Card 4: supervisor feedback"),
]


class HrKpiSurveyCard(models.Model):
    """A survey card (公司卡 1, 2, 4 of seed 002): its questions and answer scales."""

    _name = "hr.kpi.survey.card"
    _description = "KPI Survey Card"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    card_type = fields.Selection(CARD_TYPES, required=True)
    question_ids = fields.One2many(
        "hr.kpi.survey.question", "card_id", string="Questions", copy=True
    )
    note = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Empty only on the shipped records, which every company reads and nobody "
        "edits (copy one to change it).",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The card code must be unique per company.",
        )
    ]

    def init(self):
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS hr_kpi_survey_card_shared_code_uniq "
            "ON hr_kpi_survey_card (code) WHERE company_id IS NULL"
        )
        # The shipped records are shared by every company (an upgrade that adds the
        # column gives them the default company).
        self.env.cr.execute(
            "UPDATE hr_kpi_survey_card SET company_id = NULL "
            "WHERE company_id IS NOT NULL AND id IN (SELECT res_id FROM ir_model_data "
            "WHERE module = 'hr_kpi_service' AND model = %s)",
            [self._name],
        )

    @api.constrains("company_id")
    def _check_company_set(self):
        check_company_set(self)

