"""Raters (issue 20, findings 3 and 5): each pending rating is an activity of its
rater, reminded and flagged overdue by a daily cron; raters land on their "To Rate"
list; the rating form says what to type (unit, scale, direction, plausible range,
the survey answers' meanings); 0 is a value; a value outside the plausible range is
kept only once confirmed; HR sends a submitted rating back with a reason."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import GROUP_MANAGER, KpiCase

TO_RATE = "hr_kpi_service.action_hr_kpi_rating_to_rate"
ACTIVITY_TYPE = "hr_kpi_service.mail_activity_type_kpi_rating"


@tagged("post_install", "-at_install")
class RaterCase(KpiCase):
    """A rep rated by his lead (a KPI manager, as the demo's 李娜) on three typed
    indicators: calls against a target of 8,000, a 0–100 attitude rating and a
    satisfaction survey score on the 20/16/12/8/4 scale."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._scheme(
            [
                {
                    "name": "月度通话量",
                    "weight": 50,
                    "scoring_method": "ratio",
                    "target": 8000,
                    "unit": "通",
                    "cap": 120,
                },
                {
                    "name": "工作态度",
                    "weight": 30,
                    "scoring_method": "manual",
                    "manual_min": 0,
                    "manual_max": 100,
                    "unit": "分",
                },
                {
                    "name": "客户满意度",
                    "weight": 20,
                    "scoring_method": "likert",
                    "likert_scale": "20",
                },
            ],
            job_ids=[(6, 0, cls.job_rep.ids)],
        )
        cls.scheme.action_activate()
        company_ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.lead_user = new_test_user(
            cls.env, "kpi_lead_rater_t", groups=f"base.group_user,{GROUP_MANAGER}", **company_ctx
        )
        cls.lead = cls._employee("李娜", job=cls.job_lead)
        cls.lead.user_id = cls.lead_user
        cls.rep = cls._employee("刘洋", job=cls.job_rep)
        cls.rep.parent_id = cls.lead
        cls.rep.user_id = cls.user
        cls.period = cls.env["hr.kpi.period"]._get_or_create(
            date(2026, 11, 5), "monthly", cls.company
        )
        cls.evaluation = (
            cls.env["hr.kpi.evaluation"].with_company(cls.company)._generate(cls.period)
        )
        cls.evaluation.with_user(cls.officer).action_start()
        cls.rating = cls.evaluation.rating_ids.filtered(lambda r: r.role == "superior")

    def _line(self, name, rating=None):
        rating = rating or self.rating
        return rating.line_ids.filtered(lambda line: line.indicator_id.name == name)

    def _fill(self, calls=8000, attitude=90, survey=16, as_user=None):
        rating = self.rating.with_user(as_user or self.lead_user)
        self._line("月度通话量", rating).write({"value": calls})
        self._line("工作态度", rating).write({"value": attitude})
        self._line("客户满意度", rating).write({"value": survey})
        return rating

    def _lands(self, user):
        return self.env["ir.http"]._kpi_lands_on_ratings(user)

    @staticmethod
    def _typed(line, value):
        """The form's onchange as the web client runs it (on a draft of the line)."""
        draft = line.new({"value": value}, origin=line)
        warning = draft._onchange_value()
        assert draft.has_value and not draft.value_confirmed
        return warning

    def _rater_activities(self, rating=None):
        rating = rating or self.rating
        return rating.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(ACTIVITY_TYPE)
        )


