"""Which payslip deducted which standby-training decision (seed 004 待岗培训): once,
in PostgreSQL.

One row per bottom-rank decision whose unpaid standby days a payslip's
KPI_STANDBY line deducts: the payslip of the standby month, or, when HR decided
after that month's payslip was done, the employee's next payslip holding KPI
lines (``hr.kpi.consequence._standby_decisions``). The rows are derived from the
payslips holding KPI lines (``hr.payslip._kpi_sync_paid_once``, with the
allocations); nobody writes them by hand (payroll officers read them). The unique
constraint on the decision is what a search cannot be under concurrent
transactions: a decision deducted by one payslip is not deducted by another; a
refunded or cancelled payslip frees it.
"""

from odoo import api, fields, models

from .kpi_policy import KpiPolicy


class HrKpiStandbyDeduction(models.Model):
    _name = "hr.kpi.standby.deduction"
    _inherit = ["hr.kpi.protected.mixin"]
    # Derived from the payslips by the system (hr.payslip._kpi_sync_paid_once).
    _kpi_policy = KpiPolicy(system_owned=True, unlink="action")
    _description = "KPI Standby Days Deducted"
    _order = "paid_month desc, employee_id, month"
    _check_company_auto = True

    payslip_id = fields.Many2one("hr.payslip", required=True, ondelete="cascade", index=True)
    employee_id = fields.Many2one("hr.employee", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    consequence_id = fields.Many2one(
        "hr.kpi.consequence",
        string="Standby Decision",
        required=True,
        ondelete="restrict",
        help="The bottom-rank decision whose standby-training days are deducted.",
    )
    days = fields.Integer(string="Standby Training Days", required=True)
    month = fields.Date(
        string="Standby Month", required=True, help="First day of the month of the standby days."
    )
    paid_month = fields.Date(
        string="Deducted In",
        required=True,
        help="First day of the month whose payslip deducts them.",
    )

    _sql_constraints = [
        (
            "consequence_uniq",
            "unique(consequence_id)",
            "Standby days are deducted once: another payslip already deducts them.",
        ),
    ]

    @api.depends("employee_id.name", "month", "days")
    def _compute_display_name(self):
        for row in self:
            row.display_name = self.env._(
                "%(employee)s · %(month)s · %(days)s day(s)",
                employee=row.employee_id.name or "",
                month=(row.month and row.month.strftime("%Y-%m")) or "",
                days=row.days,
            )
