"""Team rewards under concurrency (issue 19: "two real cursors on team-reward
approval and on paying one advisor-month twice: 0 duplicates"; RELIABILITY #38,
#39 and #43).

Two real cursors (two PostgreSQL transactions), as two clients of a server with
several workers; each client call runs through Odoo's ``retrying()`` as the RPC
dispatcher runs it (a serialization failure is retried on a new snapshot). The
fixtures are committed, so the test case is a BaseCase (no enclosing
transaction), and removed again afterwards, as ``test_trust_payroll_race`` does.
"""

import threading
from contextlib import contextmanager
from datetime import date
from functools import partial

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.addons.hr_kpi_service.models.kpi_policy import kpi_action_scope
from odoo.exceptions import UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, retrying
from odoo.tests import common, new_test_user, tagged
from odoo.tests.common import BaseCase
from odoo.tools import mute_logger

from .team_reward_facts import record_team_facts, remove_team_facts

NOV_FROM, NOV_TO = date(2026, 11, 1), date(2026, 11, 30)
PREFIX = "kpi_race_reward_"
# 1,500,000 x 0.3 % = 4,500, split 1.5 : 1 : 1
SHARES = {"boss": 1928.58, "first": 1285.71, "second": 1285.71}


def remove_payslips(payslips):
    """Remove test payslips whatever their state (computed ones wait for checking)."""
    payslips.write({"state": "draft"})
    payslips.unlink()


@contextmanager
def environment(uid=SUPERUSER_ID):
    """An environment on a new cursor of the test database: committed and closed
    after the block (rolled back on an error)."""
    registry = Registry(common.get_db_name())
    with registry.cursor() as cr:
        yield api.Environment(cr, uid, {})


