import json
import logging

from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.addons.queue_job.exception import RetryableJobError

from .hr_kpi_job_batch import CHUNK_LOCK
from .kpi_policy import KpiPolicy

_logger = logging.getLogger(__name__)




class HrKpiJobChunk(models.Model):
    """One background job's share of a step: up to the chunk size of records. A
    system record, like its batch (``system_owned`` policy): read by whoever
    reads the batch, written only by the job with sudo()."""

    _name = "hr.kpi.job.chunk"
    _inherit = ["hr.kpi.protected.mixin"]
    # A share of a background step: the system writes it (sudo, after the step's checks).
    _kpi_policy = KpiPolicy(system_owned=True)
    _description = "KPI Background Job"
    _order = "batch_id, sequence"

    batch_id = fields.Many2one("hr.kpi.job.batch", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(required=True)
    res_ids = fields.Text(string="Record IDs", required=True)
    state = fields.Selection(
        [("pending", "Waiting"), ("done", "Done"), ("failed", "Failed")],
        default="pending",
        required=True,
    )
    done_count = fields.Integer(string="Done")
    skipped_count = fields.Integer(string="Skipped")
    error = fields.Text(string="Reason")
    job_uuid = fields.Char(string="Job", index=True)

    _sql_constraints = [
        ("batch_sequence_uniq", "unique(batch_id, sequence)", "A job is numbered once per step."),
    ]

    @api.depends("batch_id", "sequence")
    def _compute_display_name(self):
        for chunk in self:
            chunk.display_name = f"{chunk.batch_id.name or ''} {chunk.sequence}"

    def _records(self):
        self.ensure_one()
        batch = self.batch_id
        return self.env[batch.res_model].browse(json.loads(self.res_ids)).exists()

    def _run(self):
        """The job: the step on this chunk's records, as the user who started it
        (queue_job runs a job in its creator's environment; the step checks his
        group again). A refusal or an error marks the chunk failed with its reason,
        said in the period's chatter; a database conflict is retried by queue_job.
        A chunk already done does nothing (a job re-run after its commit)."""
        self.ensure_one()
        # held until the job's transaction ends (see _cron_requeue_dead_jobs)
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CHUNK_LOCK, self.id])
        if self.state == "done":
            return "already done"
        batch = self.batch_id
        period = batch.period_id
        try:
            with self.env.cr.savepoint():
                done, skipped = period._kpi_step_chunk(batch.step, self._records())
        except (OperationalError, RetryableJobError):
            raise
        except Exception as err:  # any failure is reported with its reason
            _logger.warning("%s, job %s failed: %s", batch.name, self.sequence, err)
            reason = str(err.args[0]) if getattr(err, "args", None) else repr(err)
            self.sudo().write({"state": "failed", "error": reason})
            period._message_log(
                body=self.env._(
                    "%(step)s: job %(index)s of %(total)s failed: %(reason)s",
                    step=batch.name,
                    index=self.sequence,
                    total=len(batch.chunk_ids),
                    reason=reason,
                )
            )
            return reason
        self.sudo().write({"state": "done", "done_count": done, "skipped_count": skipped})
        return f"{done} done, {skipped} skipped"
