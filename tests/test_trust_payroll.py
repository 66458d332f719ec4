"""Payroll locks (issue 10, item 5): nobody bends what a payslip pays.

TestPayrollLocksRpc runs with ``--odoo-http`` (``make test`` passes it).

Every test acts as the hostile user (the payroll officer, a KPI manager with
payroll rights, or the superuser where the lock must hold for everyone) and
checks that the refusal is a clean UserError / ValidationError / AccessError
and that nothing was written."""

import xmlrpc.client
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

import odoo
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUP_MANAGER
from .test_kpi_payroll import KPI_CODES, NOV_FROM, NOV_TO, PayrollCase

OCT_FROM, OCT_TO = date(2026, 10, 1), date(2026, 10, 31)


class TrustPayrollCase(PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep, cls.contract = cls._staff("锁定代表", cls.job_rep, 2000)
        cls.evaluation = cls._publish({cls.rep: 85})[cls.rep]
        cls._star(cls.rep, 3, 1200)
        company_ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        # a KPI manager who also runs payroll: both rights, still no bending
        cls.kpi_payroll = new_test_user(
            cls.env,
            "kpi_manager_payroll_t",
            groups=f"base.group_user,{GROUP_MANAGER},payroll.group_payroll_manager",
            **company_ctx,
        )

    @classmethod
    def _publish_in(cls, period, scores):
        """`_publish` for another monthly period."""
        month = cls.month
        cls.month = period
        try:
            return cls._publish(scores)
        finally:
            cls.month = month

    def _kpi_lines(self, slip):
        return slip.input_line_ids.filtered(lambda line: line.code in KPI_CODES)

    def _snapshot(self, slip):
        self.env.invalidate_all()
        return (
            slip.state,
            slip.kpi_evaluation_id,
            sorted((line.code, line.amount) for line in slip.input_line_ids),
            sorted((line.code, line.total) for line in slip.line_ids),
        )

    def _done(self):
        slip = self._pay(self.contract)
        slip.action_payslip_done()
        self.assertEqual(slip.state, "done")
        return slip


class TestEvaluationLink(TrustPayrollCase):
    """kpi_evaluation_id is a protected link, of the payslip's month, employee and
    company; an evaluation is paid once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.october = cls.env["hr.kpi.period"]._get_or_create(
            date(2026, 10, 5), "monthly", cls.company
        )
        cls.october_evaluation = cls._publish_in(cls.october, {cls.rep: 100})[cls.rep]

    def test_payroll_user_and_kpi_manager_cannot_point_to_another_month(self):
        """Issue 10 item 5: pointing the November payslip at October's evaluation
        (paying October twice) is refused for the payroll officer and for a KPI
        manager with payroll rights; on create as well."""
        october_slip = self._pay(self.contract, date_from=OCT_FROM, date_to=OCT_TO)
        self.assertEqual(october_slip.kpi_evaluation_id, self.october_evaluation)
        slip = self._payslip(self.contract)
        self.assertEqual(slip.kpi_evaluation_id, self.evaluation)
        for user in (self.payroll, self.kpi_payroll):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "KPI Evaluation"):
                    slip.with_user(user).write({"kpi_evaluation_id": self.october_evaluation.id})
                with self.assertRaisesRegex(AccessError, "change only through the workflow"):
                    self.env["hr.payslip"].with_user(user).create(
                        {
                            "employee_id": self.rep.id,
                            "contract_id": self.contract.id,
                            "struct_id": self.structure.id,
                            "date_from": NOV_FROM,
                            "date_to": NOV_TO,
                            "kpi_evaluation_id": self.october_evaluation.id,
                        }
                    )
        self.env.invalidate_all()
        self.assertEqual(slip.kpi_evaluation_id, self.evaluation)
        # even the superuser cannot link an evaluation of another month
        with self.assertRaisesRegex(ValidationError, "is of period"):
            slip.sudo().kpi_evaluation_id = self.october_evaluation
        # a KPI manager without payroll rights does not even reach the payslip
        with self.assertRaises(AccessError):
            slip.with_user(self.manager).write({"kpi_evaluation_id": False})

    def test_context_default_cannot_set_the_link(self):
        """The client-controlled context is no permission: a default_ key is dropped."""
        slip = (
            self.env["hr.payslip"]
            .with_user(self.payroll)
            .with_context(default_kpi_evaluation_id=self.october_evaluation.id)
            .create(
                {
                    "employee_id": self.rep.id,
                    "contract_id": self.contract.id,
                    "struct_id": self.structure.id,
                    "date_from": NOV_FROM,
                    "date_to": NOV_TO,
                }
            )
        )
        self.assertEqual(slip.kpi_evaluation_id, self.evaluation)

    def test_evaluation_of_another_company_is_refused(self):
        """RELIABILITY #16: a company-A evaluation is never paid by a company-B payslip."""
        other_employee = self._employee("他司代表", company=self.other_company, department=False)
        other_contract = self.env["hr.contract"].create(
            {
                "name": "他司合同",
                "employee_id": other_employee.id,
                "company_id": self.other_company.id,
                "wage": 2000,
                "date_start": date(2026, 1, 1),
                "struct_id": self.structure.id,
                "state": "open",
            }
        )
        self.payroll.company_ids |= self.other_company
        slip = (
            self.env["hr.payslip"]
            .with_context(allowed_company_ids=self.other_company.ids)
            .create(
                {
                    "employee_id": other_employee.id,
                    "contract_id": other_contract.id,
                    "company_id": self.other_company.id,
                    "date_from": NOV_FROM,
                    "date_to": NOV_TO,
                }
            )
        )
        self.assertFalse(slip.kpi_evaluation_id)
        with self.assertRaises(AccessError):
            slip.with_user(self.payroll).with_context(
                allowed_company_ids=(self.company | self.other_company).ids
            ).write({"kpi_evaluation_id": self.evaluation.id})
        with self.assertRaises(ValidationError):
            slip.kpi_evaluation_id = self.evaluation
        self.env.invalidate_all()
        self.assertFalse(slip.kpi_evaluation_id)

    def test_evaluation_paid_once_by_a_unique_constraint(self):
        """RELIABILITY #38 (single transaction part): the allocation table refuses a
        second holder of an employee's month and a second payslip of an evaluation,
        in PostgreSQL, even when written directly."""
        holder = self._pay(self.contract)
        Allocation = self.env["hr.kpi.payslip.allocation"]
        allocation = Allocation.search([("payslip_id", "=", holder.id)])
        self.assertEqual(
            (allocation.employee_id, allocation.month, allocation.evaluation_id),
            (self.rep, NOV_FROM, self.evaluation),
        )
        other = self._payslip(self.contract, date(2026, 11, 16), date(2026, 12, 15))
        for vals in (
            {"month": NOV_FROM},
            {"month": date(2026, 12, 1), "evaluation_id": self.evaluation.id},
        ):
            with (
                self.subTest(vals=vals),
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError),
                self.env.cr.savepoint(),
            ):
                Allocation.create(
                    dict(
                        {
                            "payslip_id": other.id,
                            "employee_id": self.rep.id,
                            "company_id": self.company.id,
                        },
                        **vals,
                    )
                )
        # users only read it
        with self.assertRaises(AccessError):
            allocation.with_user(self.payroll).write({"evaluation_id": False})
        with self.assertRaises(AccessError):
            Allocation.with_user(self.payroll).create(
                {
                    "payslip_id": other.id,
                    "employee_id": self.rep.id,
                    "company_id": self.company.id,
                    "month": date(2026, 12, 1),
                }
            )
        self.assertEqual(allocation.with_user(self.payroll).read(["month"])[0]["month"], NOV_FROM)


