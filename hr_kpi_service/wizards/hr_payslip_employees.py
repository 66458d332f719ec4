from odoo import models


class HrPayslipEmployees(models.TransientModel):
    _inherit = "hr.payslip.employees"

    def compute_sheet(self):
        """OCA payroll's batch wizard, with two KPI additions.

        * The structure chosen on the batch replaces the contracts' (OCA passes it to
          ``get_payslip_vals`` but not to ``get_inputs``): KPI inputs are only added
          where that structure pays them.
        * The wizard builds each payslip's inputs with one ``get_inputs`` call per
          employee: the KPI amounts of all the selected employees are read once
          beforehand, so that the KPI facts cost a constant number of queries for
          the batch instead of a few per employee, and each new payslip is checked
          against the payslips already holding KPI lines (RELIABILITY #29) without a
          query of its own.
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
        Payslip._kpi_prefetch(contracts, run.date_start, run.date_end)
        try:
            result = super(HrPayslipEmployees, wizard).compute_sheet()
        finally:
            Payslip._kpi_prefetch_clear(run.date_start, run.date_end)
        # The new payslips were checked against the holders read beforehand; one
        # query for the whole batch confirms it (a refusal undoes the wizard).
        run.slip_ids._kpi_check_one_holder(pushing=False)
        return result
