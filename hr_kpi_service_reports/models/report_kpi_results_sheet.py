from odoo import api, models

from .report_kpi_common import printed_time


class ReportKpiResultsSheet(models.AbstractModel):
    """Values of the printed results sheet (《绩效考核结果处理表》, seed 004 第17条):
    the lines as signed and, per level of the chain, who signed and when (the
    approvals of the last submission). In the printing user's language."""

    _name = "report.hr_kpi_service_reports.report_kpi_results_sheet"
    _description = "KPI Results Sheet Print"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["hr.kpi.results.sheet"].browse(docids)
        docs.check_access("read")
        lang = self.env.lang or "en_US"
        signatures = {}
        for sheet in docs:
            signed = {
                signature.level_id.id: signature
                for signature in sheet.signature_ids.sorted("id")
                if signature.round == sheet.round and signature.decision == "approve"
            }
            signatures[sheet.id] = [
                {
                    "level": level.name,
                    "user": signed[level.id].user_id.name if level.id in signed else "",
                    "date": printed_time(self.env, signed[level.id].date, sheet.company_id, lang)
                    if level.id in signed
                    else "",
                }
                for level in sheet.chain_id.level_ids
            ]
        return {
            "doc_ids": docs.ids,
            "doc_model": "hr.kpi.results.sheet",
            "docs": docs,
            "signatures": signatures,
            "drawn_up": {
                sheet.id: printed_time(self.env, sheet.create_date, sheet.company_id, lang)
                for sheet in docs
            },
        }
