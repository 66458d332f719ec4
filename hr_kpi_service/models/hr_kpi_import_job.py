"""A spreadsheet import run as one background job (OCA queue_job).

The wizard ``hr.kpi.import`` decides: a file of more than
``hr_kpi_service.import_job_rows`` data rows (system parameter, default 5,000) is
imported in the background when a job runner serves the database
(``hr.kpi.job.batch._runner_alive``); below it, or with no runner, the wizard imports
in the request as it always did. What is cheap is checked in the request first (the
user's group, the file and period checks, the file's size limits while it is read),
then this record keeps the file and ONE job on the channel ``root.hr_kpi`` imports it.

One job, not chunks: an import is all or nothing (a file with one bad row writes
nothing), and that guarantee is one transaction. The file is capped at 20,000 rows
(``engine/importing.py``), which import in one request well within a worker's time
limit (``make bench-import``; README, *Import limits*).

The job runs as the user who pressed Import, in his language, and checks his group
again; it rebuilds the wizard on the kept file and imports in a savepoint: the record
ends done (counts and the wizard's result) or failed (the translated problems;
nothing of the file written), the file is deleted, and the result is posted on the
record, which the user follows, so he is notified in Discuss. A record already done
or failed is not imported again; a job re-run after a killed worker starts from a
rolled-back transaction, and a second import of the same rows skips them by their
import keys (actuals set the same values).

The record is a system record (its policy's ``system_owned``, RELIABILITY #44): the
user who pressed Import and the officers of its company read it; nobody writes it by
hand. The wizard's checks done, ``_launch`` creates it with ``sudo()``, and the job
ends it with ``sudo()``; the job itself is enqueued from the user's own environment,
so it runs as him.
"""

import logging

from markupsafe import Markup
from psycopg2 import IntegrityError, OperationalError

from odoo import api, fields, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from .hr_kpi_job_batch import CHANNEL
from .kpi_policy import KpiPolicy

_logger = logging.getLogger(__name__)

IMPORT_ROWS_PARAM = "hr_kpi_service.import_job_rows"
DEFAULT_IMPORT_ROWS = 5000
# PostgreSQL advisory lock (namespace, record id) a running import job holds until its
# transaction ends: a job "started" whose lock is free lost its worker.
IMPORT_LOCK = 7713
STATES = [("queued", "Queued"), ("done", "Done"), ("failed", "Failed")]
# Seconds before queue_job retries a job that met a concurrent import of the same rows.
CONFLICT_RETRY_SECONDS = 10


