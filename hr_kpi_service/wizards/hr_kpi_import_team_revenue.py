"""Import of team repair revenue (seed 000 目标责任书 5.1: 季度计提维修收入0.3%作为团队奖励):
one row per team and month of the chosen quarter (or month). The rows arrive as
drafts typed by the importer: another KPI officer confirms them before a team
reward reads them (``hr.kpi.team.revenue.action_confirm``)."""

from odoo import models
from odoo.exceptions import AccessError

from ..engine.errors import _lt
from .hr_kpi_import import _fingerprint, _norm

OFFICER = "hr_kpi_service.group_kpi_officer"
NO_MONTH = _lt("No KPI month of %(company)s covers %(date)s: create that month first.")
OUTSIDE_PERIOD = _lt("%(date)s is outside %(period)s, the period you import.")
TEAM_MONTH_ALREADY = _lt(
    "%(team)s already has another repair revenue for %(month)s: correct that record (a "
    "confirmed one is reset to draft first), then import again."
)


class HrKpiImport(models.TransientModel):
    _inherit = "hr.kpi.import"

    def _check_import_rights(self):
        res = super()._check_import_rights()
        if self.import_type == "team_revenue" and not self.env.user.has_group(OFFICER):
            raise AccessError(
                self.env._("Only HR (a KPI officer) imports the teams' repair revenue.")
            )
        return res

    def _prepare_team_revenue(self, run, rows):
        """[values] of the rows: team (a department of the company, by name), the KPI
        month holding the row's date, inside the chosen period; one row per team and
        month; a month recorded with another figure is not overwritten."""
        departments = self._departments([row["department"] for row in rows if row["department"]])
        months = self._team_revenue_months([row["month"] for row in rows if row["month"]])
        period = self.period_id
        vals_list, keyed = [], []
        for row in rows:
            team = self._department(run, row, departments) if row["department"] else None
            month = self._team_revenue_month(run, row, months, period)
            if not (team and month) or row["amount"] is None:
                continue
            note = _norm(row["note"]) or False
            keyed.append((row, (team.id, month.id)))
            vals_list.append(
                {
                    "company_id": self.company_id.id,
                    "department_id": team.id,
                    "period_id": month.id,
                    "amount": row["amount"],
                    "note": note,
                    "import_key": _fingerprint(
                        "team_revenue", self.company_id.id, team.id, month.id, row["amount"], note
                    ),
                    "_row": row,
                }
            )
        run.check_duplicates(keyed, "team_revenue")
        self._check_team_revenue_months(run, vals_list)
        for vals in vals_list:
            vals.pop("_row")
        return vals_list

    def _team_revenue_months(self, dates):
        """The company's KPI months covering `dates` (one search)."""
        if not dates:
            return self.env["hr.kpi.period"]
        return self.env["hr.kpi.period"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("period_type", "=", "monthly"),
                ("date_from", "<=", max(dates)),
                ("date_to", ">=", min(dates)),
            ]
        )

    def _team_revenue_month(self, run, row, months, period):
        day = row["month"]
        if not day:
            return None
        if not period.date_from <= day <= period.date_to:
            run.issue(row, "month", OUTSIDE_PERIOD, date=day, period=period.display_name)
            return None
        month = months.filtered(lambda m: m.date_from <= day <= m.date_to)[:1]
        if not month:
            run.issue(row, "month", NO_MONTH, company=self.company_id.name, date=day)
            return None
        return month

    def _check_team_revenue_months(self, run, vals_list):
        """A team-month already recorded (typed, or imported with another figure) is
        refused, naming the row: it is corrected on its record, never overwritten."""
        existing = self.env["hr.kpi.team.revenue"].search_fetch(
            [
                ("department_id", "in", [vals["department_id"] for vals in vals_list]),
                ("period_id", "in", [vals["period_id"] for vals in vals_list]),
            ],
            ["department_id", "period_id", "import_key"],
        )
        keys = {(r.department_id.id, r.period_id.id): r for r in existing}
        for vals in vals_list:
            record = keys.get((vals["department_id"], vals["period_id"]))
            if record and record.import_key != vals["import_key"]:
                run.issue(
                    vals["_row"],
                    "department",
                    TEAM_MONTH_ALREADY,
                    team=record.department_id.name,
                    month=record.period_id.display_name,
                )
