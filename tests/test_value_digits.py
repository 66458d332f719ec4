"""Digits that fit the unit (issue 13 item 5): an indicator's actual values show 2
decimals for percentages and averages and none for counts; the evaluation line and
the rater's line read the same figure (the kpi_value widget adds decimals only when
a value has them)."""

from odoo.tests import tagged

from .common import KpiCase


@tagged("post_install", "-at_install")
class TestValueDigits(KpiCase):
    def test_digits_follow_unit_method_and_source(self):
        scheme = self._scheme(
            [
                {"name": "通话量", "weight": 40, "unit": "calls handled", "target": 1000},
                {"name": "一次解决率", "weight": 20, "unit": "%", "target": 90},
                {"name": "预算执行", "weight": 10, "unit": "预算的 %", "target": 100},
                {
                    "name": "客户满意度",
                    "weight": 10,
                    "scoring_method": "likert",
                    "likert_scale": "20",
                    "unit": "分（4–20）",
                },
                {
                    "name": "内部满意度",
                    "weight": 10,
                    "unit": "分",
                    "target": 4.5,
                    "source_type": "survey_average",
                    "source_card_type": "internal",
                },
                {
                    "name": "服务投诉",
                    "weight": 10,
                    "scoring_method": "deduction",
                    "full_points": 10,
                    "deduction_cost": 6,
                    "unit": "次投诉",
                },
            ]
        )
        digits = {i.name: i.value_digits for i in scheme.indicator_ids}
        self.assertEqual(
            digits,
            {
                "通话量": 0,
                "一次解决率": 2,
                "预算执行": 2,
                "客户满意度": 2,
                "内部满意度": 2,
                "服务投诉": 0,
            },
        )
