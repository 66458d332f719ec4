from odoo import api, fields, models

from .hr_kpi_number_checks import check_company_set
from .kpi_policy import KpiPolicy


class HrKpiSharedConfigMixin(models.AbstractModel):
    """Configuration that belongs to a company, except the shipped records.

    Grade scales, rater weights, incident types and survey cards: what a user creates
    carries his company; the records shipped in the data files have none, every
    company reads them and nobody edits them (a company copies one to change it).
    """

    _name = "hr.kpi.shared.config.mixin"
    _inherit = ["hr.kpi.protected.mixin"]
    # Configuration (grade scales, rater configurations, incident types, survey
    # cards): changed by whoever may configure; the shipped ones are shared.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "KPI Configuration Shared by the Shipped Records"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Empty only on the shipped records, which every company reads and nobody "
        "edits (copy one to change it).",
    )

    @api.constrains("company_id")
    def _check_company_set(self):
        check_company_set(self)

    def _share_shipped_codes(self):
        """For models whose code drives pay: one shipped (shared) record per code (the
        shipped records are shared again once by migrations/18.0.1.1.0)."""
        self.env.cr.execute(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {self._table}_shared_code_uniq "
            f"ON {self._table} (code) WHERE company_id IS NULL"
        )
