"""Attainment by month, quarter or year to date (seed 000 浙江和通, 指标按月取数):
a monthly evaluation line compares the month's figure with its target, or the
quarter's or the year's figures to date, read from the earlier months' evaluation
lines of the same person and indicator; with the option, achieved in the quarter or
cumulatively counts as achieved. A veto item missed stays missed for its month."""

from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import KpiCase

REVENUE = "维修收入"


@tagged("post_install", "-at_install")
class AttainmentCase(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.advisor = cls._employee("服务顾问甲", job=cls.job_rep)

    def _activate(self, **indicator):
        scheme = self._scheme(
            [
                dict(
                    {
                        "name": REVENUE,
                        "code": "REVENUE",
                        "weight": 100,
                        "scoring_method": "ratio",
                        "target": 100,
                        "rater_role": "hr",
                    },
                    **indicator,
                )
            ],
            job_ids=[(6, 0, self.job_rep.ids)],
            grade_scale_id=self.env.ref("hr_kpi_service.grade_scale_pass").id,
        )
        scheme.action_activate()
        return scheme

    def _score(self, month, actual):
        """The advisor's evaluation of `month` (2026) with `actual`, scored by HR."""
        period = self.env["hr.kpi.period"]._get_or_create(
            date(2026, month, 1), "monthly", self.company
        )
        evaluation = self.env["hr.kpi.evaluation"].search([("period_id", "=", period.id)])
        if not evaluation:
            evaluation = self.env["hr.kpi.evaluation"].with_company(self.company)._generate(period)
        evaluation.line_ids.write({"actual_value": actual})
        evaluation.with_user(self.officer).action_start()
        evaluation.with_user(self.officer).action_compute_scores()
        return evaluation

    def _points(self, evaluation):
        return evaluation.line_ids.points


class TestAttainment(AttainmentCase):
    def test_monthly_by_default(self):
        self._activate()
        self._score(1, 120)
        february = self._score(2, 90)
        self.assertEqual(self._points(february), 90.0)  # 90 of 100

    def test_quarter_to_date(self):
        """February scores January + February: 210 of 200 (105 %)."""
        self._activate(attainment_basis="quarterly")
        self._score(1, 120)
        february = self._score(2, 90)
        self.assertEqual(self._points(february), 105.0)
        self.assertEqual(february.line_ids.scored_on, "Quarter to date: 210 of 200")
        # April starts a new quarter: April alone
        april = self._score(4, 95)
        self.assertEqual(self._points(april), 95.0)

    def test_year_to_date_averaged(self):
        """A rate averages the months: (80 + 100 + 96) / 3 = 92 against 100."""
        self._activate(attainment_basis="cumulative", attainment_aggregate="average")
        self._score(1, 80)
        self._score(2, 100)
        march = self._score(3, 96)
        self.assertEqual(self._points(march), 92.0)
        self.assertEqual(march.line_ids.scored_on, "Year to date: 92 of 100")

    def test_achieved_in_the_quarter_counts(self):
        """当季度完成或累计数完成，都算完成: February alone misses (90 of 100), the
        quarter to date reaches 210 of 200, so February is scored on the quarter."""
        self._activate(attainment_lenient=True)
        january = self._score(1, 120)
        self.assertEqual(self._points(january), 120.0)  # the month reached: its own figure
        self.assertFalse(january.line_ids.scored_on)
        february = self._score(2, 90)
        self.assertEqual(self._points(february), 105.0)
        self.assertEqual(february.line_ids.scored_on, "Quarter to date: 210 of 200")
        # missed in the month, the quarter and the year: the month's own figure
        march = self._score(3, 50)
        self.assertEqual(self._points(march), 50.0)

    def test_a_missed_veto_is_not_paid_back(self):
        """RELIABILITY: a veto item missed in January vetoes January; February's
        cumulative achievement counts for February, not for January, even when
        January is scored again afterwards (后期累计数达成也不再补发)."""
        self._activate(is_veto=True, attainment_lenient=True)
        january = self._score(1, 90)
        self.assertTrue(january.vetoed)
        february = self._score(2, 130)  # 220 of 200 to date
        self.assertFalse(february.vetoed)
        january.with_user(self.officer).action_compute_scores()
        self.assertTrue(january.vetoed)
        self.assertEqual(self._points(january), 90.0)

    def test_a_lenient_veto_counts_the_quarter(self):
        """February misses alone (90) but the quarter to date is reached: no veto."""
        self._activate(is_veto=True, attainment_lenient=True)
        self._score(1, 120)
        february = self._score(2, 90)
        self.assertFalse(february.vetoed)

    def test_only_target_methods_and_monthly_schemes(self):
        with self.assertRaises(ValidationError):
            self._scheme(
                [
                    {
                        "name": REVENUE,
                        "weight": 100,
                        "scoring_method": "likert",
                        "attainment_basis": "quarterly",
                    }
                ]
            )
        with self.assertRaises(ValidationError):
            self._scheme(
                [
                    {
                        "name": REVENUE,
                        "weight": 100,
                        "scoring_method": "ratio",
                        "target": 100,
                        "attainment_lenient": True,
                    }
                ],
                period_type="quarterly",
            )

    def test_earlier_months_in_constant_queries(self):
        """The earlier months of the whole batch are read in the same number of
        queries for 2 and for 8 advisors."""
        self._activate(attainment_basis="quarterly")

        def run(month, size):
            self.env["hr.employee"].create(
                [
                    {
                        "name": f"顾问{month}-{n}",
                        "company_id": self.company.id,
                        "job_id": self.job_rep.id,
                    }
                    for n in range(size)
                ]
            )
            for earlier in range(month - 2, month):
                self._score(earlier, 100)
            period = self.env["hr.kpi.period"]._get_or_create(
                date(2026, month, 1), "monthly", self.company
            )
            evaluations = self.env["hr.kpi.evaluation"].with_company(self.company)._generate(period)
            evaluations.line_ids.write({"actual_value": 100})
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["hr.kpi.evaluation.line"].browse(evaluations.line_ids.ids)._earlier_months()
            return self.env.cr.sql_log_count - before

        self.assertEqual(run(3, 1), run(6, 7))
