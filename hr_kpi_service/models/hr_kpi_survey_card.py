from odoo import fields, models

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
    _inherit = ["hr.kpi.shared.config.mixin"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    card_type = fields.Selection(CARD_TYPES, required=True)
    question_ids = fields.One2many(
        "hr.kpi.survey.question", "card_id", string="Questions", copy=True
    )
    note = fields.Text(translate=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The card code must be unique per company.",
        )
    ]

    def init(self):
        self._share_shipped_codes()
