"""Browser tours of issue 13 in headless Chromium, as zh_CN users, on data of their own
(a company, a scheme, a period; never the demo): an officer runs a month from its
period, a rep appeals once, the import wizard lists a bad file's rows. A tour fails
on any JavaScript error. Chromium is found on the PATH (Odoo's ChromeBrowser starts
it with --headless --no-sandbox, so it runs as root too); the tours themselves are
hr_kpi_service/static/tests/tours/*.js."""

import unittest
from datetime import date

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import _find_executable

from .common import GROUP_OFFICER, KpiCase


@tagged("post_install", "-at_install")
class TestBrowserIsThere(TransactionCase):
    """Without Chromium Odoo skips every tour in silence: the suite says so instead."""

    def test_chromium_is_found(self):
        try:
            path = _find_executable()
        except unittest.SkipTest:
            self.fail("No Chromium on the PATH: run scripts/ensure_system_packages.sh.")
        self.assertTrue(path)


class TourCase(KpiCase, HttpCase):
    """KpiCase's company, with zh_CN users who log in through the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.company_ctx = {
            "company_id": cls.company.id,
            "company_ids": [(6, 0, cls.company.ids)],
            "lang": "zh_CN",
            "tz": "Asia/Shanghai",
        }

    @classmethod
    def _tour_user(cls, login, groups, employee=None):
        user = new_test_user(cls.env, login, groups=groups, **cls.company_ctx)
        if employee:
            employee.user_id = user
        return user

    @classmethod
    def _month(cls, day):
        return cls.env["hr.kpi.period"]._get_or_create(day, "monthly", cls.company)

    def _tour(self, url, name, login):
        self.start_tour(url, name, login=login, timeout=180)


@tagged("post_install", "-at_install")
class TestOfficerRunsAMonth(TourCase):
    """(a) generate → rate → approve → publish → payslip batch → Add KPI lines: the
    payslip of a service manager scored 95 on a commission base of 5,000 ¥ shows
    KPI_PERF 4,750 and a net of 9,950 (seed 000, as test_kpi_payroll)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer_tour = cls._tour_user(
            "kpi_tour_officer", f"base.group_user,{GROUP_OFFICER},payroll.group_payroll_manager"
        )
        structure = cls.env.ref("hr_kpi_service.payroll_structure_customer_service")
        structure.company_id = cls.company
        job = cls.env["hr.job"].create({"name": "客户服务部经理", "company_id": cls.company.id})
        scheme = cls._scheme(
            [
                {"name": "月度绩效", "weight": 100, "scoring_method": "manual"},
                {"name": "服务红线", "weight": 0, "scoring_method": "veto", "is_veto": True},
            ],
            job_ids=[(6, 0, job.ids)],
        )
        scheme.action_activate()
        boss = cls._employee("服务经理甲", job=job)
        boss.resource_calendar_id = cls.company.resource_calendar_id
        cls.env["hr.contract"].create(
            {
                "name": "服务经理甲 合同",
                "employee_id": boss.id,
                "company_id": cls.company.id,
                "wage": 5000,
                "kpi_performance_base": 5000,
                "date_start": date(2026, 1, 1),
                "struct_id": structure.id,
                "resource_calendar_id": cls.company.resource_calendar_id.id,
                "state": "open",
            }
        )
        cls.boss = boss
        cls.month = cls._month(date(2026, 11, 5))

    def test_officer_runs_a_month_from_the_period(self):
        self.assertEqual(self.month.name, "2026-11")
        self._tour(
            f"/odoo/action-hr_kpi_service.action_hr_kpi_period/{self.month.id}",
            "hr_kpi_service_officer_month",
            self.officer_tour.login,
        )
        evaluation = self.env["hr.kpi.evaluation"].search([("period_id", "=", self.month.id)])
        self.assertEqual(evaluation.employee_id, self.boss)
        self.assertEqual((evaluation.state, evaluation.total_score), ("published", 95.0))
        slip = self.env["hr.payslip"].search([("employee_id", "=", self.boss.id)])
        self.assertEqual(len(slip), 1)
        self.assertEqual(slip.payslip_run_id.date_start, self.month.date_from)
        self.assertEqual(slip.get_salary_line_total("KPI_PERF"), 4750.0)
        self.assertEqual(slip.get_salary_line_total("NET"), 9950.0)


