"""The five shipped scheme templates: structure, "copy as new scheme", sample totals.

The sample values and their contributions are the ones the author of the
templates computed by hand (see each template's note); the try wizard must
reproduce them through the scoring engine.
"""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import KpiCase

MODULE = "hr_kpi_service"

# {indicator code: (actual, major incidents, expected weighted contribution)}
MANAGER_BSC = {
    "BSC_DEPT_BUDGET": (92, 0, 10.0),  # lower is better, <= stretch 95: 5 / 5 x 10
    "BSC_ACTIVITY_BUDGET": (100, 0, 4.0),  # at target: 4 / 5 x 5
    "BSC_INTERNAL_SATISFACTION": (85, 0, 8.0),  # target 80 met: 4 / 5 x 10
    "BSC_EXTERNAL_SATISFACTION": (4.2, 0, 8.4),  # Likert 4.2 / 5 x 10
    "BSC_REPEAT_COMPLAINT": (2, 0, 5.0),  # stretch 2 reached: 5 / 5 x 5
    "BSC_DATABASE_UPDATE": (6, 0, 8.0),  # target 6 met: 4 / 5 x 10
    "BSC_MANAGEMENT_RULES": (4, 0, 8.0),  # Likert 4 / 5 x 10
    "BSC_ANALYSIS_REPORTS": (2, 0, 10.0),  # stretch 2 reached: 5 / 5 x 10
    "BSC_COMPLAINT_TIMELINESS": (70, 0, 6.0),  # >= 80 % of 80: 3 / 5 x 10
    "BSC_SUPPLIER_EXCHANGES": (1, 0, 2.0),  # below 80 % of 3: 2 / 5 x 5
    "BSC_TRAINING_HOURS": (12, 0, 5.0),  # stretch 12 reached: 5 / 5 x 5
    "BSC_KNOWLEDGE_SHARING": (3, 0, 8.0),  # target 3 met: 4 / 5 x 10
}
SERVICE_QUALITY = {
    "SQ_STANDARDS": (3, 0, 47.0),  # 50 - 3 x 1
    "SQ_SATISFACTION": (16, 0, 16.0),  # Likert 20 scale
    "SQ_COMPLAINTS": (1, 0, 24.0),  # 30 - 1 x 6, no major complaint
}
REP_MONTHLY = {
    "REP_WORKLOAD": (1100, 0, 22.0),  # 110 % x 20
    "REP_ERROR_RATE": (2.0, 0, 11.0),  # 2 whole 0.5 steps past 1: 15 - 2 x 2
    "REP_SEAT_OCCUPANCY": (76, 0, 12.0),  # 76 / 95 = 80 % x 15
    "REP_COMPLAINT_HANDLING": (96, 0, 9.0),  # band [95, 100): -1
    "REP_SATISFACTION": (100, 0, 10.0),  # band [100, +inf): -0
    "REP_CALLBACK_AUTHENTICITY": (2, 0, 8.0),  # band [2, 3): -2
    "REP_DAILY_TASKS": (90, 0, 9.0),  # manual 90 / 100 x 10
    "REP_REPORT_TRUTHFULNESS": (1, 0, 8.0),  # 10 - 1 x 2
    "REP_AUDIT_PENALTY": (4, 0, -4.0),  # taken from the total, cap 10
}
LEAD_MONTHLY = {
    "LEAD_TEAM_WORKLOAD": (8800, 0, 16.5),  # 110 % x 15
    "LEAD_TEAM_SATISFACTION": (99, 0, 9.0),  # band [95, 100): -1
    "LEAD_SEAT_COVERAGE": (95, 0, 5.0),  # 100 % x 5
    "LEAD_FLOOR_PATROL": (2, 0, 7.5),  # 10 - 1 - 1.5
    "LEAD_HANDOVER": (1, 0, 8.0),  # 10 - 2
    "LEAD_ATTITUDE_COMPLAINTS": (0, 0, 10.0),  # band (-inf, 1): -0
    "LEAD_TRAINING_SESSIONS": (3, 0, 7.5),  # 3 / 4 = 75 % x 10
    "LEAD_TRAINING_PASS_RATE": (87, 0, 8.5),  # 3 points below 90: 10 - 3 x 0.5
    "LEAD_REPORT_TIMELINESS": (100, 0, 10.0),  # band [100, +inf): -0
    "LEAD_DAILY_MANAGEMENT": (80, 0, 8.0),  # manual 80 / 100 x 10
}
MANAGER_LEVEL = {
    "MGR_BUSINESS_TARGETS": (130, 0, 24.0),  # capped at 120 % x 20
    "MGR_TASK_COMPLETION": (90, 0, 9.0),  # 90 % x 10
    "MGR_NO_MAJOR_INCIDENT": (1, 0, 5.0),  # veto item achieved
    "MGR_WORK_PROCEDURES": (1, 0, 4.0),  # 5 - 1
    "MGR_WEEKLY_MEETING": (0, 0, 5.0),  # no finding
    "MGR_STAFF_TRAINING": (2, 0, 2.5),  # 5 - 1 - 1.5
    "MGR_STAFF_TURNOVER": (4, 0, 6.0),  # 2 whole steps past 2: 10 - 2 x 2
    "MGR_STAFF_MORALE": (0, 0, 5.0),  # no finding
    "MGR_TEAM_BUILDING": (80, 0, 4.0),  # manual 80 / 100 x 5
    "MGR_ANALYSIS": (80, 0, 5.6),  # manual 80 / 100 x 7
    "MGR_COMMUNICATION": (90, 0, 6.3),  # manual 90 / 100 x 7
    "MGR_INNOVATION": (75, 0, 4.5),  # manual 75 / 100 x 6
    "MGR_ATTITUDE": (100, 0, 5.0),  # manual 100 / 100 x 5
    "MGR_INTEGRITY": (3, 0, 0.0),  # 5 - 1 - 1.5 - 2.5
}
MANAGER_LEVEL_VETOED = dict(MANAGER_LEVEL, MGR_NO_MAJOR_INCIDENT=(0, 0, 0.0))

