from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import KpiCase


@tagged("post_install", "-at_install")
class EvaluationCase(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.company.resource_calendar_id
        cls.calendar.tz = "Asia/Shanghai"
        cls.scheme = cls._service_quality_scheme(
            job_ids=[(6, 0, cls.job_rep.ids)],
            grade_scale_id=cls.env.ref("hr_kpi_service.grade_scale_pass").id,
        )
        cls.scheme.action_activate()
        cls.boss = cls._employee("王建国")
        cls.boss.user_id = cls.manager
        cls.reps = cls.env["hr.employee"]
        for name in ("刘洋", "陈静", "杨帆"):
            cls.reps |= cls._employee(name, job=cls.job_rep)
        cls.reps.parent_id = cls.boss
        cls.reps[0].user_id = cls.user
        cls.period = (
            cls.env["hr.kpi.period"]
            .with_company(cls.company)
            ._get_or_create(date(2026, 11, 5), "monthly", cls.company)
        )

    def _generate(self, period=None):
        return (
            self.env["hr.kpi.evaluation"]
            .with_company(self.company)
            ._generate(period or self.period)
        )

    @staticmethod
    def _fill(evaluation, values):
        """values: {indicator name: (actual, major)}"""
        for line in evaluation.line_ids:
            actual, major = values[line.indicator_id.name]
            line.write({"actual_value": actual, "actual_major": major})

    SEED_001_VALUES = {"服务工作标准执行": (3, 0), "客户满意度调查": (16, 0), "服务投诉": (1, 0)}

    def _month(self, month, scores):
        """Publish a month for the reps (sorted by name) with the given total scores;
        returns the period and its evaluations."""
        period = self.env["hr.kpi.period"]._get_or_create(
            date(2026, month, 1), "monthly", self.company
        )
        evaluations = self._generate(period)
        for evaluation, score in zip(
            evaluations.sorted(lambda e: e.employee_id.name), scores, strict=True
        ):
            self._fill(
                evaluation,
                {
                    "服务工作标准执行": (100 - score, 0),
                    "客户满意度调查": (20, 0),
                    "服务投诉": (0, 0),
                },
            )
        officer = evaluations.with_user(self.officer)
        officer.action_start()
        evaluations.with_user(self.manager).action_to_rating()
        evaluations.with_user(self.manager).action_to_hr_review()
        officer.action_approve()
        officer.action_publish()
        return period, evaluations


class TestPeriods(EvaluationCase):
    def test_month_quarter_year_and_dates(self):
        month = self.period
        self.assertEqual((month.date_from, month.date_to), (date(2026, 11, 1), date(2026, 11, 30)))
        self.assertEqual(month.collection_date_from, date(2026, 12, 10))
        self.assertEqual(month.collection_date_to, date(2026, 12, 15))
        self.assertEqual(month.pay_date, date(2026, 12, 20))
        quarter = month.parent_id
        self.assertEqual(quarter.period_type, "quarterly")
        self.assertEqual(
            (quarter.date_from, quarter.date_to), (date(2026, 10, 1), date(2026, 12, 31))
        )
        self.assertEqual(quarter.parent_id.period_type, "annual")
        self.assertEqual(quarter.parent_id.date_from, date(2026, 1, 1))
        october = self.env["hr.kpi.period"]._get_or_create(
            date(2026, 10, 31), "monthly", self.company
        )
        self.assertEqual(october.parent_id, quarter)
        self.assertEqual(quarter._months(), month | october)
        self.assertEqual(quarter.parent_id._months(), month | october)


class TestGenerationAndScores(EvaluationCase):
    def test_generate_once_per_employee_scheme_period(self):
        evaluations = self._generate()
        self.assertEqual(evaluations.employee_id, self.reps)
        self.assertEqual(len(evaluations.line_ids), 9)
        self.assertEqual(set(evaluations.line_ids.mapped("weight")), {50.0, 20.0, 30.0})
        self.assertFalse(self._generate(), "a second run creates nothing")

    def test_generated_lines_are_what_the_orm_would_create(self):
        """The lines come from one INSERT ... SELECT: each carries its indicator's
        sequence, weight and rater role, its evaluation's company and employee, the
        generating user, no value."""
        Evaluation = self.env["hr.kpi.evaluation"].with_company(self.company)
        evaluations = Evaluation.with_user(self.officer)._generate(self.period)
        self.assertEqual(evaluations.employee_id, self.reps)
        self.env.invalidate_all()
        for evaluation in evaluations:
            lines = evaluation.line_ids
            indicators = evaluation.scheme_id.indicator_ids
            self.assertEqual(lines.indicator_id, indicators)
            self.assertEqual(lines.mapped("indicator_id"), indicators.sorted("sequence"))
            for line in lines:
                indicator = line.indicator_id
                self.assertEqual(
                    (line.sequence, line.weight, line.rater_role),
                    (indicator.sequence, indicator.weight, indicator.rater_role),
                )
                self.assertEqual(line.company_id, evaluation.company_id)
                self.assertEqual(line.employee_id, evaluation.employee_id)
                self.assertEqual(line.create_uid, self.officer)
                self.assertEqual(
                    (line.has_actual, line.actual_value, line.points, line.vetoed),
                    (False, 0.0, 0.0, False),
                )
        # nobody follows an evaluation before it is published (the employee then)
        self.assertFalse(evaluations.message_follower_ids)

    def test_generate_only_employees_hired_by_the_end_of_the_period(self):
        """A contract starting after the month: no evaluation that month yet;
        one starting on its last day, or no contract at all: evaluated."""
        late, last_day = self.reps[0], self.reps[1]
        for employee, start in ((late, date(2026, 12, 1)), (last_day, date(2026, 11, 30))):
            self.env["hr.contract"].create(
                {
                    "name": f"合同 {employee.name}",
                    "employee_id": employee.id,
                    "company_id": self.company.id,
                    "wage": 2000,
                    "date_start": start,
                    "state": "draft",
                }
            )
        evaluations = self._generate()
        self.assertEqual(evaluations.employee_id, self.reps - late)
        december = self.env["hr.kpi.period"]._get_or_create(
            date(2026, 12, 1), "monthly", self.company
        )
        self.assertEqual(self._generate(december).employee_id, self.reps)

    def test_seed_001_total_and_pass_scale(self):
        evaluation = self._generate()[0]
        self._fill(evaluation, self.SEED_001_VALUES)
        evaluation.action_grade()
        self.assertEqual(evaluation.line_ids.mapped("points"), [47.0, 16.0, 24.0])
        self.assertEqual(evaluation.total_score, 87.0)
        self.assertEqual(evaluation.grade, "不合格")
        self.assertEqual(evaluation.missing_count, 0)

    def test_grade_scale_boundaries(self):
        cases = {
            "grade_scale_abcd": [
                (110, "A"),
                (100, "A"),
                (99.99, "B"),
                (90, "B"),
                (89.99, "C"),
                (80, "C"),
                (79.99, "D"),
                (0, "D"),
            ],
            "grade_scale_five": [
                (90, "优"),
                (89.99, "良"),
                (80, "良"),
                (79.99, "中"),
                (70, "中"),
                (69.99, "较差"),
                (60, "较差"),
                (59.99, "差"),
            ],
            "grade_scale_pass": [(95, "优秀"), (94.99, "合格"), (90, "合格"), (89.99, "不合格")],
        }
        for xmlid, expected in cases.items():
            scale = self.env.ref(f"hr_kpi_service.{xmlid}")
            for score, code in expected:
                with self.subTest(scale=xmlid, score=score):
                    self.assertEqual(scale._band_for(score).code, code)

    def test_scoring_query_count_does_not_grow(self):
        """Compute scores reads its inputs with a constant number of queries."""
        job = self.env["hr.job"].create({"name": "批量", "company_id": self.company.id})
        scheme = self._service_quality_scheme(name="批量方案", job_ids=[(6, 0, job.ids)])
        scheme.action_activate()

        def run(size, month):
            self.env["hr.employee"].create(
                [
                    {"name": f"员工{month}-{n}", "company_id": self.company.id, "job_id": job.id}
                    for n in range(size)
                ]
            )
            period = self.env["hr.kpi.period"]._get_or_create(
                date(2026, month, 1), "monthly", self.company
            )
            evaluations = self._generate(period).filtered(lambda e: e.scheme_id == scheme)
            for name, (actual, _major) in self.SEED_001_VALUES.items():
                evaluations.line_ids.filtered(lambda l, n=name: l.indicator_id.name == n).write(
                    {"actual_value": actual}
                )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            evaluations._compute_scores()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before, evaluations

        small, _ = run(5, 3)
        large, evaluations = run(40, 4)
        self.assertEqual(len(evaluations), 45, "the 5 earlier employees are evaluated too")
        # 5 vs 45 evaluations (15 vs 135 lines): the same reads; the ORM's flush
        # only splits the UPDATE of the lines into one more chunk.
        self.assertLessEqual(small, 15)
        self.assertLessEqual(large - small, 1, "query count must not grow with the batch")
        self.assertEqual(set(evaluations.mapped("total_score")), {87.0})


class TestRaters(EvaluationCase):
    """Seed 004 weights 40/30/30 with the 60/40 and 100 fallbacks; seed 003 15/60/25."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.job_360 = cls.env["hr.job"].create({"name": "主管", "company_id": cls.company.id})
        cls.scheme_360 = cls._scheme(
            [
                {
                    "name": "上级评价",
                    "weight": 40,
                    "scoring_method": "manual",
                    "rater_role": "superior",
                },
                {
                    "name": "同事评价",
                    "weight": 30,
                    "scoring_method": "manual",
                    "rater_role": "peer",
                },
                {
                    "name": "下属评价",
                    "weight": 30,
                    "scoring_method": "manual",
                    "rater_role": "subordinate",
                },
            ],
            name="360",
            job_ids=[(6, 0, cls.job_360.ids)],
            rater_config_id=cls.env.ref("hr_kpi_service.rater_config_seed004").id,
        )
        cls.scheme_360.action_activate()
        cls.lead = cls._employee("李娜", job=cls.job_360)

    def _evaluation(self, values):
        evaluation = self._generate().filtered(lambda e: e.employee_id == self.lead)
        for line in evaluation.line_ids:
            if line.indicator_id.name in values:
                line.actual_value = values[line.indicator_id.name]
        evaluation._compute_scores()
        return evaluation

    def test_all_groups_40_30_30(self):
        evaluation = self._evaluation({"上级评价": 90, "同事评价": 80, "下属评价": 70})
        self.assertEqual(evaluation.total_score, 81.0)  # 36 + 24 + 21

    def test_no_peers_60_40(self):
        evaluation = self._evaluation({"上级评价": 90, "下属评价": 70})
        self.assertEqual(evaluation.total_score, 82.0)  # 54 + 28

    def test_no_subordinates_60_40(self):
        evaluation = self._evaluation({"上级评价": 90, "同事评价": 80})
        self.assertEqual(evaluation.total_score, 86.0)  # 54 + 32

    def test_superior_alone_100(self):
        evaluation = self._evaluation({"上级评价": 90})
        self.assertEqual(evaluation.total_score, 90.0)

    def test_seed_003_self_superior_group(self):
        self.scheme_360.action_reset_draft()
        self.scheme_360.indicator_ids.filtered(lambda i: i.rater_role == "peer").rater_role = "self"
        self.scheme_360.indicator_ids.filtered(
            lambda i: i.rater_role == "subordinate"
        ).rater_role = "group"
        self.scheme_360.rater_config_id = self.env.ref("hr_kpi_service.rater_config_seed003")
        self.scheme_360.action_activate()
        evaluation = self._evaluation({"上级评价": 80, "同事评价": 100, "下属评价": 90})
        self.assertEqual(evaluation.total_score, 85.5)  # 15 + 48 + 22.5
        evaluation.line_ids.filtered(lambda l: l.rater_role == "group").has_actual = False
        evaluation._compute_scores()
        # group missing: 15/60 rescaled to 20/80 -> 20 + 64
        self.assertEqual(evaluation.total_score, 84.0)

    def test_raters_proposed_from_org_chart_and_mean_of_peers(self):
        team = self.env["hr.department"].create({"name": "客服一组", "company_id": self.company.id})
        colleagues = self._employee("张伟", job=self.job_rep, department=team) | self._employee(
            "赵敏", job=self.job_rep, department=team
        )
        subordinate = self._employee("刘洋二", job=self.job_rep, department=team)
        self.lead.department_id = team
        self.lead.parent_id = self.boss
        colleagues.parent_id = self.boss
        subordinate.parent_id = self.lead
        users = {}
        for employee in colleagues | subordinate:
            users[employee] = new_test_user(
                self.env,
                f"rater_{employee.id}",
                groups="base.group_user",
                company_id=self.company.id,
                company_ids=[(6, 0, self.company.ids)],
            )
            employee.user_id = users[employee]
        evaluation = self._generate().filtered(lambda e: e.employee_id == self.lead)
        evaluation.with_user(self.officer).action_start()
        roles = {(r.role, r.rater_employee_id) for r in evaluation.rating_ids}
        self.assertIn(("superior", self.boss), roles)
        self.assertIn(("subordinate", subordinate), roles)
        peers = evaluation.rating_ids.filtered(lambda r: r.role == "peer")
        self.assertEqual(
            peers.rater_employee_id,
            colleagues,
            "department colleagues, not the boss nor the direct reports",
        )
        self.assertNotIn(
            "self", evaluation.rating_ids.mapped("role"), "no self line in this scheme"
        )
        # a peer sees only his own rating, and only the line of his role
        peer_user = users[colleagues[0]]
        mine = self.env["hr.kpi.rating"].with_user(peer_user).search([])
        self.assertEqual(mine.rater_employee_id, colleagues[0])
        self.assertEqual(mine.line_ids.indicator_id.name, "同事评价")
        with self.assertRaises(UserError):
            peers.filtered(lambda r: r.rater_employee_id == colleagues[1]).with_user(
                peer_user
            ).line_ids.write({"value": 1})
        evaluation.with_user(self.manager).action_to_rating()
        for rating, value in zip(peers, (70, 90), strict=True):
            rating.with_user(users[rating.rater_employee_id]).line_ids.write({"value": value})
            rating.with_user(users[rating.rater_employee_id]).action_submit()
        superior = evaluation.rating_ids.filtered(lambda r: r.role == "superior")
        superior.with_user(self.manager).line_ids.write({"value": 90})
        superior.with_user(self.manager).action_submit()
        evaluation.with_user(self.manager).action_compute_scores()
        peer_line = evaluation.line_ids.filtered(lambda l: l.rater_role == "peer")
        self.assertEqual(peer_line.actual_value, 80.0, "mean of the two peers")
        # subordinate has not rated: 60/40 between superior and peers
        self.assertEqual(evaluation.total_score, 86.0)


class TestWorkflow(EvaluationCase):
    def _approved(self):
        evaluation = self._generate()[0]
        self._fill(evaluation, self.SEED_001_VALUES)
        officer = evaluation.with_user(self.officer)
        officer.action_start()
        evaluation.with_user(self.manager).action_to_rating()
        evaluation.with_user(self.manager).action_to_hr_review()
        officer.action_approve()
        return evaluation

    def test_approve_refuses_missing_values(self):
        # (issue 20: Send to HR Review refuses missing values already; a value
        # cleared in HR review is refused by Approve)
        evaluation = self._generate()[0]
        self._fill(evaluation, self.SEED_001_VALUES)
        evaluation.with_user(self.officer).action_start()
        evaluation.with_user(self.manager).action_to_rating()
        evaluation.with_user(self.manager).action_to_hr_review()
        evaluation.line_ids.filtered(
            lambda line: line.indicator_id.name == "客户满意度调查"
        ).has_actual = False
        with self.assertRaisesRegex(UserError, "客户满意度调查"):
            evaluation.with_user(self.officer).action_approve()
        self.assertEqual(evaluation.state, "hr_review")

    def test_locked_after_approval(self):
        evaluation = self._approved()
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(evaluation.total_score, 87.0)
        with self.assertRaisesRegex(UserError, "locked"):
            evaluation.line_ids[0].write({"actual_value": 0})
        with self.assertRaisesRegex(UserError, "locked"):
            evaluation.with_user(self.officer).write({"total_score": 99})
        with self.assertRaisesRegex(UserError, "locked"):
            evaluation.unlink()
        with self.assertRaisesRegex(UserError, "locked"):
            evaluation._compute_scores()
        self.assertEqual(evaluation.line_ids[0].actual_value, 3.0)
        # feedback stays writable
        evaluation.with_user(self.manager).write({"strengths": "沟通耐心"})
        self.assertEqual(evaluation.strengths, "沟通耐心")

    def test_only_officer_reopens_with_a_reason(self):
        evaluation = self._approved()
        with self.assertRaises(UserError):
            evaluation.with_user(self.manager).action_reopen("数据有误")
        with self.assertRaisesRegex(UserError, "reason"):
            evaluation.with_user(self.officer).action_reopen("  ")
        evaluation.with_user(self.officer).action_reopen("满意度数据录入错误")
        self.assertEqual(evaluation.state, "hr_review")
        self.assertIn("满意度数据录入错误", evaluation.message_ids[0].body)
        evaluation.line_ids.filtered(
            lambda l: l.indicator_id.name == "客户满意度调查"
        ).actual_value = 20
        evaluation._compute_scores()
        self.assertEqual(evaluation.total_score, 91.0)

    def test_states_and_scores_are_tracked(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        evaluation = self._generate()[0]
        # Odoo does not track records created in the same transaction: commit-time
        # hooks run once here, as if the evaluations had been generated earlier.
        self.env.flush_all()
        self.env.cr.precommit.run()
        self._fill(evaluation, self.SEED_001_VALUES)
        evaluation.with_user(self.officer).action_start()
        evaluation.with_user(self.manager).action_to_rating()
        evaluation.with_user(self.manager).action_to_hr_review()
        evaluation.with_user(self.officer).action_approve()
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        values = evaluation.message_ids.tracking_value_ids
        state = values.filtered(lambda v: v.field_id.name == "state")
        # one transaction: one tracking line from the first to the last state
        self.assertEqual((state.old_value_char, state.new_value_char), ("Draft", "Approved"))
        # score and grade are tracked with the state: one message for the transaction
        self.assertEqual(len(values.mail_message_id), 1)
        score = values.filtered(lambda v: v.field_id.name == "total_score")
        self.assertEqual((score.old_value_float, score.new_value_float), (0.0, 87.0))
        # the grade as the form shows it: the band's name in the user's language
        grade = values.filtered(lambda v: v.field_id.name == "grade_band_id")
        self.assertEqual((grade.old_value_char or "", grade.new_value_char), ("", "Not qualified"))
        self.assertNotIn("vetoed", values.field_id.mapped("name"))

    def test_wrong_transition_and_rights(self):
        evaluation = self._generate()[0]
        with self.assertRaisesRegex(UserError, "cannot move"):
            evaluation.with_user(self.officer).action_publish()
        with self.assertRaises(UserError):
            evaluation.with_user(self.manager).action_start()

    def _published_on(self, moment):
        evaluation = self._approved()
        with freeze_time(moment):
            evaluation.with_user(self.officer).action_publish()
        return evaluation

    def test_appeal_deadline_across_weekend(self):
        # Friday 2026-11-20 10:00 in Shanghai; window = Mon 23, Tue 24, Wed 25
        evaluation = self._published_on(datetime(2026, 11, 20, 2, 0))
        self.assertEqual(evaluation.state, "published")
        # the end of Wednesday in Shanghai = Wednesday 16:00 UTC
        self.assertEqual(evaluation.appeal_deadline, datetime(2026, 11, 25, 16, 0))
        self.assertIn(self.user.partner_id, evaluation.message_partner_ids, "employee notified")

    def test_appeal_deadline_skips_public_holiday(self):
        # HR enters the holiday in the calendar's time zone (with hr_holidays
        # installed, dates typed in another zone are moved to the calendar's).
        self.env.user.tz = "Asia/Shanghai"
        self.env["resource.calendar.leaves"].create(
            {
                "name": "公休",
                "calendar_id": self.calendar.id,
                "resource_id": False,
                "date_from": datetime(2026, 11, 22, 16, 0),
                "date_to": datetime(2026, 11, 23, 16, 0),
            }
        )
        evaluation = self._published_on(datetime(2026, 11, 20, 2, 0))
        self.assertEqual(evaluation.appeal_deadline, datetime(2026, 11, 26, 16, 0))

    def test_appeal_refused_after_deadline_with_the_deadline(self):
        evaluation = self._published_on(datetime(2026, 11, 20, 2, 0))
        with freeze_time(datetime(2026, 11, 25, 16, 1)):
            with self.assertRaisesRegex(UserError, r"2026-11-26 00:00 \(Asia/Shanghai\)"):
                self.env["hr.kpi.appeal"].with_user(self.user).create(
                    {"evaluation_id": evaluation.id, "reason": "满意度统计有误"}
                )
        self.assertFalse(evaluation.appeal_ids)
        self.assertEqual(evaluation.state, "published")

    def test_appeal_upheld_reopens_and_decision_is_final(self):
        evaluation = self._published_on(datetime(2026, 11, 20, 2, 0))
        with freeze_time(datetime(2026, 11, 24, 3, 0)):
            appeal = (
                self.env["hr.kpi.appeal"]
                .with_user(self.user)
                .create({"evaluation_id": evaluation.id, "reason": "满意度统计有误"})
            )
        self.assertEqual(evaluation.state, "appealed")
        with self.assertRaises(UserError):
            appeal.with_user(self.manager).action_uphold("同意")
        appeal.with_user(self.officer).action_uphold("调查表漏计一份")
        self.assertEqual((appeal.state, evaluation.state), ("upheld", "hr_review"))
        self.assertIn("调查表漏计一份", evaluation.reopen_reason)
        with self.assertRaisesRegex(UserError, "final"):
            appeal.with_user(self.officer).action_reject("改判")
        with self.assertRaisesRegex(UserError, "final"):
            appeal.with_user(self.officer).write({"decision_note": "改判"})

    def test_appeal_rejected_closes(self):
        evaluation = self._published_on(datetime(2026, 11, 20, 2, 0))
        with freeze_time(datetime(2026, 11, 23, 3, 0)):
            appeal = (
                self.env["hr.kpi.appeal"]
                .with_user(self.user)
                .create({"evaluation_id": evaluation.id, "reason": "不服"})
            )
        appeal.with_user(self.officer).action_reject("复核无误")
        self.assertEqual((appeal.state, evaluation.state), ("rejected", "closed"))

    def test_cron_closes_expired_window(self):
        evaluation = self._published_on(datetime(2026, 11, 20, 2, 0))
        with freeze_time(datetime(2026, 11, 25, 15, 59)):
            self.env["hr.kpi.evaluation"]._cron_close_appeal_window()
        self.assertEqual(evaluation.state, "published")
        with freeze_time(datetime(2026, 11, 25, 16, 1)):
            self.env["hr.kpi.evaluation"]._cron_close_appeal_window()
        self.assertEqual(evaluation.state, "closed")


class TestVisibility(EvaluationCase):
    def test_employee_manager_officer(self):
        evaluations = self._generate()
        other_department = self.env["hr.department"].create(
            {"name": "销售部", "company_id": self.company.id}
        )
        outsider = self._employee("外人", job=self.job_rep, department=other_department)
        outsider.parent_id = False
        evaluations |= self._generate().browse() | self.env["hr.kpi.evaluation"].with_company(
            self.company
        )._generate(self.period)
        all_evaluations = self.env["hr.kpi.evaluation"].search([("period_id", "=", self.period.id)])
        self.assertEqual(len(all_evaluations), 4)
        own = all_evaluations.filtered(lambda e: e.employee_id == self.reps[0])
        Evaluation = self.env["hr.kpi.evaluation"]
        self.env.flush_all()
        self.env.invalidate_all()
        # drafts are invisible even to their employee
        self.assertFalse(Evaluation.with_user(self.user).search([]))
        all_evaluations.with_user(self.officer).action_start()
        self.env.invalidate_all()
        self.assertEqual(Evaluation.with_user(self.user).search([]), own)
        with self.assertRaises(UserError):
            (all_evaluations - own).with_user(self.user).read(["total_score"])
        self.assertFalse(
            self.env["hr.kpi.evaluation.line"]
            .with_user(self.user)
            .search([("evaluation_id", "not in", own.ids)])
        )
        # the manager sees his department's (child_of the org chart), not the outsider
        self.assertEqual(Evaluation.with_user(self.manager).search([]).employee_id, self.reps)
        self.assertEqual(Evaluation.with_user(self.officer).search([]), all_evaluations)


class TestAggregationRanksConsequences(EvaluationCase):
    def test_quarter_and_year_means(self):
        reps = self.reps.sorted("name")
        for month, score in ((10, 85), (11, 90), (12, 95)):
            self._month(month, [score, 100, 60])
        quarter = self.period.parent_id
        quarter.with_user(self.officer).action_aggregate()
        results = self.env["hr.kpi.result"].search([("period_id", "=", quarter.id)])
        by_employee = {r.employee_id: r for r in results}
        self.assertEqual(by_employee[reps[0]].score, 90.0)
        self.assertEqual(by_employee[reps[0]].source_count, 3)
        self.assertEqual(by_employee[reps[0]].grade, "合格")
        self.assertEqual(by_employee[reps[1]].grade, "优秀")
        self.assertEqual(by_employee[reps[2]].score, 60.0)
        year = quarter.parent_id
        year.with_user(self.officer).action_aggregate()
        annual = self.env["hr.kpi.result"].search(
            [("period_id", "=", year.id), ("employee_id", "=", reps[0].id)]
        )
        self.assertEqual(annual.score, 90.0, "mean of the (one) quarterly result")

    def test_ranks_flags_and_most_improved(self):
        reps = self.reps.sorted("name")
        self._month(10, [90, 80, 70])
        _period, evaluations = self._month(11, [85, 95, 95])
        by_employee = {e.employee_id: e for e in evaluations}
        self.assertEqual([by_employee[r].rank_company for r in reps], [3, 1, 1])
        self.assertEqual([by_employee[r].rank_department for r in reps], [3, 1, 1])
        self.assertEqual(
            [by_employee[r].rank_flag for r in reps], [False, "excellence", "excellence"]
        )
        self.assertEqual([by_employee[r].most_improved for r in reps], [False, False, True])
        self.assertEqual(by_employee[reps[2]].previous_score, 70.0)

    def test_correcting_one_evaluation_reranks_the_locked_others(self):
        """An evaluation reopened, corrected and approved again (an upheld appeal):
        the ranks of the month's other, published evaluations follow; their scores
        and previous month's scores stay as they were."""
        reps = self.reps.sorted("name")
        self._month(10, [90, 80, 70])
        _period, evaluations = self._month(11, [85, 95, 90])
        by_employee = {e.employee_id: e for e in evaluations}
        first = by_employee[reps[0]]
        first.with_user(self.officer).action_reopen("申诉成立，更正服务标准执行扣分")
        first.line_ids.filtered(lambda line: line.indicator_id.name == "服务工作标准执行").write(
            {"actual_value": 0.0}
        )
        first.with_user(self.officer).action_approve()
        self.assertEqual(first.total_score, 100.0)
        self.assertEqual([by_employee[r].rank_company for r in reps], [1, 2, 3])
        self.assertEqual([by_employee[r].state for r in reps[1:]], ["published", "published"])
        self.assertEqual([by_employee[r].total_score for r in reps[1:]], [95.0, 90.0])
        self.assertEqual([by_employee[r].previous_score for r in reps], [90.0, 80.0, 70.0])

    def test_consequences_created_once_with_their_trigger(self):
        reps = self.reps.sorted("name")
        for month in (9, 10, 11):
            self._month(month, [96, 92, 80])
        consequences = self.env["hr.kpi.consequence"].search([("employee_id", "in", reps.ids)])
        promotion = consequences.filtered(lambda c: c.rule == "promotion")
        self.assertEqual(promotion.employee_id, reps[0], "3 consecutive 优秀")
        self.assertEqual(len(promotion.evaluation_ids), 3)
        self.assertIn("2026-09", promotion.description)
        self.assertTrue(promotion.activity_id)
        self.assertEqual(
            (promotion.activity_id.res_model, promotion.activity_id.res_id),
            ("hr.kpi.consequence", promotion.id),
        )
        self.assertIn("2026-11", promotion.activity_id.note)
        award = consequences.filtered(lambda c: c.rule == "no_year_end_award")
        self.assertEqual(award.employee_id, reps[2], "two results below 90 in the year")
        bottom = consequences.filtered(lambda c: c.rule == "bottom_rank")
        self.assertEqual(set(bottom.employee_id.ids), {reps[2].id})
        # running the detection again creates nothing new
        before = len(self.env["hr.kpi.consequence"].search([]))
        evaluations = self.env["hr.kpi.evaluation"].search([("employee_id", "in", reps.ids)])
        self.env["hr.kpi.consequence"]._detect(evaluations)
        self.assertEqual(len(self.env["hr.kpi.consequence"].search([])), before)
