from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import (
    ANNUAL_DEMOTION,
    ANNUAL_PRIORITY,
    BOTTOM_RANK,
    DEMOTION_WARNING,
    NO_RAISE,
    NO_YEAR_END_AWARD,
    PROMOTION,
    SALARY_DOWN,
    annual_consequences,
    grade_consequences,
    monthly_run_consequences,
    rank_consequences,
    year_award_consequence,
)
from .kpi_policy import KpiPolicy, kpi_action, kpi_action_scope

CONSEQUENCE_RULES = [
    (PROMOTION, "Promotion suggestion (3 consecutive monthly top grades)"),
    (DEMOTION_WARNING, "Demotion warning (3 low grades within 6 months)"),
    (ANNUAL_PRIORITY, "Priority for awards and raises (annual top grade)"),
    (ANNUAL_DEMOTION, "Demotion review (annual grade C or worse)"),
    (NO_YEAR_END_AWARD, "No year-end award (two results below 90 in the year)"),
    (NO_RAISE, "No raise (grade 中 or 较差)"),
    (SALARY_DOWN, "One salary grade down (grade 差)"),
    (BOTTOM_RANK, "Retraining / transfer review (bottom rank)"),
]
CONSEQUENCE_STATES = [
    ("open", "Open"),
    ("done", "Done"),
    ("dismissed", "Dismissed"),
]
# Rules suggested once per employee and year, whichever results of the year trigger them.
YEARLY_RULES = (NO_YEAR_END_AWARD,)
HISTORY_MONTHS = 12


