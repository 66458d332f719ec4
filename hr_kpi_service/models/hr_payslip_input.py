from odoo import api, fields, models

from .hr_payslip import COPY_WITHOUT_KPI, KPI_CODES
from .kpi_policy import KpiPolicy


class HrPayslipInput(models.Model):
    """The input lines of a done or cancelled payslip are what was paid (or
    refused): nobody creates, changes or deletes them, the superuser included
    (as the lines of a posted journal entry). Every change of KPI lines updates
    which payslip holds the employee's KPI lines of the month
    (``hr.kpi.payslip.allocation``), where PostgreSQL refuses a second holder."""

    _name = "hr.payslip.input"
    _inherit = ["hr.payslip.input", "hr.kpi.protected.mixin"]
    # The explanation of a KPI input line is written with the line.
    _kpi_policy = KpiPolicy(unlink="free")

    kpi_explanation = fields.Char(
        string="KPI Formula",
        readonly=True,
        copy=True,
        help="How the KPI amount was computed, e.g. 1200 × 85 % = 1020 (written with "
        "the amount by Add KPI lines and the payslip batch).",
    )
    kpi_back_pay_line_ids = fields.Many2many(
        "hr.kpi.evaluation.line",
        "hr_payslip_input_kpi_back_pay_rel",
        "input_id",
        "evaluation_line_id",
        string="Months Paid Back",
        readonly=True,
        copy=True,
        help="KPI_BACK: the indicators' months that missed their target and are paid back "
        "by this line (written with the amount by Add KPI lines and the payslip batch).",
    )

    kpi_standby_consequence_ids = fields.Many2many(
        "hr.kpi.consequence",
        "hr_payslip_input_kpi_standby_rel",
        "input_id",
        "consequence_id",
        string="Standby Decisions Deducted",
        readonly=True,
        copy=True,
        help="KPI_STANDBY: the standby-training decisions whose unpaid days this line "
        "deducts, a month decided after its own payslip included (written with the "
        "amount by Add KPI lines and the payslip batch).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        slip_ids = {vals.get("payslip_id") for vals in vals_list} - {None, False}
        self.env["hr.payslip"].browse(slip_ids)._kpi_check_lines_open()
        lines = super().create(vals_list)
        slips = lines._kpi_lines().payslip_id
        slips._kpi_check_codes_once()
        slips._check_kpi_one_holder()  # names the holder, before the unique constraint
        slips._kpi_sync_allocations()
        return lines

    def write(self, vals):
        slips = self.payslip_id
        if vals.get("payslip_id"):
            slips |= self.env["hr.payslip"].browse(vals["payslip_id"])
        slips._kpi_check_lines_open()
        touched = self if vals.get("code") in KPI_CODES else self._kpi_lines()
        res = super().write(vals)
        if touched:
            slips._kpi_check_codes_once()
            slips._check_kpi_one_holder()
            slips._kpi_sync_allocations()
        return res

    def unlink(self):
        self.payslip_id._kpi_check_lines_open()
        slips = self._kpi_lines().payslip_id
        res = super().unlink()
        slips._kpi_sync_allocations()
        return res

    def copy(self, default=None):
        """OCA copies a payslip's input lines one by one: a copy that is not a
        refund takes no KPI line along."""
        if COPY_WITHOUT_KPI.get():
            return super(HrPayslipInput, self - self._kpi_lines()).copy(default)
        return super().copy(default)

    def _kpi_lines(self):
        return self.filtered(lambda line: line.code in KPI_CODES)