# (label, template XML id, sample values, expected total, expected vetoed)
SAMPLES = [
    ("manager_bsc", "scheme_template_manager_bsc", MANAGER_BSC, 82.4, False),
    ("service_quality", "scheme_template_service_quality", SERVICE_QUALITY, 87.0, False),
    ("rep_monthly", "scheme_template_rep_monthly", REP_MONTHLY, 85.0, False),
    ("lead_monthly", "scheme_template_lead_monthly", LEAD_MONTHLY, 90.0, False),
    ("manager_level", "scheme_template_manager_level", MANAGER_LEVEL, 85.9, False),
    ("manager_level_vetoed", "scheme_template_manager_level", MANAGER_LEVEL_VETOED, 80.9, True),
]
TEMPLATES = [
    "scheme_template_manager_bsc",
    "scheme_template_service_quality",
    "scheme_template_rep_monthly",
    "scheme_template_lead_monthly",
    "scheme_template_manager_level",
]


def _band_key(band):
    return (band.sequence, band.no_lower, band.lower, band.no_upper, band.upper, band.value)


@tagged("post_install", "-at_install")
class TestSchemeTemplates(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.templates = {
            xmlid: cls.env.ref(f"{MODULE}.{xmlid}") for xmlid in TEMPLATES
        }

    # -- helpers -----------------------------------------------------------
    def _copy_as_officer(self, template):
        """"Copy as new scheme" as the KPI officer working in self.company."""
        action = template.with_user(self.officer).with_context(
            allowed_company_ids=self.company.ids
        ).action_copy_as_new()
        self.assertEqual(action["res_model"], "hr.kpi.scheme")
        return self.env["hr.kpi.scheme"].with_user(self.officer).with_context(
            allowed_company_ids=self.company.ids
        ).browse(action["res_id"])

    def _try(self, scheme, values):
        """values: {indicator code: (actual, major, ...)}; returns the saved wizard."""
        wizard = self.env["hr.kpi.scheme.try"].with_user(self.manager).create(
            {"scheme_id": scheme.id}
        )
        with Form(wizard) as form:
            for index, line in enumerate(wizard.line_ids):
                if line.indicator_id.code in values:
                    actual, major = values[line.indicator_id.code][:2]
                    with form.line_ids.edit(index) as row:
                        row.actual = actual
                        if line.scoring_method == "deduction":
                            row.actual_major = major
        return wizard

    # -- the templates themselves ------------------------------------------
    def test_templates_are_company_less_drafts(self):
        for xmlid, template in self.templates.items():
            with self.subTest(template=xmlid):
                self.assertTrue(template.is_template, f"{xmlid} must be a template")
                self.assertFalse(template.company_id, f"{xmlid} must have no company")
                self.assertEqual(template.state, "draft", f"{xmlid} must stay a draft")
                self.assertTrue(template.indicator_ids, f"{xmlid} has indicators")
                self.assertTrue(template.perspective_ids, f"{xmlid} has perspectives")

    def test_template_weights_add_up_to_100(self):
        for xmlid, template in self.templates.items():
            with self.subTest(template=xmlid):
                self.assertEqual(
                    template.perspective_weight_total, 100.0,
                    f"{xmlid}: perspective weights must add up to 100 %",
                )
                self.assertEqual(
                    template.indicator_weight_total, 100.0,
                    f"{xmlid}: indicator weights must add up to 100 %",
                )
                for perspective in template.perspective_ids:
                    self.assertEqual(
                        perspective.weight, perspective.indicator_weight,
                        f"{xmlid}: perspective {perspective.name} weighs "
                        f"{perspective.weight} but its indicators "
                        f"{perspective.indicator_weight}",
                    )

    def test_template_cannot_be_activated(self):
        for xmlid, template in self.templates.items():
            with self.subTest(template=xmlid):
                with self.assertRaises(
                    ValidationError, msg=f"{xmlid}: a template cannot be activated"
                ):
                    template.with_user(self.officer).action_activate()
                self.assertEqual(template.state, "draft", f"{xmlid} stays a draft")

    # -- copy as new scheme ------------------------------------------------
    def test_copy_as_new_scheme_then_activate(self):
        for xmlid, template in self.templates.items():
            with self.subTest(template=xmlid):
                scheme = self._copy_as_officer(template)
                self.assertNotEqual(scheme, template, f"{xmlid}: a new record")
                self.assertEqual(scheme.state, "draft", f"{xmlid}: the copy is a draft")
                self.assertFalse(scheme.is_template, f"{xmlid}: the copy is no template")
                self.assertEqual(
                    scheme.company_id, self.company,
                    f"{xmlid}: the copy belongs to the officer's current company",
                )
                self.assertEqual(scheme.name, template.name, f"{xmlid}: same name")
                self.assertEqual(
                    len(scheme.indicator_ids), len(template.indicator_ids),
                    f"{xmlid}: same number of indicators",
                )
                self.assertEqual(
                    len(scheme.perspective_ids), len(template.perspective_ids),
                    f"{xmlid}: same number of perspectives",
                )
                self.assertFalse(
                    scheme.indicator_ids & template.indicator_ids,
                    f"{xmlid}: indicators are copied, not shared",
                )
                for indicator in scheme.indicator_ids:
                    self.assertIn(
                        indicator.perspective_id, scheme.perspective_ids,
                        f"{xmlid}: {indicator.code} must point to a perspective of the copy",
                    )
                self.assertEqual(
                    scheme.indicator_ids.mapped("code"), template.indicator_ids.mapped("code"),
                    f"{xmlid}: same indicator codes in the same order",
                )
                source = {i.code: i for i in template.indicator_ids}
                for indicator in scheme.indicator_ids:
                    original = source[indicator.code]
                    self.assertEqual(
                        indicator.perspective_id.name, original.perspective_id.name,
                        f"{xmlid}: {indicator.code} keeps its perspective",
                    )
                    self.assertEqual(
                        sorted(map(_band_key, indicator.band_ids)),
                        sorted(map(_band_key, original.band_ids)),
                        f"{xmlid}: {indicator.code} keeps its bands",
                    )
                    self.assertFalse(
                        indicator.band_ids & original.band_ids,
                        f"{xmlid}: {indicator.code} bands are copied, not shared",
                    )
                    if indicator.scoring_method == "threshold":
                        self.assertTrue(
                            indicator.band_ids, f"{xmlid}: {indicator.code} has bands"
                        )
                self.assertTrue(scheme.action_activate(), f"{xmlid}: activation succeeds")
                self.assertEqual(scheme.state, "active", f"{xmlid}: the copy is active")
                self.assertEqual(template.state, "draft", f"{xmlid}: template untouched")

    def test_copy_with_indicators_at_95_is_refused(self):
        for xmlid, template in self.templates.items():
            with self.subTest(template=xmlid):
                scheme = self._copy_as_officer(template)
                indicator = scheme.indicator_ids._weighted()[:1]
                indicator.weight -= 5
                self.assertEqual(
                    scheme.indicator_weight_total, 95.0, f"{xmlid}: indicators at 95 %"
                )
                with self.assertRaisesRegex(
                    UserError, r"add up to 95 %", msg=f"{xmlid}: refused at 95 %"
                ):
                    scheme.action_activate()
                self.assertEqual(scheme.state, "draft", f"{xmlid}: the copy stays a draft")

    # -- sample totals through the try wizard -------------------------------
    def test_sample_totals(self):
        for label, xmlid, values, total, vetoed in SAMPLES:
            with self.subTest(sample=label):
                template = self.templates[xmlid]
                self.assertEqual(
                    set(values), set(template.indicator_ids.mapped("code")),
                    f"{label}: one sample value per indicator",
                )
                wizard = self._try(template, values)
                self.assertFalse(wizard.message, f"{label}: every indicator is scored")
                for line in wizard.line_ids:
                    code = line.indicator_id.code
                    actual, major, expected = values[code]
                    self.assertFalse(line.error, f"{label}: {code} scores without error")
                    self.assertAlmostEqual(
                        line.weighted_score, expected, places=4,
                        msg=f"{label}: {code} with actual {actual} (major {major}) "
                        f"contributes {expected}",
                    )
                self.assertAlmostEqual(
                    wizard.total, total, places=4, msg=f"{label}: total {total}"
                )
                self.assertEqual(
                    wizard.vetoed, vetoed,
                    f"{label}: {'vetoed' if vetoed else 'not vetoed'}",
                )