class TestDonePayslipLock(TrustPayrollCase):
    """RELIABILITY #30: done and cancelled payslips keep what they paid."""

    def test_done_payslip_kpi_inputs_cannot_be_written_deleted_or_created(self):
        """Issue 10 item 5: input lines of a done payslip, by the payroll officer and
        by the superuser (the lock holds for everyone)."""
        slip = self._done()
        before = self._snapshot(slip)
        star = self._kpi_lines(slip).filtered(lambda line: line.code == "KPI_STAR")
        for env in (self.env(user=self.payroll), self.env):
            with self.subTest(user=env.user.login):
                with self.assertRaisesRegex(UserError, "done or cancelled payslip"):
                    star.with_env(env).write({"amount": 99999.0})
                with self.assertRaisesRegex(UserError, "done or cancelled payslip"):
                    star.with_env(env).unlink()
                with self.assertRaisesRegex(UserError, "done or cancelled payslip"):
                    env["hr.payslip.input"].create(
                        {
                            "payslip_id": slip.id,
                            "contract_id": self.contract.id,
                            "code": "KPI_AWARD",
                            "name": "forged",
                            "amount": 5000.0,
                        }
                    )
                with self.assertRaisesRegex(UserError, "done or cancelled payslip"):
                    slip.with_env(env).write({"input_line_ids": [(1, star.id, {"amount": 1.0})]})
        # any other input line, a KPI line moved out to a draft payslip, computed lines
        with self.assertRaisesRegex(UserError, "done or cancelled payslip"):
            self.env["hr.payslip.input"].with_user(self.payroll).create(
                {
                    "payslip_id": slip.id,
                    "contract_id": self.contract.id,
                    "code": "OTHER",
                    "name": "bonus",
                    "amount": 800.0,
                }
            )
        draft = self._payslip(self.contract, date(2026, 12, 1), date(2026, 12, 31))
        with self.assertRaisesRegex(UserError, "done or cancelled payslip"):
            star.with_user(self.payroll).write({"payslip_id": draft.id})
        net = slip.line_ids.filtered(lambda line: line.code == "NET").with_user(self.payroll)
        with self.assertRaisesRegex(UserError, "done or cancelled payslip"):
            net.write({"amount": 99999.0})
        with self.assertRaisesRegex(UserError, "done or cancelled payslip"):
            net.unlink()
        self.assertEqual(self._snapshot(slip), before, "nothing written")

    def test_cancelled_payslip_kpi_inputs_are_locked(self):
        slip = self._pay(self.contract)
        slip.action_payslip_cancel()
        with self.assertRaisesRegex(UserError, "done or cancelled payslip"):
            self._kpi_lines(slip).with_user(self.payroll).write({"amount": 1.0})
        with self.assertRaisesRegex(UserError, "are computed"):
            slip.with_user(self.payroll).compute_sheet()
        with self.assertRaisesRegex(UserError, "are confirmed"):
            slip.with_user(self.payroll).action_payslip_done()
        self.assertEqual(slip.state, "cancel")

    def test_compute_sheet_on_done_payslip_is_refused(self):
        """Issue 10 item 5: compute_sheet on a done payslip no longer puts it back to
        waiting with new amounts; nor do Refetch, Set to Draft or a write of state."""
        slip = self._done()
        before = self._snapshot(slip)
        # the score changes after payment: nothing may follow on the done payslip
        actions = {
            "compute_sheet": (UserError, "are computed"),
            "onchange_employee": (UserError, "done (or cancelled )?payslip"),
            "action_payslip_draft": (UserError, "not set back to draft"),
            "action_payslip_done": (UserError, "are confirmed"),
            "action_add_kpi_lines": (UserError, "done or cancelled"),
        }
        for method, (error, message) in actions.items():
            with self.subTest(method=method), self.assertRaisesRegex(error, message):
                getattr(slip.with_user(self.payroll), method)()
        writes = {
            "state": (AccessError, "Status"),
            "kpi_input_fingerprint": (AccessError, "KPI Inputs at Compute"),
            "date_from": (UserError, "of a done payslip cannot change"),
            "employee_id": (UserError, "of a done payslip cannot change"),
            "credit_note": (UserError, "of a done payslip cannot change"),
            "refunded_id": (UserError, "of a done payslip cannot change"),
        }
        values = {
            "state": "draft",
            "kpi_input_fingerprint": "v1",
            "date_from": date(2026, 10, 1),
            "employee_id": self._employee("替身").id,
            "credit_note": True,
            "refunded_id": self._payslip(self.contract, OCT_FROM, OCT_TO).id,
        }
        for name, (error, message) in writes.items():
            with self.subTest(field=name), self.assertRaisesRegex(error, message):
                slip.with_user(self.payroll).write({name: values[name]})
        self.assertEqual(self._snapshot(slip), before, "still done, same amounts")

    def test_done_cancel_draft_compute_pays_once(self):
        """RELIABILITY #30: done → cancel (allowed by payroll settings) → draft →
        compute: the KPI lines are there once, with their amounts."""
        self.env["ir.config_parameter"].sudo().set_param("payroll.allow_cancel_payslips", True)
        slip = self._done()
        slip.with_user(self.payroll).action_payslip_cancel()
        Allocation = self.env["hr.kpi.payslip.allocation"]
        self.assertFalse(Allocation.search([("payslip_id", "=", slip.id)]))
        slip.with_user(self.payroll).action_payslip_draft()
        allocation = Allocation.search([("payslip_id", "=", slip.id)])
        self.assertEqual(allocation.evaluation_id, self.evaluation)
        slip.with_user(self.payroll).compute_sheet()
        self.assertEqual(sorted(self._kpi_lines(slip).mapped("code")), ["KPI_ATT", "KPI_STAR"])
        self.assertEqual(self._total(slip, "NET"), 3220.0)
        # cancelled again, another payslip took the lines: back to draft is refused
        slip.action_payslip_cancel()
        other = self._pay(self.contract)
        with self.assertRaisesRegex(ValidationError, "one payslip per month"):
            slip.with_user(self.payroll).action_payslip_draft()
        self.assertEqual(Allocation.search([("employee_id", "=", self.rep.id)]).payslip_id, other)

    def test_refund_frees_the_evaluation_for_one_new_payslip(self):
        """RELIABILITY #30: a refund reverses the KPI lines; the evaluation is then
        allocated once more, to one new payslip only."""
        slip = self._done()
        slip.with_user(self.payroll).refund_sheet()
        Allocation = self.env["hr.kpi.payslip.allocation"]
        self.assertFalse(Allocation.search([("employee_id", "=", self.rep.id)]))
        again = self._pay(self.contract)
        self.assertEqual(Allocation.search([("employee_id", "=", self.rep.id)]).payslip_id, again)
        paying = Allocation.search([("evaluation_id", "=", self.evaluation.id)])
        self.assertEqual(paying.payslip_id, again)
        with self.assertRaises(UserError):
            self._payslip(self.contract).action_add_kpi_lines()


