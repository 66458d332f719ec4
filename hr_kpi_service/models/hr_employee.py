from odoo import api, fields, models

from .kpi_policy import KpiPolicy


class HrEmployee(models.Model):
    # The current star is computed from the done star reviews and the monthly stars:
    # no write sets it (hr.kpi.protected.mixin), HR changes it through those actions.
    _name = "hr.employee"
    _inherit = ["hr.employee", "hr.kpi.protected.mixin"]
    _kpi_policy = KpiPolicy(protected=("kpi_star_level_id",))

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

    # ------------------------------------------------------------------
    # Stars (seed 003)
    # ------------------------------------------------------------------
    kpi_star_month_ids = fields.One2many(
        "hr.kpi.star.month", "employee_id", string="Monthly Stars", groups="hr.group_hr_user"
    )
    kpi_star_level_id = fields.Many2one(
        "hr.kpi.star.level",
        string="Current Star",
        compute="_compute_kpi_star_level_id",
        compute_sudo=True,
        groups="hr.group_hr_user",
        help="The star of the latest computed month, or of the latest done star review "
        "when it is more recent. Not stored: it moves on with the calendar.",
    )
    kpi_star_month_count = fields.Integer(
        compute="_compute_kpi_star_month_count", groups="hr.group_hr_user"
    )

    @api.depends("kpi_star_month_ids.star_level_id")
    @api.depends_context("date")
    def _compute_kpi_star_level_id(self):
        """Latest star month (not in the future) or done review line, whichever applies
        from the later date: a review applies from the day after its quarter."""
        today = self.env.context.get("date") or fields.Date.context_today(self)
        Month = self.env["hr.kpi.star.month"]
        Line = self.env["hr.kpi.star.review.line"]
        ids = self._origin.ids
        latest_months = dict(
            Month._read_group(
                [("employee_id", "in", ids), ("period_date_from", "<=", today)],
                ["employee_id"],
                ["period_date_from:max"],
            )
        )
        months = Month.search(
            [
                ("employee_id", "in", ids),
                ("period_date_from", "in", list(set(latest_months.values()))),
            ]
        )
        by_month = {
            month.employee_id: month
            for month in months
            if latest_months.get(month.employee_id) == month.period_date_from
        }
        done = [("employee_id", "in", ids), ("review_id.state", "=", "done")]
        latest_lines = dict(Line._read_group(done, ["employee_id"], ["period_date_from:max"]))
        lines = Line.search([*done, ("period_date_from", "in", list(set(latest_lines.values())))])
        by_line = {
            line.employee_id: line
            for line in lines
            if latest_lines.get(line.employee_id) == line.period_date_from
        }
        for employee in self:
            origin = employee._origin
            month, line = by_month.get(origin), by_line.get(origin)
            month_from = month.period_date_from if month else None
            line_from = fields.Date.add(line.period_id.date_to, days=1) if line else None
            if line and (not month or line_from > month_from) and line_from <= today:
                employee.kpi_star_level_id = line.star_level_id
            else:
                employee.kpi_star_level_id = month.star_level_id if month else False

    def _compute_kpi_star_month_count(self):
        counts = dict(
            self.env["hr.kpi.star.month"]._read_group(
                [("employee_id", "in", self.ids)], ["employee_id"], ["__count"]
            )
        )
        for employee in self:
            employee.kpi_star_month_count = counts.get(employee, 0)

    def action_open_kpi_star_months(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Stars of %(employee)s", employee=self.name),
            "res_model": "hr.kpi.star.month",
            "view_mode": "list,form",
            "domain": [("employee_id", "=", self.id)],
        }
