"""The quarter's team reward (seed 000 浙江和通: 达成力争指标, 季度计提维修收入0.3%作为
团队奖励, 由服务经理提交申请发放; issue 14) as the real users: the manager requests
it, an officer who is neither the requester nor a member approves it, and each
share is paid as KPI_TEAM."""

from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_MANAGER, XmlRpcMixin
from .team_reward_facts import record_team_facts
from .test_kpi_payroll import PayrollCase


@tagged("post_install", "-at_install")
class TeamRewardCase(PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.boss = cls._employee("服务经理")
        cls.boss.user_id = cls.manager
        cls.first, cls.first_contract = cls._staff("服务顾问甲", cls.job_rep, 3000)
        cls.second, cls.second_contract = cls._staff("服务顾问乙", cls.job_rep, 3000)
        (cls.first | cls.second).parent_id = cls.boss
        cls.department.manager_id = cls.boss
        cls.quarter = cls.env["hr.kpi.period"]._get_or_create(
            date(2026, 8, 5), "quarterly", cls.company
        )

    def _reward(
        self,
        revenue=1500000,
        stretch=1400000,
        split="coefficient",
        members=None,
        quarter=None,
        pay_period=None,
        name="售后服务部",
    ):
        members = members or [(self.boss, 1.5, 0), (self.first, 1.0, 0), (self.second, 1.0, 0)]
        self._facts(self.department, quarter or self.quarter, revenue, stretch)
        return (
            self.env["hr.kpi.team.reward"]
            .with_user(self.manager)
            .create(
                {
                    "name": name,
                    "company_id": self.company.id,
                    "department_id": self.department.id,
                    "period_id": (quarter or self.quarter).id,
                    "pay_period_id": (pay_period or self.month).id,
                    "split_method": split,
                    "line_ids": [
                        (0, 0, {"employee_id": e.id, "coefficient": c, "allocation": a})
                        for e, c, a in members
                    ],
                }
            )
        )

    def _facts(self, department, quarter, revenue=1500000, stretch=1400000):
        """The team's confirmed revenue of the quarter and its manager's stretch target
        (recorded once per team and quarter)."""
        if not self.env["hr.kpi.team.revenue"].search_count(
            [("department_id", "=", department.id), ("date_from", ">=", quarter.date_from),
             ("date_from", "<=", quarter.date_to)]
        ):
            record_team_facts(self.env, department, quarter, revenue, stretch, self.officer)

    def _shares(self, reward):
        return {line.employee_id: line.amount for line in reward.line_ids}


class TestTeamReward(TeamRewardCase):
    def test_stretch_reached_reward_split_by_coefficients_and_paid(self):
        """1,500,000 × 0.3 % = 4,500, split 1.5 : 1 : 1 (the rounding cent to the largest)."""
        reward = self._reward()
        self.assertTrue(reward.reached)
        reward.action_request()
        self.assertEqual((reward.state, reward.amount), ("requested", 4500.0))
        self.assertEqual(
            self._shares(reward),
            {self.boss: 1928.58, self.first: 1285.71, self.second: 1285.71},
        )
        reward.with_user(self.officer).action_approve()
        self.assertEqual((reward.state, reward.approved_by_id), ("approved", self.officer))
        self._publish({self.first: 90})
        slip = self._pay(self.first_contract)
        line = slip.input_line_ids.filtered(lambda i: i.code == "KPI_TEAM")
        self.assertEqual(line.amount, 1285.71)
        self.assertEqual(self._total(slip, "KPI_TEAM"), 1285.71)

    def test_managers_allocation_must_add_up(self):
        members = [(self.boss, 1, 2000), (self.first, 1, 1500), (self.second, 1, 900)]
        reward = self._reward(split="manual", members=members)
        with self.assertRaises(UserError) as caught:
            reward.action_request()
        self.assertIn("4400", str(caught.exception))
        self.assertEqual(reward.state, "draft")
        reward.line_ids.filtered(lambda l: l.employee_id == self.second).allocation = 1000
        reward.action_request()
        self.assertEqual(
            self._shares(reward), {self.boss: 2000.0, self.first: 1500.0, self.second: 1000.0}
        )

    def test_no_reward_below_the_stretch_target(self):
        reward = self._reward(revenue=1300000)
        self.assertFalse(reward.reached)
        with self.assertRaises(UserError):
            reward.action_request()

    def test_four_eyes_and_locks(self):
        """RELIABILITY four-eyes: the manager does not approve; an officer who is a
        member does not either; a requested reward is locked."""
        reward = self._reward()
        with self.assertRaises(AccessError):
            reward.write({"amount": 99999})
        reward.action_request()
        with self.assertRaises(AccessError):
            reward.action_approve()  # the manager himself
        with self.assertRaises(UserError):
            reward.write({"quarter_revenue": 9000000})
        with self.assertRaises(UserError):
            reward.line_ids[0].write({"coefficient": 9})
        self.first.user_id = self.officer  # the officer is a member
        with self.assertRaises(AccessError):
            reward.with_user(self.officer).action_approve()
        self.assertEqual(reward.state, "requested")

    def test_refused_reward_is_not_paid_and_goes_back_to_draft(self):
        reward = self._reward()
        reward.action_request()
        reward.with_user(self.officer).action_refuse()
        self._publish({self.first: 90})
        slip = self._pay(self.first_contract)
        self.assertFalse(slip.input_line_ids.filtered(lambda i: i.code == "KPI_TEAM"))
        reward.action_reset_to_draft()
        self.assertEqual((reward.state, reward.amount), ("draft", 0.0))


class TestTeamRewardLinks(TeamRewardCase):
    """RELIABILITY #43 (issue 19 item 4): the reward's team and quarter are real links
    fixed at creation, one reward per team and quarter (a PostgreSQL unique index),
    the share comes from the company's setting, and a manager acts only on his own
    team's rewards; a reward without members is its creator's and the officers'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.other_department = cls.env["hr.department"].create(
            {"name": "车间", "company_id": cls.company.id}
        )
        # a second KPI manager of the same department, and one of another department
        cls.colleague = new_test_user(
            cls.env,
            "kpi_manager_colleague_t",
            groups=f"base.group_user,{GROUP_MANAGER}",
            **company_ctx,
        )
        cls._employee("售后主管").user_id = cls.colleague
        cls.workshop_manager = new_test_user(
            cls.env,
            "kpi_manager_workshop_t",
            groups=f"base.group_user,{GROUP_MANAGER}",
            **company_ctx,
        )
        workshop_boss = cls._employee("车间主任", department=cls.other_department)
        workshop_boss.user_id = cls.workshop_manager
        cls.other_department.manager_id = workshop_boss
        cls.fitter = cls._employee("机修工", department=cls.other_department)
        cls.second_quarter = cls.env["hr.kpi.period"]._get_or_create(
            date(2026, 5, 5), "quarterly", cls.company
        )
        cls.december = cls.env["hr.kpi.period"]._get_or_create(
            date(2026, 12, 5), "monthly", cls.company
        )

    def _read_back(self, reward):
        self.env.invalidate_all()
        return reward.sudo().read(
            ["department_id", "period_id", "company_id", "share_pct", "state", "amount"]
        )[0]

    # ------------------------------------------------------------------
    # The share is the company's, frozen when requested
    # ------------------------------------------------------------------
    def test_requester_cannot_set_the_share(self):
        """RELIABILITY #43: share_pct 100 % by the requester is refused, on create and
        on write; the reward keeps the company's 0.3 %."""
        with self.assertRaises(AccessError) as caught:
            self.env["hr.kpi.team.reward"].with_user(self.manager).create(
                {
                    "department_id": self.department.id,
                    "period_id": self.quarter.id,
                    "pay_period_id": self.month.id,
                    "share_pct": 100.0,
                }
            )
        self.assertIn("Share (%)", str(caught.exception))
        reward = self._reward()
        self.assertEqual(reward.share_pct, 0.3)
        before = self._read_back(reward)
        with self.assertRaises(AccessError):
            reward.write({"share_pct": 100.0})
        self.assertEqual(self._read_back(reward), before)
        reward.action_request()
        self.assertEqual((reward.share_pct, reward.amount), (0.3, 4500.0))

    def test_share_is_read_from_the_company_at_request_and_frozen(self):
        """RELIABILITY #43: the company's setting at request time (0.5 %: 7,500 of
        1,500,000), kept when the setting changes afterwards."""
        self.company.kpi_team_reward_pct = 0.5
        reward = self._reward()
        reward.action_request()
        self.assertEqual((reward.share_pct, reward.amount), (0.5, 7500.0))
        self.company.kpi_team_reward_pct = 0.3
        reward.invalidate_recordset()
        self.assertEqual((reward.share_pct, reward.amount), (0.5, 7500.0))
        reward.with_user(self.officer).action_approve()
        self._publish({self.first: 90})
        slip = self._pay(self.first_contract)
        self.assertEqual(self._total(slip, "KPI_TEAM"), 2142.86)  # 7,500 x 1 / 3.5

    def test_company_share_setting_is_validated(self):
        """RELIABILITY #42/#43: the company's share lies within 0-100 %."""
        for value in (150.0, -1.0, float("nan"), float("inf")):
            with self.subTest(value=value), self.assertRaises(ValidationError) as caught:
                with self.env.cr.savepoint():
                    self.company.write({"kpi_team_reward_pct": value})
                    self.company.flush_recordset()
            self.assertIn("Team Reward Share (%)", str(caught.exception))
        self.company.invalidate_recordset()
        self.assertEqual(self.company.kpi_team_reward_pct, 0.3)

    # ------------------------------------------------------------------
    # Team and quarter: real links, fixed at creation, one reward per pair
    # ------------------------------------------------------------------
    def test_team_and_quarter_cannot_be_repointed(self):
        """RELIABILITY #43: a draft's team, quarter and company are refused cleanly
        when re-pointed, nothing changed; writing the same values is harmless."""
        reward = self._reward()
        before = self._read_back(reward)
        for vals in (
            {"department_id": self.other_department.id},
            {"period_id": self.second_quarter.id},
            {"company_id": self.other_company.id},
            {"department_id": False},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError) as caught:
                reward.write(vals)
            self.assertIn("fixed when it is created", str(caught.exception))
            self.assertEqual(self._read_back(reward), before)
        reward.write({"department_id": self.department.id, "period_id": self.quarter.id})
        self.assertEqual(self._read_back(reward), before)
        self.assertEqual(reward.name, "售后服务部")
        unnamed = self._reward(quarter=self.second_quarter, name=False)
        self.assertEqual(unnamed.name, f"客户服务部 · {self.second_quarter.name}")

    def test_one_reward_per_team_and_quarter(self):
        """RELIABILITY #43: a second reward for the team and quarter is refused with a
        clear message (the unique index decides); another quarter or another team is
        fine; a refused reward frees the quarter, and then cannot go back to draft."""
        first = self._reward()
        with self.assertRaises(ValidationError) as caught:
            self._reward()
        self.assertIn("one reward per quarter", str(caught.exception))
        self.assertNotIn("duplicate key", str(caught.exception))
        self._reward(quarter=self.second_quarter)
        self.env["hr.kpi.team.reward"].with_user(self.workshop_manager).create(
            {
                "department_id": self.other_department.id,
                "period_id": self.quarter.id,
                "pay_period_id": self.month.id,
                "line_ids": [(0, 0, {"employee_id": self.fitter.id})],
            }
        )
        first.action_request()
        first.with_user(self.officer).action_refuse()
        second = self._reward()
        with self.assertRaises(ValidationError) as caught:
            first.action_reset_to_draft()
        self.assertIn("one reward per quarter", str(caught.exception))
        self.assertEqual((first.state, second.state), ("refused", "draft"))
        live = self.env["hr.kpi.team.reward"].search_count(
            [
                ("department_id", "=", self.department.id),
                ("period_id", "=", self.quarter.id),
                ("state", "!=", "refused"),
            ]
        )
        self.assertEqual(live, 1)

    def test_quarter_paid_in_a_later_month(self):
        """DESIGN §15: the quarter is a quarter, paid in a month after it."""
        august = self.env["hr.kpi.period"]._get_or_create(date(2026, 8, 5), "monthly", self.company)
        with self.assertRaises(ValidationError) as caught:
            self._reward(pay_period=august)
        self.assertIn("after its quarter", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self._reward(quarter=august)
        self.assertIn("is not a quarter", str(caught.exception))
        reward = self._reward(pay_period=self.december)
        with self.assertRaises(ValidationError):
            reward.write({"pay_period_id": august.id})

    # ------------------------------------------------------------------
    # A manager's own team; members-less drafts
    # ------------------------------------------------------------------
    def test_members_less_draft_is_its_creators_and_the_officers(self):
        """RELIABILITY #43 (issue 19 item 4): another manager, even of the same team,
        neither reads, edits nor requests a reward without members; the creator and
        an officer do."""
        Reward = self.env["hr.kpi.team.reward"]
        draft = Reward.with_user(self.manager).create(
            {
                "department_id": self.department.id,
                "period_id": self.quarter.id,
                "pay_period_id": self.month.id,
            }
        )
        for intruder in (self.colleague, self.workshop_manager):
            with self.subTest(user=intruder.login):
                self.env.invalidate_all()
                self.assertFalse(Reward.with_user(intruder).search([("id", "=", draft.id)]))
                with self.assertRaises(AccessError):
                    draft.with_user(intruder).read(["name"])
                with self.assertRaises(AccessError):
                    draft.with_user(intruder).write({"quarter_revenue": 9000000})
                with self.assertRaises(AccessError):
                    draft.with_user(intruder).action_request()
        self.assertEqual(Reward.with_user(self.officer).search([("id", "=", draft.id)]), draft)
        draft.with_user(self.manager).write({"line_ids": [(0, 0, {"employee_id": self.first.id})]})
        self.env.invalidate_all()
        # with members it is the team's: the colleague reads it, the workshop does not
        self.assertEqual(Reward.with_user(self.colleague).search([("id", "=", draft.id)]), draft)
        self.assertFalse(Reward.with_user(self.workshop_manager).search([("id", "=", draft.id)]))
        self.assertEqual(self._read_back(draft)["state"], "draft")

    def test_manager_acts_only_on_his_own_team(self):
        """RELIABILITY #43: a manager creates rewards of his own department only,
        with members of that team only; another team's manager cannot read,
        request or decide them."""
        Reward = self.env["hr.kpi.team.reward"]
        with self.assertRaises(AccessError) as caught:
            Reward.with_user(self.manager).create(
                {
                    "department_id": self.other_department.id,
                    "period_id": self.quarter.id,
                    "pay_period_id": self.month.id,
                    "line_ids": [(0, 0, {"employee_id": self.fitter.id})],
                }
            )
        self.assertIn("not your team", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            Reward.with_user(self.manager).create(
                {
                    "department_id": self.other_department.id + 100000,
                    "period_id": self.quarter.id,
                    "pay_period_id": self.month.id,
                }
            )
        self.assertIn("does not exist", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self._reward(members=[(self.first, 1.0, 0), (self.fitter, 1.0, 0)])
        self.assertIn("does not belong to", str(caught.exception))
        reward = self._reward()
        with self.assertRaises(AccessError):
            reward.with_user(self.workshop_manager).action_request()
        with self.assertRaises(AccessError):
            reward.line_ids[0].with_user(self.workshop_manager).write({"coefficient": 9})
        self.assertEqual((reward.state, reward.line_ids[0].coefficient), ("draft", 1.5))
        # the manager of the other department acts on its rewards
        self._facts(self.other_department, self.quarter)
        own = Reward.with_user(self.workshop_manager).create(
            {
                "department_id": self.other_department.id,
                "period_id": self.quarter.id,
                "pay_period_id": self.month.id,
                "line_ids": [(0, 0, {"employee_id": self.fitter.id})],
            }
        )
        own.action_request()
        self.assertEqual((own.state, own.amount), ("requested", 4500.0))
        # the department he manages without belonging to it: its reward, him a member
        quality = self.env["hr.department"].create(
            {
                "name": "质检组",
                "company_id": self.company.id,
                "manager_id": self.other_department.manager_id.id,
            }
        )
        inspector = self._employee("质检员", department=quality)
        managed = Reward.with_user(self.workshop_manager).create(
            {
                "department_id": quality.id,
                "period_id": self.quarter.id,
                "pay_period_id": self.month.id,
                "line_ids": [
                    (0, 0, {"employee_id": inspector.id}),
                    (0, 0, {"employee_id": self.other_department.manager_id.id}),
                ],
            }
        )
        self.assertEqual(len(managed.line_ids), 2)
        with self.assertRaises(AccessError):
            Reward.with_user(self.manager).browse(managed.id).read(["name"])


@tagged("post_install", "-at_install")
class TestTeamRewardRpc(XmlRpcMixin, TeamRewardCase, HttpCase):
    """RELIABILITY #43 over real XML-RPC (``--odoo-http``): the same refusals reach
    the client as clean messages (no database error, no traceback)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = new_test_user(
            cls.env,
            "kpi_manager_colleague_rpc_t",
            groups=f"base.group_user,{GROUP_MANAGER}",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls._employee("售后主管").user_id = cls.colleague
        cls.other_department = cls.env["hr.department"].create(
            {"name": "车间", "company_id": cls.company.id}
        )

    def test_share_team_quarter_and_duplicates_over_rpc(self):
        vals = {
            "department_id": self.department.id,
            "period_id": self.quarter.id,
            "pay_period_id": self.month.id,
        }
        self.assertCleanFault(
            lambda: self._call(
                self.manager, "hr.kpi.team.reward", "create", dict(vals, share_pct=100.0)
            ),
            "Share (%)",
        )
        reward_id = self._call(self.manager, "hr.kpi.team.reward", "create", vals)
        self.assertCleanFault(
            lambda: self._call(self.manager, "hr.kpi.team.reward", "create", vals),
            "one reward per quarter",
        )
        for change in ({"department_id": self.other_department.id}, {"share_pct": 100.0}):
            with self.subTest(change=change):
                self.assertCleanFault(
                    lambda c=change: self._call(
                        self.manager, "hr.kpi.team.reward", "write", [reward_id], c
                    ),
                    "Share (%)" if "share_pct" in change else "fixed when it is created",
                )
        # members-less: the colleague of the same team neither reads nor requests it
        self.assertCleanFault(
            lambda: self._call(self.colleague, "hr.kpi.team.reward", "read", [reward_id], ["name"]),
            "",
        )
        self.assertCleanFault(
            lambda: self._call(self.colleague, "hr.kpi.team.reward", "action_request", [reward_id]),
            "",
        )
        Reward = self.env["hr.kpi.team.reward"]
        reward = Reward.browse(reward_id)
        self.assertEqual(
            (reward.department_id, reward.share_pct, reward.state),
            (self.department, 0.3, "draft"),
        )
        self.assertEqual(Reward.search_count([("department_id", "=", self.department.id)]), 1)
