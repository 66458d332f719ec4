"""The KPI overview (issue 20, finding 5 and "A real overview"), on
data of its own: one server call gives every card's figures with the caller's rights
and a fixed number of queries; managers and officers land on it. Months read
2026年7月 in the analysis charts, and grades are shown by name (finding 6).
The overview reads with the caller's rights: a lead sees his team only (RELIABILITY #46)."""

from datetime import date, datetime
from statistics import mean

from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_MANAGER, GROUP_OFFICER, GROUP_USER, KpiCase

REPORT = "hr.kpi.evaluation.report"
LINE_REPORT = "hr.kpi.evaluation.line.report"
OVERVIEW = "hr_kpi_service_reports.action_hr_kpi_overview_client"
SEP, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


class OverviewCase(KpiCase):
    """客户服务部 (a lead's team of four) and 售后服务部 (two); September closed,
    October the current month (published, approved, one still being rated), November
    in draft (not current yet)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.grades = {
            code: cls.env.ref(f"hr_kpi_service.grade_band_abcd_{code.lower()}")
            for code in "ABCD"
        }
        cls.scheme = cls._scheme([{"name": "月度绩效", "weight": 100, "scoring_method": "manual"}])
        cls.after_sales = cls.env["hr.department"].create(
            {"name": "售后服务部", "company_id": cls.company.id}
        )
        cls.lead = cls._employee("领班甲", job=cls.job_lead)
        cls.lead_user = new_test_user(
            cls.env, "kpi_overview_lead", groups=f"base.group_user,{GROUP_MANAGER}",
            company_id=cls.company.id, company_ids=[(6, 0, cls.company.ids)],
        )
        cls.lead.user_id = cls.lead_user
        cls.team = [cls._employee(f"客服{n}", job=cls.job_rep) for n in "乙丙丁"]
        for employee in cls.team:
            employee.parent_id = cls.lead
        cls.after = [cls._employee(f"售后{n}", department=cls.after_sales) for n in "甲乙"]
        Period = cls.env["hr.kpi.period"].with_company(cls.company)
        cls.months = {day: Period._get_or_create(day, "monthly", cls.company) for day in (SEP, OCT, NOV)}
        people = [cls.lead, *cls.team, *cls.after]
        # September: closed, scores 80 90 70 60 | 95 85
        cls._evaluations(SEP, people, ["closed"] * 6, [80, 90, 70, 60, 95, 85], "BACDAB")
        # October: 客户服务部 92 88 (published), 74 (approved), - (rating); 售后 100 66
        cls.october = cls._evaluations(
            OCT, people,
            ["published", "published", "approved", "rating", "published", "approved"],
            [92, 88, 74, 0, 100, 66], "ABC_AD",
        )
        cls._evaluations(NOV, people, ["draft"] * 6, [0] * 6, "______")
        rated = cls.october[3]
        cls.ratings = cls.env["hr.kpi.rating"].create(
            [
                {"evaluation_id": rated.id, "role": "superior", "rater_employee_id": cls.lead.id},
                {"evaluation_id": rated.id, "role": "peer", "rater_employee_id": cls.team[0].id},
            ]
        )
        cls.appeals = cls.env["hr.kpi.appeal"].create(
            [{"evaluation_id": e.id, "reason": "请复核"} for e in cls.october[:2]]
        )
        cls.env["hr.kpi.appeal"].create(
            {"evaluation_id": cls.october[4].id, "reason": "已驳回", "state": "rejected"}
        )
        cls.env["hr.kpi.star.month"].create(
            [
                {"employee_id": e.id, "company_id": cls.company.id, "period_id": cls.months[OCT].id,
                 "role": "rep", "stars": stars}
                for e, stars in zip(people[:5], [5, 3, 3, 0, 5], strict=True)
            ]
        )
        cls.env.flush_all()

    @classmethod
    def _evaluations(cls, month, people, states, scores, grades):
        return cls.env["hr.kpi.evaluation"].create(
            [
                {
                    "employee_id": employee.id,
                    "scheme_id": cls.scheme.id,
                    "period_id": cls.months[month].id,
                    "company_id": cls.company.id,
                    "department_id": employee.department_id.id,
                    "state": state,
                    "total_score": score,
                    "grade_band_id": cls.grades[grade].id if grade != "_" else False,
                    # published: appeals until 10 December, 08:00 in Beijing
                    "appeal_deadline": datetime(2026, 12, 10, 0, 0) if state == "published" else False,
                }
                for employee, state, score, grade in zip(people, states, scores, grades, strict=True)
            ]
        )

    def _overview(self, user, **context):
        context = {"lang": "zh_CN", "tz": "Asia/Shanghai", **context}
        return self.env[REPORT].with_user(user).with_context(**context).get_kpi_overview()


@tagged("post_install", "-at_install")
class TestOverviewFigures(OverviewCase):
    def test_officer_sees_every_card_of_the_current_month(self):
        """Issue 20, finding 5: the figures of each card, counted by hand."""
        data = self._overview(self.officer, date="2026-12-01")
        self.assertEqual(data["month"], "2026年10月", "November is still in draft")
        cards = data["cards"]
        states = dict(zip(cards["states"]["labels"], cards["states"]["values"], strict=True))
        self.assertEqual(states, {"评分": 1, "已审批": 2, "已公布": 3})
        self.assertEqual(cards["states"]["total"], 6)
        grades = dict(zip(cards["grades"]["labels"], cards["grades"]["values"], strict=True))
        self.assertEqual(grades, {"优秀": 2, "良好": 1, "一般": 1, "差": 1}, "names, not codes")
        departments = cards["departments"]
        pairs = zip(departments["values"], departments["previous"], strict=True)
        by_department = dict(zip(departments["labels"], pairs, strict=True))
        # the rated evaluation has no score yet; September's four were all scored
        self.assertEqual(by_department["客户服务部"], (round(mean([92, 88, 74]), 2), 75.0))
        self.assertEqual(by_department["售后服务部"], (83.0, 90.0))
        stars = dict(zip(cards["stars"]["labels"], cards["stars"]["values"], strict=True))
        self.assertEqual(list(stars.values()), [2, 2, 1], "5, 3 and 0 stars, best first")
        self.assertEqual(cards["stars"]["total"], 5)
        self.assertEqual((cards["ratings"]["pending"], cards["ratings"]["overdue"]), (2, 1 * 2))
        appeals = cards["appeals"]
        self.assertEqual(appeals["total"], 2, "the rejected appeal is not open")
        self.assertEqual([item["employee"] for item in appeals["items"]], ["领班甲", "客服乙"])
        deadline = appeals["items"][0]["deadline"]
        self.assertIn("08:00", deadline, "the reader's time zone")
        self.assertNotIn("08:00:00", deadline, "no seconds")

    def test_overdue_waits_for_the_collection_window(self):
        """Overdue only after the 15th of the following month (collection end)."""
        ratings = self._overview(self.officer, date="2026-11-10")["cards"]["ratings"]
        self.assertEqual((ratings["pending"], ratings["overdue"]), (2, 0))

    def test_each_card_opens_its_filtered_list(self):
        data = self._overview(self.officer, date="2026-12-01")
        cards = data["cards"]
        Evaluation = self.env["hr.kpi.evaluation"].with_user(self.officer)
        states = cards["states"]
        self.assertEqual(Evaluation.search(states["action"]["domain"]), self.october)
        published = states["labels"].index("已公布")
        self.assertEqual(
            Evaluation.search(states["domains"][published]),
            self.october.filtered(lambda e: e.state == "published"),
        )
        best = cards["grades"]["labels"].index("优秀")
        self.assertEqual(
            Evaluation.search(cards["grades"]["domains"][best]),
            self.october.filtered(lambda e: e.grade_band_id == self.grades["A"]),
        )
        after = cards["departments"]["labels"].index("售后服务部")
        rows = self.env[REPORT].with_user(self.officer).search(cards["departments"]["domains"][after])
        self.assertEqual(rows.evaluation_id, self.october[4:])
        Rating = self.env["hr.kpi.rating"].with_user(self.officer).with_context(date="2026-12-01")
        self.assertEqual(Rating.search(cards["ratings"]["overdue_action"]["domain"]), self.ratings)
        self.assertEqual(
            self.env["hr.kpi.appeal"].with_user(self.officer).search(cards["appeals"]["action"]["domain"]),
            self.appeals,
        )
        for card in ("states", "grades", "departments", "stars"):
            action = cards[card]["action"]
            self.assertEqual(action["type"], "ir.actions.act_window")
            self.assertEqual([mode for _view, mode in action["views"]], ["list", "form"])

    def test_a_lead_sees_his_team_only(self):
        """RELIABILITY #46: record rules apply (no sudo): the lead's subtree, not 售后服务部."""
        cards = self._overview(self.lead_user, date="2026-12-01")["cards"]
        self.assertEqual(cards["states"]["total"], 4)
        self.assertEqual(cards["departments"]["labels"], ["客户服务部"])
        self.assertEqual(sum(cards["grades"]["values"]), 3)

    def test_other_company_sees_nothing(self):
        self.officer.company_ids = [(4, self.other_company.id)]
        data = self._overview(self.officer, allowed_company_ids=[self.other_company.id])
        self.assertEqual(data["month"], "")
        self.assertEqual(data["cards"]["states"]["total"], 0)
        self.assertEqual(data["cards"]["appeals"]["total"], 0)
        self.assertEqual(data["cards"]["ratings"]["pending"], 0)

    def test_a_fixed_number_of_queries(self):
        """As many queries for twice the rows, departments and appeals."""

        def queries():
            self.env.invalidate_all()
            self.env.flush_all()
            self._overview(self.officer, date="2026-12-01")  # caches (rules, xmlids)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._overview(self.officer, date="2026-12-01")
            return self.env.cr.sql_log_count - before

        first = queries()
        more = self.env["hr.department"].create({"name": "投诉处理部", "company_id": self.company.id})
        people = [self._employee(f"投诉{n}", department=more) for n in "甲乙丙丁"]
        evaluations = self._evaluations(
            OCT, people, ["published", "rating", "approved", "published"], [91, 0, 77, 59], "A_CD"
        )
        self._evaluations(SEP, people, ["closed"] * 4, [88, 80, 70, 60], "BBCD")
        self.env["hr.kpi.appeal"].create(
            [{"evaluation_id": e.id, "reason": "请复核"} for e in evaluations[::3]]
        )
        self.env["hr.kpi.rating"].create(
            {"evaluation_id": evaluations[1].id, "role": "superior", "rater_employee_id": people[0].id}
        )
        self.assertEqual(self._overview(self.officer)["cards"]["states"]["total"], 10)
        self.assertEqual(queries(), first)
        self.assertLessEqual(first, 30)


