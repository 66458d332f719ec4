"""The payslip batch wizard with the payroll guards run once per batch (issue 11):
the same lines as the same amounts typed by hand, every guarantee kept."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_kpi_payroll import KPI_CODES, NOV_FROM, NOV_TO, PayrollCase


@tagged("post_install", "-at_install")
class TestPayrollBatch(PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = {}
        for name, job, wage, stars, pay, score in (
            ("批量甲", cls.job_rep, 2000, 3, 1200, 85),
            ("批量乙", cls.job_rep, 2100, 4, 1500, 55),
            ("批量丙", cls.job_lead, 2800, 2, 2000, 92),
        ):
            employee, contract = cls._staff(name, job, wage)
            cls._star(employee, stars, pay, role="lead" if job == cls.job_lead else "rep")
            cls.staff[employee] = (contract, score)
        cls._publish({employee: score for employee, (_c, score) in cls.staff.items()})
        cls.employees = cls.env["hr.employee"].concat(*cls.staff)

    def _run(self):
        return (
            self.env["hr.payslip.run"]
            .with_user(self.payroll)
            .create({"name": "2026-11", "date_start": NOV_FROM, "date_end": NOV_TO})
        )

    def _wizard(self, run):
        self.env["hr.payslip.employees"].with_user(self.payroll).with_context(
            active_id=run.id
        ).create({"employee_ids": [(6, 0, self.employees.ids)]}).compute_sheet()
        return run.slip_ids

    @staticmethod
    def _slips_outcome(slips):
        """{employee: (inputs (code, name, amount), lines (code, name, total))}."""
        return {
            slip.employee_id: (
                sorted((i.code, i.name, i.amount) for i in slip.input_line_ids),
                sorted((line.code, line.name, line.total) for line in slip.line_ids),
            )
            for slip in slips
        }

    def _allocations(self, slips):
        return self.env["hr.kpi.payslip.allocation"].search([("payslip_id", "in", slips.ids)])

    def test_wizard_gives_the_lines_of_the_same_amounts_typed(self):
        """Comparison: the wizard (KPI amounts computed, guards once per batch) and
        the same input lines typed on hand-made payslips give identical inputs and
        payslip lines, names included."""
        computed = self._wizard(self._run())
        outcome = self._slips_outcome(computed)
        typed_run = self._run()
        Payslip = self.env["hr.payslip"].with_user(self.payroll)
        for employee, (contract, _score) in self.staff.items():
            inputs, _lines = outcome[employee]
            slip = Payslip.create(
                {
                    "employee_id": employee.id,
                    "contract_id": contract.id,
                    "struct_id": self.structure.id,
                    "company_id": self.company.id,
                    "date_from": NOV_FROM,
                    "date_to": NOV_TO,
                    "payslip_run_id": typed_run.id,
                }
            )
            # the computed batch still holds these employees' KPI lines: cancel it
            # first, as an office typing them would have no other holder
            computed.filtered(lambda s, e=employee: s.employee_id == e).action_payslip_cancel()
            self.env["hr.payslip.input"].with_user(self.payroll).create(
                [
                    {
                        "payslip_id": slip.id,
                        "contract_id": contract.id,
                        "code": code,
                        "name": name,
                        "amount": amount,
                    }
                    for code, name, amount in inputs
                ]
            )
            slip.compute_sheet()
        self.assertEqual(self._slips_outcome(typed_run.slip_ids), outcome)
        nets = {
            employee: {code: total for code, _name, total in lines if code == "NET"}
            for employee, (_inputs, lines) in outcome.items()
        }
        self.assertEqual(nets[self.employees[0]], {"NET": 3220.0})  # 2000 + 1020 + 200

    def test_wizard_records_every_holder_once(self):
        """Paid once: after the wizard, each new payslip holding KPI lines has its
        allocation row, with its evaluation (synced once for the batch)."""
        slips = self._wizard(self._run())
        allocations = self._allocations(slips)
        self.assertEqual(allocations.payslip_id, slips)
        self.assertEqual(allocations.evaluation_id, slips.kpi_evaluation_id)
        self.assertEqual(len(allocations.evaluation_id), 3)
        self.assertTrue(all(slip.state == "verify" for slip in slips))

    def test_deferred_guard_still_refuses_a_second_holder(self):
        """Inside the wizard's block the checks wait, but they run before the block
        ends: a second holder of an employee's month is refused, naming the payslip."""
        employee, (contract, _score) = next(iter(self.staff.items()))
        Payslip = self.env["hr.payslip"].with_user(self.payroll)

        def holder():
            return Payslip.create(
                {
                    "employee_id": employee.id,
                    "contract_id": contract.id,
                    "struct_id": self.structure.id,
                    "company_id": self.company.id,
                    "date_from": NOV_FROM,
                    "date_to": NOV_TO,
                    "input_line_ids": [
                        (
                            0,
                            0,
                            {
                                "code": "KPI_ATT",
                                "name": "全勤奖",
                                "amount": 200.0,
                                "contract_id": contract.id,
                            },
                        )
                    ],
                }
            )

        with self.assertRaises(ValidationError) as caught:
            with Payslip._kpi_deferred_guard(employee):
                first = holder()
                self.assertFalse(self._allocations(first), "synced when the block ends")
                holder()
        self.assertIn("one payslip per period", str(caught.exception))
        # outside the block, each change is checked at once
        first = holder()
        self.assertEqual(len(self._allocations(first)), 1)
        with self.assertRaises(ValidationError):
            holder()

    def test_guard_queries_do_not_grow_with_the_batch(self):
        """The holder check and the allocation sync run once per wizard: their
        queries do not grow with the payslips (3 against 1 employee)."""
        Payslip = type(self.env["hr.payslip"])
        originals = (Payslip._kpi_sync_allocations, Payslip._kpi_check_one_holder)
        counts = []
        for employees in (self.employees[:1], self.employees):
            run = self._run()
            calls = {"sync": 0, "check": 0}

            def sync(records, *args, _calls=calls, **kwargs):
                before = self.env.cr.sql_log_count
                try:
                    return originals[0](records, *args, **kwargs)
                finally:
                    _calls["sync"] += self.env.cr.sql_log_count - before

            def check(records, *args, _calls=calls, **kwargs):
                before = self.env.cr.sql_log_count
                try:
                    return originals[1](records, *args, **kwargs)
                finally:
                    _calls["check"] += self.env.cr.sql_log_count - before

            Payslip._kpi_sync_allocations, Payslip._kpi_check_one_holder = sync, check
            try:
                self.env.flush_all()
                self.env["hr.payslip.employees"].with_user(self.payroll).with_context(
                    active_id=run.id
                ).create({"employee_ids": [(6, 0, employees.ids)]}).compute_sheet()
            finally:
                Payslip._kpi_sync_allocations, Payslip._kpi_check_one_holder = originals
            self.assertEqual(len(run.slip_ids), len(employees))
            self.assertTrue(run.slip_ids.input_line_ids.filtered(lambda i: i.code in KPI_CODES))
            counts.append(calls)
            run.slip_ids.action_payslip_cancel()
        self.assertLessEqual(counts[1]["check"], counts[0]["check"])
        self.assertLessEqual(counts[1]["sync"], counts[0]["sync"])
