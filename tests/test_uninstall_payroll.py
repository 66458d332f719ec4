"""Uninstall keeps payroll intact (issue 11): the uninstall hook detaches the
shipped "Customer service" structure, its rules, their inputs and the rule
categories from the module, so that Odoo, which deletes the records of an
uninstalled module's data files, leaves them to the contracts and payslips that
use them. Without KPI inputs the structure still computes (base, gross, net),
and amounts typed as other inputs with the KPI codes still pay.

Also here: the formula the engine's pay plan wrote on each KPI input line."""

from odoo.addons.hr_kpi_service.hooks import PAYROLL_MODELS, kept_payroll_data, uninstall_hook
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
        # nothing else of the module is detached (its own records go with it)
        self.assertTrue(owned.get("hr.kpi.grade.scale"))
        self.assertFalse(set(owned) & set(PAYROLL_MODELS))
        self.assertEqual(structure.rule_ids, rules)
        self.assertEqual(self.rep_contract.struct_id, structure)

    def test_structure_computes_without_kpi_inputs_and_with_typed_inputs(self):
        """After uninstall no module fills the KPI inputs: the payslip computes its
        base, gross and net; typed as other inputs, the seed's 3220 is paid."""
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
