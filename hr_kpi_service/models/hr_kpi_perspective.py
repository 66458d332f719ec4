from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .hr_kpi_number_checks import PERCENT, check_numbers
from .kpi_policy import KpiPolicy

WEIGHT_PRECISION = 2


# Limits of the numeric fields (shared check: finite, within these bounds).
NUMBER_LIMITS = {
    "weight": PERCENT,
}




class HrKpiPerspective(models.Model):
    """A perspective (视角) of a scheme, e.g. 财务 / 客户 / 内部流程 / 创新学习."""

    _name = "hr.kpi.perspective"
    _description = "KPI Perspective"
    _inherit = ["hr.kpi.protected.mixin"]
    _kpi_policy = KpiPolicy(bounds=NUMBER_LIMITS)
    _order = "scheme_id, sequence, id"
    _check_company_auto = True

    scheme_id = fields.Many2one("hr.kpi.scheme", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    weight = fields.Float(string="Weight (%)", digits=(16, 2), required=True)
    indicator_ids = fields.One2many("hr.kpi.indicator", "perspective_id", string="Indicators")
    indicator_weight = fields.Float(
        string="Indicator Weights (%)",
        compute="_compute_indicator_weight",
        digits=(16, 2),
    )

    @api.depends("indicator_ids.weight", "indicator_ids.scoring_method")
    def _compute_indicator_weight(self):
        for perspective in self:
            perspective.indicator_weight = sum(
                perspective.indicator_ids._weighted().mapped("weight")
            )

    @api.constrains("weight", "scheme_id")
    def _check_active_scheme_weights(self):
        self.scheme_id._check_active_weights()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active_scheme(self):
        self.scheme_id._check_not_active()

    def _check_matches_indicators(self):
        for perspective in self:
            if float_compare(
                perspective.weight,
                perspective.indicator_weight,
                precision_digits=WEIGHT_PRECISION,
            ):
                raise ValidationError(
                    self.env._(
                        "Perspective %(name)s weighs %(weight)s %% but its indicators "
                        "add up to %(indicators)s %%.",
                        name=perspective.name,
                        weight=perspective.weight,
                        indicators=perspective.indicator_weight,
                    )
                )

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
