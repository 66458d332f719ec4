"""Browser tour of issue 20 (findings 3 and 5) in headless Chromium, as a zh_CN
lead on data of his own: he logs in, lands on his "To Rate" list, rates 0 and
submits, after confirming 92 calls against a target of 8,000
(hr_kpi_service/static/tests/tours/kpi_lead_rates_tour.js)."""

from datetime import date

from odoo.tests import tagged

from .common import GROUP_MANAGER, GROUP_OFFICER
from .test_tours import TourCase


@tagged("post_install", "-at_install")
class TestLeadRatesZero(TourCase):
    """A lead (KPI manager, as the demo's 李娜) with one rating waiting: his rep's
    attitude, rated 0 to 100, and his calls against a target of 8,000. On today's
    code he landed in Discuss, a typed 0 was not saved (the cell already showed 0)
    so Submit refused it, and 92 calls passed without a word."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        officer = cls._tour_user("kpi_tour_rating_hr", f"base.group_user,{GROUP_OFFICER}")
        lead = cls._employee("领班丁", job=cls.job_lead)
        cls.lead_user = cls._tour_user(
            "kpi_tour_lead", f"base.group_user,{GROUP_MANAGER}", employee=lead
        )
        rep = cls._employee("服务代表丙", job=cls.job_rep)
        rep.parent_id = lead
        scheme = cls._scheme(
            [
                {
                    "name": "月度通话量",
                    "weight": 50,
                    "scoring_method": "ratio",
                    "target": 8000,
                    "unit": "通",
                },
                {
                    "name": "工作态度",
                    "weight": 50,
                    "scoring_method": "manual",
                    "manual_min": 0,
                    "manual_max": 100,
                    "unit": "分",
                }
            ],
            job_ids=[(6, 0, cls.job_rep.ids)],
        )
        scheme.action_activate()
        evaluation = (
            cls.env["hr.kpi.evaluation"]
            .with_company(cls.company)
            ._generate(cls._month(date(2026, 11, 5)))
        )
        evaluation.with_user(officer).action_start()
        evaluation.with_user(officer).action_to_rating()
        cls.rating = evaluation.rating_ids
        cls.evaluation = evaluation

    def test_lead_lands_on_his_ratings_and_rates_zero(self):
        self.assertEqual(self.rating.rater_user_id, self.lead_user)
        self.assertEqual(self.rating.state, "todo")
        self._tour("/odoo", "hr_kpi_service_lead_rates_zero", self.lead_user.login)
        self.assertEqual(self.rating.state, "submitted")
        attitude, calls = (
            self.rating.line_ids.filtered(lambda line, name=name: line.indicator_id.name == name)
            for name in ("工作态度", "月度通话量")
        )
        self.assertEqual((attitude.value, attitude.has_value), (0.0, True))
        self.assertEqual((calls.value, calls.value_confirmed), (92.0, True))
        self.assertFalse(self.rating.activity_ids, "his to-do is done")
