from odoo import models


class HrPayslipRun(models.Model):
    _inherit = "hr.payslip.run"

    def action_add_kpi_lines(self):
        """Add KPI lines to every payslip of these batches, in one batch.

        Cancelled (rejected) payslips are skipped; done ones, and payslips of an
        employee whose KPI lines another payslip over the same dates holds, are
        refused by hr.payslip.action_add_kpi_lines, which names them: then no
        payslip of the batches gets lines (one check for the whole batch).
        """
        self.env["hr.payslip"]._kpi_check_payroll_rights()
        self.check_access("read")
        slips = self.slip_ids.filtered(lambda slip: slip.state != "cancel")
        return slips.action_add_kpi_lines()