@tagged("post_install", "-at_install")
class TestOverviewHome(OverviewCase):
    """Managers and officers land on the overview; plain users keep their home."""

    def test_managers_and_officers_land_on_the_overview(self):
        overview = self.env.ref(OVERVIEW)
        self.assertEqual(overview._name, "ir.actions.client")
        self.assertEqual(overview.tag, "hr_kpi_service_reports.overview")
        for user in (self.officer, self.manager, self.lead_user):
            self.assertEqual(user.action_id.id, overview.id, user.login)
        plain = new_test_user(self.env, "kpi_overview_plain", groups=f"base.group_user,{GROUP_USER}")
        self.assertFalse(plain.action_id)
        self.assertFalse(self.user.action_id)

    def test_getting_and_losing_the_group(self):
        overview = self.env.ref(OVERVIEW)
        user = new_test_user(self.env, "kpi_overview_later", groups=f"base.group_user,{GROUP_USER}")
        self.assertFalse(user.action_id)
        user.groups_id = [(4, self.env.ref(GROUP_OFFICER).id)]
        self.assertEqual(user.action_id.id, overview.id)
        user.groups_id = [(3, self.env.ref(GROUP_OFFICER).id), (3, self.env.ref(GROUP_MANAGER).id)]
        self.assertFalse(user.action_id)
        # a home action already set (a lead's ratings, a choice) is kept
        mine = self.env.ref("hr_kpi_service.action_hr_kpi_evaluation_mine")
        chosen = new_test_user(self.env, "kpi_overview_chosen", groups=f"base.group_user,{GROUP_USER}")
        chosen.action_id = mine.id
        chosen.groups_id = [(4, self.env.ref(GROUP_MANAGER).id)]
        self.assertEqual(chosen.action_id.id, mine.id)

    def test_existing_and_demo_managers_land_on_install(self):
        self.officer.action_id = False
        self.env["res.users"]._kpi_land_all_managers_on_overview()
        self.assertEqual(self.officer.action_id.id, self.env.ref(OVERVIEW).id)
        self.assertFalse(self.user.action_id)
        demo = self.env.ref("hr_kpi_service.user_kpi_manager_demo", False)
        if demo:
            self.assertEqual(demo.action_id.id, self.env.ref(OVERVIEW).id)

    def test_the_old_board_is_gone(self):
        self.assertFalse(self.env.ref("hr_kpi_service_reports.hr_kpi_overview_view_board", False))
        menu = self.env.ref("hr_kpi_service_reports.menu_hr_kpi_overview")
        self.assertEqual(menu.action.id, self.env.ref(OVERVIEW).id)
        landing = self.env.ref("hr_kpi_service_reports.action_hr_kpi_landing")
        action = landing.with_user(self.manager).run()
        self.assertEqual((action["type"], action["tag"]), ("ir.actions.client", "hr_kpi_service_reports.overview"))


