"""The results sheet (《绩效考核结果处理表》) and its sign-off chain (issue 21): seed 004
第17条 上级主管 → 职能部门经理 → 人力资源总监 → 总经理, seed 000 3.2 公司领导; only a
fully signed sheet pays where the scheme has a chain."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import GROUP_MANAGER, GROUP_OFFICER
from .test_kpi_payroll import PayrollCase


@tagged("post_install", "-at_install")
class SignoffCase(PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}

        def user(login, group=GROUP_MANAGER):
            return new_test_user(cls.env, login, groups=f"base.group_user,{group}", **ctx)

        cls.supervisor_user = user("kpi_supervisor_t")
        cls.dept_manager_user = user("kpi_dept_manager_t")
        cls.hr_director = user("kpi_hr_director_t", GROUP_OFFICER)
        cls.general_manager = user("kpi_gm_t")
        cls.advisor_user = user("kpi_advisor_self_t")
        cls.supervisor = cls._employee("主管A", job=cls.job_lead)
        cls.supervisor.user_id = cls.supervisor_user
        cls.supervisor.kpi_scheme_id = False
        dept_manager = cls._employee("部门经理A", job=False)
        dept_manager.user_id = cls.dept_manager_user
        cls.department.manager_id = dept_manager
        cls.boss, cls.boss_contract = cls._staff(
            "服务经理A", cls.job_manager, 5000, kpi_performance_base=5000
        )
        cls.rep, cls.rep_contract = cls._staff("客服代表A", cls.job_rep, 2000)
        cls.rep.user_id = cls.advisor_user
        (cls.boss | cls.rep).parent_id = cls.supervisor
        cls.chain = cls.env["hr.kpi.signoff.chain"].create(
            {
                "name": "绩效考核结果处理表",
                "company_id": cls.company.id,
                "level_ids": [
                    (0, 0, {"sequence": 1, "name": "上级主管", "approver_type": "superior"}),
                    (
                        0,
                        0,
                        {
                            "sequence": 2,
                            "name": "职能部门经理",
                            "approver_type": "department_manager",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "sequence": 3,
                            "name": "人力资源总监",
                            "approver_type": "users",
                            "user_ids": [(6, 0, cls.hr_director.ids)],
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "sequence": 4,
                            "name": "总经理",
                            "approver_type": "users",
                            "user_ids": [(6, 0, cls.general_manager.ids)],
                        },
                    ),
                ],
            }
        )
        cls.scheme.signoff_chain_id = cls.chain
        cls.evaluations = cls._approve_only({cls.boss: 95, cls.rep: 85})

    @classmethod
    def _approve_only(cls, scores):
        """Approved monthly evaluations with these scores: with a chain they wait for
        their sheet, and are published (公示) by it."""
        evaluations = (
            cls.env["hr.kpi.evaluation"]
            .with_company(cls.company)
            ._generate(cls.month)
            .filtered(lambda e: e.employee_id in cls.env["hr.employee"].concat(*scores))
        )
        for evaluation in evaluations:
            for line in evaluation.line_ids:
                is_veto = line.indicator_id.scoring_method == "veto"
                line.actual_value = 1 if is_veto else scores[evaluation.employee_id]
                line.has_actual = True
        officer = evaluations.with_user(cls.officer)
        officer.action_start()
        officer.action_to_rating()
        officer.action_to_hr_review()
        officer.action_approve()
        return {e.employee_id: e for e in evaluations}

    def _sheet(self):
        Sheet = self.env["hr.kpi.results.sheet"]
        self.month.with_user(self.officer).action_draw_up_results_sheets()
        return Sheet.search([("period_id", "=", self.month.id)])

    def _sign_all(self, sheet, signers):
        for signer in signers:
            sheet.with_user(signer).action_sign()


class TestSeed004Chain(SignoffCase):
    def test_four_levels_in_order_then_the_payslip_pays(self):
        """Issue 21, RELIABILITY #31: approved but unsigned pays nothing; after the
        fourth signature the payslip pays 5000 × 95 % = 4750."""
        boss_evaluation = self.evaluations[self.boss]
        self.assertTrue(boss_evaluation.signoff_pending)
        slip = self._pay(self.boss_contract)
        self.assertFalse(slip.kpi_evaluation_id)
        self.assertEqual(self._inputs(slip)["KPI_PERF"], 0.0)

        sheet = self._sheet()
        self.assertEqual(len(sheet), 1)
        self.assertEqual(sheet.evaluation_ids, boss_evaluation | self.evaluations[self.rep])
        self.assertEqual(sheet.chain_id, self.chain)
        sheet.with_user(self.officer).action_submit()
        self.assertEqual(sheet.state, "in_approval")
        self.assertEqual(sheet.current_level_name, "上级主管")
        self.assertEqual(sheet.activity_ids.user_id, self.supervisor_user)

        signers = [
            self.supervisor_user,
            self.dept_manager_user,
            self.hr_director,
            self.general_manager,
        ]
        self._sign_all(sheet, signers[:3])
        self.assertEqual(sheet.current_level_name, "总经理")
        self.assertEqual(sheet.activity_ids.user_id, self.general_manager)
        self.assertTrue(boss_evaluation.signoff_pending, "three of four levels do not pay")
        slip.action_add_kpi_lines()
        self.assertEqual(self._inputs(slip)["KPI_PERF"], 0.0)

        sheet.with_user(self.general_manager).action_sign()
        self.assertEqual(sheet.state, "signed")
        self.assertFalse(sheet.activity_ids)
        self.assertFalse(boss_evaluation.signoff_pending)
        self.assertEqual(
            [(s.level_index, s.level_name, s.user_id, s.decision) for s in sheet.signature_ids],
            [
                (1, "上级主管", self.supervisor_user, "approve"),
                (2, "职能部门经理", self.dept_manager_user, "approve"),
                (3, "人力资源总监", self.hr_director, "approve"),
                (4, "总经理", self.general_manager, "approve"),
            ],
        )
        self.assertTrue(all(s.date for s in sheet.signature_ids))
        slip.action_add_kpi_lines()
        slip.compute_sheet()
        self.assertEqual(slip.kpi_evaluation_id, boss_evaluation)
        self.assertEqual(self._inputs(slip)["KPI_PERF"], 4750.0)

    def test_return_with_reason_starts_a_new_round(self):
        """Issue 21: a level returns with a reason (kept, activity for HR); the next
        submission signs from the first level again."""
        sheet = self._sheet()
        sheet.with_user(self.officer).action_submit()
        sheet.with_user(self.supervisor_user).action_sign()
        with self.assertRaisesRegex(UserError, "reason"):
            sheet.with_user(self.dept_manager_user).action_return("  ")
        wizard = (
            self.env["hr.kpi.results.sheet.return"]
            .with_user(self.dept_manager_user)
            .create({"sheet_id": sheet.id, "reason": "代表A 的投诉未计入"})
        )
        wizard.action_confirm()
        self.assertEqual(sheet.state, "draft")
        returned = sheet.signature_ids.filtered(lambda s: s.decision == "return")
        self.assertEqual(returned.reason, "代表A 的投诉未计入")
        self.assertEqual(returned.level_name, "职能部门经理")
        self.assertEqual(sheet.activity_ids.user_id, self.officer)
        sheet.with_user(self.officer).action_submit()
        self.assertEqual(sheet.round, 2)
        self.assertEqual(sheet.current_level_name, "上级主管")
        self._sign_all(
            sheet,
            [self.supervisor_user, self.dept_manager_user, self.hr_director, self.general_manager],
        )
        self.assertEqual(sheet.state, "signed")
        self.assertEqual(len(sheet.signature_ids), 6)


class TestSignoffRefusals(SignoffCase):
    def test_own_result_wrong_level_twice_and_direct_writes_refused(self):
        """RELIABILITY #23 (four-eyes): nobody signs a sheet holding his own result,
        a level that is not his, or two levels; states and signatures move only
        through the actions."""
        self.chain.level_ids[2].user_ids |= self.advisor_user | self.supervisor_user
        sheet = self._sheet()
        with self.assertRaisesRegex(UserError, "Draft"):
            sheet.with_user(self.supervisor_user).action_sign()  # not submitted
        sheet.with_user(self.officer).action_submit()
        with self.assertRaisesRegex(AccessError, "not among the signers"):
            sheet.with_user(self.general_manager).action_sign()
        sheet.with_user(self.supervisor_user).action_sign()
        sheet.with_user(self.dept_manager_user).action_sign()
        with self.assertRaisesRegex(AccessError, "own result"):
            sheet.with_user(self.advisor_user).action_sign()
        with self.assertRaisesRegex(AccessError, "earlier level"):
            sheet.with_user(self.supervisor_user).action_sign()
        with self.assertRaises(UserError):  # locked in approval, and protected
            sheet.with_user(self.officer).write({"state": "signed"})
        with self.assertRaises(UserError):  # locked once approved, and protected
            self.evaluations[self.boss].with_user(self.officer).write({"signoff_pending": False})
        with self.assertRaisesRegex(AccessError, "Waiting for Sign-off"):
            self.evaluations[self.boss].with_user(self.officer)._kpi_refuse_protected(
                ["signoff_pending"]
            )
        signature = sheet.signature_ids[:1]
        with self.assertRaises(UserError):  # signatures are history (AccessError too)
            signature.with_user(self.officer).unlink()
        self.assertEqual(sheet.state, "in_approval")
        self.assertTrue(self.evaluations[self.boss].signoff_pending)

    def test_reopened_result_blocks_signing(self):
        """Issue 21: a result reopened after submission is approved again before the
        sheet is signed; re-approved, it waits for a sheet of its own."""
        sheet = self._sheet()
        sheet.with_user(self.officer).action_submit()
        rep_evaluation = self.evaluations[self.rep]
        rep_evaluation.with_user(self.officer).action_reopen("更正投诉")
        with self.assertRaisesRegex(UserError, "reopened"):
            sheet.with_user(self.supervisor_user).action_sign()
        rep_evaluation.with_user(self.officer).action_approve()
        self.assertTrue(rep_evaluation.signoff_pending)
        self.assertFalse(rep_evaluation.results_sheet_id)
        self._sign_all(
            sheet,
            [self.supervisor_user, self.dept_manager_user, self.hr_director, self.general_manager],
        )
        self.assertFalse(self.evaluations[self.boss].signoff_pending)
        self.assertTrue(rep_evaluation.signoff_pending)

    def test_levels_need_signers_who_may_sign(self):
        """Issue 21: a named level without users, or with a user outside the KPI
        managers, is refused with the level's name."""
        with self.assertRaisesRegex(UserError, "公司领导"):
            self.env["hr.kpi.signoff.chain"].create(
                {
                    "name": "公司领导审批",
                    "company_id": self.company.id,
                    "level_ids": [(0, 0, {"name": "公司领导", "approver_type": "users"})],
                }
            )
        with self.assertRaisesRegex(UserError, "KPI Manager"):
            self.env["hr.kpi.signoff.chain"].create(
                {
                    "name": "公司领导审批",
                    "company_id": self.company.id,
                    "level_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "公司领导",
                                "approver_type": "users",
                                "user_ids": [(6, 0, self.user.ids)],
                            },
                        )
                    ],
                }
            )


