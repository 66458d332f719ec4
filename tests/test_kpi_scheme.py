from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KpiCase


@tagged("post_install", "-at_install")
class TestKpiScheme(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls._scheme(
            [
                {"name": "工作量", "weight": 40, "perspective": "个人业绩", "target": 100},
                {
                    "name": "出错率",
                    "weight": 25,
                    "perspective": "个人业绩",
                    "target": 2,
                    "direction": "lower",
                },
                {
                    "name": "日常任务",
                    "weight": 30,
                    "perspective": "日常任务",
                    "scoring_method": "manual",
                },
            ],
            perspectives=[("个人业绩", 65), ("日常任务", 35)],
            job_ids=[(6, 0, cls.job_rep.ids)],
        )

    # -- activation -----------------------------------------------------------
    def test_activation_refused_at_95_names_the_sum(self):
        with self.assertRaisesRegex(UserError, r"95(\.0)? %") as caught:
            self.scheme.with_user(self.officer).action_activate()
        self.assertIn("indicators", str(caught.exception))
        self.assertEqual(self.scheme.state, "draft")
        self.assertEqual(self.scheme.indicator_weight_total, 95.0)
        self.assertEqual(self.scheme.perspective_weight_total, 100.0)

    def test_activation_refused_when_perspective_differs_from_its_indicators(self):
        self.scheme.indicator_ids.filtered(lambda i: i.name == "日常任务").weight = 35
        # indicators now 100 but 个人业绩 says 65 while its indicators add up to 65 -> ok,
        # 日常任务 35 = 35 -> ok; break one perspective on purpose:
        self.scheme.perspective_ids.filtered(lambda p: p.name == "个人业绩").weight = 60
        self.scheme.perspective_ids.filtered(lambda p: p.name == "日常任务").weight = 40
        with self.assertRaisesRegex(UserError, "个人业绩.*60.*65"):
            self.scheme.with_user(self.officer).action_activate()

    def test_activation_at_100_and_assignment_by_job(self):
        rep = self._employee("刘洋", job=self.job_rep)
        lead = self._employee("李娜", job=self.job_lead)
        self.scheme.indicator_ids.filtered(lambda i: i.name == "日常任务").weight = 35
        self.scheme.with_user(self.officer).action_activate()
        self.assertEqual(self.scheme.state, "active")
        self.assertEqual(rep.kpi_scheme_id, self.scheme)
        self.assertFalse(lead.kpi_scheme_id)
        self.assertEqual(self.scheme.assigned_employee_count, 1)
        # a new employee with that job gets it at creation
        self.assertEqual(self._employee("陈静", job=self.job_rep).kpi_scheme_id, self.scheme)
        # archiving the scheme frees the employees
        self.scheme.with_user(self.officer).action_set_archived()
        self.assertFalse(rep.kpi_scheme_id)

    def test_assignment_precedence_employee_job_department_override(self):
        self.scheme.indicator_ids.filtered(lambda i: i.name == "日常任务").weight = 35
        self.scheme.action_activate()
        named = self.scheme.copy({"name": "个人方案", "job_ids": [(5,)]})
        by_department = self.scheme.copy(
            {"name": "部门方案", "job_ids": [(5,)], "department_ids": [(6, 0, self.department.ids)]}
        )
        rep = self._employee("杨帆", job=self.job_rep)
        other = self._employee("赵敏", job=self.job_lead)
        named.employee_ids = rep
        (named | by_department).action_activate()
        self.assertEqual(rep.kpi_scheme_id, named, "a scheme naming the employee wins")
        self.assertEqual(other.kpi_scheme_id, by_department, "department is the fallback")
        other.kpi_scheme_override_id = self.scheme
        self.assertEqual(other.kpi_scheme_id, self.scheme, "HR override wins over all")

    def test_template_cannot_be_activated(self):
        self.scheme.write({"is_template": True, "company_id": False, "job_ids": [(5,)]})
        self.scheme.indicator_ids.filtered(lambda i: i.name == "日常任务").weight = 35
        with self.assertRaises(ValidationError):
            self.scheme.action_activate()

    def test_copy_remaps_perspectives_and_resets_state(self):
        self.scheme.indicator_ids.filtered(lambda i: i.name == "日常任务").weight = 35
        self.scheme.action_activate()
        copy = self.scheme.copy()
        self.assertEqual(copy.state, "draft")
        self.assertEqual(len(copy.indicator_ids), 3)
        self.assertEqual(copy.indicator_ids.perspective_id, copy.perspective_ids)
        self.assertEqual(copy.indicator_weight_total, 100.0)
        self.assertIn("(copy)", copy.name)

    # -- rights -------------------------------------------------------------
    def test_only_officers_edit_schemes(self):
        for user in (self.manager, self.user):
            scheme = self.scheme.with_user(user)
            self.assertEqual(scheme.name, "测试方案", "everyone reads schemes")
            with self.assertRaises(AccessError):
                scheme.write({"name": "改名"})
            with self.assertRaises(AccessError):
                scheme.indicator_ids[0].write({"weight": 45})
            with self.assertRaises(UserError):  # AccessError is a UserError too
                scheme.action_activate()
        self.scheme.with_user(self.officer).write({"name": "改名"})
        self.assertEqual(self.scheme.name, "改名")

    def test_other_company_cannot_read(self):
        outsider = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "外部HR",
                    "login": "kpi_other_co",
                    "company_id": self.other_company.id,
                    "company_ids": [(6, 0, self.other_company.ids)],
                    "groups_id": [
                        (
                            6,
                            0,
                            [
                                self.env.ref("hr_kpi_service.group_kpi_officer").id,
                                self.env.ref("base.group_user").id,
                            ],
                        )
                    ],
                }
            )
        )
        Scheme = (
            self.env["hr.kpi.scheme"]
            .with_user(outsider)
            .with_context(allowed_company_ids=self.other_company.ids)
        )
        self.assertFalse(Scheme.search([("id", "=", self.scheme.id)]))
        with self.assertRaises(AccessError):
            Scheme.browse(self.scheme.id).read(["name"])

    # -- parameters -------------------------------------------------------------
    def test_bad_parameters_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "target"):
            self._scheme(
                [{"name": "满席度", "weight": 100, "scoring_method": "ratio", "target": 0}]
            )
        with self.assertRaisesRegex(ValidationError, r"Weight \(%\) cannot be below 0 \(got -5\)"):
            self._scheme([{"name": "工作量", "weight": -5, "target": 1}])
        with self.assertRaisesRegex(ValidationError, "stretch"):
            self._scheme(
                [
                    {
                        "name": "预算",
                        "weight": 100,
                        "scoring_method": "banded",
                        "target": 100,
                        "stretch": 90,
                    }
                ]
            )

    def test_overlapping_bands_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "回访真实度"):
            self._scheme(
                [
                    {
                        "name": "回访真实度",
                        "weight": 100,
                        "scoring_method": "threshold",
                        "full_points": 10,
                        "band_ids": [
                            (0, 0, {"lower": 95, "no_upper": True, "value": 0}),
                            (0, 0, {"lower": 80, "upper": 96, "value": 2}),
                        ],
                    }
                ]
            )
