"""A month-end step of a period run as background jobs (OCA queue_job).

A step above the threshold (system parameter ``hr_kpi_service.job_threshold``,
default 1,000 employees or evaluations) is cut into chunks of
``hr_kpi_service.job_chunk_size`` (default 500) records; each chunk is one job, and a
last job, which waits for all of them, finishes the step (the ranking after approval)
and says in the period's chatter what was done. Each chunk is idempotent: it acts on
what is still to do among its records (a generated evaluation is skipped, an approved
one is not approved again) and its work is committed with its "done" mark, so a chunk
re-run after a killed worker changes nothing it had done; unique indexes back it
(evaluation per employee, scheme and period; line per evaluation and indicator; star
month per employee and month; award per month, type and employee; payslip KPI inputs
through the allocation per payslip).

Without a job runner serving the database (queue_job's runner holds a PostgreSQL
advisory lock while it does), the step runs in the request as it always did: jobs never
wait for a runner that is not there.

Batches and chunks are system records (``system_owned`` policy, RELIABILITY
#44): users read them (the officers of the company, and the user who started the
step), nobody writes them. The step's action checks the caller, then this code writes
them with ``sudo()``; the jobs are always enqueued from the caller's own environment
(never sudo), so each job runs as him and checks him again. What a batch says in the
period's chatter is built from its counts and translated texts only.
"""

import json
import logging

from odoo import api, fields, models
from odoo.addons.queue_job.delay import chain, group
from odoo.addons.queue_job.jobrunner.runner import PG_ADVISORY_LOCK_ID
from odoo.exceptions import UserError

from .kpi_policy import KpiPolicy

_logger = logging.getLogger(__name__)

STEPS = [
    ("generate", "Generate Evaluations"),
    ("compute_scores", "Compute Scores"),
    ("approve", "Approve"),
    ("publish", "Publish"),
    ("aggregate", "Aggregate Results"),
    ("star_review", "Star Review"),
    ("monthly_stars", "Monthly Stars"),
    ("awards", "Awards"),
    ("payslip_batch", "Payslip Batch"),
    ("payslip_lines", "Add KPI Lines"),
]
THRESHOLD_PARAM = "hr_kpi_service.job_threshold"
CHUNK_SIZE_PARAM = "hr_kpi_service.job_chunk_size"
DEFAULT_THRESHOLD = 1000
DEFAULT_CHUNK_SIZE = 500
# A payslip costs OCA's per-payslip work (inputs, worked days, rules): smaller chunks
# keep each job well under a worker's time limit.
PAYSLIP_CHUNK_SIZE_PARAM = "hr_kpi_service.job_chunk_size_payslip"
DEFAULT_PAYSLIP_CHUNK_SIZE = 100
PAYSLIP_STEPS = ("payslip_batch", "payslip_lines")
CHANNEL = "root.hr_kpi"
# PostgreSQL advisory locks (namespace, record id) a running job holds until its
# transaction ends: a job "started" whose lock is free lost its worker.
CHUNK_LOCK = 7711
FINISH_LOCK = 7712
# A job started this recently may not hold its lock yet (see _requeue_unlocked).
STARTING_SECONDS = 30


def _job_uuid(delayable):
    return getattr(delayable._generated_job, "uuid", False)




