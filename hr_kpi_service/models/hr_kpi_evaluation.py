from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..engine import (
    KpiEngineError,
    competition_ranks,
    most_improved,
    multi_rater_score,
    top_share_flags,
    total_score,
    weighted_contribution,
)
from .hr_kpi_indicator import TEAM_SOURCES
from .hr_kpi_row_locks import try_lock, wait_lock
from .kpi_local_time import local_time
from .kpi_policy import MAIL_FIELDS, KpiPolicy, in_action, kpi_action, kpi_action_scope

# Sources where "no record in the period" means "no value", not zero.

EVALUATION_STATES = [
    ("draft", "Draft"),
    ("self_assessment", "Self-assessment"),
    ("rating", "Rating"),
    ("hr_review", "HR Review"),
    ("approved", "Approved"),
    ("published", "Published"),
    ("appealed", "Under Appeal"),
    ("closed", "Closed"),
]
# From approval on, scores are history (the policy's locked states) and payable.
APPROVED_STATES = ("approved", "published", "appealed", "closed")
# Allowed transitions: state -> states it may move to (the action checks the rest).
TRANSITIONS = {
    "draft": ("self_assessment",),
    "self_assessment": ("rating",),
    "rating": ("hr_review",),
    "hr_review": ("approved", "rating"),
    "approved": ("published", "hr_review"),
    "published": ("appealed", "closed", "hr_review"),
    "appealed": ("hr_review", "closed"),
    "closed": ("hr_review",),
}
RATED_ROLES = ("self", "superior", "peer", "subordinate", "group")
# Fields only the workflow actions change.
PROTECTED_FIELDS = (
    "state",
    "total_score",
    "vetoed",
    "missing_count",
    "grade_band_id",
    "previous_score",
    "rank_department",
    "rank_company",
    "rank_flag",
    "most_improved",
    "published_date",
    "appeal_deadline",
    "reopen_reason",
    "employee_id",
    "scheme_id",
    "period_id",
    "period_date_from",
    "company_id",
    "department_id",
    "job_id",
    "manager_id",
)
SCORE_DIGITS = (16, 2)
# From this many evaluations on, their company check runs per company (_check_company).
BULK_COMPANY_CHECK = 50


class NotSortableError(UserError, ValueError):
    """A field that is no column: a clean refusal for the user (UserError), and what
    Odoo's field descriptions expect of a field it cannot sort or group (ValueError)."""


def _write_grouped(values_by_record, checked=None):
    """Write {record: values} with one write per distinct set of values.

    `checked`: the evaluations whose write access stands for the records' (their
    lines: the lines' record rules are their evaluation's, company, employee and
    state). Odoo checks rules in Python record by record: for 20,000 lines that was
    the largest item of Compute Scores' profile at 2,000 employees; their 2,000
    evaluations cost a tenth.

    Inside a workflow action (which checked the caller) the write access is checked
    once for all the records (the same record rules each write checks), then each
    group is written without checking it again: ranks and scores differ from record
    to record, and one access query per write cost one query per employee and field
    (Approve at 2,000 employees: 18,150 queries and 18.2 s before, 149 queries and
    4.4 s after, with the grouped writes of the sourced values and of the ranks;
    bench_evaluations). An empty `checked`: the caller checked the evaluations'
    write access already, after locking them (_check_write_access); the model's
    access right is checked in any case."""
    if not values_by_record:
        return
    groups = defaultdict(list)
    for record, values in values_by_record.items():
        groups[tuple(sorted(values.items()))].append(record.id)
    model = next(iter(values_by_record)).browse()
    if in_action(model.browse([r.id for r in values_by_record])) and not model.env.su:
        model.check_access("write")
        if checked is None:
            checked = model.browse([i for ids in groups.values() for i in ids])
        checked.check_access("write")
        model = model.sudo()
    for items, ids in groups.items():
        model.browse(ids).write(dict(items))


