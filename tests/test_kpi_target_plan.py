"""Personal target plans (目标责任书 / 工作目标计划表, issue 14) as the real users:
the employee proposes, his superior approves (never himself), HR files; revisions
keep the history; the period's evaluation scores against the approved targets."""

from contextlib import contextmanager
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GROUP_MANAGER, KpiCase

REVENUE, SATISFACTION = "维修产值", "客户满意度"


@tagged("post_install", "-at_install")
class TargetPlanCase(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._scheme(
            [
                {"name": REVENUE, "weight": 60, "scoring_method": "ratio", "target": 100000},
                {
                    "name": SATISFACTION,
                    "weight": 40,
                    "scoring_method": "banded",
                    "target": 90,
                    "stretch": 95,
                },
            ],
            job_ids=[(6, 0, cls.job_rep.ids)],
        )
        cls.scheme.action_activate()
        cls.revenue, cls.satisfaction = cls.scheme.indicator_ids.sorted("sequence")
        cls.boss = cls._employee("王建国")
        cls.boss.user_id = cls.manager
        cls.rep = cls._employee("刘洋", job=cls.job_rep)
        cls.rep.user_id = cls.user
        cls.colleague = cls._employee("陈静", job=cls.job_rep)
        (cls.rep | cls.colleague).parent_id = cls.boss
        cls.period = cls.env["hr.kpi.period"]._get_or_create(
            date(2026, 11, 5), "monthly", cls.company
        )
        # a KPI manager of another team, and a colleague with a login
        cls.other_manager = new_test_user(
            cls.env,
            "kpi_manager_other",
            groups=f"base.group_user,{GROUP_MANAGER}",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.other_boss = cls._employee("赵强")
        cls.other_boss.user_id = cls.other_manager
        cls.colleague_user = new_test_user(
            cls.env,
            "kpi_colleague",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.colleague.user_id = cls.colleague_user

    def _draft(self, user=None, revenue=80000, satisfaction=(85, 88)):
        """The rep's plan for the month, written by `user` (default: the rep)."""
        return (
            self.env["hr.kpi.target.plan"]
            .with_user(user or self.user)
            .create(
                {
                    "employee_id": self.rep.id,
                    "period_id": self.period.id,
                    "company_id": self.company.id,
                    "line_ids": [
                        (0, 0, {"indicator_id": self.revenue.id, "target": revenue}),
                        (
                            0,
                            0,
                            {
                                "indicator_id": self.satisfaction.id,
                                "target": satisfaction[0],
                                "stretch": satisfaction[1],
                            },
                        ),
                    ],
                }
            )
        )

    @contextmanager
    def refused(self, exception, pattern):
        """The call is refused with `pattern` in its message and writes nothing."""
        with self.assertRaisesRegex(exception, pattern), self.env.cr.savepoint():
            yield

    def _approved(self, **kwargs):
        plan = self._draft(**kwargs)
        plan.action_propose()
        plan.with_user(self.manager).action_approve()
        return plan


class TestTargetPlanWorkflow(TargetPlanCase):
    def test_employee_proposes_superior_approves_hr_files(self):
        """Seed 004 第13条: filled in by the person, reviewed by the superior, filed with HR."""
        plan = self._draft()
        self.assertEqual(plan.state, "draft")
        plan.action_propose()
        self.assertEqual((plan.state, plan.proposed_by_id), ("proposed", self.user))
        plan.with_user(self.manager).action_approve()
        self.assertEqual((plan.state, plan.approved_by_id), ("approved", self.manager))
        with self.assertRaises(AccessError):
            plan.with_user(self.manager).action_file()  # HR files, not the superior
        plan.with_user(self.officer).action_file()
        self.assertEqual((plan.state, plan.filed_by_id), ("filed", self.officer))

    def test_nobody_approves_his_own_targets(self):
        """RELIABILITY four-eyes: the employee proposes, never approves."""
        plan = self._draft()
        plan.action_propose()
        with self.assertRaises(AccessError):
            plan.with_user(self.user).action_approve()
        # a KPI manager's own plan goes to his superior too
        own = (
            self.env["hr.kpi.target.plan"]
            .with_user(self.manager)
            .create(
                {
                    "employee_id": self.boss.id,
                    "period_id": self.period.id,
                    "line_ids": [(0, 0, {"indicator_id": self.revenue.id, "target": 500000})],
                }
            )
        )
        own.action_propose()
        with self.refused(AccessError, "nobody approves his own targets"):
            own.action_approve()
        self.assertEqual(own.state, "proposed")

    def test_a_manager_of_another_team_neither_sees_nor_approves(self):
        plan = self._draft()
        plan.action_propose()
        with self.assertRaises(AccessError):
            plan.with_user(self.other_manager).action_approve()
        self.assertFalse(
            self.env["hr.kpi.target.plan"]
            .with_user(self.other_manager)
            .search([("id", "=", plan.id)])
        )
        self.assertFalse(
            self.env["hr.kpi.target.plan"]
            .with_user(self.colleague_user)
            .search([("id", "=", plan.id)])
        )
        self.assertEqual(
            self.env["hr.kpi.target.plan"].with_user(self.officer).search([("id", "=", plan.id)]),
            plan,
        )

    def test_state_and_approver_change_only_through_the_buttons(self):
        """RELIABILITY protected fields: neither a write nor a create sets them."""
        plan = self._draft()
        for vals in ({"state": "approved"}, {"approved_by_id": self.manager.id}, {"version": 5}):
            with self.assertRaises(AccessError):
                plan.write(vals)
            with self.assertRaises(AccessError):
                plan.with_user(self.manager).write(vals)
        with self.assertRaises(AccessError):
            self.env["hr.kpi.target.plan"].with_user(self.manager).create(
                {"employee_id": self.colleague.id, "period_id": self.period.id, "state": "approved"}
            )
        self.assertEqual(plan.state, "draft")

    def test_targets_are_locked_once_proposed(self):
        plan = self._draft()
        plan.action_propose()
        with self.refused(UserError, "only through a revision"):
            plan.line_ids[0].write({"target": 1})
        with self.assertRaises(UserError):
            plan.line_ids[0].unlink()
        with self.assertRaises(UserError):
            plan.write({"period_id": self.period.id})
        with self.assertRaises(UserError):
            plan.unlink()
        self.assertEqual(plan.line_ids[0].target, 80000)
        # sent back, the author corrects it
        plan.with_user(self.manager).action_send_back()
        plan.line_ids[0].write({"target": 85000})
        self.assertEqual(plan.line_ids[0].target, 85000)

    def test_bad_targets_are_refused_in_words(self):
        with self.refused(ValidationError, "stretch target must be at or above"):
            self._draft(satisfaction=(85, 80))
        with self.refused(ValidationError, "a target is required"):
            self._draft(revenue=0)
        plan = self._draft()
        plan.line_ids.unlink()
        with self.refused(UserError, "no target to propose"):
            plan.action_propose()

    def test_one_plan_being_written_and_one_in_force_per_period(self):
        self._approved()
        with self.refused(UserError, "in force for this period"):
            second = self._draft(user=self.manager)
            second.action_propose()
            second.action_approve()
        plan = self.env["hr.kpi.target.plan"].search(
            [("employee_id", "=", self.rep.id), ("state", "=", "draft")]
        )
        self.assertFalse(plan)
        self._draft()
        with self.refused(UserError, "already being written"):
            self._draft()


class TestTargetPlanRevision(TargetPlanCase):
    def test_revision_keeps_the_history_and_supersedes_on_approval(self):
        """Seed 004 第14条: adjusted during the period, reviewed by the superior."""
        plan = self._approved()
        action = plan.action_revise()
        revision = self.env["hr.kpi.target.plan"].browse(action["res_id"])
        self.assertEqual(
            (revision.state, revision.version, revision.previous_id), ("draft", 2, plan)
        )
        self.assertEqual(revision.line_ids.mapped("target"), [80000, 85])
        revision.line_ids[0].write({"target": 70000})
        with self.refused(UserError, "say why"):
            revision.action_propose()
        revision.write({"revision_reason": "主机厂调整季度任务"})
        revision.action_propose()
        self.assertEqual(plan.state, "approved")  # in force until the revision is approved
        revision.with_user(self.manager).action_approve()
        self.assertEqual((plan.state, revision.state), ("superseded", "approved"))
        self.assertEqual(plan.line_ids[0].target, 80000)  # the old version unchanged
        self.assertEqual(revision.history_ids, plan | revision)
        with self.assertRaises(UserError):
            plan.action_revise()  # a superseded version is history


class TestScoringAgainstPersonalTargets(TargetPlanCase):
    def _scored(self):
        evaluations = (
            self.env["hr.kpi.evaluation"].with_company(self.company)._generate(self.period)
        )
        evaluations.with_user(self.officer).action_start()
        values = {REVENUE: 100000, SATISFACTION: 88}
        for line in evaluations.line_ids:
            line.with_user(self.manager).write({"actual_value": values[line.indicator_id.name]})
        evaluations.with_user(self.manager).action_compute_scores()
        return {e.employee_id: e for e in evaluations}

    def _line(self, evaluation, indicator):
        return evaluation.line_ids.filtered(lambda line: line.indicator_id == indicator)

    def test_approved_targets_score_the_evaluation(self):
        """100,000 against the rep's own 80,000 is 125 %; against the scheme's
        100,000 the colleague's is 100 %. 88 reaches the rep's stretch (88): 5
        band points; the colleague's 88 is under the scheme's 90: 3."""
        self._approved()
        evaluations = self._scored()
        mine, theirs = evaluations[self.rep], evaluations[self.colleague]
        revenue = self._line(mine, self.revenue)
        self.assertEqual((revenue.target, revenue.personal_target), (80000, True))
        self.assertEqual(revenue.points, 125.0)
        self.assertEqual(self._line(theirs, self.revenue).points, 100.0)
        satisfaction = self._line(mine, self.satisfaction)
        self.assertEqual((satisfaction.target, satisfaction.stretch), (85, 88))
        self.assertEqual(satisfaction.points, 5.0)
        other = self._line(theirs, self.satisfaction)
        self.assertEqual((other.target, other.stretch, other.personal_target), (90, 95, False))
        self.assertEqual(other.points, 3.0)

    def test_a_plan_not_yet_approved_does_not_count(self):
        self._draft().action_propose()
        mine = self._scored()[self.rep]
        line = self._line(mine, self.revenue)
        self.assertEqual((line.target, line.points, line.personal_target), (100000, 100.0, False))

    def test_revised_targets_score_once_approved(self):
        plan = self._approved()
        revision = self.env["hr.kpi.target.plan"].browse(plan.action_revise()["res_id"])
        revision.line_ids[0].write({"target": 125000})
        revision.write({"revision_reason": "季度任务上调"})
        revision.action_propose()
        revision.with_user(self.manager).action_approve()
        line = self._line(self._scored()[self.rep], self.revenue)
        self.assertEqual((line.target, line.points), (125000, 80.0))

    def test_no_revision_once_the_evaluation_is_approved(self):
        plan = self._approved()
        mine = self._scored()[self.rep]
        mine.sudo()._kpi_write({"state": "approved"})  # fixture: the month is closed
        revision = self.env["hr.kpi.target.plan"].browse(plan.action_revise()["res_id"])
        revision.write({"revision_reason": "补录"})
        revision.action_propose()
        with self.refused(UserError, "already approved"):
            revision.with_user(self.manager).action_approve()
        self.assertEqual((plan.state, revision.state), ("approved", "proposed"))


class TestTargetPlanOwnership(TargetPlanCase):
    """Issue 19 example 2: a plan, its revisions and their targets stay with the
    employee they were written for."""

    def test_a_revision_is_not_moved_to_a_colleague(self):
        """RELIABILITY #43: the rep moves his draft revision to his colleague: refused
        for him, his superior and HR, in every state; approving the revision then
        supersedes only the rep's own plan, not the colleague's."""
        theirs = (
            self.env["hr.kpi.target.plan"]
            .with_user(self.colleague_user)
            .create(
                {
                    "employee_id": self.colleague.id,
                    "period_id": self.period.id,
                    "line_ids": [(0, 0, {"indicator_id": self.revenue.id, "target": 90000})],
                }
            )
        )
        theirs.action_propose()
        theirs.with_user(self.manager).action_approve()
        plan = self._approved()
        revision = self.env["hr.kpi.target.plan"].browse(plan.action_revise()["res_id"])
        revision.write({"revision_reason": "调整"})
        revision.with_user(self.user).write({"employee_id": self.rep.id})  # no change
        for state_action in (None, "action_propose"):
            if state_action:
                getattr(revision, state_action)()
            for user in (self.user, self.manager, self.officer):
                with self.refused(UserError, "A target plan keeps its Employee"):
                    revision.with_user(user).write({"employee_id": self.colleague.id})
        with self.refused(UserError, "A target plan keeps its Employee"):
            plan.with_user(self.officer).write({"employee_id": self.colleague.id})
        revision.with_user(self.manager).action_approve()
        self.assertEqual(revision.employee_id, self.rep)
        self.assertEqual(
            (plan.state, revision.state, theirs.state), ("superseded", "approved", "approved")
        )
        self.assertEqual(theirs.line_ids.target, 90000)

    def test_a_revision_revises_the_same_employees_plan(self):
        """RELIABILITY #43: the previous plan is set by Revise only, and is the same
        employee's plan of the same period (a constraint, even for the superuser)."""
        mine = self._approved()
        Plan = self.env["hr.kpi.target.plan"]
        with self.refused(AccessError, "Revises"):
            Plan.with_user(self.manager).create(
                {
                    "employee_id": self.colleague.id,
                    "period_id": self.period.id,
                    "previous_id": mine.id,
                }
            )
        draft = Plan.with_user(self.colleague_user).create(
            {"employee_id": self.colleague.id, "period_id": self.period.id}
        )
        with self.refused(AccessError, "Revises"):
            draft.write({"previous_id": mine.id})
        with self.refused(ValidationError, "same employee and period"):
            draft.sudo().write({"previous_id": mine.id})
        self.assertFalse(draft.previous_id)
        revision = Plan.browse(mine.action_revise()["res_id"])
        november = self.period.date_from
        december = self.env["hr.kpi.period"]._get_or_create(
            november.replace(month=12), "monthly", self.company
        )
        with self.refused(ValidationError, "same employee and period"):
            revision.write({"period_id": december.id})
        self.assertEqual((revision.previous_id, revision.period_id), (mine, self.period))

    def test_targets_are_finite_bounded_numbers(self):
        """RELIABILITY #42: NaN, ±inf, −1, 1e308, a 100,000-digit string and text as a
        target are refused with a message naming the field; nothing is written."""
        with self.refused(ValidationError, r"^Target cannot be below 0"):
            self._draft(revenue=-1)
        plan = self._draft()
        line = plan.line_ids.filtered(lambda target: target.indicator_id == self.revenue)
        for bad in (
            float("nan"),
            float("inf"),
            float("-inf"),
            -1,
            1e308,
            "9" * 100000,
            "abc",
            "80000",
            10**400,
        ):
            with self.refused(ValidationError, r"^Target (must|cannot)"):
                line.write({"target": bad})
            with self.refused(ValidationError, r"^Stretch Target (must|cannot)"):
                line.write({"stretch": bad})
        self.assertEqual((line.target, line.stretch), (80000, 0))
        # a target moves to no other plan
        other = (
            self.env["hr.kpi.target.plan"]
            .with_user(self.colleague_user)
            .create({"employee_id": self.colleague.id, "period_id": self.period.id})
        )
        with self.refused(UserError, "stays in its plan"):
            line.write({"plan_id": other.id})
        self.assertEqual(line.plan_id, plan)
        # nor is a target added to a colleague's plan by the rep
        with self.refused(AccessError, ""):
            self.env["hr.kpi.target.plan.line"].with_user(self.user).create(
                {"plan_id": other.id, "indicator_id": self.revenue.id, "target": 1}
            )
        self.assertFalse(other.line_ids)
