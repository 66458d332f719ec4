"""The suite runs against the Odoo it was set up for, with both addons really installed.

``make test`` fails when pytest collects no test (exit 5) and when Odoo is missing (the
pytest-odoo plugin cannot load); these tests fail loudly when the set-up installed a
different Odoo or an install step silently left a module uninstalled.
"""

from odoo import release
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSetup(TransactionCase):
    def test_odoo_is_18_0(self):
        self.assertEqual(release.version_info[:2], (18, 0))

    def test_addons_and_payroll_installed(self):
        modules = self.env["ir.module.module"].search(
            [
                (
                    "name",
                    "in",
                    ["hr_kpi_service", "hr_kpi_service_reports", "payroll", "queue_job"],
                )
            ]
        )
        self.assertEqual(
            {m.name: m.state for m in modules},
            {
                "hr_kpi_service": "installed",
                "hr_kpi_service_reports": "installed",
                "payroll": "installed",
                "queue_job": "installed",
            },
        )

    def test_zh_cn_loaded(self):
        self.assertTrue(self.env["res.lang"]._lang_get("zh_CN").active)
