"""The results sheet (《绩效考核结果处理表》, seed 004 第17条; seed 000 3.2): the
approved results of a period and department, signed along its scheme's chain
before they pay (engine/signoff.py decides the order and who may sign)."""

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine.calibration import distribution_breaches
from ..engine.errors import KpiEngineError
from ..engine.signoff import eligible_signers, next_level, signing_refusal
from .hr_kpi_evaluation import APPROVED_STATES
from .kpi_policy import KpiPolicy, kpi_action

SHEET_STATES = [
    ("draft", "Draft"),
    ("in_approval", "In Approval"),
    ("signed", "Signed"),
]
OFFICER = "hr_kpi_service.group_kpi_officer"
SIGNER = "hr_kpi_service.group_kpi_manager"


class HrKpiResultsSheet(models.Model):
    _name = "hr.kpi.results.sheet"
    _description = "KPI Results Sheet"
    _order = "period_date_from desc, department_id, id"
    _inherit = ["mail.thread", "mail.activity.mixin", "hr.kpi.protected.mixin"]
    _check_company_auto = True
    _kpi_policy = KpiPolicy(
        protected=(
            "state",
            "round",
            "submitted_by_id",
            "signed_date",
            "evaluation_ids",
            "distribution_reason",
            "distribution_reason_by_id",
            "published_date",
        ),
        fixed=("period_id", "department_id", "chain_id", "company_id"),
        # in approval, signed, or holding history (signatures, confirmed moves)
        locked_when="_kpi_locked_sheets",
        writable_when_locked=frozenset({"note"}),
        unlink="unlocked",
        action_scope=(
            "hr.kpi.results.sheet.signature",
            "hr.kpi.results.sheet.line",
            "hr.kpi.calibration.move",
            "hr.kpi.evaluation",
        ),
    )

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    period_id = fields.Many2one(
        "hr.kpi.period", required=True, index=True, check_company=True, ondelete="restrict"
    )
    period_date_from = fields.Date(related="period_id.date_from", store=True)
    department_id = fields.Many2one(
        "hr.department", index=True, check_company=True, ondelete="restrict"
    )
    chain_id = fields.Many2one(
        "hr.kpi.signoff.chain",
        string="Sign-off Chain",
        required=True,
        check_company=True,
        ondelete="restrict",
    )
    state = fields.Selection(
        SHEET_STATES, default="draft", required=True, tracking=True, index=True, copy=False
    )
    round = fields.Integer(default=0, readonly=True, copy=False)
    evaluation_ids = fields.One2many(
        "hr.kpi.evaluation", "results_sheet_id", string="Results", readonly=True
    )
    evaluation_count = fields.Integer(compute="_compute_evaluation_count", compute_sudo=True)
    line_ids = fields.One2many(
        "hr.kpi.results.sheet.line", "sheet_id", string="Result Lines", readonly=True
    )
    signature_ids = fields.One2many(
        "hr.kpi.results.sheet.signature", "sheet_id", string="Signatures", readonly=True
    )
    current_level_name = fields.Char(
        string="Waiting For", compute="_compute_current_level", compute_sudo=True
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    signed_date = fields.Datetime(readonly=True, copy=False)
    note = fields.Text()
    committee_id = fields.Many2one(related="chain_id.committee_id")
    move_ids = fields.One2many(
        "hr.kpi.calibration.move", "sheet_id", string="Calibration Moves", readonly=True
    )
    distribution = fields.Text(
        string="Grade Distribution", compute="_compute_distribution", compute_sudo=True
    )
    distribution_breaches = fields.Text(
        string="Outside the Ranges", compute="_compute_distribution", compute_sudo=True
    )
    distribution_reason = fields.Text(
        string="Committee's Reason",
        readonly=True,
        copy=False,
        help="Why the committee signs off a distribution outside its ranges.",
    )
    distribution_reason_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    published_date = fields.Datetime(
        string="Published (公示)",
        readonly=True,
        copy=False,
        help="The appeal window of the results counts from this moment.",
    )

    def _kpi_locked_sheets(self):
        return self.sudo().filtered(
            lambda sheet: sheet.state != "draft"
            or sheet.signature_ids
            or sheet.move_ids.filtered(lambda move: move.state == "confirmed")
        ).with_env(self.env)

    @api.depends("period_id.name", "department_id.name")
    def _compute_name(self):
        for sheet in self:
            sheet.name = self.env._(
                "Results Sheet %(department)s · %(period)s",
                department=sheet.department_id.name or self.env._("No department"),
                period=sheet.period_id.name or "",
            )

    @api.depends("evaluation_ids")
    def _compute_evaluation_count(self):
        for sheet in self:
            sheet.evaluation_count = len(sheet.evaluation_ids)

    @api.depends("state", "round", "signature_ids", "chain_id.level_ids")
    def _compute_current_level(self):
        for sheet in self:
            level = sheet._current_level() if sheet.state == "in_approval" else None
            sheet.current_level_name = level.name if level else False

    @api.depends("line_ids.grade_band_id", "chain_id.committee_id.rule_ids")
    def _compute_distribution(self):
        for sheet in self:
            counts = {}
            for line in sheet.line_ids:
                label = line.grade_band_id.name or "-"
                counts[label] = counts.get(label, 0) + 1
            total = len(sheet.line_ids)
            sheet.distribution = "\n".join(
                f"{label}: {count} ({round(count * 100.0 / total, 1)} %)"
                for label, count in counts.items()
            )
            sheet.distribution_breaches = "\n".join(
                self.env._(message, **params) for _name, message, params in sheet._breaches()
            )

    def _breaches(self):
        """The committee's ranges the sheet's grades break (engine/calibration.py)."""
        self.ensure_one()
        committee = self.sudo().chain_id.committee_id
        if not committee.rule_ids:
            return []
        counts = {}
        for line in self.sudo().line_ids:
            code = line.grade_band_id.code or ""
            counts[code] = counts.get(code, 0) + 1
        try:
            return distribution_breaches(counts, [r._engine_rule() for r in committee.rule_ids])
        except KpiEngineError as err:
            raise UserError(self.env._(err.message, **err.params)) from err

    def _check_distribution(self, step):
        for sheet in self:
            breaches = sheet._breaches()
            if breaches and not sheet.distribution_reason:
                raise UserError(
                    self.env._(
                        "%(step)s: the grades of %(sheet)s are outside the committee's ranges "
                        "(%(breaches)s). Calibrate them, or the committee records why.",
                        step=step,
                        sheet=sheet.name,
                        breaches="; ".join(
                            self.env._(message, **params) for _n, message, params in breaches
                        ),
                    )
                )

    def _check_committee_member(self):
        self.ensure_one()
        committee = self.sudo().chain_id.committee_id
        if not committee:
            raise UserError(
                self.env._("The chain of %(sheet)s has no calibration committee.", sheet=self.name)
            )
        if self.env.user not in committee.member_ids:
            raise AccessError(
                self.env._(
                    "Only the members of %(committee)s calibrate this sheet.",
                    committee=committee.name,
                )
            )
        if self.env.uid in self._evaluated_user_ids():
            raise AccessError(
                self.env._("You cannot calibrate a results sheet that holds your own result.")
            )

    @kpi_action
    def action_propose_move(self, evaluation, reason, score=None, grade=None):
        """A committee member proposes a new score (its grade follows the scale) or a
        new grade for one result of the draft sheet, with a reason."""
        self.ensure_one()
        self._check_committee_member()
        self._check_state(("draft",), self.env._("Calibrate"))
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("Give a reason for a calibration move."))
        evaluation = evaluation.sudo()
        if evaluation not in self.sudo().evaluation_ids:
            raise UserError(
                self.env._("%(evaluation)s is not on this sheet.", evaluation=evaluation.name)
            )
        if evaluation.employee_id.user_id == self.env.user:
            raise AccessError(self.env._("You cannot move your own result."))
        scale = evaluation.scheme_id.grade_scale_id
        if score is None and not grade:
            raise UserError(self.env._("A move gives a new score or a new grade."))
        new_score = evaluation.total_score if score is None else score
        if grade:
            if grade not in scale.band_ids:
                raise UserError(
                    self.env._(
                        "%(grade)s is not a grade of the scale %(scale)s.",
                        grade=grade.name,
                        scale=scale.name,
                    )
                )
            new_grade = grade
        else:
            new_grade = scale._band_for(new_score) if scale else evaluation.grade_band_id
        return self.env["hr.kpi.calibration.move"].create(
            {
                "sheet_id": self.id,
                "evaluation_id": evaluation.id,
                "employee_name": evaluation.employee_id.name,
                "score_before": evaluation.total_score,
                "score_after": new_score,
                "grade_before_id": evaluation.grade_band_id.id,
                "grade_after_id": new_grade.id,
                "reason": reason,
                "proposed_by_id": self.env.uid,
            }
        )

    @kpi_action
    def action_record_distribution_reason(self, reason):
        """The committee records why the sheet is signed with its grades outside the
        ranges (a member, never about a sheet holding his own result)."""
        self.ensure_one()
        self._check_committee_member()
        self._check_state(("draft",), self.env._("Record the Committee's Reason"))
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("Give the committee's reason."))
        self.write({"distribution_reason": reason, "distribution_reason_by_id": self.env.uid})
        self.message_post(
            body=self.env._(
                "The committee (%(user)s) signs off the distribution outside its ranges: "
                "%(reason)s",
                user=self.env.user.name,
                reason=reason,
            )
        )
        return True

    # ------------------------------------------------------------------
    # The chain
    # ------------------------------------------------------------------
    def _approvals(self):
        """The users who approved in the current round, in order."""
        self.ensure_one()
        return [
            s.user_id.id
            for s in self.sudo().signature_ids.sorted("id")
            if s.round == self.round and s.decision == "approve"
        ]

    def _current_level(self):
        self.ensure_one()
        levels = self.sudo().chain_id.level_ids
        index = next_level(len(levels), self._approvals())
        return None if index is None else levels[index]

    def _evaluated_user_ids(self):
        return set(self.sudo().evaluation_ids.employee_id.user_id.ids)

    def _next_signers(self):
        """The users who may sign the level now waiting (for its activities)."""
        self.ensure_one()
        level = self._current_level()
        if not level:
            return self.env["res.users"]
        ids = eligible_signers(
            level.sudo()._signers(self.sudo()), self._approvals(), self._evaluated_user_ids()
        )
        return self.env["res.users"].sudo().browse(sorted(ids))

    # ------------------------------------------------------------------
    # Building the sheet
    # ------------------------------------------------------------------
    @api.model
    def _pending_domain(self, period):
        return [
            ("period_id", "=", period.id),
            ("state", "in", list(APPROVED_STATES)),
            ("signoff_pending", "=", True),
            ("results_sheet_id", "=", False),
        ]

    @api.model
    def _draw_up(self, period):
        """Put the period's approved results waiting for sign-off on draft sheets, one
        per department and chain (a draft sheet takes the newcomers); returns the
        sheets that received results. The caller checked the officer's rights."""
        Evaluation = self.env["hr.kpi.evaluation"]
        pending = Evaluation.search(self._pending_domain(period))
        groups = {}
        for evaluation in pending:
            key = (evaluation.department_id, evaluation.scheme_id.signoff_chain_id)
            groups.setdefault(key, Evaluation)
            groups[key] |= evaluation
        sheets = self.browse()
        for (department, chain), evaluations in groups.items():
            if not chain:
                continue
            sheet = self.search(
                [
                    ("period_id", "=", period.id),
                    ("department_id", "=", department.id),
                    ("chain_id", "=", chain.id),
                    ("state", "=", "draft"),
                ],
                limit=1,
            ) or self.create(
                {
                    "company_id": period.company_id.id,
                    "period_id": period.id,
                    "department_id": department.id,
                    "chain_id": chain.id,
                }
            )
            evaluations._kpi_write({"results_sheet_id": sheet.id})
            sheets |= sheet
        sheets._refresh_lines()
        return sheets

    def _refresh_lines(self):
        """Copy the results as they stand onto the sheet's lines (inside an action)."""
        # the lines are derived data, copied from the evaluations after the caller's
        # checks (a committee member may calibrate without write access on lines)
        Line = self.env["hr.kpi.results.sheet.line"].sudo()
        for sheet in self.sudo():
            sheet.line_ids.unlink()
            Line.create(
                [
                    dict(values, sheet_id=sheet.id)
                    for values in Line._values_of(sheet.sudo().evaluation_ids)
                ]
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_officer(self):
        if not self.env.user.has_group(OFFICER):
            raise AccessError(
                self.env._(
                    "This step needs the group %(group)s.",
                    group=self.env.ref(OFFICER).display_name,
                )
            )

    def _lock_rows(self):
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM hr_kpi_results_sheet WHERE id IN %s FOR UPDATE NOWAIT",
                    [tuple(self.ids)],
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "Another user is signing %(sheet)s right now. Reload and try again.",
                    sheet=", ".join(self.mapped("name")),
                )
            ) from None
        self.invalidate_recordset()

    def _check_state(self, states, step):
        wrong = self.filtered(lambda s: s.state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    "%(step)s: the results sheet %(sheet)s is %(state)s.",
                    step=step,
                    sheet=wrong[0].name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        wrong[0].state
                    ],
                )
            )

    def _check_results_approved(self):
        """Every result on the sheet is still approved (a reopened one is corrected and
        approved again, or the sheet is returned)."""
        for sheet in self.sudo():
            if not sheet.evaluation_ids:
                raise UserError(
                    self.env._("The results sheet %(sheet)s holds no result.", sheet=sheet.name)
                )
            reopened = sheet.evaluation_ids.filtered(lambda e: e.state not in APPROVED_STATES)
            if reopened:
                raise UserError(
                    self.env._(
                        "%(sheet)s: %(evaluations)s were reopened; approve them again first.",
                        sheet=sheet.name,
                        evaluations=", ".join(reopened.mapped("name")),
                    )
                )

    @kpi_action
    def action_submit(self):
        """Draft → in approval (officer): the first level's signers get an activity."""
        self._check_officer()
        self.check_access("write")
        self._lock_rows()
        self._check_state(("draft",), self.env._("Submit for Sign-off"))
        self._check_results_approved()
        self._refresh_lines()
        self._check_distribution(self.env._("Submit for Sign-off"))
        pending = self.move_ids.filtered(lambda m: m.state == "proposed")
        if pending:
            raise UserError(
                self.env._(
                    "Decide the calibration moves first: %(moves)s.",
                    moves=", ".join(pending.mapped("employee_name")),
                )
            )
        for sheet in self:
            sheet.write(
                {
                    "state": "in_approval",
                    "round": sheet.round + 1,
                    "submitted_by_id": self.env.user.id,
                }
            )
            sheet.message_post(
                body=self.env._("Submitted for sign-off by %(user)s.", user=self.env.user.name)
            )
            sheet._schedule_next_activity()
        return True

    @kpi_action
    def action_sign(self):
        """Approve the level now waiting (its signers; never a sheet holding one's own
        result, never two levels of one round). The last level makes the results
        payable."""
        if not self.env.user.has_group(SIGNER):
            raise AccessError(
                self.env._(
                    "Signing a results sheet needs the group %(group)s.",
                    group=self.env.ref(SIGNER).display_name,
                )
            )
        self.check_access("read")
        self._lock_rows()
        self._check_state(("in_approval",), self.env._("Sign"))
        for sheet in self:
            sheet._check_results_approved()
            sheet._check_distribution(self.env._("Sign"))
            sheet._sign_current_level()
        return True

    def _check_may_sign(self, level):
        refusal = signing_refusal(
            self.env.uid,
            level.sudo()._signers(self.sudo()),
            self._approvals(),
            self._evaluated_user_ids(),
        )
        if refusal:
            raise AccessError(
                self.env._(
                    "%(sheet)s, level %(level)s: %(reason)s",
                    sheet=self.name,
                    level=level.name,
                    reason=self.env._(refusal.message, **refusal.params),
                )
            )

    def _sign_current_level(self):
        self.ensure_one()
        level = self._current_level()
        self._check_may_sign(level)
        levels = self.sudo().chain_id.level_ids
        self.env["hr.kpi.results.sheet.signature"].create(
            {
                "sheet_id": self.id,
                "level_id": level.id,
                "level_name": level.name,
                "level_index": list(levels).index(level) + 1,
                "round": self.round,
                "user_id": self.env.uid,
                "decision": "approve",
                "date": fields.Datetime.now(),
            }
        )
        self._done_activities(self.env._("Signed: %(level)s", level=level.name))
        self.message_post(
            body=self.env._(
                "%(level)s signed by %(user)s.", level=level.name, user=self.env.user.name
            )
        )
        if self._current_level():
            self._schedule_next_activity()
            return
        self.write({"state": "signed", "signed_date": fields.Datetime.now()})
        # the sign-off flag is the system's, derived from the chain just completed;
        # the signer needs no write access to the evaluations themselves
        self.sudo().evaluation_ids._kpi_write({"signoff_pending": False})
        self.message_post(body=self.env._("Every level signed: the results may be paid."))

    @kpi_action
    def action_return(self, reason=None):
        """Return the sheet to HR with a reason (a signer of the waiting level): it goes
        back to draft, the signatures of this round stay as history."""
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("Give a reason to return a results sheet."))
        if not self.env.user.has_group(SIGNER):
            raise AccessError(
                self.env._(
                    "Returning a results sheet needs the group %(group)s.",
                    group=self.env.ref(SIGNER).display_name,
                )
            )
        self.check_access("read")
        self._lock_rows()
        self._check_state(("in_approval",), self.env._("Return"))
        for sheet in self:
            level = sheet._current_level()
            sheet._check_may_sign(level)
            self.env["hr.kpi.results.sheet.signature"].create(
                {
                    "sheet_id": sheet.id,
                    "level_id": level.id,
                    "level_name": level.name,
                    "level_index": list(sheet.sudo().chain_id.level_ids).index(level) + 1,
                    "round": sheet.round,
                    "user_id": self.env.uid,
                    "decision": "return",
                    "reason": reason,
                    "date": fields.Datetime.now(),
                }
            )
            sheet._done_activities(self.env._("Returned: %(reason)s", reason=reason))
            sheet.write({"state": "draft"})
            sheet.message_post(
                body=self.env._(
                    "Returned by %(user)s at level %(level)s: %(reason)s",
                    user=self.env.user.name,
                    level=level.name,
                    reason=reason,
                )
            )
            if sheet.submitted_by_id:
                sheet.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=sheet.submitted_by_id.id,
                    summary=self.env._("Results sheet returned: %(reason)s", reason=reason),
                )
        return True

    def action_open_return_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return Results Sheet"),
            "res_model": "hr.kpi.results.sheet.return",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sheet_id": self.id},
        }

    @kpi_action
    def action_publish_results(self):
        """公示 (officer): after the last signature, each result is published to its
        employee (the appeal window counts from now) and the department sees the
        names and grades (the scores where the chain says so)."""
        self._check_officer()
        self.check_access("write")
        self._lock_rows()
        self._check_state(("signed",), self.env._("Publish (公示)"))
        published = self.filtered("published_date")
        if published:
            raise UserError(self.env._("%(sheet)s is already published.", sheet=published[0].name))
        now = fields.Datetime.now()
        for sheet in self:
            evaluations = sheet.evaluation_ids.filtered(lambda e: e.state == "approved")
            if evaluations:
                evaluations.action_publish()
            sheet.write({"published_date": now})
            show_scores = sheet.chain_id.publish_scores
            # the published rows are the system's, derived from the signed lines
            self.env["hr.kpi.published.result"].sudo().create(
                [
                    {
                        "sheet_id": sheet.id,
                        "company_id": sheet.company_id.id,
                        "department_id": sheet.department_id.id,
                        "period_id": sheet.period_id.id,
                        "sequence": line.sequence,
                        "employee_name": line.employee_name,
                        "grade_name": line.grade_band_id.name or "",
                        "score": line.score if show_scores else 0.0,
                        "score_published": show_scores,
                        "published_date": now,
                    }
                    for line in sheet.line_ids
                ]
            )
            sheet.message_post(
                body=self.env._("Published (公示) by %(user)s.", user=self.env.user.name)
            )
        return True

    def action_open_move_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Calibration Move"),
            "res_model": "hr.kpi.calibration.move.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sheet_id": self.id},
        }

    def action_open_reason_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Committee's Reason"),
            "res_model": "hr.kpi.results.sheet.return",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sheet_id": self.id, "default_purpose": "distribution"},
        }

    def _schedule_next_activity(self):
        for sheet in self:
            level = sheet._current_level()
            for user in sheet._next_signers():
                sheet.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Sign the results sheet: %(level)s", level=level.name),
                )

    def _done_activities(self, feedback):
        self.sudo().activity_ids.action_feedback(feedback=feedback)

    def action_view_evaluations(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Results"),
            "res_model": "hr.kpi.evaluation",
            "view_mode": "list,form",
            "domain": [("results_sheet_id", "=", self.id)],
        }