@tagged("post_install", "-at_install")
class TestMonthsAndGrades(OverviewCase):
    def test_months_read_in_the_readers_language(self):
        """Finding 6: 2026年7月, not 七月 2026; in date order."""
        domain = [("company_id", "=", self.company.id)]
        groups = self.env[REPORT].with_context(lang="zh_CN").read_group(
            domain, ["score"], ["period_date_from:month"]
        )
        self.assertEqual(
            [g["period_date_from:month"] for g in groups], ["2026年9月", "2026年10月", "2026年11月"]
        )
        self.assertEqual(groups[1]["__range"]["period_date_from:month"]["from"], "2026-10-01")
        english = self.env[REPORT].with_context(lang="en_US").read_group(
            domain, ["score"], ["period_date_from:month"]
        )
        self.assertEqual(english[0]["period_date_from:month"], "September 2026")
        # the pivot's row x column grouping too (lazy=False)
        pivot = self.env[REPORT].with_context(lang="zh_CN").read_group(
            domain, ["score"], ["department_id", "period_date_from:month"], lazy=False
        )
        self.assertIn("2026年10月", {g["period_date_from:month"] for g in pivot})
        lines = self.env[LINE_REPORT].with_context(lang="zh_CN").read_group(
            [], ["points_percent"], ["period_date_from:month"]
        )
        self.assertTrue(lines)
        for group in lines:
            self.assertRegex(group["period_date_from:month"], r"^\d{4}年\d{1,2}月$")

    def test_grade_charts_group_by_grade_name(self):
        """Finding 6: charts and lists of the analysis show the grade's name."""
        views = self.env["ir.ui.view"].search([("model", "=", REPORT)])
        self.assertTrue(views)
        for view in views:
            arch = etree.fromstring(view.arch_db)
            self.assertFalse(arch.xpath("//field[@name='grade']"), f"{view.name} shows the code")
        arch = etree.fromstring(
            self.env.ref("hr_kpi_service_reports.hr_kpi_evaluation_report_view_graph_grades").arch_db
        )
        self.assertEqual(arch.xpath("//field/@name"), ["department_id", "grade_band_id"])
        groups = self.env[REPORT].with_context(lang="zh_CN").read_group(
            [("period_id", "=", self.months[OCT].id)], ["__count"], ["grade_band_id"]
        )
        self.assertEqual(
            {g["grade_band_id"][1] for g in groups if g["grade_band_id"]}, {"优秀", "良好", "一般", "差"}
        )

    def test_analysis_graph_opens_by_month_and_grade_stacked(self):
        """Finding 5: not a single bar."""
        arch = etree.fromstring(
            self.env.ref("hr_kpi_service_reports.hr_kpi_evaluation_report_view_graph").arch_db
        )
        self.assertEqual((arch.get("type"), arch.get("stacked")), ("bar", "1"))
        fields = arch.xpath("//field")
        self.assertEqual(
            [(f.get("name"), f.get("interval")) for f in fields],
            [("period_date_from", "month"), ("grade_band_id", None)],
        )
        groups = self.env[REPORT].read_group(
            [("company_id", "=", self.company.id), ("state", "!=", "draft")],
            ["__count"], ["period_date_from:month", "grade_band_id"], lazy=False,
        )
        self.assertGreater(len(groups), 4)


