from collections import defaultdict
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .hr_kpi_indicator import RATER_ROLES
from .hr_kpi_row_locks import wait_lock
from .kpi_policy import KpiPolicy, in_action, kpi_action, kpi_action_scope

RATING_ROLES = [role for role in RATER_ROLES if role[0] != "hr"]
MAX_PROPOSED_PEERS = 3
# Ratings the running rating form's save locked and checked (_lock_for_rater): the
# writes of their values inside it need not lock and check them again (two lines:
# eight queries less per save). Python state of the running code, never the Odoo
# context, which the client controls.
_LOCKED_RATINGS = ContextVar("hr_kpi_locked_ratings", default=frozenset())


class HrKpiRating(models.Model):
    """One rater's input to an evaluation: the values of the lines of his role."""

    _name = "hr.kpi.rating"
    _description = "KPI Rating"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    _order = "evaluation_id, role, id"
    _check_company_auto = True
    # The values themselves (line_ids) are guarded on hr.kpi.rating.line: the rating
    # form saves them through this model's write.
    # Stored related fields too (they decide who may fill the rating and whose it is).
    _kpi_policy = KpiPolicy(
        protected=(
            "evaluation_id",
            "role",
            "rater_employee_id",
            "state",
            "company_id",
            "employee_id",
            "rater_user_id",
            # the daily reminder's notices (hr_kpi_rating_followup.py)
            "kpi_notice",
        ),
        # adding a rater gives him the evaluation lines of his role
        action_scope=("hr.kpi.rating.line",),
    )

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

    @api.depends("evaluation_id.name", "role", "rater_employee_id.name")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for rating in self:
            rating.display_name = self.env._(
                "%(evaluation)s · %(role)s: %(rater)s",
                evaluation=rating.evaluation_id.name or "",
                role=roles.get(rating.role, ""),
                rater=rating.rater_employee_id.name or "",
            )

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

    # A manager or HR may add a rater by hand while the evaluation is rated; the
    # rating then gets the evaluation lines of its role. Nothing else of a rating
    # changes outside its actions.
    ADDABLE_FIELDS = ("evaluation_id", "role", "rater_employee_id")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._kpi_check_values(vals)
        if self.env.su or in_action(self):
            return super().create(vals_list)
        protected = set(self._kpi_policy.protected)
        self = self._kpi_without_protected_defaults(protected)
        for vals in vals_list:
            self._kpi_refuse_protected(
                [
                    name
                    for name, value in vals.items()
                    if name not in self.ADDABLE_FIELDS
                    and not self._kpi_unchanged_on_create(name, value)
                ]
            )
            self._check_added_rater(vals)
        with kpi_action_scope(self):
            ratings = super().create(vals_list)
            ratings._add_lines()
        return ratings

    def _check_added_rater(self, vals):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_manager"):
            raise AccessError(self.env._("Only KPI managers and HR add raters."))
        evaluation = self.env["hr.kpi.evaluation"].browse(vals.get("evaluation_id"))
        evaluation.check_access("write")
        rater = self.env["hr.employee"].browse(vals.get("rater_employee_id"))
        if evaluation.state not in ("self_assessment", "rating"):
            raise UserError(
                self.env._(
                    "Raters are added while %(evaluation)s is in self-assessment or rating.",
                    evaluation=evaluation.name,
                )
            )
        if evaluation.employee_id.user_id == self.env.user:
            raise AccessError(self.env._("You cannot choose the raters of your own evaluation."))
        if (vals.get("role") == "self") != (rater == evaluation.employee_id):
            raise UserError(
                self.env._(
                    "Only %(employee)s rates himself, and only in the role Self.",
                    employee=evaluation.employee_id.name,
                )
            )

    def unlink(self):
        """A rater is removed by a manager or HR while the evaluation is rated and
        before he submitted (removing a group's raters moves its weight to the
        others); never from one's own evaluation."""
        if not self.env.su and not in_action(self):
            for rating in self:
                if rating.state != "todo" or rating.evaluation_state not in (
                    "self_assessment",
                    "rating",
                ):
                    raise UserError(
                        self.env._(
                            "The rating of %(employee)s by %(rater)s can no longer be removed.",
                            employee=rating.employee_id.name,
                            rater=rating.rater_employee_id.name,
                        )
                    )
                if rating.employee_id.user_id == self.env.user:
                    raise AccessError(
                        self.env._("You cannot choose the raters of your own evaluation.")
                    )
            self.evaluation_id.check_access("write")
        return super().unlink()

    def _add_lines(self):
        """Rating lines for the manual evaluation lines of each rating's role."""
        self.env["hr.kpi.rating.line"].create(
            [
                {"rating_id": rating.id, "evaluation_line_id": line.id}
                for rating in self
                for line in rating.evaluation_id.line_ids
                if line.rater_role == rating.role and line.indicator_id.source_type == "manual"
            ]
        )

    def _check_rater(self):
        """The rater himself, HR for a rater without a login; while the evaluation is
        rated; never a value of one's own evaluation beyond the self-assessment."""
        officer = self.env.user.has_group("hr_kpi_service.group_kpi_officer")
        # A rater may not read the evaluation itself: its state through the related
        # field, re-read (the caller may just have locked the row).
        self.invalidate_recordset(["evaluation_state"])
        for rating in self:
            rater_user = rating.rater_user_id
            if rater_user != self.env.user and (rater_user or not officer):
                raise AccessError(
                    self.env._(
                        "Only %(rater)s can fill this rating.", rater=rating.rater_employee_id.name
                    )
                )
            if rating.employee_id.user_id == self.env.user and rating.role != "self":
                raise AccessError(
                    self.env._("You cannot rate your own evaluation beyond your self-assessment.")
                )
            if rating.evaluation_state not in ("self_assessment", "rating"):
                raise UserError(
                    self.env._(
                        "The evaluation of %(employee)s is not open for rating.",
                        employee=rating.employee_id.name,
                    )
                )
            if rating.state != "todo":
                raise UserError(
                    self.env._(
                        "The rating of %(employee)s by %(rater)s is already submitted.",
                        employee=rating.employee_id.name,
                        rater=rating.rater_employee_id.name,
                    )
                )

    def write(self, vals):
        # The rating form saves the values through the rating (line_ids): its rows
        # are locked and the rater checked before anything of it is written (the
        # same order as the values' own write: evaluation, then rating).
        if "line_ids" in vals and self._kpi_protection_applies():
            self._lock_for_rater()
            token = _LOCKED_RATINGS.set(_LOCKED_RATINGS.get() | set(self.ids))
            try:
                return super().write(vals)
            finally:
                _LOCKED_RATINGS.reset(token)
        return super().write(vals)

    def _lock_for_rater_once(self):
        """_lock_for_rater, unless the running rating form's save did it already."""
        if not set(self.ids) <= _LOCKED_RATINGS.get():
            self._lock_for_rater()

    def _lock_for_rater(self):
        """_lock_rating_rows, then the rater's checks on the state re-read."""
        self._lock_rating_rows()
        self._check_rater()

    def _lock_rating_rows(self):
        """Lock what a rater's save or submit changes, and nothing more.

        * His rating row, FOR UPDATE: its lines are his values, its state his
          submission; two saves of the same rating run one after the other.
        * The evaluation row, FOR KEY SHARE only. It conflicts with nothing but the
          FOR UPDATE of a state change (rating -> HR review, approval, ...): the
          other raters of the evaluation (KEY SHARE too), a manager typing a value
          (SHARE) and Compute Scores (NO KEY UPDATE) go on at the same time.
        * Then the evaluation's state is re-read, and checked (_lock_for_rater). A
          state change (it locks FOR UPDATE) that committed while this save waited,
          or after this transaction's snapshot, makes PostgreSQL refuse the share
          lock (serialization failure): the save is retried with a fresh snapshot
          and refused on the new state. A state change that starts while this save
          holds its share lock waits until the save committed, and is then retried
          to read its values (hr_kpi_row_locks).

        So an approval and a rater's edit never interleave (RELIABILITY #39) while
        raters never refuse each other (issue 19 item 9). Both locks wait briefly
        (hr_kpi_row_locks.LOCK_WAIT) and name the one record still in the way."""
        self.evaluation_id._lock_rows("key_share")
        busy = wait_lock(self, "update")
        if busy:
            raise UserError(
                self.env._(
                    "Another save of %(rating)s is still running. Reload and try again.",
                    rating=busy[:1].display_name,
                )
            )
        self.invalidate_recordset(["state", "evaluation_state"])

    @kpi_action
    def action_submit(self):
        self._check_rater()
        self._lock_for_rater()
        missing = self.line_ids.filtered(lambda line: not line.has_value)
        if missing:
            raise UserError(
                self.env._(
                    "Enter a value for: %(lines)s",
                    lines=", ".join(missing.mapped("indicator_id.name")),
                )
            )
        # values outside their plausible range need the rater's confirmation
        self.line_ids._check_plausible()
        # The evaluation's scores follow at the next "Compute Scores" or when the
        # manager sends it to HR review: a rater has no right on the evaluation itself.
        self.write({"state": "submitted"})
        return True
