from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import (
    ATTENDANCE_CAP,
    COMMENDATION,
    COMMENDATION_MONTHS,
    COMMENDATION_SATISFACTION,
    DOWNGRADE,
    LEAD_LATE_LIMIT,
    LEAD_LEAVE_HOURS,
    LEAD_PROBATION_FLOOR,
    LEAD_REGULAR_THRESHOLD,
    LEAD_SATISFACTION_PCT,
    ONE_TIME_AWARD,
    REGULAR_MONTHS,
    REP_PROBATION_FLOOR,
    REP_PROBATION_RATIO,
    REP_REGULAR_THRESHOLD,
    REPEAT_DOWNGRADE,
    REPEAT_ZERO_MONTHS,
    SATISFACTION,
    KpiEngineError,
    effective_lead_star,
    effective_star,
    probation_pay,
    probation_score,
    regularisation_due,
)
from .hr_kpi_number_checks import MONEY, PERCENT, POINTS, check_numbers
from .hr_kpi_star_level import (
    LEAD,
    REP,
    SCHEME_STAR_ROLES,
    SCORE_DIGITS,
    STAR_ROLES,
    engine_message,
    fmt_number,
)
from .hr_kpi_star_review_line import STAR_RULE_SELECTION, check_typed_number
from .kpi_policy import KpiPolicy, kpi_action

# Months of event history the monthly rules look back on: a repeated offence keeps
# 0 stars for 3 months, and a second month of abnormal attitude needs the month
# before the first one.
EVENT_HISTORY_MONTHS = REPEAT_ZERO_MONTHS + 1
# Probation months looked back on for the regularisation suggestion.
PROBATION_HISTORY_MONTHS = 12
# Incident types behind each monthly event of the engine (engine.stars.REP_EVENTS).
REP_EVENT_TYPES = {
    "commendation": ("commendation",),
    "abnormal_attitude": ("abnormal_attitude",),
    "violation": ("violation", "public_criticism"),
    "attitude_complaint": ("attitude_complaint",),
    "absenteeism": ("absenteeism",),
}
# A lead's own events and his team's (engine.stars.LEAD_EVENTS).
LEAD_OWN_EVENT_TYPES = {
    "lates": ("late",),
    "absenteeism": ("absenteeism",),
}
LEAD_TEAM_EVENT_TYPES = {
    "team_violation": ("violation", "public_criticism"),
    "attitude_complaint": ("attitude_complaint",),
    "major_error": ("major_error",),
}
EVENT_TYPES = sorted(
    {
        code
        for table in (REP_EVENT_TYPES, LEAD_OWN_EVENT_TYPES, LEAD_TEAM_EVENT_TYPES)
        for codes in table.values()
        for code in codes
    }
)
# Seed 003 probation: reps get 90 % of the 3-star pay, leads the 1-star pay; the
# month score is paid on with a floor; two good months suggest regularisation.
PROBATION_REFERENCE_STARS = {REP: 3, LEAD: 1}
PROBATION_PAY_RATIO = {REP: REP_PROBATION_RATIO, LEAD: 1.0}
PROBATION_FLOOR = {REP: REP_PROBATION_FLOOR, LEAD: LEAD_PROBATION_FLOOR}
REGULAR_THRESHOLD = {REP: REP_REGULAR_THRESHOLD, LEAD: LEAD_REGULAR_THRESHOLD}
# Values typed by HR that a recomputation keeps.
TYPED_FIELDS = ("skill_score", "satisfaction")
# Fields only the monthly computation changes (hr.kpi.protected.mixin); the typed
# values go through action_set_typed_values (also when typed in the form).
PROTECTED_FIELDS = (
    "employee_id",
    "company_id",
    "period_id",
    "role",
    "review_line_id",
    "base_stars",
    "stars",
    "star_level_id",
    "rule",
    "explanation",
    "one_time_award",
    "has_score",
    "score",
    "pay_score",
    "probation",
    "trial_date_end",
    "pay",
    "regularisation_suggested",
    *TYPED_FIELDS,
)


