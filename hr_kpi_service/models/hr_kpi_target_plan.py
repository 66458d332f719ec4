from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .hr_kpi_evaluation import APPROVED_STATES
from .kpi_policy import KpiPolicy, kpi_action

PLAN_STATES = [
    ("draft", "Draft"),
    ("proposed", "Proposed"),
    ("approved", "Approved"),
    ("filed", "Filed with HR"),
    ("superseded", "Superseded"),
]
# The plan whose targets count: approved by the superior (filed with HR or not yet).
EFFECTIVE_STATES = ("approved", "filed")
OPEN_STATES = ("draft", "proposed")
PLAN_PERIOD_TYPES = ("monthly", "quarterly", "annual")
# What a plan is about: fixed once it leaves the draft.
DRAFT_ONLY_FIELDS = ("employee_id", "period_id", "company_id")
# Whose targets they are: fixed at creation, in every state (RELIABILITY #43).
OWNER_FIELDS = ("employee_id",)
MANAGER_GROUP = "hr_kpi_service.group_kpi_manager"
OFFICER_GROUP = "hr_kpi_service.group_kpi_officer"


class HrKpiTargetPlan(models.Model):
    """A person's targets for a period (目标责任书 / 工作目标计划表).

    Seed 000 浙江和通: 量化考核方案依据目标责任书确定, signed for January to
    December; 效劳经理: monthly and yearly targets confirmed with the company's
    leaders. Seed 004 第13-14条: the person fills in the plan, the superior reviews
    it, it is filed with HR; adjusted during the period with the superior's approval.

    The employee or a superior writes the draft and proposes it; a KPI manager over
    the employee (or an officer), never the employee himself, approves it; an officer
    files it. An approved plan changes only through a revision: a new version
    linked to it (``previous_id``), approved the same way, which supersedes it.
    The evaluation of the plan's period scores against its targets.
    """

    _name = "hr.kpi.target.plan"
    _description = "KPI Personal Target Plan"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    _order = "date_from desc, employee_id, version desc, id desc"
    _check_company_auto = True
    _kpi_policy = KpiPolicy(
        protected=(
            "state",
            "version",
            "previous_id",
            "proposed_by_id",
            "approved_by_id",
            "approved_date",
            "filed_by_id",
            "filed_date",
        ),
        # whose targets they are (RELIABILITY #43)
        fixed=OWNER_FIELDS,
        # a proposed or approved plan changes only through a revision
        locked_when=("state", ("proposed", "approved", "filed", "superseded")),
        locked_fields=DRAFT_ONLY_FIELDS,
        unlink="unlocked",
    )

    employee_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        default=lambda self: self._default_employee(),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    period_id = fields.Many2one(
        "hr.kpi.period",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain=[("period_type", "in", PLAN_PERIOD_TYPES)],
        help="A month, a quarter or a year: the targets are those of the evaluation of "
        "exactly this period.",
    )
    date_from = fields.Date(related="period_id.date_from", store=True)
    line_ids = fields.One2many("hr.kpi.target.plan.line", "plan_id", string="Targets", copy=True)
    allowed_indicator_ids = fields.Many2many(
        "hr.kpi.indicator",
        compute="_compute_allowed_indicator_ids",
        string="Indicators Offered",
        help="The indicators of the employee's KPI scheme (else of the company's "
        "active schemes): each one once, the shipped templates' never.",
    )
    state = fields.Selection(
        PLAN_STATES, default="draft", required=True, tracking=True, index=True, copy=False
    )
    version = fields.Integer(default=1, readonly=True, copy=False)
    previous_id = fields.Many2one(
        "hr.kpi.target.plan",
        string="Revises",
        readonly=True,
        copy=False,
        index=True,
        ondelete="restrict",
        help="The approved plan this version revises; it stays as history.",
    )
    history_ids = fields.Many2many(
        "hr.kpi.target.plan", compute="_compute_history_ids", string="Versions"
    )
    revision_reason = fields.Text(
        tracking=True,
        copy=False,
        help="Why the targets change during the period (required for a revision).",
    )
    note = fields.Text()
    proposed_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_date = fields.Datetime(readonly=True, copy=False)
    filed_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    filed_date = fields.Datetime(readonly=True, copy=False)

    def init(self):
        # One plan in force and one open draft per person and period: money-relevant
        # uniqueness held by PostgreSQL, also under concurrent approvals.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS hr_kpi_target_plan_one_effective
            ON hr_kpi_target_plan (employee_id, period_id) WHERE state IN ('approved', 'filed');
            CREATE UNIQUE INDEX IF NOT EXISTS hr_kpi_target_plan_one_open
            ON hr_kpi_target_plan (employee_id, period_id) WHERE state IN ('draft', 'proposed');
            """
        )

    @api.depends("employee_id.name", "period_id.name", "version")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "Targets: %(employee)s · %(period)s (v%(version)s)",
                employee=plan.employee_id.name or "",
                period=plan.period_id.name or "",
                version=plan.version,
            )

    @api.model
    def _default_employee(self):
        """The person opening a new plan writes his own targets; a lead opening it
        from his team member (the action's default_employee_id) writes that one's."""
        return self.env.user.employee_ids.filtered(
            lambda employee: employee.company_id == self.env.company
        )[:1]

    @api.depends("employee_id", "company_id")
    def _compute_allowed_indicator_ids(self):
        Indicator = self.env["hr.kpi.indicator"]
        for plan in self:
            # the scheme is read for the plan's writer (a rep may not read his
            # employee's HR fields)
            scheme = plan.employee_id.sudo().kpi_scheme_id
            if scheme:
                indicators = Indicator.search([("scheme_id", "=", scheme.id)])
            else:
                indicators = Indicator.search(
                    [
                        ("scheme_id.state", "=", "active"),
                        ("scheme_id.company_id", "=", plan.company_id.id),
                    ]
                )
            plan.allowed_indicator_ids = indicators

    @api.depends("employee_id", "period_id")
    def _compute_history_ids(self):
        plans = self.search(
            [
                ("employee_id", "in", self.employee_id.ids),
                ("period_id", "in", self.period_id.ids),
            ]
        )
        for plan in self:
            plan.history_ids = plans.filtered(
                lambda other, p=plan: (
                    (other.employee_id, other.period_id) == (p.employee_id, p.period_id)
                )
            )

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # states written earlier in the transaction reach the unique indexes first
        self.flush_model(["state"])
        self._check_one_open(
            {(vals.get("employee_id"), vals.get("period_id")) for vals in vals_list}
        )
        return super().create(vals_list)

    @api.model
    def _check_one_open(self, keys):
        """One plan being written per person and period (the index holds it under
        concurrency; this says it in words before the insert)."""
        others = self.sudo().search(
            [
                ("employee_id", "in", [employee for employee, _period in keys]),
                ("period_id", "in", [period for _employee, period in keys]),
                ("state", "in", OPEN_STATES),
            ]
        )
        for other in others:
            if (other.employee_id.id, other.period_id.id) in keys:
                raise UserError(
                    self.env._(
                        "%(plan)s is already being written for this period: finish or delete "
                        "it first.",
                        plan=other.display_name,
                    )
                )

    def _check_none_in_force(self):
        """A second plan for a period with one in force is a revision of it."""
        in_force = self.search(
            [
                ("id", "not in", (self | self.previous_id).ids),
                ("employee_id", "in", self.employee_id.ids),
                ("period_id", "in", self.period_id.ids),
                ("state", "in", EFFECTIVE_STATES),
            ]
        )
        for plan in self:
            clash = in_force.filtered(
                lambda o, p=plan: (o.employee_id, o.period_id) == (p.employee_id, p.period_id)
            )
            if clash:
                raise UserError(
                    self.env._(
                        "%(plan)s is in force for this period: its targets change through "
                        "Revise, not through a second plan.",
                        plan=clash[0].display_name,
                    )
                )

    @api.constrains("previous_id", "employee_id", "period_id")
    def _check_previous_same_employee(self):
        """A revision revises the plan of the same person and period (RELIABILITY #43)."""
        for plan in self:
            previous = plan.previous_id
            if previous and (
                previous.employee_id != plan.employee_id or previous.period_id != plan.period_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(plan)s can only revise a plan of the same employee and period, not "
                        "%(previous)s.",
                        plan=plan.display_name,
                        previous=previous.display_name,
                    )
                )

    def _kpi_fixed_message(self, fnames):
        return self.env._(
            "A target plan keeps its %(fields)s: a plan for someone else is a new plan.",
            fields=self._kpi_labels(fnames),
        )

    def _kpi_locked_message(self, locked, fnames):
        if not fnames:
            return self.env._(
                "Only a draft target plan is deleted; an approved one stays as the "
                "history of the period's targets."
            )
        plan = locked[0]
        return self.env._(
            "%(plan)s is %(state)s: its targets change only through a revision.",
            plan=plan.display_name,
            state=dict(self._fields["state"]._description_selection(self.env))[plan.state],
        )

    def _check_lines_editable(self):
        if not self.env.su:
            self._check_draft()

    def _check_draft(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._(
                        "%(plan)s is %(state)s: its targets change only through a revision.",
                        plan=plan.display_name,
                        state=dict(self._fields["state"]._description_selection(self.env))[
                            plan.state
                        ],
                    )
                )

    def _check_state(self, states, action):
        wrong = self.filtered(lambda plan: plan.state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    "%(plan)s cannot be %(action)s in its state.",
                    plan=wrong[0].display_name,
                    action=action,
                )
            )

    def _is_own(self):
        return self.employee_id.user_id == self.env.user

    def _check_employee_or_manager(self):
        """The employee himself or a KPI manager over him (the record rules decide
        whose plans a manager sees)."""
        self.check_access("write")
        if not self.env.user.has_group(MANAGER_GROUP) and any(not plan._is_own() for plan in self):
            raise AccessError(
                self.env._("Only the employee or his superior proposes a target plan.")
            )

    def _check_superior(self, what):
        """Four-eyes: a KPI manager over the employee or an officer, never himself."""
        self.check_access("write")
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only the superior (a KPI manager) or HR %(what)s.", what=what)
            )
        own = self.filtered(lambda plan: plan._is_own())
        if own:
            raise AccessError(
                self.env._(
                    "%(plan)s: nobody approves his own targets; his superior does.",
                    plan=own[0].display_name,
                )
            )

    def _check_evaluation_open(self):
        """Targets change while the period's evaluation is still being scored."""
        locked = (
            self.env["hr.kpi.evaluation"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", self.employee_id.ids),
                    ("period_id", "in", self.period_id.ids),
                    ("state", "in", APPROVED_STATES),
                ],
                limit=1,
            )
        )
        if locked:
            raise UserError(
                self.env._(
                    "The evaluation %(evaluation)s is already approved: its targets no longer "
                    "change. Reopen it first.",
                    evaluation=locked.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    @kpi_action
    def action_propose(self):
        self._check_state(("draft",), self.env._("proposed"))
        self._check_employee_or_manager()
        for plan in self:
            if not plan.line_ids:
                raise UserError(
                    self.env._("%(plan)s has no target to propose.", plan=plan.display_name)
                )
            if plan.previous_id and not (plan.revision_reason or "").strip():
                raise UserError(
                    self.env._(
                        "%(plan)s revises approved targets: say why in the revision reason.",
                        plan=plan.display_name,
                    )
                )
        self.write({"state": "proposed", "proposed_by_id": self.env.user.id})
        return True

    @kpi_action
    def action_send_back(self):
        """The superior sends a proposal back to draft (or its author takes it back)."""
        self._check_state(("proposed",), self.env._("sent back"))
        self._check_employee_or_manager()
        self.write({"state": "draft"})
        return True

    @kpi_action
    def action_approve(self):
        self._check_state(("proposed",), self.env._("approved"))
        self._check_superior(self.env._("approves a target plan"))
        self._check_evaluation_open()
        self._check_none_in_force()
        previous = self.previous_id
        if previous:
            # only the same person's plan of the same period (the constraint holds it)
            self._check_previous_same_employee()
            previous._check_state(EFFECTIVE_STATES, self.env._("revised"))
            previous._kpi_write({"state": "superseded"})  # the plan it revises, checked above
            previous.flush_recordset(["state"])  # out of the index before the new one is in
        self.write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    @kpi_action
    def action_file(self):
        """HR receives the approved plan (报人力资源部备案)."""
        self._check_state(("approved",), self.env._("filed"))
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(self.env._("Only HR (a KPI officer) files a target plan."))
        self._check_superior(self.env._("files a target plan"))
        self.write(
            {"state": "filed", "filed_by_id": self.env.user.id, "filed_date": fields.Datetime.now()}
        )
        return True

    @kpi_action
    def action_revise(self):
        """A new draft version of an approved plan, with its targets to adjust."""
        self.ensure_one()
        self._check_state(EFFECTIVE_STATES, self.env._("revised"))
        self._check_employee_or_manager()
        revision = self.copy({"previous_id": self.id, "version": self.version + 1})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": revision.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------
    @api.model
    def _personal_targets(self, employees, periods):
        """{(employee id, period id, indicator id): (target, stretch or None)} of the
        plans in force for these employees and periods (one query, as superuser: the
        evaluation that reads them is already the reader's)."""
        lines = (
            self.env["hr.kpi.target.plan.line"]
            .sudo()
            .search(
                [
                    ("plan_id.state", "in", EFFECTIVE_STATES),
                    ("plan_id.employee_id", "in", employees.ids),
                    ("plan_id.period_id", "in", periods.ids),
                ]
            )
        )
        return {
            (line.plan_id.employee_id.id, line.plan_id.period_id.id, line.indicator_id.id): (
                line.target,
                line.stretch or None,
            )
            for line in lines
        }
