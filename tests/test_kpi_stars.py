"""Star reviews, monthly stars and awards (DESIGN §6, seed 003)."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GROUP_OFFICER, KpiCase

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
APR, MAY, JUN, JUL = date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)
Q1 = (JAN, FEB, MAR)


class StarCase(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["hr.kpi.star.level"]._create_seed_levels(cls.company.ids)
        cls.rep_scheme = cls._service_quality_scheme(
            name="客服代表方案", role_type="staff", job_ids=[(6, 0, cls.job_rep.ids)]
        )
        cls.lead_scheme = cls._service_quality_scheme(
            name="客服领班方案", role_type="lead", job_ids=[(6, 0, cls.job_lead.ids)]
        )
        (cls.rep_scheme | cls.lead_scheme).action_activate()
        cls.leave_type = cls.env["hr.leave.type"].create(
            {
                "name": "事假",
                "company_id": cls.company.id,
                "requires_allocation": "no",
                "leave_validation_type": "no_validation",
            }
        )
        cls.Period = cls.env["hr.kpi.period"].with_company(cls.company)
        cls.quarter = cls.Period._get_or_create(JAN, "quarterly", cls.company)
        cls.months = {
            day: cls.Period._get_or_create(day, "monthly", cls.company)
            for day in (JAN, FEB, MAR, APR, MAY, JUN, JUL)
        }
        cls.officer_env = cls.env(user=cls.officer)

    # ------------------------------------------------------------------
    @classmethod
    def _rep(cls, name, badge=None, lead=None):
        employee = cls._employee(name, job=cls.job_rep)
        employee.write({"barcode": badge or False, "parent_id": lead.id if lead else False})
        return employee

    @classmethod
    def _scores(cls, employee, scores, scheme=None):
        """Closed monthly evaluations: scores is {month start: total score}."""
        scheme = scheme or (cls.lead_scheme if employee.job_id == cls.job_lead else cls.rep_scheme)
        return cls.env["hr.kpi.evaluation"].create(
            [
                {
                    "employee_id": employee.id,
                    "scheme_id": scheme.id,
                    "period_id": cls.months[month].id,
                    "company_id": cls.company.id,
                    "state": "closed",
                    "total_score": score,
                }
                for month, score in scores.items()
            ]
        )

    @classmethod
    def _incident(cls, employee, code, day):
        incident_type = cls.env["hr.kpi.incident.type"].search([("code", "=", code)])
        return cls.env["hr.kpi.incident"].create(
            {
                "employee_id": employee.id,
                "company_id": cls.company.id,
                "type_id": incident_type.id,
                "date": day,
                "confirmed": True,
            }
        )

    @classmethod
    def _leave(cls, employee, day):
        leave = (
            cls.env["hr.leave"]
            .with_company(cls.company)
            .create(
                {
                    "employee_id": employee.id,
                    "holiday_status_id": cls.leave_type.id,
                    "request_date_from": day,
                    "request_date_to": day,
                }
            )
        )
        if leave.state != "validate":
            leave.sudo().action_approve()
        return leave

    def _review(self, skills=None, done=False):
        review = self.officer_env["hr.kpi.star.review"].create(
            {"company_id": self.company.id, "period_id": self.quarter.id}
        )
        review.action_compute()
        if skills:
            for line in review.line_ids:
                if line.employee_id in skills:
                    line.skill_score = skills[line.employee_id]
            review.action_compute()
        if done:
            review.action_done()
        return review

    @staticmethod
    def _line(review, employee):
        return review.line_ids.filtered(lambda line: line.employee_id == employee)

    def _months(self, *days):
        periods = self.env["hr.kpi.period"].concat(*(self.months[day] for day in days))
        records = self.officer_env["hr.kpi.star.month"]._action_compute_periods(periods)
        return {(record.employee_id, record.period_id.date_from): record for record in records}


@tagged("post_install", "-at_install")
class TestStarLevels(StarCase):
    def test_seed_ladders_and_names(self):
        levels = self.env["hr.kpi.star.level"].search([("company_id", "=", self.company.id)])
        rep = levels.filtered(lambda level: level.role == "rep")
        lead = levels.filtered(lambda level: level.role == "lead")
        self.assertEqual(rep.mapped("stars"), [0, 1, 2, 3, 4, 5])
        self.assertEqual(lead.mapped("stars"), [0, 1, 2, 3, 4])
        self.assertEqual(rep.filtered(lambda level: level.stars == 3).pay, 1200)
        self.assertEqual(lead.filtered(lambda level: level.stars == 2).pay, 2000)
        self.assertEqual(rep.filtered(lambda level: level.stars == 3).name, "3 ★ Representative")
        main = self.env["hr.kpi.star.level"].search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        self.assertEqual(len(main), 11, "the main company ships both seed ladders")

    def test_ladder_checked_by_the_engine(self):
        four = self.env["hr.kpi.star.level"].search(
            [("company_id", "=", self.company.id), ("role", "=", "rep"), ("stars", "=", 4)]
        )
        with self.assertRaisesRegex(ValidationError, "minimum score"):
            four.min_score = 50
        with self.assertRaisesRegex(ValidationError, "Star ladder Team Lead"):
            self.env["hr.kpi.star.level"].create(
                {"company_id": self.company.id, "role": "lead", "stars": 5}
            )

    def test_incomplete_ladder_refused_when_used(self):
        self.env["hr.kpi.star.level"].search(
            [("company_id", "=", self.company.id), ("role", "=", "lead"), ("stars", "=", 2)]
        ).unlink()
        with self.assertRaisesRegex(UserError, "missing"):
            self._review()

    def test_levels_readable_by_users_editable_by_officers(self):
        level = self.env["hr.kpi.star.level"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.assertTrue(level.with_user(self.user).read(["pay"]))
        with self.assertRaises(AccessError):
            level.with_user(self.manager).write({"pay": 1})
        level.with_user(self.officer).write({"pay": 1})


@tagged("post_install", "-at_install")
class TestStarReview(StarCase):
    def test_seed_003_examples_a_and_b(self):
        """A: 90 points, not full attendance, 75 chars/min → 1 star; B: full
        attendance → 3 stars (4 stars need 92 points)."""
        rep_a, rep_b = self._rep("代表A"), self._rep("代表B")
        for rep in (rep_a, rep_b):
            self._scores(rep, {JAN: 88, FEB: 90, MAR: 92})
        self._leave(rep_a, date(2026, 2, 10))
        self._leave(rep_a, date(2026, 3, 10))
        self._incident(rep_a, "late", date(2026, 1, 12))
        self._incident(rep_a, "early_leave", date(2026, 3, 20))
        review = self._review(skills={rep_a: 75, rep_b: 75})
        line_a, line_b = self._line(review, rep_a), self._line(review, rep_b)
        self.assertEqual(
            (line_a.quarter_score, line_a.attendance_events, line_a.skill_score), (90, 4, 75)
        )
        self.assertEqual((line_a.stars, line_a.rule), (1, "attendance_cap"))
        self.assertIn("capped at 1 star", line_a.explanation)
        self.assertEqual((line_b.stars, line_b.rule), (3, "score"))
        self.assertEqual(line_b.attendance_events, 0)
        self.assertEqual(line_b.star_level_id.pay, 1200)
        self.assertIn("4-star minimum 92", line_b.explanation)
        self.assertEqual(review.due_date, date(2026, 4, 10))

    def test_attendance_limit_is_inclusive_and_configurable(self):
        rep = self._rep("三次")
        self._scores(rep, {JAN: 90, FEB: 90, MAR: 90})
        for day in (5, 6, 7):
            self._incident(rep, "late", date(2026, 1, day))
        review = self._review(skills={rep: 75})
        self.assertEqual(self._line(review, rep).stars, 3, "3 events are allowed")
        self.company.kpi_attendance_limit = 2
        review.action_compute()
        self.assertEqual(self._line(review, rep).rule, "attendance_cap")
        self.assertEqual(review.attendance_limit, 2)

    def test_leave_types_counted_can_be_restricted(self):
        rep = self._rep("调休")
        self._scores(rep, {JAN: 90, FEB: 90, MAR: 90})
        for day in (date(2026, 2, 10), date(2026, 2, 11), date(2026, 2, 12), date(2026, 2, 13)):
            self._leave(rep, day)
        review = self._review(skills={rep: 75})
        self.assertEqual(self._line(review, rep).attendance_events, 4)
        other = self.leave_type.copy({"name": "病假"})
        self.company.kpi_attendance_leave_type_ids = other
        review.action_compute()
        self.assertEqual(self._line(review, rep).attendance_events, 0)
        self.assertEqual(self._line(review, rep).stars, 3)

    def test_zero_stars_when_the_score_misses_one_star(self):
        rep = self._rep("缺勤低分")
        self._scores(rep, {JAN: 50, FEB: 55, MAR: 60})
        for day in (5, 6, 7, 8):
            self._incident(rep, "late", date(2026, 2, day))
        line = self._line(self._review(skills={rep: 75}), rep)
        self.assertEqual((line.quarter_score, line.stars, line.rule), (55, 0, "attendance_cap"))
        self.assertIn("below the 1-star minimum 60", line.explanation)

    def test_skill_test_keeps_the_star_down(self):
        rep = self._rep("打字慢")
        self._scores(rep, {JAN: 90, FEB: 90, MAR: 90})
        line = self._line(self._review(skills={rep: 60}), rep)
        self.assertEqual((line.stars, line.rule), (2, "skill"))
        self.assertIn("skill test 60", line.explanation)

    def test_only_approved_months_count(self):
        rep = self._rep("草稿")
        evaluations = self._scores(rep, {JAN: 90, FEB: 60, MAR: 90})
        evaluations[1]._kpi_write({"state": "hr_review"})  # history moves only in an action
        line = self._line(self._review(skills={rep: 75}), rep)
        self.assertEqual((line.month_count, line.quarter_score), (2, 90))

    def test_five_star_quota_of_twenty_reps(self):
        """20 reps on duty: 1 five-star place (5 %, rounded down); 3 qualify: the
        best keeps it, the two others get 4 stars. A tie on score goes to the
        higher skill test."""
        reps = [self._rep(f"代表{n:02d}", badge=f"{1000 + n}") for n in range(20)]
        scores = {reps[0]: 98, reps[1]: 98, reps[2]: 97}
        skills = {reps[0]: 92, reps[1]: 95, reps[2]: 99}
        for rep in reps:
            score = scores.get(rep, 80)
            self._scores(rep, {JAN: score, FEB: score, MAR: score})
        review = self._review(skills={rep: skills.get(rep, 75) for rep in reps})
        self.assertEqual((review.on_duty_count, review.five_star_quota), (20, 1))
        self.assertIn("At most 5 % of the 20 reps on duty, rounded down", review.quota_rule)
        self.assertEqual(
            (self._line(review, reps[1]).stars, self._line(review, reps[1]).rule), (5, "score")
        )
        for rep in (reps[0], reps[2]):
            line = self._line(review, rep)
            self.assertEqual((line.stars, line.rule), (4, "quota"))
            self.assertIn("five-star place", line.explanation)
        self.assertEqual(self._line(review, reps[5]).stars, 2)

    def test_quota_ties_go_to_the_lower_badge_and_places_lapse(self):
        reps = [self._rep(f"同分{n:02d}", badge=f"{2020 - n}") for n in range(20)]
        for rep in reps:
            score = 98 if rep in reps[:2] else 70
            self._scores(rep, {JAN: score, FEB: score, MAR: score})
        review = self._review(skills=dict.fromkeys(reps, 95))
        # Same score and skill: the lower badge ID (2019 < 2020) wins.
        self.assertEqual(self._line(review, reps[1]).stars, 5)
        self.assertEqual(self._line(review, reps[0]).stars, 4)
        # 19 on duty: no five-star place at all.
        self.env["hr.kpi.evaluation"].search([("employee_id", "=", reps[-1].id)])._kpi_write(
            {"state": "hr_review"}
        )
        review.action_compute()
        self.assertEqual((review.on_duty_count, review.five_star_quota), (19, 0))
        self.assertEqual(self._line(review, reps[1]).stars, 4)

    def test_lead_star_from_team_mean(self):
        lead = self._employee("领班", job=self.job_lead)
        team = [self._rep("组员一", lead=lead), self._rep("组员二", lead=lead)]
        outsider = self._rep("别组")
        self._scores(team[0], {JAN: 90, FEB: 90, MAR: 90})
        self._scores(team[1], {JAN: 83, FEB: 83, MAR: 83})
        self._scores(outsider, {JAN: 50, FEB: 50, MAR: 50})
        self._scores(lead, {JAN: 99, FEB: 99, MAR: 99})
        line = self._line(self._review(), lead)
        self.assertEqual((line.role, line.team_size, line.quarter_score), ("lead", 2, 86.5))
        self.assertEqual((line.stars, line.star_level_id.pay), (2, 2000))
        self.assertIn("Team mean score 86.5", line.explanation)

    def test_lead_without_scored_team_gets_zero(self):
        lead = self._employee("空组领班", job=self.job_lead)
        self._scores(lead, {JAN: 95, FEB: 95, MAR: 95})
        line = self._line(self._review(), lead)
        self.assertEqual((line.stars, line.rule), (0, False))

    def test_done_review_is_locked(self):
        rep = self._rep("锁定")
        self._scores(rep, {JAN: 90, FEB: 90, MAR: 90})
        review = self._review(done=True)
        with self.assertRaisesRegex(UserError, "locked"):
            review.with_user(self.officer).five_star_pct = 10
        with self.assertRaisesRegex(UserError, "locked"):
            review.line_ids.skill_score = 99
        with self.assertRaisesRegex(UserError, "locked"):
            review.action_compute()
        with self.assertRaisesRegex(UserError, "locked"):
            review.line_ids.unlink()

    def test_only_officers_run_reviews(self):
        review = self.env["hr.kpi.star.review"].create(
            {"company_id": self.company.id, "period_id": self.quarter.id}
        )
        with self.assertRaisesRegex(UserError, "Only a KPI officer"):
            review.with_user(self.manager).action_compute()

    def test_cron_creates_the_previous_quarter_review(self):
        rep = self._rep("定时")
        self._scores(rep, {JAN: 90, FEB: 90, MAR: 90})
        with freeze_time("2026-04-01 02:00:00"):
            reviews = self.env["hr.kpi.star.review"]._cron_create_quarter_review()
        review = reviews.filtered(lambda r: r.company_id == self.company)
        self.assertEqual(review.period_id, self.quarter)
        self.assertEqual(self._line(review, rep).quarter_score, 90)

    def test_cron_reports_setup_problems_in_the_chatter(self):
        rep = self._rep("缺级")
        self._scores(rep, {JAN: 90, FEB: 90, MAR: 90})
        self.env["hr.kpi.star.level"].search(
            [("company_id", "=", self.company.id), ("role", "=", "lead"), ("stars", "=", 2)]
        ).unlink()
        with freeze_time("2026-04-01 02:00:00"):
            reviews = self.env["hr.kpi.star.review"]._cron_create_quarter_review()
        review = reviews.filtered(lambda r: r.company_id == self.company)
        self.assertFalse(review.line_ids)
        self.assertIn("missing", review.message_ids[0].body)

    def test_review_query_count_does_not_grow(self):
        def run(count, prefix):
            reps = [self._rep(f"{prefix}{n}") for n in range(count)]
            for rep in reps:
                self._scores(rep, {JAN: 80, FEB: 85, MAR: 90})
                self._incident(rep, "late", date(2026, 2, 3))
            review = self.env["hr.kpi.star.review"].search(
                [("company_id", "=", self.company.id)]
            ) or self.env["hr.kpi.star.review"].create(
                {"company_id": self.company.id, "period_id": self.quarter.id}
            )
            review.line_ids.unlink()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            review.with_user(self.officer).action_compute()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        run(2, "预热")  # caches (record rules, ladders' metadata) warm up once
        small = run(3, "小")
        large = run(15, "大")
        self.assertLessEqual(large, small, f"{small} queries for 5 reps, {large} for 20")

    def test_months_and_awards_query_count_does_not_grow(self):
        lead = self._employee("批量领班", job=self.job_lead)
        self._scores(lead, {APR: 90})

        def run(count, prefix):
            reps = [self._rep(f"{prefix}{n}", lead=lead) for n in range(count)]
            for rep in reps:
                self._scores(rep, {MAR: 80, APR: 85})
                self._incident(rep, "commendation", date(2026, 3, 3))
                self._incident(rep, "violation", date(2026, 4, 3))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._months(APR)
            self.officer_env["hr.kpi.award"]._action_compute_periods(self.months[APR])
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        run(2, "预热")
        small = run(3, "小")
        large = run(15, "大")
        self.assertLessEqual(large, small, f"{small} queries for 5 reps, {large} for 20")


@tagged("post_install", "-at_install")
class TestStarMonths(StarCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Q1 review: reps at 3, 4 and 2 stars; the lead of the first and the last
        # at 2 stars (team mean 84).
        cls.lead = cls._employee("领班甲", job=cls.job_lead)
        cls.rep3 = cls._rep("三星", badge="3003", lead=cls.lead)
        cls.rep4 = cls._rep("四星", badge="3004")
        cls.other = cls._rep("二星", badge="3005", lead=cls.lead)
        cls._scores(cls.rep3, {JAN: 88, FEB: 88, MAR: 88})
        cls._scores(cls.rep4, {JAN: 93, FEB: 93, MAR: 93})
        cls._scores(cls.other, {JAN: 80, FEB: 80, MAR: 80})
        cls._scores(cls.lead, {JAN: 90, FEB: 90, MAR: 90})
        review = cls.env["hr.kpi.star.review"].create(
            {"company_id": cls.company.id, "period_id": cls.quarter.id}
        )
        review.action_compute()
        for line in review.line_ids:
            line.skill_score = 85
        review.action_compute()
        review.action_done()
        cls.review = review
        for employee in (cls.rep3, cls.rep4, cls.other, cls.lead):
            cls._scores(employee, {APR: 85, MAY: 85, JUN: 85, JUL: 85})

    def test_review_basis(self):
        stars = {line.employee_id: line.stars for line in self.review.line_ids}
        self.assertEqual(stars, {self.rep3: 3, self.rep4: 4, self.other: 2, self.lead: 2})

    def test_no_adjustment_keeps_the_reviewed_star(self):
        month = self._months(APR)[(self.rep3, APR)]
        self.assertEqual((month.base_stars, month.stars, month.rule), (3, 3, "base"))
        self.assertEqual((month.pay, month.score, month.pay_score), (1200, 85, 85))
        self.assertFalse(month.probation)
        self.assertEqual(month.review_line_id.review_id, self.review)

    def test_commendation_lifts_for_three_months(self):
        self._incident(self.rep3, "commendation", date(2026, 4, 20))
        months = self._months(APR, MAY, JUN, JUL)
        self.assertEqual(
            [
                (months[(self.rep3, m)].stars, months[(self.rep3, m)].rule)
                for m in (APR, MAY, JUN, JUL)
            ],
            [(4, "commendation"), (4, "commendation"), (4, "commendation"), (3, "base")],
        )
        self.assertEqual(months[(self.rep3, MAY)].pay, 1500)

    def test_commendation_to_five_stars_is_a_one_time_award(self):
        self._incident(self.rep4, "commendation", date(2026, 5, 6))
        months = self._months(APR, MAY, JUN)
        may, june = months[(self.rep4, MAY)], months[(self.rep4, JUN)]
        self.assertEqual((may.stars, may.rule, may.one_time_award), (5, "one_time_award", True))
        self.assertEqual((june.stars, june.rule, june.one_time_award), (5, "commendation", False))
        self.assertIn("one-time award", may.explanation)
        # ... paid once with May's awards, at the company's amount
        self.company.kpi_five_star_award_amount = 500
        Award = self.officer_env["hr.kpi.award"]
        may_awards = Award._action_compute_periods(self.months[MAY]).filtered(
            lambda award: award.award_type == "five_star"
        )
        self.assertEqual(
            [(award.employee_id, award.amount) for award in may_awards], [(self.rep4, 500.0)]
        )
        june_awards = Award._action_compute_periods(self.months[JUN])
        self.assertNotIn("five_star", june_awards.mapped("award_type"))

    def test_downgrades(self):
        # A violation: 0 stars that month only.
        self._incident(self.rep3, "violation", date(2026, 4, 8))
        # Absenteeism then public criticism the next month: 0 stars for 3 months.
        self._incident(self.rep4, "absenteeism", date(2026, 4, 9))
        self._incident(self.rep4, "public_criticism", date(2026, 5, 9))
        # Abnormal attitude two months in a row: 0 stars the second month.
        self._incident(self.other, "abnormal_attitude", date(2026, 4, 10))
        self._incident(self.other, "abnormal_attitude", date(2026, 5, 10))
        months = self._months(APR, MAY, JUN, JUL)

        def series(employee):
            return [
                (months[(employee, m)].stars, months[(employee, m)].rule)
                for m in (APR, MAY, JUN, JUL)
            ]

        self.assertEqual(
            series(self.rep3), [(0, "downgrade"), (3, "base"), (3, "base"), (3, "base")]
        )
        self.assertEqual(
            series(self.rep4),
            [
                (0, "downgrade"),
                (0, "repeat_downgrade"),
                (0, "repeat_downgrade"),
                (0, "repeat_downgrade"),
            ],
        )
        self.assertEqual(
            series(self.other), [(2, "base"), (0, "downgrade"), (2, "base"), (2, "base")]
        )
        self.assertEqual(months[(self.rep3, APR)].pay, 600, "the 0-star pay")
        self.assertIn(
            "rules violation or public criticism × 1", months[(self.rep3, APR)].explanation
        )

    def test_repeat_downgrade_ends_after_three_months(self):
        self._incident(self.rep4, "absenteeism", date(2026, 3, 9))
        self._incident(self.rep4, "attitude_complaint", date(2026, 4, 9))
        months = self._months(APR, MAY, JUN, JUL)
        self.assertEqual([months[(self.rep4, m)].stars for m in (APR, MAY, JUN, JUL)], [0, 0, 0, 4])

    def test_lead_adjustments(self):
        april = self._months(APR)[(self.lead, APR)]
        self.assertEqual((april.stars, april.pay), (2, 2000))
        april.satisfaction = 99
        self._incident(self.rep3, "attitude_complaint", date(2026, 5, 4))
        for day in (4, 5, 6):
            self._incident(self.lead, "late", date(2026, 6, day))
        months = self._months(APR, MAY, JUN)
        lead = [months[(self.lead, m)] for m in (APR, MAY, JUN)]
        self.assertEqual((lead[0].stars, lead[0].rule), (3, "satisfaction"), "99 % kept and used")
        self.assertEqual((lead[1].stars, lead[1].rule), (0, "downgrade"))
        self.assertEqual((lead[2].stars, lead[2].rule), (1, "attendance_cap"))

    def test_lead_commendation_lasts_the_quarter(self):
        self._incident(self.lead, "commendation", date(2026, 5, 4))
        months = self._months(APR, MAY, JUN, JUL)
        self.assertEqual([months[(self.lead, m)].stars for m in (APR, MAY, JUN, JUL)], [2, 3, 3, 2])

    def test_probation_pay_floors_and_regularisation(self):
        newcomer = self._rep("新人", badge="3101")
        new_lead = self._employee("新领班", job=self.job_lead)
        for employee in (newcomer, new_lead):
            self.env["hr.contract"].create(
                {
                    "name": employee.name,
                    "employee_id": employee.id,
                    "wage": 2000,
                    "date_start": APR,
                    "trial_date_end": date(2026, 6, 30),
                    "state": "open",
                }
            )
        self._scores(newcomer, {APR: 65, MAY: 72, JUN: 75, JUL: 90})
        self._scores(new_lead, {APR: 75, MAY: 86, JUN: 84})
        months = self._months(APR, MAY, JUN, JUL)
        april = months[(newcomer, APR)]
        self.assertTrue(april.probation)
        self.assertEqual((april.pay, april.score, april.pay_score), (1080, 65, 70))
        self.assertIn("the star pay is 1080 and a month score at or below 70", april.explanation)
        self.assertEqual(months[(newcomer, MAY)].pay_score, 72)
        self.assertFalse(months[(newcomer, JUL)].probation)
        lead_april = months[(new_lead, APR)]
        self.assertEqual((lead_april.pay, lead_april.pay_score), (1600, 80))
        self.assertEqual(months[(new_lead, MAY)].pay_score, 86)
        # Regularisation: the rep after May and June (72, 75 >= 70), once; the lead
        # never has two months >= 85 in a row.
        suggested = self.env["hr.kpi.star.month"].search([("regularisation_suggested", "=", True)])
        self.assertEqual(suggested, months[(newcomer, JUN)])
        self.assertEqual(len(suggested.activity_ids), 1)
        self.assertIn("转正", suggested.activity_ids.note)
        self._months(APR, MAY, JUN, JUL)
        self.assertEqual(len(suggested.activity_ids), 1, "suggested once")

    def test_typed_values_are_kept_and_closed_months_refused(self):
        month = self._months(APR)[(self.rep3, APR)]
        month.skill_score = 88
        self.assertEqual(self._months(APR)[(self.rep3, APR)].skill_score, 88)
        self.months[APR].state = "closed"
        with self.assertRaisesRegex(UserError, "closed"):
            self._months(APR)

    @freeze_time("2026-05-15")
    def test_current_star_on_the_employee(self):
        self.assertEqual(self.rep4.kpi_star_level_id.stars, 4, "from the done review")
        self._incident(self.rep4, "violation", date(2026, 5, 3))
        self._months(APR, MAY, JUN)
        self.rep4.invalidate_recordset(["kpi_star_level_id"])
        self.assertEqual(self.rep4.kpi_star_level_id.stars, 0, "May's star")
        self.assertEqual(self.rep4.kpi_star_month_count, 3)

    def test_employee_reads_only_his_own_star(self):
        self.rep3.user_id = self.user
        months = self._months(APR)
        mine, other = months[(self.rep3, APR)], months[(self.rep4, APR)]
        as_user = self.env["hr.kpi.star.month"].with_user(self.user)
        self.assertEqual(as_user.search([]), mine)
        self.assertEqual(mine.with_user(self.user).stars, 3)
        with self.assertRaises(AccessError):
            other.with_user(self.user).read(["stars"])
        with self.assertRaises(AccessError):
            self._line(self.review, self.rep4).with_user(self.user).read(["stars"])
        self.assertEqual(
            self.env["hr.kpi.star.review.line"].with_user(self.user).search([]).employee_id,
            self.rep3,
        )
        with self.assertRaises(AccessError):
            self.review.with_user(self.user).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.user).write({"skill_score": 100})

    @freeze_time("2026-04-20")
    def test_employee_star_fields_are_hr_only(self):
        self.assertNotIn("kpi_star_level_id", self.env["hr.employee.public"]._fields)
        self.assertNotIn("kpi_star_month_ids", self.env["hr.employee.public"]._fields)
        with self.assertRaises(AccessError):
            self.rep3.with_user(self.user).read(["kpi_star_level_id"])
        hr_user = new_test_user(
            self.env,
            "kpi_hr_user_t",
            groups="base.group_user,hr.group_hr_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        self.assertEqual(self.rep3.with_user(hr_user).kpi_star_level_id.pay, 1200)
        form = self.env["hr.employee"].with_user(hr_user).get_views([(False, "form")])
        self.assertIn("kpi_star_month_ids", form["views"]["form"]["arch"])

    def test_manager_reads_his_team(self):
        self.lead.user_id = self.manager
        months = self._months(APR)
        visible = self.env["hr.kpi.star.month"].with_user(self.manager).search([])
        self.assertEqual(set(visible.employee_id.ids), {self.lead.id, self.rep3.id, self.other.id})
        self.assertNotIn(months[(self.rep4, APR)], visible)

    def test_other_company_is_hidden(self):
        self._months(APR)
        officer2 = new_test_user(
            self.env,
            "kpi_officer_other",
            groups=f"base.group_user,{GROUP_OFFICER}",
            company_id=self.other_company.id,
            company_ids=[(6, 0, self.other_company.ids)],
        )
        env = self.env(user=officer2, context={"allowed_company_ids": self.other_company.ids})
        self.assertFalse(env["hr.kpi.star.month"].search([]))
        self.assertFalse(env["hr.kpi.star.review"].search([]))
        self.assertTrue(self.env["hr.kpi.star.month"].with_user(self.officer).search([]))


@tagged("post_install", "-at_install")
class TestAwards(StarCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reps = {
            name: cls._rep(name, badge=badge)
            for name, badge in (
                ("请假", "4001"),
                ("投诉", "4002"),
                ("服务", "4003"),
                ("进步", "4004"),
                ("效能", "4005"),
                ("同分", "4006"),
            )
        }
        previous = {"请假": 90, "投诉": 90, "服务": 94, "进步": 70, "效能": 90, "同分": 94}
        current = {"请假": 99, "投诉": 98, "服务": 95, "进步": 85, "效能": 80, "同分": 95}
        for name, rep in cls.reps.items():
            cls._scores(rep, {MAR: previous[name]})
            cls._scores(rep, {APR: current[name]})
        # 4 days off: more than the 3 attendance events full attendance allows
        for day in (13, 14, 15, 16):
            cls._leave(cls.reps["请假"], date(2026, 4, day))
        cls._incident(cls.reps["投诉"], "valid_complaint", date(2026, 4, 3))
        cls.april = cls.months[APR]

    def _awards(self):
        awards = self.officer_env["hr.kpi.award"]._action_compute_periods(self.april)
        return {award.award_type: award for award in awards}

    def test_monthly_star_awards_skip_ineligible_reps(self):
        months = self._months(APR)
        months[(self.reps["效能"], APR)].skill_score = 120
        months[(self.reps["请假"], APR)].skill_score = 150
        awards = self._awards()
        # 服务明星: 请假 (99) had 4 days off and 投诉 (98) a complaint; 服务 and 同分
        # tie at 95: the lower badge ID (4003) wins.
        self.assertEqual(awards["service_star"].employee_id, self.reps["服务"])
        self.assertEqual(awards["service_star"].amount, 200)
        self.assertIn("lower badge ID", awards["service_star"].reason)
        self.assertEqual(awards["progress_star"].employee_id, self.reps["进步"])
        self.assertIn("70 → 85", awards["progress_star"].reason)
        self.assertEqual(awards["efficiency_star"].employee_id, self.reps["效能"])

    def test_full_attendance_is_the_kpi_att_rule_3_events_not_4(self):
        """Seed 003 defines 全勤 once (at most 3 late arrivals, early leaves or days off
        in the month, no absenteeism): the awards' condition is KPI_ATT's."""
        top = self._rep("全勤边界", badge="4000")
        self._scores(top, {MAR: 99})
        self._scores(top, {APR: 100})
        self._leave(top, date(2026, 4, 20))
        self._leave(top, date(2026, 4, 21))
        self._incident(top, "late", date(2026, 4, 22))
        awards = self._awards()
        self.assertEqual(awards["service_star"].employee_id, top, "3 events: full attendance")
        self.assertIn("at most 3 late arrivals", awards["service_star"].reason)
        # the same 3 events earn the full-attendance bonus (KPI_ATT)
        payslip = self.env["hr.payslip"]
        leaves = self.env["hr.kpi.star.review"]._leave_counts(
            top, date(2026, 4, 1), date(2026, 4, 30), self.company
        )
        facts = {"incidents": {(top.id, "late"): 1}, "leaves": leaves}
        settings = self.company._kpi_pay_settings()
        self.assertTrue(payslip._kpi_full_attendance(top.id, facts, settings))
        # a 4th event: neither the award nor the bonus
        self._incident(top, "early_leave", date(2026, 4, 23))
        awards = self._awards()
        self.assertEqual(awards["service_star"].employee_id, self.reps["服务"])
        facts["incidents"][(top.id, "early_leave")] = 1
        self.assertFalse(payslip._kpi_full_attendance(top.id, facts, settings))

    def test_full_attendance_limit_is_the_company_setting_and_absenteeism_excludes(self):
        top = self._rep("全勤设置", badge="4000")
        self._scores(top, {MAR: 99})
        self._scores(top, {APR: 100})
        self._incident(top, "late", date(2026, 4, 22))
        self.company.kpi_full_attendance_limit = 0
        awards = self._awards()
        self.assertEqual(awards["service_star"].employee_id, self.reps["服务"])
        self.assertIn("at most 0 late arrivals", awards["service_star"].reason)
        self.company.kpi_full_attendance_limit = 4
        self.assertEqual(self._awards()["service_star"].employee_id, top)
        # absenteeism is never full attendance; 请假's 4 days off are within 4 now
        self._incident(top, "absenteeism", date(2026, 4, 24))
        awards = self._awards()
        self.assertEqual(awards["service_star"].employee_id, self.reps["请假"])

    def test_awards_are_replaced_and_configurable(self):
        self.company.kpi_award_amount = 300
        first = self._awards()
        second = self._awards()
        self.assertEqual(len(second), len(first))
        self.assertFalse(
            self.env["hr.kpi.award"].search([("id", "in", [a.id for a in first.values()])])
        )
        self.assertEqual(second["service_star"].amount, 300)
        self.assertNotIn("efficiency_star", second, "nobody took a skill test")

    def test_ranking_awards(self):
        self.company.kpi_excellence_award_amount = 500
        self.company.kpi_good_award_amount = 300
        self.env["hr.kpi.evaluation"].search(
            [("employee_id", "=", self.reps["请假"].id), ("period_id", "=", self.april.id)]
        )._kpi_write({"rank_flag": "excellence", "rank_company": 1})
        self.env["hr.kpi.evaluation"].search(
            [("employee_id", "=", self.reps["投诉"].id), ("period_id", "=", self.april.id)]
        )._kpi_write({"rank_flag": "good", "rank_company": 2})
        awards = self._awards()
        self.assertEqual(awards["excellence"].employee_id, self.reps["请假"])
        self.assertEqual(awards["excellence"].amount, 500)
        self.assertEqual(awards["good"].employee_id, self.reps["投诉"])
        self.assertEqual(awards["good"].amount, 300)
        self.assertIn("Ranked 2 of 6", awards["good"].reason)

    def test_ranking_award_without_amount_is_not_given(self):
        """Issue 13: no award is created at 0 (the good-performance amount is unset)."""
        self.company.kpi_good_award_amount = 0
        self.env["hr.kpi.evaluation"].search(
            [("employee_id", "=", self.reps["投诉"].id), ("period_id", "=", self.april.id)]
        )._kpi_write({"rank_flag": "good", "rank_company": 2})
        awards = self._awards()
        self.assertNotIn("good", awards)
        self.assertTrue(awards)
        self.assertTrue(all(award.amount > 0 for award in awards.values()))

    def test_closed_month_refused(self):
        self.april.state = "closed"
        with self.assertRaisesRegex(UserError, "closed"):
            self._awards()

    def test_employee_sees_only_his_awards(self):
        self.reps["同分"].user_id = self.user
        awards = self._awards()
        self.assertFalse(self.env["hr.kpi.award"].with_user(self.user).search([]))
        with self.assertRaises(AccessError):
            awards["service_star"].with_user(self.user).read(["amount"])
