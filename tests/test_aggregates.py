"""Grouped lists and pivots of hr_kpi_service show meaningful aggregates (issue 12):
scores are averaged, ranks, thresholds and parameters are never summed."""

from odoo.tests import TransactionCase, tagged

AVERAGED = {
    "hr.kpi.evaluation": ("total_score", "previous_score"),
    "hr.kpi.evaluation.line": ("actual_value", "points"),
    "hr.kpi.result": ("score",),
    "hr.kpi.rating.line": ("value",),
    "hr.kpi.survey": ("average",),
    "hr.kpi.star.month": ("stars", "score", "pay_score", "skill_score"),
    "hr.kpi.star.review.line": ("quarter_score", "stars", "skill_score"),
}
NOT_AGGREGATED = {
    "hr.kpi.evaluation": ("rank_department", "rank_company"),
    "hr.kpi.evaluation.line": ("weight", "max_points"),
    "hr.kpi.grade.band": ("min_score",),
    "hr.kpi.indicator": ("target", "stretch", "cap", "manual_max", "linear_limit"),
    "hr.kpi.indicator.band": ("lower", "upper", "value"),
    "hr.kpi.rater.config.row": ("weight_superior", "weight_peer"),
    "hr.kpi.star.level": ("stars", "min_score", "min_skill"),
    "hr.kpi.star.review": ("five_star_pct", "attendance_limit", "five_star_quota"),
}


@tagged("post_install", "-at_install")
class TestAggregates(TransactionCase):
    def test_scores_are_averaged(self):
        for model, names in AVERAGED.items():
            for name in names:
                with self.subTest(field=f"{model}.{name}"):
                    self.assertEqual(self.env[model]._fields[name].aggregator, "avg")

    def test_ranks_and_thresholds_are_not_aggregated(self):
        for model, names in NOT_AGGREGATED.items():
            for name in names:
                with self.subTest(field=f"{model}.{name}"):
                    self.assertIsNone(self.env[model]._fields[name].aggregator)

    def test_demo_evaluations_grouped_by_period_average_their_scores(self):
        """read_group as the list and pivot group them: the mean of the period's scores,
        no rank total."""
        evaluations = self.env["hr.kpi.evaluation"].search([("state", "!=", "draft")])
        if not evaluations:
            self.skipTest("needs the demo's evaluations")
        period = evaluations[0].period_id
        of_period = evaluations.filtered(lambda e: e.period_id == period)
        [(score,)] = self.env["hr.kpi.evaluation"]._read_group(
            [("id", "in", of_period.ids)], [], ["total_score:avg"]
        )
        self.assertAlmostEqual(score, sum(of_period.mapped("total_score")) / len(of_period), 2)
        groups = self.env["hr.kpi.evaluation"].read_group(
            [("id", "in", of_period.ids)], ["total_score", "rank_company"], ["period_id"]
        )
        self.assertAlmostEqual(groups[0]["total_score"], score, 2)
        self.assertNotIn("rank_company", groups[0])
