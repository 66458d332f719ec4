"""Compute Scores and Approve read their inputs in one SQL pass (issue 23,
``hr_kpi_evaluation_scoring``): the same inputs, scores, points, grades and ranks as
the ORM path (``_kpi_scoring_inputs_orm``) and as the records' own per-line scoring
(``_engine_score``, ``no_rater``, ``_total_values``), on random data of every scoring
method and on the demo data; the access checks stay; Approve re-scores from the
current inputs."""

import random
from datetime import date

from odoo.addons.hr_kpi_service.models import hr_kpi_evaluation_access
from odoo.addons.hr_kpi_service.models import hr_kpi_evaluation_scoring as scoring
from odoo.addons.hr_kpi_service.models.kpi_policy import kpi_action_scope
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import GROUP_MANAGER, KpiCase

SEED = 20231123
LINE_RESULTS = ("actual_value", "actual_major", "has_actual", "points", "max_points",
                "weighted_score", "vetoed", "scored_on")
EVALUATION_RESULTS = ("total_score", "missing_count", "vetoed", "grade_band_id",
                      "rank_department", "rank_company", "rank_flag", "most_improved")
THRESHOLD_BANDS = [
    (0, 0, {"lower": 100, "no_upper": True, "value": 0, "sequence": 1}),
    (0, 0, {"lower": 90, "upper": 100, "value": 2, "sequence": 2}),
    (0, 0, {"no_lower": True, "upper": 90, "value": 5, "sequence": 3}),
]
# (indicator values, random actual or None for "no value")
REP_INDICATORS = [
    ({"name": "比率", "weight": 20, "scoring_method": "ratio", "target": 100, "cap": 120},
     lambda r: round(r.uniform(0, 150), 4)),
    ({"name": "档位", "weight": 15, "scoring_method": "banded", "target": 100, "stretch": 120},
     lambda r: round(r.uniform(50, 140), 2)),
    ({"name": "扣分", "weight": 15, "scoring_method": "deduction", "full_points": 20,
      "deduction_cost": 2, "deduction_cost_major": 8},
     lambda r: {"actual_value": r.randint(0, 6), "actual_major": r.randint(0, 2)}),
    ({"name": "阈值", "weight": 10, "scoring_method": "threshold", "full_points": 10,
      "band_ids": THRESHOLD_BANDS},
     lambda r: round(r.uniform(80, 105), 1)),
    ({"name": "满意度", "weight": 10, "scoring_method": "likert", "likert_scale": "20"},
     lambda r: r.choice([20, 16, 12, 8, 4])),
    ({"name": "线性", "weight": 10, "scoring_method": "linear", "direction": "lower",
      "full_points": 10, "linear_limit": 2, "linear_step": 0.5, "linear_points": 2,
      "linear_zero_beyond": 5},
     lambda r: r.choice([0, 1, 2, 2.5, 3, 4.5, 6])),
    ({"name": "逐级", "weight": 10, "scoring_method": "escalating", "full_points": 10},
     lambda r: r.randint(0, 4)),
    ({"name": "上级评分", "weight": 10, "scoring_method": "manual", "rater_role": "superior"},
     lambda r: round(r.uniform(0, 100), 4)),
    ({"name": "罚款", "weight": 0, "scoring_method": "penalty", "penalty_per_unit": 2,
      "penalty_cap": 10},
     lambda r: r.randint(0, 7)),
    ({"name": "否决", "weight": 0, "scoring_method": "veto"}, lambda r: r.choice([0, 1, 1, 1])),
]
LEAD_INDICATORS = [
    ({"name": "团队业绩", "weight": 40, "scoring_method": "ratio", "target": 50},
     lambda r: round(r.uniform(0, 80), 2)),
    ({"name": "上级评价", "weight": 20, "scoring_method": "manual", "rater_role": "superior"},
     lambda r: round(r.uniform(40, 100), 2)),
    ({"name": "同事评价", "weight": 20, "scoring_method": "manual", "rater_role": "peer"},
     lambda r: round(r.uniform(40, 100), 2)),
    ({"name": "下属评价", "weight": 20, "scoring_method": "manual", "rater_role": "subordinate"},
     lambda r: round(r.uniform(40, 100), 2)),
]


