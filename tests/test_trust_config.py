"""Configuration as hostile users would touch it (issue 10, items 8, 10 and 12).

Configuration (grade scales and bands, rater weights and their rows, incident types,
survey cards and questions, star levels) belongs to a company. The shipped records
have none: every company reads them, nobody changes them but the superuser (data
files); a company copies one to adapt it. Every number is checked by one helper
(``models/hr_kpi_number_checks.py``).
"""

import csv
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUP_OFFICER, KpiCase

ADDON = Path(__file__).resolve().parent.parent / "hr_kpi_service"
OCT_1 = date(2026, 10, 1)


class TrustConfigCase(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer_b = new_test_user(
            cls.env,
            "trust_cfg_officer_b",
            groups=f"base.group_user,{GROUP_OFFICER}",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )
        cls.scale_a = cls.env["hr.kpi.grade.scale"].create(
            {
                "name": "甲公司等级",
                "company_id": cls.company.id,
                "band_ids": [
                    (0, 0, {"code": "好", "name": "Good", "min_score": 80}),
                    (0, 0, {"code": "差", "name": "Poor", "is_bottom": True}),
                ],
            }
        )
        cls.raters_a = cls.env["hr.kpi.rater.config"].create(
            {
                "name": "甲公司评分人",
                "company_id": cls.company.id,
                "row_ids": [(0, 0, {"weight_superior": 70, "weight_self": 30})],
            }
        )
        cls.type_a = cls.env["hr.kpi.incident.type"].create(
            {"name": "迟到", "code": "late_a", "company_id": cls.company.id}
        )
        cls.shipped_scale = cls.env.ref("hr_kpi_service.grade_scale_abcd")
        cls.shipped_type = cls.env.ref("hr_kpi_service.incident_type_valid_complaint")

    def as_officer_b(self, model):
        return (
            self.env[model]
            .with_user(self.officer_b)
            .with_context(allowed_company_ids=self.other_company.ids)
        )

    @contextmanager
    def _refused(self, exception, regex):
        """Expect a clean `exception` matching `regex`, rolled back as RPC would."""
        with self.assertRaisesRegex(exception, regex) as caught, self.env.cr.savepoint():
            yield caught


# Odoo's own refusal, in the language of the user (zh_CN in a database whose users are
# Chinese, as the test databases are).
INCOMPATIBLE_COMPANIES = "Incompatible companies|不兼容的公司"


@tagged("post_install", "-at_install")
class TestConfigCompanyIsolation(TrustConfigCase):
    """Issue 10 item 8: an officer of company B changed company A's configuration."""

    def test_officer_b_cannot_touch_company_a_configuration(self):
        """RELIABILITY #13: company A's grade bands, rater weights and incident types
        are invisible and unwritable for company B's officer."""
        band = self.scale_a.band_ids.filtered(lambda b: b.code == "好")
        row = self.raters_a.row_ids
        targets = [
            ("hr.kpi.grade.scale", self.scale_a, {"name": "hacked"}),
            ("hr.kpi.grade.band", band, {"min_score": 10}),
            ("hr.kpi.rater.config", self.raters_a, {"name": "hacked"}),
            ("hr.kpi.rater.config.row", row, {"weight_superior": 10}),
            ("hr.kpi.incident.type", self.type_a, {"code": "complaint_x"}),
        ]
        for model, record, vals in targets:
            with self.subTest(model=model):
                Model = self.as_officer_b(model)
                self.assertFalse(Model.search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    Model.browse(record.id).read(list(vals))
                with self.assertRaises(AccessError):
                    Model.browse(record.id).write(vals)
                with self.assertRaises(AccessError):
                    Model.browse(record.id).unlink()
        self.assertEqual(self.scale_a.name, "甲公司等级")
        self.assertEqual(band.min_score, 80)
        self.assertEqual(row.weight_superior, 70)
        self.assertEqual(self.type_a.code, "late_a")

    def test_officer_b_cannot_create_configuration_in_company_a(self):
        """RELIABILITY #13: create is bound to the user's companies too."""
        with self.assertRaises(AccessError):
            self.as_officer_b("hr.kpi.incident.type").create(
                {"name": "假", "code": "fake", "company_id": self.company.id}
            )
        with self.assertRaises(AccessError):
            self.as_officer_b("hr.kpi.grade.band").create(
                {"scale_id": self.scale_a.id, "code": "新", "name": "New", "min_score": 90}
            )
        self.assertFalse(self.env["hr.kpi.incident.type"].search([("code", "=", "fake")]))
        self.assertEqual(len(self.scale_a.band_ids), 2)

    def test_shipped_configuration_is_read_only_for_every_company(self):
        """Shipped records (no company) are read by every company, changed by none."""
        band = self.shipped_scale.band_ids[0]
        min_score = band.min_score
        for user, companies in ((self.officer, self.company), (self.officer_b, self.other_company)):
            env_user = self.env(user=user, context={"allowed_company_ids": companies.ids})
            with self.subTest(user=user.login):
                self.assertTrue(env_user["hr.kpi.grade.band"].browse(band.id).read(["code"]))
                with self.assertRaises(AccessError):
                    env_user["hr.kpi.grade.band"].browse(band.id).write({"min_score": 0})
                with self.assertRaises(AccessError):
                    env_user["hr.kpi.incident.type"].browse(self.shipped_type.id).write(
                        {"code": "x"}
                    )
                with self.assertRaises(AccessError):
                    env_user["hr.kpi.rater.config"].browse(
                        self.env.ref("hr_kpi_service.rater_config_seed004").id
                    ).write({"name": "x"})
        self.assertEqual(band.min_score, min_score)
        self.assertEqual(self.shipped_type.code, "valid_complaint")

    def test_user_configuration_needs_a_company(self):
        """Only shipped records go without a company."""
        with self._refused(ValidationError, "needs a company"):
            self.env["hr.kpi.incident.type"].with_user(self.officer).create(
                {"name": "无公司", "code": "nocompany", "company_id": False}
            )
        self.assertFalse(self.env["hr.kpi.incident.type"].search([("code", "=", "nocompany")]))
        # the default is the user's company
        created = self.env["hr.kpi.grade.scale"].with_user(self.officer).create({"name": "默认"})
        self.assertEqual(created.company_id, self.company)

    def test_incident_type_code_unique_per_company(self):
        """Codes drive pay: one type per code and company (a PostgreSQL unique index)."""
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["hr.kpi.incident.type"].create(
                {"name": "迟到 2", "code": "late_a", "company_id": self.company.id}
            )
        other = self.env["hr.kpi.incident.type"].create(
            {"name": "迟到", "code": "late_a", "company_id": self.other_company.id}
        )
        self.assertEqual(other.company_id, self.other_company)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["hr.kpi.incident.type"].create(
                {"name": "共享", "code": "valid_complaint", "company_id": False}
            )

    def test_cross_company_links_refused(self):
        """RELIABILITY #14: a company-A incident with a company-B type, a company-A
        scheme with a company-B grade scale: Incompatible companies."""
        type_b = self.env["hr.kpi.incident.type"].create(
            {"name": "乙", "code": "type_b", "company_id": self.other_company.id}
        )
        scale_b = self.env["hr.kpi.grade.scale"].create(
            {"name": "乙等级", "company_id": self.other_company.id}
        )
        employee = self._employee("甲员工")
        Incident = self.env["hr.kpi.incident"]
        before = Incident.search_count([])
        with self._refused(UserError, INCOMPATIBLE_COMPANIES):
            Incident.create(
                {
                    "employee_id": employee.id,
                    "company_id": self.company.id,
                    "type_id": type_b.id,
                }
            )
        self.assertEqual(Incident.search_count([]), before)
        scheme = self._scheme([{"name": "量", "weight": 100, "target": 1}])
        with self._refused(UserError, INCOMPATIBLE_COMPANIES):
            scheme.write({"grade_scale_id": scale_b.id})
        self.assertNotEqual(scheme.grade_scale_id, scale_b)
        # a shipped (shared) scale is fine
        scheme.write({"grade_scale_id": self.env.ref("hr_kpi_service.grade_scale_pass").id})

    def test_company_rule_is_global(self):
        """RELIABILITY #15: an extra group rule [(1, '=', 1)] for officers does not
        widen the global company rules (they intersect)."""
        Rule = self.env["ir.rule"]
        for model in ("hr.kpi.grade.scale", "hr.kpi.incident", "hr.kpi.survey.answer"):
            Rule.create(
                {
                    "name": f"test: officers see everything on {model}",
                    "model_id": self.env["ir.model"]._get_id(model),
                    "groups": [(4, self.env.ref(GROUP_OFFICER).id)],
                    "domain_force": "[(1, '=', 1)]",
                }
            )
        employee_b = self._employee("乙员工", department=False, company=self.other_company)
        incident_b = self.env["hr.kpi.incident"].create(
            {
                "employee_id": employee_b.id,
                "company_id": self.other_company.id,
                "type_id": self.shipped_type.id,
            }
        )
        scale_b = self.env["hr.kpi.grade.scale"].create(
            {"name": "乙等级", "company_id": self.other_company.id}
        )
        officer_env = self.env(user=self.officer)
        self.assertFalse(
            officer_env["hr.kpi.incident"].search([("id", "=", incident_b.id)]),
        )
        with self.assertRaises(AccessError):
            officer_env["hr.kpi.incident"].browse(incident_b.id).read(["points"])
        with self.assertRaises(AccessError):
            officer_env["hr.kpi.grade.scale"].browse(scale_b.id).write({"name": "x"})
        self.assertIn(self.scale_a, officer_env["hr.kpi.grade.scale"].search([]))

    def test_allowed_companies_narrow_the_view(self):
        """RELIABILITY #13: a user of A and B working in B sees nothing of A."""
        officer_ab = new_test_user(
            self.env,
            "trust_cfg_officer_ab",
            groups=f"base.group_user,{GROUP_OFFICER}",
            company_id=self.company.id,
            company_ids=[(6, 0, (self.company | self.other_company).ids)],
        )
        in_b = self.env(user=officer_ab, context={"allowed_company_ids": self.other_company.ids})
        self.assertFalse(in_b["hr.kpi.grade.scale"].search([("id", "=", self.scale_a.id)]))
        self.assertFalse(in_b["hr.kpi.incident.type"].search([("id", "=", self.type_a.id)]))
        with self.assertRaises(AccessError):
            in_b["hr.kpi.rater.config"].browse(self.raters_a.id).read(["name"])
        in_a = self.env(user=officer_ab, context={"allowed_company_ids": self.company.ids})
        self.assertEqual(
            in_a["hr.kpi.grade.scale"].search([("id", "=", self.scale_a.id)]), self.scale_a
        )


@tagged("post_install", "-at_install")
class TestConfigNumbers(TrustConfigCase):
    """Issue 10 item 10: every number names its field and limit; nothing written."""

    def test_award_of_minus_5000_refused(self):
        """RELIABILITY #18: a negative award."""
        employee = self._employee("获奖者")
        period = self.env["hr.kpi.period"].with_company(self.company)._get_or_create(OCT_1)
        award = self.env["hr.kpi.award"].create(
            {
                "period_id": period.id,
                "company_id": self.company.id,
                "award_type": "service_star",
                "employee_id": employee.id,
                "amount": 200,
            }
        )
        Award = award.with_user(self.officer)
        for bad, limit in (
            (-5000, "below 0"),
            (1e15, "above 1000000000"),
            (float("nan"), "finite"),
        ):
            # the amount is protected (only Compute Monthly Awards sets it): written
            # here as that action would, so the number check itself is what refuses
            with self.subTest(amount=bad), self._refused(ValidationError, limit) as caught:
                Award._kpi_write({"amount": bad})
            self.assertIn("Amount", str(caught.exception))
        self.assertEqual(award.amount, 200)

    def test_star_pay_of_1e15_refused(self):
        """RELIABILITY #18: an absurd star pay."""
        self.env["hr.kpi.star.level"]._create_seed_levels(self.company.ids)
        level = self.env["hr.kpi.star.level"].search(
            [("company_id", "=", self.company.id), ("stars", "=", 3)], limit=1
        )
        pay = level.pay
        for bad, limit in ((1e15, "above 1000000000"), (float("inf"), "finite")):
            with self.subTest(pay=bad), self._refused(ValidationError, limit) as caught:
                level.with_user(self.officer).write({"pay": bad})
            self.assertIn("Monthly Star Pay", str(caught.exception))
        # a negative pay: refused before the ORM, naming the field (RELIABILITY #42)
        with self._refused(ValidationError, r"Monthly Star Pay cannot be below 0 \(got -1\)"):
            level.with_user(self.officer).write({"pay": -1})
        self.assertEqual(level.pay, pay)

    def test_company_settings_refused(self):
        """RELIABILITY #18: five-star quota 150 %, attendance limit -3, NaN and absurd
        amounts in the company settings."""
        company = self.company
        before = company.read(
            [
                "kpi_five_star_pct",
                "kpi_attendance_limit",
                "kpi_full_attendance_limit",
                "kpi_award_amount",
                "kpi_low_score_cut_pct",
            ]
        )[0]
        for vals, label, limit in (
            ({"kpi_five_star_pct": 150}, "Five-star Quota", "above 100"),
            ({"kpi_five_star_pct": -1}, "Five-star Quota", "below 0"),
            ({"kpi_attendance_limit": -3}, "Attendance Events Allowed per Quarter", "below 0"),
            ({"kpi_full_attendance_limit": -3}, "Attendance Events Allowed per Month", "below 0"),
            ({"kpi_award_amount": -5000}, "Monthly Star Award", "below 0"),
            ({"kpi_award_amount": 1e15}, "Monthly Star Award", "above 1000000000"),
            ({"kpi_five_star_award_amount": float("nan")}, "Five-star Award", "finite"),
            ({"kpi_low_score_cut_pct": float("inf")}, "Low Score Cut", "finite"),
        ):
            with self.subTest(vals=vals), self._refused(ValidationError, limit) as caught:
                company.write(vals)
            self.assertIn(label, str(caught.exception))
        self.assertEqual(company.read(list(before))[0], before)

    def test_configuration_numbers_refused(self):
        """RELIABILITY #18: grade bands, rater rows, indicator parameters."""
        band = self.scale_a.band_ids.filtered(lambda b: b.code == "好")
        with self._refused(ValidationError, "From Score must be a finite number"):
            band.with_user(self.officer).write({"min_score": float("nan")})
        row = self.raters_a.row_ids
        with self._refused(ValidationError, r"Superior \(%\) cannot be above 100"):
            row.with_user(self.officer).write({"weight_superior": 170})
        with self._refused(ValidationError, r"Self \(%\) cannot be below 0"):
            row.with_user(self.officer).write({"weight_self": -30})
        self.assertEqual((band.min_score, row.weight_superior, row.weight_self), (80, 70, 30))


@tagged("post_install", "-at_install")
class TestSchemeWeights(TrustConfigCase):
    """Issue 10 item 10 and RELIABILITY #17: weights are enforced whenever a scheme
    is active, and the state changes only through the buttons."""

    def _two(self, first, second):
        return self._scheme(
            [
                {"name": "工作量", "code": "QTY", "weight": first, "target": 100},
                {"name": "质量", "code": "QLT", "weight": second, "target": 100},
            ]
        )

    def test_60_30_scheme_activated_by_write_refused(self):
        """RELIABILITY #17: 60 + 30 cannot be activated, by write nor by the button."""
        scheme = self._two(60, 30)
        with self._refused(AccessError, "workflow buttons"):
            scheme.with_user(self.officer).write({"state": "active"})
        with self._refused(ValidationError, r"add up to 90 %"):
            scheme.with_user(self.officer).action_activate()
        # even code that may write the state (superuser) meets the constraint
        with self._refused(ValidationError, r"add up to 90 %"):
            scheme._kpi_write({"state": "active"})
        self.assertEqual(scheme.state, "draft")

    def test_active_scheme_edited_to_60_10_refused(self):
        """RELIABILITY #17: an active scheme keeps its 100 %."""
        scheme = self._two(60, 40)
        scheme.with_user(self.officer).action_activate()
        quality = scheme.indicator_ids.filtered(lambda i: i.code == "QLT")
        with self._refused(ValidationError, r"add up to 70 %"):
            quality.with_user(self.officer).write({"weight": 10})
        with self._refused(ValidationError, r"add up to 70 %"):
            scheme.with_user(self.officer).write(
                {"indicator_ids": [(1, quality.id, {"weight": 10})]}
            )
        with self._refused(ValidationError, r"add up to 110 %"):
            self.env["hr.kpi.indicator"].with_user(self.officer).create(
                {"scheme_id": scheme.id, "name": "加项", "weight": 10, "target": 1}
            )
        with self._refused(UserError, "is active"):
            quality.with_user(self.officer).unlink()
        self.assertEqual(scheme.state, "active")
        self.assertEqual(scheme.indicator_ids.mapped("weight"), [60, 40])
        # the way to change it: back to draft, edit, activate
        scheme.with_user(self.officer).action_reset_draft()
        quality.with_user(self.officer).write({"weight": 10})
        self.assertEqual(scheme.indicator_weight_total, 70)

    def test_documented_tolerance(self):
        """RELIABILITY #17: 33.33 + 33.33 + 33.34 passes. Documented tolerance: weights
        carry 2 decimals (33.333 is stored 33.33) and their sum, rounded to 2 decimals,
        must be 100: 3 x 33.333 (99.99) and 3 x 33.32 (99.96) are refused, naming
        the sum."""
        for weights, ok in (
            ((33.33, 33.33, 33.34), True),
            ((33.333, 33.333, 33.333), False),
            ((33.32, 33.32, 33.32), False),
        ):
            with self.subTest(weights=weights):
                scheme = self._scheme(
                    [
                        {"name": f"项{n}", "code": f"I{n}", "weight": w, "target": 1}
                        for n, w in enumerate(weights)
                    ]
                )
                if ok:
                    scheme.with_user(self.officer).action_activate()
                    self.assertEqual(scheme.state, "active")
                else:
                    total = f"{round(sum(round(w, 2) for w in weights), 2):g}"
                    with self._refused(ValidationError, f"add up to {total} %"):
                        scheme.with_user(self.officer).action_activate()
                    self.assertEqual(scheme.state, "draft")

    def test_negative_zero_nan_and_duplicate_weights(self):
        """RELIABILITY #17: negative, zero or NaN weights; the same indicator twice."""
        scheme = self._two(60, 40)
        quality = scheme.indicator_ids.filtered(lambda i: i.code == "QLT")
        for bad, message in (
            (-40, "cannot be below 0"),
            (float("nan"), "finite"),
            (140, "above 100"),
        ):
            with self.subTest(weight=bad), self._refused(ValidationError, message) as caught:
                quality.with_user(self.officer).write({"weight": bad})
            self.assertIn("Weight (%)", str(caught.exception))
        self.assertEqual(quality.weight, 40)
        zero = self._scheme(
            [
                {"name": "全部", "code": "ALL", "weight": 100, "target": 1},
                {"name": "空", "code": "NONE", "weight": 0, "target": 1},
            ]
        )
        with self._refused(ValidationError, "空 has no weight"):
            zero.with_user(self.officer).action_activate()
        self.assertEqual(zero.state, "draft")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["hr.kpi.indicator"].create(
                {"scheme_id": scheme.id, "name": "工作量 again", "code": "QTY", "weight": 0}
            )

    def test_rep_and_lead_cannot_change_scheme_state(self):
        """RELIABILITY #6: the buttons check the group themselves."""
        scheme = self._two(60, 40)
        with self._refused(UserError, "Only a KPI officer"):
            scheme.with_user(self.manager).action_activate()
        with self.assertRaises(AccessError):
            scheme.with_user(self.manager).write({"state": "active"})
        self.assertEqual(scheme.state, "draft")

    def test_service_quality_template_grades_excellent_qualified_not_qualified(self):
        """Issue 10 item 12: the 100-point service template (seed 001) grades with
        优秀 / 合格 / 不合格 (>= 95 / >= 90 / < 90), and its copies too."""
        template = self.env.ref("hr_kpi_service.scheme_template_service_quality")
        scale = self.env.ref("hr_kpi_service.grade_scale_pass")
        self.assertEqual(template.grade_scale_id, scale)
        copy = template.with_user(self.officer).with_context(
            allowed_company_ids=self.company.ids
        ).action_copy_as_new()
        scheme = self.env["hr.kpi.scheme"].browse(copy["res_id"])
        self.assertEqual(scheme.grade_scale_id, scale)
        for score, code in (
            (100, "优秀"),
            (95, "优秀"),
            (94.99, "合格"),
            (90, "合格"),
            (89.99, "不合格"),
        ):
            with self.subTest(score=score):
                self.assertEqual(scale._band_for(score).code, code)


@tagged("post_install", "-at_install")
class TestModuleAccess(TrustConfigCase):
    """RELIABILITY #7, #8, #9: ACLs, portal/public users, hr.employee leaks."""

    def _module_models(self):
        names = self.env["ir.model.data"].search(
            [("module", "=", "hr_kpi_service"), ("model", "=", "ir.model")]
        )
        models = self.env["ir.model"].browse(names.mapped("res_id")).mapped("model")
        return sorted(
            name
            for name in models
            if name.startswith("hr.kpi.") and not self.env[name]._abstract
        )

    def test_every_acl_row_has_a_group(self):
        """RELIABILITY #7 (static): an ACL row without group_id would grant the model
        to every user, portal and public included."""
        with (ADDON / "security" / "ir.model.access.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.assertTrue(rows)
        for row in rows:
            with self.subTest(acl=row["id"]):
                self.assertTrue(row["group_id:id"].strip(), f"{row['id']} has no group")

    def test_portal_and_public_users_get_access_error_on_every_model(self):
        """RELIABILITY #7: search/read on every model of the module by portal and public."""
        portal = new_test_user(self.env, "trust_cfg_portal", groups="base.group_portal")
        public = self.env.ref("base.public_user")
        models = self._module_models()
        self.assertGreater(len(models), 30)
        for user in (portal, public):
            for name in models:
                with self.subTest(user=user.login, model=name):
                    Model = self.env[name].with_user(user)
                    self.assertFalse(Model.has_access("read"))
                    with self.assertRaises(AccessError):
                        Model.search([])
                    with self.assertRaises(AccessError):
                        Model.check_access("read")

    def test_no_kpi_field_leaks_through_hr_employee(self):
        """RELIABILITY #8: a plain internal user reads hr.employee.public without KPI
        fields; every KPI field on hr.employee carries groups=."""
        user = new_test_user(
            self.env,
            "trust_cfg_plain",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        self._employee("某员工")
        public = self.env["hr.employee.public"].with_user(user).search([])
        self.assertTrue(public)
        self.assertTrue(public.read(["name", "department_id", "job_title"]))
        self.assertFalse(
            [name for name in self.env["hr.employee.public"]._fields if name.startswith("kpi_")]
        )
        kpi_fields = {
            name: field
            for name, field in self.env["hr.employee"]._fields.items()
            if field._module == "hr_kpi_service" or name.startswith("kpi_")
        }
        self.assertTrue(kpi_fields)
        for name, field in kpi_fields.items():
            with self.subTest(field=name):
                self.assertTrue(field.groups, f"hr.employee.{name} has no groups")
        employee = self.env["hr.employee"].with_user(user).search([], limit=1)
        with self.assertRaises(AccessError):
            employee.read(["kpi_evaluation_count"])

    def test_related_and_computed_fields_reaching_kpi_data_have_groups(self):
        """RELIABILITY #9: fields the module adds to models it extends, related or
        computed, or pointing to KPI records, carry groups (hr.employee, hr.contract,
        res.users)."""
        for model in ("hr.employee", "hr.contract", "res.users"):
            for name, field in self.env[model]._fields.items():
                if field._module != "hr_kpi_service":
                    continue
                reaches_kpi = (
                    field.related
                    or field.compute
                    or (field.relational and field.comodel_name.startswith("hr.kpi."))
                )
                if reaches_kpi:
                    with self.subTest(field=f"{model}.{name}"):
                        self.assertTrue(field.groups, f"{model}.{name} has no groups")