class TestRatingActivities(RaterCase):
    def test_pending_rating_is_an_activity_due_at_the_end_of_collection(self):
        """RELIABILITY #23, issue 20 finding 5: the lead's pending rating is his
        to-do, due on the period's last collection day (company day 15: 15 Dec for
        November); submitting marks it done, removing the rater removes it."""
        self.assertEqual(self.rating.rater_employee_id, self.lead)
        self.assertEqual(self.period.collection_date_to, date(2026, 12, 15))
        activity = self._rater_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.lead_user)
        self.assertEqual(activity.date_deadline, date(2026, 12, 15))
        self.assertEqual(self.rating.kpi_due_date, date(2026, 12, 15))
        self.assertIn("刘洋", activity.summary)
        # the lead sees it among his activities
        mine = self.env["mail.activity"].with_user(self.lead_user).search(
            [("user_id", "=", self.lead_user.id), ("res_model", "=", "hr.kpi.rating")]
        )
        self.assertEqual(mine, activity)
        self.evaluation.with_user(self.lead_user).action_to_rating()
        self._fill().action_submit()
        self.assertEqual(self.rating.state, "submitted")
        self.assertFalse(self._rater_activities(), "done when submitted")
        done = self.env["mail.activity"].with_context(active_test=False).search(
            [("id", "=", activity.id)]
        )
        self.assertFalse(done.exists() and done.active, "no longer open")

    def test_removed_rater_loses_his_activity(self):
        """Issue 20 finding 5: a manager adds a rater (he gets a to-do) and removes
        him (the to-do goes with the rating)."""
        peer = self._employee("赵敏", job=self.job_rep)
        peer_user = new_test_user(
            self.env,
            "kpi_peer_rater_t",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        peer.user_id = peer_user
        added = (
            self.env["hr.kpi.rating"]
            .with_user(self.lead_user)
            .create(
                {
                    "evaluation_id": self.evaluation.id,
                    "role": "superior",
                    "rater_employee_id": peer.id,
                }
            )
        )
        activity = self._rater_activities(added)
        self.assertEqual((activity.user_id, activity.date_deadline), (peer_user, date(2026, 12, 15)))
        added.with_user(self.lead_user).unlink()
        self.assertFalse(activity.exists())
        # an evaluation deleted before approval takes its raters' to-dos along
        activity = self._rater_activities()
        self.assertTrue(activity)
        self.evaluation.with_user(self.officer).unlink()
        self.assertFalse(activity.exists())

    def test_cron_reminds_before_the_due_date_and_flags_overdue(self):
        """Issue 20 finding 5: 2 days before 15 Dec the lead is reminded once; after
        it he is told once that the rating is overdue (and the rating is flagged);
        the system parameter moves the reminder."""
        Rating = self.env["hr.kpi.rating"]
        partner = self.lead_user.partner_id

        def notices():
            return self.rating.message_ids.filtered(lambda m: partner in m.partner_ids)

        with freeze_time("2026-12-12 02:00:00"):
            self.assertNotIn(self.rating, Rating._cron_remind_raters())
        self.assertFalse(notices())
        with freeze_time("2026-12-13 02:00:00"):
            self.assertIn(self.rating, Rating._cron_remind_raters())
            self.assertNotIn(self.rating, Rating._cron_remind_raters(), "once")
        self.assertEqual(self.rating.kpi_notice, "reminded")
        self.assertEqual(len(notices()), 1)
        self.assertIn("2026-12-15", notices().body)
        with freeze_time("2026-12-16 02:00:00"):
            self.assertTrue(self.rating.with_context(date="2026-12-16").kpi_overdue)
            self.assertIn(self.rating, Rating.search([("kpi_overdue", "=", True)]))
            self.assertIn(self.rating, Rating._cron_remind_raters())
            self.assertNotIn(self.rating, Rating._cron_remind_raters(), "once")
        self.assertEqual(self.rating.kpi_notice, "overdue")
        self.assertEqual(len(notices()), 2)
        self.assertIn("overdue", notices()[0].body)
        # a rater reminded 5 days ahead
        self.env["ir.config_parameter"].set_param("hr_kpi_service.rating_reminder_days", "5")
        self.rating.sudo().kpi_notice = False
        with freeze_time("2026-12-10 02:00:00"):
            self.assertIn(self.rating, Rating._cron_remind_raters())
        # nobody types the notice
        with self.assertRaises(AccessError):
            self.rating.with_user(self.lead_user).write({"kpi_notice": False})


class TestRatersLand(RaterCase):
    def test_to_rate_list_and_home_action(self):
        """Issue 20 finding 5: the lead's "To Rate" list holds his pending rating and
        is his home while it waits; an officer keeps his own home; once submitted,
        the lead's home is his own again."""
        action = self.env.ref(TO_RATE)
        domain = safe_eval(action.domain, {"uid": self.lead_user.id})
        listed = self.env["hr.kpi.rating"].with_user(self.lead_user).search(domain)
        self.assertEqual(listed, self.rating)
        # ir.http's session_info sends this home to the web client (the tour logs in)
        self.assertTrue(self._lands(self.lead_user))
        self.assertFalse(self._lands(self.user), "nothing to rate")
        officer_group = self.env.ref("hr_kpi_service.group_kpi_officer")
        self.lead_user.groups_id = [(4, officer_group.id)]
        self.assertFalse(self._lands(self.lead_user), "officers keep their home")
        self.lead_user.groups_id = [(3, officer_group.id)]
        self.assertTrue(self._lands(self.lead_user))
        self.evaluation.with_user(self.lead_user).action_to_rating()
        self._fill().action_submit()
        self.assertFalse(self.env["hr.kpi.rating"].with_user(self.lead_user).search(domain))
        self.assertFalse(self._lands(self.lead_user))


class TestRatingForm(RaterCase):
    def test_form_says_unit_scale_direction_and_range(self):
        """Issue 20 finding 3: each line shows its unit, what its scale is, its
        plausible range; a survey score lists the meaning of A–E."""
        calls, attitude, survey = (
            self._line("月度通话量"),
            self._line("工作态度"),
            self._line("客户满意度"),
        )
        self.assertEqual((calls.unit, calls.direction), ("通", "higher"))
        self.assertEqual(calls.value_help, "Higher is better; target 8,000 通")
        self.assertEqual(calls.plausible_range, "800 to 80,000 通")
        self.assertEqual(attitude.value_help, "Rating from 0 to 100")
        self.assertEqual(attitude.plausible_range, "0 to 100 分")
        self.assertEqual(
            survey.value_help,
            "Survey score: A Very satisfied = 20 · B Mostly satisfied = 16 · C Acceptable = 12"
            " · D Not quite satisfied = 8 · E Dissatisfied = 4",
        )
        self.assertEqual(survey.plausible_range, "4 to 20")
        # the survey cards' questions, in Chinese
        brand = self.env.ref("hr_kpi_service.survey_card_external_q4").with_context(lang="zh_CN")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.assertEqual(brand.scale, "10")
        self.assertIn("A", brand.answer_legend)
        self.assertIn("= 10", brand.answer_legend)
        self.assertIn("E", brand.answer_legend)
        self.assertIn("= 2", brand.answer_legend)

    def test_zero_is_a_value_and_not_entered_is_its_own_state(self):
        """Issue 20 finding 3: a typed 0 is entered and submitted (the attitude
        rating 0 scores 0); an emptied cell (False) is "not entered" again and is
        refused at submit, naming the indicator."""
        self.evaluation.with_user(self.lead_user).action_to_rating()
        rating = self._fill(attitude=0)
        attitude = self._line("工作态度")
        self.assertEqual((attitude.value, attitude.has_value), (0.0, True))
        rating.line_ids.filtered(lambda l: l.indicator_id.name == "客户满意度").write(
            {"value": False}
        )
        survey = self._line("客户满意度")
        self.assertFalse(survey.has_value, "emptied: not entered")
        with self.assertRaisesRegex(UserError, "客户满意度"):
            rating.action_submit()
        self.assertEqual(self.rating.state, "todo")
        survey.with_user(self.lead_user).write({"value": 12})
        rating.action_submit()
        self.evaluation.with_user(self.lead_user).action_compute_scores()
        line = self.evaluation.line_ids.filtered(lambda l: l.indicator_id.name == "工作态度")
        self.assertEqual((line.actual_value, line.has_actual), (0.0, True))
        self.assertEqual((line.points, line.weighted_score), (0.0, 0.0))

    def test_value_outside_the_range_asks_for_confirmation(self):
        """Issue 20 finding 3: 92 calls against a target of 8,000 warns as it is
        typed, and submit refuses it until the lead confirms it; a new value asks
        again."""
        self.evaluation.with_user(self.lead_user).action_to_rating()
        rating = self._fill(calls=92)
        calls = self._line("月度通话量").with_user(self.lead_user)
        self.assertTrue(calls.out_of_range)
        warning = self._typed(calls, 92)
        self.assertIn("92", warning["warning"]["message"])
        self.assertIn("800 to 80,000", warning["warning"]["message"])
        with self.assertRaisesRegex(ValidationError, "月度通话量"):
            rating.action_submit()
        self.assertEqual(self.rating.state, "todo")
        calls.write({"value_confirmed": True})
        calls.write({"value": 95})
        self.assertFalse(calls.value_confirmed, "a new value asks again")
        with self.assertRaises(ValidationError):
            rating.action_submit()
        calls.write({"value": 95, "value_confirmed": True})
        rating.action_submit()
        self.assertEqual(self.rating.state, "submitted")
        # within the range: nothing to confirm
        self.assertIsNone(self._typed(self._line("工作态度"), 0))
        # somebody else cannot confirm for the lead
        with self.assertRaises(UserError):
            calls.with_user(self.manager).write({"value_confirmed": False})


class TestSendBack(RaterCase):
    def _submitted_in_review(self):
        self.evaluation.with_user(self.lead_user).action_to_rating()
        self._fill(attitude=40).action_submit()
        self.evaluation.with_user(self.lead_user).action_to_hr_review()
        self.assertEqual(self.evaluation.state, "hr_review")

    def test_hr_sends_a_rating_back_with_a_reason(self):
        """RELIABILITY #23, issue 20 finding 3: only HR, with a reason, not on his
        own evaluation; the rating is the rater's to-do again and the evaluation back
        in rating; the lead corrects and submits again."""
        self._submitted_in_review()
        with self.assertRaises(AccessError):
            self.rating.with_user(self.manager).action_send_back("请复核工作态度")
        with self.assertRaisesRegex(UserError, "reason"):
            self.rating.with_user(self.officer).action_send_back("  ")
        self.assertEqual(self.rating.state, "submitted")
        self.rating.with_user(self.officer).action_send_back("工作态度 40 分偏低，请复核")
        self.assertEqual((self.rating.state, self.evaluation.state), ("todo", "rating"))
        self.assertIn("工作态度 40 分偏低", self.rating.message_ids[0].body)
        self.assertIn("工作态度 40 分偏低", self.evaluation.message_ids[0].body)
        activity = self._rater_activities()
        self.assertEqual(activity.user_id, self.lead_user)
        self.assertIn("工作态度 40 分偏低", activity.note)
        self._line("工作态度").with_user(self.lead_user).write({"value": 85})
        self.rating.with_user(self.lead_user).action_submit()
        self.assertEqual(self.rating.state, "submitted")
        # while the evaluation is rated too; a rating to do has nothing to send back
        self.rating.with_user(self.officer).action_send_back("再核对一次满意度")
        self.assertEqual((self.rating.state, self.evaluation.state), ("todo", "rating"))
        with self.assertRaisesRegex(UserError, "not submitted"):
            self.rating.with_user(self.officer).action_send_back("再次")

    def test_send_back_refused_on_own_evaluation_and_after_approval(self):
        """RELIABILITY #23: an officer who is the evaluated employee does not send
        back his raters; after approval nothing is sent back."""
        self._submitted_in_review()
        self.rep.user_id = self.officer
        with self.assertRaises(AccessError):
            self.rating.with_user(self.officer).action_send_back("自己的考核")
        self.rep.user_id = self.user
        self.evaluation.with_user(self.officer).action_approve()
        with self.assertRaisesRegex(UserError, "past HR review"):
            self.rating.with_user(self.officer).action_send_back("太晚了")
        self.assertEqual(self.rating.state, "submitted")