@tagged("post_install", "-at_install")
class ScoringCase(KpiCase):
    """Reps on a scheme of every scoring method (two indicators read from confirmed
    incidents: a count, and a ratio with a value when there are none), leads on a
    scheme weighted by rater groups (seed 004: superior, peers, subordinates), random
    values (none, 0, overrides of HR, submitted and draft ratings, vetoes)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rng = random.Random(SEED)
        ref = cls.env.ref
        cls.valid = ref("hr_kpi_service.incident_type_valid_complaint")
        cls.major = ref("hr_kpi_service.incident_type_major_complaint")
        cls.praise = ref("hr_kpi_service.incident_type_commendation")
        sourced = [
            {"name": "投诉", "weight": 0, "scoring_method": "penalty", "penalty_per_unit": 3,
             "penalty_cap": 12, "source_type": "incident_count",
             "source_incident_type_ids": [(6, 0, cls.valid.ids)],
             "source_major_type_ids": [(6, 0, cls.major.ids)]},
            {"name": "投诉率", "weight": 0, "scoring_method": "penalty", "penalty_per_unit": 0.1,
             "penalty_cap": 5, "source_type": "ratio",
             "source_incident_type_ids": [(6, 0, cls.valid.ids)],
             "source_denominator_type_ids": [(6, 0, cls.praise.ids)],
             "source_when_empty": "value", "source_empty_value": 0},
        ]
        cls.rep_scheme = cls._scheme(
            [vals for vals, _value in REP_INDICATORS] + sourced,
            job_ids=[(6, 0, cls.job_rep.ids)],
        )
        cls.rep_scheme.action_activate()
        cls.lead_scheme = cls._scheme(
            [vals for vals, _value in LEAD_INDICATORS],
            job_ids=[(6, 0, cls.job_lead.ids)],
            rater_config_id=ref("hr_kpi_service.rater_config_seed004").id,
        )
        cls.lead_scheme.action_activate()
        cls.leads = cls.env["hr.employee"]
        for index in range(6):
            cls.leads |= cls._employee(f"领班{index}", job=cls.job_lead)
        cls.reps = cls.env["hr.employee"]
        for index in range(24):
            rep = cls._employee(f"客服{index:02d}", job=cls.job_rep)
            rep.parent_id = cls.leads[index % len(cls.leads)]
            cls.reps |= rep
        cls.period = cls.env["hr.kpi.period"]._get_or_create(
            date(2026, 11, 5), "monthly", cls.company
        )
        cls.evaluations = cls.env["hr.kpi.evaluation"].with_company(cls.company)._generate(
            cls.period
        )
        cls.evaluations.write({"state": "hr_review"})
        values = {**{v["name"]: f for v, f in REP_INDICATORS},
                  **{v["name"]: f for v, f in LEAD_INDICATORS}}
        for line in cls.evaluations.line_ids:
            value = values.get(line.indicator_id.name)
            if value is None:  # read from the incidents
                continue
            draw = rng.random()
            if draw < 0.12:
                continue  # no value
            if draw < 0.2 and line.scoring_method != "likert":  # 0 is no survey score
                line.write({"actual_value": 0, "actual_major": 0})
                continue
            value = value(rng)
            line.write(value if isinstance(value, dict) else {"actual_value": value})
        overridable = cls.evaluations.line_ids.filtered(
            lambda line: line.indicator_id.name in ("比率", "档位", "上级评分", "阈值", "投诉率")
        )
        for line in rng.sample(list(overridable), 15):
            line.write({"override_active": True, "override_value": rng.choice([0, 1, 12.5])})
        incidents = []
        for rep in cls.reps:
            for kind, count in ((cls.valid, rng.randint(0, 3)), (cls.major, rng.randint(0, 1)),
                                (cls.praise, rng.choice([0, 0, 2, 5]))):
                incidents += [
                    {"employee_id": rep.id, "company_id": cls.company.id, "type_id": kind.id,
                     "date": date(2026, 11, 10), "confirmed": True}
                ] * count
        cls.env["hr.kpi.incident"].create(incidents)
        # raters of the leads: a random set of groups, submitted or still in draft
        Rating = cls.env["hr.kpi.rating"]
        lead_evaluations = cls.evaluations.filtered(lambda e: e.employee_id in cls.leads)
        for evaluation in lead_evaluations:
            for role in ("superior", "peer", "subordinate"):
                raters = rng.sample(list(cls.reps | cls.leads), rng.choice([0, 1, 2]))
                for rater in raters:
                    lines = evaluation.line_ids.filtered(lambda line, r=role: line.rater_role == r)
                    Rating.create(
                        {
                            "evaluation_id": evaluation.id,
                            "rater_employee_id": rater.id,
                            "role": role,
                            "state": rng.choice(["submitted", "submitted", "todo"]),
                            "line_ids": [
                                (0, 0, {"evaluation_line_id": line.id,
                                        "value": round(rng.uniform(30, 100), 3),
                                        "has_value": rng.random() < 0.85})
                                for line in lines
                            ],
                        }
                    )
        cls.env.flush_all()

    def _results(self, evaluations):
        self.env.flush_all()
        self.env.invalidate_all()
        lines = {
            line.id: tuple(line[name] for name in LINE_RESULTS)
            for line in evaluations.line_ids
        }
        totals = {
            evaluation.id: tuple(evaluation[name] for name in EVALUATION_RESULTS)
            for evaluation in evaluations
        }
        return lines, totals

    def _grade_and_rank(self, evaluations, orm=False):
        """Score, grade and rank as the officer, inputs from SQL or from the ORM."""
        if orm:
            self.patch(
                type(self.env["hr.kpi.evaluation"]),
                "_kpi_scoring_inputs_sql",
                lambda records: records._kpi_scoring_inputs_orm(),
            )
        officer = evaluations.with_user(self.officer)
        with kpi_action_scope(officer):
            officer._grade_and_rank()
        return self._results(evaluations)

    def _both_paths(self, evaluations):
        with self.env.cr.savepoint(flush=False) as savepoint:
            by_sql = self._grade_and_rank(evaluations)
            savepoint.rollback()
        self.env.invalidate_all()
        by_orm = self._grade_and_rank(evaluations, orm=True)
        return by_sql, by_orm


class TestScoringSqlPass(ScoringCase):
    def test_inputs_are_those_of_the_orm(self):
        """RELIABILITY #33: the SQL pass reads exactly what the records hold."""
        by_sql = self.evaluations._kpi_scoring_inputs_sql()
        self.env.invalidate_all()
        by_orm = self.evaluations._kpi_scoring_inputs_orm()
        self.assertEqual(by_sql.evaluations, by_orm.evaluations)
        self.assertEqual(list(by_sql.evaluations), self.evaluations.ids)
        self.assertEqual(by_sql.lines, by_orm.lines)
        self.assertEqual(by_sql.rated, by_orm.rated)
        self.assertEqual(by_sql.rater_roles, by_orm.rater_roles)
        lines = [line for rows in by_sql.lines.values() for line in rows]
        self.assertEqual(len(lines), 24 * 12 + 6 * 4)
        # the random data has each kind of input
        self.assertGreater(sum(1 for line in lines if not line.has_actual), 20)
        self.assertGreater(sum(1 for line in lines if line.has_actual and not line.actual_value), 10)
        self.assertEqual(sum(1 for line in lines if line.override_active), 15)
        self.assertGreater(len(by_sql.rated), 5)
        self.assertTrue(any(len(roles) < 3 for roles in by_sql.rater_roles.values()))

    def test_scores_grades_ranks_are_those_of_the_orm(self):
        """RELIABILITY #33: random data of every scoring method gives the same points,
        totals, vetoes, grades and ranks through the SQL pass and the ORM path."""
        (lines_sql, totals_sql), (lines_orm, totals_orm) = self._both_paths(self.evaluations)
        self.assertEqual(lines_sql, lines_orm)
        self.assertEqual(totals_sql, totals_orm)
        totals = [values[0] for values in totals_sql.values()]
        self.assertGreater(len(set(totals)), 20, "random data gives distinct totals")
        self.assertTrue(any(values[2] for values in totals_sql.values()), "a veto")
        self.assertTrue(any(values[1] for values in totals_sql.values()), "a missing value")
        self.assertEqual(
            sorted(values[5] for values in totals_sql.values())[0], 1, "ranked in the company"
        )

    def test_scores_are_the_records_own(self):
        """RELIABILITY #18: what the SQL pass wrote is what each record scores on its
        own: the line's engine score, its rater group (no_rater), the evaluation's
        total and missing count, the scale's grade."""
        evaluations = self.evaluations
        self._grade_and_rank(evaluations)
        personal = {}
        checked_skips = 0
        for evaluation in evaluations:
            scores = []
            for line in evaluation.line_ids:
                if line.no_rater:
                    checked_skips += 1
                    self.assertEqual((line.points, line.weighted_score), (0.0, 0.0))
                    continue
                score, values = line._engine_score({}, personal=personal.get(line.id))
                for name, value in values.items():
                    self.assertAlmostEqual(line[name] or False, value or False, places=4,
                                           msg=f"{line.display_name}: {name}")
                scores.append((line, score))
            expected = evaluation._total_values(scores)
            self.assertAlmostEqual(evaluation.total_score, expected["total_score"], places=2)
            self.assertEqual(evaluation.missing_count, expected["missing_count"])
            self.assertEqual(evaluation.vetoed, expected["vetoed"])
            self.assertEqual(
                evaluation.grade_band_id,
                evaluation.scheme_id.grade_scale_id._band_for(evaluation.total_score),
            )
        self.assertGreater(checked_skips, 0, "a rater group without raters gives its weight away")

    def test_sourced_values_and_overrides(self):
        """The incidents fill the sourced lines, HR's overrides win over them; an empty
        ratio takes its configured value (0)."""
        self._grade_and_rank(self.evaluations)
        rep = self.reps[0]
        evaluation = self.evaluations.filtered(lambda e: e.employee_id == rep)
        complaints = self.env["hr.kpi.incident"].search_count(
            [("employee_id", "=", rep.id), ("type_id", "=", self.valid.id)]
        )
        line = evaluation.line_ids.filtered(lambda line: line.indicator_id.name == "投诉")
        expected = line.override_value if line.override_active else complaints
        self.assertEqual((line.actual_value, line.has_actual), (expected, True))
        overridden = self.evaluations.line_ids.filtered("override_active")
        self.assertEqual(overridden.mapped("actual_value"), overridden.mapped("override_value"))

    def test_demo_data(self):
        """The demo's evaluations (when the database has them): the same inputs through
        both paths, and the same scores for those not locked."""
        demo = self.env["hr.kpi.evaluation"].search(
            [("company_id", "!=", self.company.id), ("state", "!=", "draft")]
        )
        if not demo:
            self.skipTest("no demo evaluations in this database")
        by_sql = demo._kpi_scoring_inputs_sql()
        self.env.invalidate_all()
        by_orm = demo._kpi_scoring_inputs_orm()
        self.assertEqual(by_sql.evaluations, by_orm.evaluations)
        self.assertEqual(by_sql.lines, by_orm.lines)
        self.assertEqual(by_sql.rated, by_orm.rated)
        self.assertEqual(by_sql.rater_roles, by_orm.rater_roles)
        open_ones = demo.filtered(lambda e: e.state in ("self_assessment", "rating", "hr_review"))
        if open_ones:
            for company in open_ones.company_id:
                of_company = open_ones.filtered(lambda e, c=company: e.company_id == c)
                with self.env.cr.savepoint(flush=False) as savepoint:
                    by_sql = self._scores_as_superuser(of_company)
                    savepoint.rollback()
                self.env.invalidate_all()
                with self.env.cr.savepoint(flush=False) as savepoint:
                    by_orm = self._scores_as_superuser(of_company, orm=True)
                    savepoint.rollback()
                self.assertEqual(by_sql, by_orm)

    def _scores_as_superuser(self, evaluations, orm=False):
        inputs = evaluations._kpi_scoring_inputs_orm() if orm else None
        with kpi_action_scope(evaluations):
            evaluations._compute_scores(inputs=inputs)
        lines, totals = self._results(evaluations)
        return lines, {key: values[:3] for key, values in totals.items()}

    def test_query_count_does_not_grow(self):
        """DESIGN §2: the inputs of a batch are read with a constant number of queries."""
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            self.evaluations[:3]._kpi_scoring_inputs_sql()
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            self.evaluations._kpi_scoring_inputs_sql()