class TestSeed000AndNoChain(SignoffCase):
    def test_one_level_company_leadership(self):
        """Seed 000 3.2: 公司领导 approve, one signature, then the result pays."""
        self.chain.level_ids[:3].unlink()
        self.assertEqual(self.chain.level_ids.mapped("name"), ["总经理"])
        sheet = self._sheet()
        sheet.with_user(self.officer).action_submit()
        sheet.with_user(self.general_manager).action_sign()
        self.assertEqual(sheet.state, "signed")
        slip = self._pay(self.boss_contract)
        self.assertEqual(self._inputs(slip)["KPI_PERF"], 4750.0)

    def test_scheme_without_chain_pays_after_hr_approval(self):
        """Issue 21: a company that sets no chain pays as before, without a sheet."""
        self.scheme.signoff_chain_id = False
        evaluation = self.evaluations[self.boss]
        evaluation.with_user(self.officer).action_reopen("复核")
        evaluation.with_user(self.officer).action_approve()
        self.assertFalse(evaluation.signoff_pending)
        self.assertFalse(
            self._sheet().filtered(lambda s: s.state == "draft").evaluation_ids & evaluation
        )
        slip = self._pay(self.boss_contract)
        self.assertEqual(self._inputs(slip)["KPI_PERF"], 4750.0)