class TestReopenAfterPayroll(TrustPayrollCase):
    def test_paid_evaluation_is_not_reopened(self):
        """RELIABILITY #24: reopening an evaluation paid by a done payslip is refused;
        after a refund it is allowed."""
        slip = self._done()
        with self.assertRaisesRegex(UserError, "already paid by payslip"):
            self.evaluation.with_user(self.officer).action_reopen("Late appeal")
        self.assertEqual(self.evaluation.state, "published")
        slip.refund_sheet()
        self.evaluation.with_user(self.officer).action_reopen("Late appeal")
        self.assertEqual(self.evaluation.state, "hr_review")

    def test_reopen_while_payslip_open_drops_the_allocation(self):
        """RELIABILITY #24: the payslip is still waiting: the allocation loses the
        evaluation, and confirming needs the KPI lines added again."""
        slip = self._pay(self.contract)
        Allocation = self.env["hr.kpi.payslip.allocation"]
        allocation = Allocation.search([("payslip_id", "=", slip.id)])
        self.assertEqual(allocation.evaluation_id, self.evaluation)
        self.evaluation.with_user(self.officer).action_reopen("Appeal upheld")
        self.assertFalse(Allocation.search([("payslip_id", "=", slip.id)]).evaluation_id)
        with self.assertRaisesRegex(UserError, "KPI amounts changed"):
            slip.action_payslip_done()
        slip.action_add_kpi_lines()
        slip.compute_sheet()
        self.assertEqual(self._inputs(slip)["KPI_STAR"], 0.0, "the reopened score is not paid")
        self.assertEqual(self._total(slip, "NET"), 2200.0)