@tagged("post_install", "-at_install")
class TestScoringAttainment(KpiCase):
    def test_quarter_to_date_over_a_batch_of_two_months(self):
        """RELIABILITY #33: indicators scored on the quarter or the year to date, with
        a value read from the incidents, for October and November in one batch: the
        same figures through the SQL pass and the ORM path, November adding up
        October's filled value."""
        valid = self.env.ref("hr_kpi_service.incident_type_valid_complaint")
        scheme = self._scheme(
            [
                {"name": "季度业绩", "weight": 60, "scoring_method": "ratio", "target": 100,
                 "attainment_basis": "quarterly"},
                {"name": "年度投诉", "weight": 40, "scoring_method": "banded", "target": 3,
                 "stretch": 1, "direction": "lower", "attainment_basis": "cumulative",
                 "source_type": "incident_count",
                 "source_incident_type_ids": [(6, 0, valid.ids)]},
            ],
            job_ids=[(6, 0, self.job_rep.ids)],
        )
        scheme.action_activate()
        rng = random.Random(SEED)
        people = [self._employee(f"顾问{index}", job=self.job_rep) for index in range(6)]
        evaluations = self.env["hr.kpi.evaluation"]
        for month in (10, 11):
            period = self.env["hr.kpi.period"]._get_or_create(
                date(2026, month, 1), "monthly", self.company
            )
            evaluations |= self.env["hr.kpi.evaluation"].with_company(self.company)._generate(
                period
            )
            for person in people:
                self.env["hr.kpi.incident"].create(
                    [{"employee_id": person.id, "company_id": self.company.id,
                      "type_id": valid.id, "date": date(2026, month, 3), "confirmed": True}]
                    * rng.randint(0, 3)
                )
        evaluations.write({"state": "hr_review"})
        for line in evaluations.line_ids.filtered(lambda line: line.indicator_id.name == "季度业绩"):
            line.write({"actual_value": round(rng.uniform(40, 140), 2)})
        self.env.flush_all()
        results = []
        for orm in (False, True):
            with self.env.cr.savepoint(flush=False) as savepoint:
                inputs = evaluations._kpi_scoring_inputs_orm() if orm else None
                with kpi_action_scope(evaluations):
                    evaluations._compute_scores(inputs=inputs)
                self.env.flush_all()
                self.env.invalidate_all()
                earlier = evaluations.line_ids._earlier_months()
                for line in evaluations.line_ids:  # each line's own score, as before
                    self.assertEqual(
                        line.points, line._engine_score({}, earlier=earlier)[1]["points"]
                    )
                results.append(
                    {
                        line.id: tuple(line[name] for name in LINE_RESULTS)
                        for line in evaluations.line_ids
                    }
                    | {
                        -evaluation.id: (evaluation.total_score, evaluation.missing_count)
                        for evaluation in evaluations
                    }
                )
                savepoint.rollback()
            self.env.invalidate_all()
        self.assertEqual(results[0], results[1])
        notes = {
            (line.employee_id, line.indicator_id, line.evaluation_id.period_id.date_from.month):
            results[0][line.id][-1]
            for line in evaluations.line_ids
        }
        self.assertTrue(all(notes.values()), "scored on the quarter or the year to date")
        self.assertTrue(
            any(notes[(e, i, 11)] != notes[(e, i, 10)] for e, i, _month in notes),
            "November adds up October's figures",
        )


