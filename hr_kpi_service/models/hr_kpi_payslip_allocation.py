"""Which payslip holds an employee's KPI lines of a month: paid once, in PostgreSQL.

One row per payslip that holds KPI input lines (not cancelled, not a refund, not
refunded; see ``hr.payslip._kpi_is_holder``). The rows are derived from the
payslips by ``hr.payslip._kpi_sync_allocations`` whenever KPI input lines or a
payslip's state, employee or dates change; nobody writes them by hand (users only
read them). Their unique constraints are what a search cannot be under concurrent
transactions:

* one holder per employee and month (the calendar month the payslip's dates
  overlap most, as ``hr.payslip._kpi_months`` maps a payslip to a monthly KPI
  period): two payslips pushed at the same moment end as one success and one
  clean error (RELIABILITY #29, #38);
* an evaluation is paid once: it is the evaluation of at most one holder.
"""

from odoo import fields, models

from .kpi_policy import KpiPolicy


class HrKpiPayslipAllocation(models.Model):
    _name = "hr.kpi.payslip.allocation"
    _inherit = ["hr.kpi.protected.mixin"]
    # Derived from the payslips by the system (hr.payslip._kpi_sync_allocations).
    _kpi_policy = KpiPolicy(system_owned=True, unlink="action")
    _description = "KPI Lines Held by a Payslip"
    _order = "month desc, employee_id"

    payslip_id = fields.Many2one("hr.payslip", required=True, ondelete="cascade", index=True)
    employee_id = fields.Many2one("hr.employee", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    month = fields.Date(
        required=True,
        help="First day of the calendar month the payslip's dates overlap most.",
    )
    evaluation_id = fields.Many2one(
        "hr.kpi.evaluation",
        string="Paid Evaluation",
        ondelete="restrict",
        index="btree_not_null",
        help="The evaluation (of the month, or of the quarter the month ends) whose score "
        "the payslip's KPI lines pay.",
    )

    _sql_constraints = [
        (
            "payslip_uniq",
            "unique(payslip_id)",
            "A payslip holds the KPI lines of one month.",
        ),
        (
            "employee_month_uniq",
            "unique(employee_id, month)",
            "The KPI lines of an employee go to one payslip per month: another payslip "
            "already holds them.",
        ),
        (
            "evaluation_uniq",
            "unique(evaluation_id)",
            "An evaluation is paid once: another payslip already pays it.",
        ),
    ]
