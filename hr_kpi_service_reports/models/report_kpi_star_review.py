from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.addons.hr_kpi_service.engine import BY_SKILL, REP_MAX_STARS
from odoo.addons.hr_kpi_service.models.hr_kpi_star_level import LEAD, REP

MONTHS_IN_QUARTER = 3


class ReportKpiStarReview(models.AbstractModel):
    """Values of the 季度星级评定表 (quarterly star review sheet): per employee
    the three monthly scores the review read, their mean, the attendance events,
    the skill test against its threshold, the star and the rule that decided it;
    the five-star quota line."""

    _name = "report.hr_kpi_service_reports.report_kpi_star_review"
    _description = "KPI Quarterly Star Review Sheet"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["hr.kpi.star.review"].browse(docids)
        docs.check_access("read")
        docs.line_ids.star_level_id  # noqa: B018 (prefetch the whole job)  # pylint: disable=pointless-statement
        return {
            "doc_ids": docs.ids,
            "doc_model": "hr.kpi.star.review",
            "docs": docs,
            "sheets": {review.id: self._sheet(review) for review in docs},
        }

    def _sheet(self, review):
        quarter = review.period_id
        months = [quarter.date_from + relativedelta(months=i) for i in range(MONTHS_IN_QUARTER)]
        evaluations = self.env["hr.kpi.star.review"]._scored_evaluations(
            review.company_id, quarter.date_from, quarter.date_to
        )
        scores = defaultdict(dict)
        for evaluation in evaluations:
            month = evaluation.period_date_from.replace(day=1)
            scores[evaluation.employee_id.id][month] = evaluation.total_score
        levels = self.env["hr.kpi.star.level"].search([("company_id", "=", review.company_id.id)])
        thresholds = {(level.role, level.stars): level.min_skill for level in levels}
        rows = {REP: [], LEAD: []}
        ordered = review.line_ids.sorted(
            lambda line: (-line.stars, -line.quarter_score, line.employee_id.name)
        )
        for line in ordered:
            # A lead's star comes from his team's mean, not from his own months.
            monthly = [
                scores[line.employee_id.id].get(month) if line.role == REP else None
                for month in months
            ]
            # The threshold the skill test was held against: the next star's for a
            # line stopped by its skill test, else the star given's own.
            stars_for_skill = line.stars + 1 if line.rule == BY_SKILL else line.stars
            rows.setdefault(line.role, []).append(
                {
                    "line": line,
                    "monthly": monthly,
                    "threshold": thresholds.get((line.role, stars_for_skill), 0.0),
                    "full_attendance": line.attendance_events <= review.attendance_limit,
                }
            )
        used = len([row for row in rows[REP] if row["line"].stars == REP_MAX_STARS])
        places = review.five_star_quota
        return {
            "months": months,
            "reps": rows[REP],
            "leads": rows[LEAD],
            "places": places,
            "used": min(used, places) if places else used,
            "lapsed": max(places - used, 0),
        }