class HrKpiConsequence(models.Model):
    """A consequence suggested to HR by the results (never applied silently).

    Each one is created once per employee, rule and triggering results (once per
    employee, rule and year for the yearly rules), with an HR activity that says
    which results triggered it. HR marks it done or dismisses it with a reason
    (officers, never about themselves); a suggestion dismissed is not made again.
    """

    _name = "hr.kpi.consequence"
    _description = "KPI Consequence"
    _order = "create_date desc, id desc"
    _inherit = ["mail.thread", "mail.activity.mixin", "hr.kpi.protected.mixin"]
    _check_company_auto = True
    # Suggested by the results only (publication, aggregation); HR follows them up
    # through the activity and the chatter.
    _kpi_policy = KpiPolicy(
        protected=(
            "employee_id",
            "company_id",
            "rule",
            "trigger_key",
            "evaluation_ids",
            "result_ids",
            "description",
            "activity_id",
            "dedup_key",
            "state",
            "resolved_by_id",
            "resolved_date",
        ),
        # a decided suggestion is history
        locked_when=("state", ("done", "dismissed")),
    )

    employee_id = fields.Many2one("hr.employee", required=True, index=True, check_company=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    rule = fields.Selection(CONSEQUENCE_RULES, required=True)
    trigger_key = fields.Char(required=True, help="The triggering results, as stored ids.")
    evaluation_ids = fields.Many2many("hr.kpi.evaluation", string="Triggering Evaluations")
    result_ids = fields.Many2many("hr.kpi.result", string="Triggering Results")
    description = fields.Text(readonly=True)
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    dedup_key = fields.Char(
        readonly=True,
        help="What makes the suggestion the same one: the triggering results, or the "
        "year for the yearly rules (default: the trigger).",
    )
    state = fields.Selection(
        CONSEQUENCE_STATES, default="open", required=True, index=True, tracking=True
    )
    resolution_note = fields.Text(
        string="Reason", tracking=True, help="Why the suggestion was followed or dismissed."
    )
    resolved_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    resolved_date = fields.Datetime(string="Decided On", readonly=True)

    _sql_constraints = [
        (
            "rule_trigger_uniq",
            "unique(employee_id, rule, dedup_key)",
            "This consequence was already suggested.",
        ),
    ]

    @api.depends("rule", "employee_id.name")
    def _compute_display_name(self):
        labels = dict(self._fields["rule"]._description_selection(self.env))
        for consequence in self:
            consequence.display_name = self.env._(
                "%(rule)s: %(employee)s",
                rule=labels.get(consequence.rule, ""),
                employee=consequence.employee_id.name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("dedup_key") and vals.get("trigger_key"):
                vals["dedup_key"] = vals["trigger_key"]
        return super().create(vals_list)

    def _kpi_locked_message(self, locked, fnames):
        return self.env._("This suggestion was already decided.")

    # ------------------------------------------------------------------
    def _check_can_resolve(self):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise AccessError(self.env._("Only HR (KPI officers) decide suggested consequences."))
        self.check_access("write")
        if self.filtered(lambda c: c.employee_id.user_id == self.env.user):
            raise AccessError(
                self.env._("You cannot decide a consequence suggested about yourself.")
            )
        self.invalidate_recordset(["state"])
        if self.filtered(lambda c: c.state != "open"):
            raise UserError(self.env._("This suggestion was already decided."))

    def _resolve(self, state, note, required):
        self._check_can_resolve()
        now = fields.Datetime.now()
        for consequence in self:
            reason = (note if isinstance(note, str) else "") or consequence.resolution_note or ""
            reason = reason.strip()
            if required and not reason:
                raise UserError(self.env._("Write the reason for dismissing the suggestion."))
            consequence.write(
                {
                    "state": state,
                    "resolution_note": reason or False,
                    "resolved_by_id": self.env.user.id,
                    "resolved_date": now,
                }
            )
            if consequence.activity_id:
                consequence.activity_id.action_feedback(feedback=reason or None)
        return True

    @kpi_action
    def action_done(self, note=None):
        """HR followed the suggestion up."""
        return self._resolve("done", note or self.env.context.get("kpi_resolution_note"), False)

    @kpi_action
    def action_dismiss(self, note=None):
        """HR does not follow the suggestion; the reason is required."""
        return self._resolve("dismissed", note or self.env.context.get("kpi_resolution_note"), True)

    # ------------------------------------------------------------------
    @api.model
    def _detect(self, evaluations):
        """Run the monthly rules for the employees of `evaluations`; create what is new."""
        Evaluation = self.env["hr.kpi.evaluation"]
        if not evaluations:
            return self.browse()
        latest = max(evaluations.mapped("period_date_from"))
        history = Evaluation.search(
            [
                ("employee_id", "in", evaluations.employee_id.ids),
                ("period_id.period_type", "=", "monthly"),
                ("state", "in", ("published", "appealed", "closed")),
                ("period_date_from", ">", latest - timedelta(days=31 * HISTORY_MONTHS)),
            ],
            order="period_date_from",
        )
        by_employee = defaultdict(list)
        for evaluation in history:
            by_employee[evaluation.employee_id].append(evaluation)
        department_sizes = {
            (period.id, department.id): count
            for period, department, count in Evaluation._read_group(
                [("period_id", "in", evaluations.period_id.ids), ("state", "!=", "draft")],
                ["period_id", "department_id"],
                ["__count"],
            )
        }
        found = []
        for employee, items in by_employee.items():
            found += self._monthly_rules(employee, items, evaluations, department_sizes)
        return self._create_new(found)

    def _monthly_rules(self, employee, items, current, department_sizes):
        """[(employee, Consequence, evaluations)] for one employee's chronological history."""
        by_id = {item.id: item for item in items}
        found = []
        # A month without a grade still counts as a month (it breaks a run of top
        # grades and takes a place in the six-month window).
        bands = [item.grade_band_id for item in items]
        top = tuple({band.code for band in bands if band.is_top})
        low = tuple({band.code for band in bands if band.is_low})
        runs = monthly_run_consequences(
            self._month_by_month(items),
            top_codes=top,
            bottom_codes=low,
        )
        found += [(employee, c, c.keys) for c in runs]
        for year in {item.period_date_from.year for item in items}:
            year_items = [i for i in items if i.period_date_from.year == year]
            found += [
                (employee, c, c.keys)
                for c in year_award_consequence([(i.id, i.total_score) for i in year_items])
            ]
        for item in items:
            if item not in current:
                continue
            band = item.grade_band_id
            if band:
                found += [
                    (employee, c, c.keys)
                    for c in grade_consequences(
                        item.id,
                        band.code,
                        no_raise_codes=(band.code,) if band.no_raise else (),
                        salary_down_codes=(band.code,) if band.salary_down else (),
                    )
                ]
            if item.rank_department:
                count = max(
                    department_sizes.get((item.period_id.id, item.department_id.id), 0),
                    item.rank_department,
                )
                found += [
                    (employee, c, c.keys)
                    for c in rank_consequences(item.id, item.rank_department, count)
                ]
        return [(emp, c, [by_id[k] for k in keys if k in by_id]) for emp, c, keys in found]

    @api.model
    def _follow_calibrated_ranks(self, peers, move):
        """After a calibration move re-ranked `peers` (a period's evaluations of one
        department): an open bottom-rank suggestion whose evaluation is no longer last
        is dismissed, naming the move; the published evaluations are run through the
        rules again, so the new last one gets his (a result not yet published gets
        it when the sheet publishes it). Inside the confirming action."""

        def last(evaluation):
            rank = evaluation.rank_department
            return bool(rank and rank_consequences(evaluation.id, rank, max(len(peers), rank)))

        stale = (
            self.sudo()
            .search(
                [
                    ("evaluation_ids", "in", peers.ids),
                    ("rule", "=", BOTTOM_RANK),
                    ("state", "=", "open"),
                ]
            )
            .filtered(lambda c: not any(last(e) for e in c.evaluation_ids & peers))
        )
        if stale:
            note = self.env._(
                "No longer last in the department after the calibration of %(employee)s "
                "(%(before)s → %(after)s): %(reason)s",
                employee=move.employee_name,
                before=round(move.score_before, 2),
                after=round(move.score_after, 2),
                reason=move.reason,
            )
            # the suggestion is the system's, withdrawn by the results it came from
            with kpi_action_scope(stale):
                stale.write(
                    {
                        "state": "dismissed",
                        "resolution_note": note,
                        "resolved_by_id": self.env.uid,
                        "resolved_date": fields.Datetime.now(),
                    }
                )
                stale.activity_id.action_feedback(feedback=note)
        published = peers.filtered(lambda e: e.state in ("published", "appealed", "closed"))
        # the suggestions are the system's, derived from the ranks just written
        return self.sudo()._detect(published.sudo()) if published else self.browse()

    @api.model
    def _month_by_month(self, items):
        """[(evaluation id or gap key, grade code or None)] with a None for every
        month without an evaluation between the first and the last one."""
        history = []
        previous = None
        for item in items:
            month = item.period_date_from
            if previous:
                gap = (month.year - previous.year) * 12 + month.month - previous.month - 1
                history += [(f"gap-{previous}-{n}", None) for n in range(max(gap, 0))]
            history.append((item.id, item.grade_band_id.code or None))
            previous = month
        return history

    @api.model
    def _detect_annual(self, results):
        found = []
        for result in results.filtered(lambda r: r.period_type == "annual" and r.grade_band_id):
            band = result.grade_band_id
            for consequence in annual_consequences(
                result.id,
                band.code,
                top_codes=(band.code,) if band.is_top else (),
                demotion_codes=(band.code,) if band.annual_demotion else (),
            ):
                found.append((result.employee_id, consequence, result))
        return self._create_new(found, results=True)

    def _create_new(self, found, results=False):
        """Create the consequences not suggested before, each with an HR activity."""
        if not found:
            return self.browse()
        keys = {(emp.id, c.rule) for emp, c, _src in found}
        existing = {
            (rec.employee_id.id, rec.rule, rec.dedup_key)
            for rec in self.search(
                [
                    ("employee_id", "in", list({k[0] for k in keys})),
                    ("rule", "in", list({k[1] for k in keys})),
                ]
            )
        }
        labels = dict(self._fields["rule"]._description_selection(self.env))
        vals_list, seen = [], set()
        for employee, consequence, sources in found:
            records = sources if results else self.env["hr.kpi.evaluation"].concat(*sources)
            trigger = ",".join(map(str, consequence.keys))
            key = (
                employee.id,
                consequence.rule,
                self._dedup_key(consequence.rule, trigger, records),
            )
            if key in existing or key in seen:
                continue
            seen.add(key)
            names = ", ".join(records.mapped("display_name"))
            vals_list.append(
                {
                    "employee_id": employee.id,
                    "company_id": employee.company_id.id,
                    "rule": consequence.rule,
                    "trigger_key": trigger,
                    "dedup_key": key[2],
                    "result_ids" if results else "evaluation_ids": [(6, 0, records.ids)],
                    "description": self.env._(
                        "%(rule)s for %(employee)s, triggered by: %(results)s",
                        rule=labels[consequence.rule],
                        employee=employee.name,
                        results=names,
                    ),
                }
            )
        consequences = self.create(vals_list)
        consequences._schedule_activities()
        return consequences

    @api.model
    def _dedup_key(self, rule, trigger, records):
        """The trigger, or the year of the triggering results for a yearly rule."""
        if rule in YEARLY_RULES and records:
            dates = records.mapped("period_date_from") if "period_date_from" in records else []
            if dates:
                return f"year-{min(dates).year}"
        return trigger

    def _schedule_activities(self):
        """One to-do per consequence, on the consequence itself (it names the employee
        and links the triggering results)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id(self._name)
        activities = self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model,
                    "res_id": consequence.id,
                    "activity_type_id": todo.id,
                    "summary": dict(self._fields["rule"]._description_selection(self.env))[
                        consequence.rule
                    ],
                    "note": consequence.description,
                    "user_id": consequence._responsible_user().id,
                }
                for consequence in self
            ]
        )
        for consequence, activity in zip(self, activities, strict=True):
            consequence.activity_id = activity

    def _responsible_user(self):
        """HR contact for the suggestion: the department manager's user, else the current user."""
        self.ensure_one()
        manager_user = self.employee_id.department_id.manager_id.user_id
        return manager_user or self.env.user
