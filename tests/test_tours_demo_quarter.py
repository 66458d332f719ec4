"""The "Done when" of issue 21 in headless Chromium, on the demo's own 售后服务部
(demo/after_sales_quarter.py), as its zh_CN users, one tour run per user: HR draws
up the third quarter's results sheet → 陈志强 proposes one calibration move with a
reason, 许静 confirms it → 周立新, 陈志强, 许静, 沈国栋 sign the four levels in
order → HR publishes (公示), the specialist 郑凯 reads names and grades → the
September payslip of 吴晓梅 pays the quarter only after the last signature
(3000 × 89 % = 2670). Skipped without the demo data."""

from datetime import date

from odoo.tests import HttpCase, tagged

from .test_reports_pdf import pdf_text, squeeze

REPORT = "hr_kpi_service_reports.action_report_kpi_results_sheet"
# (tour, signer's login, level)
SIGNERS = (
    ("hr_kpi_service_demo_quarter_sign_superior", "kpi.supervisor", "上级主管"),
    ("hr_kpi_service_demo_quarter_sign_department", "kpi.service", "职能部门经理"),
    ("hr_kpi_service_demo_quarter_sign_hr_director", "kpi.hrd", "人力资源总监"),
    ("hr_kpi_service_demo_quarter_sign_general_manager", "kpi.gm", "总经理"),
)


