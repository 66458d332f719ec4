from odoo import api, fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    kpi_scheme_override_id = fields.Many2one(
        "hr.kpi.scheme",
        string="KPI Scheme (manual)",
        domain="[('state', '=', 'active'), ('company_id', '=', company_id)]",
        groups="hr.group_hr_user",
        tracking=True,
        help="Set to override the scheme found from job, department or name.",
    )
    kpi_scheme_id = fields.Many2one(
        "hr.kpi.scheme",
        string="KPI Scheme",
        compute="_compute_kpi_scheme_id",
        store=True,
        index=True,
        groups="hr.group_hr_user",
        help="Active scheme applying to the employee: the manual choice if any, else "
        "a scheme naming the employee, else one for the job, else one for the "
        "department.",
    )

    kpi_result_ids = fields.One2many(
        "hr.kpi.result", "employee_id", string="KPI Results", groups="hr.group_hr_user"
    )
    kpi_evaluation_count = fields.Integer(
        compute="_compute_kpi_evaluation_count", groups="hr.group_hr_user"
    )

    def _compute_kpi_evaluation_count(self):
        counts = dict(
            self.env["hr.kpi.evaluation"]._read_group(
                [("employee_id", "in", self.ids)], ["employee_id"], ["__count"]
            )
        )
        for employee in self:
            employee.kpi_evaluation_count = counts.get(employee, 0)

    def action_open_kpi_evaluations(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Evaluations of %(employee)s", employee=self.name),
            "res_model": "hr.kpi.evaluation",
            "view_mode": "list,form",
            "domain": [("employee_id", "=", self.id)],
        }

    @api.depends("kpi_scheme_override_id", "job_id", "department_id", "company_id")
    def _compute_kpi_scheme_id(self):
        schemes = self.env["hr.kpi.scheme"].search(
            [("state", "=", "active"), ("company_id", "in", self.company_id.ids)],
            order="sequence, id",
        )
        by_employee, by_job, by_department = {}, {}, {}
        for scheme in schemes:
            for employee in scheme.employee_ids:
                by_employee.setdefault(employee.id, scheme)
            for job in scheme.job_ids:
                by_job.setdefault((scheme.company_id.id, job.id), scheme)
            for department in scheme.department_ids:
                by_department.setdefault((scheme.company_id.id, department.id), scheme)
        for employee in self:
            company = employee.company_id.id
            employee.kpi_scheme_id = (
                employee.kpi_scheme_override_id
                or by_employee.get(employee._origin.id)
                or by_job.get((company, employee.job_id.id))
                or by_department.get((company, employee.department_id.id))
                or False
            )

    def _recompute_kpi_scheme(self, companies):
        """Recompute the scheme of every employee of `companies` (one query per model)."""
        employees = self.search([("company_id", "in", companies.ids)])
        self.env.add_to_compute(self._fields["kpi_scheme_id"], employees)
        employees.flush_recordset(["kpi_scheme_id"])

    def action_open_kpi_scheme(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.kpi.scheme",
            "res_id": self.kpi_scheme_id.id,
            "view_mode": "form",
        }
