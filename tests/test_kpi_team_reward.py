"""The quarter's team reward (seed 000 浙江和通: 达成力争指标, 季度计提维修收入0.3%作为
团队奖励, 由服务经理提交申请发放; issue 14) as the real users: the manager requests
it, an officer who is neither the requester nor a member approves it, and each
share is paid as KPI_TEAM."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

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
        cls.quarter = cls.env["hr.kpi.period"]._get_or_create(
            date(2026, 8, 5), "quarterly", cls.company
        )

    def _reward(self, revenue=1500000, stretch=1400000, split="coefficient", members=None):
        members = members or [(self.boss, 1.5, 0), (self.first, 1.0, 0), (self.second, 1.0, 0)]
        return (
            self.env["hr.kpi.team.reward"]
            .with_user(self.manager)
            .create(
                {
                    "name": "售后服务部",
                    "company_id": self.company.id,
                    "department_id": self.department.id,
                    "period_id": self.quarter.id,
                    "pay_period_id": self.month.id,
                    "quarter_revenue": revenue,
                    "stretch_target": stretch,
                    "split_method": split,
                    "line_ids": [
                        (0, 0, {"employee_id": e.id, "coefficient": c, "allocation": a})
                        for e, c, a in members
                    ],
                }
            )
        )

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
