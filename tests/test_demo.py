"""The demo month (October 2026) as installed with demo data: the indicators that
read recorded facts take their values from the shipped sample files.

Unlike the other ORM tests these read the demo records on purpose; `make test`
installs the addons with demo data, so they run in CI. On a database without demo
data they are skipped.
"""

import re
from datetime import date

from odoo.osv import expression
from odoo.tests import TransactionCase, tagged

SOURCED = (
    "REP_COMPLAINT_HANDLING",
    "REP_AUDIT_PENALTY",
    "LEAD_ATTITUDE_COMPLAINTS",
    "LEAD_TRAINING_SESSIONS",
    "LEAD_DAILY_MANAGEMENT",
    "MGR_ATTITUDE",
)


class DemoCase(TransactionCase):
    """October 2026 of the demo company; skipped without demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls.env.ref("hr_kpi_service.scheme_rep_monthly_demo", False)
        cls.customer_service = cls.env.ref("hr_kpi_service.dept_customer_service_demo", False)

    def setUp(self):
        super().setUp()
        if not self.scheme:
            self.skipTest("the demo data is not installed")
        self.october = self.env["hr.kpi.evaluation"].search(
            [
                ("period_id.period_type", "=", "monthly"),
                ("period_id.date_from", "=", "2026-10-01"),
                ("company_id", "=", self.env.ref("base.main_company").id),
                ("department_id", "=", self.customer_service.id),
            ]
        )

    def _line(self, employee_xmlid, code):
        employee = self.env.ref(f"hr_kpi_service.{employee_xmlid}")
        line = self.october.line_ids.filtered(
            lambda line: line.employee_id == employee and line.indicator_id.code == code
        )
        self.assertEqual(len(line), 1, f"{employee.name} / {code}")
        return line

    def _values(self, employee_xmlid, code):
        line = self._line(employee_xmlid, code)
        return line.actual_value, line.points


@tagged("post_install", "-at_install")
class TestDemoMonth(DemoCase):
    def test_the_month_went_through(self):
        self.assertEqual(len(self.october), 17)
        self.assertEqual(sorted(set(self.october.mapped("state"))), ["closed", "published"])
        # the third quarter before it: the two October hires have no evaluation
        history = self.env["hr.kpi.evaluation"].search(
            [
                ("period_id.period_type", "=", "monthly"),
                ("period_id.date_from", ">=", "2026-07-01"),
                ("period_id.date_from", "<", "2026-10-01"),
                ("company_id", "=", self.env.ref("base.main_company").id),
            ]
        )
        self.assertEqual(len(history), 45)
        self.assertEqual(set(history.mapped("state")), {"closed"})
        hires = self.env.ref("hr_kpi_service.employee_wu_hao_demo") | self.env.ref(
            "hr_kpi_service.employee_he_yong_demo"
        )
        self.assertFalse(history.employee_id & hires)

    def test_complaint_handling_follows_the_sla_sample(self):
        """sla_2026-10.xls: 杨帆's second complaint (21 Oct 15:10) was answered on
        23 Oct, after the 1 working day limit: 1 of 2 in time -> 50 %, below 75 %
        -> 5 of 10 points. Reps without a complaint: 100 %."""
        self.assertEqual(self._values("employee_yang_fan_demo", "REP_COMPLAINT_HANDLING"), (50, 5))
        self.assertEqual(
            self._values("employee_liu_yang_demo", "REP_COMPLAINT_HANDLING"), (100, 10)
        )
        self.assertEqual(
            self._values("employee_huang_lei_demo", "REP_COMPLAINT_HANDLING"), (100, 10)
        )
        self.assertEqual(
            self._values("employee_chen_jing_demo", "REP_COMPLAINT_HANDLING"), (100, 10)
        )

    def test_audit_deductions_follow_the_findings(self):
        """孙浩: findings of 2 and 5 points in incidents_2026-10.xlsx; 刘洋: 2 + 2,
        of which the appeal withdrew one."""
        self.assertEqual(self._values("employee_sun_hao_demo", "REP_AUDIT_PENALTY"), (7, -7))
        self.assertEqual(self._values("employee_liu_yang_demo", "REP_AUDIT_PENALTY"), (2, -2))

    def test_lead_indicators_follow_complaints_training_and_cards(self):
        # 杨帆 (李娜's team): the substantiated attitude complaint of 12 Oct -> 10 - 1
        self.assertEqual(self._values("employee_li_na_demo", "LEAD_ATTITUDE_COMPLAINTS"), (1, 9))
        self.assertEqual(
            self._values("employee_zhang_wei_demo", "LEAD_ATTITUDE_COMPLAINTS"), (0, 10)
        )
        # activities_2026-10.csv: 4 team trainings for 李娜, 3 for 张伟 (of 4 required)
        self.assertEqual(self._values("employee_li_na_demo", "LEAD_TRAINING_SESSIONS"), (4, 100))
        self.assertEqual(self._values("employee_zhang_wei_demo", "LEAD_TRAINING_SESSIONS"), (3, 75))
        # surveys_2026-10.xlsx, card 1 about each lead: A A A = 5; 张伟: B A B and
        # B B C, (13 / 3 + 11 / 3) / 2 = 4
        self.assertEqual(self._values("employee_li_na_demo", "LEAD_DAILY_MANAGEMENT"), (5, 5))
        self.assertEqual(self._values("employee_zhang_wei_demo", "LEAD_DAILY_MANAGEMENT"), (4, 4))

    def test_manager_attitude_follows_the_general_managers_card(self):
        # card 4 of the 总经理 about the department: A B C = 4
        self.assertEqual(self._values("employee_wang_jianguo_demo", "MGR_ATTITUDE"), (4, 4))

    def test_sourced_lines_are_nobodys_rating(self):
        sourced = self.october.line_ids.filtered(lambda line: line.indicator_id.code in SOURCED)
        self.assertEqual(len(sourced), 14 * 2 + 2 * 3 + 1)
        self.assertTrue(all(sourced.mapped("has_actual")))
        rated = self.october.rating_ids.line_ids.evaluation_line_id
        self.assertFalse(rated & sourced)


@tagged("post_install", "-at_install")
class TestDemoStarsAndPayroll(DemoCase):
    """The third quarter's star review and October's payslip batch of the demo."""

    def _employee(self, xmlid):
        return self.env.ref(f"hr_kpi_service.{xmlid}")

    def test_quarter_star_review(self):
        review = self.env["hr.kpi.star.review"].search(
            [
                ("period_id.date_from", "=", "2026-07-01"),
                ("period_id.period_type", "=", "quarterly"),
            ]
        )
        self.assertEqual(review.state, "done")
        self.assertEqual(review.on_duty_count, 12)  # the October hires were not on duty
        lines = {line.employee_id: line for line in review.line_ids}
        zhao = lines[self._employee("employee_zhao_min_demo")]
        # seed 003 example B: 85 points a month, full attendance, 75 characters/min
        self.assertEqual((zhao.quarter_score, zhao.skill_score, zhao.stars), (85, 75, 3))
        zhang = lines[self._employee("employee_zhang_wei_demo")]
        self.assertEqual((zhang.role, zhang.stars), ("lead", 2))  # his team's mean: 80 to 88
        self.assertTrue(80 <= zhang.quarter_score < 88)

    def test_october_stars_follow_the_month_rules(self):
        months = self.env["hr.kpi.star.month"].search(
            [("period_id", "in", self.october.period_id.ids)]
        )
        stars = {month.employee_id: month for month in months}
        # 杨帆: the substantiated attitude complaint of 12 Oct -> 0 stars this month
        self.assertEqual(stars[self._employee("employee_yang_fan_demo")].stars, 0)
        # 李娜: an attitude complaint and a rules violation in her team -> 0 stars
        self.assertEqual(stars[self._employee("employee_li_na_demo")].stars, 0)
        # 陈静: a written commendation -> one more star
        chen = stars[self._employee("employee_chen_jing_demo")]
        self.assertEqual(chen.stars, 5)
        # the October hires are on probation: 90 % of the 3-star pay
        self.assertEqual(stars[self._employee("employee_wu_hao_demo")].pay, 1080)

    def test_october_payslips_show_the_seed_totals(self):
        run = self.env["hr.payslip.run"].search([("date_start", "=", "2026-10-01")])
        department = self.env.ref("hr_kpi_service.dept_customer_service_demo")
        own = run.slip_ids.filtered(lambda slip: slip.employee_id.department_id == department)
        self.assertEqual(len(own), 17)
        self.assertEqual(set(run.slip_ids.mapped("state")), {"verify"})

        def slip(xmlid):
            payslip = run.slip_ids.filtered(lambda s: s.employee_id == self._employee(xmlid))
            return {line.code: line.total for line in payslip.line_ids}, payslip

        zhao, payslip = slip("employee_zhao_min_demo")
        self.assertEqual(payslip.kpi_evaluation_id.total_score, 85)
        self.assertEqual(zhao["KPI_STAR"], 1020)
        self.assertEqual(zhao["NET"], 3220)  # 2000 + 1200 x 85 % + 200
        zhang, _payslip = slip("employee_zhang_wei_demo")
        self.assertEqual(zhang["NET"], 4700)  # 2800 + 2000 x 85 % + 200
        wang, _payslip = slip("employee_wang_jianguo_demo")
        self.assertEqual(wang["KPI_PERF"], 4750)  # 5000 x 95 %
        # 陈静: lifted to five stars by a commendation, the one-time award (500 in the demo)
        chen, _payslip = slip("employee_chen_jing_demo")
        self.assertEqual(chen["KPI_AWARD"], 500)
        # every payslip holds its KPI input lines, each code once
        for payslip in run.slip_ids:
            codes = payslip.input_line_ids.filtered("amount").mapped("code")
            self.assertEqual(len(codes), len(set(codes)), payslip.name)
            self.assertIn("KPI_ATT", codes, payslip.name)


# An English word: three Latin letters or more (HTML tags removed), not one of these.
ENGLISH_WORD = re.compile(r"\b(?!(?:KPI|Asia|Shanghai)\b)[A-Za-z]{3,}")
CHINESE = re.compile("[\u4e00-\u9fff]")


def english_in(texts):
    """The texts of `texts` that hold an English word."""
    return [text for text in texts if text and ENGLISH_WORD.search(re.sub(r"<[^>]*>", "", text))]


@tagged("post_install", "-at_install")
class TestDemoInChinese(DemoCase):
    """The demo is a Chinese company: its story was run by zh_CN users after the
    module's translations were loaded, and its names are held in both languages."""

    def test_company_and_users(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "杭州云帆客服中心有限公司")
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(company.state_id, self.env.ref("base.state_cn_ZJ"))
        self.assertEqual(self.env.ref("base.user_admin").name, "林晓峰")
        users = self.env.ref("base.user_admin") | self.env["res.users"].search(
            [("login", "in", ("kpi.manager", "kpi.lead", "kpi.rep"))]
        )
        self.assertEqual(len(users), 4)
        self.assertEqual(set(users.mapped("lang")), {"zh_CN"})
        self.assertEqual(set(users.mapped("tz")), {"Asia/Shanghai"})
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        self.assertLessEqual({"zh_CN", "en_US"}, installed)

    def test_names_hold_both_languages(self):
        """Schemes, perspectives, indicators and units: Chinese in zh_CN, English in
        en_US (the 客户服务部 and its jobs too)."""
        schemes = self.env["hr.kpi.scheme"].search([("company_id", "!=", False)])
        self.assertIn(self.scheme, schemes)
        records = [
            (schemes, "name"),
            (schemes.perspective_ids, "name"),
            (schemes.indicator_ids, "name"),
            (schemes.indicator_ids.filtered(lambda i: i.unit not in (False, "%")), "unit"),
            (self.env.ref("hr_kpi_service.dept_customer_service_demo"), "name"),
            (self.env.ref("hr_kpi_service.job_cs_rep_demo"), "name"),
        ]
        for recordset, field in records:
            chinese = recordset.with_context(lang="zh_CN").mapped(field)
            english = recordset.with_context(lang="en_US").mapped(field)
            self.assertTrue(chinese, f"{recordset._name}.{field}")
            self.assertFalse([name for name in english if CHINESE.search(name)], english)
            self.assertFalse(english_in(chinese), f"{recordset._name}.{field}: {chinese}")
        self.assertEqual(
            self.scheme.with_context(lang="en_US").name,
            "Representative Monthly Evaluation (Customer Service)",
        )
        self.assertEqual(
            self.scheme.with_context(lang="zh_CN").name, "客服代表月度考核（客户服务部）"
        )

    def test_the_story_wrote_chinese(self):
        """Chatter (bodies and tracked states) of the story's records, star
        explanations, award names and reasons, consequence descriptions: no English
        (the shipped templates' creation notes, written before the module's
        translations were loaded, are not the story's)."""
        department = self.env.ref("hr_kpi_service.dept_customer_service_demo")
        evaluations = self.env["hr.kpi.evaluation"].search(
            [("employee_id.department_id", "=", department.id)]
        )
        documents = {
            "hr.kpi.evaluation": evaluations,
            "hr.kpi.rating": evaluations.rating_ids,
            "hr.kpi.appeal": self.env["hr.kpi.appeal"].search(
                [("evaluation_id", "in", evaluations.ids)]
            ),
        }
        messages = self.env["mail.message"].search(
            expression.OR(
                [
                    [("model", "=", model), ("res_id", "in", records.ids)]
                    for model, records in documents.items()
                ]
            )
        )
        self.assertGreater(len(messages), 300)
        self.assertFalse(english_in(messages.mapped("body")))
        tracked = messages.tracking_value_ids
        self.assertTrue(tracked)
        self.assertFalse(english_in(tracked.mapped("old_value_char")))
        self.assertFalse(english_in(tracked.mapped("new_value_char")))
        october = self.october.period_id
        stars = self.env["hr.kpi.star.month"].search([("period_id", "=", october.id)])
        awards = self.env["hr.kpi.award"].search([("period_id", "=", october.id)])
        consequences = self.env["hr.kpi.consequence"].search(
            [("employee_id", "in", evaluations.employee_id.ids)]
        )
        review = self.env["hr.kpi.star.review"].search([("period_id.date_from", "=", "2026-07-01")])
        texts = {
            "star explanations": stars.mapped("explanation")
            + review.line_ids.mapped("explanation"),
            "star review": review.mapped("name"),
            "awards": awards.mapped("name") + awards.mapped("reason"),
            "consequences": consequences.mapped("description"),
        }
        for label, values in texts.items():
            self.assertTrue(values, label)
            self.assertFalse(english_in(values), label)
        self.assertIn("服务明星 2026年10月：徐丽", awards.mapped("name"))

    def test_payslips_are_named_in_the_officers_language(self):
        """OCA payroll wrote "Salary Slip of 赵敏 for 十月-2026"; the month is now
        written as zh_CN writes it (the sentence follows zh_CN.po)."""
        run = self.env["hr.payslip.run"].search([("date_start", "=", "2026-10-01")])
        self.assertEqual(run.name, "客户服务部 2026年10月 工资")
        zhao = self.env.ref("hr_kpi_service.employee_zhao_min_demo")
        for payslip in run.slip_ids:
            self.assertIn("2026年10月", payslip.name)
            self.assertNotIn("十月-2026", payslip.name)
        self.assertIn("赵敏", run.slip_ids.filtered(lambda s: s.employee_id == zhao).name)