class HrKpiJobBatch(models.Model):
    _name = "hr.kpi.job.batch"
    _inherit = ["hr.kpi.protected.mixin"]
    # A background step's record: the system writes it (sudo, after the step's checks).
    _kpi_policy = KpiPolicy(system_owned=True)
    _description = "KPI Background Step"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    period_id = fields.Many2one(
        "hr.kpi.period", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="period_id.company_id", store=True)
    step = fields.Selection(STEPS, required=True)
    res_model = fields.Char(string="Records Of", required=True)
    state = fields.Selection(
        [
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("abandoned", "Run in the Request Instead"),
        ],
        default="running",
        required=True,
    )
    own_count = fields.Integer(
        string="Own Left to Another Person",
        help="The starter's own evaluations the step left to another person (four-eyes), "
        "said with the result.",
    )
    user_id = fields.Many2one(
        "res.users", string="Started By", index=True, default=lambda self: self.env.user
    )
    chunk_ids = fields.One2many("hr.kpi.job.chunk", "batch_id", string="Jobs")
    finish_job_uuid = fields.Char(string="Last Job")
    chunk_count = fields.Integer(string="Job Count", compute="_compute_progress")
    chunk_done_count = fields.Integer(string="Jobs Done", compute="_compute_progress")
    chunk_failed_count = fields.Integer(string="Jobs Failed", compute="_compute_progress")

    def _compute_name(self):
        labels = dict(self._fields["step"]._description_selection(self.env))
        for batch in self:
            batch.name = f"{labels.get(batch.step, '')} · {batch.period_id.name or ''}"

    @api.depends("chunk_ids.state")
    def _compute_progress(self):
        groups = self.env["hr.kpi.job.chunk"]._read_group(
            [("batch_id", "in", self.ids)], ["batch_id", "state"], ["__count"]
        )
        counts = {(batch.id, state): count for batch, state, count in groups}
        for batch in self:
            batch.chunk_done_count = counts.get((batch.id, "done"), 0)
            batch.chunk_failed_count = counts.get((batch.id, "failed"), 0)
            batch.chunk_count = batch.chunk_done_count + batch.chunk_failed_count + counts.get(
                (batch.id, "pending"), 0
            )

    # ------------------------------------------------------------------
    # When to use jobs
    # ------------------------------------------------------------------
    @api.model
    def _threshold(self, step=None):
        """(threshold, chunk size of `step`) from the system parameters."""
        params = self.env["ir.config_parameter"].sudo()
        threshold = int(params.get_param(THRESHOLD_PARAM, DEFAULT_THRESHOLD))
        if step in PAYSLIP_STEPS:
            size = params.get_param(PAYSLIP_CHUNK_SIZE_PARAM, DEFAULT_PAYSLIP_CHUNK_SIZE)
        else:
            size = params.get_param(CHUNK_SIZE_PARAM, DEFAULT_CHUNK_SIZE)
        return threshold, max(int(size), 1)

    @api.model
    def _runner_alive(self):
        """Whether a queue_job runner serves this database now: its master holds
        queue_job's advisory lock on a connection to it (pg_locks splits the
        bigint key into classid and objid). Raw SQL: PostgreSQL's lock table."""
        self.env.cr.execute(
            """SELECT 1 FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND objsubid = 1
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND classid::bigint = %s AND objid::bigint = %s""",
            [PG_ADVISORY_LOCK_ID >> 32, PG_ADVISORY_LOCK_ID & 0xFFFFFFFF],
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _use_jobs(self, size):
        threshold, _size = self._threshold()
        return size > threshold and self._runner_alive()

    # ------------------------------------------------------------------
    # Launch, finish, retry
    # ------------------------------------------------------------------
    @api.model
    def _launch(self, period, step, records, own_count=0):
        """Cut `records` into chunks, one job each, and a last job that finishes.

        Called by the step's action after its checks: the batch is a system record,
        created with sudo() from values the step computed; the jobs are enqueued
        from the caller's environment, so they run as him."""
        _threshold, size = self._threshold(step)
        ids = records.ids or [period.id]
        batch = self.sudo().create(
            {
                "period_id": period.id,
                "step": step,
                "res_model": records._name,
                "own_count": own_count,
                "user_id": self.env.uid,
                "chunk_ids": [
                    fields.Command.create(
                        {"sequence": index, "res_ids": json.dumps(ids[start : start + size])}
                    )
                    for index, start in enumerate(range(0, len(ids), size), start=1)
                ],
            }
        ).with_env(self.env)
        batch._enqueue(batch.chunk_ids)
        return batch

    def _enqueue(self, chunks):
        """One job per chunk and the last job, as the caller (never in sudo: queue_job
        keeps the superuser flag, and a job in sudo would skip the record rules)."""
        self.ensure_one()
        batch, chunks = self.sudo(False), chunks.sudo(False)
        total = len(batch.sudo().chunk_ids)
        delayables = [
            chunk.delayable(
                channel=CHANNEL,
                description=batch.env._(
                    "%(step)s %(index)s/%(total)s",
                    step=batch.name,
                    index=chunk.sequence,
                    total=total,
                ),
            )._run()
            for chunk in chunks
        ]
        finish = batch.delayable(
            channel=CHANNEL, description=batch.env._("%(step)s: finish", step=batch.name)
        )._finish()
        chain(group(*delayables), finish).delay()
        for chunk, delayable in zip(chunks, delayables, strict=True):
            chunk.sudo().job_uuid = _job_uuid(delayable)
        batch.sudo().finish_job_uuid = _job_uuid(finish)

    def _finish(self):
        """After the last chunk: the step's closing work, and what was done. The
        chatter note is built from the chunks' counts and translated texts only."""
        self.ensure_one()
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [FINISH_LOCK, self.id])
        if self.state != "running":
            return False
        period = self.period_id
        chunks = self.chunk_ids
        failed = chunks.filtered(lambda chunk: chunk.state == "failed")
        period._kpi_step_finish(self.step)
        if failed:
            self.sudo().state = "failed"
            message = self.env._(
                "%(step)s: %(failed)s of %(total)s jobs failed (%(reasons)s). The other jobs' "
                "work is kept; press the step again, or retry the failed jobs, to do what is "
                "missing.",
                step=self.name,
                failed=len(failed),
                total=len(chunks),
                reasons="; ".join(sorted(set(failed.mapped("error")))),
            )
        else:
            self.sudo().state = "done"
            message = period._kpi_step_message(
                self.step, sum(chunks.mapped("done_count")), sum(chunks.mapped("skipped_count"))
            ) + period._kpi_own_note(self.own_count)
        period._message_log(body=message)
        return message

    def action_retry(self):
        """Run the failed jobs of a failed step again (each redoes only what is still
        to do): by whoever may read the step (the officers of its company, the user
        who started it) and is in the step's group, on an open period."""
        for batch in self:
            batch.check_access("read")
            batch.period_id._kpi_check_step(
                batch.period_id._kpi_step_group(batch.step), batch.name
            )
            if batch.state != "failed":
                raise UserError(
                    self.env._(
                        "%(step)s can be retried only once it has failed (it is %(state)s).",
                        step=batch.name,
                        state=dict(
                            batch._fields["state"]._description_selection(self.env)
                        )[batch.state],
                    )
                )
            failed = batch.chunk_ids.filtered(lambda chunk: chunk.state == "failed")
            if not failed:
                raise UserError(self.env._("%(step)s has no failed job.", step=batch.name))
            failed.sudo().write({"state": "pending", "error": False})
            batch.sudo().state = "running"
            batch._enqueue(failed)
        return True

    def _kpi_alive(self):
        """The batches among these whose jobs are really there: one of their jobs
        exists in queue_job and waits, is queued or runs. A "running" batch without
        such a job (its jobs done, failed, cancelled or gone) blocks nothing."""
        uuids = [*self.chunk_ids.mapped("job_uuid"), *self.mapped("finish_job_uuid")]
        live = set(
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("uuid", "in", [uuid for uuid in uuids if uuid]),
                    ("state", "in", ("wait_dependencies", "pending", "enqueued", "started")),
                ]
            )
            .mapped("uuid")
        )
        return self.filtered(
            lambda batch: live & {*batch.chunk_ids.mapped("job_uuid"), batch.finish_job_uuid}
        )

    def _abandon(self):
        """Jobs that no runner will run: cancelled, the step runs in the request."""
        jobs = self.env["queue.job"].sudo().search(
            [
                (
                    "uuid",
                    "in",
                    self.chunk_ids.mapped("job_uuid") + self.mapped("finish_job_uuid"),
                ),
                ("state", "in", ("wait_dependencies", "pending", "enqueued")),
            ]
        )
        jobs.button_cancelled()
        self.sudo().write({"state": "abandoned"})

    @api.model
    def _cron_requeue_dead_jobs(self):
        """Requeue the jobs that a killed worker or a killed server left "started" or
        "enqueued" (this queue_job version leaves them so), the running steps' and the
        queued imports': a job holds its advisory lock while it runs, a free lock
        means nobody runs it. The job re-runs from the start of its transaction,
        which the kill rolled back."""
        batches = self.search([("state", "=", "running")])
        locks = {chunk.job_uuid: (CHUNK_LOCK, chunk.id) for chunk in batches.chunk_ids}
        locks.update({batch.finish_job_uuid: (FINISH_LOCK, batch.id) for batch in batches})
        locks.update(self.env["hr.kpi.import.job"]._job_locks())
        return self._requeue_unlocked(locks)

    @api.model
    def _requeue_unlocked(self, locks):
        """Requeue the jobs among {uuid: (lock namespace, id)} left behind whose lock
        is free:

        * "started": a job takes its lock as it begins, moments after queue_job marks
          it started; one started less than STARTING_SECONDS ago is left alone (the
          month-end benchmark at 20,000 caught the cron between the two);
        * "enqueued" for more than STARTING_SECONDS: the runner that enqueued it died
          with its server before a worker took it (a live runner puts a job that no
          worker took within a second back to pending itself, and a worker marks it
          started at once; queue_job's own cron waits 5 minutes). The other server's
          runner, which holds the lock now, counts such jobs as running and would
          leave the channel's capacity to them meanwhile (issue 23, two servers).

        queue_job's /queue_job/runjob runs only an "enqueued" job, under a row lock,
        and a chunk re-run after its commit does nothing: a job requeued while a late
        request for it arrives still runs once."""
        Job = self.env["queue.job"].sudo()
        cutoff = fields.Datetime.subtract(fields.Datetime.now(), seconds=STARTING_SECONDS)
        started = Job.search(
            [
                ("uuid", "in", list(locks)),
                "|",
                "&",
                ("state", "=", "started"),
                "|",
                ("date_started", "=", False),
                ("date_started", "<", cutoff),
                "&",
                ("state", "=", "enqueued"),
                "|",
                ("date_enqueued", "=", False),
                ("date_enqueued", "<", cutoff),
            ]
        )
        dead = Job.browse()
        for job in started:
            self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", locks[job.uuid])
            if self.env.cr.fetchone()[0]:
                dead |= job
        if dead:
            _logger.warning("Requeued %s KPI jobs whose worker died", len(dead))
            dead.requeue()
        return len(dead)
