import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, mute_logger

from ..engine import (
    TEAM_REWARD_PCT,
    KpiEngineError,
    check_allocation,
    check_team_reward_month,
    split_by_coefficients,
    stretch_reached,
    team_reward,
)
from .hr_kpi_number_checks import MONEY, check_numbers
from .kpi_policy import KpiPolicy, kpi_action, kpi_action_scope

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
# Whose reward of which quarter: fixed when the reward is created (RELIABILITY #43).
FIXED_AT_CREATION = ("company_id", "department_id", "period_id")
# One reward per team and quarter (refused ones aside), in PostgreSQL.
UNIQUE_INDEX = "hr_kpi_team_reward_one_per_team_quarter"
# What the request is about: fixed once requested.
REQUEST_FIELDS = (
    *FIXED_AT_CREATION,
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

    The team is a department (the service manager's 售后服务部), a real link fixed
    at creation with the quarter; one reward per team and quarter (a unique index;
    a refused one may be requested again); the share is the company's setting,
    read and frozen when the reward is requested (RELIABILITY #43).
    """

    _name = "hr.kpi.team.reward"
    _description = "KPI Team Reward"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    _order = "period_id desc, id desc"
    _check_company_auto = True
    _kpi_policy = KpiPolicy(
        # the figures come from the recorded facts (the team's confirmed repair revenue,
        # its manager's approved target plan), never typed (issue 21)
        protected=(
            "state",
            "amount",
            "share_pct",
            "requested_by_id",
            "approved_by_id",
            "quarter_revenue",
            "stretch_target",
            "stretch_plan_id",
        ),
        # whose reward of which quarter (RELIABILITY #43)
        fixed=FIXED_AT_CREATION,
        # what the request is about: fixed once requested
        locked_when=("state", ("requested", "approved", "refused")),
        locked_fields=REQUEST_FIELDS,
        unlink="unlocked",
        action_scope=("hr.kpi.team.reward.line",),
    )

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        help="The team and quarter unless you name it otherwise.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Team",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="The department whose team earns the reward (one reward per team and "
        "quarter); fixed once the reward is created. Its members belong to it.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_id = fields.Many2one(
        "hr.kpi.period",
        string="Quarter",
        required=True,
        check_company=True,
        index=True,
        domain=[("period_type", "=", "quarterly")],
        tracking=True,
        help="Fixed once the reward is created.",
    )
    pay_period_id = fields.Many2one(
        "hr.kpi.period",
        string="Paid In",
        required=True,
        check_company=True,
        domain=[("period_type", "=", "monthly")],
        tracking=True,
        help="The month whose payslips pay the shares: a month after the quarter.",
    )
    quarter_revenue = fields.Monetary(
        string="Quarter Repair Revenue",
        readonly=True,
        copy=False,
        tracking=True,
        help="维修收入 of the quarter: the team's confirmed monthly repair revenue (Team "
        "Repair Revenue, typed or imported by HR and confirmed by another officer), summed. "
        "Read again when the reward is requested, then kept.",
    )
    stretch_target = fields.Monetary(
        readonly=True,
        copy=False,
        tracking=True,
        help="力争指标: the stretch target of the repair revenue indicator (the company's "
        "Team Revenue Indicator code) in the approved target plan of the team's manager "
        "for the quarter. Read again when the reward is requested, then kept.",
    )
    stretch_plan_id = fields.Many2one(
        "hr.kpi.target.plan",
        string="Stretch From",
        readonly=True,
        copy=False,
        help="The approved target plan the stretch target comes from.",
    )
    share_pct = fields.Float(
        string="Share (%)",
        default=lambda self: self.env.company.kpi_team_reward_pct,
        digits=(16, 4),
        readonly=True,
        copy=False,
        tracking=True,
        help="The company's team reward share (Performance settings; seed 000: "
        f"{TEAM_REWARD_PCT} %), taken when the reward is requested and kept.",
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

    def init(self):
        # One reward per team and quarter, held by PostgreSQL also under concurrent
        # requests; a refused reward does not count (it may be requested again).
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS %s
                ON hr_kpi_team_reward (department_id, period_id) WHERE state != 'refused'
                """,
                SQL.identifier(UNIQUE_INDEX),
            )
        )

    @api.depends("department_id", "period_id")
    def _compute_name(self):
        for reward in self:
            if not reward.name and reward.department_id and reward.period_id:
                reward.name = f"{reward.department_id.name} · {reward.period_id.name}"

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

    @api.constrains("period_id", "pay_period_id")
    def _check_periods(self):
        """A quarter, paid in a month after it (DESIGN §15)."""
        for reward in self:
            if reward.period_id.period_type != "quarterly":
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(period)s is not a quarter.",
                        field=self._fields["period_id"]._description_string(self.env),
                        period=reward.period_id.display_name,
                    )
                )
            if reward.pay_period_id.period_type != "monthly":
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(period)s is not a month.",
                        field=self._fields["pay_period_id"]._description_string(self.env),
                        period=reward.pay_period_id.display_name,
                    )
                )
            try:
                check_team_reward_month(reward.period_id.date_to, reward.pay_period_id.date_from)
            except KpiEngineError as err:
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(reason)s",
                        field=self._fields["pay_period_id"]._description_string(self.env),
                        reason=self.env._(err.message, **err.params),
                    )
                ) from err

    # ------------------------------------------------------------------
    # The team: a manager's own, one reward per quarter
    # ------------------------------------------------------------------
    @api.model
    def _manager_team_domain(self):
        """The departments a KPI manager acts for: those he manages, and his own
        department(s) with their sub-departments (the record rules say the same)."""
        user = self.env.user
        return [
            "|",
            ("manager_id.user_id", "=", user.id),
            ("id", "child_of", user.employee_ids.department_id.ids),
        ]

    def _check_own_team(self):
        """A manager acts on the rewards of his own team only; an officer on all
        those of his companies (the record rules hold it; this says it in words)."""
        self._check_own_teams(self.department_id)

    @api.model
    def _check_own_teams(self, departments):
        if self.env.su or self.env.user.has_group(OFFICER_GROUP):
            return
        foreign = departments - departments.search(
            [("id", "in", departments.ids), *self._manager_team_domain()]
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "%(field)s: %(team)s is not your team; a KPI manager acts on the "
                    "rewards of the department he manages or belongs to.",
                    field=self._fields["department_id"]._description_string(self.env),
                    team=", ".join(foreign.sudo().mapped("display_name")),
                )
            )

    def _one_per_team_quarter(self, operation, departments):
        """Run `operation` (an insert or a state change) and turn a violation of the
        unique index into a clean, translated error (the index decides, also when
        the other reward was saved at the same moment by another transaction)."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                result = operation()
                self.env.flush_all()
        except psycopg2.errors.UniqueViolation as err:
            if err.diag.constraint_name != UNIQUE_INDEX:
                raise
            raise ValidationError(
                self.env._(
                    "A team has one reward per quarter: %(team)s already has one for this "
                    "quarter (perhaps saved at the same moment). Open it, or have it "
                    "refused first.",
                    team=", ".join(departments.sudo().mapped("display_name")),
                )
            ) from err
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._kpi_check_values(vals)
            if "name" in vals and not vals["name"]:
                del vals["name"]  # named after the team and quarter
        departments = self.env["hr.department"].browse(
            {
                vals["department_id"]
                for vals in vals_list
                if vals.get("department_id")
            }
        )
        if departments != departments.exists():
            raise ValidationError(
                self.env._(
                    "%(field)s: the team chosen does not exist (any more).",
                    field=self._fields["department_id"]._description_string(self.env),
                )
            )
        # in words before the insert; the record rules check it again after it
        self._check_own_teams(departments)
        rewards = self._one_per_team_quarter(
            lambda: super(HrKpiTeamReward, self).create(vals_list), departments
        )
        with kpi_action_scope(rewards):  # the figures the facts give, nothing typed
            rewards._refresh_figures()
        return rewards

    def write(self, vals):
        if "name" in vals and not vals["name"]:
            raise UserError(
                self.env._(
                    "%(field)s of a team reward cannot be empty.",
                    field=self._fields["name"]._description_string(self.env),
                )
            )
        return super().write(vals)

    def _kpi_locked_message(self, locked, fnames):
        if not fnames:
            return self.env._("Only a draft team reward is deleted.")
        return self.env._("A requested team reward is locked.")

    def _check_state(self, state):
        elsewhere = self.filtered(lambda reward: reward.state != state)
        if elsewhere:
            raise UserError(
                self.env._(
                    "%(reward)s is not in the state this step needs.", reward=elsewhere[0].name
                )
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

    def _lock_rows(self):
        """Lock the rewards' rows until the transaction ends and read them again: two
        decisions on one reward run one after the other, and the second sees the
        first's state (a reward changed by a transaction that committed since this
        one started ends in a serialization failure, which the request layer retries;
        the retry then sees the new state). Expected, so not logged as an error."""
        if self.ids:
            self.env.cr.execute(
                "SELECT id FROM hr_kpi_team_reward WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                [tuple(self.ids)],
                log_exceptions=False,
            )
            self.invalidate_recordset()
            self.line_ids.invalidate_recordset()

    @kpi_action
    def action_request(self):
        """The manager of the team requests its reward (提交申请), at the company's
        share in force now, which the reward keeps."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a KPI manager requests a team reward."))
        self.check_access("write")
        self._check_own_team()
        self._lock_rows()
        self._check_state("draft")
        self._refresh_figures()
        self._check_figures_recorded()
        for reward in self:
            # the quarter's revenue is known once it has ended (issue 20)
            reward.period_id._check_quarter_ended(self.env._("Team Reward"))
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
            reward.share_pct = reward.company_id.kpi_team_reward_pct
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
        self._check_officer_not_involved()
        self._lock_rows()
        self._check_state("requested")
        for reward in self:
            reward.period_id._check_quarter_ended(self.env._("Team Reward"))
        self.write({"state": "approved", "approved_by_id": self.env.user.id})
        return True

    @kpi_action
    def action_refuse(self):
        self._check_officer_not_involved()
        self._lock_rows()
        self._check_state("requested")
        self.write({"state": "refused"})
        return True

    @kpi_action
    def action_reset_to_draft(self):
        """A refused request goes back to its manager, to correct and request again
        (unless the team has another reward for the quarter by now)."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a KPI manager requests a team reward."))
        self.check_access("write")
        self._check_own_team()
        self._lock_rows()
        self._check_state("refused")

        def reset():
            self.line_ids.write({"amount": 0.0})
            self.write({"state": "draft", "amount": 0.0, "requested_by_id": False})

        self._one_per_team_quarter(reset, self.department_id)
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
