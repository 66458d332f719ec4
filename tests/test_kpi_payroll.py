"""Payroll bridge (DESIGN §7): KPI input lines on OCA payslips and the shipped
"Customer service" structure reproduce the seed payslips."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import float_compare

from .common import KpiCase

NOV_FROM, NOV_TO = date(2026, 11, 1), date(2026, 11, 30)
KPI_CODES = (
    "KPI_STAR",
    "KPI_PERF",
    "KPI_LOW",
    "KPI_ATT",
    "KPI_AWARD",
    "KPI_ANNUAL",
    "KPI_COMPLAINT",
    "KPI_DEFER",
    "KPI_POOL",
    "KPI_COMMISSION",
    "KPI_TEAM",
    "KPI_BACK",
    "KPI_STANDBY",
)


@tagged("post_install", "-at_install")
class PayrollCase(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        company_ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.payroll = new_test_user(
            cls.env,
            "kpi_payroll_t",
            groups="base.group_user,payroll.group_payroll_manager",
            **company_ctx,
        )
        cls.structure = cls.env.ref("hr_kpi_service.payroll_structure_customer_service")
        cls.structure.company_id = cls.company
        cls.job_manager = cls.env["hr.job"].create(
            {"name": "客户服务部经理", "company_id": cls.company.id}
        )
        cls.scheme = cls._scheme(
            [
                {"name": "月度绩效", "weight": 100, "scoring_method": "manual"},
                {"name": "服务红线", "weight": 0, "scoring_method": "veto", "is_veto": True},
            ],
            job_ids=[(6, 0, (cls.job_rep | cls.job_lead | cls.job_manager).ids)],
        )
        cls.scheme.action_activate()
        cls.month = cls.env["hr.kpi.period"]._get_or_create(
            date(2026, 11, 5), "monthly", cls.company
        )
        cls.calendar = cls.company.resource_calendar_id

    # ------------------------------------------------------------------
    # Fixtures
    # ------------------------------------------------------------------
    @classmethod
    def _staff(cls, name, job, wage, **contract_vals):
        employee = cls._employee(name, job=job)
        employee.resource_calendar_id = cls.calendar
        contract = cls.env["hr.contract"].create(
            dict(
                {
                    "name": f"{name} 合同",
                    "employee_id": employee.id,
                    "company_id": cls.company.id,
                    "wage": wage,
                    "date_start": date(2026, 1, 1),
                    "struct_id": cls.structure.id,
                    "resource_calendar_id": cls.calendar.id,
                    "state": "open",
                },
                **contract_vals,
            )
        )
        return employee, contract

    @classmethod
    def _publish(cls, scores, vetoed=()):
        """Approved and published monthly evaluations with these total scores.

        :param scores: {employee: score} for the November period
        """
        evaluations = (
            cls.env["hr.kpi.evaluation"]
            .with_company(cls.company)
            ._generate(cls.month)
            .filtered(lambda e: e.employee_id in cls.env["hr.employee"].concat(*scores))
        )
        for evaluation in evaluations:
            for line in evaluation.line_ids:
                if line.indicator_id.scoring_method == "veto":
                    line.actual_value = 0 if evaluation.employee_id in vetoed else 1
                else:
                    line.actual_value = scores[evaluation.employee_id]
                line.has_actual = True
        evaluations.with_user(cls.officer).action_start()
        evaluations.with_user(cls.officer).action_to_rating()
        evaluations.with_user(cls.officer).action_to_hr_review()
        evaluations.with_user(cls.officer).action_approve()
        evaluations.with_user(cls.officer).action_publish()
        return {e.employee_id: e for e in evaluations}

    @classmethod
    def _star(cls, employee, stars, pay, role="rep", probation=False):
        return cls.env["hr.kpi.star.month"].create(
            {
                "employee_id": employee.id,
                "company_id": cls.company.id,
                "period_id": cls.month.id,
                "role": role,
                "stars": stars,
                "pay": pay,
                "probation": probation,
            }
        )

    def _payslip(self, contract, date_from=NOV_FROM, date_to=NOV_TO):
        return (
            self.env["hr.payslip"]
            .with_user(self.payroll)
            .create(
                {
                    "employee_id": contract.employee_id.id,
                    "contract_id": contract.id,
                    "struct_id": self.structure.id,
                    "company_id": self.company.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )
        )

    def _pay(self, contract, **kwargs):
        """A payslip with its KPI lines added and its sheet computed."""
        slip = self._payslip(contract, **kwargs)
        slip.action_add_kpi_lines()
        slip.compute_sheet()
        return slip

    @staticmethod
    def _inputs(slip):
        """{code: amount} of the input lines; KPI codes without a line count as 0."""
        return dict.fromkeys(KPI_CODES, 0.0) | {
            line.code: line.amount for line in slip.input_line_ids
        }

    @staticmethod
    def _total(slip, code):
        return slip.get_salary_line_total(code)

    def _incidents(self, employee, code, count, day=date(2026, 11, 10)):
        kind = self.env["hr.kpi.incident.type"].search([("code", "=", code)])
        self.env["hr.kpi.incident"].create(
            [
                {
                    "employee_id": employee.id,
                    "company_id": self.company.id,
                    "type_id": kind.id,
                    "date": day,
                    "confirmed": True,
                }
                for _n in range(count)
            ]
        )


class TestSeedPayslips(PayrollCase):
    """The seed examples, through the shipped structure (DESIGN §7)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep, cls.rep_contract = cls._staff("客服代表A", cls.job_rep, 2000)
        cls.lead, cls.lead_contract = cls._staff("客服领班A", cls.job_lead, 2800)
        cls.boss, cls.boss_contract = cls._staff(
            "服务经理A", cls.job_manager, 5000, kpi_performance_base=5000
        )
        cls.evaluations = cls._publish({cls.rep: 85, cls.lead: 85, cls.boss: 95})
        cls._star(cls.rep, 3, 1200)
        cls._star(cls.lead, 2, 2000, role="lead")

    def test_rep_2000_plus_1200_x_85_plus_200_is_3220(self):
        slip = self._pay(self.rep_contract)
        inputs = self._inputs(slip)
        self.assertEqual(inputs["KPI_STAR"], 1020.0)
        self.assertEqual(inputs["KPI_ATT"], 200.0)
        self.assertEqual(self._total(slip, "BASIC"), 2000.0)
        self.assertEqual(self._total(slip, "GROSS"), 3220.0)
        self.assertEqual(self._total(slip, "NET"), 3220.0)

    def test_lead_2800_plus_2000_x_85_plus_200_is_4700(self):
        slip = self._pay(self.lead_contract)
        self.assertEqual(self._inputs(slip)["KPI_STAR"], 1700.0)
        self.assertEqual(self._total(slip, "NET"), 4700.0)

    def test_manager_commission_5000_x_95_is_4750(self):
        slip = self._pay(self.boss_contract)
        self.assertEqual(self._inputs(slip)["KPI_PERF"], 4750.0)
        self.assertEqual(self._total(slip, "KPI_PERF"), 4750.0)
        self.assertEqual(self._inputs(slip)["KPI_DEFER"], 0.0, "4750 is below the base 5000")
        self.assertEqual(self._total(slip, "NET"), 5000.0 + 4750.0 + 200.0)

    def test_payslip_shows_evaluation_score_grade_and_star(self):
        slip = self._payslip(self.rep_contract)
        self.assertEqual(slip.kpi_evaluation_id, self.evaluations[self.rep])
        self.assertEqual(slip.kpi_score, 85.0)
        self.assertEqual(slip.kpi_stars, 3)
        # the grade by name, as on the evaluation form (issue 20, finding 6)
        grade = self.evaluations[self.rep].grade_band_id
        self.assertTrue(grade)
        self.assertEqual(slip.kpi_grade, grade.name)
        self.assertNotEqual(slip.kpi_grade, grade.code)
        self.assertFalse(slip.kpi_vetoed)
        other_month = self._payslip(self.rep_contract, date(2026, 12, 1), date(2026, 12, 31))
        self.assertFalse(other_month.kpi_evaluation_id)

    def test_kpi_lines_are_the_non_zero_amounts(self):
        # OCA's own input building lists every declared input, the KPI ones filled
        inputs = (
            self.env["hr.payslip"]
            .with_user(self.payroll)
            .get_inputs(self.rep_contract, NOV_FROM, NOV_TO)
        )
        self.assertEqual(sorted(vals["code"] for vals in inputs), sorted(KPI_CODES))
        amounts = {vals["code"]: vals["amount"] for vals in inputs}
        self.assertEqual(
            (amounts["KPI_STAR"], amounts["KPI_ATT"], amounts["KPI_LOW"]), (1020.0, 200.0, 0.0)
        )
        slip = self._pay(self.rep_contract)
        self.assertEqual(sorted(slip.input_line_ids.mapped("code")), ["KPI_ATT", "KPI_STAR"])
        self.assertEqual(
            sorted(slip.line_ids.mapped("code")), ["BASIC", "GROSS", "KPI_ATT", "KPI_STAR", "NET"]
        )