class TestPrintedSheet(SignoffCase):
    def test_pdf_shows_lines_and_each_levels_signature(self):
        """Issue 21, RELIABILITY #45: the printed 《绩效考核结果处理表》 lists each result
        and, per level, who signed and when; a user who cannot read the sheet cannot
        print it."""
        from .test_reports_pdf import pdf_text, squeeze

        sheet = self._sheet()
        sheet.with_user(self.officer).action_submit()
        self._sign_all(sheet, [self.supervisor_user, self.dept_manager_user])
        Report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang="en_US"
        )
        report = "hr_kpi_service_reports.action_report_kpi_results_sheet"
        pdf, kind = Report.with_user(self.general_manager)._render_qweb_pdf(report, sheet.ids)
        self.assertEqual(kind, "pdf")
        text = pdf_text(pdf)
        flat = squeeze(text)
        for label in ("PerformanceResultsHandlingSheet", "上级主管", "职能部门经理", "总经理"):
            self.assertIn(label, flat)
        self.assertIn("服务经理A", flat)
        self.assertIn("95.00", text)
        self.assertIn("Retraining/transferreview(bottomrank)", flat, "代表A is last of two")
        self.assertIn("kpi_supervisor_t", flat)
        self.assertIn("kpi_dept_manager_t", flat)
        signed = sheet.signature_ids[0].date
        self.assertIn(f"{signed.year}", text)
        with self.assertRaises(AccessError):
            Report.with_user(self.user)._render_qweb_pdf(report, sheet.ids)