class HrKpiImportJob(models.Model):
    _name = "hr.kpi.import.job"
    _description = "KPI Import"
    # the system-record guard first: it refuses before mail.thread's tracking reads
    _inherit = ["hr.kpi.protected.mixin", "mail.thread"]
    _order = "id desc"
    _check_company_auto = True
    # The system's record (created in sudo by the wizard after its checks, ended by
    # the job): nobody writes it by hand.
    _kpi_policy = KpiPolicy(system_owned=True)

    import_type = fields.Selection(
        selection="_selection_import_type", string="Import", required=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    period_id = fields.Many2one(
        "hr.kpi.period", readonly=True, ondelete="set null", check_company=True
    )
    filename = fields.Char(string="File Name", readonly=True)
    file = fields.Binary(
        attachment=True, readonly=True, help="Kept until the import has run, then deleted."
    )
    row_count = fields.Integer(string="Rows", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Started By",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(STATES, default="queued", required=True, readonly=True, tracking=True)
    new_count = fields.Integer(string="New", readonly=True)
    skipped_count = fields.Integer(string="Already Imported", readonly=True)
    result = fields.Text(readonly=True)
    job_uuid = fields.Char(string="Background Job", readonly=True, index=True, copy=False)
    date_done = fields.Datetime(string="Finished", readonly=True, copy=False)

    def _selection_import_type(self):
        return self.env["hr.kpi.import"]._fields["import_type"]._description_selection(self.env)

    @api.depends("import_type", "filename")
    def _compute_display_name(self):
        labels = dict(self._selection_import_type())
        for record in self:
            record.display_name = " · ".join(
                part for part in (labels.get(record.import_type), record.filename) if part
            )

    # ------------------------------------------------------------------
    # When to use a job
    # ------------------------------------------------------------------
    @api.model
    def _row_threshold(self):
        """Data rows above which an import runs in the background."""
        params = self.env["ir.config_parameter"].sudo()
        return int(params.get_param(IMPORT_ROWS_PARAM, DEFAULT_IMPORT_ROWS))

    @api.model
    def _use_job(self, row_count):
        return row_count > self._row_threshold() and self.env["hr.kpi.job.batch"]._runner_alive()

    # ------------------------------------------------------------------
    # Launch (from the wizard, after its checks) and run
    # ------------------------------------------------------------------
    @api.model
    def _launch(self, wizard, row_count):
        """Keep the wizard's file in a new record and enqueue the job that imports it.

        The wizard has checked the user's group, the period and the file's limits;
        the record is the system's (created in sudo), the job runs as the user."""
        system_record = self.sudo().create(
            {
                "import_type": wizard.import_type,
                "company_id": wizard.company_id.id,
                "period_id": wizard.period_id.id,
                "filename": wizard.filename,
                "file": wizard.file,
                "row_count": row_count,
                "user_id": self.env.uid,
            }
        )
        # He follows it: the result reaches him in Discuss.
        system_record.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        record = system_record.with_env(self.env)
        job = record.with_delay(
            channel=CHANNEL,
            description=self.env._("Import %(name)s", name=record.display_name),
        )._run()
        system_record.job_uuid = job.uuid
        return record

    def _run(self):
        """The job: import the kept file as the user who started it, in his language.

        Refusals (his group, the period, the file, any row) end the record "failed"
        with the translated problems and write nothing of the file; a database
        conflict is retried by queue_job. A record already done or failed does
        nothing (a job re-run after its commit)."""
        self.ensure_one()
        # held until the job's transaction ends (see _job_locks)
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, self.id])
        if self.state != "queued":
            return f"already {self.state}"
        record = self.with_context(lang=self.user_id.lang or self.env.lang)
        try:
            with record.env.cr.savepoint():
                new, skipped, result = record._import()
        except OperationalError:
            raise
        except IntegrityError as err:
            # Another import wrote the same rows meanwhile: the retry skips them.
            raise RetryableJobError(str(err), seconds=CONFLICT_RETRY_SECONDS) from err
        except UserError as err:  # AccessError and ValidationError included
            record._end("failed", result=str(err.args[0]))
            return "refused"
        except Exception as err:  # reported to the user, never as a traceback
            _logger.exception("KPI import %s failed", self.id)
            record._end(
                "failed",
                result=record.env._(
                    "The import stopped on an unexpected error (%(error)s); nothing of the "
                    "file was written. Import it again, or ask your administrator.",
                    error=str(err),
                ),
            )
            return "failed"
        record._end("done", new=new, skipped=skipped, result=result)
        return result

    def _import(self):
        """Rebuild the wizard on the kept file and import it: (new, skipped, result)."""
        Import = self.env["hr.kpi.import"]
        Import._check_import_rights()
        wizard = Import.new(
            {
                "import_type": self.import_type,
                "company_id": self.company_id.id,
                "period_id": self.period_id.id,
                "filename": self.filename,
                "file": self.file,
            }
        )
        return wizard._import_table(wizard._read_file(), queued_at=self.create_date)

    def _end(self, state, new=0, skipped=0, result=""):
        """Record the outcome, delete the file and tell the user who started it (the
        system writes and posts, as him: sudo keeps the user, so he is the author)."""
        self.sudo().write(
            {
                "state": state,
                "new_count": new,
                "skipped_count": skipped,
                "result": result,
                "file": False,
                "date_done": fields.Datetime.now(),
            }
        )
        if state == "done":
            heading = self.env._("%(file)s is imported.", file=self.display_name)
        else:
            heading = self.env._(
                "%(file)s is refused: nothing of the file was imported.", file=self.display_name
            )
        body = Markup("<p><b>%s</b></p>%s") % (heading, plaintext2html(result))
        self.sudo().message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.user_id.partner_id.ids,
            notify_author=True,
        )

    # ------------------------------------------------------------------
    # Views
    # ------------------------------------------------------------------
    def action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "name": self.env._("Import"),
        }

    # ------------------------------------------------------------------
    # Killed workers
    # ------------------------------------------------------------------
    @api.model
    def _job_locks(self):
        """{job uuid: advisory lock} of the queued imports: a running job holds its
        lock, a "started" job whose lock is free lost its worker and is requeued
        (``hr.kpi.job.batch._cron_requeue_dead_jobs``)."""
        records = self.search([("state", "=", "queued"), ("job_uuid", "!=", False)])
        return {record.job_uuid: (IMPORT_LOCK, record.id) for record in records}
