from odoo import models
from odoo.exceptions import UserError


class HrPayslipRun(models.Model):
    _inherit = "hr.payslip.run"

    def action_add_kpi_lines(self):
        """Add KPI lines to every payslip of these batches, in one batch.

        Cancelled (rejected) payslips are skipped; done ones, and payslips of an
        employee whose KPI lines another payslip over the same dates holds, are
        refused by hr.payslip.action_add_kpi_lines, which names them: then no
        payslip of the batches gets lines (one check for the whole batch).

        A batch above the background threshold, of a month whose KPI period is
        open, is done in jobs (hr.kpi.job.batch) after the same checks for the
        whole batch; each job adds the lines of its share of the payslips.
        """
        self.env["hr.payslip"]._kpi_check_payroll_rights()
        self.check_access("read")
        slips = self.slip_ids.filtered(lambda slip: slip.state != "cancel")
        period = self._kpi_period()
        if period and self.env["hr.kpi.job.batch"]._use_jobs(len(slips)):
            slips._kpi_check_add_lines()
            return period._kpi_run("payslip_lines", slips)
        return slips.action_add_kpi_lines()

    def action_print_payslips(self):
        """One PDF of the payslips of these batches (OCA payroll's payslip report,
        with the KPI appendix), as the payslip list prints them."""
        self.check_access("read")
        slips = self.slip_ids.sorted(lambda slip: (slip.employee_id.name or "", slip.id))
        if not slips:
            raise UserError(self.env._("This batch has no payslip to print."))
        return self.env.ref("payroll.action_report_payslip").report_action(slips)

    def _kpi_period(self):
        """The open KPI month of this one batch's dates and company, if any."""
        if len(self) != 1:
            return self.env["hr.kpi.period"]
        return self.env["hr.kpi.period"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("period_type", "=", "monthly"),
                ("date_from", "=", self.date_start),
                ("date_to", "=", self.date_end),
                ("state", "=", "open"),
            ],
            limit=1,
        )
