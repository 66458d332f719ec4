from collections import OrderedDict

from odoo import api, models

# OCA payroll's printed payslips: printed in each payslip's language.
PAYSLIP_REPORTS = ("payroll.report_payslip", "payroll.report_payslipdetails")


class IrActionsReport(models.Model):
    """A printed payslip speaks its employee's language (``hr.payslip._kpi_lang``):
    its labels, the structure's and rules' names, the dates. Payslips of several
    languages are printed each in its own, in one PDF."""

    _inherit = "ir.actions.report"

    def _kpi_payslips_by_lang(self, report_ref, res_ids):
        """{language: payslip ids} of a payslip report, else None."""
        report = self._get_report(report_ref)
        if report.report_name not in PAYSLIP_REPORTS or not res_ids:
            return None
        slips = self.env["hr.payslip"].browse(res_ids).exists()
        return {lang: group.ids for lang, group in slips._kpi_by_lang().items()} or None

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        by_lang = self._kpi_payslips_by_lang(report_ref, res_ids)
        if not by_lang:
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        streams = {}
        for lang, ids in by_lang.items():
            streams.update(
                super(IrActionsReport, self.with_context(lang=lang))
                ._render_qweb_pdf_prepare_streams(report_ref, dict(data or {}), res_ids=ids)
            )
        return OrderedDict((res_id, streams[res_id]) for res_id in res_ids if res_id in streams)

    @api.model
    def _render_qweb_html(self, report_ref, docids, data=None):
        by_lang = self._kpi_payslips_by_lang(report_ref, docids)
        if by_lang and len(by_lang) == 1:  # one page: in the language of all its payslips
            self = self.with_context(lang=next(iter(by_lang)))
        return super()._render_qweb_html(report_ref, docids, data=data)
