"""The figures of the KPI overview (the client action managers and officers land on).

One call gives every card: evaluations of the current month by status, pending and
overdue ratings, open appeals with their deadlines, the grade distribution by grade
name, department averages against the previous month, and the month's stars. Each
card and each of its segments carries the domain of the list it opens.

Everything is read with the caller's rights (record rules apply, in his allowed
companies), with a fixed number of queries whatever the number of rows."""

from odoo import api, models
from odoo.tools.misc import format_datetime

from .hr_kpi_rating import RATING_OPEN_STATES
from .month_label import month_label

OPEN_APPEALS_SHOWN = 5
CURRENT_MONTH = [("is_latest_period", "=", True), ("period_type", "=", "monthly")]
PREVIOUS_MONTH = [("is_previous_period", "=", True), ("period_type", "=", "monthly")]


class HrKpiEvaluationReport(models.Model):
    _inherit = "hr.kpi.evaluation.report"

    @api.model
    def get_kpi_overview(self):
        """{month, cards: {states, ratings, appeals, grades, departments, stars}}; a
        card the caller may not read is left out."""
        companies = [("company_id", "in", self.env.companies.ids)]
        current = [*CURRENT_MONTH, *companies]
        by_period_state = self._read_group(current, ["period_id", "state"], ["__count"])
        periods = self.env["hr.kpi.period"].browse({p.id for p, _s, _c in by_period_state})
        cards = {
            "states": self._overview_states(by_period_state, periods),
            "grades": self._overview_grades(current, periods),
            "departments": self._overview_departments(companies),
            "stars": self._overview_stars(current),
        }
        if self.env["hr.kpi.rating"].has_access("read"):
            cards["ratings"] = self._overview_ratings(companies)
        if self.env["hr.kpi.appeal"].has_access("read"):
            cards["appeals"] = self._overview_appeals(companies)
        months = sorted({period.date_from for period in periods})
        return {
            "month": " / ".join(month_label(self.env, day) for day in months),
            "cards": cards,
        }

    # ------------------------------------------------------------------
    # Cards
    # ------------------------------------------------------------------
    def _labels(self, model, fname):
        field = self.env[model]._fields[fname]
        return dict(field._description_selection(self.env))

    def _overview_states(self, by_period_state, periods):
        counts = {}
        for _period, state, count in by_period_state:
            counts[state] = counts.get(state, 0) + count
        labels = self._labels("hr.kpi.evaluation", "state")
        order = list(labels)
        states = sorted(counts, key=order.index)
        base = [("period_id", "in", periods.ids)]
        return {
            "title": self.env._("Evaluations by Status"),
            "total": sum(counts.values()),
            "labels": [labels[state] for state in states],
            "values": [counts[state] for state in states],
            "action": self._overview_action(
                self.env._("Evaluations of the Month"), "hr.kpi.evaluation", base
            ),
            "domains": [[*base, ("state", "=", state)] for state in states],
        }

    def _overview_grades(self, current, periods):
        groups = self._read_group(
            [*current, ("grade_band_id", "!=", False)], ["grade_band_id"], ["__count"]
        )
        base = [("period_id", "in", periods.ids), ("grade_band_id", "!=", False)]
        return {
            "title": self.env._("Grade Distribution"),
            "total": sum(count for _grade, count in groups),
            "labels": [grade.display_name for grade, _count in groups],
            "values": [count for _grade, count in groups],
            "action": self._overview_action(
                self.env._("Graded Evaluations of the Month"), "hr.kpi.evaluation", base
            ),
            "domains": [[*base, ("grade_band_id", "=", grade.id)] for grade, _count in groups],
        }

    def _overview_departments(self, companies):
        """Average scores per department, this month and the month before (each the
        mean of that month's scored evaluations of the department)."""
        groups = self._read_group(
            ["|", ("is_latest_period", "=", True), ("is_previous_period", "=", True),
             ("period_type", "=", "monthly"), ("score", "!=", False), *companies],
            ["department_id", "is_latest_period"],
            ["score:avg"],
        )
        departments = groups and self.env["hr.department"].union(*(d for d, _l, _s in groups))
        current = {dep: score for dep, latest, score in groups if latest}
        previous = {dep: score for dep, latest, score in groups if not latest}
        shown = [dep for dep in departments if dep in current]
        base = [*CURRENT_MONTH, *companies]
        return {
            "title": self.env._("Department Averages against the Previous Month"),
            "labels": [dep.display_name or self.env._("No Department") for dep in shown],
            "values": [round(current[dep], 2) for dep in shown],
            "previous": [round(previous[dep], 2) if dep in previous else None for dep in shown],
            "series": [self.env._("This Month"), self.env._("Previous Month")],
            "action": self._overview_action(
                self.env._("Department Averages"), "hr.kpi.evaluation.report", base,
                view="hr_kpi_service_reports.hr_kpi_evaluation_report_view_list_department",
            ),
            "domains": [[*base, ("department_id", "=", dep.id)] for dep in shown],
        }

    def _overview_stars(self, current):
        groups = self._read_group(
            [*current, ("has_stars", "=", True)], ["stars"], ["__count"], order="stars desc"
        )
        base = [*current, ("has_stars", "=", True)]
        return {
            "title": self.env._("Stars of the Month"),
            "total": sum(count for _stars, count in groups),
            "labels": [self.env._("%(stars)s stars", stars=stars) for stars, _count in groups],
            "values": [count for _stars, count in groups],
            "action": self._overview_action(
                self.env._("Stars of the Month"), "hr.kpi.evaluation.report", base
            ),
            "domains": [[*base, ("stars", "=", stars)] for stars, _count in groups],
        }

    def _overview_ratings(self, companies):
        Rating = self.env["hr.kpi.rating"]
        pending = [
            ("state", "!=", "submitted"),
            ("evaluation_id.state", "in", RATING_OPEN_STATES),
            *companies,
        ]
        overdue = [("kpi_overdue", "=", True), *companies]
        view = "hr_kpi_service_reports.hr_kpi_rating_view_list_overdue"
        return {
            "title": self.env._("Ratings"),
            "pending": Rating.search_count(pending),
            "overdue": Rating.search_count(overdue),
            "pending_action": self._overview_action(
                self.env._("Pending Ratings"), "hr.kpi.rating", pending, view=view
            ),
            "overdue_action": self._overview_action(
                self.env._("Ratings Overdue"), "hr.kpi.rating", overdue, view=view
            ),
        }

    def _overview_appeals(self, companies):
        Appeal = self.env["hr.kpi.appeal"]
        domain = [("state", "=", "submitted"), *companies]
        appeals = Appeal.search_fetch(
            domain, ["employee_id", "evaluation_id"], order="create_date, id",
            limit=OPEN_APPEALS_SHOWN,
        )
        appeals.evaluation_id.fetch(["appeal_deadline", "period_id"])
        tz = self.env.context.get("tz") or self.env.user.tz  # the reader's, no seconds
        return {
            "title": self.env._("Open Appeals"),
            "total": Appeal.search_count(domain),
            "items": [
                {
                    "id": appeal.id,
                    "employee": appeal.employee_id.display_name,
                    "period": appeal.evaluation_id.period_id.display_name,
                    "deadline": format_datetime(
                        self.env, appeal.evaluation_id.appeal_deadline, tz=tz, dt_format="short"
                    ),
                }
                for appeal in appeals
            ],
            "action": self._overview_action(
                self.env._("Open Appeals"), "hr.kpi.appeal", domain,
                view="hr_kpi_service_reports.hr_kpi_appeal_view_list_open",
            ),
        }

    def _overview_action(self, name, model, domain, view=None):
        """A window action on `model` showing `domain` (list first, then form)."""
        list_view = self.env.ref(view).id if view else False
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "views": [[list_view, "list"], [False, "form"]],
            "target": "current",
        }