def _month_start(day):
    return date(day.year, day.month, 1)


# Limits of the numeric fields (shared check: finite, within these bounds).
NUMBER_LIMITS = {
    "skill_score": POINTS,
    "satisfaction": PERCENT,
    "score": POINTS,
    "pay_score": POINTS,
    "pay": MONEY,
}


class HrKpiStarMonth(models.Model):
    """An employee's effective star of one month (月度星级) and its star pay.

    The quarter's review gives the base star; the month's confirmed incidents
    and those of the months before adjust it (seed 003 星级异动), and probation
    replaces the pay.
    """

    _name = "hr.kpi.star.month"
    _description = "KPI Monthly Star"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "hr.kpi.protected.mixin",
    ]
    _order = "period_date_from desc, employee_id"
    _check_company_auto = True
    _kpi_policy = KpiPolicy(bounds=NUMBER_LIMITS, protected=PROTECTED_FIELDS, unlink="action")

    name = fields.Char(compute="_compute_name", store=True)
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    department_id = fields.Many2one(related="employee_id.department_id")
    period_id = fields.Many2one(
        "hr.kpi.period",
        string="Month",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        domain=[("period_type", "=", "monthly")],
    )
    period_date_from = fields.Date(related="period_id.date_from", store=True)
    role = fields.Selection(STAR_ROLES, required=True)
    review_line_id = fields.Many2one(
        "hr.kpi.star.review.line", string="Star Review", readonly=True, ondelete="set null"
    )
    base_stars = fields.Integer(
        aggregator="avg",
        readonly=True, help="The star of the latest done review before the month."
    )
    stars = fields.Integer(readonly=True, tracking=True, aggregator="avg")
    star_level_id = fields.Many2one("hr.kpi.star.level", readonly=True)
    rule = fields.Selection(STAR_RULE_SELECTION, readonly=True, tracking=True)
    explanation = fields.Text(readonly=True)
    one_time_award = fields.Boolean(
        readonly=True,
        help="A commendation lifted the representative to 5 stars this month "
        "(seed 003: one-time award).",
    )
    has_score = fields.Boolean(readonly=True)
    score = fields.Float(
        aggregator="avg",
        string="Month Score",
        digits=SCORE_DIGITS,
        readonly=True,
        help="Score of the month's approved evaluation.",
    )
    pay_score = fields.Float(
        aggregator="avg",
        digits=SCORE_DIGITS,
        readonly=True,
        help="The score the star pay is paid on: on probation, a month scored at or "
        "below 70 (reps) / 80 (leads) counts as 70 / 80.",
    )
    probation = fields.Boolean(
        readonly=True, help="The contract's trial period had not ended when the month began."
    )
    trial_date_end = fields.Date(readonly=True)
    pay = fields.Monetary(
        string="Star Pay",
        currency_field="currency_id",
        readonly=True,
        help="Monthly star pay before the score percentage; on probation 90 % of the "
        "3-star pay for reps, the 1-star pay for leads.",
    )
    skill_score = fields.Float(
        aggregator="avg",
        string="Skill Test",
        digits=SCORE_DIGITS,
        help="The month's skill test result (效能之星); 0 when no test was taken.",
    )
    satisfaction = fields.Float(
        aggregator="avg",
        string="Service Satisfaction (%)",
        digits=SCORE_DIGITS,
        help="Team lead: the month's service satisfaction; 99 % or more adds a star. "
        "0 when not measured.",
    )
    regularisation_suggested = fields.Boolean(readonly=True, copy=False)

    _sql_constraints = [
        (
            "employee_period_uniq",
            "unique(employee_id, period_id)",
            "An employee has one star per month.",
        ),
    ]

    @api.depends("employee_id.name", "period_id.name")
    def _compute_name(self):
        for month in self:
            month.name = f"{month.employee_id.name or ''} · {month.period_id.name or ''}"

    def write(self, vals):
        typed = {name: vals[name] for name in TYPED_FIELDS if name in vals}
        if typed and self._kpi_protection_applies():
            # Typing the skill test or the satisfaction goes through its action.
            rest = {name: value for name, value in vals.items() if name not in typed}
            self._kpi_refuse_protected(rest)
            self.action_set_typed_values(typed)
            return super().write(rest) if rest else True
        return super().write(vals)

    def _kpi_unlink_message(self):
        return self.env._(
            "Monthly stars come and go with Compute Monthly Stars; they are not deleted one "
            "by one."
        )

    def _check_officer(self):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise UserError(self.env._("Only a KPI officer computes monthly stars."))

    def _check_open_months(self, months):
        closed = months.filtered(lambda period: period.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "The month %(month)s is closed: its stars can no longer change.",
                    month=closed[0].name,
                )
            )

    @kpi_action
    def action_set_typed_values(self, values):
        """Type the month's skill test result and/or service satisfaction (officers,
        open months, never one's own); Compute Monthly Stars then uses them."""
        self.check_access("write")
        self._check_officer()
        if not isinstance(values, dict) or not values or set(values) - set(TYPED_FIELDS):
            raise UserError(
                self.env._(
                    "Only %(fields)s are typed on a monthly star.",
                    fields=", ".join(
                        self._fields[name]._description_string(self.env) for name in TYPED_FIELDS
                    ),
                )
            )
        for name, value in values.items():
            check_typed_number(self, name, value)
        self._check_open_months(self.period_id)
        own = self.filtered(lambda month: month.employee_id.user_id == self.env.user)
        if own:
            raise AccessError(
                self.env._(
                    "%(employee)s: nobody types his own skill test or satisfaction; "
                    "another KPI officer must.",
                    employee=own[0].employee_id.name,
                )
            )
        return self.write(values)

    # ------------------------------------------------------------------
    # Computation (batch)
    # ------------------------------------------------------------------
    @api.model
    def _compute_months(self, periods, employees=None):
        """Compute the star of every rep and lead for the months of `periods` (a
        quarter or a year counts through its months); returns the records.

        `employees`: only theirs (a background job's share, ``_star_employees``);
        each employee's month depends on his own records and his team's, never on
        the others', so the shares add up to the whole. The queries do not depend
        on the number of employees. Closed months are refused; values typed by HR
        (skill test, satisfaction) are kept.
        """
        months = periods._months()
        self._check_open_months(months)
        result = self.browse()
        for company in months.company_id:
            result |= self._compute_company_months(
                company,
                months.filtered(lambda period, c=company: period.company_id == c),
                employees,
            )
        return result

    @api.model
    def _star_employees(self, periods):
        """Everybody whose monthly star the months of `periods` compute or remove:
        the months' scored reps and leads, the people of the reviews they start
        from, and those who have a star of those months already."""
        months = periods._months()
        employees = self.env["hr.employee"]
        for company in months.company_id:
            company_months = months.filtered(lambda period, c=company: period.company_id == c)
            start = min(company_months.mapped("date_from"))
            end = max(company_months.mapped("date_to"))
            evaluations = self.env["hr.kpi.star.review"]._scored_evaluations(company, start, end)
            employees |= evaluations.filtered(
                lambda e: SCHEME_STAR_ROLES.get(e.scheme_id.role_type)
            ).employee_id
            for review in self._base_reviews(company, company_months).values():
                employees |= review.line_ids.employee_id
            employees |= self.search(
                [("company_id", "=", company.id), ("period_id", "in", company_months.ids)]
            ).employee_id
        return employees

    def _compute_company_months(self, company, months, employees=None):
        inputs = self._gather(company, months, employees)
        domain = [("company_id", "=", company.id), ("period_id", "in", months.ids)]
        if employees is not None:
            domain.append(("employee_id", "in", employees.ids))
        current = self.search(domain)
        existing = {(record.employee_id, record.period_id): record for record in current}
        stale = current.filtered(
            lambda record: (record.employee_id, record.period_id) not in inputs["pairs"]
        )
        stale.unlink()
        records = self.browse()
        to_create = []
        for employee, period in inputs["pairs"]:
            record = existing.get((employee, period))
            typed = {name: record[name] if record else 0.0 for name in TYPED_FIELDS}
            vals = self._month_values(employee, period, inputs, typed)
            if record:
                record.write(vals)
                records |= record
            else:
                to_create.append(
                    dict(vals, employee_id=employee.id, period_id=period.id, company_id=company.id)
                )
        # The step says in the period's chatter what it did: no "created" note nor
        # follower per star (2.6 of 6.6 s at 2,000 employees); changes of a star
        # later on are tracked.
        records |= self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(to_create)
        records._suggest_regularisation(inputs)
        return records

    @api.model
    def _base_reviews(self, company, months):
        """{month: the latest done star review of a quarter ended before it}."""
        Review = self.env["hr.kpi.star.review"]
        end = max(months.mapped("date_to"))
        reviews = Review.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "done"),
                ("period_id.date_to", "<", end),
            ],
            order="period_date_from desc",
        )
        return {
            period: next((r for r in reviews if r.period_id.date_to < period.date_from), Review)
            for period in months
        }

    def _gather(self, company, months, employees=None):
        """Read every input of the months with a constant number of queries (of
        `employees` only, when given)."""
        Review = self.env["hr.kpi.star.review"]
        start = min(months.mapped("date_from"))
        end = max(months.mapped("date_to"))
        history_start = start - relativedelta(months=PROBATION_HISTORY_MONTHS)
        ladders = self.env["hr.kpi.star.level"]._ladders(company)

        scores, roles = {}, {}
        for evaluation in Review._scored_evaluations(company, history_start, end, employees):
            key = (evaluation.employee_id, evaluation.period_date_from)
            scores[key] = evaluation.total_score
            roles[key] = SCHEME_STAR_ROLES.get(evaluation.scheme_id.role_type)

        base_reviews = self._base_reviews(company, months)
        base_lines, pair_roles = {}, {}
        for period in months.sorted("date_from"):
            review = base_reviews[period]
            review_lines = review.line_ids
            if employees is not None:
                review_lines = review_lines.filtered(lambda line: line.employee_id in employees)
            month_roles = {
                employee: role
                for (employee, month), role in roles.items()
                if month == period.date_from and role
            }
            month_roles.update({line.employee_id: line.role for line in review_lines})
            lines = {line.employee_id: line for line in review_lines}
            for employee in sorted(month_roles, key=lambda e: e.id):
                base_lines[(employee, period)] = lines.get(employee)
                pair_roles[(employee, period)] = month_roles[employee]
        pairs = list(pair_roles)
        employees = self.env["hr.employee"].concat(*{employee for employee, _p in pairs})
        leads = self.env["hr.employee"].concat(
            *{employee for (employee, _p), role in pair_roles.items() if role == LEAD}
        )
        members = self.env["hr.employee"].search([("parent_id", "in", leads.ids)])
        events_start = start - relativedelta(months=EVENT_HISTORY_MONTHS)
        incidents = defaultdict(lambda: defaultdict(int))
        for employee, code, month, count in self.env["hr.kpi.incident"]._read_group(
            [
                ("employee_id", "in", (employees | members).ids),
                ("confirmed", "=", True),
                ("type_code", "in", EVENT_TYPES),
                ("date", ">=", events_start),
                ("date", "<=", end),
            ],
            ["employee_id", "type_code", "date:month"],
            ["__count"],
        ):
            incidents[(employee.id, _month_start(month))][code] += count
        teams = defaultdict(list)
        for member in members:
            teams[member.parent_id.id].append(member.id)
        employee_scores = defaultdict(list)
        for (employee, month), score in sorted(scores.items(), key=lambda item: item[0][1]):
            employee_scores[employee].append((month, score))
        return {
            "company": company,
            "ladders": ladders,
            "scores": scores,
            "employee_scores": employee_scores,
            "pair_roles": pair_roles,
            "base_lines": base_lines,
            "pairs": pairs,
            "employees": employees,
            "teams": teams,
            "incidents": incidents,
            "leave_hours": self._leave_hours(leads, start, end, company),
            "contracts": self._probation_contracts(employees, history_start, end),
        }

    @api.model
    def _leave_hours(self, employees, date_from, date_to, company):
        """{(employee id, month start): hours} of approved time off, each request
        counted in the month it starts (one query, as superuser: see
        ``hr.kpi.star.review._leave_counts``)."""
        if not employees:
            return {}
        domain = self.env["hr.kpi.star.review"]._leave_domain(
            employees, date_from, date_to, company
        )
        hours = defaultdict(float)
        for leave in (
            self.env["hr.leave"]
            .sudo()
            .search_read(domain, ["employee_id", "date_from", "number_of_hours"])
        ):
            hours[(leave["employee_id"][0], _month_start(leave["date_from"]))] += leave[
                "number_of_hours"
            ]
        return hours

    @api.model
    def _probation_contracts(self, employees, date_from, date_to):
        """{employee: [contracts with a trial period]} overlapping the dates (one
        query, as superuser: a KPI officer needs the trial end without being a
        contract manager)."""
        contracts = (
            self.env["hr.contract"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", employees.ids),
                    ("state", "!=", "cancel"),
                    ("trial_date_end", ">=", date_from),
                    ("date_start", "<=", date_to),
                ],
                order="date_start",
            )
        )
        by_employee = defaultdict(list)
        for contract in contracts:
            by_employee[contract.employee_id.id].append(
                (contract.date_start, contract.trial_date_end)
            )
        return by_employee

    # ------------------------------------------------------------------
    def _month_values(self, employee, period, inputs, typed):
        line = inputs["base_lines"][(employee, period)]
        month = period.date_from
        role = inputs["pair_roles"][(employee, period)]
        base = line.stars if line else 0
        records = inputs["ladders"][role][1]
        try:
            if role == LEAD:
                events = self._lead_events(employee, period, inputs, typed["satisfaction"])
                stars, rule = effective_lead_star(base, events)
            else:
                history = [
                    self._rep_events(employee, month - relativedelta(months=back), inputs)
                    for back in range(EVENT_HISTORY_MONTHS, 0, -1)
                ]
                events = self._rep_events(employee, month, inputs)
                stars, rule = effective_star(base, events, history)
        except KpiEngineError as err:
            raise UserError(engine_message(self.env, err, subject=employee.name)) from err
        has_score = (employee, month) in inputs["scores"]
        score = inputs["scores"].get((employee, month), 0.0)
        trial_end = self._trial_end(employee, period, inputs)
        pay_score, pay = score, records[stars].pay
        if trial_end:
            reference = records[PROBATION_REFERENCE_STARS[role]].pay
            pay = probation_pay(reference, PROBATION_PAY_RATIO[role])
            pay_score = probation_score(score, PROBATION_FLOOR[role]) if has_score else 0.0
        explanation = self._explain(line, base, stars, rule, role, events)
        if trial_end:
            explanation += " " + self.env._(
                "On probation until %(date)s: the star pay is %(pay)s and a month score "
                "at or below %(floor)s counts as %(floor)s.",
                date=trial_end,
                pay=fmt_number(pay),
                floor=fmt_number(PROBATION_FLOOR[role]),
            )
        return {
            "role": role,
            "review_line_id": line.id if line else False,
            "base_stars": base,
            "stars": stars,
            "rule": rule,
            "star_level_id": records[stars].id,
            "one_time_award": rule == ONE_TIME_AWARD,
            "has_score": has_score,
            "score": score,
            "pay_score": pay_score,
            "probation": bool(trial_end),
            "trial_date_end": trial_end or False,
            "pay": pay,
            "explanation": explanation,
            **typed,
        }

    @staticmethod
    def _trial_end(employee, period, inputs):
        """The trial end of the contract running in the month, if it has not ended
        when the month begins."""
        for date_start, trial_end in inputs["contracts"].get(employee.id, []):
            if date_start <= period.date_to and trial_end >= period.date_from:
                return trial_end
        return None

    @staticmethod
    def _count(inputs, employee_ids, month, codes):
        return sum(
            inputs["incidents"].get((employee_id, month), {}).get(code, 0)
            for employee_id in employee_ids
            for code in codes
        )

    def _rep_events(self, employee, month, inputs):
        return {
            event: self._count(inputs, [employee.id], month, codes)
            for event, codes in REP_EVENT_TYPES.items()
        }

    def _lead_events(self, lead, period, inputs, satisfaction):
        month = period.date_from
        quarter_start = self.env["hr.kpi.period"]._period_start(month, "quarterly")
        team = inputs["teams"].get(lead.id, [])
        events = {
            event: self._count(inputs, [lead.id], month, codes)
            for event, codes in LEAD_OWN_EVENT_TYPES.items()
        }
        events.update(
            {
                event: self._count(inputs, team, month, codes)
                for event, codes in LEAD_TEAM_EVENT_TYPES.items()
            }
        )
        # A lead's own major error counts like his team's.
        events["major_error"] += self._count(inputs, [lead.id], month, ("major_error",))
        # A commendation lifts the lead for the rest of its quarter.
        events["commendation"] = sum(
            self._count(
                inputs, [lead.id], quarter_start + relativedelta(months=n), ("commendation",)
            )
            for n in range((month.month - quarter_start.month) + 1)
        )
        events["satisfaction"] = satisfaction or None
        events["leave_hours"] = inputs["leave_hours"].get((lead.id, month), 0.0)
        return events

    def _explain(self, line, base, stars, rule, role, events):
        """Which monthly rule decided the star, in words."""
        _ = self.env._
        if line:
            text = _("Reviewed star (%(review)s): %(base)s.", review=line.review_id.name, base=base)
        else:
            text = _("No done star review yet: reviewed star 0.")
        if rule == DOWNGRADE and role == LEAD:
            reason = _(
                "0 stars this month: a rules violation, public criticism, substantiated "
                "attitude complaint or major error in the team."
            )
        elif rule == DOWNGRADE:
            reason = _(
                "0 stars this month: a rules violation or public criticism, a "
                "substantiated attitude complaint, absenteeism, or a second month in a "
                "row of abnormal service attitude."
            )
        elif rule == REPEAT_DOWNGRADE:
            reason = _(
                "0 stars: an offence in the month right after an offending month keeps "
                "0 stars for %(months)s months; the reviewed star comes back afterwards.",
                months=REPEAT_ZERO_MONTHS,
            )
        elif rule == ATTENDANCE_CAP:
            reason = _(
                "At most 1 star this month: %(lates)s late arrival(s) (limit %(limit)s), "
                "%(hours)s hours of time off (more than %(max_hours)s count), "
                "%(absences)s absenteeism.",
                lates=events["lates"],
                limit=LEAD_LATE_LIMIT,
                hours=fmt_number(events["leave_hours"]),
                max_hours=fmt_number(LEAD_LEAVE_HOURS),
                absences=events["absenteeism"],
            )
        elif rule == ONE_TIME_AWARD:
            reason = _(
                "A written commendation this month lifts the star to %(stars)s, the top: "
                "one-time award.",
                stars=stars,
            )
        elif rule == COMMENDATION and role == LEAD:
            reason = _("+1 star for a written commendation this quarter: %(stars)s.", stars=stars)
        elif rule == COMMENDATION:
            reason = _(
                "+1 star for a written commendation within the last %(months)s months: %(stars)s.",
                months=COMMENDATION_MONTHS,
                stars=stars,
            )
        elif rule == SATISFACTION:
            reason = _(
                "+1 star for a service satisfaction of %(pct)s %% (at least %(min)s %%): "
                "%(stars)s.",
                pct=fmt_number(events["satisfaction"]),
                min=fmt_number(LEAD_SATISFACTION_PCT),
                stars=stars,
            )
        elif rule == COMMENDATION_SATISFACTION:
            reason = _(
                "+1 star for a commendation this quarter and +1 for a service "
                "satisfaction of %(pct)s %%: %(stars)s.",
                pct=fmt_number(events["satisfaction"]),
                stars=stars,
            )
        else:  # BASE_STARS
            reason = _("No adjustment this month.")
        summary = self._event_summary(role, events)
        if summary and rule in (DOWNGRADE, REPEAT_DOWNGRADE):
            reason += " " + _("This month: %(events)s.", events=summary)
        return f"{text} {reason}"

    def _event_summary(self, role, events):
        """The month's offences in words, e.g. "rules violation or public criticism × 1"."""
        _ = self.env._
        if role == LEAD:
            labels = {
                "team_violation": _("violation or public criticism in the team"),
                "attitude_complaint": _("substantiated attitude complaint in the team"),
                "major_error": _("major error"),
            }
        else:
            labels = {
                "violation": _("rules violation or public criticism"),
                "attitude_complaint": _("substantiated attitude complaint"),
                "absenteeism": _("absenteeism"),
                "abnormal_attitude": _("abnormal service attitude"),
            }
        return ", ".join(
            f"{label} × {events[event]}" for event, label in labels.items() if events.get(event)
        )

    # ------------------------------------------------------------------
    # Probation
    # ------------------------------------------------------------------
    def _suggest_regularisation(self, inputs):
        """Schedule one HR activity per probationer whose real scores reached the
        regularisation threshold in consecutive months (engine
        ``regularisation_due``); never twice for an employee."""
        probation = self.filtered(lambda record: record.probation and record.has_score)
        if not probation:
            return
        done = set(
            self.search(
                [
                    ("employee_id", "in", probation.employee_id.ids),
                    ("regularisation_suggested", "=", True),
                ]
            ).employee_id.ids
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = []
        for record in probation.sorted("period_date_from"):
            employee = record.employee_id
            if employee.id in done:
                continue
            scores = self._probation_scores(record, inputs)
            threshold = REGULAR_THRESHOLD[record.role]
            try:
                due = regularisation_due(scores, threshold)
            except KpiEngineError as err:
                raise UserError(engine_message(self.env, err, subject=employee.name)) from err
            if not due:
                continue
            done.add(employee.id)
            record.regularisation_suggested = True
            activities.append(
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": record.id,
                    "activity_type_id": todo.id,
                    "summary": self.env._("Regularisation suggested"),
                    "note": self.env._(
                        "%(employee)s scored %(threshold)s or more in %(months)s "
                        "consecutive probation months (%(scores)s): suggest "
                        "regularisation (转正).",
                        employee=employee.name,
                        threshold=fmt_number(threshold),
                        months=REGULAR_MONTHS,
                        scores=", ".join(fmt_number(score) for score in scores),
                    ),
                    "user_id": (employee.department_id.manager_id.user_id or self.env.user).id,
                }
            )
        self.env["mail.activity"].create(activities)

    @staticmethod
    def _probation_scores(record, inputs):
        """The real scores of the record's probation months up to its month, oldest first."""
        employee = record.employee_id
        month = record.period_date_from
        contract_start = next(
            (
                start
                for start, trial_end in inputs["contracts"].get(employee.id, [])
                if start <= record.period_id.date_to and trial_end >= month
            ),
            month,
        )
        return [
            score
            for scored_month, score in inputs["employee_scores"].get(employee, [])
            if _month_start(contract_start) <= scored_month <= month
        ]

    @api.model
    @kpi_action
    def _action_compute_periods(self, periods, employees=None):
        """Server action on periods: compute the monthly stars of their months
        (officers); of `employees` only when given (a background job's share)."""
        self._check_officer()
        self.check_access("write")
        return self._compute_months(periods, employees)

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