class TestTwoSchemes(TrustPayrollCase):
    def test_two_payable_evaluations_are_refused_naming_both(self):
        """Issue 10 item 5, RELIABILITY #28: an employee on two schemes has two payable
        evaluations in November: neither is kept silently; pushing, building the
        inputs and confirming are refused with both evaluations named."""
        slip = self._payslip(self.contract)
        slip.action_add_kpi_lines()
        second_scheme = self._scheme(
            [{"name": "第二方案", "weight": 100, "scoring_method": "manual"}], name="兼岗方案"
        )
        second_scheme.action_activate()
        self.rep.kpi_scheme_override_id = second_scheme
        second = self._publish({self.rep: 60})[self.rep]
        self.assertEqual(second.scheme_id, second_scheme)
        self.assertNotEqual(second, self.evaluation)
        attempts = {
            "action_add_kpi_lines": lambda: slip.with_user(self.payroll).action_add_kpi_lines(),
            "get_inputs": lambda: self.env["hr.payslip"]
            .with_user(self.payroll)
            .get_inputs(self.contract, NOV_FROM, NOV_TO),
            "action_payslip_done": lambda: slip.with_user(self.payroll).action_payslip_done(),
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name), self.assertRaises(UserError) as caught:
                attempt()
            message = str(caught.exception)
            self.assertIn("one evaluation per month", message)
            self.assertIn(self.evaluation.display_name, message)
            self.assertIn(second.display_name, message)
            self.assertIn("兼岗方案", message)
        self.assertEqual(slip.state, "draft")
        # a new payslip shows neither evaluation
        self.assertFalse(self._payslip(self.contract, NOV_FROM, NOV_TO).kpi_evaluation_id)

    def test_one_kpi_line_per_code(self):
        """RELIABILITY #28: OCA reads inputs by code; a second KPI_STAR line typed on
        the holder would hide the first: refused."""
        slip = self._pay(self.contract)
        with self.assertRaises(ValidationError) as caught:
            self.env["hr.payslip.input"].with_user(self.payroll).create(
                {
                    "payslip_id": slip.id,
                    "contract_id": self.contract.id,
                    "code": "KPI_STAR",
                    "name": "second",
                    "amount": 500.0,
                }
            )
        self.assertIn("several input lines of KPI_STAR", str(caught.exception))
        self.assertEqual(self._inputs(slip)["KPI_STAR"], 1020.0)


