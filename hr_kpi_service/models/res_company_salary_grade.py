from odoo import api, fields, models

from ..engine import SALARY_GRADE_PCT
from .hr_kpi_number_checks import MONEY, PERCENT, check_numbers


class ResCompany(models.Model):
    """How large one salary grade is (seed 004: 考核结果为差的下调一级工资; the seed
    does not say): a wage step of the company, else a percentage of the wage."""

    _inherit = "res.company"

    kpi_salary_grade_step = fields.Monetary(
        string="Salary Grade Step",
        currency_field="currency_id",
        help="One salary grade down lowers the contract wage by this amount (a 差 result, "
        "seed 004). Empty: by the percentage below.",
    )
    kpi_salary_grade_pct = fields.Float(
        string="Salary Grade (%)",
        default=SALARY_GRADE_PCT,
        digits=(16, 2),
        help="Without a wage step, one salary grade down lowers the contract wage by this "
        "share of it (default 5 %).",
    )

    @api.constrains("kpi_salary_grade_step", "kpi_salary_grade_pct")
    def _check_kpi_salary_grade(self):
        check_numbers(self, {"kpi_salary_grade_step": MONEY, "kpi_salary_grade_pct": PERCENT})