@tagged("post_install", "-at_install")
class TestRepAppeals(TourCase):
    """(b) A rep lodges an appeal on his published October evaluation within the
    window; September, appealed once already (upheld, published again), refuses a
    second appeal in the dialog (RELIABILITY: one appeal per evaluation)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        officer = cls._tour_user("kpi_tour_hr", f"base.group_user,{GROUP_OFFICER}")
        rep = cls._employee("服务代表乙", job=cls.job_rep)
        cls.rep_user = cls._tour_user("kpi_tour_rep", "base.group_user", employee=rep)
        scheme = cls._scheme(
            [{"name": "月度绩效", "weight": 100, "scoring_method": "manual"}],
            job_ids=[(6, 0, cls.job_rep.ids)],
        )
        scheme.action_activate()
        september = cls._published(cls._month(date(2026, 9, 5)), officer, 82)
        appeal = (
            cls.env["hr.kpi.appeal"]
            .with_user(cls.rep_user)
            .create({"evaluation_id": september.id, "reason": "九月的通话量少算了。"})
        )
        appeal.with_user(officer).action_uphold("核实后更正。")
        september.with_user(officer).action_approve()
        september.with_user(officer).action_publish()
        cls.september = september
        cls.october = cls._published(cls._month(date(2026, 10, 5)), officer, 78)

    @classmethod
    def _published(cls, period, officer, score):
        evaluation = cls.env["hr.kpi.evaluation"].with_company(cls.company)._generate(period)
        evaluation.line_ids.write({"actual_value": score})
        evaluation = evaluation.with_user(officer)
        evaluation.action_start()
        evaluation.action_to_rating()
        evaluation.action_to_hr_review()
        evaluation.action_approve()
        evaluation.action_publish()
        return evaluation.with_user(cls.env.user)

    def test_rep_appeals_once(self):
        self.assertEqual(self.september.state, "published")
        self._tour(
            "/odoo/action-hr_kpi_service.action_hr_kpi_evaluation_mine",
            "hr_kpi_service_rep_appeal",
            self.rep_user.login,
        )
        self.assertEqual(self.october.state, "appealed")
        self.assertEqual(len(self.october.appeal_ids), 1)
        self.assertIn("第二项指标", self.october.appeal_ids.reason)
        self.assertEqual(len(self.september.appeal_ids), 1, "no second appeal")
        self.assertEqual(self.september.state, "published")


@tagged("post_install", "-at_install")
class TestImportWizard(TourCase):
    """(c) The import wizard lists each problem row of a bad file (in Chinese) and
    imports nothing; the fixed file imports its three incidents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr_tour = cls._tour_user("kpi_tour_hr", f"base.group_user,{GROUP_OFFICER}")
        cls.rep = cls._employee("服务代表乙", job=cls.job_rep)
        cls.rep.barcode = "7710001"

    def test_import_lists_bad_rows_then_imports(self):
        self._tour("/odoo", "hr_kpi_service_import", self.hr_tour.login)
        incidents = self.env["hr.kpi.incident"].search([("employee_id", "=", self.rep.id)])
        self.assertEqual(len(incidents), 3)
        self.assertEqual(
            sorted(incidents.mapped("date")),
            [date(2026, 11, 1), date(2026, 11, 9), date(2026, 11, 10)],
        )


