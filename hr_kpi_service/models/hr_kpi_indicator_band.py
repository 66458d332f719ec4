from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .hr_kpi_number_checks import SIGNED_VALUE, check_numbers
from .kpi_policy import KpiPolicy

# Limits of the numeric fields (shared check: finite, within these bounds).
NUMBER_LIMITS = {
    "lower": SIGNED_VALUE,
    "upper": SIGNED_VALUE,
    "value": SIGNED_VALUE,
}




class HrKpiIndicatorBand(models.Model):
    """One band [lower, upper) of a threshold-band indicator and its deduction."""

    _name = "hr.kpi.indicator.band"
    _description = "KPI Indicator Band"
    _inherit = ["hr.kpi.protected.mixin"]
    _kpi_policy = KpiPolicy(bounds=NUMBER_LIMITS)
    _order = "indicator_id, sequence, lower, id"

    indicator_id = fields.Many2one(
        "hr.kpi.indicator", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="indicator_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    no_lower = fields.Boolean(string="No Lower Limit")
    lower = fields.Float(string="From (included)", digits=(16, 4), aggregator=None)
    no_upper = fields.Boolean(string="No Upper Limit")
    upper = fields.Float(string="To (excluded)", digits=(16, 4), aggregator=None)
    value = fields.Float(
        aggregator=None,
        string="Deduction",
        digits=(16, 4),
        help="Points deducted for a value in this band.",
    )
    display_range = fields.Char(string="Range", compute="_compute_display_range")

    @api.depends("no_lower", "lower", "no_upper", "upper")
    def _compute_display_range(self):
        for band in self:
            lower = "-∞" if band.no_lower else f"{band.lower:g}"
            upper = "+∞" if band.no_upper else f"{band.upper:g}"
            band.display_range = f"[{lower}, {upper})"

    @api.depends("indicator_id.name", "display_range")
    def _compute_display_name(self):
        for band in self:
            band.display_name = self.env._(
                "%(indicator)s: %(range)s",
                indicator=band.indicator_id.name or "",
                range=band.display_range,
            )

    @api.constrains("lower", "upper", "no_lower", "no_upper")
    def _check_range(self):
        for band in self:
            if not band.no_lower and not band.no_upper and band.lower >= band.upper:
                raise ValidationError(
                    self.env._(
                        "Band %(range)s: the lower limit must be below the upper limit.",
                        range=band.display_range,
                    )
                )

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
