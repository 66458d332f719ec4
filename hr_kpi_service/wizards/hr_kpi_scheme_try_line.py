from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import IndicatorScore, weighted_contribution
from ..models.kpi_policy import KpiPolicy


class HrKpiSchemeTryLine(models.TransientModel):
    """One indicator of the try wizard: a sample actual and what the engine makes of it."""

    _name = "hr.kpi.scheme.try.line"
    _inherit = ["hr.kpi.protected.mixin"]
    # A wizard: its values are checked like any record's; its buttons are the actions.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "Try a KPI Scheme: Sample Value"
    _order = "sequence, id"

    wizard_id = fields.Many2one("hr.kpi.scheme.try", required=True, ondelete="cascade")
    indicator_id = fields.Many2one("hr.kpi.indicator", required=True, readonly=True)
    sequence = fields.Integer(related="indicator_id.sequence")
    perspective_id = fields.Many2one(related="indicator_id.perspective_id")
    scoring_method = fields.Selection(related="indicator_id.scoring_method")
    weight = fields.Float(related="indicator_id.weight")
    target = fields.Float(related="indicator_id.target")
    unit = fields.Char(related="indicator_id.unit")
    has_actual = fields.Boolean(string="Entered")
    actual = fields.Float(string="Actual Value", digits=(16, 4))
    actual_major = fields.Float(string="Major Incidents", digits=(16, 0))
    points = fields.Float(compute="_compute_points", digits=(16, 4))
    max_points = fields.Float(compute="_compute_points", digits=(16, 4))
    weighted_score = fields.Float(compute="_compute_points", digits=(16, 4))
    vetoed = fields.Boolean(compute="_compute_points")
    error = fields.Char(compute="_compute_points")

    @api.onchange("actual", "actual_major")
    def _onchange_actual(self):
        # UI nudge only: typing a value marks the line as entered.
        self.has_actual = True

    @api.depends("actual", "actual_major", "has_actual", "indicator_id")
    def _compute_points(self):
        for line in self:
            line.points = line.max_points = line.weighted_score = 0.0
            line.vetoed = False
            line.error = False
            if not line.has_actual:
                continue
            try:
                score = line.indicator_id._score(line.actual, line.actual_major)
            except ValidationError as err:
                line.error = err.args[0]
                continue
            line.points = score.points
            line.max_points = score.max_points
            line.vetoed = score.vetoed
            line.weighted_score = weighted_contribution(score, line.indicator_id.weight)

    def _engine_score(self):
        self.ensure_one()
        return IndicatorScore(
            points=self.points,
            max_points=self.max_points,
            vetoed=self.vetoed,
            from_total=self.scoring_method == "penalty",
        )
