"""The Apps list in Chinese before install (issue 22, finding 7).

Odoo 18 writes an addon's Apps record (name, summary) from its manifest, in English, at
`update_list`, and loads an addon's catalogues (i18n/, i18n_extra/) only for installed
addons (`ir.module.module._update_translations` skips the others): a name or summary is
translated before install only by a catalogue of an installed addon that carries it
(Odoo's own apps: base's). So, as README says:
- hr_kpi_service_reports reads 客服绩效考核报表 in Apps before its install, once
  hr_kpi_service is installed (hr_kpi_service/i18n_extra/zh_CN.po carries its terms);
- hr_kpi_service itself reads in English until it is installed: no catalogue of an
  installed addon can carry it without changing Odoo's base.
Each test turns Apps records back into what `update_list` leaves for an addon never
installed (state uninstalled, English only), in a rolled-back transaction."""

from odoo.tests import TransactionCase, tagged

REPORTS_NAME = "客服绩效考核报表"
REPORTS_SUMMARY = "客服绩效考核的打印表单、排名与分析"


@tagged("post_install", "-at_install")
class TestAppsListBeforeInstall(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.Module = cls.env["ir.module.module"]

    def _as_never_installed(self, *names):
        self.addCleanup(self.env.registry.clear_all_caches)
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE ir_module_module
               SET state = 'uninstalled',
                   shortdesc = jsonb_build_object('en_US', shortdesc->>'en_US'),
                   summary = jsonb_build_object('en_US', summary->>'en_US')
             WHERE name IN %s
            """,
            [names],
        )
        self.env.invalidate_all()

    def _apps_list(self, *names):
        """Update Apps List, then the zh_CN terms of the addons as a language load or an
        install of hr_kpi_service loads them; the records as a zh_CN user reads them."""
        self.Module.update_list()
        self.Module.search(
            [("name", "in", ("hr_kpi_service", "hr_kpi_service_reports"))]
        )._update_translations("zh_CN")
        return {
            module.name: (module.shortdesc, module.summary)
            for module in self.Module.with_context(lang="zh_CN").search([("name", "in", names)])
        }

    def test_reports_addon_reads_chinese_before_its_install(self):
        """hr_kpi_service installed, hr_kpi_service_reports not yet: the reports addon
        reads in Chinese in Apps (name and summary), and in English for an English user."""
        self._as_never_installed("hr_kpi_service_reports")
        apps = self._apps_list("hr_kpi_service_reports")
        self.assertEqual(apps["hr_kpi_service_reports"], (REPORTS_NAME, REPORTS_SUMMARY))
        reports = self.Module.with_context(lang="en_US").search(
            [("name", "=", "hr_kpi_service_reports")]
        )
        self.assertEqual(reports.state, "uninstalled")
        self.assertEqual(reports.shortdesc, "Customer Service KPI Reports")

    def test_main_addon_reads_english_until_installed(self):
        """Neither addon installed: Odoo loads no catalogue of theirs, so hr_kpi_service
        reads "Customer Service KPI" in a zh_CN Apps list (README says so and why), and
        reads 客服绩效考核 once its terms are loaded at install."""
        self._as_never_installed("hr_kpi_service", "hr_kpi_service_reports")
        apps = self._apps_list("hr_kpi_service", "hr_kpi_service_reports")
        self.assertEqual(apps["hr_kpi_service"][0], "Customer Service KPI")
        self.assertEqual(apps["hr_kpi_service_reports"][0], "Customer Service KPI Reports")
        # what its install does: load its own catalogues
        self.Module._load_module_terms(["hr_kpi_service"], ["zh_CN"])
        main = self.Module.with_context(lang="zh_CN").search([("name", "=", "hr_kpi_service")])
        self.assertEqual(main.shortdesc, "客服绩效考核")
        self.assertEqual(main.summary[:6], "面向客服团队")
