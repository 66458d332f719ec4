from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.hr_payslip import ONE_BY_ONE
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
                        'first, or tick "Create the Payslips Anyway".',
                        missing="\n".join(f"• {text}" for text in gaps),
                    )
                )
        return self._kpi_compute_sheet()

    def _kpi_compute_sheet(self):
        """OCA payroll's batch wizard, in bulk (issue 23), with the KPI additions.

        * The payslips of all the selected employees are built as OCA builds each
          one (contract, structure, worked days, inputs) and created in one
          ``create``; their sheets are then computed together
          (``hr_payslip_bulk``): the same payslips and lines as OCA's wizard
          (tests/test_payslip_bulk_identity.py), with a few queries per payslip.
        * The structure chosen on the batch replaces the contracts' (OCA passes it to
          ``get_payslip_vals`` but not to ``get_inputs``): KPI inputs are only added
          where that structure pays them.
        * The holder check (RELIABILITY #29) and the allocation sync (paid once) of
          the new payslips run once for the batch when the wizard ends (a refusal
          undoes it).
        """
        run = self.env["hr.payslip.run"].browse(self.env.context.get("active_id"))
        if not run.exists():
            return super().compute_sheet()
        if not self.employee_ids:
            raise UserError(self.env._("You must select employee(s) to generate payslip(s)."))
        wizard = self.with_context(kpi_batch_structure_id=run.struct_id.id)
        Payslip = wizard.env["hr.payslip"]
        with Payslip._kpi_deferred_guard(wizard.employee_ids):
            payslips = Payslip._kpi_bulk_create(wizard.employee_ids, run)
            payslips._compute_name()
            payslips.compute_sheet()
        return {"type": "ir.actions.act_window_close"}

    def _kpi_compute_sheet_one_by_one(self):
        """OCA's own batch wizard, one payslip at a time (the reference of the bulk
        path: identity test, benchmark), with the KPI amounts read once beforehand
        and the guards deferred to its end; its payslips computed one at a time."""
        run = self.env["hr.payslip.run"].browse(self.env.context.get("active_id"))
        wizard = self.with_context(kpi_batch_structure_id=run.struct_id.id)
        Payslip = wizard.env["hr.payslip"]
        contracts = Payslip._kpi_wizard_contracts(wizard.employee_ids, run)
        structures = run.struct_id or contracts.struct_id
        prefetch = bool(
            contracts and Payslip._kpi_may_read() and Payslip._kpi_structure_inputs(structures)
        )
        with Payslip._kpi_deferred_guard(wizard.employee_ids):
            if prefetch:
                Payslip._kpi_prefetch(contracts, run.date_start, run.date_end)
            token = ONE_BY_ONE.set(True)
            try:
                return super(HrPayslipEmployees, wizard).compute_sheet()
            finally:
                ONE_BY_ONE.reset(token)
                Payslip._kpi_prefetch_clear(run.date_start, run.date_end)