def at_once(*calls):
    """Run the calls in two threads released together; [outcome per call]: "ok" or
    the exception. Each call gets (env) of its own cursor and user, takes its
    snapshot before the barrier, and runs its action through ``retrying``."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, uid, prepare, action):
        try:
            with environment(uid) as env:
                target = prepare(env)  # the snapshot is taken here
                barrier.wait(timeout=10)
                retrying(partial(action, target), env)
            outcomes[index] = "ok"
        except Exception as err:  # the outcome is asserted
            outcomes[index] = err

    with mute_logger("odoo.sql_db", "odoo.service.model"):
        threads = [
            threading.Thread(target=run, args=(index, *call)) for index, call in enumerate(calls)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
    return outcomes


@tagged("post_install", "-at_install")
class TestTeamRewardRaces(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addClassCleanup(cls._remove_fixtures)
        cls.created_period_ids = []
        with environment() as env:
            env = env(context=dict(env.context, tracking_disable=True))
            company = env.ref("base.main_company")
            Period = env["hr.kpi.period"]
            existing = Period.search([]).ids
            cls.quarter_id = Period._get_or_create(date(2026, 8, 5), "quarterly", company).id
            cls.month_id = Period._get_or_create(NOV_FROM, "monthly", company).id
            cls.created_period_ids = sorted(set(Period.search([]).ids) - set(existing))
            ctx = {"company_id": company.id, "company_ids": [(6, 0, company.ids)]}
            users = {
                "manager": "hr_kpi_service.group_kpi_manager",
                "colleague": "hr_kpi_service.group_kpi_manager",
                "officer_a": "hr_kpi_service.group_kpi_officer",
                "officer_b": "hr_kpi_service.group_kpi_officer",
                "payroll": "payroll.group_payroll_manager",
            }
            cls.uids = {
                key: new_test_user(env, PREFIX + key, groups=f"base.group_user,{group}", **ctx).id
                for key, group in users.items()
            }
            department = env["hr.department"].create(
                {"name": "并发售后部 (race test)", "company_id": company.id}
            )
            cls.department_id = department.id
            structure = env.ref("hr_kpi_service.payroll_structure_customer_service")
            Employee = env["hr.employee"]
            people = {
                "boss": Employee.create(
                    {
                        "name": "并发经理 (race test)",
                        "company_id": company.id,
                        "department_id": department.id,
                        "user_id": cls.uids["manager"],
                    }
                )
            }
            department.manager_id = people["boss"]
            Employee.create(
                {
                    "name": "并发主管 (race test)",
                    "company_id": company.id,
                    "department_id": department.id,
                    "user_id": cls.uids["colleague"],
                }
            )
            for key in ("first", "second"):
                people[key] = Employee.create(
                    {
                        "name": f"并发顾问{key} (race test)",
                        "company_id": company.id,
                        "department_id": department.id,
                        "parent_id": people["boss"].id,
                    }
                )
            cls.employee_ids = {key: employee.id for key, employee in people.items()}
            record_team_facts(
                env,
                department,
                Period.browse(cls.quarter_id),
                1500000,
                1400000,
                env["res.users"].browse(cls.uids["officer_b"]),
            )
            cls.created_period_ids = sorted(set(Period.search([]).ids) - set(existing))
            cls.contract_id = (
                env["hr.contract"]
                .create(
                    {
                        "name": "并发顾问合同",
                        "employee_id": people["first"].id,
                        "company_id": company.id,
                        "wage": 3000,
                        "date_start": date(2026, 1, 1),
                        "struct_id": structure.id,
                        "state": "open",
                    }
                )
                .id
            )

    @classmethod
    def _remove_fixtures(cls):
        with environment() as env:
            employees = env["hr.employee"].search([("department_id", "=", cls.department_id)])
            remove_payslips(env["hr.payslip"].search([("employee_id", "in", employees.ids)]))
            env["hr.payslip.run"].search([("name", "like", PREFIX)]).unlink()
            rewards = env["hr.kpi.team.reward"].search([("department_id", "=", cls.department_id)])
            with kpi_action_scope(rewards):  # the fixtures' history goes with them
                rewards.unlink()
            env["hr.contract"].browse(cls.contract_id).unlink()
            remove_team_facts(env, [cls.department_id])
            env["hr.department"].browse(cls.department_id).manager_id = False
            employees.unlink()
            env["hr.department"].browse(cls.department_id).unlink()
            env["res.users"].browse(list(cls.uids.values())).unlink()
            env["hr.kpi.period"].browse(cls.created_period_ids[::-1]).unlink()

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_rewards_and_payslips)

    def _remove_rewards_and_payslips(self):
        with environment() as env:
            remove_payslips(
                env["hr.payslip"].search([("employee_id", "in", list(self.employee_ids.values()))])
            )
            env["hr.payslip.run"].search([("name", "like", PREFIX)]).unlink()
            rewards = env["hr.kpi.team.reward"].search([("department_id", "=", self.department_id)])
            with kpi_action_scope(rewards):  # the fixtures' history goes with them
                rewards.unlink()

    # ------------------------------------------------------------------
    # Fixtures
    # ------------------------------------------------------------------
    def _reward_vals(self):
        return {
            "department_id": self.department_id,
            "period_id": self.quarter_id,
            "pay_period_id": self.month_id,
            "line_ids": [
                (0, 0, {"employee_id": self.employee_ids[key], "coefficient": coefficient})
                for key, coefficient in (("boss", 1.5), ("first", 1.0), ("second", 1.0))
            ],
        }

    def _requested_reward(self):
        with environment(self.uids["manager"]) as env:
            reward = env["hr.kpi.team.reward"].create(self._reward_vals())
            reward.action_request()
            return reward.id

    def _approved_reward(self):
        reward_id = self._requested_reward()
        with environment(self.uids["officer_a"]) as env:
            env["hr.kpi.team.reward"].browse(reward_id).action_approve()
        return reward_id

    def _rewards(self):
        """[(state, approved by login)] of the team's rewards of the quarter, committed."""
        with environment() as env:
            rewards = env["hr.kpi.team.reward"].search(
                [("department_id", "=", self.department_id), ("period_id", "=", self.quarter_id)]
            )
            return [(r.state, r.approved_by_id.login or False) for r in rewards]

    def _paid(self):
        """{employee key: [shares]} the payroll bridge pays in November, committed."""
        with environment() as env:
            employees = env["hr.employee"].browse(list(self.employee_ids.values()))
            paid = env["hr.kpi.team.reward"]._paid_shares(
                employees, env["hr.kpi.period"].browse(self.month_id)
            )
            return {
                key: [share for _name, share in paid.get((employee_id, self.month_id), [])]
                for key, employee_id in self.employee_ids.items()
            }

    def _team_lines(self):
        """(KPI_TEAM input lines as (payslip id, amount), allocation payslip ids) of
        the first advisor, committed."""
        with environment() as env:
            lines = env["hr.payslip.input"].search(
                [
                    ("payslip_id.employee_id", "=", self.employee_ids["first"]),
                    ("code", "=", "KPI_TEAM"),
                ]
            )
            allocations = env["hr.kpi.payslip.allocation"].search(
                [("employee_id", "=", self.employee_ids["first"])]
            )
            return [(line.payslip_id.id, line.amount) for line in lines], allocations.payslip_id.ids

    def _draft_payslip(self, env):
        return env["hr.payslip"].create(
            {
                "employee_id": self.employee_ids["first"],
                "contract_id": self.contract_id,
                "date_from": NOV_FROM,
                "date_to": NOV_TO,
            }
        )

    # ------------------------------------------------------------------
    # (a) approval
    # ------------------------------------------------------------------
    def test_two_officers_approve_the_same_reward_at_once(self):
        """RELIABILITY #39, #43: two officers press Approve on one requested reward at
        the same moment (two threads, two cursors): one approval, the other a clean
        UserError after its retry; the reward is paid once to each member. Three
        tries."""
        for attempt in range(3):
            with self.subTest(attempt=attempt):
                if attempt:
                    self._remove_rewards_and_payslips()
                reward_id = self._requested_reward()

                def prepare(env, reward_id=reward_id):
                    reward = env["hr.kpi.team.reward"].browse(reward_id)
                    reward.state  # noqa: B018 (snapshot taken, state read)
                    return reward

                def approve(reward):
                    reward.action_approve()

                outcomes = at_once(
                    (self.uids["officer_a"], prepare, approve),
                    (self.uids["officer_b"], prepare, approve),
                )
                self.assertEqual(outcomes.count("ok"), 1, outcomes)
                error = next(outcome for outcome in outcomes if outcome != "ok")
                self.assertIsInstance(error, UserError, repr(error))
                self.assertIn("not in the state this step needs", str(error))
                winner = PREFIX + ("officer_a", "officer_b")[outcomes.index("ok")]
                self.assertEqual(self._rewards(), [("approved", winner)])
                self.assertEqual(
                    self._paid(), {key: [share] for key, share in SHARES.items()}, "paid once"
                )

    def test_two_managers_create_the_team_quarter_at_once(self):
        """RELIABILITY #43, #38: two managers of the team create its reward of the
        quarter at the same moment: the unique index lets one through, the other
        gets a clean ValidationError (no database error); approved and paid, each
        member is paid once. Three tries."""
        for attempt in range(3):
            with self.subTest(attempt=attempt):
                if attempt:
                    self._remove_rewards_and_payslips()

                def prepare(env):
                    Reward = env["hr.kpi.team.reward"]
                    Reward.search_count([("department_id", "=", self.department_id)])
                    return Reward

                def create_and_request(Reward):
                    Reward.create(self._reward_vals()).action_request()

                outcomes = at_once(
                    (self.uids["manager"], prepare, create_and_request),
                    (self.uids["colleague"], prepare, create_and_request),
                )
                self.assertEqual(outcomes.count("ok"), 1, outcomes)
                error = next(outcome for outcome in outcomes if outcome != "ok")
                self.assertIsInstance(error, ValidationError, repr(error))
                self.assertIn("one reward per quarter", str(error))
                self.assertNotIn("duplicate key", str(error))
                self.assertEqual(self._rewards(), [("requested", False)])
                with environment() as env:
                    reward = env["hr.kpi.team.reward"].search(
                        [("department_id", "=", self.department_id)]
                    )
                with environment(self.uids["officer_a"]) as env:
                    reward.with_env(env).action_approve()
                self.assertEqual(self._paid(), {key: [share] for key, share in SHARES.items()})

    def test_stale_snapshot_meets_the_unique_index(self):
        """RELIABILITY #43, #38: the second transaction saw no reward of the team (its
        snapshot is older than the first's commit): the index still refuses its
        reward, as a clean ValidationError; one reward in the end."""
        with (
            environment(self.uids["manager"]) as env_a,
            environment(self.uids["colleague"]) as env_b,
        ):
            Reward_b = env_b["hr.kpi.team.reward"]
            self.assertEqual(
                Reward_b.sudo().search_count([("department_id", "=", self.department_id)]), 0
            )
            env_a["hr.kpi.team.reward"].create(self._reward_vals())
            env_a.cr.commit()
            with self.assertRaises(ValidationError) as caught:
                Reward_b.create(self._reward_vals())
            self.assertIn("one reward per quarter", str(caught.exception))
            env_b.cr.rollback()
        self.assertEqual(self._rewards(), [("draft", False)])

    def test_member_edit_waits_for_the_request(self):
        """RELIABILITY #39: the manager's colleague changes a member's coefficient
        (cursor 1, not yet committed) while the manager requests the reward (cursor
        2): the request waits on the reward's row and, with a lock timeout, gets a
        retryable LockNotAvailable; retried after the edit commits, it pays the new
        coefficients (never a requested reward with shares of the old ones)."""
        with environment(self.uids["manager"]) as env:
            reward_id = env["hr.kpi.team.reward"].create(self._reward_vals()).id
        with (
            environment(self.uids["colleague"]) as env_a,
            environment(self.uids["manager"]) as env_b,
        ):
            reward_a = env_a["hr.kpi.team.reward"].browse(reward_id)
            boss_line = reward_a.line_ids.filtered(
                lambda line: line.employee_id.id == self.employee_ids["boss"]
            )
            boss_line.write({"coefficient": 2.0})
            env_a.flush_all()
            env_b.cr.execute("SET LOCAL lock_timeout = '300ms'")
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.errors.LockNotAvailable) as caught,
            ):
                env_b["hr.kpi.team.reward"].browse(reward_id).action_request()
            self.assertIsInstance(caught.exception, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY)
            env_b.cr.rollback()
            env_a.cr.commit()
            env_b.reset()
            env_b["hr.kpi.team.reward"].browse(reward_id).action_request()
            env_b.cr.commit()
        with environment() as env:
            reward = env["hr.kpi.team.reward"].browse(reward_id)
            shares = {line.employee_id.id: line.amount for line in reward.line_ids}
        # 4,500 split 2 : 1 : 1
        self.assertEqual(
            shares,
            {
                self.employee_ids["boss"]: 2250.0,
                self.employee_ids["first"]: 1125.0,
                self.employee_ids["second"]: 1125.0,
            },
        )

    # ------------------------------------------------------------------
    # (b) paying one advisor-month twice
    # ------------------------------------------------------------------
    def test_two_pushes_pay_the_advisor_month_once(self):
        """RELIABILITY #38: with the team reward approved, two payroll officers add
        the KPI lines of one advisor's November to two draft payslips at the same
        moment: one succeeds, one clean error; exactly one KPI_TEAM line (his share)
        and one allocation. Three tries."""
        self._approved_reward()
        for attempt in range(3):
            with self.subTest(attempt=attempt):
                with environment() as env:
                    remove_payslips(
                        env["hr.payslip"].search([("employee_id", "=", self.employee_ids["first"])])
                    )
                    slip_ids = [self._draft_payslip(env).id, self._draft_payslip(env).id]

                def prepare(env, index, slip_ids=slip_ids):
                    slip = env["hr.payslip"].browse(slip_ids[index])
                    slip.employee_id.name  # noqa: B018 (snapshot taken)
                    return slip

                def push(slip):
                    slip.action_add_kpi_lines()

                outcomes = at_once(
                    (self.uids["payroll"], partial(prepare, index=0), push),
                    (self.uids["payroll"], partial(prepare, index=1), push),
                )
                self.assertEqual(outcomes.count("ok"), 1, outcomes)
                error = next(outcome for outcome in outcomes if outcome != "ok")
                self.assertIsInstance(error, (UserError, ValidationError), repr(error))
                self.assertRegex(str(error), "one payslip per (period|month)")
                winner = slip_ids[outcomes.index("ok")]
                self.assertEqual(
                    self._team_lines(), ([(winner, SHARES["first"])], [winner]), "paid once"
                )

    def test_two_batches_compute_the_advisor_month_once(self):
        """RELIABILITY #38: two payroll officers generate November's payslips of the
        advisor in two batches at the same moment (the batch wizard computes the
        sheets): one batch succeeds, the other ends in a clean error and keeps
        nothing; exactly one KPI_TEAM line (his share) and one allocation."""
        self._approved_reward()
        with environment(self.uids["payroll"]) as env:
            run_ids = [
                env["hr.payslip.run"]
                .create({"name": f"{PREFIX}{index}", "date_start": NOV_FROM, "date_end": NOV_TO})
                .id
                for index in (0, 1)
            ]

        def prepare(env, index):
            run = env["hr.payslip.run"].browse(run_ids[index])
            run.name  # noqa: B018 (snapshot taken)
            return run

        def generate(run):
            wizard = (
                run.env["hr.payslip.employees"]
                .with_context(active_id=run.id)
                .create({"employee_ids": [(6, 0, [self.employee_ids["first"]])]})
            )
            wizard.compute_sheet()

        outcomes = at_once(
            (self.uids["payroll"], partial(prepare, index=0), generate),
            (self.uids["payroll"], partial(prepare, index=1), generate),
        )
        self.assertEqual(outcomes.count("ok"), 1, outcomes)
        error = next(outcome for outcome in outcomes if outcome != "ok")
        self.assertIsInstance(error, (UserError, ValidationError), repr(error))
        self.assertRegex(str(error), "one payslip per (period|month)")
        with environment() as env:
            winner_run = env["hr.payslip.run"].browse(run_ids[outcomes.index("ok")])
            loser_run = env["hr.payslip.run"].browse(run_ids[1 - outcomes.index("ok")])
            winner_slips, loser_slips = winner_run.slip_ids.ids, loser_run.slip_ids.ids
            team_totals = [s.get_salary_line_total("KPI_TEAM") for s in winner_run.slip_ids]
        self.assertEqual((len(winner_slips), loser_slips), (1, []))
        self.assertEqual(self._team_lines(), ([(winner_slips[0], SHARES["first"])], winner_slips))
        self.assertEqual(team_totals, [SHARES["first"]])