class TestPublication(SignoffCase):
    def test_publication_after_sign_off_names_and_grades_only(self):
        """Issue 21 (公示, seed 004 考核流程): publishing waits for the last signature;
        then the department reads names and grades, no scores unless the chain says
        so, and the appeal window counts from 公示."""
        from datetime import datetime

        from freezegun import freeze_time

        boss_evaluation = self.evaluations[self.boss]
        with self.assertRaisesRegex(UserError, "sign-off"):
            boss_evaluation.with_user(self.officer).action_publish()
        sheet = self._sheet()
        sheet.with_user(self.officer).action_submit()
        with self.assertRaisesRegex(UserError, "In Approval"):
            sheet.with_user(self.officer).action_publish_results()
        self._sign_all(
            sheet,
            [self.supervisor_user, self.dept_manager_user, self.hr_director, self.general_manager],
        )
        with freeze_time("2026-12-07 02:00:00"):  # Monday 10:00 in Shanghai
            sheet.with_user(self.officer).action_publish_results()
        self.assertEqual(boss_evaluation.state, "published")
        self.assertEqual(boss_evaluation.published_date, datetime(2026, 12, 7, 2, 0))
        self.assertEqual(sheet.published_date, datetime(2026, 12, 7, 2, 0))
        # three working days after Monday: the end of Thursday in Shanghai
        self.assertEqual(boss_evaluation.appeal_deadline, datetime(2026, 12, 10, 16, 0))

        Published = self.env["hr.kpi.published.result"]
        rows = Published.with_user(self.advisor_user).search([("sheet_id", "=", sheet.id)])
        self.assertEqual(
            [(r.employee_name, r.grade_name, r.score, r.score_published) for r in rows],
            [("服务经理A", "Good", 0.0, False), ("客服代表A", "Fair", 0.0, False)],
        )
        other_department = self.env["hr.department"].create(
            {"name": "售后服务部", "company_id": self.company.id}
        )
        outsider = new_test_user(
            self.env,
            "kpi_other_dept_t",
            groups="base.group_user,hr_kpi_service.group_kpi_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        self._employee("售后顾问B", department=other_department).user_id = outsider
        self.assertFalse(
            Published.with_user(outsider).search([("sheet_id", "=", sheet.id)]),
            "another department's results are not shown",
        )
        with self.assertRaises(AccessError):
            Published.with_user(self.officer).create(
                {"sheet_id": sheet.id, "company_id": self.company.id, "period_id": self.month.id}
            )
        with self.assertRaisesRegex(UserError, "already published"):
            sheet.with_user(self.officer).action_publish_results()

    def test_chain_may_publish_scores(self):
        """Issue 21: a company whose chain publishes scores shows them too."""
        self.chain.publish_scores = True
        sheet = self._sheet()
        sheet.with_user(self.officer).action_submit()
        self._sign_all(
            sheet,
            [self.supervisor_user, self.dept_manager_user, self.hr_director, self.general_manager],
        )
        sheet.with_user(self.officer).action_publish_results()
        rows = (
            self.env["hr.kpi.published.result"]
            .with_user(self.advisor_user)
            .search([("sheet_id", "=", sheet.id)])
        )
        self.assertEqual(rows.mapped("score"), [95.0, 85.0])
