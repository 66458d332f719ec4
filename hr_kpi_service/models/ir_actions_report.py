import functools
import subprocess
from collections import OrderedDict

from odoo import api, models
from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from ..engine.printing import fix_cjk_text_layer, join_html_documents

# OCA payroll's printed payslips: printed in each payslip's language.
PAYSLIP_REPORTS = ("payroll.report_payslip", "payroll.report_payslipdetails")


@functools.cache
def wkhtmltopdf_has_patched_qt():
    """Whether wkhtmltopdf is the upstream build (its --version says "with patched
    qt"), which takes several documents with headers and footers; Debian's does not."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return False
    return "patched qt" in version.lower()


class IrActionsReport(models.Model):
    """A printed payslip speaks its employee's language (``hr.payslip._kpi_lang``):
    its labels, the structure's and rules' names, the dates. Payslips of several
    languages are printed each in its own, in one PDF.

    Every PDF is one wkhtmltopdf document when wkhtmltopdf runs on an unpatched Qt
    (a batch of payslips prints), and its text layer reads 月, not the radical ⽉
    (engine/printing.py)."""

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
            group = super(
                IrActionsReport, self.with_context(lang=lang)
            )._render_qweb_pdf_prepare_streams(report_ref, dict(data or {}), res_ids=ids)
            whole = group.pop(False, None)
            if whole and whole.get("stream"):
                # not split per payslip (one ran over a page): the language's whole
                # PDF prints in the place of its first payslip, none is lost
                group[ids[0]] = whole
            streams.update(group)
        return OrderedDict((res_id, streams[res_id]) for res_id in res_ids if res_id in streams)

    @api.model
    def _render_qweb_html(self, report_ref, docids, data=None):
        by_lang = self._kpi_payslips_by_lang(report_ref, docids)
        if by_lang and len(by_lang) == 1:  # one page: in the language of all its payslips
            self = self.with_context(lang=next(iter(by_lang)))
        return super()._render_qweb_html(report_ref, docids, data=data)

    @api.model
    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        if len(bodies) > 1 and not wkhtmltopdf_has_patched_qt():
            bodies = [join_html_documents(bodies)]
        pdf = super()._run_wkhtmltopdf(
            bodies,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        return fix_cjk_text_layer(pdf)