@tagged("post_install", "-at_install")
class TestOfficerCorrectsAfterAppeal(TourCase):
    """Issue 20, finding 1: 刘洋丙's appeal is upheld; in the browser HR types 100 into
    客户满意度 (refused, naming 李娜丙's rating), corrects it with a reason instead,
    approves, and the month's payslip pays 1,200 × 92 % = 1,104.00 (it stayed 98 and
    90.80 before: the typed value was lost at approval). RELIABILITY #24"""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        officer = cls._tour_user(
            "kpi_tour_officer", f"base.group_user,{GROUP_OFFICER},payroll.group_payroll_manager"
        )
        decider = cls._tour_user("kpi_tour_decider", f"base.group_user,{GROUP_OFFICER}")
        cls.officer_tour = officer
        structure = cls.env.ref("hr_kpi_service.payroll_structure_customer_service")
        structure.company_id = cls.company
        scheme = cls._scheme(
            [
                {
                    "name": "客户满意度",
                    "weight": 60,
                    "scoring_method": "manual",
                    "manual_min": 0,
                    "manual_max": 100,
                },
                {"name": "服务规范", "weight": 40, "scoring_method": "manual"},
            ],
            job_ids=[(6, 0, cls.job_rep.ids)],
        )
        scheme.action_activate()
        lead = cls._employee("李娜丙", job=cls.job_lead)
        lead_user = cls._tour_user("kpi_tour_lead", "base.group_user", employee=lead)
        rep = cls._employee("刘洋丙", job=cls.job_rep)
        rep.parent_id = lead
        rep_user = cls._tour_user("kpi_tour_rep", "base.group_user", employee=rep)
        calendar = cls.company.resource_calendar_id
        rep.resource_calendar_id = calendar
        cls.env["hr.contract"].create(
            {
                "name": "刘洋丙 合同",
                "employee_id": rep.id,
                "company_id": cls.company.id,
                "wage": 2000,
                "date_start": date(2026, 1, 1),
                "struct_id": structure.id,
                "resource_calendar_id": calendar.id,
                "state": "open",
            }
        )
        month = cls._month(date(2026, 11, 5))
        cls.env["hr.kpi.star.month"].create(
            {
                "employee_id": rep.id,
                "company_id": cls.company.id,
                "period_id": month.id,
                "role": "rep",
                "stars": 3,
                "pay": 1200,
            }
        )
        evaluation = cls.env["hr.kpi.evaluation"].with_company(cls.company)._generate(month)
        evaluation.line_ids.filtered(lambda l: l.indicator_id.name == "服务规范").write(
            {"actual_value": 80}
        )
        as_officer = evaluation.with_user(officer)
        as_officer.action_start()
        as_officer.action_to_rating()
        rating = evaluation.rating_ids.filtered(lambda r: r.role == "superior")
        rating.with_user(lead_user).line_ids.filtered(
            lambda l: l.indicator_id.name == "客户满意度"
        ).write({"value": 98})
        rating.with_user(lead_user).line_ids.filtered(
            lambda l: l.indicator_id.name == "服务规范"
        ).write({"value": 80})
        rating.with_user(lead_user).action_submit()
        as_officer.action_to_hr_review()
        as_officer.action_approve()
        as_officer.action_publish()
        appeal = (
            cls.env["hr.kpi.appeal"]
            .with_user(rep_user)
            .create({"evaluation_id": evaluation.id, "reason": "客户回访满意度录错了。"})
        )
        appeal.with_user(decider).action_uphold("核实回访录音，客户满意度应为100。")
        cls.evaluation, cls.rep = evaluation, rep

    def test_officer_corrects_after_an_upheld_appeal_to_the_payslip(self):
        self.assertEqual((self.evaluation.state, self.evaluation.total_score), ("hr_review", 90.8))
        self._tour(
            f"/odoo/action-hr_kpi_service.action_hr_kpi_evaluation/{self.evaluation.id}",
            "hr_kpi_service_officer_correction",
            self.officer_tour.login,
        )
        self.assertEqual((self.evaluation.state, self.evaluation.total_score), ("approved", 92.0))
        correction = self.evaluation.correction_ids
        self.assertEqual((correction.kind, correction.new_value), ("override", 100.0))
        self.assertEqual(correction.corrected_by_id, self.officer_tour)
        slip = self.env["hr.payslip"].search([("employee_id", "=", self.rep.id)])
        self.assertEqual(len(slip), 1)
        self.assertEqual(
            slip.input_line_ids.filtered(lambda i: i.code == "KPI_STAR").amount, 1104.0
        )
