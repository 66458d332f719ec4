from odoo import api, fields, models


class HrPayslipLine(models.Model):
    """The computed lines of a done or cancelled payslip are what was paid:
    nobody creates, changes or deletes them (OCA lets payroll officers edit
    payslip lines); a refund copies them onto its own, new payslip."""

    _inherit = "hr.payslip.line"

    # OCA's refund copies every line of the payslip onto the refund; a line's copy
    # would also copy its child lines (copy=True, inherited from the salary rule)
    # onto the refunded, done payslip (OCA's test_payslip_flow): children are
    # copied by that loop already, once.
    child_ids = fields.One2many(copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        slip_ids = {vals.get("slip_id") for vals in vals_list} - {None, False}
        self.env["hr.payslip"].browse(slip_ids)._kpi_check_lines_open()
        return super().create(vals_list)

    def write(self, vals):
        slips = self.slip_id
        if vals.get("slip_id"):
            slips |= self.env["hr.payslip"].browse(vals["slip_id"])
        slips._kpi_check_lines_open()
        return super().write(vals)

    def unlink(self):
        self.slip_id._kpi_check_lines_open()
        return super().unlink()
