from collections import defaultdict

from odoo import api, models
from odoo.addons.hr_kpi_service.models.hr_kpi_evaluation import APPROVED_STATES

from .report_kpi_common import value_digits


class ReportKpiScorecard(models.AbstractModel):
    """Values of the 部门平衡计分卡 (department balanced scorecard), printed from a
    period: one sheet per department and scheme with approved (or later)
    evaluations in the period, the scheme's perspectives and indicators in the
    columns of seed 002 with the period's actual and score, each the average
    over the department's evaluations of that scheme.

    Evaluations are read as the printing user: a manager's sheet averages the
    evaluations his record rules show him.
    """

    _name = "report.hr_kpi_service_reports.report_kpi_scorecard"
    _description = "KPI Department Balanced Scorecard"

    @api.model
    def _get_report_values(self, docids, data=None):
        periods = self.env["hr.kpi.period"].browse(docids)
        periods.check_access("read")
        evaluations = self.env["hr.kpi.evaluation"].search(
            [("period_id", "in", periods.ids), ("state", "in", APPROVED_STATES)],
            order="department_id, scheme_id, id",
        )
        lines = evaluations.line_ids
        lines.indicator_id.perspective_id  # noqa: B018 (prefetch)  # pylint: disable=pointless-statement
        by_card = defaultdict(list)
        for evaluation in evaluations:
            key = (evaluation.period_id.id, evaluation.department_id, evaluation.scheme_id)
            by_card[key].append(evaluation)
        cards = defaultdict(list)
        for (period_id, department, scheme), members in by_card.items():
            cards[period_id].append(self._card(department, scheme, members))
        for period_id in cards:
            cards[period_id].sort(
                key=lambda card: (card["department"].name or "", card["scheme"].name)
            )
        return {
            "doc_ids": periods.ids,
            "doc_model": "hr.kpi.period",
            "docs": periods,
            "cards": cards,
            "kpi_digits": value_digits,
        }

    def _card(self, department, scheme, evaluations):
        actuals, scores, points = defaultdict(list), defaultdict(list), defaultdict(list)
        for evaluation in evaluations:
            for line in evaluation.line_ids:
                indicator = line.indicator_id
                scores[indicator].append(line.weighted_score)
                points[indicator].append(line.points)
                if line.has_actual:
                    actuals[indicator].append(line.actual_value)

        def mean(values):
            return sum(values) / len(values) if values else None

        groups, current = [], None
        for indicator in scheme.indicator_ids.sorted(
            lambda i: (i.perspective_id.sequence, i.perspective_id.id, i.sequence, i.id)
        ):
            if current is None or current["perspective"] != indicator.perspective_id:
                current = {"perspective": indicator.perspective_id, "rows": [], "score": 0.0}
                groups.append(current)
            score = mean(scores.get(indicator, []))
            current["rows"].append(
                {
                    "indicator": indicator,
                    "actual": mean(actuals.get(indicator, [])),
                    "points": mean(points.get(indicator, [])),
                    "score": score,
                }
            )
            current["score"] += score or 0.0
        return {
            "department": department,
            "scheme": scheme,
            "groups": groups,
            "count": len(evaluations),
            "total": mean([evaluation.total_score for evaluation in evaluations]),
        }
