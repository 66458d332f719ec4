import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import (
    ATTENDANCE_CAP,
    BY_SCORE,
    BY_SKILL,
    QUOTA,
    KpiEngineError,
    apply_five_star_quota,
    five_star_quota,
    lead_quarter_score,
    review_star,
)
from .hr_kpi_evaluation import APPROVED_STATES
from .hr_kpi_number_checks import COUNT, PERCENT, check_numbers
from .hr_kpi_star_level import LEAD, REP, SCHEME_STAR_ROLES, engine_message, fmt_number
from .kpi_policy import KpiPolicy, kpi_action

_logger = logging.getLogger(__name__)

# Monthly scores a star review, a monthly star and an award read: those of approved
# and later evaluations, whose scores are locked (an evaluation reopened for
# review stops counting until it is approved again).
SCORED_STATES = APPROVED_STATES
# Seed 003: the review is held by the 10th of the quarter's first month.
REVIEW_DUE_DAY = 10
# Incident types that count as attendance events (迟到、早退).
ATTENDANCE_INCIDENT_TYPES = ("late", "early_leave")
STAR_REVIEW_STATES = [("draft", "Draft"), ("done", "Done")]
def employee_key(employee):
    """Tie-break key of an employee: the lower badge ID wins, then the older record
    (employees without a badge rank after those with one). The badge is an HR
    field: read as superuser, batched over the employee's prefetch set."""
    barcode = employee.sudo().barcode
    if barcode:
        return (0, barcode, employee.id)
    return (1, "", employee.id)


# Limits of the numeric fields (shared check: finite, within these bounds).
NUMBER_LIMITS = {
    "five_star_pct": PERCENT,
    "attendance_limit": COUNT,
    "on_duty_count": COUNT,
}


