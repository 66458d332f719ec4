from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .kpi_policy import KpiPolicy, in_action, kpi_action, kpi_action_scope

APPEAL_STATES = [
    ("submitted", "Submitted"),
    ("upheld", "Upheld"),
    ("rejected", "Rejected"),
]


class HrKpiAppeal(models.Model):
    """An employee's appeal (申诉) against a published evaluation; HR's decision is final.

    The employee lodges it (create: evaluation and reason only); HR decides it with
    Uphold or Reject, never about his own evaluation. One open appeal per evaluation
    (a partial unique index), and none once an appeal of it was decided.
    """

    _name = "hr.kpi.appeal"
    _description = "KPI Appeal"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    # The decision note is HR's draft while the appeal is open (officers only by
    # the access rights); once decided, nothing changes (see write).
    _kpi_policy = KpiPolicy(
        protected=(
            "evaluation_id",
            "state",
            "decided_by_id",
            "decision_date",
            "company_id",
            "employee_id",
        ),
        # a decision is final
        locked_when=("state", ("upheld", "rejected")),
    )

    evaluation_id = fields.Many2one(
        "hr.kpi.evaluation", required=True, ondelete="restrict", index=True, check_company=True
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True)
    employee_id = fields.Many2one(related="evaluation_id.employee_id", store=True)
    reason = fields.Text(required=True)
    state = fields.Selection(APPEAL_STATES, default="submitted", required=True, tracking=True)
    decision_note = fields.Text(tracking=True)
    decided_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    decision_date = fields.Datetime(readonly=True)
    # What the lodging dialog shows: the window and why a new appeal is refused.
    deadline_local = fields.Char(
        string="Appeal Window Closes",
        compute="_compute_appeal_help",
        help="Last moment an appeal is accepted, in the company's time.",
    )
    refusal = fields.Char(compute="_compute_appeal_help")

    @api.depends("employee_id.name", "evaluation_id.period_id.name")
    def _compute_display_name(self):
        for appeal in self:
            appeal.display_name = self.env._(
                "Appeal: %(employee)s · %(period)s",
                employee=appeal.employee_id.name or "",
                period=appeal.evaluation_id.period_id.name or "",
            )

    @api.depends("evaluation_id", "state")
    def _compute_appeal_help(self):
        now = fields.Datetime.now()
        for appeal in self:
            evaluation = appeal.evaluation_id
            appeal.deadline_local = (
                evaluation._local_deadline() if evaluation.appeal_deadline else False
            )
            appeal.refusal = False
            if evaluation and not appeal.id:
                decided = self.sudo().search_count(
                    [("evaluation_id", "=", evaluation.id), ("state", "!=", "submitted")]
                )
                appeal.refusal = self._refusal(evaluation, bool(decided), now)

    def init(self):
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS hr_kpi_appeal_one_open_per_evaluation
            ON hr_kpi_appeal (evaluation_id) WHERE state = 'submitted'
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su or in_action(self):
            return super().create(vals_list)
        protected = {*self._kpi_policy.protected, "decision_note"}
        self = self._kpi_without_protected_defaults(protected)
        for vals in vals_list:
            forged = [
                name
                for name, value in vals.items()
                if name in protected - {"evaluation_id"}
                and not self._kpi_unchanged_on_create(name, value)
            ]
            if forged:
                raise AccessError(
                    self.env._(
                        "An appeal is lodged with its evaluation and reason only; %(fields)s "
                        "are set by HR's decision.",
                        fields=", ".join(
                            self._fields[name]._description_string(self.env) for name in forged
                        ),
                    )
                )
        evaluations = self.env["hr.kpi.evaluation"].browse(
            [vals.get("evaluation_id") for vals in vals_list]
        )
        evaluations.check_access("read")
        evaluations._lock_rows()
        self._check_can_appeal(evaluations)
        with kpi_action_scope(self, evaluations):
            appeals = super().create(vals_list)
            # Moving the evaluation to "under appeal" is the appeal's own effect,
            # which the employee has no right to write himself.
            appeals.evaluation_id.sudo()._set_state("appealed")
        for appeal in appeals:
            appeal.evaluation_id.sudo().message_post(
                body=self.env._("Appeal lodged: %(reason)s", reason=appeal.reason),
                author_id=self.env.user.partner_id.id,
            )
        return appeals

    @api.model
    def _check_can_appeal(self, evaluations):
        """The employee himself (HR for an employee without a login), on a published
        evaluation, within the window, once."""
        officer = self.env.user.has_group("hr_kpi_service.group_kpi_officer")
        now = fields.Datetime.now()
        if len(set(evaluations.ids)) != len(evaluations) or not all(evaluations.ids):
            raise UserError(self.env._("An appeal names one evaluation, appealed once."))
        evaluations.check_access("read")
        decided = self.sudo().search(
            [("evaluation_id", "in", evaluations.ids), ("state", "!=", "submitted")]
        )
        for evaluation in evaluations:
            user = evaluation.employee_id.user_id
            if user != self.env.user and (user or not officer):
                raise AccessError(
                    self.env._(
                        "Only %(employee)s can appeal his evaluation.",
                        employee=evaluation.employee_id.name,
                    )
                )
            refusal = self._refusal(evaluation, evaluation in decided.evaluation_id, now)
            if refusal:
                raise UserError(refusal)

    @api.model
    def _refusal(self, evaluation, decided, now):
        """Why `evaluation` cannot be appealed now (False when it can)."""
        if decided:
            return self.env._(
                "An appeal of %(evaluation)s was already decided; the decision is final.",
                evaluation=evaluation.name,
            )
        if evaluation.state == "appealed":
            return self.env._(
                "%(evaluation)s is already under appeal; HR will decide it.",
                evaluation=evaluation.name,
            )
        if evaluation.state != "published":
            return self.env._(
                "Only a published evaluation can be appealed (%(evaluation)s is not).",
                evaluation=evaluation.name,
            )
        if evaluation.appeal_deadline and now > evaluation.appeal_deadline:
            return self.env._(
                "The appeal window of %(evaluation)s closed on %(deadline)s.",
                evaluation=evaluation.name,
                deadline=evaluation._local_deadline(),
            )
        return False

    def _kpi_locked_message(self, locked, fnames):
        return self.env._("An appeal decision is final and cannot be changed.")

    def _check_decider(self):
        """Who decides these appeals: HR (KPI officers) with write access."""
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise AccessError(self.env._("Only HR (KPI officers) decide appeals."))
        self.check_access("write")

    def _decide(self, state, note):
        """Record HR's final decision; `note` defaults to the appeal's decision note."""
        self._check_decider()
        own = self.filtered(lambda appeal: appeal.employee_id.user_id == self.env.user)
        if own:
            raise AccessError(self.env._("You cannot decide an appeal about your own evaluation."))
        self.evaluation_id._lock_rows()
        self.invalidate_recordset(["state"])
        if self.filtered(lambda appeal: appeal.state != "submitted"):
            raise UserError(self.env._("An appeal decision is final and cannot be changed."))
        now = fields.Datetime.now()
        for appeal in self:
            decision = note if isinstance(note, str) else ""
            decision = (decision or appeal.decision_note or "").strip()
            if not decision:
                raise UserError(self.env._("Write the reason of the decision."))
            appeal.write(
                {
                    "state": state,
                    "decision_note": decision,
                    "decided_by_id": self.env.user.id,
                    "decision_date": now,
                }
            )

    @kpi_action
    def action_uphold(self, note=None):
        """Upheld: the evaluation goes back to HR review to be corrected and rescored."""
        self._decide("upheld", note or self.env.context.get("kpi_decision_note"))
        for appeal in self:
            appeal.evaluation_id.action_reopen(
                self.env._("Appeal upheld: %(note)s", note=appeal.decision_note)
            )
        return True

    @kpi_action
    def action_reject(self, note=None):
        """Rejected: the evaluation is closed as published."""
        self._decide("rejected", note or self.env.context.get("kpi_decision_note"))
        self.evaluation_id.action_close()
        for appeal in self:
            appeal.evaluation_id.message_post(
                body=self.env._("Appeal rejected: %(note)s", note=appeal.decision_note)
            )
        return True
