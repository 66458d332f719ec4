from odoo import api, fields, models

from ..engine import LIKERT_SCALES
from .kpi_policy import KpiPolicy
from .survey_legend import answer_legend

QUESTION_SCALES = [
    ("5", "A–E = 5/4/3/2/1"),
    ("10", "A–E = 10/8/6/4/2"),
]




class HrKpiSurveyQuestion(models.Model):
    """One question of a survey card and its answer scale."""

    _name = "hr.kpi.survey.question"
    _inherit = ["hr.kpi.protected.mixin"]
    # A question of a configured survey card.
    _kpi_policy = KpiPolicy(fixed=("card_id",), unlink="free")
    _description = "KPI Survey Question"
    _order = "card_id, sequence, id"

    card_id = fields.Many2one("hr.kpi.survey.card", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Question", required=True, translate=True)
    scale = fields.Selection(QUESTION_SCALES, required=True, default="5")
    answer_legend = fields.Char(
        string="Answer Meanings", compute="_compute_answer_legend", help="What each letter means."
    )

    @api.depends("scale")
    def _compute_answer_legend(self):
        for question in self:
            question.answer_legend = answer_legend(self.env, question.scale)

    def _scale_values(self):
        self.ensure_one()
        return LIKERT_SCALES[self.scale]