class TestScoringAccess(ScoringCase):
    def test_rules_checked_before_the_sql_pass(self):
        """RELIABILITY #4: a manager scores only the evaluations his record rules give
        him; a batch with one of another department is refused before anything is
        read or written, and the lines of the others are untouched."""
        other = self._employee("其他部门经理", department=False)
        manager_user = new_test_user(
            self.env, "kpi_lead_other_t", groups=f"base.group_user,{GROUP_MANAGER}",
            company_id=self.company.id, company_ids=[(6, 0, self.company.ids)],
        )
        other.user_id = manager_user
        self.leads[0].parent_id = other
        mine = self.evaluations.filtered(
            lambda e: e.employee_id == self.leads[0] or e.employee_id.parent_id == self.leads[0]
        )
        before = self._results(self.evaluations - mine)
        with self.assertRaises(AccessError):
            self.evaluations.with_user(manager_user).action_compute_scores()
        self.env.invalidate_all()
        mine.with_user(manager_user).action_compute_scores()
        self.assertEqual(self._results(self.evaluations - mine), before)
        self.assertTrue(any(mine.mapped("total_score")))

    def test_large_batch_rule_check_is_odoos(self):
        """The record rules of a batch of 50 or more are one query with Odoo's own
        answer: allowed for the officer, refused for a manager outside his team."""
        manager_user = new_test_user(
            self.env, "kpi_mgr_none_t", groups=f"base.group_user,{GROUP_MANAGER}",
            company_id=self.company.id, company_ids=[(6, 0, self.company.ids)],
        )
        self.patch(hr_kpi_evaluation_access, "BULK_RULE_CHECK", 2)
        self.evaluations.with_user(self.officer).check_access("write")
        self.assertFalse(self.evaluations.with_user(manager_user).has_access("write"))
        allowed = self.evaluations.with_user(manager_user)._filtered_access("read")
        self.assertFalse(allowed)