class TestPenaltyCap(TrustPayrollCase):
    def test_penalties_never_make_net_negative(self):
        """RELIABILITY #20: documented policy, no cap needed: every cut is a share of
        an amount the module pays (KPI_LOW: of the star and performance pay;
        KPI_COMPLAINT: of the commission), and together they stay below it at the
        seed percentages; the result table's fixed-pay cut is at most 100 % of the
        wage (percentages are validated 0-100). The net never goes below zero
        because of the module, even at score 0 with a 100 % fixed-pay cut."""
        self.company.kpi_result_z_pct = 100
        rep, contract = self._staff("低分代表", self.job_rep, 2000, kpi_performance_base=3000)
        manager, table_contract = self._staff(
            "零分经理",
            self.job_manager,
            5000,
            kpi_performance_base=5000,
            kpi_performance_method="table",
        )
        self._publish({rep: 50, manager: 0})
        self._star(rep, 5, 3000)
        self._incidents(rep, "valid_complaint", 5)
        slip = self._pay(contract)
        inputs = self._inputs(slip)
        paid = inputs["KPI_STAR"] + inputs["KPI_PERF"]
        self.assertEqual(paid, 3000.0)
        self.assertEqual((inputs["KPI_LOW"], inputs["KPI_COMPLAINT"]), (-900.0, -750.0))
        self.assertLess(-(inputs["KPI_LOW"] + inputs["KPI_COMPLAINT"]), paid)
        self.assertEqual(self._total(slip, "NET"), 2000.0 + 3000.0 - 900.0 - 750.0 + 200.0)
        table_slip = self._pay(table_contract)
        table_inputs = self._inputs(table_slip)
        self.assertEqual((table_inputs["KPI_PERF"], table_inputs["KPI_LOW"]), (0.0, -5000.0))
        self.assertGreaterEqual(self._total(table_slip, "NET"), 0.0)
        with self.assertRaises(ValidationError):
            self.company.kpi_result_z_pct = 150


