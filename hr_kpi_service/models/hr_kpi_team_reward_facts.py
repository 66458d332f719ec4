"""The team reward's figures come from recorded facts (issue 21, seed 000 5.1):

* the quarter's repair revenue: the team's confirmed monthly figures
  (``hr.kpi.team.revenue``), all three months of the quarter;
* the stretch target (力争指标): the stretch of the company's repair revenue
  indicator (``res.company.kpi_team_revenue_code``) in the approved target plan of
  the team's manager (the department's manager) for the quarter.

The requester types neither: both are read when the reward is created, on
"Refresh Figures" and again when it is requested; nobody who confirmed one of the
months requests the reward.
"""

from odoo import models
from odoo.exceptions import AccessError, UserError

from .hr_kpi_target_plan import EFFECTIVE_STATES
from .kpi_policy import kpi_action

MANAGER_GROUP = "hr_kpi_service.group_kpi_manager"


class HrKpiTeamReward(models.Model):
    _inherit = "hr.kpi.team.reward"

    def _stretch_line(self):
        """The line of the manager's approved plan for the quarter that holds the
        stretch target of the repair revenue indicator (superuser: the step reads it
        after its own checks), else an empty recordset."""
        self.ensure_one()
        manager = self.department_id.sudo().manager_id
        code = (self.company_id.kpi_team_revenue_code or "").strip()
        if not (manager and code and self.period_id):
            return self.env["hr.kpi.target.plan.line"]
        return (
            self.env["hr.kpi.target.plan.line"]
            .sudo()
            .search(
                [
                    ("plan_id.employee_id", "=", manager.id),
                    ("plan_id.period_id", "=", self.period_id.id),
                    ("plan_id.state", "in", EFFECTIVE_STATES),
                    ("indicator_id.code", "=", code),
                ],
                limit=1,
            )
        )

    def _refresh_figures(self):
        """Write the quarter's confirmed revenue and the approved stretch target
        (drafts only; a requested reward keeps what it was requested on)."""
        Revenue = self.env["hr.kpi.team.revenue"]
        for reward in self.filtered(lambda r: r.state == "draft"):
            revenue, _records, _missing = Revenue._quarter_revenue(
                reward.department_id, reward.period_id
            )
            line = reward._stretch_line()
            reward.write(
                {
                    "quarter_revenue": revenue,
                    "stretch_target": line.stretch if line else 0.0,
                    "stretch_plan_id": line.plan_id.id if line else False,
                }
            )

    def _check_figures_recorded(self):
        """A reward is requested on the whole quarter's confirmed revenue and an
        approved stretch target, and not by who confirmed the revenue."""
        Revenue = self.env["hr.kpi.team.revenue"]
        for reward in self:
            _revenue, records, missing = Revenue._quarter_revenue(
                reward.department_id, reward.period_id
            )
            if missing:
                raise UserError(
                    self.env._(
                        "%(reward)s: the team's repair revenue of %(months)s is not confirmed "
                        "yet (Team Repair Revenue); HR records and confirms it first.",
                        reward=reward.name,
                        months=", ".join(month.strftime("%Y-%m") for month in missing),
                    )
                )
            if self.env.user in records.confirmed_by_id:
                raise AccessError(
                    self.env._(
                        "%(reward)s: you confirmed the team's repair revenue; another person "
                        "requests the reward.",
                        reward=reward.name,
                    )
                )
            if not reward.stretch_plan_id or not reward.stretch_target:
                raise UserError(
                    self.env._(
                        "%(reward)s: the team's manager has no approved target plan for the "
                        "quarter with a stretch target for the indicator %(code)s.",
                        reward=reward.name,
                        code=reward.company_id.kpi_team_revenue_code or "",
                    )
                )

    @kpi_action
    def action_refresh_figures(self):
        """Read the quarter's confirmed revenue and the approved stretch again."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a KPI manager requests a team reward."))
        self.check_access("write")
        self._check_own_team()
        self._check_state("draft")
        self._refresh_figures()
        return True
