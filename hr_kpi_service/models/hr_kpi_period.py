from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .hr_kpi_evaluation import APPROVED_STATES, EVALUATION_STATES
from .kpi_policy import KpiPolicy, kpi_action, kpi_action_scope

PERIOD_TYPES = [
    ("monthly", "Month"),
    ("quarterly", "Quarter"),
    ("semiannual", "Half-year"),
    ("annual", "Year"),
]
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
# The period a period rolls up into (a month into its quarter, a quarter into its year).
PARENT_TYPE = {"monthly": "quarterly", "quarterly": "annual", "semiannual": "annual"}
OFFICER = "hr_kpi_service.group_kpi_officer"
MANAGER = "hr_kpi_service.group_kpi_manager"


class HrKpiPeriod(models.Model):
    """An evaluation period (考核周期) of one company."""

    _name = "hr.kpi.period"
    _description = "KPI Period"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    _order = "date_from desc, period_type"
    _check_company_auto = True
    # What a period is: once evaluations belong to it, their pay month follows from
    # these fields, so they no longer change (collection and pay dates still may).
    # Its state moves only through its buttons.
    _kpi_policy = KpiPolicy(
        locked_when="_kpi_used_periods",
        locked_fields=("period_type", "date_from", "date_to", "company_id", "parent_id"),
        unlink="unlocked",
        # Aggregate Results writes the quarter's and year's results and proposes
        # their consequences
        action_scope=("hr.kpi.result", "hr.kpi.consequence"),
        # the profit pool's figures, supplied by finance: never negative
        bounds={"pool_gross_profit": (0.0, 1e9), "pool_revenue": (0.0, 1e9)},
    )

    name = fields.Char(required=True)
    period_type = fields.Selection(PERIOD_TYPES, required=True, default="monthly")
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    parent_id = fields.Many2one(
        "hr.kpi.period",
        string="Rolls Up Into",
        check_company=True,
        ondelete="restrict",
        help="A month's quarter, a quarter's year.",
    )
    child_ids = fields.One2many("hr.kpi.period", "parent_id", string="Sub-periods")
    collection_date_from = fields.Date(
        string="Data Collection From", help="Seed 001: the 10th of the following month."
    )
    collection_date_to = fields.Date(
        string="Data Collection To", help="Seed 001: the 15th of the following month."
    )
    pay_date = fields.Date(help="Seed 001: bonuses are paid by the 20th of the following month.")
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], default="open", required=True, tracking=True
    )
    # Smart buttons: the period's evaluations, all and by state (one grouped query).
    evaluation_count = fields.Integer(compute="_compute_evaluation_counts")
    evaluation_draft_count = fields.Integer(compute="_compute_evaluation_counts")
    evaluation_self_assessment_count = fields.Integer(compute="_compute_evaluation_counts")
    evaluation_rating_count = fields.Integer(compute="_compute_evaluation_counts")
    evaluation_hr_review_count = fields.Integer(compute="_compute_evaluation_counts")
    evaluation_approved_count = fields.Integer(compute="_compute_evaluation_counts")
    evaluation_published_count = fields.Integer(compute="_compute_evaluation_counts")
    evaluation_appealed_count = fields.Integer(compute="_compute_evaluation_counts")
    evaluation_closed_count = fields.Integer(compute="_compute_evaluation_counts")
    # Background steps (hr.kpi.job.batch): the running ones, else the last one.
    job_batch_ids = fields.One2many("hr.kpi.job.batch", "period_id", string="Background Steps")
    job_running = fields.Boolean(string="Running in Background", compute="_compute_job_progress")
    job_count = fields.Integer(string="Jobs", compute="_compute_job_progress")
    job_done_count = fields.Integer(string="Jobs Done", compute="_compute_job_progress")
    job_failed_count = fields.Integer(string="Jobs Failed", compute="_compute_job_progress")
    job_progress = fields.Char(string="Background Progress", compute="_compute_job_progress")

    _sql_constraints = [
        (
            "period_uniq",
            "unique(company_id, period_type, date_from)",
            "This period already exists for the company.",
        ),
    ]

    @api.constrains("date_from", "date_to", "period_type")
    def _check_dates(self):
        for period in self:
            if period.date_from > period.date_to:
                raise ValidationError(
                    self.env._("Period %(name)s ends before it starts.", name=period.name)
                )
            expected = period.date_from + relativedelta(
                months=PERIOD_MONTHS[period.period_type], days=-1
            )
            if period.date_from.day != 1 or period.date_to != expected:
                raise ValidationError(
                    self.env._(
                        "Period %(name)s must run from the first day of a month to the "
                        "last day of its %(months)s month(s).",
                        name=period.name,
                        months=PERIOD_MONTHS[period.period_type],
                    )
                )

    def _kpi_used_periods(self):
        """Periods that evaluations belong to: their pay month follows from them."""
        used = (
            self.env["hr.kpi.evaluation"]
            .sudo()
            ._read_group([("period_id", "in", self.ids)], ["period_id"])
        )
        return self.browse([period.id for (period,) in used])

    def _kpi_locked_message(self, locked, fnames):
        return self.env._(
            "The period %(period)s already has evaluations: %(fields)s no longer change.",
            period=locked[0].name,
            fields=self._kpi_labels(fnames),
        )

    @api.model
    def _period_start(self, day, period_type):
        months = PERIOD_MONTHS[period_type]
        first_month = (day.month - 1) // months * months + 1
        return date(day.year, first_month, 1)

    @api.model
    def _period_name(self, start, period_type):
        if period_type == "monthly":
            return self.env._("%(year)s-%(month)02d", year=start.year, month=start.month)
        if period_type == "quarterly":
            return self.env._(
                "%(year)s Q%(quarter)s", year=start.year, quarter=(start.month + 2) // 3
            )
        if period_type == "semiannual":
            return self.env._("%(year)s H%(half)s", year=start.year, half=(start.month + 5) // 6)
        return str(start.year)

    @api.model
    def _default_dates(self, start, period_type):
        """Collection 10th-15th and pay date 20th of the month after the period (seed 001)."""
        company = self.env.company
        end = start + relativedelta(months=PERIOD_MONTHS[period_type], days=-1)
        following = end + relativedelta(days=1)
        return {
            "date_from": start,
            "date_to": end,
            "collection_date_from": following.replace(day=company.kpi_collection_day_from),
            "collection_date_to": following.replace(day=company.kpi_collection_day_to),
            "pay_date": following.replace(day=company.kpi_pay_day),
        }

    @api.model
    def _get_or_create(self, day, period_type="monthly", company=None):
        """The period of `period_type` containing `day`, created with its parents if needed."""
        company = company or self.env.company
        start = self._period_start(day, period_type)
        period = self.search(
            [
                ("company_id", "=", company.id),
                ("period_type", "=", period_type),
                ("date_from", "=", start),
            ],
            limit=1,
        )
        if period:
            return period
        parent = False
        if period_type in PARENT_TYPE:
            parent = self._get_or_create(day, PARENT_TYPE[period_type], company)
        vals = self.with_company(company)._default_dates(start, period_type)
        vals.update(
            name=self._period_name(start, period_type),
            period_type=period_type,
            company_id=company.id,
            parent_id=parent.id if parent else False,
        )
        return self.create(vals)

    def _months(self):
        """The monthly periods inside these periods (a year through its quarters)."""
        months = self.filtered(lambda p: p.period_type == "monthly")
        others = self - months
        if others:
            months |= self.search(
                [
                    ("period_type", "=", "monthly"),
                    ("company_id", "in", others.company_id.ids),
                    ("date_from", ">=", min(others.mapped("date_from"))),
                    ("date_to", "<=", max(others.mapped("date_to"))),
                ]
            ).filtered(
                lambda m: any(
                    p.company_id == m.company_id
                    and p.date_from <= m.date_from
                    and m.date_to <= p.date_to
                    for p in others
                )
            )
        return months

    # Seed 000 服务经理 profit pool: the month's figures, supplied by finance.
    pool_gross_profit = fields.Float(
        string="Gross Profit",
        digits="Payroll",
        help="The month's actual gross profit (总实际毛利), for the profit pool (KPI_POOL).",
    )
    pool_revenue = fields.Float(
        string="Revenue",
        digits="Payroll",
        help="The month's actual revenue (总实营金额), for the profit pool (KPI_POOL).",
    )

    # ------------------------------------------------------------------
    # The cockpit: the month's steps, each a button of the period form
    # ------------------------------------------------------------------
    def _compute_evaluation_counts(self):
        groups = self.env["hr.kpi.evaluation"]._read_group(
            [("period_id", "in", self.ids)], ["period_id", "state"], ["__count"]
        )
        counts = {(period.id, state): count for period, state, count in groups}
        for period in self:
            total = 0
            for state, _label in EVALUATION_STATES:
                count = counts.get((period.id, state), 0)
                period[f"evaluation_{state}_count"] = count
                total += count
            period.evaluation_count = total

    @api.depends("job_batch_ids.state", "job_batch_ids.chunk_ids.state")
    def _compute_job_progress(self):
        # Whoever reads the period sees its progress: counts and translated step
        # names of the system's own batches (system_owned policy), read in
        # sudo; the batches themselves stay readable only by officers and starters.
        batches = self.env["hr.kpi.job.batch"].sudo().search([("period_id", "in", self.ids)])
        for period in self:
            mine = batches.filtered(lambda batch, p=period: batch.period_id == p)
            shown = mine.filtered(lambda batch: batch.state == "running") or mine[:1]
            period.job_running = any(batch.state == "running" for batch in shown)
            period.job_count = sum(shown.mapped("chunk_count"))
            period.job_done_count = sum(shown.mapped("chunk_done_count"))
            period.job_failed_count = sum(shown.mapped("chunk_failed_count"))
            period.job_progress = "; ".join(
                self.env._(
                    "%(step)s: %(done)s / %(total)s jobs done, %(failed)s failed",
                    step=batch.name,
                    done=batch.chunk_done_count,
                    total=batch.chunk_count,
                    failed=batch.chunk_failed_count,
                )
                for batch in shown
            )

    def action_open_job_batches(self):
        """The period's background steps (their jobs, failures, Retry)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_kpi_service.action_hr_kpi_job_batch"
        )
        action["domain"] = [("period_id", "=", self.id)]
        return action

    def action_open_evaluations(self, state=None):
        """The period's evaluations (`state`, or the context's evaluation_state: only
        those; a filter, not a permission: record rules apply)."""
        self.ensure_one()
        state = state or self.env.context.get("evaluation_state")
        domain = [("period_id", "=", self.id)]
        if state:
            domain.append(("state", "=", state))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Evaluations of %(period)s", period=self.name),
            "res_model": "hr.kpi.evaluation",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {"create": False},
        }

    def _kpi_check_step(self, group_xmlid, step):
        """Checks of every cockpit step: the caller's group, one open period."""
        self.ensure_one()
        if not self.env.user.has_group(group_xmlid):
            raise AccessError(
                self.env._(
                    "%(step)s needs the group %(group)s.",
                    step=step,
                    group=self.env.ref(group_xmlid).sudo().display_name,
                )
            )
        self.check_access("read")
        if self.state != "open":
            raise UserError(
                self.env._(
                    "%(step)s: the period %(period)s is closed.", step=step, period=self.name
                )
            )

    def _kpi_notify(self, message, kind="success", next_action=None):
        """Say what a step did: in the period's chatter and in a notification."""
        self._message_log(body=message)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": kind,
                "sticky": False,
                "next": next_action or {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _kpi_evaluations(self, states):
        """The period's evaluations in `states`, and those among them the caller
        may not act on (his own: four-eyes)."""
        evaluations = self.env["hr.kpi.evaluation"].search(
            [("period_id", "=", self.id), ("state", "in", list(states))]
        )
        own = evaluations.filtered(lambda e: e.employee_id.user_id == self.env.user)
        return evaluations - own, own

    def _kpi_own_note(self, count):
        """The note on `count` evaluations of the caller's own left to another person."""
        if not count:
            return ""
        return " " + self.env._(
            "%(count)s of your own left to another person (four-eyes).", count=count
        )

    def _kpi_nothing(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "warning", "sticky": False},
        }

    # ------------------------------------------------------------------
    # Steps: what each does to a share of its records (`_kpi_chunk_<step>`, returns
    # (done, skipped); a job's share or, below the threshold, all of them), what
    # closes it (`_kpi_finish_<step>`, optional) and what it says (`_kpi_message_<step>`).
    # ------------------------------------------------------------------
    STEP_GROUPS = {"compute_scores": MANAGER, "payslip_lines": "payroll.group_payroll_user"}

    def _kpi_step_group(self, step):
        return self.STEP_GROUPS.get(step, OFFICER)

    def _kpi_step_label(self, step):
        labels = dict(self.env["hr.kpi.job.batch"]._fields["step"]._description_selection(self.env))
        return labels[step]

    def _kpi_run(self, step, records, size=None, own_count=0, next_action=None):
        """Run a step on `records`: as background jobs when they are more than the
        threshold (`size`: the step's batch size when it differs) and a job runner
        serves the database, else now (`own_count`: the caller's own evaluations
        left to another person, said with the result). A step still running in jobs
        is refused, unless no runner is left to run them: then they are cancelled and
        the step runs here. Only a real run blocks: a "running" batch whose jobs are
        gone (done, failed, cancelled) is set aside. The running batches are looked
        up in sudo: whoever started them, one step runs once per period."""
        self.ensure_one()
        Batch = self.env["hr.kpi.job.batch"]
        running = Batch.sudo().search(
            [("period_id", "=", self.id), ("step", "=", step), ("state", "=", "running")]
        )
        real = running._kpi_alive()
        if real and Batch._runner_alive():
            raise UserError(
                self.env._(
                    "%(step)s is already running in the background: %(done)s of %(total)s "
                    "jobs done.",
                    step=real[0].name,
                    done=real[0].chunk_done_count,
                    total=real[0].chunk_count,
                )
            )
        running._abandon()
        if Batch._use_jobs(len(records) if size is None else size):
            batch = Batch._launch(self, step, records, own_count=own_count)
            _threshold, chunk_size = Batch._threshold(step)
            if len(batch.chunk_ids) == 1:  # a step decided over the whole period
                message = self.env._(
                    "%(step)s runs in the background in one job; this period shows the "
                    "progress and says here when it is done.",
                    step=batch.name,
                )
            else:
                message = self.env._(
                    "%(step)s runs in the background in %(count)s jobs of up to %(size)s "
                    "records; this period shows the progress and says here when it is done.",
                    step=batch.name,
                    count=len(batch.chunk_ids),
                    size=chunk_size,
                )
            return self._kpi_notify(message, kind="info")
        done, skipped, busy = self._kpi_step_chunk_busy(step, records)
        self._kpi_step_finish(step)
        message = self._kpi_step_message(step, done, skipped) + self._kpi_own_note(own_count)
        if busy:
            message += " " + self._kpi_busy_note(step, busy)
        return self._kpi_notify(
            message, kind="warning" if busy else "success", next_action=next_action
        )

    def _kpi_step_chunk(self, step, records):
        """One share of a step, in a background job: (done, skipped); the records
        that were busy are named in the period's chatter."""
        done, skipped, busy = self._kpi_step_chunk_busy(step, records)
        if busy:
            self._message_log(body=self._kpi_busy_note(step, busy))
        return done, skipped

    def _kpi_step_chunk_busy(self, step, records):
        """One share of a step, after the caller's group and the period are checked
        again (a job runs as the user who started the step): (done, skipped, busy),
        `busy` the records left alone because another transaction held them (the
        evaluation steps' chunks return it, the others (done, skipped))."""
        self._kpi_check_step(self._kpi_step_group(step), self._kpi_step_label(step))
        done, skipped, *busy = getattr(self, f"_kpi_chunk_{step}")(records)
        return done, skipped, busy[0] if busy else records.browse()

    # A step names at most this many busy records (then their count).
    BUSY_NAMES_SHOWN = 10

    def _kpi_busy_note(self, step, busy):
        names = busy[: self.BUSY_NAMES_SHOWN].sudo().mapped("display_name")
        if len(busy) > self.BUSY_NAMES_SHOWN:
            names.append("…")
        return self.env._(
            "%(step)s left out %(count)s evaluations that another user was changing at "
            "that moment: %(names)s. Press %(step)s again to do them.",
            step=self._kpi_step_label(step),
            count=len(busy),
            names=", ".join(names),
        )

    def _kpi_each_free(self, evaluations, strength, work):
        """Run `work(free evaluations)` on the evaluations nobody else holds, locked
        with SKIP LOCKED (never waits, never fails, logs nothing); the busy ones get
        a second try after the work on the others (a rater's or a manager's save
        holds its lock for milliseconds). Returns (done, busy): `work` returns what
        it did."""
        done = evaluations.browse()
        pending = evaluations
        for _attempt in range(2):
            busy = pending._try_lock_rows(strength)
            free = pending - busy
            if free:
                done |= work(free)
            pending = busy
            if not pending:
                break
        return done, pending

    def _kpi_step_finish(self, step):
        finish = getattr(self, f"_kpi_finish_{step}", None)
        if finish:
            finish()

    def _kpi_step_message(self, step, done, skipped):
        return getattr(self, f"_kpi_message_{step}")(done, skipped)

    # Generate -----------------------------------------------------------
    def action_generate_evaluations(self):
        """Evaluations for everyone on an active scheme of the period's type."""
        self._kpi_check_step(OFFICER, self.env._("Generate Evaluations"))
        return self._kpi_run("generate", self.env["hr.kpi.evaluation"]._generate_employees(self))

    def _kpi_chunk_generate(self, employees):
        created = self.env["hr.kpi.evaluation"]._generate(self, employees=employees)
        return len(created), len(employees) - len(created)

    def _kpi_message_generate(self, done, skipped):
        return self.env._(
            "Generated %(created)s evaluations, skipped %(skipped)s that already existed.",
            created=done,
            skipped=skipped,
        )

    # Compute scores -----------------------------------------------------
    def action_compute_scores(self):
        """Score the period's evaluations that are not approved yet (managers)."""
        self._kpi_check_step(MANAGER, self.env._("Compute Scores"))
        open_states = [state for state, _label in EVALUATION_STATES if state not in APPROVED_STATES]
        evaluations, own = self._kpi_evaluations(open_states)
        return self._kpi_run("compute_scores", evaluations, own_count=len(own))

    def _kpi_chunk_compute_scores(self, evaluations):
        """Score the evaluations not approved meanwhile; one that another user holds
        (a manager typing a value, an approval) is left out and named."""

        def score(free):
            todo = free.filtered(lambda e: e.state not in APPROVED_STATES)
            if todo:
                todo.action_compute_scores()
            return todo

        done, busy = self._kpi_each_free(evaluations, "no_key_update", score)
        return len(done), len(evaluations) - len(done), busy

    def _kpi_message_compute_scores(self, done, skipped):
        return self.env._("Scores computed for %(count)s evaluations.", count=done)

    # Approve ------------------------------------------------------------
    def action_approve_evaluations(self):
        """Approve every evaluation in HR review, then rank the period (officers)."""
        self._kpi_check_step(OFFICER, self.env._("Approve"))
        evaluations, own = self._kpi_evaluations(["hr_review"])
        if not evaluations:
            return self._kpi_nothing(self.env._("No evaluation is waiting for HR review."))
        return self._kpi_run("approve", evaluations, own_count=len(own))

    def _kpi_chunk_approve(self, evaluations):
        """Approve what is still in HR review, without ranking: the period is ranked
        once, after the last share (`_kpi_finish_approve`)."""

        def approve(free):
            todo = free.filtered(lambda e: e.state == "hr_review")
            if todo:
                todo._check_step(OFFICER, self.env._("Approve"))
                with kpi_action_scope(todo):
                    todo._approve(rank=False)
            return todo

        done, busy = self._kpi_each_free(evaluations, "update", approve)
        return len(done), len(evaluations) - len(done), busy

    def _kpi_finish_approve(self):
        ranked = self.env["hr.kpi.evaluation"].search(
            [("period_id", "=", self.id), ("state", "in", list(APPROVED_STATES))], limit=1
        )
        if ranked:
            ranked._check_step(OFFICER, self.env._("Grade and Rank"))
            with kpi_action_scope(ranked):
                ranked._compute_rankings()

    def _kpi_message_approve(self, done, skipped):
        return self.env._("Approved %(count)s evaluations.", count=done)

    # Publish ------------------------------------------------------------
    def action_publish_evaluations(self):
        """Publish every approved evaluation to its employee (officers)."""
        self._kpi_check_step(OFFICER, self.env._("Publish"))
        evaluations, own = self._kpi_evaluations(["approved"])
        if not evaluations:
            return self._kpi_nothing(self.env._("No evaluation is approved and unpublished."))
        return self._kpi_run("publish", evaluations, own_count=len(own))

    def _kpi_chunk_publish(self, evaluations):
        def publish(free):
            todo = free.filtered(lambda e: e.state == "approved")
            if todo:
                todo.action_publish()
            return todo

        done, busy = self._kpi_each_free(evaluations, "update", publish)
        return len(done), len(evaluations) - len(done), busy

    def _kpi_message_publish(self, done, skipped):
        return self.env._("Published %(count)s evaluations.", count=done)

    # Aggregate ----------------------------------------------------------
    def _aggregated_periods(self):
        """A quarter or a year itself; a month: its quarter and its year."""
        months = self.filtered(lambda p: p.period_type == "monthly")
        return (self - months) | months.parent_id | months.parent_id.parent_id

    @kpi_action
    def action_aggregate(self):
        """Quarterly and annual results of these periods (a month: of its quarter and
        year) (officers only). The results of a quarter are decided together (its
        months' means, the annual consequences): one job when it is large."""
        if not self.env.user.has_group(OFFICER):
            raise UserError(self.env._("Only a KPI officer aggregates results."))
        if len(self) != 1:
            for period in self:
                period._check_results_complete()
            self._aggregate_results()
            return True
        self._kpi_check_step(OFFICER, self.env._("Aggregate Results"))
        self._check_results_complete()  # names what is missing (hr_kpi_period_guards)
        return self._kpi_run("aggregate", self, size=self._kpi_evaluation_total())

    @kpi_action
    def action_aggregate_provisional(self):
        """Results to date of the quarter and year that are not complete yet, marked
        provisional; they create no consequence (officers). The complete ones are
        left to Aggregate Results."""
        self._kpi_check_step(OFFICER, self.env._("Provisional Results"))
        results = self._aggregate_results(provisional=True)
        gaps = self._results_targets()._results_gaps()
        if not gaps:
            return self._kpi_nothing(
                self.env._("Every result here is complete: run Aggregate Results.")
            )
        return self._kpi_notify(
            self.env._(
                "Provisional results: %(count)s results of %(periods)s, marked provisional, "
                "no consequences. Missing:\n%(missing)s",
                count=len(results),
                periods=", ".join(period.name for period in gaps),
                missing=self._results_gaps_text(gaps),
            ),
            kind="warning",
        )

    def _aggregate_results(self, provisional=False):
        """The results of the complete quarters and years (final, with their
        consequences) or, `provisional`, of the incomplete ones (marked, none)."""
        periods = self._aggregated_periods()
        gaps = periods._results_gaps()
        periods = periods.filtered(lambda p: (p in gaps) == provisional)
        quarters = periods.filtered(lambda p: p.period_type == "quarterly")
        years = periods.filtered(lambda p: p.period_type == "annual")
        child_quarters = years.child_ids
        if not provisional:
            child_quarters = child_quarters.filtered(lambda p: p not in gaps)
        results = self.env["hr.kpi.result"]._aggregate(quarters | child_quarters)
        results |= self.env["hr.kpi.result"]._aggregate(years)
        for flag in (True, False):
            marked = results.filtered(lambda r, f=flag: (r.period_id in gaps) == f)
            if marked:
                marked.write({"provisional": flag})
        if not provisional:
            self.env["hr.kpi.consequence"]._detect_annual(
                results.filtered(lambda r: not r.provisional)
            )
        return results

    @kpi_action
    def _kpi_chunk_aggregate(self, periods):
        return len(periods._aggregate_results()), 0

    def _kpi_message_aggregate(self, done, skipped):
        periods = self._results_targets()
        gaps = periods._results_gaps()
        message = self.env._(
            "Aggregated %(count)s results of %(periods)s.",
            count=done,
            periods=", ".join(p.name for p in periods if p not in gaps) or "-",
        )
        if gaps:
            message += " " + self.env._(
                "Not aggregated, incomplete:\n%(missing)s", missing=self._results_gaps_text(gaps)
            )
        return message

    def _kpi_evaluation_total(self):
        """The batch size of a step decided for the whole period at once."""
        return self.env["hr.kpi.evaluation"].search_count(
            [("period_id", "in", (self | self.child_ids | self.child_ids.child_ids).ids)]
        )

    # Star review --------------------------------------------------------
    def _quarter(self):
        """The quarter a star review of this period is about."""
        if self.period_type == "quarterly":
            return self
        if self.period_type == "monthly" and self.parent_id.period_type == "quarterly":
            return self.parent_id
        raise UserError(
            self.env._(
                "Star reviews are per quarter: %(period)s is not a quarter nor one of its months.",
                period=self.name,
            )
        )

    def _star_review(self, create=False):
        quarter = self._quarter()
        Review = self.env["hr.kpi.star.review"].with_company(self.company_id)
        review = Review.search(
            [("company_id", "=", self.company_id.id), ("period_id", "=", quarter.id)], limit=1
        )
        if not review and create:
            review = Review.create({"company_id": self.company_id.id, "period_id": quarter.id})
        return review

    def action_star_review(self):
        """Create (once) and run the star review of the quarter (officers); skill
        test results typed on it are kept. The five-star places are shared out over
        the whole quarter: one job when it is large."""
        self._kpi_check_step(OFFICER, self.env._("Star Review"))
        self._quarter()._check_quarter_ended(self.env._("Star Review"))
        return self._kpi_run("star_review", self, size=self._kpi_evaluation_total())

    def _kpi_chunk_star_review(self, periods):
        review = self._star_review(create=True)
        review.action_compute()
        return len(review.line_ids), 0

    def _kpi_message_star_review(self, done, skipped):
        review = self._star_review()
        return self.env._(
            "%(review)s: %(count)s employees reviewed, %(five)s with five stars.",
            review=review.name,
            count=done,
            five=len(review.line_ids.filtered(lambda line: line.stars == 5)),
        )

    # Monthly stars and awards -------------------------------------------
    def action_monthly_stars(self):
        """The monthly star of every rep and lead of the period's months (officers).
        Each employee's star follows from his own records and his team's: in jobs of
        employees when they are many."""
        self._kpi_check_step(OFFICER, self.env._("Monthly Stars"))
        StarMonth = self.env["hr.kpi.star.month"]
        StarMonth._check_open_months(self._months())  # refused before any job starts
        employees = StarMonth._star_employees(self)
        return self._kpi_run("monthly_stars", employees)

    def _kpi_chunk_monthly_stars(self, employees):
        StarMonth = self.env["hr.kpi.star.month"]
        return len(StarMonth._action_compute_periods(self, employees or None)), 0

    def _kpi_message_monthly_stars(self, done, skipped):
        return self.env._("Monthly stars computed for %(count)s employees.", count=done)

    def action_awards(self):
        """The month's awards, replaced (officers). Winners are ranked over the whole
        month: one job when it is large."""
        self._kpi_check_step(OFFICER, self.env._("Awards"))
        return self._kpi_run("awards", self, size=self._kpi_evaluation_total())

    def _kpi_chunk_awards(self, periods):
        return len(self.env["hr.kpi.award"]._action_compute_periods(periods)), 0

    def _kpi_message_awards(self, done, skipped):
        awards = self.env["hr.kpi.award"].search([("period_id", "in", self._months().ids)])
        return self.env._(
            "%(count)s awards given, %(amount)s in total.",
            count=done,
            amount=self.company_id.currency_id.format(sum(awards.mapped("amount"))),
        )

    # Payslips -----------------------------------------------------------
    def _payslip_run(self):
        """The month's payslip batch (the company's batch of exactly these dates),
        created when missing."""
        Run = self.env["hr.payslip.run"]
        run = Run.search(
            [
                ("company_id", "=", self.company_id.id),
                ("date_start", "=", self.date_from),
                ("date_end", "=", self.date_to),
                ("credit_note", "=", False),
            ],
            order="id",
            limit=1,
        )
        return run or Run.create(
            {
                "name": self.env._("Payslips %(month)s", month=self.name),
                "company_id": self.company_id.id,
                "date_start": self.date_from,
                "date_end": self.date_to,
            }
        )

    def _payslip_employees(self):
        """The period's evaluated employees with a contract running in the month."""
        evaluations = self.env["hr.kpi.evaluation"].search([("period_id", "=", self.id)])
        contracts = self.env["hr.contract"].search(
            [
                ("employee_id", "in", evaluations.employee_id.ids),
                ("state", "in", ("open", "close")),
                ("date_start", "<=", self.date_to),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", self.date_from),
            ]
        )
        return contracts.employee_id

    def action_payslip_batch(self):
        """Create or complete the month's payslip batch: a payslip with its KPI lines
        for each evaluated employee under contract who has none in it yet (OCA's
        batch wizard, computed), KPI lines added again to the open payslips already
        there, and those recomputed. Officers who are payroll officers too."""
        self._kpi_check_step(OFFICER, self.env._("Payslip Batch"))
        self._kpi_check_payslip_month()
        gaps = self._payslip_gaps(
            self._payslip_employees() | self.env["hr.kpi.evaluation"]._generate_employees(self)
        )
        if gaps:
            # a confirmation step listing them (hr.kpi.period.confirm)
            return self.env["hr.kpi.period.confirm"]._open(
                self, "payslip_batch", self.env._("Payslip Batch"), gaps
            )
        return self._action_payslip_batch()

    def _action_payslip_batch(self):
        """The payslip batch, after the checks (and the confirmation of what misses)."""
        self._kpi_check_step(OFFICER, self.env._("Payslip Batch"))
        self._kpi_check_payslip_month()
        run = self._payslip_run()
        return self._kpi_run(
            "payslip_batch",
            self._payslip_employees(),
            next_action={
                "type": "ir.actions.act_window",
                "res_model": "hr.payslip.run",
                "res_id": run.id,
                "views": [(False, "form")],
                "target": "current",
            },
        )

    def _kpi_check_payslip_month(self):
        if self.period_type != "monthly":
            raise UserError(
                self.env._("Payslips are per month: %(period)s is not a month.", period=self.name)
            )
        self.env["hr.payslip"]._kpi_check_payroll_rights()

    def _kpi_chunk_payslip_batch(self, employees):
        self._kpi_check_payslip_month()
        return self._payslip_batch_add(self._payslip_run(), employees)

    def _kpi_message_payslip_batch(self, done, skipped):
        return self.env._(
            "%(batch)s: %(created)s payslips created with their KPI lines, %(updated)s "
            "payslips already there got their KPI lines again.",
            batch=self._payslip_run().name,
            created=done,
            updated=skipped,
        )

    def _kpi_chunk_payslip_lines(self, payslips):
        """A share of a payslip batch's Add KPI Lines (hr.payslip.run)."""
        todo = payslips.filtered(lambda slip: slip.state in ("draft", "verify"))
        if todo:
            todo.action_add_kpi_lines()
        return len(todo), len(payslips) - len(todo)

    def _kpi_message_payslip_lines(self, done, skipped):
        return self.env._("KPI lines added to %(count)s payslips.", count=done)

    def _payslip_batch_add(self, run, employees):
        """Payslips of `employees` in `run`: created for those without one, KPI lines
        added again and recomputed for their open ones. Returns (created, updated)."""
        slips = run.slip_ids.filtered(lambda slip: slip.employee_id in employees)
        open_slips = slips.filtered(lambda slip: slip.state in ("draft", "verify"))
        if open_slips:
            open_slips.action_add_kpi_lines()
            open_slips.compute_sheet()
        todo = employees - slips.employee_id
        if todo:
            before = run.slip_ids
            wizard = (
                self.env["hr.payslip.employees"]
                .with_context(active_id=run.id, active_model="hr.payslip.run")
                # what misses was listed and confirmed by the period's step
                .create(
                    {"employee_ids": [fields.Command.set(todo.ids)], "kpi_confirm_missing": True}
                )
            )
            wizard.compute_sheet()
            run.invalidate_recordset(["slip_ids"])
            todo = run.slip_ids - before
        return len(todo), len(open_slips)