@tagged("post_install", "-at_install")
class TestIndicatorAnalysisScale(KpiCase):
    """Finding 5: 指标分析 averaged points of indicators of different scales (a 50-point
    and a 20-point indicator gave a meaningless mean); it now opens on the points as a
    percentage of each line's maximum."""

    def test_points_as_percentage_of_maximum(self):
        arch = etree.fromstring(
            self.env.ref("hr_kpi_service_reports.hr_kpi_evaluation_line_report_view_pivot").arch_db
        )
        self.assertEqual(arch.xpath("//field[@type='measure']/@name"), ["points_percent"])
        graph = etree.fromstring(
            self.env.ref("hr_kpi_service_reports.hr_kpi_evaluation_line_report_view_graph").arch_db
        )
        self.assertEqual(graph.xpath("//field[@type='measure']/@name"), ["points_percent"])
        scheme = self._scheme(
            [
                {"name": "工作量", "weight": 50, "scoring_method": "manual"},
                {"name": "满意度", "weight": 20, "scoring_method": "manual"},
            ]
        )
        employee = self._employee("客服甲", job=self.job_rep)
        month = self.env["hr.kpi.period"]._get_or_create(OCT, "monthly", self.company)
        evaluation = self.env["hr.kpi.evaluation"].create(
            {"employee_id": employee.id, "scheme_id": scheme.id, "period_id": month.id,
             "company_id": self.company.id, "state": "hr_review"}
        )
        indicators = scheme.indicator_ids.sorted("sequence")
        self.env["hr.kpi.evaluation.line"].create(
            [
                {"evaluation_id": evaluation.id, "indicator_id": indicators[0].id,
                 "company_id": self.company.id, "employee_id": employee.id,
                 "has_actual": True, "points": 40, "max_points": 50},
                {"evaluation_id": evaluation.id, "indicator_id": indicators[1].id,
                 "company_id": self.company.id, "employee_id": employee.id,
                 "has_actual": True, "points": 10, "max_points": 20},
            ]
        )
        self.env.flush_all()
        [total] = self.env[LINE_REPORT].read_group(
            [("evaluation_id", "=", evaluation.id)], ["points_percent", "points"], []
        )
        self.assertAlmostEqual(total["points_percent"], mean([80.0, 50.0]), 6)
        by_indicator = {
            g["indicator_id"][1]: g["points_percent"]
            for g in self.env[LINE_REPORT].read_group(
                [("evaluation_id", "=", evaluation.id)], ["points_percent"], ["indicator_id"]
            )
        }
        self.assertEqual(by_indicator, {"工作量": 80.0, "满意度": 50.0})


