"""Shared fixtures for the ORM tests: own records, never demo data."""

import xmlrpc.client

import odoo
from odoo.tests import TransactionCase, new_test_user

GROUP_USER = "hr_kpi_service.group_kpi_user"
GROUP_MANAGER = "hr_kpi_service.group_kpi_manager"
GROUP_OFFICER = "hr_kpi_service.group_kpi_officer"


class KpiCase(TransactionCase):
    """A company, a customer-service department, jobs and users per KPI role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env["res.company"].create({"name": "博真科技 (test)"})
        cls.other_company = cls.env["res.company"].create({"name": "其他公司 (test)"})
        cls.env.user.company_ids |= cls.company | cls.other_company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        company_ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.officer = new_test_user(
            cls.env, "kpi_officer_t", groups=f"base.group_user,{GROUP_OFFICER}", **company_ctx
        )
        cls.manager = new_test_user(
            cls.env, "kpi_manager_t", groups=f"base.group_user,{GROUP_MANAGER}", **company_ctx
        )
        cls.user = new_test_user(cls.env, "kpi_user_t", groups="base.group_user", **company_ctx)
        cls.department = cls.env["hr.department"].create(
            {"name": "客户服务部", "company_id": cls.company.id}
        )
        cls.job_rep = cls.env["hr.job"].create(
            {"name": "客服代表", "company_id": cls.company.id, "department_id": cls.department.id}
        )
        cls.job_lead = cls.env["hr.job"].create(
            {"name": "客服领班", "company_id": cls.company.id, "department_id": cls.department.id}
        )

    @classmethod
    def _employee(cls, name, job=None, department=None, company=None):
        return cls.env["hr.employee"].create(
            {
                "name": name,
                "company_id": (company or cls.company).id,
                "job_id": job.id if job else False,
                "department_id": (department or cls.department).id
                if department is not False
                else False,
            }
        )

    @classmethod
    def _scheme(cls, indicators, perspectives=None, **values):
        """Create a draft scheme.

        :param indicators: list of dicts of indicator values; the key
            ``perspective`` names one of ``perspectives``
        :param perspectives: list of (name, weight)
        """
        scheme = cls.env["hr.kpi.scheme"].create(
            dict({"name": "测试方案", "company_id": cls.company.id}, **values)
        )
        by_name = {}
        for sequence, (name, weight) in enumerate(perspectives or []):
            by_name[name] = cls.env["hr.kpi.perspective"].create(
                {"scheme_id": scheme.id, "name": name, "weight": weight, "sequence": sequence}
            )
        for sequence, vals in enumerate(indicators):
            vals = dict(vals)
            perspective = by_name.get(vals.pop("perspective", None))
            cls.env["hr.kpi.indicator"].create(
                dict(
                    vals,
                    scheme_id=scheme.id,
                    sequence=sequence,
                    perspective_id=perspective.id if perspective else False,
                )
            )
        return scheme

    @classmethod
    def _service_quality_scheme(cls, **values):
        """Seed 001's 100-point service-quality scheme: 50 / 20 / 30."""
        return cls._scheme(
            [
                {
                    "name": "服务工作标准执行",
                    "weight": 50,
                    "scoring_method": "deduction",
                    "full_points": 50,
                    "deduction_cost": 1,
                },
                {
                    "name": "客户满意度调查",
                    "weight": 20,
                    "scoring_method": "likert",
                    "likert_scale": "20",
                },
                {
                    "name": "服务投诉",
                    "weight": 30,
                    "scoring_method": "deduction",
                    "full_points": 30,
                    "deduction_cost": 6,
                    "deduction_cost_major": 12,
                },
            ],
            **values,
        )


class XmlRpcMixin:
    """Real XML-RPC calls (``execute_kw``) as the test users, whose password is their
    login (``new_test_user``); for HttpCase classes, run with ``--odoo-http``."""

    TRACEBACK_MARKERS = ("Traceback", "ValueError", "TypeError", "KeyError", "psycopg2")

    def setUp(self):
        super().setUp()
        port = odoo.tools.config["http_port"]
        self.rpc = xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{port}/xmlrpc/2/object", allow_none=True
        )

    def _call(self, user, model, method, *args, **kwargs):
        return self.rpc.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
        )

    def assertCleanFault(self, call, message):
        """`call()` ends in an XML-RPC fault that carries `message` and no trace of a
        Python error; returns the fault's text."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            call()
        fault = caught.exception.faultString
        self.assertIn(message, fault)
        for marker in self.TRACEBACK_MARKERS:
            self.assertNotIn(marker, fault)
        self.env.invalidate_all()
        return fault