class TestApproveRescores(ScoringCase):
    def test_value_changed_after_compute_scores_is_approved(self):
        """RELIABILITY #31, #39: an input changed after Compute Scores is scored again
        by Approve: the approved score is the new one, never the stale one."""
        evaluation = self.evaluations.filtered(lambda e: e.employee_id == self.reps[1])
        self._complete(evaluation)
        veto = evaluation.line_ids.filtered(lambda line: line.indicator_id.name == "否决")
        veto.write({"actual_value": 1, "override_active": False})
        evaluation.with_user(self.officer).action_compute_scores()
        stale = evaluation.total_score
        self.assertFalse(evaluation.vetoed)
        ratio = evaluation.line_ids.filtered(lambda line: line.indicator_id.name == "比率")
        ratio.write({"override_active": False})
        new_value = 0 if ratio.actual_value >= 60 else 120
        ratio.write({"actual_value": new_value})  # after Compute Scores
        self.env.flush_all()
        self.env.invalidate_all()
        evaluation.with_user(self.officer).action_approve()
        self.assertEqual(evaluation.state, "approved")
        self.assertNotEqual(evaluation.total_score, stale)
        self.assertEqual(ratio.actual_value, new_value)
        expected = ratio._engine_score({})[1]["points"]
        self.assertEqual(ratio.points, expected)
        # what each record scores on its own now
        scores = [
            (line, line._engine_score({})[0]) for line in evaluation.line_ids
        ]
        self.assertAlmostEqual(
            evaluation.total_score, evaluation._total_values(scores)["total_score"], places=2
        )

    def _complete(self, evaluations):
        """A valid value on every line without one."""
        valid = {"likert": 16, "veto": 1}
        for line in evaluations.line_ids.filtered(lambda line: not line.has_actual):
            line.write({"actual_value": valid.get(line.scoring_method, 1)})

    def test_approve_writes_nothing_when_nothing_changed(self):
        """Approve after Compute Scores re-reads the inputs and finds the lines scored:
        no line is written again (the bulk UPDATE is skipped)."""
        evaluations = self.evaluations.filtered(lambda e: e.employee_id in self.reps[:4])
        self._complete(evaluations)
        evaluations.with_user(self.officer).action_compute_scores()
        self.env.flush_all()
        written = []
        original = type(self.env["hr.kpi.evaluation.line"])._kpi_write_bulk

        def spy(lines, values_by_line, checked, *args, **kwargs):
            written.append(len(values_by_line))
            return original(lines, values_by_line, checked, *args, **kwargs)

        self.patch(type(self.env["hr.kpi.evaluation.line"]), "_kpi_write_bulk", spy)
        evaluations.with_user(self.officer).action_approve()
        self.assertEqual(written, [0])
        self.assertEqual(set(evaluations.mapped("state")), {"approved"})


# the module's constants the tests rely on
assert scoring.RESULT_FIELDS == ("points", "max_points", "weighted_score", "vetoed", "scored_on")
