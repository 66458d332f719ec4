"""Evaluation analysis of the reports addon, on the demo (October 2026 and the
third quarter before it): the SQL views average scores and never add up ranks or
thresholds, follow the evaluation's record rules, and feed the overview that
officers and managers land on."""

from statistics import mean

from lxml import etree

from odoo.tests import TransactionCase, tagged

REPORT = "hr.kpi.evaluation.report"
LINE_REPORT = "hr.kpi.evaluation.line.report"


class DemoReportCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo = bool(cls.env.ref("hr_kpi_service.scheme_rep_monthly_demo", False))
        if not cls.demo:
            return
        cls.company = cls.env.ref("base.main_company")
        cls.rep_user = cls.env.ref("hr_kpi_service.user_kpi_rep_demo")
        cls.lead_user = cls.env.ref("hr_kpi_service.user_kpi_lead_demo")
        cls.manager_user = cls.env.ref("hr_kpi_service.user_kpi_manager_demo")
        # the customer-service department (the demo's 售后服务部 has October only)
        cls.customer_service = cls.env.ref("hr_kpi_service.dept_customer_service_demo")
        cls.october = cls.env["hr.kpi.period"].search(
            [
                ("company_id", "=", cls.company.id),
                ("period_type", "=", "monthly"),
                ("date_from", "=", "2026-10-01"),
            ]
        )

    def setUp(self):
        super().setUp()
        if not self.demo:
            self.skipTest("the demo data is not installed")

    def _evaluations(self, domain=()):
        return self.env["hr.kpi.evaluation"].search(
            [("company_id", "=", self.company.id), *domain]
        )


