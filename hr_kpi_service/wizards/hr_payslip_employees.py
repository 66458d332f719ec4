from odoo import models


class HrPayslipEmployees(models.TransientModel):
    _inherit = "hr.payslip.employees"

    def compute_sheet(self):
        """OCA payroll's batch wizard, with three KPI additions.

        * The structure chosen on the batch replaces the contracts' (OCA passes it to
          ``get_payslip_vals`` but not to ``get_inputs``): KPI inputs are only added
          where that structure pays them.
        * The wizard builds each payslip's inputs with one ``get_inputs`` call per
          employee: the KPI amounts of all the selected employees are read once
          beforehand, so that the KPI facts cost a constant number of queries for
          the batch instead of a few per employee.
        * OCA creates and computes the payslips one at a time: the holder check
          (RELIABILITY #29) and the allocation sync (paid once) of the new payslips
          run once for the batch when the wizard ends (a refusal undoes it).
        """
        run = self.env["hr.payslip.run"].browse(self.env.context.get("active_id"))
        if not run.exists():
            return super().compute_sheet()
        wizard = self.with_context(kpi_batch_structure_id=run.struct_id.id)
        Payslip = wizard.env["hr.payslip"]
        contracts = Payslip._kpi_wizard_contracts(wizard.employee_ids, run)
        structures = run.struct_id or contracts.struct_id
        if not (
            contracts and Payslip._kpi_may_read() and Payslip._kpi_structure_inputs(structures)
        ):
            return super(HrPayslipEmployees, wizard).compute_sheet()
        with Payslip._kpi_deferred_guard(wizard.employee_ids):
            Payslip._kpi_prefetch(contracts, run.date_start, run.date_end)
            try:
                return super(HrPayslipEmployees, wizard).compute_sheet()
            finally:
                Payslip._kpi_prefetch_clear(run.date_start, run.date_end)
