from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import (
    TEAM_REWARD_PCT,
    KpiEngineError,
    check_allocation,
    split_by_coefficients,
    stretch_reached,
    team_reward,
)
from .hr_kpi_number_checks import MONEY, check_numbers
from .kpi_policy import KpiPolicy, kpi_action

REWARD_STATES = [
    ("draft", "Draft"),
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]
SPLIT_METHODS = [
    ("coefficient", "By coefficients"),
    ("manual", "Manager's allocation"),
]
MANAGER_GROUP = "hr_kpi_service.group_kpi_manager"
OFFICER_GROUP = "hr_kpi_service.group_kpi_officer"
# What the request is about: fixed once requested.
REQUEST_FIELDS = (
    "company_id",
    "period_id",
    "pay_period_id",
    "quarter_revenue",
    "stretch_target",
    "share_pct",
    "split_method",
)


class HrKpiTeamReward(models.Model):
    """A team reward (团队奖励) of a quarter.

    Seed 000 浙江和通: reaching the stretch target (力争指标) sets aside 0.3 % of
    the quarter's repair revenue as a team reward, which the service manager
    requests (由服务经理提交申请发放). The manager requests it with the team's
    members, split by their coefficients or by his own allocation (the shares must
    add up to the reward); a KPI officer who is neither the requester nor a member
    approves it; each share is paid as KPI_TEAM on the payslip of the pay month.
    """

    _name = "hr.kpi.team.reward"
    _description = "KPI Team Reward"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    _order = "period_id desc, id desc"
    _check_company_auto = True
    _kpi_policy = KpiPolicy(protected=("state", "amount", "requested_by_id", "approved_by_id"))

    name = fields.Char(required=True, tracking=True, help="E.g. the team or department.")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_id = fields.Many2one(
        "hr.kpi.period",
        string="Quarter",
        required=True,
        check_company=True,
        domain=[("period_type", "=", "quarterly")],
        tracking=True,
    )
    pay_period_id = fields.Many2one(
        "hr.kpi.period",
        string="Paid In",
        required=True,
        check_company=True,
        domain=[("period_type", "=", "monthly")],
        tracking=True,
        help="The month whose payslips pay the shares.",
    )
    quarter_revenue = fields.Monetary(
        string="Quarter Repair Revenue", tracking=True, help="维修收入 of the quarter."
    )
    stretch_target = fields.Monetary(
        tracking=True, help="力争指标: the repair revenue the team's target letter aims at."
    )
    share_pct = fields.Float(
        string="Share (%)", default=TEAM_REWARD_PCT, digits=(16, 4), tracking=True
    )
    split_method = fields.Selection(
        SPLIT_METHODS, required=True, default="coefficient", tracking=True
    )
    reached = fields.Boolean(string="Stretch Target Reached", compute="_compute_reached")
    amount = fields.Monetary(readonly=True, copy=False, tracking=True)
    line_ids = fields.One2many("hr.kpi.team.reward.line", "reward_id", string="Members", copy=True)
    state = fields.Selection(
        REWARD_STATES, default="draft", required=True, tracking=True, index=True, copy=False
    )
    requested_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)

    @api.depends("quarter_revenue", "stretch_target")
    def _compute_reached(self):
        for reward in self:
            reward.reached = stretch_reached(reward.quarter_revenue, reward.stretch_target)

    @api.constrains("quarter_revenue", "stretch_target", "share_pct")
    def _check_figures(self):
        check_numbers(
            self,
            {"quarter_revenue": MONEY, "stretch_target": MONEY, "share_pct": (0.0, 100.0)},
        )

    def write(self, vals):
        if (
            set(REQUEST_FIELDS) & set(vals)
            and self._kpi_protection_applies()
            and any(reward.state != "draft" for reward in self)
        ):
            raise UserError(self.env._("A requested team reward is locked."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if not self.env.su and any(reward.state != "draft" for reward in self):
            raise UserError(self.env._("Only a draft team reward is deleted."))

    def _check_state(self, state):
        if any(reward.state != state for reward in self):
            raise UserError(
                self.env._("%(reward)s is not in the state this step needs.", reward=self[0].name)
            )

    def _engine_error(self, err):
        return UserError(
            self.env._(
                "%(reward)s: %(reason)s",
                reward=self.name,
                reason=self.env._(err.message, **err.params),
            )
        )

    def _shares(self):
        """{line: share} of the reward: by coefficients, or the manager's allocation
        checked to add up to it (the engine decides and rounds)."""
        self.ensure_one()
        rounding = self.currency_id.rounding
        try:
            amount = team_reward(self.quarter_revenue, self.share_pct, rounding=rounding)
            if self.split_method == "coefficient":
                shares = split_by_coefficients(
                    amount, {line: line.coefficient for line in self.line_ids}, rounding=rounding
                )
            else:
                shares = check_allocation(
                    amount, {line: line.allocation for line in self.line_ids}, rounding=rounding
                )
        except KpiEngineError as err:
            raise self._engine_error(err) from err
        return amount, shares

    @kpi_action
    def action_request(self):
        """The manager requests the reward of his team (提交申请)."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a KPI manager requests a team reward."))
        self.check_access("write")
        self._check_state("draft")
        for reward in self:
            if not reward.reached:
                raise UserError(
                    self.env._(
                        "%(reward)s: the quarter's repair revenue has not reached the stretch "
                        "target; there is no team reward.",
                        reward=reward.name,
                    )
                )
            if not reward.line_ids:
                raise UserError(self.env._("%(reward)s has no member.", reward=reward.name))
            amount, shares = reward._shares()
            for line, share in shares.items():
                line.write({"amount": share})
            reward.write(
                {"state": "requested", "amount": amount, "requested_by_id": self.env.user.id}
            )
        return True

    def _check_officer_not_involved(self):
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(self.env._("Only a KPI officer approves or refuses a team reward."))
        self.check_access("write")
        for reward in self:
            if (
                reward.requested_by_id == self.env.user
                or self.env.user in reward.line_ids.employee_id.user_id
            ):
                raise AccessError(
                    self.env._(
                        "%(reward)s: its requester or a member does not decide it.",
                        reward=reward.name,
                    )
                )

    @kpi_action
    def action_approve(self):
        self._check_state("requested")
        self._check_officer_not_involved()
        self.write({"state": "approved", "approved_by_id": self.env.user.id})
        return True

    @kpi_action
    def action_refuse(self):
        self._check_state("requested")
        self._check_officer_not_involved()
        self.write({"state": "refused"})
        return True

    @kpi_action
    def action_reset_to_draft(self):
        """A refused request goes back to its manager, to correct and request again."""
        self._check_state("refused")
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a KPI manager requests a team reward."))
        self.check_access("write")
        self.line_ids.write({"amount": 0.0})
        self.write({"state": "draft", "amount": 0.0, "requested_by_id": False})
        return True

    @api.model
    def _paid_shares(self, employees, periods):
        """{(employee id, pay period id): [(reward name, share)]} of the approved
        rewards (one query; superuser, the payroll bridge checks the payroll group)."""
        lines = (
            self.env["hr.kpi.team.reward.line"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", employees.ids),
                    ("reward_id.state", "=", "approved"),
                    ("reward_id.pay_period_id", "in", periods.ids),
                    ("amount", "!=", 0),
                ],
                order="id",
            )
        )
        res = {}
        for line in lines:
            key = (line.employee_id.id, line.reward_id.pay_period_id.id)
            res.setdefault(key, []).append((line.reward_id.name, line.amount))
        return res
