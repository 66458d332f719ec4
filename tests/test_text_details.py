"""Issue 20, finding 6 (technical text and wrong details), on the screen:

- a quarterly or annual result reads as a name, never ``hr.kpi.result,37``, and a
  suggested consequence names the results that triggered it, with a link;
- the import help says in words what its setting means and where it is changed;
- deadlines read in the reader's time zone, to the minute (RELIABILITY #34), and
  the demo company's calendar is on Beijing time;
- the target letter: the employee is pre-filled, each indicator is offered once,
  and the default filter shows the plan that waits for approval.
"""

from datetime import date

import pytz
from lxml import etree

from odoo.addons.hr_kpi_service.engine import ANNUAL_DEMOTION, Consequence
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import KpiCase
from .test_kpi_evaluation import EvaluationCase

TECHNICAL = ("hr.kpi.", "hr_kpi_service.", "import_job_rows")


@tagged("post_install", "-at_install")
class TestNamesAndDeadlines(EvaluationCase):
    def _quarter_results(self):
        for month, score in ((10, 85), (11, 90), (12, 95)):
            self._month(month, [score, 100, 60])
        quarter = self.period.parent_id
        return quarter, self.env["hr.kpi.result"]._aggregate(quarter)

    def test_result_reads_as_a_name(self):
        """The result form's title was ``hr.kpi.result,37``."""
        quarter, results = self._quarter_results()
        result = results.filtered(lambda r: r.employee_id.name == "刘洋")
        self.assertEqual(result.display_name, f"Result: 刘洋 · {quarter.name}")
        for technical in TECHNICAL:
            self.assertNotIn(technical, result.display_name)
        # its own form, titled with that name
        arch = etree.fromstring(
            self.env["hr.kpi.result"].get_view(
                self.env.ref("hr_kpi_service.hr_kpi_result_view_form").id
            )["arch"]
        )
        self.assertTrue(arch.xpath("//div[hasclass('oe_title')]//field[@name='display_name']"))

    def test_consequence_names_and_links_its_trigger(self):
        """Consequences read 触发依据：hr.kpi.result,55: the triggering result is
        named in the description and listed (a row opens it) on the form."""
        _quarter, results = self._quarter_results()
        result = results.filtered(lambda r: r.employee_id.name == "杨帆")
        consequence = self.env["hr.kpi.consequence"]._create_new(
            [(result.employee_id, Consequence(ANNUAL_DEMOTION, (result.id,)), result)],
            results=True,
        )
        self.assertEqual(consequence.result_ids, result)
        self.assertIn(result.display_name, consequence.description)
        self.assertIn(result.display_name, consequence.activity_id.note)
        for technical in TECHNICAL:
            self.assertNotIn(technical, consequence.description)
        arch = etree.fromstring(
            self.env["hr.kpi.consequence"].get_view(
                self.env.ref("hr_kpi_service.hr_kpi_consequence_view_form").id
            )["arch"]
        )
        listed = arch.xpath("//field[@name='result_ids']/list/field[@name='display_name']")
        self.assertTrue(listed, "the triggering results are listed by name")
        self.assertFalse(arch.xpath("//field[@name='result_ids'][@widget='many2many_tags']"))

    def test_import_help_says_it_in_words(self):
        """The import help showed ``hr_kpi_service.import_job_rows``."""
        action = self.env.ref("hr_kpi_service.action_hr_kpi_import_job")
        for technical in TECHNICAL:
            self.assertNotIn(technical, action.help)
        self.assertIn("5,000", action.help)
        self.assertIn("system parameters", action.help)

    def test_deadline_reads_in_the_readers_time_zone(self):
        """RELIABILITY #34: the appeal deadline (the end of the third working day on
        the company's Shanghai calendar) reads in the reader's own time zone, to the
        minute; a reader without a time zone reads the company calendar's."""
        _period, evaluations = self._month(11, [90, 80, 70])
        evaluation = evaluations.filtered(lambda e: e.employee_id.user_id == self.user)
        deadline = evaluation.appeal_deadline
        self.assertTrue(deadline)
        shanghai = pytz.utc.localize(deadline).astimezone(pytz.timezone("Asia/Shanghai"))
        self.assertEqual(
            evaluation.with_user(self.user)._local_deadline(),
            f"{shanghai:%Y-%m-%d %H:%M} (Asia/Shanghai)",
        )
        self.user.tz = "Europe/Paris"
        paris = pytz.utc.localize(deadline).astimezone(pytz.timezone("Europe/Paris"))
        self.assertEqual(
            evaluation.with_user(self.user)._local_deadline(),
            f"{paris:%Y-%m-%d %H:%M} (Europe/Paris)",
        )
        # the web client's time zone first
        self.assertEqual(
            evaluation.with_user(self.user).with_context(tz="Asia/Tokyo")._local_deadline(),
            pytz.utc.localize(deadline)
            .astimezone(pytz.timezone("Asia/Tokyo"))
            .strftime("%Y-%m-%d %H:%M (Asia/Tokyo)"),
        )
        # the published notice reads in the employee's time zone
        notice = evaluation.message_ids.filtered(lambda m: "appeal until" in (m.body or ""))[:1]
        self.assertTrue(notice)
        self.assertIn("(Asia/Shanghai)", notice.body)


