"""Which payslip paid back which missed month (seed 000 补发): paid once, in PostgreSQL.

One row per evaluation line paid back by a payslip's KPI_BACK input line: the
month of one indicator that missed its target, achieved later in the quarter or
the year to date (``engine/backpay.py``). The rows are derived from the payslips
holding KPI lines (``hr.payslip._kpi_sync_paid_once``, with the allocations);
nobody writes them by hand (payroll officers read them). The unique constraint on
the evaluation line is what a search cannot be under concurrent transactions: a
month paid back by one payslip is not paid back by another; a refunded or
cancelled payslip frees it.
"""

from odoo import api, fields, models

from .kpi_policy import KpiPolicy


class HrKpiBackPay(models.Model):
    _name = "hr.kpi.back.pay"
    _inherit = ["hr.kpi.protected.mixin"]
    # Derived from the payslips by the system (hr.payslip._kpi_sync_paid_once).
    _kpi_policy = KpiPolicy(system_owned=True, unlink="action")
    _description = "KPI Month Paid Back"
    _order = "paid_month desc, employee_id, month"
    _check_company_auto = True

    payslip_id = fields.Many2one("hr.payslip", required=True, ondelete="cascade", index=True)
    employee_id = fields.Many2one("hr.employee", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    evaluation_line_id = fields.Many2one(
        "hr.kpi.evaluation.line",
        string="Month Paid Back",
        required=True,
        ondelete="restrict",
        help="The indicator's line of the month that missed its target and is paid back.",
    )
    indicator_id = fields.Many2one(related="evaluation_line_id.indicator_id")
    month = fields.Date(
        string="Missed Month", required=True, help="First day of the month paid back."
    )
    paid_month = fields.Date(
        string="Paid In", required=True, help="First day of the month whose payslip pays it."
    )

    _sql_constraints = [
        (
            "evaluation_line_uniq",
            "unique(evaluation_line_id)",
            "A missed month is paid back once: another payslip already pays it back.",
        ),
    ]

    @api.depends("employee_id.name", "indicator_id.name", "month")
    def _compute_display_name(self):
        for row in self:
            row.display_name = self.env._(
                "%(employee)s · %(indicator)s · %(month)s",
                employee=row.employee_id.name or "",
                indicator=row.indicator_id.name or "",
                month=(row.month and row.month.strftime("%Y-%m")) or "",
            )
