"""Standby-training days decided after their month's payslip (seed 004 末位处理:
待岗时间至少为三天, 待岗培训期间不予发工资) are not lost: the employee's next payslip
holding KPI lines deducts them, its formula naming the month, once
(``hr.kpi.standby.deduction``, a PostgreSQL unique index like the other pay)."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_kpi_payroll import PayrollCase
from .test_migrations import _script as _migration_script

DEC_FROM, DEC_TO = date(2026, 12, 1), date(2026, 12, 31)


def _migration(version):
    return _migration_script(version, "post-migrate")


@tagged("post_install", "-at_install")
class TestLateStandby(PayrollCase):
    """售后专员丙, wage 4200; November 2026 has 21 working days: 3 standby days are
    −4200 / 21 × 3 = −600."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.worker, cls.worker_contract = cls._staff("售后专员丙", cls.job_rep, 4200)
        cls.december = cls.env["hr.kpi.period"]._get_or_create(DEC_FROM, "monthly", cls.company)

    def _decide(self, days=3, month=None):
        decision = self.env["hr.kpi.consequence"].create(
            {
                "employee_id": self.worker.id,
                "company_id": self.company.id,
                "rule": "bottom_rank",
                "trigger_key": f"test-late-{days}",
                "description": "末位 (test)",
            }
        )
        officer = decision.with_user(self.officer)
        officer.write({"standby_days": days, "standby_period_id": (month or self.month).id})
        officer.action_decide_standby()
        return decision

    @staticmethod
    def _standby(slip):
        return slip.input_line_ids.filtered(lambda i: i.code == "KPI_STANDBY")

    def _rows(self, decision):
        return self.env["hr.kpi.standby.deduction"].search([("consequence_id", "=", decision.id)])

    def _done_november(self):
        november = self._pay(self.worker_contract)
        november.action_payslip_done()
        self.assertEqual(november.state, "done")
        self.assertFalse(self._standby(november))
        return november

    def test_decided_after_the_months_payslip_is_deducted_next_month_once(self):
        """RELIABILITY #26, #29: November's payslip is done when HR decides 3 days of
        November; December's payslip deducts −600 with the formula naming 2026-11, and
        adding the KPI lines and computing again does not double it."""
        self._done_november()
        decision = self._decide()
        december = self._pay(self.worker_contract, date_from=DEC_FROM, date_to=DEC_TO)
        line = self._standby(december)
        self.assertEqual(line.amount, -600.0)
        self.assertEqual(line.kpi_explanation, "2026-11: −4200 / 21 × 3 = -600")
        self.assertEqual(line.kpi_standby_consequence_ids, decision)
        self.assertEqual(self._total(december, "KPI_STANDBY"), -600.0)
        row = self._rows(decision)
        self.assertEqual(
            (row.payslip_id, row.days, row.month, row.paid_month),
            (december, 3, date(2026, 11, 1), DEC_FROM),
        )

        december.action_add_kpi_lines()
        december.compute_sheet()
        december.compute_sheet()
        self.assertEqual(len(self._standby(december)), 1)
        self.assertEqual(self._standby(december).amount, -600.0)
        self.assertEqual(self._total(december, "KPI_STANDBY"), -600.0)
        self.assertEqual(len(self._rows(decision)), 1)
        december.action_payslip_done()
        self.assertEqual(december.state, "done")

    def test_second_payslip_of_the_month_and_later_months_do_not_deduct_again(self):
        """RELIABILITY #29, #38: once December's payslip deducts the late days, a
        second December payslip gets no KPI lines (refused, naming the holder) and
        January's payslip deducts nothing; a January decision of its own is
        deducted there, without the November days."""
        self._done_november()
        decision = self._decide()
        december = self._pay(self.worker_contract, date_from=DEC_FROM, date_to=DEC_TO)
        december.action_payslip_done()
        second = self._payslip(self.worker_contract, DEC_FROM, DEC_TO)
        with self.assertRaisesRegex(UserError, "already on payslip"):
            second.action_add_kpi_lines()
        Payslip = self.env["hr.payslip"].with_user(self.payroll)
        inputs = Payslip.get_inputs(self.worker_contract, DEC_FROM, DEC_TO)
        self.assertFalse([vals for vals in inputs if vals["code"] == "KPI_STANDBY"])

        january = self.env["hr.kpi.period"]._get_or_create(
            date(2027, 1, 1), "monthly", self.company
        )
        jan_slip = self._pay(
            self.worker_contract, date_from=date(2027, 1, 1), date_to=date(2027, 1, 31)
        )
        self.assertFalse(self._standby(jan_slip))
        jan_slip.action_payslip_cancel()
        own = self._decide(days=4, month=january)
        jan_slip = self._pay(
            self.worker_contract, date_from=date(2027, 1, 1), date_to=date(2027, 1, 31)
        )
        line = self._standby(jan_slip)
        self.assertEqual(line.kpi_standby_consequence_ids, own)
        self.assertNotIn("2026-11", line.kpi_explanation)
        self.assertEqual(self._rows(decision).payslip_id, december)

    def test_refund_frees_the_late_days_for_one_new_payslip(self):
        """RELIABILITY #30: December's payslip is refunded; the new December payslip
        deducts the November days again, once."""
        self._done_november()
        decision = self._decide()
        december = self._pay(self.worker_contract, date_from=DEC_FROM, date_to=DEC_TO)
        december.action_payslip_done()
        december.refund_sheet()
        self.assertFalse(self._rows(decision), "the refunded payslip no longer deducts")
        again = self._pay(self.worker_contract, date_from=DEC_FROM, date_to=DEC_TO)
        self.assertEqual(self._standby(again).amount, -600.0)
        self.assertEqual(self._rows(decision).payslip_id, again)

    def test_month_and_late_days_on_one_line_each_at_its_rate(self):
        """Seed 004: 3 late days of November (21 working days) and 4 days of December
        (23 working days, −4200 / 23 × 4 = −730.43) on December's line:
        −600 − 730.43 = −1330.43, rounded once; a line typed without its decisions
        (a client that does not send read-only fields) gets them."""
        self._done_november()
        late = self._decide()
        own = self._decide(days=4, month=self.december)
        december = self._pay(self.worker_contract, date_from=DEC_FROM, date_to=DEC_TO)
        line = self._standby(december)
        self.assertEqual(line.amount, -1330.43)
        self.assertEqual(
            line.kpi_explanation, "2026-11: −4200 / 21 × 3 + −4200 / 23 × 4 = -1330.43"
        )
        self.assertEqual(line.kpi_standby_consequence_ids, late | own)

        line.unlink()
        self.assertFalse(self._rows(late) | self._rows(own))
        self.env["hr.payslip.input"].with_user(self.payroll).create(
            {
                "payslip_id": december.id,
                "contract_id": self.worker_contract.id,
                "code": "KPI_STANDBY",
                "name": "待岗培训",
                "amount": -1330.43,
            }
        )
        self.assertEqual(self._standby(december).kpi_standby_consequence_ids, late | own)
        self.assertEqual((self._rows(late) | self._rows(own)).payslip_id, december)

    def test_upgrade_records_what_old_done_payslips_deducted(self):
        """RELIABILITY #26, #29 (migration 18.0.1.4.0): a payslip done at 18.0.1.3.0
        deducted November's 3 days without recording it; the upgrade records the
        decision on it, so that December does not deduct the same days again."""
        decision = self._decide()
        november = self._pay(self.worker_contract)
        november.action_payslip_done()
        self.assertEqual(self._standby(november).amount, -600.0)
        # what 18.0.1.3.0 left: no record of the deduction, no decision on the line
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM hr_kpi_standby_deduction WHERE consequence_id = %s", [decision.id]
        )
        self.env.cr.execute(
            "DELETE FROM hr_payslip_input_kpi_standby_rel WHERE input_id = %s",
            [self._standby(november).id],
        )
        self.env.invalidate_all()
        self.assertFalse(self._rows(decision))

        _migration("18.0.1.4.0").migrate(self.env.cr, "18.0.1.3.0")
        self.env.invalidate_all()
        row = self._rows(decision)
        self.assertEqual(
            (row.payslip_id, row.days, row.paid_month), (november, 3, date(2026, 11, 1))
        )
        self.assertEqual(self._standby(november).kpi_standby_consequence_ids, decision)
        self.assertEqual(self._standby(november).amount, -600.0)
        december = self._pay(self.worker_contract, date_from=DEC_FROM, date_to=DEC_TO)
        self.assertFalse(self._standby(december).filtered("amount"))
        self.assertEqual(self._total(december, "KPI_STANDBY"), 0.0)
