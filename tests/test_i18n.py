"""Every user-facing term is in the .pot and translated in zh_CN.po."""

from pathlib import Path

import polib

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.translate import TranslationModuleReader

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("hr_kpi_service", "hr_kpi_service_reports")


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def _catalogs(self, addon):
        folder = ROOT / addon / "i18n"
        return polib.pofile(str(folder / f"{addon}.pot")), polib.pofile(str(folder / "zh_CN.po"))

    def test_pot_lists_every_term_of_the_code(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                pot, _po = self._catalogs(addon)
                reader = TranslationModuleReader(self.env.cr, modules=[addon])
                terms = {row[4] for row in reader if row[0] == addon}
                missing = sorted(terms - {entry.msgid for entry in pot})
                self.assertEqual(
                    len(missing), 0, f"{len(missing)} term(s) missing from {addon}.pot: {missing[:10]}"
                )

    def test_zh_cn_is_complete(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                pot, po = self._catalogs(addon)
                translated = {e.msgid: e.msgstr for e in po if e.msgstr.strip() and not e.obsolete}
                untranslated = [e.msgid for e in pot if e.msgid not in translated]
                self.assertEqual(
                    len(untranslated), 0,
                    f"{len(untranslated)} of {len(pot)} term(s) untranslated in {addon}/i18n/"
                    f"zh_CN.po: {untranslated[:10]}",
                )

    def test_errors_reach_a_chinese_user_in_chinese(self):
        """A refused action answers a zh_CN user with the .po translation."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["hr_kpi_service"], ["zh_CN"], overwrite=True)
        _pot, po = self._catalogs("hr_kpi_service")
        source = "Only a KPI officer can change the state of a scheme."
        expected = po.find(source).msgstr
        user = new_test_user(
            self.env, "kpi_zh_user", groups="base.group_user,hr_kpi_service.group_kpi_manager",
            lang="zh_CN",
        )
        scheme = self.env["hr.kpi.scheme"].create({"name": "测试"})
        with self.assertRaises(UserError) as caught:
            scheme.with_user(user).with_context(lang="zh_CN").action_activate()
        self.assertEqual(str(caught.exception.args[0]), expected)
        self.assertRegex(expected, "[\u4e00-\u9fff]")