class HrKpiStarReview(models.Model):
    """The quarterly star review (季度星级评定) of a company's reps and leads.

    Reviews the previous quarter: attendance, then the mean score, then the skill
    test (seed 003 order 2, 1, 3), the five-star quota over the reps, and each
    lead from the mean score of his team. The stars apply to the next quarter.
    """

    _name = "hr.kpi.star.review"
    _description = "KPI Star Review"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "hr.kpi.protected.mixin",
    ]
    _order = "period_date_from desc, company_id"
    _check_company_auto = True
    # The state and the company's figures the quota was computed with change only
    # through the review's actions; the quarter is the officer's choice at creation.
    _kpi_policy = KpiPolicy(bounds=NUMBER_LIMITS,
        protected=("state", "on_duty_count", "five_star_pct", "attendance_limit"),
        fixed=("company_id", "period_id"),
        locked_when=("state", ("done",)),
        unlink="unlocked",
        action_scope=("hr.kpi.star.review.line", "hr.employee"),
    )

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    period_id = fields.Many2one(
        "hr.kpi.period",
        string="Reviewed Quarter",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        domain=[("period_type", "=", "quarterly")],
        tracking=True,
    )
    period_date_from = fields.Date(related="period_id.date_from", store=True)
    due_date = fields.Date(
        compute="_compute_due_date",
        store=True,
        help="Seed 003: by the 10th of the first month of the following quarter.",
    )
    state = fields.Selection(
        STAR_REVIEW_STATES, default="draft", required=True, tracking=True, copy=False
    )
    line_ids = fields.One2many("hr.kpi.star.review.line", "review_id", string="Lines")
    on_duty_count = fields.Integer(
        aggregator=None,
        string="Reps on Duty",
        readonly=True,
        help="Representatives with at least one scored month in the quarter.",
    )
    five_star_pct = fields.Float(
        aggregator=None,
        string="Five-star Quota (%)",
        readonly=True,
        help="The company's share when the review was computed.",
    )
    five_star_quota = fields.Integer(
        aggregator=None,
        string="Five-star Places", compute="_compute_five_star_quota", store=True
    )
    quota_rule = fields.Char(compute="_compute_quota_rule")
    attendance_limit = fields.Integer(
        aggregator=None,
        string="Attendance Events Allowed",
        readonly=True,
        help="The company's limit when the review was computed.",
    )
    line_count = fields.Integer(compute="_compute_line_count")

    _sql_constraints = [
        (
            "company_period_uniq",
            "unique(company_id, period_id)",
            "A quarter has one star review per company.",
        ),
    ]

    @api.depends("period_id.name")
    def _compute_name(self):
        for review in self:
            review.name = self.env._("Star review %(quarter)s", quarter=review.period_id.name or "")

    @api.depends("period_id.date_to")
    def _compute_due_date(self):
        for review in self:
            end = review.period_id.date_to
            review.due_date = (
                (end + timedelta(days=1)).replace(day=REVIEW_DUE_DAY) if end else False
            )

    @api.depends("on_duty_count", "five_star_pct")
    def _compute_five_star_quota(self):
        for review in self:
            try:
                review.five_star_quota = five_star_quota(review.on_duty_count, review.five_star_pct)
            except KpiEngineError as err:
                raise UserError(engine_message(self.env, err, subject=review.name)) from err

    @api.depends("on_duty_count", "five_star_pct", "five_star_quota")
    def _compute_quota_rule(self):
        for review in self:
            review.quota_rule = self.env._(
                "At most %(pct)s %% of the %(count)s reps on duty, rounded down: "
                "%(places)s five-star place(s), by rank (quarter score, then skill "
                "test, then the lower badge ID); unused places lapse.",
                pct=fmt_number(review.five_star_pct),
                count=review.on_duty_count,
                places=review.five_star_quota,
            )

    def _compute_line_count(self):
        counts = dict(
            self.env["hr.kpi.star.review.line"]._read_group(
                [("review_id", "in", self.ids)], ["review_id"], ["__count"]
            )
        )
        for review in self:
            review.line_count = counts.get(review, 0)

    # ------------------------------------------------------------------
    # Lock
    # ------------------------------------------------------------------
    def _kpi_locked_message(self, locked, fnames):
        return self.env._(
            "The star review %(name)s is done and locked: its stars can no longer change.",
            name=locked[0].name,
        )

    def _check_draft(self, fnames=None):
        """Refuse changing `fnames` of a done review, inside its actions too."""
        self._kpi_check_unlocked(fnames)

    @api.model_create_multi
    def create(self, vals_list):
        """An officer creates a draft review of a quarter; everything else on it comes
        from its actions (the policy refuses a state or figures sent with it)."""
        if not self.env.su:
            self._check_officer()
        return super().create(vals_list)

    def _check_officer(self):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise UserError(self.env._("Only a KPI officer runs star reviews."))

    def _check_not_own(self):
        """Four-eyes: nobody closes a review that rates himself."""
        own = self.line_ids.filtered(lambda line: line.employee_id.user_id == self.env.user)
        if own:
            raise AccessError(
                self.env._(
                    "%(review)s rates you (%(employee)s): another KPI officer must mark "
                    "it as done.",
                    review=own[0].review_id.name,
                    employee=own[0].employee_id.name,
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @kpi_action
    def action_compute(self):
        """Review every rep and lead of the quarter (officers, draft reviews only)."""
        self._check_officer()
        self.check_access("write")
        self._check_draft(["line_ids"])
        for review in self:
            # its months' figures are all in once the quarter has ended (issue 20)
            review.period_id._check_quarter_ended(self.env._("Star Review"))
            review._compute_lines()
        return True

    @kpi_action
    def action_done(self):
        """Close the review: its stars apply from the next quarter (officers, draft
        reviews with lines, never a review that rates the officer himself)."""
        self._check_officer()
        self.check_access("write")
        self._check_draft(["state"])
        if self.filtered(lambda review: not review.line_ids):
            raise UserError(self.env._("Run the star review before closing it."))
        self._check_not_own()
        self.write({"state": "done"})
        return True

    def action_open_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "hr.kpi.star.review.line",
            "view_mode": "list,form",
            "domain": [("review_id", "=", self.id)],
            "context": {"default_review_id": self.id},
        }

    @api.model
    @kpi_action
    def _cron_create_quarter_review(self):
        """Quarterly cron (1st of each quarter): create and run the review of the
        quarter that just ended, in every company with star levels."""
        today = fields.Date.context_today(self)
        previous = today.replace(day=1) - relativedelta(months=1)
        companies = self.env["hr.kpi.star.level"].search([]).company_id
        reviews = self.browse()
        for company in companies:
            quarter = (
                self.env["hr.kpi.period"]
                .with_company(company)
                ._get_or_create(previous, "quarterly", company)
            )
            review = self.search(
                [("company_id", "=", company.id), ("period_id", "=", quarter.id)], limit=1
            )
            if not review:
                review = self.with_company(company).create(
                    {"company_id": company.id, "period_id": quarter.id}
                )
            if review.state == "draft":
                try:
                    with self.env.cr.savepoint():
                        review._compute_lines()
                except UserError as err:
                    # One company's setup problem must not stop the others' reviews:
                    # HR finds the reason in the review's chatter.
                    _logger.warning("Star review %s not computed: %s", review.name, err)
                    review.message_post(body=str(err))
            reviews |= review
        return reviews

    # ------------------------------------------------------------------
    # Inputs (batch; shared with monthly stars and awards)
    # ------------------------------------------------------------------
    @api.model
    def _scored_evaluations(self, company, date_from, date_to, employees=None):
        """Approved and later monthly evaluations of a company between two dates
        (one search), oldest first; only those of `employees` when given."""
        domain = [
            ("company_id", "=", company.id),
            ("period_id.period_type", "=", "monthly"),
            ("period_date_from", ">=", date_from),
            ("period_date_from", "<=", date_to),
            ("state", "in", SCORED_STATES),
        ]
        if employees is not None:
            domain.append(("employee_id", "in", employees.ids))
        return self.env["hr.kpi.evaluation"].search(domain, order="period_date_from, id")

    @api.model
    def _leave_domain(self, employees, date_from, date_to, company):
        """Approved time off of `employees` overlapping the dates (types configured
        on the company, or all of them)."""
        domain = [
            ("employee_id", "in", employees.ids),
            ("state", "=", "validate"),
            ("date_from", "<=", datetime.combine(date_to, time.max)),
            ("date_to", ">=", datetime.combine(date_from, time.min)),
        ]
        if company.kpi_attendance_leave_type_ids:
            domain.append(("holiday_status_id", "in", company.kpi_attendance_leave_type_ids.ids))
        return domain

    @api.model
    def _leave_counts(self, employees, date_from, date_to, company):
        """{employee id: number of approved time off requests} overlapping the dates.

        Read as superuser: a KPI officer needs these counts without being a time-off
        officer, and only counts leave this method.
        """
        groups = (
            self.env["hr.leave"]
            .sudo()
            ._read_group(
                self._leave_domain(employees, date_from, date_to, company),
                ["employee_id"],
                ["__count"],
            )
        )
        return {employee.id: count for employee, count in groups}

    @api.model
    def _attendance_events(self, employees, date_from, date_to, company):
        """{employee id: attendance events}: approved time off plus confirmed late
        arrivals and early leaves between the dates (two queries)."""
        leaves = self._leave_counts(employees, date_from, date_to, company)
        incidents = self.env["hr.kpi.incident"]._counts(
            employees, date_from, date_to, ATTENDANCE_INCIDENT_TYPES
        )
        events = defaultdict(int, leaves)
        for employee_id, (count, _points) in incidents.items():
            events[employee_id] += count
        return {employee.id: events.get(employee.id, 0) for employee in employees}

    # ------------------------------------------------------------------
    # Review (batch)
    # ------------------------------------------------------------------
    def _compute_lines(self):
        """Create or update the lines of the review with a constant number of queries.

        Who is reviewed: employees with an approved (or later) monthly evaluation in
        the quarter whose scheme is for staff (reps) or team leads, the role taken
        from the quarter's latest evaluation. Skill test results typed on existing
        lines are kept.
        """
        self.ensure_one()
        company, quarter = self.company_id, self.period_id
        ladders = self.env["hr.kpi.star.level"]._ladders(company)
        evaluations = self._scored_evaluations(company, quarter.date_from, quarter.date_to)
        scores, roles = defaultdict(list), {}
        for evaluation in evaluations:
            role = SCHEME_STAR_ROLES.get(evaluation.scheme_id.role_type)
            scores[evaluation.employee_id].append(evaluation.total_score)
            roles[evaluation.employee_id] = role
        employees = self.env["hr.employee"].concat(
            *(employee for employee, role in roles.items() if role)
        )
        events = self._attendance_events(employees, quarter.date_from, quarter.date_to, company)
        existing = {line.employee_id: line for line in self.line_ids}
        skills = {employee: line.skill_score for employee, line in existing.items()}
        limit = company.kpi_attendance_limit
        pct = company.kpi_five_star_pct
        reps = employees.filtered(lambda employee: roles[employee] == REP)
        leads = employees - reps

        decisions = {}
        for employee in reps:
            decisions[employee_key(employee)] = self._review(
                employee,
                scores[employee],
                events[employee.id],
                skills.get(employee, 0.0),
                ladders[REP][0],
                limit,
            )
        try:
            decided, quota = apply_five_star_quota(decisions, len(reps), pct)
        except KpiEngineError as err:
            raise UserError(engine_message(self.env, err, subject=self.name)) from err
        values = {}
        for employee in reps:
            decision = decided[employee_key(employee)]
            values[employee] = self._line_values(
                employee,
                REP,
                decision,
                scores[employee],
                events[employee.id],
                ladders[REP],
                limit,
                quota=quota,
                on_duty=len(reps),
                pct=pct,
            )

        # A lead's quarter score: the mean of his team's (reps reporting to him).
        team_scores = defaultdict(list)
        for employee in reps:
            if employee.parent_id in leads:
                team_scores[employee.parent_id].append(decided[employee_key(employee)].score)
        for lead in leads:
            team = team_scores.get(lead, [])
            if not team:
                values[lead] = self._no_team_values(lead, events[lead.id], ladders[LEAD])
                continue
            try:
                mean = lead_quarter_score(team)
            except KpiEngineError as err:
                raise UserError(engine_message(self.env, err, subject=lead.name)) from err
            decision = self._review(
                lead, [mean], events[lead.id], skills.get(lead, 0.0), ladders[LEAD][0], limit
            )
            values[lead] = self._line_values(
                lead,
                LEAD,
                decision,
                [mean],
                events[lead.id],
                ladders[LEAD],
                limit,
                team_size=len(team),
            )
        self._write_lines(values, existing)
        return super().write(
            {"on_duty_count": len(reps), "five_star_pct": pct, "attendance_limit": limit}
        )

    def _review(self, employee, month_scores, events, skill, ladder, limit):
        try:
            return review_star(month_scores, events, skill, ladder, limit)
        except KpiEngineError as err:
            raise UserError(engine_message(self.env, err, subject=employee.name)) from err

    def _write_lines(self, values, existing):
        Line = self.env["hr.kpi.star.review.line"]
        stale = Line.concat(
            *(line for employee, line in existing.items() if employee not in values)
        )
        stale.unlink()
        to_create = []
        for employee, vals in values.items():
            if employee in existing:
                existing[employee].write(vals)
            else:
                to_create.append(dict(vals, review_id=self.id, employee_id=employee.id))
        Line.create(to_create)

    def _line_values(self, employee, role, decision, month_scores, events, ladder, limit, **info):
        levels, records = ladder
        return {
            "role": role,
            "month_count": len(month_scores),
            "quarter_score": decision.score,
            "attendance_events": events,
            "stars": decision.stars,
            "rule": decision.rule,
            "star_level_id": records[decision.stars].id,
            "team_size": info.get("team_size", 0),
            "explanation": self._explain(employee, role, decision, events, levels, limit, info),
        }

    def _no_team_values(self, lead, events, ladder):
        return {
            "role": LEAD,
            "month_count": 0,
            "quarter_score": 0.0,
            "attendance_events": events,
            "stars": 0,
            "rule": False,
            "star_level_id": ladder[1][0].id,
            "team_size": 0,
            "explanation": self.env._(
                "No representative reporting to %(lead)s was scored in the quarter: a "
                "lead's star comes from his team's mean score, so 0 stars.",
                lead=lead.name,
            ),
        }

    def _explain(self, employee, role, decision, events, levels, limit, info):
        """The rule that decided a line, in words (seed 003 order: attendance, score,
        skill, then the five-star quota)."""
        _ = self.env._
        by_stars = {level.stars: level for level in levels}
        if role == LEAD:
            basis = _(
                "Team mean score %(score)s (%(size)s representative(s) reporting to %(lead)s).",
                score=fmt_number(decision.score),
                size=info["team_size"],
                lead=employee.name,
            )
        else:
            basis = _("Quarter score %(score)s.", score=fmt_number(decision.score))
        if decision.rule == ATTENDANCE_CAP:
            if decision.stars:
                text = _(
                    "%(events)s attendance events (more than %(limit)s): capped at 1 star.",
                    events=events,
                    limit=limit,
                )
            else:
                text = _(
                    "%(events)s attendance events (more than %(limit)s) and a score "
                    "below the 1-star minimum %(minimum)s: 0 stars.",
                    events=events,
                    limit=limit,
                    minimum=fmt_number(by_stars[1].min_score),
                )
        elif decision.rule == QUOTA:
            text = _(
                "Qualified for 5 stars, but the %(places)s five-star place(s) (at most "
                "%(pct)s %% of %(count)s reps on duty, rounded down) went to reps ranked "
                "higher by quarter score, then skill test, then badge ID: 4 stars.",
                places=info["quota"],
                pct=fmt_number(info["pct"]),
                count=info["on_duty"],
            )
        elif decision.rule == BY_SKILL:
            following = by_stars[decision.stars + 1]
            text = _(
                "Attendance passed (%(events)s events, at most %(limit)s). The score "
                "reaches %(next)s stars but the skill test %(skill)s is below its "
                "minimum %(minimum)s: %(stars)s stars.",
                events=events,
                limit=limit,
                next=following.stars,
                skill=fmt_number(decision.skill),
                minimum=fmt_number(following.min_skill),
                stars=decision.stars,
            )
        elif decision.rule == BY_SCORE and decision.stars + 1 in by_stars:
            following = by_stars[decision.stars + 1]
            text = _(
                "Attendance passed (%(events)s events, at most %(limit)s), skill test "
                "%(skill)s. The score is below the %(next)s-star minimum %(minimum)s: "
                "%(stars)s stars.",
                events=events,
                limit=limit,
                skill=fmt_number(decision.skill),
                next=following.stars,
                minimum=fmt_number(following.min_score),
                stars=decision.stars,
            )
        else:
            text = _(
                "Attendance passed (%(events)s events, at most %(limit)s), skill test "
                "%(skill)s: the top star, %(stars)s.",
                events=events,
                limit=limit,
                skill=fmt_number(decision.skill),
                stars=decision.stars,
            )
            if role == REP and info.get("quota"):
                text = _(
                    "%(text)s Holds one of the %(places)s five-star place(s).",
                    text=text,
                    places=info["quota"],
                )
        return f"{basis} {text}"

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
