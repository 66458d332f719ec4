from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import KpiEngineError, score_indicator, weighted_contribution
from .hr_kpi_indicator import RATER_ROLES

SCORE_DIGITS = (16, 4)


class HrKpiEvaluationLine(models.Model):
    """One indicator of an evaluation: its actual value and what it scores.

    Weight and rater role are copied from the indicator at generation, so a
    later change of the scheme never rewrites a past evaluation.
    """

    _name = "hr.kpi.evaluation.line"
    _description = "KPI Evaluation Line"
    _order = "evaluation_id, sequence, id"

    evaluation_id = fields.Many2one(
        "hr.kpi.evaluation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True)
    employee_id = fields.Many2one(related="evaluation_id.employee_id", store=True, index=True)
    state = fields.Selection(related="evaluation_id.state")
    indicator_id = fields.Many2one("hr.kpi.indicator", required=True, ondelete="restrict")
    perspective_id = fields.Many2one(related="indicator_id.perspective_id")
    scoring_method = fields.Selection(related="indicator_id.scoring_method")
    unit = fields.Char(related="indicator_id.unit")
    target = fields.Float(related="indicator_id.target")
    sequence = fields.Integer(default=10)
    weight = fields.Float(string="Weight (%)", digits=(16, 2), readonly=True)
    rater_role = fields.Selection(RATER_ROLES, readonly=True)
    has_actual = fields.Boolean(string="Value Entered")
    actual_value = fields.Float(string="Actual", digits=(16, 4))
    actual_major = fields.Float(string="Major Incidents", digits=(16, 0))
    points = fields.Float(digits=SCORE_DIGITS, readonly=True)
    max_points = fields.Float(digits=SCORE_DIGITS, readonly=True)
    weighted_score = fields.Float(digits=SCORE_DIGITS, readonly=True)
    vetoed = fields.Boolean(readonly=True)

    def write(self, vals):
        self.evaluation_id._check_unlocked(["line_ids"])
        if {"actual_value", "actual_major"} & set(vals) and "has_actual" not in vals:
            vals = dict(vals, has_actual=True)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.evaluation_id._check_unlocked(["line_ids"])
        return lines

    def unlink(self):
        self.evaluation_id._check_unlocked(["line_ids"])
        return super().unlink()

    def _engine_score(self, params_cache):
        """Score this line through the engine, without writing anything.

        :param params_cache: dict indicator id -> engine params, shared by a batch
        :return: (IndicatorScore or None when no value is entered, field values)
        """
        self.ensure_one()
        if not self.has_actual:
            return None, {"points": 0.0, "max_points": 0.0, "weighted_score": 0.0, "vetoed": False}
        indicator = self.indicator_id
        if indicator.id not in params_cache:
            params_cache[indicator.id] = indicator._engine_params()
        actual = self.actual_value
        if indicator.scoring_method == "deduction":
            actual = (actual, self.actual_major or 0)
        try:
            score = score_indicator(indicator.scoring_method, actual, params_cache[indicator.id])
        except KpiEngineError as err:
            raise UserError(
                self.env._(
                    "%(employee)s, %(indicator)s: %(reason)s",
                    employee=self.employee_id.name,
                    indicator=indicator.name,
                    reason=self.env._(err.message, **err.params),
                )
            ) from err
        return score, {
            "points": score.points,
            "max_points": score.max_points,
            "vetoed": score.vetoed,
            "weighted_score": weighted_contribution(score, self.weight),
        }