@tagged("post_install", "-at_install")
class TestEvaluationAnalysis(DemoReportCase):
    def test_one_row_per_evaluation_with_its_values(self):
        evaluations = self._evaluations()
        rows = self.env[REPORT].search([("company_id", "=", self.company.id)])
        self.assertEqual(len(rows), len(evaluations))
        self.assertEqual(rows.evaluation_id, evaluations)
        zhao_min = self.env.ref("hr_kpi_service.employee_zhao_min_demo")
        evaluation = evaluations.filtered(
            lambda e: e.employee_id == zhao_min and e.period_id == self.october
        )
        row = rows.filtered(lambda r: r.evaluation_id == evaluation)
        self.assertEqual(row.score, evaluation.total_score)
        self.assertEqual(row.grade, evaluation.grade)
        self.assertEqual(row.grade_band_id, evaluation.grade_band_id)
        self.assertEqual(row.rank_company, evaluation.rank_company)
        self.assertEqual(row.department_id, evaluation.department_id)
        self.assertEqual(row.period_date_from, self.october.date_from)
        star = self.env["hr.kpi.star.month"].search(
            [("employee_id", "=", zhao_min.id), ("period_id", "=", self.october.id)]
        )
        self.assertTrue(star)
        self.assertEqual(row.stars, star.stars)

    def test_read_group_averages_scores_per_department_and_month(self):
        """As the pivot asks (the fields' own aggregators): the mean of the
        evaluations' scores, computed by hand."""
        domain = [
            ("company_id", "=", self.company.id),
            ("department_id", "=", self.customer_service.id),
            ("period_type", "=", "monthly"),
            ("state", "!=", "draft"),
        ]
        groups = self.env[REPORT].read_group(
            domain,
            ["score", "previous_score", "rank_company", "rank_department"],
            ["department_id", "period_date_from:month"],
            lazy=False,
        )
        self.assertEqual(len(groups), 4, "July to October")
        for group in groups:
            evaluations = self.env[REPORT].search(group["__domain"]).evaluation_id
            self.assertEqual(group["__count"], len(evaluations))
            self.assertAlmostEqual(group["score"], mean(evaluations.mapped("total_score")), 6)
            # no previous score (a new hire's first month) is no value, not 0
            previous = [score for score in evaluations.mapped("previous_score") if score]
            if previous:
                self.assertAlmostEqual(group["previous_score"], mean(previous), 6)
            else:
                self.assertFalse(group["previous_score"])
            self.assertNotIn("rank_company", group, "ranks are never aggregated")
            self.assertNotIn("rank_department", group)
        october = next(
            g for g in groups if self.env[REPORT].search(g["__domain"]).period_id == self.october
        )
        self.assertEqual(october["__count"], 17)
        october_evaluations = self._evaluations(
            [("period_id", "=", self.october.id), ("department_id", "=", self.customer_service.id)]
        )
        self.assertAlmostEqual(october["score"], mean(october_evaluations.mapped("total_score")), 6)

    def test_indicator_points_are_averaged(self):
        lines = self.env["hr.kpi.evaluation.line"].search(
            [("evaluation_id.period_id", "=", self.october.id)]
        )
        groups = self.env[LINE_REPORT]._read_group(
            [("period_id", "=", self.october.id)], ["indicator_id"], ["points:avg", "__count"]
        )
        self.assertTrue(groups)
        for indicator, points, count in groups:
            mine = lines.filtered(lambda line, i=indicator: line.indicator_id == i)
            self.assertEqual(count, len(mine))
            # a line without an actual value has no points (not 0)
            scored = mine.filtered("has_actual").mapped("points")
            if scored:
                self.assertAlmostEqual(points, mean(scored), 6)
            else:
                self.assertFalse(points)
        web = self.env[LINE_REPORT].read_group(
            [("period_id", "=", self.october.id)], ["points", "weight", "target"], ["scheme_id"]
        )
        for group in web:
            self.assertNotIn("weight", group, "weights are never aggregated")
            self.assertNotIn("target", group, "targets are never aggregated")

    def test_no_sum_of_ranks_thresholds_or_scores(self):
        report = self.env[REPORT]
        for fname in ("rank_department", "rank_company", "stars"):
            self.assertIsNone(report._fields[fname].aggregator, fname)
        for fname in ("score", "previous_score", "score_change"):
            self.assertEqual(report._fields[fname].aggregator, "avg", fname)
        lines = self.env[LINE_REPORT]
        for fname in ("weight", "target", "sequence"):
            self.assertIsNone(lines._fields[fname].aggregator, fname)
        for fname in ("points", "max_points", "weighted_score", "actual_value", "score"):
            self.assertEqual(lines._fields[fname].aggregator, "avg", fname)
        # no list view of the addon sums a column
        views = self.env["ir.ui.view"].search(
            [("model", "in", (REPORT, LINE_REPORT)), ("type", "in", ("list", "pivot", "graph"))]
        )
        self.assertTrue(views)
        for view in views:
            self.assertNotIn('sum="', view.arch_db, view.name)

    def test_pivot_has_the_period_once(self):
        for xmlid in (
            "hr_kpi_service_reports.hr_kpi_evaluation_report_view_pivot",
            "hr_kpi_service_reports.hr_kpi_evaluation_line_report_view_pivot",
        ):
            arch = etree.fromstring(self.env.ref(xmlid).arch_db)
            periods = arch.xpath("//field[@name='period_date_from' or @name='period_id']")
            self.assertEqual(len(periods), 1, xmlid)
            self.assertEqual(periods[0].get("type"), "col")

    def test_trend_is_a_line_graph_by_month(self):
        arch = etree.fromstring(
            self.env.ref(
                "hr_kpi_service_reports.hr_kpi_evaluation_report_view_graph_trend"
            ).arch_db
        )
        self.assertEqual(arch.get("type"), "line")
        self.assertEqual(arch.xpath("//field")[0].get("interval"), "month")
        groups = self.env[REPORT]._read_group(
            [("employee_id", "=", self.rep_user.employee_id.id), ("state", "!=", "draft")],
            ["period_date_from:month"],
            ["score:avg"],
        )
        evaluations = self._evaluations(
            [("employee_id", "=", self.rep_user.employee_id.id), ("state", "!=", "draft")]
        )
        self.assertEqual(len(groups), len(evaluations), "one point per month")
        self.assertEqual(
            sorted(score for _month, score in groups), sorted(evaluations.mapped("total_score"))
        )

    def test_grade_distribution_counts(self):
        groups = self.env[REPORT]._read_group(
            [("period_id", "=", self.october.id)], ["department_id", "grade"], ["__count"]
        )
        october = self._evaluations([("period_id", "=", self.october.id)])
        for department, grade, count in groups:
            self.assertEqual(
                count,
                len(october.filtered(lambda e, d=department, g=grade: e.department_id == d
                                     and (e.grade or False) == g)),
            )
        self.assertEqual(sum(count for _d, _g, count in groups), 17 + 3)  # and the advisors

    def test_ranking_flags_follow_the_evaluations(self):
        rows = self.env[REPORT].search(
            [("period_id", "=", self.october.id), ("rank_flag", "=", "excellence")]
        )
        evaluations = self._evaluations(
            [("period_id", "=", self.october.id), ("rank_flag", "=", "excellence")]
        )
        self.assertTrue(evaluations)
        self.assertEqual(rows.evaluation_id, evaluations)
        ranked = self.env[REPORT].search(
            [("period_id", "=", self.october.id)], order="rank_company"
        )
        self.assertEqual(ranked[0].rank_company, 1)