class TestPayRules(PayrollCase):
    """Cuts, deferral, pool, annual bonus, result table, veto, attendance."""

    def test_score_below_60_cuts_30_pct_of_performance_pay(self):
        rep, contract = self._staff("低分代表", self.job_rep, 2000)
        self._publish({rep: 50})
        self._star(rep, 3, 1200)
        slip = self._pay(contract)
        inputs = self._inputs(slip)
        self.assertEqual(inputs["KPI_STAR"], 600.0)
        self.assertEqual(inputs["KPI_LOW"], -180.0, "30 % of the 600 of performance pay")
        self.assertEqual(self._total(slip, "BASIC"), 2000.0, "base salary untouched")
        self.assertEqual(self._total(slip, "NET"), 2000.0 + 600.0 + 200.0 - 180.0)

    def test_exactly_60_is_not_cut(self):
        rep, contract = self._staff("及格代表", self.job_rep, 2000)
        self._publish({rep: 60})
        self._star(rep, 3, 1200)
        self.assertEqual(self._inputs(self._pay(contract))["KPI_LOW"], 0.0)

    def test_probation_rep_is_paid_on_at_least_70(self):
        rep, contract = self._staff("试用代表", self.job_rep, 2000)
        self._publish({rep: 65})
        self._star(rep, 3, 1080, probation=True)  # 90 % of the 3-star pay
        inputs = self._inputs(self._pay(contract))
        self.assertEqual(inputs["KPI_STAR"], 756.0, "1080 x 70 %")
        self.assertEqual(inputs["KPI_LOW"], 0.0)

    def test_complaint_cuts_5_20_50_pct_of_commission(self):
        boss, contract = self._staff("投诉经理", self.job_manager, 5000, kpi_performance_base=5000)
        self._publish({boss: 95})
        slip = self._payslip(contract)
        for complaints, cut in ((1, -237.5), (2, -950.0), (3, -2375.0), (4, -2375.0)):
            with self.subTest(complaints=complaints):
                self._incidents(boss, "valid_complaint", 1)
                slip.action_add_kpi_lines()
                slip.compute_sheet()
                self.assertEqual(self._inputs(slip)["KPI_COMPLAINT"], cut)
                self.assertEqual(self._total(slip, "NET"), 5000.0 + 4750.0 + 200.0 + cut)

    def test_reception_score_below_96_cuts_10_pct_more(self):
        clerk, contract = self._staff(
            "业务接待", self.job_rep, 3000, kpi_performance_base=2000, kpi_reception_staff=True
        )
        self._publish({clerk: 95})
        self._incidents(clerk, "valid_complaint", 1)
        inputs = self._inputs(self._pay(contract))
        self.assertEqual(inputs["KPI_PERF"], 1900.0)
        self.assertEqual(inputs["KPI_COMPLAINT"], -285.0, "5 % + 10 % of 1900")

    def test_30_pct_of_commission_above_base_salary_deferred(self):
        boss, contract = self._staff("高提成", self.job_manager, 5000, kpi_performance_base=8000)
        self._publish({boss: 100})
        slip = self._pay(contract)
        self.assertEqual(self._inputs(slip)["KPI_DEFER"], 900.0, "30 % of 8000 - 5000")
        self.assertEqual(self._total(slip, "KPI_DEFER"), -900.0)
        self.assertEqual(self._total(slip, "NET"), 5000.0 + 8000.0 + 200.0 - 900.0)

    def test_profit_pool_split_3_5_2(self):
        holders = {}
        for name, position in (
            ("服务经理", "service_manager"),
            ("配件部", "parts"),
            ("质量检验", "quality_inspection"),
        ):
            holders[position] = self._staff(
                name, self.job_manager, 5000, kpi_pool_position=position
            )
        self._publish({employee: 95 for employee, _contract in holders.values()})
        self.month.write({"pool_gross_profit": 500000, "pool_revenue": 1000000})
        # (500000 - 1000000 x 34 %) x 3 % = 4800; x 95 % = 4560, split 3 : 5 : 2
        expected = {"service_manager": 1368.0, "parts": 2280.0, "quality_inspection": 912.0}
        for position, (_employee, contract) in holders.items():
            with self.subTest(position=position):
                slip = self._pay(contract)
                self.assertEqual(self._inputs(slip)["KPI_POOL"], expected[position])
                self.assertEqual(self._total(slip, "KPI_POOL"), expected[position])

    def test_annual_10000_x_110_is_11000(self):
        boss, contract = self._staff(
            "年终奖经理", self.job_manager, 5000, kpi_annual_bonus_base=10000
        )
        year = self.month.parent_id.parent_id
        self.assertEqual((year.period_type, year.date_to), ("annual", date(2026, 12, 31)))
        self.env["hr.kpi.result"].create(
            {
                "employee_id": boss.id,
                "period_id": year.id,
                "company_id": self.company.id,
                "score": 110,
            }
        )
        december = self._pay(contract, date_from=date(2026, 12, 1), date_to=date(2026, 12, 31))
        self.assertEqual(self._inputs(december)["KPI_ANNUAL"], 11000.0)
        self.assertEqual(self._total(december, "KPI_ANNUAL"), 11000.0)
        self.assertEqual(self._inputs(self._pay(contract))["KPI_ANNUAL"], 0.0, "not in November")

    def test_result_table_90_80_70_with_configurable_percentages(self):
        cases = [(95, 10000.0, 0.0), (85, 8000.0, 0.0), (75, 5000.0, 0.0), (65, 0.0, -600.0)]
        people = {}
        for score, _bonus, _cut in cases:
            people[score] = self._staff(
                f"部门经理{score}",
                self.job_manager,
                6000,
                kpi_performance_base=10000,
                kpi_performance_method="table",
            )
        self._publish({employee: score for score, (employee, _c) in people.items()})
        slips = {score: self._payslip(contract) for score, (_e, contract) in people.items()}
        for score, bonus, cut in cases:
            with self.subTest(score=score):
                slip = slips[score]
                slip.action_add_kpi_lines()
                slip.compute_sheet()
                self.assertEqual(self._inputs(slip)["KPI_PERF"], bonus)
                self.assertEqual(self._inputs(slip)["KPI_LOW"], cut, "fixed pay -10 % below 70")
                self.assertEqual(self._total(slip, "NET"), 6000.0 + bonus + 200.0 + cut)
        self.company.write(
            {"kpi_result_x_pct": 90.0, "kpi_result_y_pct": 60.0, "kpi_result_z_pct": 20.0}
        )
        for score, expected in ((85, (9000.0, 0.0)), (75, (6000.0, 0.0)), (65, (0.0, -1200.0))):
            with self.subTest(score=score, configured=True):
                slips[score].action_add_kpi_lines()
                inputs = self._inputs(slips[score])
                self.assertEqual((inputs["KPI_PERF"], inputs["KPI_LOW"]), expected)

    def test_veto_zeroes_the_linked_rewards(self):
        rep, contract = self._staff("红线代表", self.job_rep, 2000, kpi_performance_base=1000)
        evaluation = self._publish({rep: 85}, vetoed=[rep])[rep]
        self.assertTrue(evaluation.vetoed)
        self._star(rep, 3, 1200)
        slip = self._pay(contract)
        inputs = self._inputs(slip)
        self.assertEqual((inputs["KPI_STAR"], inputs["KPI_PERF"]), (0.0, 0.0))
        self.assertTrue(slip.kpi_vetoed)
        self.assertEqual(self._total(slip, "NET"), 2000.0 + 200.0)

    def test_full_attendance_allows_3_events_not_absenteeism(self):
        rep, contract = self._staff("考勤代表", self.job_rep, 2000)
        slip = self._payslip(contract)
        self._incidents(rep, "late", 3)
        slip.action_add_kpi_lines()
        self.assertEqual(self._inputs(slip)["KPI_ATT"], 200.0, "3 events still count as full")
        self._incidents(rep, "early_leave", 1)
        slip.action_add_kpi_lines()
        self.assertEqual(self._inputs(slip)["KPI_ATT"], 0.0)
        other, other_contract = self._staff("旷工代表", self.job_rep, 2000)
        self._incidents(other, "absenteeism", 1)
        other_slip = self._payslip(other_contract)
        other_slip.action_add_kpi_lines()
        self.assertEqual(self._inputs(other_slip)["KPI_ATT"], 0.0)

    def test_awards_of_the_month(self):
        rep, contract = self._staff("明星代表", self.job_rep, 2000)
        for award_type in ("service_star", "progress_star"):
            self.env["hr.kpi.award"].create(
                {
                    "period_id": self.month.id,
                    "company_id": self.company.id,
                    "award_type": award_type,
                    "employee_id": rep.id,
                    "amount": 200,
                }
            )
        slip = self._pay(contract)
        self.assertEqual(self._inputs(slip)["KPI_AWARD"], 400.0)
        self.assertEqual(self._total(slip, "NET"), 2000.0 + 400.0 + 200.0)

    def test_company_settings_are_validated(self):
        with self.assertRaises(ValidationError):
            self.company.write({"kpi_complaint_cut_2_pct": 1.0})  # below the 1st step
        with self.assertRaises(ValidationError):
            self.company.write({"kpi_deferral_pct": 130.0})


