from odoo import fields, models

from .kpi_policy import KpiPolicy

PERFORMANCE_METHODS = [
    ("score", "Base × score"),
    ("table", "Result table (90 / 80 / 70)"),
]
# Seed 000 服务经理 profit pool: position -> company coefficient (3 : 5 : 2).
POOL_POSITIONS = [
    ("service_manager", "Service manager"),
    ("parts", "Parts"),
    ("quality_inspection", "Quality inspection"),
]




class HrContract(models.Model):
    """The per-employee bases of the KPI pay formulas (DESIGN §7).

    The star pay comes from the star review (hr.kpi.star.month); the bases below
    are what the contract itself promises. Percentages live on the company.
    """

    _name = "hr.contract"
    _inherit = ["hr.contract", "hr.kpi.protected.mixin"]
    # The KPI bases of a contract: money, never negative (kpi_values' default).
    _kpi_policy = KpiPolicy(unlink="free")

    kpi_performance_base = fields.Monetary(
        string="Performance Pay Base",
        tracking=True,
        help="Monthly performance pay or commission base, paid as KPI_PERF: base × month "
        "score % (seed 000: 5000 × 95 % = 4750), or base × the result table's bonus %.",
    )
    kpi_performance_method = fields.Selection(
        PERFORMANCE_METHODS,
        string="Performance Pay From",
        default="score",
        required=True,
        help="Base × score: the month score scales the base; below the low-score threshold "
        "part of the performance pay is cut. Result table (seed 003, department manager): "
        "90-100 pays the full base, 80-89 and 70-79 the company's percentages, below 70 "
        "nothing and the fixed pay is cut.",
    )
    kpi_annual_bonus_base = fields.Monetary(
        string="Annual Bonus Base",
        tracking=True,
        help="Paid as KPI_ANNUAL in the payslip holding the end of the KPI year: base × "
        "annual score % (seed 000: 10000 × 110 % = 11000).",
    )
    kpi_reception_staff = fields.Boolean(
        string="Reception Staff",
        help="Seed 000 业务接待: a month score below the company's reception threshold cuts "
        "the commission further (KPI_COMPLAINT).",
    )
    kpi_pool_position = fields.Selection(
        POOL_POSITIONS,
        string="Profit Pool Position",
        help="Seed 000: the holders of these positions share the month's profit pool in "
        "proportion to the company's position coefficients (KPI_POOL).",
    )