class HrKpiEvaluation(models.Model):
    """One employee's evaluation for one scheme and period (月度绩效考核表)."""

    _name = "hr.kpi.evaluation"
    _description = "KPI Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin", "hr.kpi.protected.mixin"]
    _order = "period_date_from desc, department_id, employee_id"
    _check_company_auto = True
    _kpi_policy = KpiPolicy(
        protected=PROTECTED_FIELDS,
        locked_when=("state", APPROVED_STATES),
        # notes of the interview and the improvement plan, after approval too
        writable_when_locked=frozenset(
            {
                "interview_date",
                "strengths",
                "improvements",
                "improvement_plan",
                "improvement_owner_id",
                "improvement_due_date",
                "private_note",
            }
        ),
        unlink="unlocked",
        action_scope=(
            "hr.kpi.evaluation.line",
            "hr.kpi.rating",
            "hr.kpi.rating.line",
            "hr.kpi.consequence",
            "hr.kpi.result",
        ),
    )

    name = fields.Char(compute="_compute_name", store=True)
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, tracking=True
    )
    employee_user_id = fields.Many2one(related="employee_id.user_id", string="Employee User")
    scheme_id = fields.Many2one(
        "hr.kpi.scheme", required=True, index=True, check_company=True, ondelete="restrict"
    )
    period_id = fields.Many2one(
        "hr.kpi.period", required=True, index=True, check_company=True, ondelete="restrict"
    )
    period_date_from = fields.Date(related="period_id.date_from", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    department_id = fields.Many2one("hr.department", index=True, check_company=True)
    job_id = fields.Many2one("hr.job", check_company=True)
    manager_id = fields.Many2one(
        "hr.employee",
        string="Superior",
        check_company=True,
        help="The employee's manager when the evaluation was generated.",
    )
    state = fields.Selection(
        EVALUATION_STATES, default="draft", required=True, tracking=True, index=True, copy=False
    )
    line_ids = fields.One2many("hr.kpi.evaluation.line", "evaluation_id", string="Indicators")
    rating_ids = fields.One2many("hr.kpi.rating", "evaluation_id", string="Raters")
    appeal_ids = fields.One2many("hr.kpi.appeal", "evaluation_id", string="Appeals")
    # Score, veto and grade decide pay: tracked, like the state (one message per
    # evaluation and transaction with all of them, created in batch: _message_track).
    total_score = fields.Float(
        string="Score", digits=SCORE_DIGITS, readonly=True, aggregator="avg", tracking=True
    )
    vetoed = fields.Boolean(readonly=True, help="A veto item was not achieved.", tracking=True)
    missing_count = fields.Integer(string="Missing Values", readonly=True)
    grade_scale_id = fields.Many2one(related="scheme_id.grade_scale_id")
    grade_band_id = fields.Many2one(
        "hr.kpi.grade.band", string="Grade", readonly=True, tracking=True
    )
    grade = fields.Char(related="grade_band_id.code", string="Grade Code")
    previous_score = fields.Float(digits=SCORE_DIGITS, readonly=True, aggregator="avg")
    rank_department = fields.Integer(
        string="Rank in Department", readonly=True, aggregator=None
    )
    rank_company = fields.Integer(string="Rank in Company", readonly=True, aggregator=None)
    rank_flag = fields.Selection(
        [("excellence", "Excellence (top 10 %)"), ("good", "Good performance (10–30 %)")],
        string="Ranking Award",
        readonly=True,
    )
    most_improved = fields.Boolean(readonly=True)
    published_date = fields.Datetime(readonly=True, copy=False)
    appeal_deadline = fields.Datetime(
        readonly=True,
        copy=False,
        help="End of the last working day on which an appeal is accepted.",
    )
    reopen_reason = fields.Text(readonly=True, copy=False)
    # Feedback interview and improvement plan (反馈 / 改进计划)
    interview_date = fields.Date(string="Feedback Interview")
    strengths = fields.Text()
    improvements = fields.Text(string="Points to Improve")
    improvement_plan = fields.Text()
    improvement_owner_id = fields.Many2one("hr.employee", string="Plan Owner", check_company=True)
    improvement_due_date = fields.Date(string="Plan Due Date")
    # Kept in hr.kpi.evaluation.note, whose record rules leave out one's own
    # evaluation (RELIABILITY #46): read and written with the user's rights.
    private_note = fields.Text(
        groups="hr_kpi_service.group_kpi_manager",
        compute="_compute_private_note",
        inverse="_inverse_private_note",
        search="_search_private_note",
        compute_sudo=False,
        help="Confidential note of the managers and HR (seed 001 §6): never shown to the "
        "evaluated employee, even when he is a lead or a manager.",
    )

    _sql_constraints = [
        (
            "employee_scheme_period_uniq",
            "unique(employee_id, scheme_id, period_id)",
            "An employee has only one evaluation per scheme and period.",
        ),
    ]

    @api.depends("employee_id.name", "period_id.name")
    def _compute_name(self):
        for evaluation in self:
            evaluation.name = (
                f"{evaluation.employee_id.name or ''} · {evaluation.period_id.name or ''}"
            )

    # ------------------------------------------------------------------
    # Private note (hr.kpi.evaluation.note: managers and HR, never one's own)
    # ------------------------------------------------------------------
    @api.depends_context("uid")
    def _compute_private_note(self):
        # Like a stored field of the groups: refused to the others, even when read
        # by attribute (export_data); then the notes this user's rules show him.
        self.check_field_access_rights("read", ["private_note"])
        ids = [evaluation._origin.id for evaluation in self if evaluation._origin.id]
        notes = self.env["hr.kpi.evaluation.note"].search_fetch(
            [("evaluation_id", "in", ids)], ["evaluation_id", "note"]
        )
        texts = {note.evaluation_id.id: note.note for note in notes}
        for evaluation in self:
            evaluation.private_note = texts.get(evaluation._origin.id, False)

    def _inverse_private_note(self):
        self.env["hr.kpi.evaluation.note"]._kpi_set_notes(
            {evaluation: evaluation.private_note for evaluation in self}
        )

    def _search_private_note(self, operator, value):
        """Evaluations whose note, as this user may read it, matches: a note he
        may not read counts as none (searching never reveals it)."""
        if operator in ("=", "!=") and not value:  # with a note / without any
            matching, noted = ("in" if operator == "!=" else "not in"), ("note", "!=", False)
        elif operator in expression.NEGATIVE_TERM_OPERATORS:
            positive = expression.TERM_OPERATORS_NEGATION[operator]
            return ["!", *self._search_private_note(positive, value)]
        else:
            matching, noted = "in", ("note", operator, value)
        notes = self.env["hr.kpi.evaluation.note"].search_fetch([noted], ["evaluation_id"])
        return [("id", matching, notes.evaluation_id.ids)]

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # Sorting, grouping or aggregating by the note: not a column of this table
        # (refused to those without its groups first, as a stored field would be).
        if fname == "private_note":
            self.check_field_access_rights("read", [fname])
            raise NotSortableError(
                self.env._(
                    "%(field)s cannot be sorted, grouped or aggregated.",
                    field=self._fields[fname]._description_string(self.env),
                )
            )
        return super()._field_to_sql(alias, fname, query, flush)

    # ------------------------------------------------------------------
    # Lock
    # ------------------------------------------------------------------
    def _check_company(self, fnames=None):
        """Odoo's company check of the linked records, per company and field over
        their union instead of record by record (generating 2,000 evaluations ran
        16,000 domain filters, a third of Generate's profile); on an inconsistency,
        Odoo's own check names it."""
        if len(self) < BULK_COMPANY_CHECK:
            return super()._check_company(fnames)
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = self._fields
        names = [
            name
            for name in fnames
            if self._fields[name].relational
            and self._fields[name].check_company
            and not self._fields[name].company_dependent
        ]
        for company in self.company_id:
            records = self.filtered(lambda record, c=company: record.company_id == c).sudo()
            for name in names:
                linked = records[name].with_context(active_test=False)
                domain = linked._check_company_domain(company) if linked else None
                if domain and len(linked.filtered_domain(domain)) != len(linked):
                    return super()._check_company(fnames)
        return super(HrKpiEvaluation, self.filtered(lambda r: not r.company_id))._check_company(
            fnames
        )

    def _kpi_locked_message(self, locked, fnames):
        return self.env._(
            "The evaluation %(name)s is %(state)s and locked: its scores can no "
            "longer change. A KPI officer can reopen it with a reason.",
            name=locked[0].name,
            state=dict(self._fields["state"]._description_selection(self.env))[locked[0].state],
        )

    def _check_unlocked(self, fnames=None):
        """Refuse changing `fnames` of locked evaluations, inside actions too (an
        action that must not touch history)."""
        self._kpi_check_unlocked(fnames)

    def _kpi_check_write(self, vals):
        # Four-eyes: nobody edits his own evaluation.
        if set(vals) - MAIL_FIELDS:
            self._check_not_own(self.env._("Edit"))

    def _lock_rows(self, strength="update"):
        """Lock the evaluations' rows and re-read their state (RELIABILITY #39: an
        approval and an edit of the values never interleave).

        `strength` (see hr_kpi_row_locks, which explains who takes which): "update"
        for a state change, "no_key_update" for scoring, "share" for a manager's
        value, "key_share" for a rater's save (raters of one evaluation never wait
        for each other; only a state change holds them off).

        A row another transaction holds is waited for, up to LOCK_WAIT, instead of
        being refused at once: when it comes free, the request is retried with a
        fresh snapshot (a serialization failure, which Odoo's request layer and
        queue_job retry), so that it reads what the holder committed; when it is
        still held, the refusal names the one evaluation in the way. No "bad query"
        ERROR is logged for either."""
        busy = wait_lock(self, strength)
        if busy:
            raise self._busy_error(busy)
        self.invalidate_recordset(["state"])

    def _lock_ratings(self):
        """Lock the evaluations' ratings, after the evaluations themselves (so no
        rater holds them any more, see hr.kpi.rating._lock_rating_rows): a rating
        submitted after this transaction's snapshot makes PostgreSQL refuse the
        lock with a serialization failure, and the step is retried with a fresh
        snapshot instead of scoring without that rater's values."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM hr_kpi_rating WHERE evaluation_id IN %s ORDER BY id FOR UPDATE",
                    tuple(self.ids),
                ),
                log_exceptions=False,
            )

    def _try_lock_rows(self, strength="update"):
        """Lock the evaluations nobody else holds, without waiting and without any
        error (SKIP LOCKED); returns the busy ones, left alone (period steps)."""
        busy = try_lock(self, strength)
        (self - busy).invalidate_recordset(["state"])
        return busy

    def _busy_error(self, busy):
        name = busy[:1].sudo().name
        if len(busy) == 1:
            return UserError(
                self.env._(
                    "Another user is changing %(evaluations)s right now. Reload and try again.",
                    evaluations=name,
                )
            )
        return UserError(
            self.env._(
                "Another user is changing %(evaluation)s (and %(count)s other evaluations) "
                "right now. Reload and try again.",
                evaluation=name,
                count=len(busy) - 1,
            )
        )

    def _check_not_own(self, step):
        """Four-eyes: nobody moves, scores, approves or reopens his own evaluation."""
        # the user's own employees, every company and archived ones included, read
        # once (not each evaluation's employee's user: 2,000 reads of hr.employee
        # with its record rules at month-end); a user without any has none to skip
        mine = set(
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=False)
            .search([("user_id", "=", self.env.uid)])
            .ids
        )
        own = self.filtered(lambda e: e.employee_id.id in mine) if mine else self.browse()
        if own:
            raise AccessError(
                self.env._(
                    "%(step)s: you cannot do this on your own evaluation (%(evaluation)s); "
                    "another authorised person must.",
                    step=step,
                    evaluation=own[0].name,
                )
            )

    def _check_step(self, group_xmlid, step):
        """Checks of every workflow action: group, write access, four-eyes."""
        self._check_group(group_xmlid)
        self.check_access("write")
        self._check_not_own(step)

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------
    @api.model
    @kpi_action
    def _generate(self, period, employees=None):
        """Create the evaluations of `period` for everyone on an active scheme of
        its period type who is employed by then (no contract yet, or a first
        contract starting on or before the period's last day); existing ones are
        left alone. `employees`: only these of them (a background job's share).
        Returns the new records."""
        period.ensure_one()
        eligible = self._generate_employees(period)
        if employees is not None:
            eligible &= employees
        employees = eligible
        existing = set(
            self.search(
                [("period_id", "=", period.id), ("employee_id", "in", employees.ids)]
            ).mapped(lambda e: (e.employee_id.id, e.scheme_id.id))
        )
        todo = employees.filtered(lambda e: (e.id, e.kpi_scheme_id.id) not in existing)
        # No chatter work per evaluation at creation (tracking_disable): no "created"
        # note, no follower (the officer who generates would otherwise follow, and be
        # notified of, every evaluation; the employee follows his own when it is
        # published), no tracking of the initial values (Odoo tracks changes, not
        # creations). At 2,000 employees the subscription and the 2,000 commit-time
        # tracking hooks (one flush each) were a third of generate (bench_evaluations
        # --profile generate).
        evaluations = self.with_context(tracking_disable=True).create(
            [
                {
                    "employee_id": employee.id,
                    "scheme_id": employee.kpi_scheme_id.id,
                    "period_id": period.id,
                    "company_id": period.company_id.id,
                    "department_id": employee.department_id.id,
                    "job_id": employee.job_id.id,
                    "manager_id": employee.parent_id.id,
                }
                for employee in todo
            ]
        ).with_env(self.env)
        evaluations._create_lines()
        return evaluations

    def _create_lines(self):
        """Insert the lines of new evaluations, one per indicator of their scheme, in
        one INSERT ... SELECT.

        Access: the model's create right is checked here; the lines' record rules
        are their evaluation's (same company, employee and state), which the ORM
        checked when the caller created the evaluations. The lines get what the ORM
        create would give them (the indicator's sequence, weight and rater role, the
        evaluation's company and employee, the log columns; no value) and nothing
        depends on a new line but the evaluation's line_ids, invalidated here.
        Measured at 2,000 employees x 10 indicators (bench_evaluations --profile
        generate): the ORM create of the 20,000 lines (default values per line, then
        an UPDATE of the related company and employee) was most of generate and 433
        of its 505 queries; this is one statement."""
        if not self:
            return
        self.env["hr.kpi.evaluation.line"].check_access("create")
        self.env["hr.kpi.indicator"].flush_model(
            ["scheme_id", "sequence", "weight", "rater_role"]
        )
        self.flush_recordset(["scheme_id", "company_id", "employee_id"])
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO hr_kpi_evaluation_line (
                    evaluation_id, company_id, employee_id, indicator_id, sequence,
                    weight, rater_role, create_uid, create_date, write_uid, write_date
                )
                SELECT evaluation.id, evaluation.company_id, evaluation.employee_id,
                       indicator.id, indicator.sequence, indicator.weight,
                       indicator.rater_role, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM hr_kpi_evaluation evaluation
                  JOIN hr_kpi_indicator indicator
                    ON indicator.scheme_id = evaluation.scheme_id
                 WHERE evaluation.id IN %(ids)s
                 ORDER BY evaluation.id, indicator.sequence, indicator.id
                """,
                uid=self.env.uid,
                now=self.env.cr.now(),
                ids=tuple(self.ids),
            )
        )
        self.invalidate_recordset(["line_ids"])

    @api.model
    def _generate_employees(self, period):
        """The employees who get an evaluation of `period` (see `_generate`)."""
        return self.env["hr.employee"].search(
            [
                ("company_id", "=", period.company_id.id),
                ("kpi_scheme_id.state", "=", "active"),
                ("kpi_scheme_id.period_type", "=", period.period_type),
                "|",
                ("first_contract_date", "=", False),
                ("first_contract_date", "<=", period.date_to),
            ]
        )

    @api.model
    @kpi_action
    def _cron_generate_monthly(self):
        """Monthly cron: generate the evaluations of the new month in every company."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            period = (
                self.env["hr.kpi.period"]
                .with_company(company)
                ._get_or_create(today, "monthly", company)
            )
            self.with_company(company)._generate(period)

    # ------------------------------------------------------------------
    # Scoring (batch)
    # ------------------------------------------------------------------
    def _rated_actuals(self):
        """Mean value per evaluation line over the submitted ratings (one query).

        Selected through the ratings' evaluations (2,000 ids at 2,000 employees)
        rather than the lines (20,000 ids in the query)."""
        groups = self.env["hr.kpi.rating.line"]._read_group(
            [
                ("rating_id.evaluation_id", "in", self.ids),
                ("rating_id.state", "=", "submitted"),
                ("has_value", "=", True),
            ],
            ["evaluation_line_id"],
            ["value:avg"],
        )
        line_ids = set(self.line_ids.ids)
        return {line.id: value for line, value in groups if line.id in line_ids}

    def _check_write_access(self):
        """Inside an action, the write access of the evaluations, checked once for the
        grouped writes that follow (_write_grouped with `checked` empty): Odoo checks
        record rules in Python, record by record; Approve at 2,000 employees checked
        them seven times, 18 % of its profile (bench_evaluations --profile approve)."""
        if in_action(self) and not self.env.su:
            self.check_access("write")

    @api.model
    def _source_values(self, indicator, period, employees, team=None):
        """{employee id: (actual, major)} for one sourced indicator and period.

        `team`: read the records of each employee's direct reports (default: as the
        indicator's "Records Of" says)."""
        start, end = period.date_from, period.date_to
        source = indicator.source_type
        if team is None:
            team = indicator.source_scope == "team" and source in TEAM_SOURCES
        if team:
            return self._team_source_values(indicator, period, employees)
        if source in ("incident_count", "incident_points", "ratio"):
            Incident = self.env["hr.kpi.incident"]
            main = Incident._counts(
                employees, start, end, indicator.source_incident_type_ids.mapped("code")
            )
            major = (
                Incident._counts(
                    employees, start, end, indicator.source_major_type_ids.mapped("code")
                )
                if indicator.source_major_type_ids
                else {}
            )
            if source == "ratio":
                base = Incident._counts(
                    employees, start, end, indicator.source_denominator_type_ids.mapped("code")
                )
                return {
                    emp: (round(main.get(emp, (0, 0))[0] * 100.0 / base[emp][0], 4), 0.0)
                    for emp in employees.ids
                    if base.get(emp, (0, 0))[0]
                }
            index = 0 if source == "incident_count" else 1
            return {
                emp: (float(main.get(emp, (0, 0))[index] or 0), float(major.get(emp, (0, 0))[0]))
                for emp in employees.ids
            }
        if source == "survey_average":
            averages = self.env["hr.kpi.survey"]._averages(
                employees, start, end, indicator.source_card_type
            )
            return {emp: (value, 0.0) for emp, value in averages.items()}
        if source in ("activity_hours", "activity_count"):
            totals = self.env["hr.kpi.activity.record"]._totals(
                employees, start, end, indicator.source_activity_type
            )
            index = 1 if source == "activity_hours" else 0
            return {emp: (float(totals.get(emp, (0, 0.0))[index]), 0.0) for emp in employees.ids}
        if source == "sla_compliance":
            compliance = self.env["hr.kpi.sla.record"]._compliance(
                employees, start, end, indicator.source_sla_priority
            )
            return {
                emp: (round(done * 100.0 / total, 4), 0.0)
                for emp, (done, total) in compliance.items()
                if total
            }
        return {}

    @api.model
    def _team_source_values(self, indicator, period, employees):
        """{employee id: (actual, major)}: the sums of the employee's direct reports'
        own values (a lead's "attitude complaints in the team"); one grouped query
        for all the teams of the batch."""
        members = employees.child_ids
        own = (
            self._source_values(indicator, period, members, team=False)
            if members
            else {}
        )
        result = {}
        for employee in employees:
            actual = major = 0.0
            for member in employee.child_ids:
                member_actual, member_major = own.get(member.id, (0.0, 0.0))
                actual += member_actual
                major += member_major
            result[employee.id] = (actual, major)
        return result

    def _total_values(self, scores, config=None):
        """Field values of the evaluation's total from [(line, IndicatorScore or None)]
        (`config`: the scheme's rater weights, when the caller read them)."""
        self.ensure_one()
        usable = [(line, score) for line, score in scores if score is not None]
        if config is None:
            config = self.scheme_id.rater_config_id
        try:
            if config:
                total = self._multi_rater_total(config, usable)
            else:
                total = total_score([(line.weight, score) for line, score in usable])["total"]
        except KpiEngineError as err:
            raise UserError(
                self.env._(
                    "%(evaluation)s: %(reason)s",
                    evaluation=self.name,
                    reason=self.env._(err.message, **err.params),
                )
            ) from err
        return {
            "total_score": total,
            "missing_count": len(scores) - len(usable),
            "vetoed": any(score.vetoed for _line, score in usable),
        }

    def _multi_rater_total(self, config, usable):
        """Score of each rater group (its lines' weighted points out of 100), then
        the groups weighted by the configuration; objective lines count with the
        superior's part, penalties come off the result."""
        roles = config._roles()
        parts = defaultdict(lambda: [0.0, 0.0])
        penalty = 0.0
        for line, score in usable:
            if score.from_total:
                penalty += score.points
                continue
            role = line.rater_role if line.rater_role in roles else "superior"
            parts[role][0] += weighted_contribution(score, line.weight)
            parts[role][1] += line.weight
        part_scores = {
            role: contribution / weight * 100
            for role, (contribution, weight) in parts.items()
            if weight
        }
        weights = config._weights(part_scores)
        result = multi_rater_score({role: part_scores[role] for role in weights}, weights)
        return max(0.0, round(result + penalty, 4))

    # ------------------------------------------------------------------
    # Grades and ranks
    # ------------------------------------------------------------------
    def _assign_grades(self, access_checked=False, totals=None):
        """Grade each evaluation from its total (`access_checked`: as _compute_scores;
        `totals`: {evaluation id: total} that scoring just computed)."""
        if not access_checked:
            self._check_write_access()
        totals_by_scale = defaultdict(dict)  # scale -> {evaluation: total}
        for evaluation in self:
            scale = evaluation.scheme_id.grade_scale_id
            total = totals[evaluation.id] if totals else evaluation.total_score
            totals_by_scale[scale][evaluation] = total
        values = {}
        for scale, by_evaluation in totals_by_scale.items():
            bands = scale._band_ids_for(set(by_evaluation.values())) if scale else {}
            for evaluation, total in by_evaluation.items():
                values[evaluation] = {"grade_band_id": bands.get(total, False)}
        self._kpi_write_results(values, checked=self.browse())

    def _compute_rankings(self):
        """Rank the evaluations of the periods of `self` within department and company."""
        periods = self.period_id
        evaluations = self.search(
            [("period_id", "in", periods.ids), ("state", "not in", ("draft",))]
        )
        previous = self._previous_scores(evaluations)
        by_company, by_department = defaultdict(list), defaultdict(list)
        for evaluation in evaluations:
            by_company[(evaluation.period_id, evaluation.company_id)].append(evaluation)
            by_department[(evaluation.period_id, evaluation.department_id)].append(evaluation)
        values = defaultdict(dict)
        for group in by_department.values():
            ranks = competition_ranks({e.id: e.total_score for e in group})
            for evaluation in group:
                values[evaluation]["rank_department"] = ranks[evaluation.id]
        for group in by_company.values():
            scores = {e.id: e.total_score for e in group}
            ranks = competition_ranks(scores)
            flags = top_share_flags(scores)
            improved = most_improved(
                scores, {e.id: previous[e.id] for e in group if e.id in previous}
            )
            for evaluation in group:
                values[evaluation].update(
                    {
                        "rank_company": ranks[evaluation.id],
                        "rank_flag": flags[evaluation.id] or False,
                        "most_improved": evaluation.id in improved,
                    }
                )
                if evaluation.id in previous:
                    values[evaluation]["previous_score"] = previous[evaluation.id]
        # the ranks of the period's other evaluations are derived from the scores the
        # calling action checked: they move with them (the rank fields only)
        with kpi_action_scope(evaluations):
            evaluations._kpi_write_results(values)

    def _previous_scores(self, evaluations):
        """Score of each evaluation's employee in the month before (one search)."""
        starts = {e.period_id.date_from for e in evaluations}
        if not starts:
            return {}
        earlier = self.search(
            [
                ("employee_id", "in", evaluations.employee_id.ids),
                ("period_id.period_type", "=", "monthly"),
                ("period_id.date_to", ">=", min(starts) - timedelta(days=31)),
                ("period_id.date_to", "<", max(starts)),
                ("state", "not in", ("draft",)),
            ]
        )
        by_key = {(e.employee_id.id, e.period_id.date_to): e.total_score for e in earlier}
        return {
            e.id: by_key[(e.employee_id.id, e.period_id.date_from - timedelta(days=1))]
            for e in evaluations
            if (e.employee_id.id, e.period_id.date_from - timedelta(days=1)) in by_key
        }

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_group(self, group_xmlid):
        if not self.env.user.has_group(group_xmlid):
            group = self.env.ref(group_xmlid)
            raise UserError(
                self.env._("This step needs the group %(group)s.", group=group.display_name)
            )

    def _set_state(self, new_state):
        for evaluation in self:
            if new_state not in TRANSITIONS[evaluation.state]:
                raise UserError(
                    self.env._(
                        "%(evaluation)s cannot move from %(from)s to %(to)s.",
                        evaluation=evaluation.name,
                        **{
                            "from": evaluation._state_label(evaluation.state),
                            "to": evaluation._state_label(new_state),
                        },
                    )
                )
        self._kpi_write({"state": new_state})

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env))[state]

    @kpi_action
    def action_start(self):
        """Draft → self-assessment: propose raters from the org chart."""
        self._check_step(
            "hr_kpi_service.group_kpi_officer", self.env._("Start Self-assessment")
        )
        self._lock_rows()
        self._set_state("self_assessment")
        self.env["hr.kpi.rating"]._propose(self.filtered(lambda e: not e.rating_ids))
        return True

    @kpi_action
    def action_to_rating(self):
        self._check_step("hr_kpi_service.group_kpi_manager", self.env._("Start Rating"))
        self._lock_rows()
        self._set_state("rating")
        return True

    @kpi_action
    def action_to_hr_review(self):
        """Rating → HR review, once every line has its value or waits only for HR
        (hr_kpi_evaluation_readiness): else refused, naming each item."""
        self._check_step("hr_kpi_service.group_kpi_manager", self.env._("Send to HR Review"))
        self._lock_rows()
        self._lock_ratings()
        self._set_state("hr_review")
        self._compute_scores()
        self._check_ready_for_hr_review()
        return True

    @kpi_action
    def action_compute_scores(self):
        self._check_step("hr_kpi_service.group_kpi_manager", self.env._("Compute Scores"))
        self._lock_rows("no_key_update")
        self._compute_scores()
        return True

    @kpi_action
    def action_grade(self):
        self._check_step("hr_kpi_service.group_kpi_officer", self.env._("Grade and Rank"))
        self._lock_rows("no_key_update")
        self._grade_and_rank()
        return True

    @kpi_action
    def action_approve(self):
        """Score (sourced values are read from the records first), check that every
        line has a value, grade and rank, approve. A refusal writes nothing. The rows
        are locked first (waiting briefly) and their state re-read: an edit of the
        values running at the same moment either finished before (and is scored, the
        approval retried with a fresh snapshot) or is refused (_lock_rows)."""
        self._check_step("hr_kpi_service.group_kpi_officer", self.env._("Approve"))
        self._approve()
        return True

    def _approve(self, rank=True):
        """Approve after the caller's checks. `rank=False`: a background job's share
        of a period, ranked once after its last share (hr.kpi.period)."""
        self._lock_rows()
        not_in_review = self.filtered(lambda e: e.state != "hr_review")
        if not_in_review:
            not_in_review[:1]._set_state("approved")  # raises: names both states
        self._grade_and_rank(require_values=True, rank=rank)
        self._set_state("approved")

    @kpi_action
    def action_publish(self):
        self._check_step("hr_kpi_service.group_kpi_officer", self.env._("Publish"))
        self._lock_rows()
        now = fields.Datetime.now()
        self._set_state("published")
        # The deadline depends only on the company's calendar: one per company, and
        # one write per company instead of one per evaluation.
        for company in self.company_id:
            evaluations = self.filtered(lambda e, company=company: e.company_id == company)
            evaluations.write(
                {
                    "published_date": now,
                    "appeal_deadline": evaluations[:1]._appeal_deadline(now),
                }
            )
        self._notify_published()
        self.env["hr.kpi.consequence"]._detect(self)
        return True

    def _grade_and_rank(self, require_values=False, rank=True):
        """Score, grade and rank the evaluations (`rank=False`: not ranked). With
        `require_values`, refuse when a line still has no value after the sourced
        values were read (the refusal rolls the request back, scores included)."""
        self._check_unlocked(["grade_band_id"])
        self._check_write_access()  # once, for the scores' and the grades' writes
        scoring = self._compute_scores(access_checked=True)
        missing = self.env["hr.kpi.evaluation.line"].browse(
            [line_id for evaluation in self for line_id in scoring.missing.get(evaluation.id, ())]
        )
        if require_values and missing:
            names = ", ".join(
                f"{line.evaluation_id.employee_id.name} / {line.indicator_id.name}"
                for line in missing[:20]
            )
            raise UserError(
                self.env._("These indicators have no value yet: %(lines)s", lines=names)
            )
        self._assign_grades(access_checked=True, totals=scoring.totals)
        if rank:
            self._compute_rankings()

    def _appeal_deadline(self, published):
        """End (midnight, company calendar time zone) of the N-th working day after
        publication; weekends and public holidays do not count (seed 003: N = 3)."""
        self.ensure_one()
        company = self.company_id
        calendar = company.resource_calendar_id
        tz = pytz.timezone(calendar.tz or "UTC")
        local = pytz.utc.localize(published).astimezone(tz)
        next_day = tz.localize(datetime.combine(local.date() + timedelta(days=1), time.min))
        last_day = calendar.plan_days(
            company.kpi_appeal_working_days, next_day, compute_leaves=True
        )
        if not last_day:
            raise UserError(
                self.env._(
                    "The working calendar %(calendar)s has no working day after %(date)s.",
                    calendar=calendar.name,
                    date=local.date(),
                )
            )
        end = tz.localize(
            datetime.combine(last_day.astimezone(tz).date() + timedelta(days=1), time.min)
        )
        return end.astimezone(pytz.utc).replace(tzinfo=None)

    def _local_deadline(self, reader=None):
        """The appeal deadline as `reader` (default: the current user) reads it: in
        his time zone, else the company calendar's, to the minute."""
        self.ensure_one()
        return local_time(self.env, self.appeal_deadline, company=self.company_id, user=reader)

    def _notify_published(self):
        for evaluation in self:
            partner = evaluation.employee_id.user_id.partner_id
            if not partner:
                continue
            evaluation.message_subscribe(partner_ids=partner.ids)
            evaluation.message_post(
                body=self.env._(
                    "Your evaluation for %(period)s is published: %(score)s points, grade "
                    "%(grade)s. You may appeal until %(deadline)s.",
                    period=evaluation.period_id.name,
                    score=round(evaluation.total_score, 2),
                    grade=evaluation.grade_band_id.name or "-",
                    deadline=evaluation._local_deadline(reader=evaluation.employee_id.user_id),
                ),
                partner_ids=partner.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_comment",
            )

    @kpi_action
    def action_close(self):
        self._check_step("hr_kpi_service.group_kpi_officer", self.env._("Close"))
        self._lock_rows()
        self._set_state("closed")
        return True

    @kpi_action
    def action_reopen(self, reason=None):
        """Officer only: back to HR review, with a reason kept in the chatter."""
        self._check_step("hr_kpi_service.group_kpi_officer", self.env._("Reopen"))
        reason = (reason or self.env.context.get("kpi_reopen_reason") or "")
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("Give a reason to reopen an evaluation."))
        self._lock_rows()
        not_locked = self.filtered(lambda e: e.state not in APPROVED_STATES)
        if not_locked:
            # only history is reopened; an evaluation in rating goes to HR review by
            # Send to HR Review, which checks that it is complete (issue 20)
            raise UserError(
                self.env._(
                    "%(evaluation)s is %(state)s, not approved: it is not reopened.",
                    evaluation=not_locked[0].name,
                    state=not_locked[0]._state_label(not_locked[0].state),
                )
            )
        self._set_state("hr_review")
        for evaluation in self:
            evaluation.write({"reopen_reason": reason})
            evaluation.message_post(
                body=self.env._(
                    "Reopened by %(user)s: %(reason)s", user=self.env.user.name, reason=reason
                )
            )
        return True

    def action_open_reopen_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen Evaluation"),
            "res_model": "hr.kpi.evaluation.reopen",
            "view_mode": "form",
            "target": "new",
            "context": {"default_evaluation_ids": self.ids},
        }

    @api.model
    @kpi_action
    def _cron_close_appeal_window(self):
        """Close published evaluations whose appeal window has passed."""
        expired = self.search(
            [("state", "=", "published"), ("appeal_deadline", "<", fields.Datetime.now())]
        )
        if expired:
            expired._set_state("closed")