class TestIdempotency(PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep, cls.contract = cls._staff("幂等代表", cls.job_rep, 2000)
        cls.evaluation = cls._publish({cls.rep: 85})[cls.rep]
        cls._star(cls.rep, 3, 1200)

    def _lines(self, slip):
        return {
            code: slip.input_line_ids.filtered(lambda line, c=code: line.code == c)
            for code in slip.input_line_ids.mapped("code")
        }

    def test_twice_recompute_and_score_change_never_duplicate(self):
        """RELIABILITY #26: Add KPI lines and compute_sheet twice, with an unrelated
        manual input: one line per code, same amounts, one NET, NET unchanged; after
        a score change, still one line per code with the new amount."""
        slip = self._payslip(self.contract)
        manual = self.env["hr.payslip.input"].create(
            {
                "payslip_id": slip.id,
                "contract_id": self.contract.id,
                "code": "OTHER",
                "name": "Manual input",
                "amount": 55.0,
            }
        )
        slip.action_add_kpi_lines()
        first = {line.code: line.amount for line in slip.input_line_ids}
        slip.action_add_kpi_lines()
        slip.compute_sheet()
        slip.compute_sheet()
        self.assertEqual({line.code: line.amount for line in slip.input_line_ids}, first)
        self.assertEqual(
            sorted(slip.input_line_ids.mapped("code")), ["KPI_ATT", "KPI_STAR", "OTHER"]
        )
        self.assertEqual(self._total(slip, "NET"), 3220.0)
        self.assertEqual(len(slip.line_ids.filtered(lambda l: l.code == "NET")), 1)
        # the score changes (reopened, corrected, approved again), then re-add
        self.evaluation.with_user(self.officer).action_reopen("Corrected after appeal")
        self.evaluation.line_ids.filtered(
            lambda l: l.indicator_id.scoring_method == "manual"
        ).actual_value = 90
        self.evaluation.with_user(self.officer).action_approve()
        self.assertEqual(self.evaluation.total_score, 90.0)
        slip.action_add_kpi_lines()
        slip.compute_sheet()
        lines = self._lines(slip)
        self.assertTrue(all(len(found) == 1 for found in lines.values()), lines)
        self.assertEqual(lines["KPI_STAR"].amount, 1080.0)
        self.assertEqual(self._total(slip, "NET"), 2000.0 + 1080.0 + 200.0)
        self.assertTrue(manual.exists(), "a manual input with another code survives")
        self.assertEqual(lines["OTHER"].amount, 55.0)

    def test_done_and_cancelled_payslips_are_refused(self):
        """RELIABILITY #30: pushing to a done or cancelled payslip is a UserError, and
        nothing is written (all or nothing with a draft one)."""
        done = self._pay(self.contract)
        done.action_payslip_done()
        cancelled = self._payslip(self.contract)
        cancelled.action_payslip_cancel()
        for slip in (done, cancelled):
            with self.subTest(state=slip.state):
                before = slip.input_line_ids.read(["code", "amount"])
                with self.assertRaisesRegex(UserError, "done or cancelled"):
                    slip.action_add_kpi_lines()
                self.assertEqual(slip.input_line_ids.read(["code", "amount"]), before)
        draft = self._payslip(self.contract)
        with self.assertRaises(UserError) as caught:
            (draft | done).action_add_kpi_lines()
        self.assertIn(done.number or done.employee_id.name, str(caught.exception))
        self.assertFalse(draft.input_line_ids, "nothing written when one payslip is refused")

    def _wizard(self, employees, **run_vals):
        run = (
            self.env["hr.payslip.run"]
            .with_user(self.payroll)
            .create(
                dict({"name": "2026-11", "date_start": NOV_FROM, "date_end": NOV_TO}, **run_vals)
            )
        )
        self.env["hr.payslip.employees"].with_user(self.payroll).with_context(
            active_id=run.id
        ).create({"employee_ids": [(6, 0, employees.ids)]}).compute_sheet()
        return run

    def test_batch_wizard_fills_amounts_through_get_inputs(self):
        lead, _lead_contract = self._staff("批量领班", self.job_lead, 2800)
        self._publish({lead: 85})
        self._star(lead, 2, 2000, role="lead")
        run = self._wizard(self.rep | lead)
        slips = {slip.employee_id: slip for slip in run.slip_ids}
        self.assertEqual(self._inputs(slips[self.rep])["KPI_STAR"], 1020.0)
        self.assertEqual(self._total(slips[self.rep], "NET"), 3220.0)
        self.assertEqual(self._total(slips[lead], "NET"), 4700.0)
        # the batch action replaces them: same amounts, one line per code
        run.with_user(self.payroll).action_add_kpi_lines()
        run.slip_ids.compute_sheet()
        for slip in run.slip_ids:
            self.assertEqual(sorted(slip.input_line_ids.mapped("code")), ["KPI_ATT", "KPI_STAR"])
        self.assertEqual(self._total(slips[lead], "NET"), 4700.0)

    def test_batch_wizard_reads_the_kpi_facts_once(self):
        """get_inputs runs once per employee; the KPI facts are read once per batch."""
        reps = self.rep
        for index in range(4):
            rep, _contract = self._staff(f"批量代表{index}", self.job_rep, 2000)
            self._star(rep, 3, 1200)
            reps |= rep
        self._publish({rep: 80 + index for index, rep in enumerate(reps[1:])})
        Payslip = type(self.env["hr.payslip"])
        calls = []
        original = Payslip._kpi_input_values

        def spy(records, contracts, date_from, date_to):
            calls.append(len(contracts))
            return original(records, contracts, date_from, date_to)

        with patch.object(Payslip, "_kpi_input_values", spy):
            run = self._wizard(reps)
        self.assertEqual(calls, [5], "one read for the five employees")
        amounts = {s.employee_id: self._inputs(s)["KPI_STAR"] for s in run.slip_ids}
        self.assertEqual(amounts[self.rep], 1020.0)  # 1200 x 85 %
        self.assertEqual(amounts[reps[1]], 960.0)  # 1200 x 80 %
        self.assertEqual(amounts[reps[4]], 996.0)  # 1200 x 83 %

    def test_batch_structure_without_kpi_rules_gets_no_kpi_inputs(self):
        """A batch run on a structure that pays no KPI (e.g. a bonus run) takes no KPI
        lines: they stay free for the regular payslip."""
        kpi = self.env.ref("hr_kpi_service.payroll_structure_customer_service")
        base = self.env["hr.payroll.structure"].create(
            {
                "name": "只发基本工资",
                "code": "BASE_ONLY",
                "company_id": self.company.id,
                "rule_ids": [
                    (6, 0, kpi.rule_ids.filtered(lambda r: r.code in ("BASIC", "NET")).ids)
                ],
            }
        )
        run = self._wizard(self.rep, struct_id=base.id)
        self.assertFalse(run.slip_ids.input_line_ids.filtered(lambda i: i.code in KPI_CODES))
        regular = self._wizard(self.rep)
        self.assertEqual(self._inputs(regular.slip_ids)["KPI_STAR"], 1020.0)

    def test_batch_wizard_leaves_held_kpi_lines_where_they_are(self):
        """An employee whose KPI lines are on a payslip of these dates: the wizard's
        new payslip gets none (checked without a query per payslip)."""
        holder = self._pay(self.contract)
        run = self._wizard(self.rep)
        self.assertTrue(holder.input_line_ids.filtered(lambda i: i.code in KPI_CODES))
        self.assertFalse(run.slip_ids.input_line_ids.filtered(lambda i: i.code in KPI_CODES))

    def test_two_contracts_in_the_month_pay_kpi_once(self):
        """RELIABILITY #32: an employee with two contracts in the month is paid the
        KPI amounts once (OCA computes the rules once per contract and finds inputs
        by code only)."""
        rep, first = self._staff("换签代表", self.job_rep, 2000)
        first.with_context(close_contract=False).date_end = date(2026, 11, 15)
        second = first.copy(
            {"name": "续签", "date_start": date(2026, 11, 16), "date_end": False, "state": "open"}
        )
        self._publish({rep: 85})
        self._star(rep, 3, 1200)
        slip = self._payslip(first)
        slip.contract_id = False
        self.assertEqual(slip._get_employee_contracts(), first | second)
        slip.action_add_kpi_lines()
        slip.compute_sheet()
        star_inputs = slip.input_line_ids.filtered(lambda l: l.code == "KPI_STAR")
        self.assertEqual((star_inputs.contract_id, star_inputs.amount), (second, 1020.0))
        star_lines = slip.line_ids.filtered(lambda l: l.code == "KPI_STAR")
        self.assertEqual(sum(star_lines.mapped("total")), 1020.0)
        self.assertEqual(len(slip.line_ids.filtered(lambda l: l.code == "KPI_ATT")), 1)

    def test_evaluation_of_another_employee_is_refused(self):
        """The evaluation is the payslip's employee's: the payroll officer cannot
        set it (protected link), the superuser cannot set another employee's."""
        slip = self._payslip(self.contract)
        self.assertEqual(slip.kpi_evaluation_id, self.evaluation)
        other, _contract = self._staff("别人", self.job_rep, 2000)
        other_evaluation = self._publish({other: 70})[other]
        with self.assertRaises(AccessError):
            slip.kpi_evaluation_id = other_evaluation
        with self.assertRaisesRegex(ValidationError, "belongs to another employee"):
            slip.sudo().kpi_evaluation_id = other_evaluation

    def test_onchange_refetch_fills_amounts(self):
        slip = self._payslip(self.contract)
        slip.onchange_employee()
        self.assertEqual(self._inputs(slip)["KPI_STAR"], 1020.0)

    def test_form_onchanges_rebuild_kpi_inputs_once(self):
        """RELIABILITY #27: changing the dates or the employee and back rebuilds the
        inputs through get_inputs, with the KPI amounts, each code once."""
        other, _contract = self._staff("路人", self.job_rep, 2500)
        with (
            freeze_time("2026-11-20"),
            Form(self.env["hr.payslip"].with_user(self.payroll)) as form,
        ):
            form.employee_id = self.rep
            form.date_from = date(2026, 11, 2)
            form.employee_id = other
            form.employee_id = self.rep
            form.date_from = NOV_FROM
            self.assertEqual(form.date_to, NOV_TO)
        slip = form.save()
        self.assertEqual(slip.contract_id, self.contract)
        self.assertEqual(slip.kpi_evaluation_id, self.evaluation)
        codes = slip.input_line_ids.mapped("code")
        self.assertEqual(sorted(codes), sorted(KPI_CODES), "every declared input, once")
        self.assertEqual(self._inputs(slip)["KPI_STAR"], 1020.0)
        slip.compute_sheet()
        self.assertEqual(self._total(slip, "NET"), 3220.0)

    def test_query_count_does_not_grow_with_payslips(self):
        def run(count):
            slips = self.env["hr.payslip"]
            for index in range(count):
                _employee, contract = self._staff(f"计数{count}-{index}", self.job_rep, 2000)
                slips |= self._payslip(contract)
            slips.mapped("kpi_evaluation_id")
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            slips.action_add_kpi_lines()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        run(1)  # warm-up: process-wide caches (ir.default...) are filled once
        self.assertEqual(run(3), run(9))


class TestPayrollRights(PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep, cls.contract = cls._staff("保密代表", cls.job_rep, 2000)
        cls.rep.user_id = cls.user
        cls.other, cls.other_contract = cls._staff("同事", cls.job_rep, 2000)
        cls._publish({cls.rep: 85, cls.other: 80})

    def test_employee_cannot_read_payslip_kpi_lines(self):
        slip = self._pay(self.other_contract)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            slip.input_line_ids.with_user(self.user).read(["amount"])
        with self.assertRaises(AccessError):
            slip.with_user(self.user).read(["kpi_score"])
        with self.assertRaises(AccessError):
            self.env["hr.payslip.input"].with_user(self.user).search([("payslip_id", "=", slip.id)])

    def test_only_payroll_officers_add_kpi_lines(self):
        slip = self._payslip(self.other_contract)
        for user in (self.user, self.officer):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                slip.with_user(user).action_add_kpi_lines()
            with self.subTest(user=user.login, path="get_inputs"), self.assertRaises(AccessError):
                self.env["hr.payslip"].with_user(user).get_inputs(
                    self.other_contract, NOV_FROM, NOV_TO
                )
        self.assertFalse(slip.input_line_ids)


class TestOneHolder(PayrollCase):
    """RELIABILITY #29: two payslips of an employee may overlap (OCA allows it);
    the KPI lines go to one of them only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep, cls.contract = cls._staff("重复代表", cls.job_rep, 2000)
        cls.evaluation = cls._publish({cls.rep: 85})[cls.rep]
        cls._star(cls.rep, 3, 1200)

    def _codes(self, inputs):
        return sorted(vals["code"] for vals in inputs if vals["code"] in KPI_CODES)

    def test_second_overlapping_payslip_is_refused_naming_the_holder(self):
        first = self._pay(self.contract)
        second = self._payslip(self.contract, date(2026, 11, 16), date(2026, 12, 15))
        with self.assertRaises(UserError) as caught:
            second.action_add_kpi_lines()
        message = str(caught.exception)
        self.assertIn(
            "重复代表 (2026-11-16 – 2026-12-15): the KPI lines of 重复代表 for these dates are "
            "already on payslip 重复代表 (2026-11-01 – 2026-11-30) (Waiting)",
            message,
        )
        self.assertIn("one payslip per period", message)
        first.name = "Salary Slip of 重复代表 for November-2026"
        with self.assertRaises(UserError) as caught:
            second.action_add_kpi_lines()
        self.assertIn(
            "already on payslip Salary Slip of 重复代表 for November-2026 (Waiting)",
            str(caught.exception),
        )
        self.assertFalse(second.input_line_ids, "nothing written")
        # re-adding on the holder itself stays fine
        first.action_add_kpi_lines()
        self.assertEqual(self._inputs(first)["KPI_STAR"], 1020.0)
        # OCA's input building leaves the KPI inputs out of a second payslip ...
        Payslip = self.env["hr.payslip"].with_user(self.payroll)
        self.assertEqual(self._codes(Payslip.get_inputs(self.contract, NOV_FROM, NOV_TO)), [])
        second.onchange_employee()
        self.assertFalse(second.input_line_ids.filtered(lambda l: l.code in KPI_CODES))
        # ... but not out of the holder's own onchanges, nor out of another month
        first.onchange_employee()
        self.assertEqual(self._inputs(first)["KPI_STAR"], 1020.0)
        december = Payslip.get_inputs(self.contract, date(2026, 12, 16), date(2026, 12, 31))
        self.assertEqual(self._codes(december), sorted(KPI_CODES))
        # once the holder is cancelled, the other payslip takes the KPI lines
        first.action_payslip_cancel()
        second.action_add_kpi_lines()
        self.assertEqual(self._inputs(second)["KPI_STAR"], 1020.0)

    def test_batch_push_refused_all_or_nothing(self):
        others = [self._staff(f"批量{index}", self.job_rep, 2000) for index in range(3)]
        self._publish({employee: 80 for employee, _contract in others})
        holder = self._pay(self.contract)
        slips = self.env["hr.payslip"].concat(
            *(self._payslip(contract) for _employee, contract in others),
            self._payslip(self.contract),
        )
        run = (
            self.env["hr.payslip.run"]
            .with_user(self.payroll)
            .create({"name": "2026-11 bis", "date_start": NOV_FROM, "date_end": NOV_TO})
        )
        slips.payslip_run_id = run
        with self.assertRaises(UserError) as caught:
            run.action_add_kpi_lines()
        self.assertIn(f"already on payslip {holder._kpi_label()}", str(caught.exception))
        self.assertFalse(slips.input_line_ids, "no payslip of the batch got lines")
        # two payslips of the same employee in one push: refused as well
        twin = self._payslip(others[0][1])
        with self.assertRaises(UserError) as caught:
            (slips[0] | twin).action_add_kpi_lines()
        self.assertIn("two payslips of 批量0 for overlapping dates", str(caught.exception))
        self.assertFalse((slips[0] | twin).input_line_ids)
        (slips - slips[-1]).action_add_kpi_lines()
        self.assertEqual(len(slips.filtered("input_line_ids")), 3)

    def test_batch_check_query_count_is_constant(self):
        def run(count):
            slips = self.env["hr.payslip"]
            for index in range(count):
                _employee, contract = self._staff(f"查重{count}-{index}", self.job_rep, 2000)
                slips |= self._payslip(contract)
                self._pay(contract, date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            slips._kpi_check_one_holder(pushing=True)
            return self.env.cr.sql_log_count - before

        run(1)  # warm-up
        counts = (run(3), run(9))
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(counts[0], 4, counts)

    def test_refund_frees_the_kpi_lines_for_one_new_payslip(self):
        first = self._pay(self.contract)
        first.action_payslip_done()
        first.refund_sheet()
        refund = first.refunded_id
        self.assertTrue(refund.credit_note)
        self.assertEqual(self._inputs(refund)["KPI_STAR"], 1020.0, "the refund reverses them")
        again = self._payslip(self.contract)
        again.action_add_kpi_lines()
        self.assertEqual(self._inputs(again)["KPI_STAR"], 1020.0)
        third = self._payslip(self.contract)
        with self.assertRaises(UserError) as caught:
            third.action_add_kpi_lines()
        self.assertIn(again._kpi_label(), str(caught.exception))

    def test_copy_and_hand_typed_lines_keep_one_holder(self):
        first = self._pay(self.contract)
        copy = first.copy()
        self.assertFalse(copy.input_line_ids.filtered(lambda l: l.code in KPI_CODES))
        with self.assertRaises(ValidationError) as caught:
            copy.write(
                {
                    "input_line_ids": [
                        (
                            0,
                            0,
                            {
                                "code": "KPI_STAR",
                                "name": "typed",
                                "amount": 1020.0,
                                "contract_id": self.contract.id,
                            },
                        )
                    ]
                }
            )
        self.assertIn("already on payslip", str(caught.exception))
        copy.write(
            {
                "input_line_ids": [
                    (0, 0, {"code": "OTHER", "name": "typed", "contract_id": self.contract.id})
                ]
            }
        )
        self.assertEqual(copy.input_line_ids.mapped("code"), ["OTHER"])


class TestStaleConfirm(PayrollCase):
    """RELIABILITY #31: the amount paid never differs from the KPI allocation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep, cls.contract = cls._staff("确认代表", cls.job_rep, 2000)
        cls.evaluation = cls._publish({cls.rep: 85})[cls.rep]
        cls._star(cls.rep, 3, 1200)

    def _amend(self, score):
        self.evaluation.with_user(self.officer).action_reopen("Amended")
        self.evaluation.line_ids.filtered(
            lambda l: l.indicator_id.scoring_method == "manual"
        ).actual_value = score
        self.evaluation.with_user(self.officer).action_approve()

    def _prevent_compute(self):
        self.env["ir.config_parameter"].sudo().set_param("payroll.prevent_compute_on_confirm", True)

    def test_evaluation_amended_after_compute_blocks_confirm(self):
        slip = self._pay(self.contract)
        self._amend(90)
        with self.assertRaises(UserError) as caught:
            slip.action_payslip_done()
        message = str(caught.exception)
        self.assertIn("KPI amounts changed since the payslip was computed", message)
        self.assertIn(slip._kpi_label(), message)
        self.assertIn("KPI_STAR 1020.00 → 1080.00", message)
        self.assertIn("Add KPI lines and Compute Sheet again", message)
        self.assertEqual(slip.state, "verify")
        slip.action_add_kpi_lines()
        slip.compute_sheet()
        slip.action_payslip_done()
        self.assertEqual(slip.state, "done")
        self.assertEqual(self._total(slip, "KPI_STAR"), 1080.0)
        self.assertEqual(self._total(slip, "NET"), 2000.0 + 1080.0 + 200.0)

    def test_payslip_without_its_kpi_lines_is_not_confirmed(self):
        """RELIABILITY #32: the shipped rules read absent KPI inputs as 0 (the sheet
        computes, NET = wage, no crash); RELIABILITY #31: such a payslip is not
        confirmed while it should hold the KPI lines."""
        slip = self._payslip(self.contract)
        slip.compute_sheet()
        with self.assertRaises(UserError) as caught:
            slip.action_payslip_done()
        self.assertIn("KPI_ATT 0.00 → 200.00, KPI_STAR 0.00 → 1020.00", str(caught.exception))
        # the employee's KPI lines are on another payslip: this one is not checked
        holder = self._pay(self.contract)
        slip.action_payslip_done()
        self.assertEqual(slip.state, "done")
        self.assertEqual(self._total(slip, "NET"), 2000.0)
        holder.action_payslip_done()
        self.assertEqual(self._total(holder, "NET"), 3220.0)

    def test_inputs_changed_after_compute_block_confirm_without_recompute(self):
        self._prevent_compute()
        slip = self._payslip(self.contract)
        slip.compute_sheet()
        self.assertTrue(slip.prevent_compute_on_confirm)
        self.assertEqual(slip.kpi_input_fingerprint, "v1")
        slip.action_add_kpi_lines()  # inputs current, computed lines stale
        with self.assertRaises(UserError) as caught:
            slip.action_payslip_done()
        message = str(caught.exception)
        self.assertIn("KPI input lines changed after the sheet was computed", message)
        self.assertIn("KPI_ATT, KPI_STAR", message)
        self.assertEqual(self._total(slip, "NET"), 2000.0, "still the stale sheet")
        slip.compute_sheet()
        slip.action_payslip_done()
        self.assertEqual((slip.state, self._total(slip, "NET")), ("done", 3220.0))

    def test_recompute_on_confirm_pays_the_current_inputs(self):
        slip = self._payslip(self.contract)
        slip.compute_sheet()
        slip.action_add_kpi_lines()
        self.assertFalse(slip.prevent_compute_on_confirm)
        slip.action_payslip_done()  # OCA recomputes the sheet on confirm
        self.assertEqual((slip.state, self._total(slip, "NET")), ("done", 3220.0))

    def test_batch_confirm_check_query_count_is_constant(self):
        def run(count):
            slips = self.env["hr.payslip"]
            for index in range(count):
                employee, contract = self._staff(f"确认{count}-{index}", self.job_rep, 2000)
                self._publish({employee: 80})
                slips |= self._pay(contract)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            slips._kpi_check_confirm()
            return self.env.cr.sql_log_count - before

        run(1)  # warm-up
        self.assertEqual(run(3), run(9))


class TestRounding(PayrollCase):
    """RELIABILITY #33: every KPI amount rounded once, with the company currency."""

    def _kpi_total(self, slip):
        lines = slip.line_ids.filtered(lambda l: l.code in KPI_CODES)
        return sum(lines.mapped("total"))

    def _check_sum(self, slip):
        currency = self.company.currency_id
        allocated = sum(slip.input_line_ids.mapped("amount"))
        self.assertEqual(
            float_compare(allocated, self._kpi_total(slip), precision_rounding=currency.rounding),
            0,
        )

    def test_cents_rounded_once_and_penalty_symmetric(self):
        currency = self.company.currency_id
        self.assertEqual((currency.rounding, currency.decimal_places), (0.01, 2))
        rep, contract = self._staff("分位代表", self.job_rep, 2000, kpi_performance_base=1000.01)
        self._publish({rep: 33.33})
        self._star(rep, 3, 1000.01)
        slip = self._pay(contract)
        inputs = self._inputs(slip)
        # 1000.01 x 33.33 % = 333.303333: rounded once
        self.assertEqual((inputs["KPI_STAR"], inputs["KPI_PERF"]), (333.3, 333.3))
        # below 60: -30 % of the 666.60 paid = -199.98
        self.assertEqual(inputs["KPI_LOW"], -199.98)
        for code in ("KPI_STAR", "KPI_PERF", "KPI_LOW"):
            self.assertEqual(inputs[code], currency.round(inputs[code]), code)
        self._check_sum(slip)
        self.assertEqual(self._kpi_total(slip), 333.3 + 333.3 - 199.98 + 200.0)

    def test_currency_without_decimals_gives_whole_units(self):
        yen = self.env.ref("base.JPY")
        yen.active = True
        self.assertEqual((yen.rounding, yen.decimal_places), (1.0, 0))
        self.company.currency_id = yen
        rep, contract = self._staff("日元代表", self.job_rep, 2000)
        self._publish({rep: 19.53})
        self._star(rep, 3, 1001)
        slip = self._pay(contract)
        inputs = self._inputs(slip)
        # 1001 x 19.53 % = 195.4953: 195, where cents first would give 195.50 -> 196
        self.assertEqual(inputs["KPI_STAR"], 195.0)
        # -30 % of 195 = -58.5: -59, as +58.5 would give 59
        self.assertEqual(inputs["KPI_LOW"], -59.0)
        self.assertEqual(inputs["KPI_LOW"], yen.round(-58.5))
        self.assertEqual(inputs["KPI_ATT"], 200.0)
        self._check_sum(slip)
        self.assertEqual(self._total(slip, "NET"), 2000.0 + 195.0 - 59.0 + 200.0)
        slip.action_payslip_done()
        self.assertEqual(slip.state, "done")