ADVISOR_FORMULA = "(446000 × 0.5 % × 103.72 % × 95 % + 22500 × 6 %) × "


@tagged("post_install", "-at_install")
class TestDemoServiceAdvisors(DemoCase):
    """The 售后服务部 beside the customer-service department (seed 000, 4S店 业务接待):
    its advisors' months, a target letter and its revision, the third quarter's team
    reward, and October's payslips with the commission the product computes."""

    def _ref(self, name):
        return self.env.ref(f"hr_kpi_service.{name}")

    def _slip(self, employee):
        run = self.env["hr.payslip.run"].search([("date_start", "=", "2026-10-01")])
        payslip = run.slip_ids.filtered(lambda s: s.employee_id == self._ref(employee))
        self.assertEqual(len(payslip), 1, employee)
        inputs = {line.code: line for line in payslip.input_line_ids if line.amount}
        totals = {line.code: line.total for line in payslip.line_ids}
        return inputs, totals

    def test_department_people_and_names(self):
        department = self._ref("dept_after_sales_demo")
        self.assertEqual(department.with_context(lang="zh_CN").name, "售后服务部")
        self.assertEqual(
            department.with_context(lang="en_US").name, "After-Sales Service Department"
        )
        self.assertEqual(department.manager_id, self._ref("employee_chen_zhiqiang_demo"))
        employees = self.env["hr.employee"].search([("department_id", "=", department.id)])
        # the service advisors' story, then the quarter's supervisor and specialists
        # (demo/after_sales_quarter.py)
        self.assertEqual(
            sorted(employees.mapped("name")),
            sorted(
                [
                    *("陈志强", "赵宏伟", "钱晓东", "孙佳怡"),
                    *("周立新", "吴晓梅", "郑凯", "冯雪", "何志远", "蒋丽"),
                ]
            ),
        )
        self.assertEqual(set(employees.user_id.mapped("lang")), {"zh_CN"})
        advisor = self._ref("job_service_advisor_demo")
        self.assertEqual(advisor.with_context(lang="en_US").name, "Service Advisor")
        scheme = self._ref("scheme_advisor_monthly_demo")
        self.assertEqual(scheme.with_context(lang="zh_CN").name, "服务顾问月度考核（售后服务部）")
        self.assertEqual(
            scheme.with_context(lang="en_US").name,
            "Service Advisor Monthly Evaluation (After-Sales)",
        )
        self.assertTrue(self._ref("contract_sun_jiayi_demo").trial_date_end)

    def test_advisor_months_confirmed_by_the_manager(self):
        months = self.env["hr.kpi.commission.month"].search(
            [("employee_id.department_id", "=", self._ref("dept_after_sales_demo").id)]
        )
        self.assertEqual(len(months), 10)  # July to October; 孙佳怡 from September
        self.assertTrue(all(months.mapped("confirmed")))
        self.assertEqual(months.confirmed_by_id, self._ref("user_chen_zhiqiang_demo"))
        group = self._ref("commission_group_reception_demo")
        self.assertEqual(months.group_id, group)  # one reception group, a record
        self.assertEqual(group.manager_id.user_id, self._ref("user_chen_zhiqiang_demo"))
        self.assertEqual(group.member_ids, months.employee_id)
        october = months.filtered(lambda m: m.period_id.date_from.month == 10)
        self.assertEqual(sum(october.mapped("production_value")), 446000)

    def test_target_letter_and_its_revision(self):
        revision = self._ref("target_plan_zhao_hongwei_demo")
        self.assertEqual((revision.state, revision.version), ("approved", 2))
        self.assertEqual(revision.previous_id.state, "superseded")
        self.assertEqual(revision.previous_id.line_ids.target, 1100)
        self.assertEqual(revision.line_ids.target, 1000)
        self.assertEqual(revision.approved_by_id, self._ref("user_chen_zhiqiang_demo"))
        self.assertEqual(revision.proposed_by_id, self._ref("user_zhao_hongwei_demo"))
        line = self.env["hr.kpi.evaluation.line"].search(
            [
                ("employee_id", "=", revision.employee_id.id),
                ("evaluation_id.period_id", "=", revision.period_id.id),
                ("indicator_id.code", "=", "REP_WORKLOAD"),
            ]
        )
        self.assertEqual((line.target, line.personal_target), (1000, True))

    def test_team_reward_requested_and_approved(self):
        reward = self._ref("team_reward_after_sales_demo")
        self.assertEqual(reward.state, "approved")
        # the department's reward of the third quarter, at the company's share
        self.assertEqual(reward.department_id, self._ref("dept_after_sales_demo"))
        self.assertEqual(reward.period_id.date_from, date(2026, 7, 1))
        self.assertEqual(reward.share_pct, 0.3)
        self.assertEqual(reward.amount, 4950)  # 1,650,000 x 0.3 %
        self.assertEqual(reward.requested_by_id, self._ref("user_chen_zhiqiang_demo"))
        self.assertEqual(reward.approved_by_id, self.env.ref("base.user_admin"))
        shares = {line.employee_id.name: line.amount for line in reward.line_ids}
        self.assertEqual(shares, {"赵宏伟": 1980, "钱晓东": 1650, "孙佳怡": 1320})

    def test_october_commission_on_the_payslips(self):
        """The group's pool, (446,000 x 0.5 % x 103.72 % x 95 % + 22,500 x 6 %), shared by
        coefficients 1.2 / 1.0 / 0.8; the probationer earns none; the reception
        score below 96 cuts 10 %."""
        zhao, zhao_totals = self._slip("employee_zhao_hongwei_demo")
        self.assertEqual(zhao["KPI_COMMISSION"].amount, 1418.93)
        self.assertEqual(
            zhao["KPI_COMMISSION"].kpi_explanation, ADVISOR_FORMULA + "1.2/3 = 1418.93"
        )
        self.assertEqual(zhao["KPI_COMPLAINT"].amount, -141.89)  # score 83.87 < 96
        self.assertEqual(zhao["KPI_TEAM"].amount, 1980)
        # 3000 + 200 + 1418.93 − 141.89 + 1980
        self.assertEqual(zhao_totals["NET"], 6457.04)
        qian, _totals = self._slip("employee_qian_xiaodong_demo")
        self.assertEqual(qian["KPI_COMMISSION"].amount, 1182.44)
        self.assertEqual(qian["KPI_COMMISSION"].kpi_explanation, ADVISOR_FORMULA + "1/3 = 1182.44")
        sun, sun_totals = self._slip("employee_sun_jiayi_demo")
        self.assertNotIn("KPI_COMMISSION", sun)
        self.assertEqual(sun_totals["NET"], 2500 + 200 + 1320)
        chen, _totals = self._slip("employee_chen_zhiqiang_demo")
        self.assertNotIn("KPI_COMMISSION", chen)


