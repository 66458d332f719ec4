from collections import defaultdict

from odoo import api, models
from odoo.addons.hr_kpi_service.models.hr_kpi_result import AGGREGATED_STATES

from .report_kpi_common import report_lang


class ReportKpiResult(models.AbstractModel):
    """Values of an employee's result sheet (绩效考核评价表, seed 000): an annual
    result with the quarterly results it averages, or a quarterly result with the
    monthly evaluations it averages; the mean, the grade and the consequences
    that followed within the result's dates. Each sheet in its employee's
    language."""

    _name = "report.hr_kpi_service_reports.report_kpi_result"
    _description = "KPI Result Sheet"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["hr.kpi.result"].browse(docids)
        docs.check_access("read")
        annual = docs.filtered(lambda r: r.period_type == "annual")
        quarterly = docs - annual
        Result, Evaluation = self.env["hr.kpi.result"], self.env["hr.kpi.evaluation"]
        sources = defaultdict(list)
        if annual:
            for result in Result.search(
                [
                    ("employee_id", "in", annual.employee_id.ids),
                    ("period_id.parent_id", "in", annual.period_id.ids),
                ],
                order="date_from",
            ):
                sources[(result.employee_id.id, result.period_id.parent_id.id)].append(result)
        if quarterly:
            for evaluation in Evaluation.search(
                [
                    ("employee_id", "in", quarterly.employee_id.ids),
                    ("period_id.parent_id", "in", quarterly.period_id.ids),
                    ("state", "in", AGGREGATED_STATES),
                ],
                order="period_date_from",
            ):
                key = (evaluation.employee_id.id, evaluation.period_id.parent_id.id)
                sources[key].append(evaluation)
        consequences = defaultdict(list)
        # Consequences are HR's (officers): a rep's own sheet prints without them.
        if docs and self.env["hr.kpi.consequence"].has_access("read"):
            for consequence in self.env["hr.kpi.consequence"].search(
                # a dismissed suggestion did not follow
                [("employee_id", "in", docs.employee_id.ids), ("state", "!=", "dismissed")],
                order="create_date, id",
            ):
                consequences[consequence.employee_id.id].append(consequence)
        sheets, langs = {}, {}
        for result in docs:
            langs[result.id] = report_lang(result.employee_id)
            period = result.period_id
            rows = []
            for source in sources.get((result.employee_id.id, period.id), []):
                if source._name == "hr.kpi.result":
                    rows.append(
                        {
                            "period": source.period_id,
                            "score": source.score,
                            "grade": source.grade_band_id,
                            "count": source.source_count,
                        }
                    )
                else:
                    rows.append(
                        {
                            "period": source.period_id,
                            "score": source.total_score,
                            "grade": source.grade_band_id,
                            "count": 1,
                        }
                    )
            followed = [
                consequence
                for consequence in consequences.get(result.employee_id.id, [])
                if result in consequence.result_ids
                or any(
                    period.date_from <= evaluation.period_date_from <= period.date_to
                    for evaluation in consequence.evaluation_ids
                )
                or any(r.period_id.parent_id == period for r in consequence.result_ids)
            ]
            sheets[result.id] = {"rows": rows, "consequences": followed}
        return {
            "doc_ids": docs.ids,
            "doc_model": "hr.kpi.result",
            "docs": docs,
            "sheets": sheets,
            "report_lang": langs,
        }
