from odoo import fields, models

from .kpi_policy import KpiPolicy


class HrKpiDistributionRule(models.Model):
    """A target range of the grade distribution: the grades together hold at most a
    share of the people, and/or at least one person per N (e.g. 优秀 ≤ 10 %; at
    least one 待提升 or below per 20 people)."""

    _name = "hr.kpi.distribution.rule"
    _description = "KPI Grade Distribution Range"
    _order = "committee_id, sequence, id"
    _inherit = ["hr.kpi.protected.mixin"]
    _check_company_auto = True
    _kpi_policy = KpiPolicy(
        unlink="free", fixed=("committee_id",), bounds={"max_pct": (0, 100), "min_per": (0, 100000)}
    )

    committee_id = fields.Many2one(
        "hr.kpi.calibration.committee", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="committee_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    band_ids = fields.Many2many("hr.kpi.grade.band", string="Grades", required=True)
    has_ceiling = fields.Boolean(string="Ceiling")
    max_pct = fields.Float(string="At Most (%)", digits=(5, 2))
    min_per = fields.Integer(
        string="At Least One Per", help="People; 0: no floor (e.g. 20: one per 20 people)."
    )

    def _engine_rule(self):
        self.ensure_one()
        return (
            self.name,
            tuple(self.band_ids.mapped("code")),
            self.max_pct if self.has_ceiling else None,
            self.min_per or None,
        )
