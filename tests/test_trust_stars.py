"""Stars and awards as hostile users would touch them (issue 10: KPI_STAR, KPI_AWARD).

The quarter's star review, its lines, the monthly stars, the awards and the
employee's current star decide pay. Their protected fields change only through the
actions (hr.kpi.protected.mixin), each checking the group, the state and four-eyes.
Every test acts through ``with_user`` and checks the clean error and that nothing
changed.
"""

from contextlib import contextmanager
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_MANAGER, GROUP_OFFICER, XmlRpcMixin
from .test_kpi_stars import APR, FEB, JAN, MAR, StarCase


class TrustStarCase(StarCase):
    """A rep and his lead with their own users, a KPI officer who is a rep himself,
    and an officer who is nobody's employee (``cls.officer``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.rep_user = new_test_user(cls.env, "star_rep", groups="base.group_user", **ctx)
        cls.lead_user = new_test_user(
            cls.env, "star_lead", groups=f"base.group_user,{GROUP_MANAGER}", **ctx
        )
        cls.officer_rep_user = new_test_user(
            cls.env, "star_officer_rep", groups=f"base.group_user,{GROUP_OFFICER}", **ctx
        )
        cls.hr_user = new_test_user(
            cls.env, "star_hr_user", groups="base.group_user,hr.group_hr_user", **ctx
        )
        cls.lead = cls._employee("星级领班", job=cls.job_lead)
        cls.lead.user_id = cls.lead_user
        cls.rep = cls._rep("星级代表", badge="5002", lead=cls.lead)
        cls.rep.user_id = cls.rep_user
        cls.officer_rep = cls._rep("兼职专员", badge="5001", lead=cls.lead)
        cls.officer_rep.user_id = cls.officer_rep_user
        cls.peer = cls._rep("同组代表", badge="5003", lead=cls.lead)
        for employee in (cls.rep, cls.officer_rep, cls.peer, cls.lead):
            cls._scores(employee, {JAN: 88, FEB: 88, MAR: 88})
        cls._scores(cls.rep, {APR: 85})
        cls._scores(cls.peer, {APR: 86})
        cls._scores(cls.lead, {APR: 90})
        # The officer-rep tops April: he wins the service star.
        cls._scores(cls.officer_rep, {APR: 99})
        cls.review = cls._review_as_officer({cls.rep: 80, cls.officer_rep: 80, cls.peer: 80})
        cls.top_level = cls.env["hr.kpi.star.level"].search(
            [("company_id", "=", cls.company.id), ("role", "=", "rep"), ("stars", "=", 5)]
        )

    @classmethod
    def _review_as_officer(cls, skills):
        review = cls.env(user=cls.officer)["hr.kpi.star.review"].create(
            {"company_id": cls.company.id, "period_id": cls.quarter.id}
        )
        review.action_compute()
        for line in review.line_ids:
            if line.employee_id in skills:
                line.skill_score = skills[line.employee_id]
        review.action_compute()
        return review

    def _line_of(self, employee):
        return self._line(self.review, employee)

    def _close_review(self):
        self.review.with_user(self.officer).action_done()

    def _april_months(self):
        self._close_review()
        return self._months(APR)


    @contextmanager
    def assertRefused(self, exception, regex):
        """assertRaisesRegex inside a savepoint (Odoo's assertRaises): what the
        refused call put in the cache is rolled back, as over RPC."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    @contextmanager
    def assertUnchanged(self, records, fnames):
        """The values of `records` (read as superuser) are the same after the block."""
        def snapshot():
            records.invalidate_recordset()
            return records.sudo().read(fnames)

        before = snapshot()
        yield
        self.assertEqual(snapshot(), before)



@tagged("post_install", "-at_install")
class TestTrustStars(TrustStarCase):
    # ------------------------------------------------------------------
    # Review lines
    # ------------------------------------------------------------------
    def test_rep_writes_his_star_on_review_line(self):
        """RELIABILITY #3, RELIABILITY #21: a rep writes 5 stars, the top level and a
        skill test result on his own line of the done review: refused, unchanged."""
        self._close_review()
        line = self._line_of(self.rep).with_user(self.rep_user)
        self.assertEqual(line.stars, 3, "he reads his line once the review is done")
        fnames = ["stars", "star_level_id", "skill_score", "quarter_score", "rule"]
        with self.assertUnchanged(line, fnames):
            for vals in (
                {"stars": 5},
                {"star_level_id": self.top_level.id},
                {"skill_score": 200},
                {"quarter_score": 100, "attendance_events": 0},
            ):
                with self.assertRaises(UserError):
                    line.write(vals)
            with self.assertRaises(UserError):
                line.action_set_skill_score(200)

    def test_officer_writes_his_own_review_line(self):
        """RELIABILITY #3, RELIABILITY #23: an officer who is a rep in the draft review
        writes his star, his score, his skill test, re-points his line, adds a line
        for himself or deletes one: each refused with a clean AccessError."""
        line = self._line_of(self.officer_rep).with_user(self.officer_rep_user)
        other = self._line_of(self.peer)
        fnames = ["stars", "star_level_id", "skill_score", "quarter_score", "employee_id"]
        with self.assertUnchanged(line | other, fnames):
            for vals in (
                {"stars": 5},
                {"star_level_id": self.top_level.id},
                {"quarter_score": 100},
                {"attendance_events": 0},
                {"rule": "score", "explanation": "forged"},
                {"employee_id": self.peer.id},
                {"review_id": self.review.id},
            ):
                with self.assertRefused(AccessError, "workflow buttons"):
                    line.write(vals)
            with self.assertRefused(AccessError, "his own skill test"):
                line.write({"skill_score": 150})
            with self.assertRefused(AccessError, "his own skill test"):
                line.action_set_skill_score(150)
            with self.assertRefused(AccessError, "workflow buttons"):
                line.write({"note": "fine", "skill_score": 150, "stars": 5})
            with self.assertRaises(AccessError):
                other.with_user(self.officer_rep_user).unlink()
            with self.assertRefused(AccessError, "workflow buttons"):
                self.env["hr.kpi.star.review.line"].with_user(self.officer_rep_user).create(
                    {
                        "review_id": self.review.id,
                        "employee_id": self.lead.id,
                        "role": "rep",
                        "stars": 5,
                    }
                )
        # a free note is still his to write; the other officer types his skill test
        line.write({"note": "typed late"})
        self._line_of(self.officer_rep).with_user(self.officer).skill_score = 90
        self.assertEqual(self._line_of(self.officer_rep).skill_score, 90)

    def test_skill_test_typed_must_be_a_number(self):
        """RELIABILITY #6: text, a list or NaN as a skill test result over the public
        action: ValidationError naming the field, no traceback."""
        line = self._line_of(self.rep).with_user(self.officer)
        with self.assertUnchanged(line, ["skill_score"]):
            for value in ("abc", [1], None, True, float("nan"), -5, 1e12):
                with self.assertRefused(ValidationError, "Skill Test"):
                    line.action_set_skill_score(value)

    # ------------------------------------------------------------------
    # Reviews
    # ------------------------------------------------------------------
    def test_officer_confirms_a_review_that_rates_himself(self):
        """RELIABILITY #23: the officer-rep marks the review as done: refused; the
        other officer does it."""
        review = self.review.with_user(self.officer_rep_user)
        with self.assertUnchanged(self.review, ["state"]):
            with self.assertRefused(AccessError, "another KPI officer must mark"):
                review.action_done()
            with self.assertRefused(AccessError, "workflow buttons"):
                review.write({"state": "done"})
        self.assertEqual(self.review.state, "draft")
        self._close_review()
        self.assertEqual(self.review.state, "done")

    def test_done_review_is_not_written_back_to_draft(self):
        """RELIABILITY #21: a manager, then an officer, write a done review back to
        draft, change its quarter or figures, rerun or delete it: refused."""
        self._close_review()
        fnames = ["state", "period_id", "five_star_pct", "on_duty_count", "attendance_limit"]
        other_quarter = self.Period._get_or_create(APR, "quarterly", self.company)
        with self.assertUnchanged(self.review.line_ids, ["stars", "skill_score"]):
            with self.assertUnchanged(self.review, fnames):
                for user in (self.lead_user, self.officer, self.officer_rep_user):
                    review = self.review.with_user(user)
                    for vals in (
                        {"state": "draft"},
                        {"period_id": other_quarter.id},
                        {"five_star_pct": 100, "attendance_limit": 99},
                    ):
                        with self.assertRaises(UserError):
                            review.write(vals)
                    with self.assertRaises(UserError):
                        review.action_compute()
                    with self.assertRaises(UserError):
                        review.action_done()
                    with self.assertRaises(UserError):
                        review.unlink()

    def test_draft_review_figures_only_through_the_actions(self):
        """RELIABILITY #3: an officer writes the quota figures or the state of a draft
        review instead of running it: AccessError; its quarter is fixed at creation:
        UserError (RELIABILITY #43)."""
        review = self.review.with_user(self.officer)
        other_quarter = self.Period._get_or_create(APR, "quarterly", self.company)
        fnames = ["state", "period_id", "five_star_pct", "on_duty_count", "attendance_limit"]
        with self.assertUnchanged(self.review, fnames):
            for vals in (
                {"five_star_pct": 100},
                {"on_duty_count": 1000},
                {"attendance_limit": 99},
                {"state": "done"},
            ):
                with self.assertRefused(AccessError, "workflow buttons"):
                    review.write(vals)
            with self.assertRefused(UserError, "Reviewed Quarter are fixed when it is created"):
                review.write({"period_id": other_quarter.id})

    def test_non_officers_call_the_review_actions(self):
        """RELIABILITY #6: a rep and a lead call the review's public actions as an RPC
        client would: clean errors, nothing computed or closed."""
        fnames = ["state", "on_duty_count"]
        with self.assertUnchanged(self.review, fnames):
            with self.assertUnchanged(self.review.line_ids, ["stars", "skill_score"]):
                for user in (self.rep_user, self.lead_user):
                    review = self.review.with_user(user)
                    with self.assertRefused(UserError, "Only a KPI officer"):
                        review.action_compute()
                    with self.assertRefused(UserError, "Only a KPI officer"):
                        review.action_done()
                    with self.assertRaises(AccessError):
                        self._line_of(self.peer).with_user(user).action_set_skill_score(200)
                with self.assertRefused(UserError, "Only a KPI officer"):
                    self.env["hr.kpi.star.review"].with_user(self.lead_user).create(
                        {"company_id": self.company.id, "period_id": self.quarter.id}
                    )

    def test_context_defaults_do_not_forge_a_review(self):
        """RELIABILITY #3: default_state / default_five_star_pct in the context (client
        controlled over RPC) do not set a review's state or figures; sent as values
        they are refused."""
        self.review.sudo().unlink()
        Review = self.env["hr.kpi.star.review"].with_user(self.officer)
        forged = Review.with_context(
            default_state="done", default_five_star_pct=100, default_on_duty_count=1
        ).create({"company_id": self.company.id, "period_id": self.quarter.id})
        self.assertEqual(
            (forged.state, forged.five_star_pct, forged.on_duty_count), ("draft", 0, 0)
        )
        forged.sudo().unlink()
        with self.assertRefused(AccessError, "workflow buttons"):
            Review.create(
                {"company_id": self.company.id, "period_id": self.quarter.id, "state": "done"}
            )
        self.assertFalse(Review.sudo().search([("company_id", "=", self.company.id)]))
        # a context key is no permission either
        review = Review.create({"company_id": self.company.id, "period_id": self.quarter.id})
        with self.assertRefused(AccessError, "workflow buttons"):
            review.with_context(kpi_action=True, kpi_action_scope=True).write({"state": "done"})
        self.assertEqual(review.state, "draft")

    # ------------------------------------------------------------------
    # Monthly stars
    # ------------------------------------------------------------------
    def test_rep_writes_his_monthly_star(self):
        """RELIABILITY #3: a rep writes 5 stars and a star pay on his own monthly star:
        refused by the access rights, unchanged."""
        month = self._april_months()[(self.rep, APR)].with_user(self.rep_user)
        self.assertEqual(month.stars, 3)
        fnames = ["stars", "pay", "star_level_id", "rule", "one_time_award", "skill_score"]
        with self.assertUnchanged(month, fnames):
            for vals in (
                {"stars": 5, "pay": 1e6},
                {"star_level_id": self.top_level.id},
                {"one_time_award": True},
                {"skill_score": 200},
            ):
                with self.assertRaises(AccessError):
                    month.write(vals)
            with self.assertRaises(AccessError):
                month.action_set_typed_values({"skill_score": 200})
            with self.assertRaises(AccessError):
                month.unlink()

    def test_officer_writes_his_own_monthly_star(self):
        """RELIABILITY #3, RELIABILITY #23: the officer-rep writes his star, his pay,
        the downgrade and award flags, the month or the employee of his monthly star,
        types his own skill test, creates or deletes a monthly star: AccessError."""
        months = self._april_months()
        mine = months[(self.officer_rep, APR)].with_user(self.officer_rep_user)
        peer = months[(self.peer, APR)]
        fnames = [
            "stars", "pay", "pay_score", "rule", "one_time_award", "base_stars",
            "employee_id", "period_id", "skill_score", "satisfaction", "probation",
        ]  # fmt: skip
        with self.assertUnchanged(mine | peer, fnames):
            for vals in (
                {"stars": 5},
                {"pay": 5000},
                {"pay_score": 100},
                {"rule": "one_time_award", "one_time_award": True},
                {"base_stars": 5},
                {"probation": True},
                {"employee_id": self.peer.id},
                {"period_id": self.months[MAR].id},
            ):
                with self.assertRefused(AccessError, "workflow buttons"):
                    mine.write(vals)
            with self.assertRefused(AccessError, "his own skill test"):
                mine.write({"skill_score": 200})
            with self.assertRefused(AccessError, "his own skill test"):
                mine.action_set_typed_values({"satisfaction": 100})
            with self.assertRefused(AccessError, "not deleted one by one"):
                peer.with_user(self.officer_rep_user).unlink()
            with self.assertRefused(AccessError, "workflow buttons"):
                self.env["hr.kpi.star.month"].with_user(self.officer_rep_user).create(
                    {
                        "employee_id": self.officer_rep.id,
                        "company_id": self.company.id,
                        "period_id": self.months[MAR].id,
                        "role": "rep",
                        "stars": 5,
                        "pay": 5000,
                    }
                )
        self.assertFalse(
            self.env["hr.kpi.star.month"].search(
                [("employee_id", "=", self.officer_rep.id), ("period_id", "=", self.months[MAR].id)]
            )
        )

    def test_typed_monthly_values_go_through_their_action(self):
        """RELIABILITY #6: the typing action refuses other fields and non-numbers;
        the other officer types the officer-rep's skill test and it is kept."""
        months = self._april_months()
        mine = months[(self.officer_rep, APR)].with_user(self.officer)
        with self.assertUnchanged(mine, ["skill_score", "pay", "stars"]):
            for values in ({"pay": 5000}, {}, "skill_score", {"skill_score": 1, "stars": 5}):
                with self.assertRefused(UserError, "are typed on a monthly star"):
                    mine.action_set_typed_values(values)
            for value in ("fast", [120], float("inf")):
                with self.assertRefused(ValidationError, "Skill Test"):
                    mine.action_set_typed_values({"skill_score": value})
        mine.skill_score = 120
        self.assertEqual(self._months(APR)[(self.officer_rep, APR)].skill_score, 120)

    def test_non_officers_compute_monthly_stars(self):
        """RELIABILITY #6: a lead runs the monthly star computation: refused, nothing
        created."""
        self._close_review()
        Month = self.env["hr.kpi.star.month"]
        for user in (self.lead_user, self.rep_user):
            with self.assertRefused(UserError, "Only a KPI officer"):
                Month.with_user(user)._action_compute_periods(self.months[APR])
        self.assertFalse(Month.search([("company_id", "=", self.company.id)]))

    def test_context_defaults_do_not_forge_monthly_stars(self):
        """RELIABILITY #3: default_pay / default_stars in the context of the
        computation change nothing."""
        self._close_review()
        Month = self.env["hr.kpi.star.month"].with_user(self.officer)
        forged = Month.with_context(
            default_pay=99999, default_stars=5, default_one_time_award=True
        )._action_compute_periods(self.months[APR])
        clean = {
            (m.employee_id, m.pay, m.stars, m.one_time_award)
            for m in Month._action_compute_periods(self.months[APR])
        }
        self.assertEqual({(m.employee_id, m.pay, m.stars, m.one_time_award) for m in forged}, clean)
        self.assertNotIn(99999, {m.pay for m in forged})

    # ------------------------------------------------------------------
    # The employee's current star
    # ------------------------------------------------------------------
    def test_employee_current_star_is_not_written(self):
        """RELIABILITY #3: the rep writes his current star on his employee (field for
        HR only), an HR user writes it, or creates an employee with it: refused."""
        self._close_review()
        today = {"date": date(2026, 4, 20)}
        rep = self.rep.with_context(**today)
        self.assertEqual(rep.kpi_star_level_id.stars, 3)
        with self.assertRaises(AccessError):
            rep.with_user(self.rep_user).write({"kpi_star_level_id": self.top_level.id})
        as_hr = rep.with_user(self.hr_user)
        with self.assertRefused(AccessError, "workflow buttons"):
            as_hr.write({"kpi_star_level_id": self.top_level.id})
        with self.assertRefused(AccessError, "workflow buttons"):
            as_hr.write({"job_title": "代表", "kpi_star_level_id": self.top_level.id})
        with self.assertRefused(AccessError, "workflow buttons"):
            self.env["hr.employee"].with_user(self.hr_user).create(
                {"name": "五星新人", "kpi_star_level_id": self.top_level.id}
            )
        rep.invalidate_recordset()
        self.assertEqual(rep.kpi_star_level_id.stars, 3)
        self.assertNotEqual(rep.job_title, "代表")
        # HR still edits the rest of the employee
        as_hr.write({"job_title": "高级代表"})
        self.assertEqual(self.rep.job_title, "高级代表")

    # ------------------------------------------------------------------
    # Awards
    # ------------------------------------------------------------------
    def _awards_as(self, user):
        awards = self.env["hr.kpi.award"].with_user(user)._action_compute_periods(self.months[APR])
        return {award.award_type: award for award in awards}

    def test_lead_creates_an_award_for_himself(self):
        """RELIABILITY #3, RELIABILITY #6: a lead creates an award of 5000 for himself
        (and his rep one): AccessError; nothing created."""
        Award = self.env["hr.kpi.award"].with_user(self.lead_user)
        for employee in (self.lead, self.rep):
            with self.assertRaises(AccessError):
                Award.create(
                    {
                        "period_id": self.months[APR].id,
                        "company_id": self.company.id,
                        "award_type": "service_star",
                        "employee_id": employee.id,
                        "amount": 5000,
                    }
                )
        with self.assertRefused(UserError, "Only a KPI officer"):
            self._awards_as(self.lead_user)
        self.assertFalse(self.env["hr.kpi.award"].search([("company_id", "=", self.company.id)]))

    def test_award_amount_is_not_written(self):
        """RELIABILITY #3, RELIABILITY #21: the winner and an officer write an award
        amount of 5000, re-point it, delete it, or create one by hand: refused."""
        awards = self._awards_as(self.officer)
        star = awards["service_star"]
        self.assertEqual((star.employee_id, star.amount), (self.officer_rep, 200))
        fnames = ["amount", "employee_id", "award_type", "period_id", "reason"]
        everything = self.env["hr.kpi.award"].concat(*awards.values())
        with self.assertUnchanged(everything, fnames):
            with self.assertRaises(AccessError):
                star.with_user(self.rep_user).write({"amount": 5000})
            for user in (self.officer, self.officer_rep_user):
                award = star.with_user(user)
                for vals in (
                    {"amount": 5000},
                    {"employee_id": self.rep.id},
                    {"award_type": "excellence"},
                    {"period_id": self.months[MAR].id},
                    {"reason": "forged"},
                ):
                    with self.assertRefused(AccessError, "workflow buttons"):
                        award.write(vals)
                with self.assertRefused(AccessError, "not deleted one by one"):
                    award.unlink()
                with self.assertRefused(AccessError, "workflow buttons"):
                    self.env["hr.kpi.award"].with_user(user).create(
                        {
                            "period_id": self.months[APR].id,
                            "company_id": self.company.id,
                            "award_type": "five_star",
                            "employee_id": self.officer_rep.id,
                            "amount": 5000,
                        }
                    )
        self.assertEqual(
            self.env["hr.kpi.award"].search_count([("company_id", "=", self.company.id)]),
            len(awards),
        )

    def test_nobody_computes_awards_he_wins(self):
        """RELIABILITY #23: the officer-rep, who tops April, computes April's awards:
        refused, the awards the other officer computed stay as they are."""
        awards = self._awards_as(self.officer)
        everything = self.env["hr.kpi.award"].concat(*awards.values())
        with self.assertUnchanged(everything, ["amount", "employee_id", "award_type"]):
            with self.assertRefused(AccessError, "nobody grants himself an award"):
                self._awards_as(self.officer_rep_user)
        self.assertTrue(everything.exists() == everything)
        self.assertEqual(
            self.env["hr.kpi.award"].search([("company_id", "=", self.company.id)]), everything
        )

    def test_context_defaults_do_not_forge_awards(self):
        """RELIABILITY #3: default_amount / default_employee_id in the context of
        Compute Monthly Awards change nothing."""
        awards = self.env["hr.kpi.award"].with_user(self.officer).with_context(
            default_amount=5000, default_employee_id=self.rep.id
        )._action_compute_periods(self.months[APR])
        self.assertEqual(set(awards.mapped("amount")), {200})
        self.assertNotIn(self.rep, awards.employee_id)

    # ------------------------------------------------------------------
    # Star levels
    # ------------------------------------------------------------------
    def test_used_star_level_keeps_what_it_is(self):
        """RELIABILITY #21: once a review gave a level, an officer turns the 3-star
        level into 5 stars, moves it to the lead ladder or deletes it: refused; its
        pay stays configuration, and the monthly stars keep the pay they computed."""
        months = self._april_months()
        level = self._line_of(self.rep).star_level_id.with_user(self.officer)
        self.assertEqual((level.stars, level.pay), (3, 1200))
        with self.assertUnchanged(level, ["stars", "role", "company_id"]):
            for vals in ({"stars": 5}, {"role": "lead"}, {"company_id": self.other_company.id}):
                with self.assertRefused(UserError, "was given by star reviews"):
                    level.write(vals)
            with self.assertRefused(UserError, "was given by star reviews"):
                level.unlink()
        level.pay = 1300
        self.assertEqual(months[(self.rep, APR)].pay, 1200)
        self.assertEqual(self._months(APR)[(self.rep, APR)].pay, 1300, "computed again")


@tagged("post_install", "-at_install")
class TestTrustStarsRpc(XmlRpcMixin, TrustStarCase, HttpCase):
    """The same doors over real XML-RPC calls (``execute_kw`` as the test users, with
    their passwords): each refusal reaches the client as a clean message.

    Runs with ``--odoo-http`` (``make test`` passes it).
    """

    def assertRefused(self, message, user, model, method, *args, **kwargs):
        self.assertCleanFault(lambda: self._call(user, model, method, *args, **kwargs), message)

    def test_stars_and_awards_over_rpc(self):
        """RELIABILITY #6, RELIABILITY #3, RELIABILITY #21, RELIABILITY #23 over
        XML-RPC: a rep writes his done line and calls a private computation, a lead
        creates an award of 5000 for himself, the officer-rep closes the review that
        rates him and writes his award, an officer types text as a skill test."""
        line = self._line_of(self.rep)
        mine = self._line_of(self.officer_rep)
        self.assertRefused(
            "another KPI officer must mark",
            self.officer_rep_user, "hr.kpi.star.review", "action_done", [self.review.id],
        )  # fmt: skip
        self.assertRefused(
            "his own skill test",
            self.officer_rep_user, "hr.kpi.star.review.line", "action_set_skill_score",
            [mine.id], 150,
        )  # fmt: skip
        self.assertRefused(
            "must be a finite number",
            self.officer, "hr.kpi.star.review.line", "action_set_skill_score", [line.id], "快",
        )  # fmt: skip
        self.assertEqual(self.review.state, "draft")
        self._close_review()
        self.assertRefused(
            "hr.kpi.star.review.line",  # Odoo's access message, in the user's language
            self.rep_user, "hr.kpi.star.review.line", "write", [line.id], {"stars": 5},
        )  # fmt: skip
        self.assertRefused(
            "_action_compute_periods",  # Odoo's "private method" refusal, in the user's language
            self.rep_user, "hr.kpi.star.month", "_action_compute_periods", [],
            [self.months[APR].id],
        )  # fmt: skip
        self.assertRefused(
            "change only through the workflow buttons",
            self.lead_user, "hr.kpi.award", "create",
            {
                "period_id": self.months[APR].id,
                "company_id": self.company.id,
                "award_type": "service_star",
                "employee_id": self.lead.id,
                "amount": 5000,
            },
        )  # fmt: skip
        awards = self.env["hr.kpi.award"].with_user(self.officer)._action_compute_periods(
            self.months[APR]
        )
        star = awards.filtered(lambda award: award.award_type == "service_star")
        self.assertEqual((star.employee_id, star.amount), (self.officer_rep, 200))
        self.assertRefused(
            "change only through the workflow buttons",
            self.officer_rep_user, "hr.kpi.award", "write", [star.id], {"amount": 5000},
        )  # fmt: skip
        # a context default is no way round either
        self.assertRefused(
            "change only through the workflow buttons",
            self.officer_rep_user, "hr.kpi.award", "write", [star.id], {"amount": 5000},
            context={"kpi_action": True, "default_amount": 5000},
        )  # fmt: skip
        self.assertEqual(
            (line.stars, mine.skill_score, self.review.state, star.amount), (3, 80, "done", 200)
        )
        self.assertEqual(
            self.env["hr.kpi.award"].search([("company_id", "=", self.company.id)]), awards
        )
