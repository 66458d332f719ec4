from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.kpi_policy import KpiPolicy


class HrPayslipEmployees(models.TransientModel):
    _name = "hr.payslip.employees"
    _inherit = ["hr.payslip.employees", "hr.kpi.protected.mixin"]
    # OCA's wizard: what it misses is shown, and going ahead is the officer's choice.
    _kpi_policy = KpiPolicy(unlink="free")

    kpi_missing = fields.Text(
        string="KPI Data Missing",
        compute="_compute_kpi_missing",
        help="The evaluations and commission months of the batch's month that are not "
        "generated, approved or confirmed yet: those payslips pay no KPI amount "
        "for them.",
    )
    kpi_confirm_missing = fields.Boolean(
        string="Create the Payslips Anyway",
        help="Tick to create the payslips although the KPI data listed is missing.",
    )

    @api.depends("employee_ids")
    def _compute_kpi_missing(self):
        for wizard in self:
            gaps = wizard._kpi_gaps()
            wizard.kpi_missing = "\n".join(f"• {text}" for text in gaps) or False

    def _kpi_gaps(self):
        """What the payslips of the batch's month would miss (hr_kpi_period_guards)."""
        run = self.env["hr.payslip.run"].browse(self.env.context.get("active_id"))
        if not run.exists() or not self.employee_ids:
            return []
        companies = self.employee_ids.company_id
        months = self.env["hr.payslip"]._kpi_months(companies, run.date_start, run.date_end)
        gaps = []
        for month in months.values():
            employees = self.employee_ids.filtered(lambda e, m=month: e.company_id == m.company_id)
            gaps += month.sudo()._payslip_gaps(employees._origin)
        return gaps

    def compute_sheet(self):
        if not self.kpi_confirm_missing:
            gaps = self._kpi_gaps()
            if gaps:
                raise UserError(
                    self.env._(
                        "The month's KPI data is not complete:\n%(missing)s\nComplete it "
                        "first, or tick \"Create the Payslips Anyway\".",
                        missing="\n".join(f"• {text}" for text in gaps),
                    )
                )
        return self._kpi_compute_sheet()

    def _kpi_compute_sheet(self):
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
