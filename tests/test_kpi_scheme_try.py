from odoo.tests import Form, tagged

from .common import KpiCase


@tagged("post_install", "-at_install")
class TestKpiSchemeTry(KpiCase):
    def _try(self, scheme, values):
        """values: {indicator name: (actual, major)}; returns the wizard."""
        wizard = (
            self.env["hr.kpi.scheme.try"].with_user(self.manager).create({"scheme_id": scheme.id})
        )
        with Form(wizard) as form:
            for index, line in enumerate(wizard.line_ids):
                if line.indicator_id.name in values:
                    actual, major = values[line.indicator_id.name]
                    with form.line_ids.edit(index) as row:
                        row.actual = actual
                        if line.scoring_method == "deduction":
                            row.actual_major = major
        return wizard

    def test_seed_001_service_quality_total(self):
        scheme = self._service_quality_scheme()
        wizard = self._try(
            scheme,
            {"服务工作标准执行": (3, 0), "客户满意度调查": (16, 0), "服务投诉": (1, 0)},
        )
        points = {line.indicator_id.name: line.points for line in wizard.line_ids}
        self.assertEqual(
            points, {"服务工作标准执行": 47.0, "客户满意度调查": 16.0, "服务投诉": 24.0}
        )
        self.assertEqual(wizard.total, 87.0)
        self.assertFalse(wizard.message)

    def test_major_complaint_and_floor(self):
        scheme = self._service_quality_scheme()
        wizard = self._try(
            scheme,
            {"服务工作标准执行": (60, 0), "客户满意度调查": (20, 0), "服务投诉": (1, 1)},
        )
        points = {line.indicator_id.name: line.points for line in wizard.line_ids}
        self.assertEqual(points["服务工作标准执行"], 0.0, "50 - 60 problems is floored at 0")
        self.assertEqual(points["服务投诉"], 12.0, "30 - 6 - 12")
        self.assertEqual(wizard.total, 32.0)

    def test_bad_value_is_shown_not_raised(self):
        scheme = self._service_quality_scheme()
        wizard = self._try(scheme, {"客户满意度调查": (25, 0)})
        line = wizard.line_ids.filtered(lambda l: l.indicator_id.name == "客户满意度调查")
        self.assertTrue(line.error)
        self.assertIn("客户满意度调查", line.error)
        self.assertEqual(wizard.total, 0.0)
        self.assertIn("3", wizard.message)