@tagged("post_install", "-at_install")
class TestDemoAfterSalesQuarter(DemoCase):
    """The 售后服务部's third quarter (seed 004, demo/after_sales_quarter.py): the
    specialists' quarterly results approved and waiting for the four-level sign-off,
    the chain, the 考核委员会 and its ranges (tests/test_tours_demo_quarter.py walks
    the rest)."""

    def _ref(self, name):
        return self.env.ref(name if "." in name else f"hr_kpi_service.{name}")

    def _quarter_evaluations(self):
        scheme = self._ref("scheme_after_sales_quarterly_demo")
        return self.env["hr.kpi.evaluation"].search([("scheme_id", "=", scheme.id)])

    def test_scheme_chain_and_committee(self):
        scheme = self._ref("scheme_after_sales_quarterly_demo")
        self.assertEqual((scheme.state, scheme.period_type), ("active", "quarterly"))
        self.assertEqual(
            scheme.with_context(lang="zh_CN").name, "售后服务专员季度考核（售后服务部）"
        )
        self.assertEqual(
            scheme.with_context(lang="en_US").name, "After-Sales Specialist Quarterly Evaluation"
        )
        self.assertEqual(scheme.job_ids, self._ref("job_after_sales_specialist_demo"))
        self.assertEqual(scheme.grade_scale_id, self._ref("grade_scale_five"))
        self.assertEqual(
            [(i.code, i.weight) for i in scheme.indicator_ids.sorted("sequence")],
            [("AS_RESULTS", 60), ("AS_ABILITY", 25), ("AS_ATTITUDE", 15)],
        )
        chain = self._ref("signoff_chain_after_sales_demo")
        self.assertEqual(scheme.signoff_chain_id, chain)
        levels = chain.level_ids.with_context(lang="zh_CN")
        self.assertEqual(
            [(level.name, level.approver_type) for level in levels],
            [
                ("上级主管", "superior"),
                ("职能部门经理", "department_manager"),
                ("人力资源总监", "users"),
                ("总经理", "users"),
            ],
        )
        self.assertEqual(levels[2].user_ids, self._ref("user_xu_jing_demo"))
        self.assertEqual(levels[3].user_ids, self._ref("user_shen_guodong_demo"))
        self.assertEqual(
            chain.with_context(lang="en_US").level_ids.mapped("name"),
            ["Direct Superior", "Functional Department Manager", "HR Director", "General Manager"],
        )
        committee = chain.committee_id
        self.assertEqual(committee, self._ref("calibration_committee_after_sales_demo"))
        self.assertEqual(set(committee.member_ids.mapped("name")), {"许静", "陈志强", "林晓峰"})
        rules = [
            (
                rule.with_context(lang="zh_CN").name,
                sorted(rule.band_ids.mapped("code")),
                rule.has_ceiling,
                rule.max_pct,
                rule.min_per,
            )
            for rule in committee.rule_ids
        ]
        self.assertEqual(
            rules,
            [
                ("优 不超过 10 %", ["优"], True, 10.0, 0),
                ("较差及以下 每 20 人至少 1 人", ["差", "较差"], False, 0.0, 20),
            ],
        )
        self.assertFalse(chain.publish_scores)

    def test_people_who_sign(self):
        """Real people for each level, each a KPI manager, none on the sheet."""
        supervisor = self._ref("employee_zhou_lixin_demo")
        self.assertEqual(supervisor.parent_id, self._ref("employee_chen_zhiqiang_demo"))
        self.assertEqual(self._ref("dept_after_sales_demo").manager_id.name, "陈志强")
        self.assertEqual(self._ref("dept_hr_admin_demo").manager_id.name, "许静")
        self.assertEqual(self._ref("dept_general_office_demo").manager_id.name, "沈国栋")
        self.assertEqual(
            self._ref("dept_hr_admin_demo").with_context(lang="zh_CN").name, "人力行政中心"
        )
        signers = (
            self._ref("user_zhou_lixin_demo")
            | self._ref("user_chen_zhiqiang_demo")
            | self._ref("user_xu_jing_demo")
            | self._ref("user_shen_guodong_demo")
        )
        self.assertEqual(len(signers), 4)
        for user in signers:
            self.assertTrue(user.has_group("hr_kpi_service.group_kpi_manager"), user.name)
            self.assertEqual(user.lang, "zh_CN")
        evaluated = self._quarter_evaluations().employee_id.user_id
        self.assertEqual(evaluated, self._ref("user_zheng_kai_demo"))
        self.assertFalse(evaluated.has_group("hr_kpi_service.group_kpi_manager"))
        self.assertFalse(signers & evaluated)

    def test_the_quarter_waits_for_its_sign_off(self):
        evaluations = self._quarter_evaluations()
        self.assertEqual(len(evaluations), 5)
        self.assertEqual(set(evaluations.period_id.mapped("name")), {"2026年第3季度"})
        self.assertEqual(set(evaluations.mapped("state")), {"approved"})
        self.assertTrue(all(evaluations.mapped("signoff_pending")))
        self.assertFalse(evaluations.results_sheet_id)
        self.assertEqual(evaluations.department_id, self._ref("dept_after_sales_demo"))
        self.assertEqual(evaluations.manager_id, self._ref("employee_zhou_lixin_demo"))
        scores = {e.employee_id.name: (e.total_score, e.grade_band_id.code) for e in evaluations}
        self.assertEqual(
            scores,
            {
                "吴晓梅": (92.7, "优"),
                "郑凯": (87.55, "良"),
                "冯雪": (83.15, "良"),
                "何志远": (76.5, "中"),
                "蒋丽": (69.1, "较差"),
            },
        )
        raters = evaluations.rating_ids.filtered(lambda r: r.state == "submitted")
        self.assertEqual(raters.rater_employee_id, self._ref("employee_zhou_lixin_demo"))
        self.assertEqual(self._ref("contract_wu_xiaomei_demo").kpi_performance_base, 3000)
        messages = self.env["mail.message"].search(
            [("model", "=", "hr.kpi.evaluation"), ("res_id", "in", evaluations.ids)]
        )
        self.assertTrue(messages)
        self.assertFalse(english_in(messages.mapped("body")))
        self.assertFalse(english_in(messages.tracking_value_ids.mapped("new_value_char")))
