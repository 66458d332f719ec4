"""Uninstall keeps payroll intact (issue 11, issue 22): the uninstall hook
detaches the shipped "Customer service" structure, its rules, their inputs and
the rule categories (and the demo's people) from the module, so that Odoo, which
deletes the records of an uninstalled module's data files, leaves them to the
contracts and payslips that use them; the names the users read become the plain
names; the addon's own records go with their tables. Installing again gives the
kept records back to the module. Without KPI inputs the structure still computes
(base, gross, net), and amounts typed as other inputs with the KPI codes still
pay. The whole uninstall and reinstall run in scripts/check_lifecycle.py.

Also here: the formula the engine's pay plan wrote on each KPI input line."""

from odoo.addons.hr_kpi_service.hooks import (
    KEPT_MODULE,
    PAYROLL_MODELS,
    kept_language,
    kept_payroll_data,
    own_models,
    pre_init_hook,
    uninstall_hook,
)
from odoo.tests import tagged

from . import test_kpi_payroll as payroll


@tagged("post_install", "-at_install")
class TestUninstallKeepsPayroll(payroll.PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep, cls.rep_contract = cls._staff("卸载代表", cls.job_rep, 2000)
        cls._publish({cls.rep: 85})
        cls._star(cls.rep, 3, 1200)

    def _module_records(self):
        """{model: ids} that uninstalling hr_kpi_service would delete."""
        res = {}
        for data in self.env["ir.model.data"].search([("module", "=", "hr_kpi_service")]):
            res.setdefault(data.model, set()).add(data.res_id)
        return res

    def test_hook_detaches_the_structure_rules_inputs_and_categories(self):
        """Issue 22 (RELIABILITY #32 after uninstall): the payroll records are kept,
        the addon's own entries go, and a reinstall gives the kept ones back."""
        structure = self.structure
        rules = structure.rule_ids
        records = {
            "hr.payroll.structure": structure,
            "hr.salary.rule": rules,
            "hr.rule.input": rules.input_ids,
            "hr.salary.rule.category": rules.category_id,
        }
        # base, gross, net and the 13 KPI codes (KPI_BACK and KPI_STANDBY: issue 21)
        self.assertEqual(len(rules), 16)
        self.assertEqual(len(rules.input_ids), 13)
        owned = self._module_records()
        for model, found in records.items():
            self.assertTrue(set(found.ids) <= owned[model], model)
        self.assertTrue(kept_payroll_data(self.env))
        uninstall_hook(self.env)
        owned = self._module_records()
        for model, found in records.items():
            self.assertFalse(set(found.ids) & owned.get(model, set()), model)
            self.assertEqual(found.exists(), found, model)
        self.assertFalse(kept_payroll_data(self.env))
        kept = self.env["ir.model.data"].search([("module", "=", KEPT_MODULE)])
        self.assertTrue(
            set(structure.ids)
            <= set(kept.filtered(lambda d: d.model == "hr.payroll.structure").mapped("res_id"))
        )
        # the addon's own records go with their tables: Odoo does not delete them one by one
        self.assertIn("hr.kpi.grade.scale", own_models(self.env))
        self.assertFalse(set(owned) & set(own_models(self.env)))
        self.assertFalse(set(owned) & set(PAYROLL_MODELS))
        self.assertEqual(structure.rule_ids, rules)
        self.assertEqual(self.rep_contract.struct_id, structure)
        # installing again gives the kept records back to the module
        pre_init_hook(self.env)
        self.env.invalidate_all()
        self.assertEqual(
            self.env.ref("hr_kpi_service.payroll_structure_customer_service"), structure
        )
        self.assertEqual(
            len(kept_payroll_data(self.env)),
            len(structure) + len(rules) + len(rules.input_ids) + len(rules.category_id),
        )

    def test_hook_keeps_the_names_the_users_read(self):
        """The structure's and inputs' names in the users' language become their
        plain (en_US) value: the column is plain text again once the addon is gone
        (issue 22)."""
        lang = kept_language(self.env)
        structure = self.structure
        star = structure.rule_ids.input_ids.filtered(lambda i: i.code == "KPI_STAR")
        structure.with_context(lang="zh_CN").name = "客服人员"
        expected = (structure.with_context(lang=lang).name, star.with_context(lang=lang).name)
        uninstall_hook(self.env)
        self.assertEqual(
            (structure.with_context(lang="en_US").name, star.with_context(lang="en_US").name),
            expected,
        )

    def test_structure_computes_without_kpi_inputs_and_with_typed_inputs(self):
        """After uninstall no module fills the KPI inputs: the payslip computes its
        base, gross and net; typed as other inputs, the seed's 3220 is paid
        (RELIABILITY #32)."""
        uninstall_hook(self.env)
        slip = self._payslip(self.rep_contract)
        slip.compute_sheet()
        self.assertEqual(self._total(slip, "NET"), 2000.0)
        self.assertTrue(slip.line_ids)
        slip.input_line_ids = [
            (
                0,
                0,
                {"name": name, "code": code, "amount": amount, "contract_id": slip.contract_id.id},
            )
            for code, name, amount in (
                ("KPI_STAR", "Star performance pay", 1020.0),
                ("KPI_ATT", "Full-attendance bonus", 200.0),
            )
        ]
        slip.compute_sheet()
        self.assertEqual(self._total(slip, "NET"), 3220.0)

    def test_kpi_lines_carry_the_engine_formula(self):
        slip = self._payslip(self.rep_contract)
        slip.with_user(self.payroll).action_add_kpi_lines()
        formulas = {line.code: line.kpi_explanation for line in slip.input_line_ids}
        self.assertEqual(formulas["KPI_STAR"], "1200 × 85 % = 1020")
        self.assertEqual(formulas["KPI_ATT"], "200")
        slip.compute_sheet()
        self.assertEqual(self._total(slip, "NET"), 3220.0)
