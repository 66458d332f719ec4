from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kpi_policy import KpiPolicy

ANSWER_LETTERS = "ABCDE"




class HrKpiSurveyAnswer(models.Model):
    """One answer: a letter A–E, worth the question scale's points."""

    _name = "hr.kpi.survey.answer"
    _inherit = ["hr.kpi.protected.mixin"]
    # One answer of a card: the answer is typed, its value follows from the scale.
    _kpi_policy = KpiPolicy(fixed=("survey_id",), unlink="free")
    _description = "KPI Survey Answer"
    _order = "survey_id, question_id"

    survey_id = fields.Many2one("hr.kpi.survey", required=True, ondelete="cascade", index=True)
    question_id = fields.Many2one("hr.kpi.survey.question", required=True, ondelete="restrict")
    answer = fields.Selection([(letter, letter) for letter in ANSWER_LETTERS], required=True)
    value = fields.Float(compute="_compute_value", store=True)
    answer_legend = fields.Char(related="question_id.answer_legend")

    _sql_constraints = [
        (
            "question_uniq",
            "unique(survey_id, question_id)",
            "A question is answered once per card.",
        ),
    ]

    @api.depends("survey_id.display_name", "question_id.name", "answer")
    def _compute_display_name(self):
        for answer in self:
            answer.display_name = self.env._(
                "%(survey)s · %(question)s: %(answer)s",
                survey=answer.survey_id.display_name or "",
                question=answer.question_id.name or "",
                answer=answer.answer or "",
            )

    @api.depends("answer", "question_id.scale")
    def _compute_value(self):
        for answer in self:
            scale = answer.question_id._scale_values() if answer.question_id else ()
            answer.value = (
                scale[ANSWER_LETTERS.index(answer.answer)] if scale and answer.answer else 0.0
            )

    @api.constrains("survey_id", "question_id", "answer")
    def _check_not_about_self(self):
        self.survey_id._check_not_about_self()

    @api.constrains("question_id", "survey_id")
    def _check_question_card(self):
        for answer in self:
            if answer.question_id.card_id != answer.survey_id.card_id:
                raise ValidationError(
                    self.env._(
                        "The question %(question)s is not on the card %(card)s.",
                        question=answer.question_id.name,
                        card=answer.survey_id.card_id.name,
                    )
                )