class TestPeriodMapping(TrustPayrollCase):
    def test_approval_instant_does_not_move_the_period(self):
        """RELIABILITY #34: the product maps a payslip to the monthly KPI period its
        dates overlap most; the evaluation belongs to its period whatever the instant
        of approval. Approved on 30 Nov 23:30 in Asia/Ho_Chi_Minh (16:30 UTC) or on
        30 Nov 20:00 in America/Los_Angeles (04:00 UTC on 1 Dec), it is November's."""
        for instant, tz, name in (
            ("2026-11-30 16:30:00", "Asia/Ho_Chi_Minh", "胡志明代表"),
            ("2026-12-01 04:00:00", "America/Los_Angeles", "洛杉矶代表"),
        ):
            with self.subTest(tz=tz):
                self.officer.tz = tz
                rep, contract = self._staff(name, self.job_rep, 2000)
                with freeze_time(instant):
                    evaluation = self._publish({rep: 85})[rep]
                self.assertEqual(evaluation.period_id, self.month)
                self.assertEqual(self._payslip(contract).kpi_evaluation_id, evaluation)
                december = self._payslip(contract, date(2026, 12, 1), date(2026, 12, 31))
                self.assertFalse(december.kpi_evaluation_id)

    def test_month_end_inclusive_and_29_february(self):
        """RELIABILITY #34: monthly periods are Dates, the last day included; February
        2028 has 29 days; a payslip maps to the month it overlaps most."""
        Period = self.env["hr.kpi.period"]
        self.assertEqual(self.month.date_to, date(2026, 11, 30))
        last_day = Period._get_or_create(date(2026, 11, 30), "monthly", self.company)
        self.assertEqual(last_day, self.month)
        february = Period._get_or_create(date(2028, 2, 29), "monthly", self.company)
        feb_from, feb_to = date(2028, 2, 1), date(2028, 2, 29)
        self.assertEqual((february.date_from, february.date_to), (feb_from, feb_to))
        months = self.env["hr.payslip"]._kpi_months(self.company, feb_from, feb_to)
        self.assertEqual(months[self.company.id], february)
        slip = self._payslip(self.contract, date(2028, 2, 1), date(2028, 2, 29))
        slip.action_add_kpi_lines()
        allocation = self.env["hr.kpi.payslip.allocation"].search([("payslip_id", "=", slip.id)])
        self.assertEqual(allocation.month, date(2028, 2, 1))
        # 16 Nov – 15 Dec: 15 days each, the later month wins, as for the periods
        later = self._payslip(self.contract, date(2026, 11, 16), date(2026, 12, 15))
        later.action_add_kpi_lines()
        allocation = self.env["hr.kpi.payslip.allocation"].search([("payslip_id", "=", later.id)])
        self.assertEqual(allocation.month, date(2026, 12, 1))


@tagged("post_install", "-at_install")
class TestPayrollLocksRpc(TrustPayrollCase, HttpCase):
    """Issue 10 item 5 over real XML-RPC calls as the payroll officer: every attempt
    is refused with a clean message (no traceback) and the done payslip is unchanged."""

    def _call(self, model, method, *args):
        port = odoo.tools.config["http_port"]
        rpc = xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{port}/xmlrpc/2/object", allow_none=True
        )
        user = self.payroll
        return rpc.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, list(args))

    def test_done_payslip_over_rpc(self):
        slip = self._done()
        october = self.env["hr.kpi.period"]._get_or_create(
            date(2026, 10, 5), "monthly", self.company
        )
        october_evaluation = self._publish_in(october, {self.rep: 100})[self.rep]
        before = self._snapshot(slip)
        star = self._kpi_lines(slip).filtered(lambda line: line.code == "KPI_STAR")
        attempts = [
            ("hr.payslip.input", "write", [star.id], {"amount": 99999.0}),
            ("hr.payslip.input", "unlink", [star.id]),
            (
                "hr.payslip.input",
                "create",
                {
                    "payslip_id": slip.id,
                    "contract_id": self.contract.id,
                    "code": "KPI_AWARD",
                    "name": "forged",
                    "amount": 5000.0,
                },
            ),
            ("hr.payslip", "compute_sheet", [slip.id]),
            ("hr.payslip", "action_payslip_draft", [slip.id]),
            ("hr.payslip", "write", [slip.id], {"state": "draft"}),
            ("hr.payslip", "write", [slip.id], {"kpi_evaluation_id": october_evaluation.id}),
        ]
        for attempt in attempts:
            with self.subTest(attempt=attempt[:2]):
                with self.assertRaises(xmlrpc.client.Fault) as caught:
                    self._call(*attempt)
                fault = caught.exception.faultString
                for marker in ("Traceback", "ValueError", "TypeError", "psycopg2"):
                    self.assertNotIn(marker, fault)
                self.assertRegex(fault, "done|workflow buttons")
        self.assertEqual(self._snapshot(slip), before)