@tagged("post_install", "-at_install")
class TestAnalysisAccess(DemoReportCase):
    def test_rep_sees_only_his_own_rows(self):
        employee = self.rep_user.employee_id
        own = self._evaluations([("employee_id", "=", employee.id), ("state", "!=", "draft")])
        self.assertTrue(own)
        rows = self.env[REPORT].with_user(self.rep_user).search([])
        self.assertEqual(rows.employee_id, employee)
        self.assertEqual(rows.evaluation_id, own)
        lines = self.env[LINE_REPORT].with_user(self.rep_user).search([])
        self.assertEqual(lines.employee_id, employee)
        groups = self.env[REPORT].with_user(self.rep_user).read_group([], ["score"], [])
        self.assertEqual(groups[0]["__count"], len(own))
        self.assertAlmostEqual(groups[0]["score"], mean(own.mapped("total_score")), 6)

    def test_lead_sees_her_team(self):
        lead = self.lead_user.employee_id
        team = self.env["hr.employee"].search([("id", "child_of", lead.id)])
        rows = self.env[REPORT].with_user(self.lead_user).search([])
        self.assertEqual(rows.employee_id, team)
        self.assertGreater(len(team), 1)

    def test_other_company_rows_hidden(self):
        other = self.env["res.company"].create({"name": "其他公司 (report test)"})
        self.manager_user.company_ids = [(4, other.id)]
        rows = self.env[REPORT].with_user(self.manager_user).with_context(
            allowed_company_ids=[other.id]
        ).search([])
        self.assertFalse(rows)


@tagged("post_install", "-at_install")
class TestOverview(DemoReportCase):
    def test_landing_action_per_group(self):
        landing = self.env.ref("hr_kpi_service_reports.action_hr_kpi_landing")
        root = self.env.ref("hr_kpi_service.menu_hr_kpi_root")
        self.assertEqual(root.action, landing)
        overview = self.env.ref("hr_kpi_service_reports.action_hr_kpi_overview_client")
        for user in (self.manager_user, self.lead_user):
            action = landing.with_user(user).run()
            self.assertEqual(action["id"], overview.id, user.login)
            self.assertEqual(action["tag"], "hr_kpi_service_reports.overview")
        action = landing.with_user(self.rep_user).run()
        self.assertEqual(
            action["id"], self.env.ref("hr_kpi_service.action_hr_kpi_evaluation_mine").id
        )

    def test_overview_figures_on_the_demo(self):
        """The overview's cards on the demo: October (November is still draft), the
        customer-service manager's department."""
        overview = self.env[REPORT].with_user(self.manager_user).with_context(
            lang="zh_CN"
        ).get_kpi_overview()
        self.assertEqual(overview["month"], "2026年10月")
        cards = overview["cards"]
        october = self._evaluations(
            [("period_id", "=", self.october.id), ("department_id", "=", self.customer_service.id)]
        )
        self.assertEqual(cards["states"]["total"], len(october))
        self.assertEqual(sorted(cards["states"]["values"]), sorted(
            len(october.filtered(lambda e, s=state: e.state == s)) for state in set(october.mapped("state"))
        ))
        [score] = cards["departments"]["values"]
        self.assertAlmostEqual(score, round(mean(october.mapped("total_score")), 2), 6)
        september = self._evaluations(
            [("period_id.date_from", "=", "2026-09-01"), ("period_id.period_type", "=", "monthly"),
             ("department_id", "=", self.customer_service.id)]
        )
        [previous] = cards["departments"]["previous"]
        self.assertAlmostEqual(previous, round(mean(september.mapped("total_score")), 2), 6)
        months = self.env["hr.kpi.star.month"].search([("period_id", "=", self.october.id)])
        stars = dict(zip(cards["stars"]["labels"], cards["stars"]["values"], strict=True))
        self.assertEqual(sum(stars.values()), len(months & months.filtered(
            lambda m: m.employee_id in october.employee_id)))
        grades = dict(zip(cards["grades"]["labels"], cards["grades"]["values"], strict=True))
        for grade in october.grade_band_id.with_context(lang="zh_CN"):
            self.assertEqual(grades[grade.name], len(october.filtered(lambda e, g=grade: e.grade_band_id == g)))

    def test_ratings_overdue_and_open_appeals(self):
        november = self._evaluations(
            [("period_id.date_from", "=", "2026-11-01"), ("period_id.period_type", "=", "monthly")]
        )
        self.assertTrue(november)
        november[:2].action_start()
        ratings = november[:2].rating_ids.filtered(lambda r: r.state != "submitted")
        self.assertTrue(ratings)
        Rating = self.env["hr.kpi.rating"]
        late = Rating.with_context(date="2027-01-05").search([("kpi_overdue", "=", True)])
        self.assertEqual(late & ratings, ratings)
        self.assertTrue(all(late.with_context(date="2027-01-05").mapped("kpi_overdue")))
        early = Rating.with_context(date="2026-12-01").search([("kpi_overdue", "=", True)])
        self.assertFalse(early & ratings, "not before the collection window closes (15 Dec)")
        self.assertEqual(ratings[0].kpi_due_date.isoformat(), "2026-12-15")
        # appeals: the deadline shown is the evaluation's
        appeal = self.env["hr.kpi.appeal"].search([], limit=1)
        self.assertEqual(appeal.appeal_deadline, appeal.evaluation_id.appeal_deadline)