@tagged("post_install", "-at_install")
class TestDemoCalendar(KpiCase):
    def test_demo_company_works_on_beijing_time(self):
        """The appeal deadline read "2026-12-10 00:00 (UTC)": the demo company's
        working calendar is in Asia/Shanghai and its deadlines end at midnight there."""
        if not self.env.ref("hr_kpi_service.scheme_rep_monthly_demo", False):
            self.skipTest("the demo data is not installed")
        company = self.env.ref("base.main_company")
        self.assertEqual(company.resource_calendar_id.tz, "Asia/Shanghai")
        evaluations = self.env["hr.kpi.evaluation"].search(
            [("company_id", "=", company.id), ("appeal_deadline", "!=", False)]
        )
        self.assertTrue(evaluations)
        reader = self.env.ref("hr_kpi_service.user_kpi_rep_demo")
        for evaluation in evaluations:
            self.assertRegex(
                evaluation._local_deadline(reader=reader),
                r"^\d{4}-\d\d-\d\d 00:00 \(Asia/Shanghai\)$",
            )


@tagged("post_install", "-at_install")
class TestTargetLetter(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        indicators = [
            {"name": "工作量", "weight": 60, "scoring_method": "ratio", "target": 1000},
            {"name": "客户满意度", "weight": 40, "scoring_method": "ratio", "target": 90},
        ]
        # the reps' scheme, the leads' scheme with the same indicators, and a draft copy
        cls.rep_scheme = cls._scheme(indicators, job_ids=[(6, 0, cls.job_rep.ids)])
        cls.rep_scheme.action_activate()
        cls.lead_scheme = cls._scheme(indicators, job_ids=[(6, 0, cls.job_lead.ids)])
        cls.lead_scheme.action_activate()
        cls._scheme(indicators)
        cls.lead = cls._employee("李娜", job=cls.job_lead)
        cls.lead.user_id = cls.manager
        cls.rep = cls._employee("刘洋", job=cls.job_rep)
        cls.rep.user_id = cls.user
        cls.rep.parent_id = cls.lead
        cls.period = cls.env["hr.kpi.period"]._get_or_create(
            date(2026, 11, 5), "monthly", cls.company
        )

    def _form(self, user, context=None):
        Plan = self.env["hr.kpi.target.plan"].with_user(user).with_context(**(context or {}))
        return Form(Plan, view="hr_kpi_service.hr_kpi_target_plan_view_form")

    def test_the_rep_finds_himself_pre_filled(self):
        form = self._form(self.user)
        self.assertEqual(form.employee_id, self.rep)

    def test_a_lead_opening_it_from_his_team_member_gets_that_member(self):
        action = self.env.ref("hr_kpi_service.action_hr_kpi_target_plan_employee_public")
        self.assertEqual(action.binding_model_id.model, "hr.employee.public")
        context = safe_eval(action.context, {"active_id": self.rep.id})
        form = self._form(self.manager, context)
        self.assertEqual(form.employee_id, self.rep)
        self.assertEqual(
            safe_eval(action.domain, {"active_id": self.rep.id}), [("employee_id", "=", self.rep.id)]
        )

    def test_each_indicator_is_offered_once(self):
        """The indicators of every scheme were offered (工作量 three times): the plan
        offers its employee's scheme's, each once."""
        form = self._form(self.user)
        offered = self.env["hr.kpi.indicator"].browse(form.allowed_indicator_ids.ids)
        self.assertEqual(offered, self.rep_scheme.indicator_ids)
        self.assertEqual(sorted(offered.mapped("name")), sorted({"工作量", "客户满意度"}))
        arch = etree.fromstring(
            self.env["hr.kpi.target.plan"].get_view(
                self.env.ref("hr_kpi_service.hr_kpi_target_plan_view_form").id
            )["arch"]
        )
        (indicator,) = arch.xpath("//field[@name='line_ids']/list/field[@name='indicator_id']")
        self.assertEqual(indicator.get("domain"), "[('id', 'in', parent.allowed_indicator_ids)]")
        with form.line_ids.new() as line:
            line.indicator_id = self.rep_scheme.indicator_ids[0]
            line.target = 1200
        form.period_id = self.period
        plan = form.save()
        self.assertEqual(plan.line_ids.indicator_id, self.rep_scheme.indicator_ids[0])

    def test_default_filter_shows_the_plan_waiting_for_approval(self):
        """有效 (in force) was the default filter and hid the proposed plan."""
        plan = (
            self.env["hr.kpi.target.plan"]
            .with_user(self.user)
            .create(
                {
                    "employee_id": self.rep.id,
                    "period_id": self.period.id,
                    "line_ids": [
                        (0, 0, {"indicator_id": self.rep_scheme.indicator_ids[0].id, "target": 900})
                    ],
                }
            )
        )
        plan.action_propose()
        self.assertEqual(plan.state, "proposed")
        action = self.env.ref("hr_kpi_service.action_hr_kpi_target_plan")
        defaults = [
            key.removeprefix("search_default_")
            for key, value in safe_eval(action.context).items()
            if key.startswith("search_default_") and value
        ]
        arch = etree.fromstring(
            self.env["hr.kpi.target.plan"].get_view(action.search_view_id.id, "search")["arch"]
        )
        for name in defaults:
            (node,) = arch.xpath(f"//filter[@name='{name}']")
            domain = safe_eval(node.get("domain"))
            found = self.env["hr.kpi.target.plan"].with_user(self.manager).search(domain)
            self.assertIn(plan, found, f"the default filter {name} shows the proposed plan")
        self.assertTrue(defaults)