@tagged("post_install", "-at_install")
class TestOverviewInTheBrowser(OverviewCase, HttpCase):
    """Tour in headless Chromium, in zh_CN (the tests/test_tours.py pattern): an
    officer logs in, lands on the overview, and a card opens its list; any JavaScript
    error fails the tour. Once at desktop width and once at phone width."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.tour_officer = new_test_user(
            cls.env, "kpi_overview_tour", groups=f"base.group_user,{GROUP_OFFICER}",
            company_id=cls.company.id, company_ids=[(6, 0, cls.company.ids)],
            lang="zh_CN", tz="Asia/Shanghai",
        )

    def _tour(self):
        self.assertEqual(self.tour_officer.action_id.id, self.env.ref(OVERVIEW).id)
        self.start_tour("/odoo", "hr_kpi_service_reports_overview", login=self.tour_officer.login,
                        timeout=180)

    def test_overview_in_the_browser(self):
        self._tour()

    def test_overview_at_phone_width(self):
        self.browser_size = "375x740"
        self._tour()

    def test_analysis_graph_in_the_browser(self):
        """Finding 5 and 6: the analysis graph opens by month (2026年10月) and grade
        name, stacked, not a single bar."""
        self.start_tour(
            "/odoo/action-hr_kpi_service_reports.action_hr_kpi_evaluation_report?view_type=graph",
            "hr_kpi_service_reports_analysis_graph", login=self.tour_officer.login, timeout=120,
        )