@tagged("post_install", "-at_install")
class TestDemoQuarterSignOff(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chain = cls.env.ref("hr_kpi_service.signoff_chain_after_sales_demo", False)

    def setUp(self):
        super().setUp()
        if not self.chain:
            self.skipTest("the demo data is not installed")

    def _ref(self, name):
        return self.env.ref(f"hr_kpi_service.{name}")

    def _tour(self, url, name, login):
        self.start_tour(url, name, login=login, timeout=180)

    def _september_slip(self, employee):
        contract = self._ref(f"contract_{employee}_demo")
        officer = self.env.ref("base.user_admin")
        return (
            self.env["hr.payslip"]
            .with_user(officer)
            .create(
                {
                    "employee_id": contract.employee_id.id,
                    "contract_id": contract.id,
                    "struct_id": contract.struct_id.id,
                    "company_id": contract.company_id.id,
                    "date_from": date(2026, 9, 1),
                    "date_to": date(2026, 9, 30),
                }
            )
        )

    @staticmethod
    def _kpi_lines(slip):
        slip.action_add_kpi_lines()
        slip.compute_sheet()
        return {line.code: line.total for line in slip.line_ids}

    def test_the_quarter_from_results_sheet_to_payslip(self):
        """Issue 21 "Done when", RELIABILITY #23 (four-eyes: the move proposed by one
        member, confirmed by another; nobody signs two levels) and #45 (the printed
        sheet as its reader may read it)."""
        company = self.env.ref("base.main_company")
        quarter = self.env["hr.kpi.period"].search(
            [
                ("company_id", "=", company.id),
                ("period_type", "=", "quarterly"),
                ("date_from", "=", "2026-07-01"),
            ]
        )
        evaluations = self.env["hr.kpi.evaluation"].search([("period_id", "=", quarter.id)])
        self.assertEqual(len(evaluations), 5)
        self.assertTrue(all(evaluations.mapped("signoff_pending")))
        wu = evaluations.filtered(lambda e: e.employee_id == self._ref("employee_wu_xiaomei_demo"))

        # HR draws up the sheet: one 优 of five breaks the committee's 优 ≤ 10 %
        self._tour(
            f"/odoo/action-hr_kpi_service.action_hr_kpi_period/{quarter.id}",
            "hr_kpi_service_demo_quarter_draw_up",
            "admin",
        )
        sheet = self.env["hr.kpi.results.sheet"].search([("period_id", "=", quarter.id)])
        self.assertEqual(len(sheet), 1)
        self.assertEqual(sheet.department_id, self._ref("dept_after_sales_demo"))
        self.assertEqual(sheet.chain_id, self.chain)
        self.assertEqual(sheet.evaluation_ids, evaluations)
        self.assertEqual(
            [(line.employee_name, line.score, line.grade_band_id.code) for line in sheet.line_ids],
            [
                ("吴晓梅", 92.7, "优"),
                ("郑凯", 87.55, "良"),
                ("冯雪", 83.15, "良"),
                ("何志远", 76.5, "中"),
                ("蒋丽", 69.1, "较差"),
            ],
        )
        self.assertTrue(sheet.distribution_breaches)
        url = f"/odoo/action-hr_kpi_service.action_hr_kpi_results_sheet/{sheet.id}"

        # the committee: 陈志强 proposes, 许静 confirms
        self._tour(url, "hr_kpi_service_demo_quarter_propose", "kpi.service")
        move = sheet.move_ids
        self.assertEqual(len(move), 1)
        self.assertEqual(move.state, "proposed")
        self.assertEqual(wu.total_score, 92.7)
        self._tour(url, "hr_kpi_service_demo_quarter_confirm", "kpi.hrd")
        self.assertEqual(
            (
                move.state,
                move.evaluation_id,
                move.score_before,
                move.score_after,
                move.grade_before_id.code,
                move.grade_after_id.code,
                move.proposed_by_id,
                move.confirmed_by_id,
            ),
            (
                "confirmed",
                wu,
                92.7,
                89.0,
                "优",
                "良",
                self._ref("user_chen_zhiqiang_demo"),
                self._ref("user_xu_jing_demo"),
            ),
        )
        self.assertIn("两起投诉", move.reason)
        self.assertTrue(move.decided_date)
        self.assertEqual((wu.total_score, wu.grade_band_id.code), (89.0, "良"))
        self.assertFalse(sheet.distribution_breaches)

        # HR submits; three levels sign: the quarter does not pay yet
        self._tour(url, "hr_kpi_service_demo_quarter_submit", "admin")
        self.assertEqual(sheet.state, "in_approval")
        slip = self._september_slip("wu_xiaomei")
        for tour, login, _level in SIGNERS[:3]:
            self._tour(url, tour, login)
        self.assertEqual(sheet.state, "in_approval")
        self.assertEqual(sheet.with_context(lang="zh_CN").current_level_name, "总经理")
        self.assertTrue(wu.signoff_pending)
        before = self._kpi_lines(slip)
        self.assertEqual(before.get("KPI_PERF", 0.0), 0.0)
        self.assertEqual(before["NET"], 3500 + 200)  # wage and full attendance only

        # the general manager signs the last level: the quarter pays with September
        tour, login, _level = SIGNERS[3]
        self._tour(url, tour, login)
        self.assertEqual(sheet.state, "signed")
        self.assertFalse(wu.signoff_pending)
        after = self._kpi_lines(slip)
        self.assertEqual(after["KPI_PERF"], 2670.0)  # 3000 × 89 %
        self.assertEqual(after["NET"], 3500 + 2670 + 200)
        formula = slip.input_line_ids.filtered(lambda i: i.code == "KPI_PERF").kpi_explanation
        self.assertIn("3000 × 89 %", formula)
        self.assertEqual(slip.kpi_evaluation_id, wu)

        # four signatures, in order, each by its own user, with its time
        signatures = sheet.signature_ids.sorted("level_index")
        self.assertEqual(
            [(s.level_index, s.level_name, s.user_id.login, s.decision) for s in signatures],
            [
                (index, level, login, "approve")
                for index, (_tour, login, level) in enumerate(SIGNERS, start=1)
            ],
        )
        self.assertTrue(all(signatures.mapped("date")))
        self.assertEqual(signatures.mapped("date"), sorted(signatures.mapped("date")))
        self.assertEqual(len(signatures.user_id), 4)

        # the printed sheet: the lines and each level's signer and date
        Report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang="zh_CN"
        )
        pdf, kind = Report.with_user(self._ref("user_xu_jing_demo"))._render_qweb_pdf(
            REPORT, sheet.ids
        )
        self.assertEqual(kind, "pdf")
        text = pdf_text(pdf)
        flat = squeeze(text)
        for name in ("周立新", "陈志强", "许静", "沈国栋", "吴晓梅", "蒋丽"):
            self.assertIn(name, flat)
        for level in ("上级主管", "职能部门经理", "人力资源总监", "总经理"):
            self.assertIn(level, flat)
        self.assertIn("89.00", text)
        self.assertIn(str(signatures[-1].date.year), text)

        # 公示: HR publishes; a specialist of the department reads names and grades
        self._tour(url, "hr_kpi_service_demo_quarter_publish", "admin")
        self.assertTrue(sheet.published_date)
        self.assertEqual(wu.state, "published")
        zheng = self._ref("user_zheng_kai_demo")
        self._tour(
            "/odoo/action-hr_kpi_service.action_hr_kpi_published_result",
            "hr_kpi_service_demo_quarter_department_results",
            zheng.login,
        )
        published = self.env["hr.kpi.published.result"].with_user(zheng).search([])
        self.assertEqual(
            {(r.employee_name, r.grade_name) for r in published},
            {
                ("吴晓梅", "良好"),
                ("郑凯", "良好"),
                ("冯雪", "良好"),
                ("何志远", "平均"),
                ("蒋丽", "较差"),
            },
        )
        self.assertFalse(any(published.mapped("score_published")))
        self.assertEqual(set(published.mapped("score")), {0.0})
        # his own evaluation only, never his colleagues' scores
        seen = (
            self.env["hr.kpi.evaluation"].with_user(zheng).search([("period_id", "=", quarter.id)])
        )
        self.assertEqual(seen.employee_id, zheng.employee_id)
