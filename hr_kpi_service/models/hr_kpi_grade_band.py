from odoo import api, fields, models

from .hr_kpi_number_checks import SIGNED_POINTS, check_numbers
from .kpi_policy import KpiPolicy

# Limits of the numeric fields (shared check: finite, within these bounds).
NUMBER_LIMITS = {
    "min_score": SIGNED_POINTS,
}




class HrKpiGradeBand(models.Model):
    """One grade of a scale: from `min_score` (included) up to the next band."""

    _name = "hr.kpi.grade.band"
    _description = "KPI Grade Band"
    _inherit = ["hr.kpi.protected.mixin"]
    _kpi_policy = KpiPolicy(bounds=NUMBER_LIMITS)
    _order = "scale_id, min_score desc, id"

    scale_id = fields.Many2one("hr.kpi.grade.scale", required=True, ondelete="cascade", index=True)
    code = fields.Char(required=True, help="E.g. A, 优, 合格.")
    name = fields.Char(required=True, translate=True)
    min_score = fields.Float(
        string="From Score",
        digits=(16, 2),
        aggregator=None,
        help="Included lower bound of the band.",
    )
    is_bottom = fields.Boolean(string="Lowest Band", help="Everything below the next band up.")
    color = fields.Integer()
    # Consequences (DESIGN §5): what reaching this band suggests to HR.
    is_top = fields.Boolean(
        string="Top Grade",
        help="Three consecutive monthly top grades suggest a promotion; an annual top "
        "grade gives priority for awards and raises.",
    )
    is_low = fields.Boolean(
        string="Low Grade",
        help="Three monthly low grades within six months trigger a demotion warning.",
    )
    annual_demotion = fields.Boolean(
        string="Annual Demotion Review",
        help="An annual result in this band triggers a demotion review.",
    )
    no_raise = fields.Boolean()
    salary_down = fields.Boolean(string="One Salary Grade Down")

    _sql_constraints = [
        ("code_scale_uniq", "unique(scale_id, code)", "Grade codes must be unique in a scale."),
    ]

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
