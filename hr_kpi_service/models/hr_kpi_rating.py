from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from .hr_kpi_indicator import RATER_ROLES

RATING_ROLES = [role for role in RATER_ROLES if role[0] != "hr"]
MAX_PROPOSED_PEERS = 3


class HrKpiRating(models.Model):
    """One rater's input to an evaluation: the values of the lines of his role."""

    _name = "hr.kpi.rating"
    _description = "KPI Rating"
    _inherit = ["mail.thread"]
    _order = "evaluation_id, role, id"
    _check_company_auto = True

    evaluation_id = fields.Many2one(
        "hr.kpi.evaluation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True)
    employee_id = fields.Many2one(
        related="evaluation_id.employee_id", string="Evaluated Employee", store=True
    )
    period_id = fields.Many2one(related="evaluation_id.period_id")
    evaluation_state = fields.Selection(related="evaluation_id.state", string="Evaluation Status")
    role = fields.Selection(RATING_ROLES, required=True)
    rater_employee_id = fields.Many2one(
        "hr.employee", string="Rater", required=True, check_company=True, tracking=True
    )
    rater_user_id = fields.Many2one(
        related="rater_employee_id.user_id", store=True, index=True, string="Rater User"
    )
    state = fields.Selection(
        [("todo", "To Do"), ("submitted", "Submitted")],
        default="todo",
        required=True,
        tracking=True,
    )
    line_ids = fields.One2many("hr.kpi.rating.line", "rating_id", string="Values")
    comment = fields.Text()

    _sql_constraints = [
        (
            "rater_uniq",
            "unique(evaluation_id, role, rater_employee_id)",
            "This rater already rates this evaluation in this role.",
        ),
    ]

    @api.model
    def _org_chart_raters(self, employee, peers_by_department):
        """Proposed (role, rater) pairs for `employee` from the org chart."""
        raters = [("self", employee)]
        manager = employee.parent_id or employee.department_id.manager_id
        if manager and manager != employee:
            raters.append(("superior", manager))
        if employee.coach_id and employee.coach_id not in (employee, manager):
            raters.append(("group", employee.coach_id))
        colleagues = [
            peer
            for peer in peers_by_department.get(employee.department_id.id, [])
            if peer not in (employee, manager) and peer not in employee.child_ids
        ]
        colleagues.sort(key=lambda peer: (peer.parent_id != employee.parent_id, peer.name))
        raters.extend(("peer", peer) for peer in colleagues[:MAX_PROPOSED_PEERS])
        raters.extend(("subordinate", child) for child in employee.child_ids)
        return raters

    @api.model
    def _propose(self, evaluations):
        """Create the ratings of `evaluations` for the roles their lines need."""
        employees = evaluations.employee_id
        peers_by_department = defaultdict(list)
        for colleague in self.env["hr.employee"].search(
            [("department_id", "in", employees.department_id.ids)]
        ):
            peers_by_department[colleague.department_id.id].append(colleague)
        vals_list = []
        for evaluation in evaluations:
            lines_by_role = defaultdict(list)
            for line in evaluation.line_ids:
                # Imported and computed values come from records, nobody rates them.
                if line.indicator_id.source_type == "manual":
                    lines_by_role[line.rater_role].append(line.id)
            for role, rater in self._org_chart_raters(evaluation.employee_id, peers_by_department):
                if role not in lines_by_role:
                    continue
                vals_list.append(
                    {
                        "evaluation_id": evaluation.id,
                        "role": role,
                        "rater_employee_id": rater.id,
                        "line_ids": [
                            fields.Command.create({"evaluation_line_id": line_id})
                            for line_id in lines_by_role[role]
                        ],
                    }
                )
        return self.create(vals_list)

    def _check_rater(self):
        officer = self.env.user.has_group("hr_kpi_service.group_kpi_officer")
        for rating in self:
            if not officer and rating.rater_user_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Only %(rater)s can fill this rating.", rater=rating.rater_employee_id.name
                    )
                )
            if rating.evaluation_state not in ("self_assessment", "rating"):
                raise UserError(
                    self.env._(
                        "The evaluation of %(employee)s is not open for rating.",
                        employee=rating.employee_id.name,
                    )
                )

    def action_submit(self):
        self._check_rater()
        missing = self.line_ids.filtered(lambda line: not line.has_value)
        if missing:
            raise UserError(
                self.env._(
                    "Enter a value for: %(lines)s",
                    lines=", ".join(missing.mapped("indicator_id.name")),
                )
            )
        # The evaluation's scores follow at the next "Compute Scores" or when the
        # manager sends it to HR review: a rater has no right on the evaluation itself.
        self.write({"state": "submitted"})
        return True
