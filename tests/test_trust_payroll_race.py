"""Concurrent pushes of KPI lines (issue 10 item 6, RELIABILITY #29 and #38).

Two real cursors (two PostgreSQL transactions), as two clients of a server with
several workers. The fixtures are committed, so the test case is a BaseCase (no
enclosing transaction), and removed again in tearDownClass, as Odoo's own
``test_ir_sequence`` draw-twice tests do.
"""

import threading
from contextlib import contextmanager
from datetime import date

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, retrying
from odoo.tests import common, new_test_user, tagged
from odoo.tests.common import BaseCase
from odoo.tools import mute_logger

NOV_FROM, NOV_TO = date(2026, 11, 1), date(2026, 11, 30)
KPI_CODES = ("KPI_STAR", "KPI_PERF", "KPI_LOW", "KPI_ATT", "KPI_AWARD")
LOGIN = "kpi_race_payroll_t"


@contextmanager
def environment(uid=SUPERUSER_ID):
    """An environment on a new cursor of the test database: committed and closed
    after the block (rolled back on an error)."""
    registry = Registry(common.get_db_name())
    with registry.cursor() as cr:
        yield api.Environment(cr, uid, {})


@tagged("post_install", "-at_install")
class TestConcurrentKpiPush(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addClassCleanup(cls._remove_fixtures)
        with environment() as env:
            env = env(context=dict(env.context, tracking_disable=True))
            company = env.ref("base.main_company")
            structure = env.ref("hr_kpi_service.payroll_structure_customer_service")
            cls.user_id = new_test_user(
                env,
                LOGIN,
                groups="base.group_user,payroll.group_payroll_manager",
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            ).id
            employee = env["hr.employee"].create(
                {"name": "并发代表 (race test)", "company_id": company.id}
            )
            contract = env["hr.contract"].create(
                {
                    "name": "并发合同",
                    "employee_id": employee.id,
                    "company_id": company.id,
                    "wage": 2000,
                    "date_start": date(2026, 1, 1),
                    "struct_id": structure.id,
                    "state": "open",
                }
            )
            cls.employee_id, cls.contract_id = employee.id, contract.id

    @classmethod
    def _remove_fixtures(cls):
        with environment() as env:
            env["hr.payslip"].search([("employee_id", "=", cls.employee_id)]).unlink()
            env["hr.contract"].browse(cls.contract_id).unlink()
            env["hr.employee"].browse(cls.employee_id).unlink()
            env["res.users"].browse(cls.user_id).unlink()

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_payslips)
        with environment() as env:
            self.slip_ids = [self._draft(env).id, self._draft(env).id]

    def _remove_payslips(self):
        with environment() as env:
            env["hr.payslip"].search([("employee_id", "=", self.employee_id)]).unlink()

    def _draft(self, env):
        return env["hr.payslip"].create(
            {
                "employee_id": self.employee_id,
                "contract_id": self.contract_id,
                "date_from": NOV_FROM,
                "date_to": NOV_TO,
            }
        )

    def _holders(self):
        """(payslips holding KPI lines, allocation rows) of the employee, committed."""
        with environment() as env:
            lines = env["hr.payslip.input"].search(
                [("payslip_id.employee_id", "=", self.employee_id), ("code", "in", KPI_CODES)]
            )
            allocations = env["hr.kpi.payslip.allocation"].search(
                [("employee_id", "=", self.employee_id)]
            )
            return lines.payslip_id.ids, allocations.payslip_id.ids

    def test_two_clients_push_at_the_same_moment(self):
        """RELIABILITY #29, #38: two payroll officers push KPI lines to two draft
        payslips of one employee and month at the same moment (two threads, two
        cursors): one success, one clean error, no duplicate. Five tries."""
        for attempt in range(5):
            with self.subTest(attempt=attempt):
                if attempt:
                    self._remove_payslips()
                    with environment() as env:
                        self.slip_ids = [self._draft(env).id, self._draft(env).id]
                barrier = threading.Barrier(2)
                outcomes = [None, None]

                def push(index, barrier=barrier, outcomes=outcomes):
                    try:
                        with environment(self.user_id) as env:
                            slip = env["hr.payslip"].browse(self.slip_ids[index])
                            slip.employee_id.name  # noqa: B018 (both snapshots taken)
                            barrier.wait(timeout=10)
                            slip.action_add_kpi_lines()
                            env.flush_all()
                        outcomes[index] = "ok"
                    except Exception as err:
                        outcomes[index] = err

                with mute_logger("odoo.sql_db"):
                    threads = [threading.Thread(target=push, args=(i,)) for i in (0, 1)]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join(timeout=60)
                self.assertEqual(outcomes.count("ok"), 1, outcomes)
                error = next(outcome for outcome in outcomes if outcome != "ok")
                self.assertIsInstance(error, UserError, repr(error))
                self.assertRegex(str(error), "one payslip per (period|month)")
                winner = self.slip_ids[outcomes.index("ok")]
                self.assertEqual(self._holders(), ([winner], [winner]), "no duplicate")

    def test_second_transaction_waits_then_gets_a_clean_error(self):
        """RELIABILITY #38: the first push holds the employee's row lock until it
        commits; the second, with a lock timeout, gets LockNotAvailable, an error
        Odoo's request layer retries; retried after the first commit, it is a clean
        UserError naming the payslip that holds the lines."""
        first_id, second_id = self.slip_ids
        with environment(self.user_id) as env_a, environment(self.user_id) as env_b:
            env_a["hr.payslip"].browse(first_id).action_add_kpi_lines()
            env_a.flush_all()
            env_b.cr.execute("SET LOCAL lock_timeout = '300ms'")
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.errors.LockNotAvailable) as caught,
            ):
                env_b["hr.payslip"].browse(second_id).action_add_kpi_lines()
            self.assertIsInstance(caught.exception, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY)
            env_b.cr.rollback()
            env_a.cr.commit()
            with self.assertRaises(UserError) as caught:
                env_b["hr.payslip"].browse(second_id).action_add_kpi_lines()
            self.assertIn("already on payslip", str(caught.exception))
            env_b.cr.rollback()
        self.assertEqual(self._holders(), ([first_id], [first_id]))

    def test_stale_snapshot_meets_the_unique_constraint(self):
        """RELIABILITY #38: the second transaction read the payslips before the first
        committed (its snapshot misses the first's lines, so the one-holder search
        passes): the unique constraint refuses it, as a clean ValidationError."""
        first_id, second_id = self.slip_ids
        with environment(self.user_id) as env_a, environment(self.user_id) as env_b:
            second = env_b["hr.payslip"].browse(second_id)
            second._kpi_holders(second.employee_id, NOV_FROM, NOV_TO)  # snapshot taken
            env_a["hr.payslip"].browse(first_id).action_add_kpi_lines()
            env_a.cr.commit()
            with self.assertRaises(ValidationError) as caught:
                second.action_add_kpi_lines()
            self.assertIn("one payslip per month", str(caught.exception))
            env_b.cr.rollback()
        self.assertEqual(self._holders(), ([first_id], [first_id]))

    def test_manual_duplicate_hits_the_unique_index(self):
        """RELIABILITY #38: a duplicate allocation inserted behind the ORM checks hits
        the unique index; Odoo's retrying() surfaces it as a ValidationError."""
        first_id, second_id = self.slip_ids
        with environment(self.user_id) as env:
            env["hr.payslip"].browse(first_id).action_add_kpi_lines()
        with environment() as env:

            def insert_duplicate():
                env["hr.kpi.payslip.allocation"].create(
                    {
                        "payslip_id": second_id,
                        "employee_id": self.employee_id,
                        "company_id": env.ref("base.main_company").id,
                        "month": NOV_FROM,
                    }
                )

            with mute_logger("odoo.sql_db"), self.assertRaises(ValidationError) as caught:
                retrying(insert_duplicate, env)
            self.assertIn("one payslip per month", str(caught.exception))
        self.assertEqual(self._holders(), ([first_id], [first_id]))
