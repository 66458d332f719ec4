from odoo import api, fields, models
from odoo.exceptions import ValidationError

# 工资支付暂行规定 第六条: the records of wage payments are kept two years at least.
LEGAL_PAYROLL_YEARS = 2
MAX_RETENTION_YEARS = 50


class ResCompany(models.Model):
    """Retention of the free text of evaluations (RELIABILITY #40)."""

    _inherit = "res.company"

    kpi_retention_years = fields.Integer(
        string="Anonymise Evaluation Texts After (years)",
        default=5,
        help="A daily job removes the free text of evaluations whose period ended more "
        "than this many years ago (strengths, points to improve, improvement plan, "
        "reopening reason, private note, raters' comments, appeal reasons and decision "
        "notes, and the messages of their chatter); scores, grades, amounts and payslip "
        "links are kept. Default 5 years: beyond the 2 years wage records are kept "
        "(工资支付暂行规定 §6) and the 1-year limit to bring a labour dispute "
        "(劳动争议调解仲裁法 §27), with time for a dispute to run its course.",
    )
    kpi_payroll_retention_years = fields.Integer(
        string="Payroll Records Kept (years)",
        default=LEGAL_PAYROLL_YEARS,
        help="Evaluations paid by a payslip that ended less than this many years ago keep "
        "their texts whatever the setting above (wage records: at least 2 years, "
        "工资支付暂行规定 §6).",
    )

    @api.constrains("kpi_retention_years", "kpi_payroll_retention_years")
    def _check_kpi_retention(self):
        for company in self:
            if not 1 <= company.kpi_retention_years <= MAX_RETENTION_YEARS:
                raise ValidationError(
                    self.env._(
                        "Anonymise Evaluation Texts After: %(value)s years is outside 1 to "
                        "%(maximum)s years.",
                        value=company.kpi_retention_years,
                        maximum=MAX_RETENTION_YEARS,
                    )
                )
            payroll_years = company.kpi_payroll_retention_years
            if not LEGAL_PAYROLL_YEARS <= payroll_years <= MAX_RETENTION_YEARS:
                raise ValidationError(
                    self.env._(
                        "Payroll Records Kept: %(value)s years is outside %(minimum)s (the "
                        "legal minimum for wage records) to %(maximum)s years.",
                        value=payroll_years,
                        minimum=LEGAL_PAYROLL_YEARS,
                        maximum=MAX_RETENTION_YEARS,
                    )
                )
