"""Background steps, their jobs and background imports are system records (issue 19
item 5): written only by the system, read by the officers of the company and by the
user who started them; nothing a user typed reaches a chatter through them.

Jobs are trapped (queue_job's ``trap_jobs``) or stored and left pending, as in
test_kpi_period_jobs; a runner "serves" the database while ``job_runner`` holds its
lock.
"""

import base64

from odoo import Command
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_MANAGER, GROUP_OFFICER, XmlRpcMixin
from .test_kpi_period_cockpit import CockpitCase
from .test_kpi_period_jobs import job_runner, no_job_runner

FORGED = "FORGED-44 <b>pay the lead 99999</b>"
# Values for integer counters: a string, a negative number, one beyond PostgreSQL's int4.
BAD_INTEGERS = ("abc", -1, 2**40)
SYSTEM_ONLY = "kept by the system"


@tagged("post_install", "-at_install")
class SystemRecordsCase(CockpitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("hr_kpi_service.job_threshold", "2")
        params.set_param("hr_kpi_service.job_chunk_size", "2")
        company_ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.rep = cls.user
        cls.lead = new_test_user(
            cls.env, "kpi_lead_44_t", groups=f"base.group_user,{GROUP_MANAGER}", **company_ctx
        )
        cls.other_officer = new_test_user(
            cls.env,
            "kpi_officer_other_44_t",
            groups=f"base.group_user,{GROUP_OFFICER}",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )
        # the messages asserted are the English ones (RPC answers in the user's language)
        (cls.rep | cls.lead | cls.manager | cls.other_officer | cls.hr | cls.officer).lang = "en_US"
        # the officer self.hr starts the steps; self.officer is the company's other officer
        cls.outsiders = {
            "rep": cls.rep,
            "lead": cls.lead,
            "manager": cls.manager,
            "other company's officer": cls.other_officer,
        }

    # ------------------------------------------------------------------
    # Fixtures
    # ------------------------------------------------------------------
    def _generate_in_jobs(self, perform=False):
        """The officer's Generate Evaluations in 2 jobs; returns its batch."""
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            self._month_as(self.hr).action_generate_evaluations()
            if perform:
                trap.perform_enqueued_jobs()
        return self._batch("generate")

    def _batch(self, step):
        return self.env["hr.kpi.job.batch"].search(
            [("period_id", "=", self.month.id), ("step", "=", step)], order="id desc", limit=1
        )

    def _failed_approve(self):
        """The officer's Approve in 2 jobs, one failed (a value missing): its batch."""
        with no_job_runner(self.env):
            self._month_as(self.hr).action_generate_evaluations()
        evaluations = self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
        last = evaluations.sorted("id")[-1]
        line = last.line_ids.filtered(lambda line: line.indicator_id.scoring_method == "manual")
        line.has_actual = False
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            self._month_as(self.hr).action_approve_evaluations()
            trap.perform_enqueued_jobs()
        batch = self._batch("approve")
        self.assertEqual(batch.state, "failed")
        line.write({"actual_value": 95, "has_actual": True})
        return batch

    def _import_record(self):
        """A background import the officer started, as the system keeps it."""
        return (
            self.env["hr.kpi.import.job"]
            .with_user(self.hr)
            .sudo()
            .create(
                {
                    "import_type": "incident",
                    "company_id": self.company.id,
                    "filename": "big.csv",
                    "file": base64.b64encode(b"a,b\n1,2\n"),
                    "row_count": 3,
                    "user_id": self.hr.id,
                }
            )
        )

    @staticmethod
    def _as(records, user):
        """`records` as `user`, in his own companies (as his client would send)."""
        return records.with_user(user).with_context(allowed_company_ids=user.company_ids.ids)

    @staticmethod
    def _stored(records):
        """Every stored value of `records`, read by the system."""
        names = [
            name
            for name, field in records._fields.items()
            if field.store and name not in ("write_date", "write_uid")
        ]
        records.invalidate_recordset()
        return records.sudo().read(names)

    def _assert_all_refused(self, user, batch, import_record):
        """Create, write (every field) and unlink of a batch, its chunks and an import
        record, as `user`: each refused with an AccessError, nothing changed."""
        chunk = batch.chunk_ids[0]
        before = [self._stored(records) for records in (batch, batch.chunk_ids, import_record)]
        attempts = {
            batch: {
                "state": "done",
                "step": "approve",
                "res_model": "res.users",
                "own_count": 99,
                "user_id": user.id,
                "finish_job_uuid": "forged",
                "period_id": self.month.id,
                "chunk_ids": [Command.create({"sequence": 9, "res_ids": "[1]"})],
            },
            chunk: {
                "state": "failed",
                "error": FORGED,
                "res_ids": "[1, 2, 3]",
                "job_uuid": "forged",
                "batch_id": batch.id,
                **{name: 7 for name in ("sequence", "done_count", "skipped_count")},
            },
            import_record: {
                "state": "done",
                "result": FORGED,
                "file": False,
                "filename": "x.csv",
                "user_id": user.id,
                "import_type": "actual",
                "company_id": self.other_company.id,
                "job_uuid": "forged",
                **{name: 7 for name in ("row_count", "new_count", "skipped_count")},
            },
        }
        for record, values in attempts.items():
            for name, value in values.items():
                with self.subTest(user=user.login, model=record._name, field=name):
                    with self.assertRaises(AccessError):
                        self._as(record, user).write({name: value})
                    with self.assertRaises(AccessError):
                        self._as(record, user).create({name: value})
            with self.subTest(user=user.login, model=record._name, op="unlink"):
                with self.assertRaises(AccessError):
                    self._as(record, user).unlink()
        after = [self._stored(records) for records in (batch, batch.chunk_ids, import_record)]
        self.assertEqual(after, before)


@tagged("post_install", "-at_install")
class TestSystemRecords(SystemRecordsCase):
    # ------------------------------------------------------------------
    # Write: nobody but the system
    # ------------------------------------------------------------------
    def test_nobody_creates_writes_or_unlinks(self):
        """RELIABILITY #44: as rep, lead, manager, another company's officer, and
        even the officer who started the step or his colleague: create, write of
        every field and unlink of batches, chunks and import records are refused
        with an AccessError, and nothing changed when read back."""
        batch = self._generate_in_jobs()
        import_record = self._import_record()
        for user in (*self.outsiders.values(), self.hr, self.officer):
            self._assert_all_refused(user, batch, import_record)
        # the message names the model and says why (the user may read the batch)
        with self.assertRaisesRegex(AccessError, SYSTEM_ONLY):
            batch.with_user(self.hr).write({"state": "done"})
        with self.assertRaisesRegex(AccessError, SYSTEM_ONLY):
            import_record.with_user(self.hr).write({"row_count": 1})

    def test_nor_through_the_period(self):
        """RELIABILITY #44: the period's one2many is no way round: an officer who may
        write the period cannot create, change or delete its batches through it."""
        batch = self._generate_in_jobs()
        before = self._stored(batch)
        month = self._month_as(self.hr)
        for command in (
            Command.update(batch.id, {"state": "done"}),
            Command.create({"step": "generate", "res_model": "hr.employee", "state": "running"}),
            Command.delete(batch.id),
            Command.unlink(batch.id),
            Command.clear(),
        ):
            with self.subTest(command=command[0]), self.assertRaises(AccessError):
                month.write({"job_batch_ids": [command]})
        self.assertEqual(self._stored(batch), before)
        self.assertEqual(self.month.job_batch_ids, batch)

    def test_integer_counters_refused_cleanly(self):
        """RELIABILITY #44: 'abc', -1 and 2**40 for a chunk's or an import's counters
        end in an AccessError (nobody but the system writes them), never in a
        PostgreSQL "integer out of range"; the counters stay as they were."""
        batch = self._generate_in_jobs(perform=True)
        chunk = batch.chunk_ids[0]
        import_record = self._import_record()
        before = (self._stored(chunk), self._stored(import_record))
        self.assertEqual(chunk.done_count, 2)
        for user in (*self.outsiders.values(), self.hr):
            for value in BAD_INTEGERS:
                for record, names in (
                    (chunk, ("done_count", "skipped_count", "sequence")),
                    (import_record, ("row_count", "new_count", "skipped_count")),
                ):
                    for name in names:
                        with self.subTest(user=user.login, field=name, value=value):
                            with self.assertRaises(AccessError):
                                self._as(record, user).write({name: value})
        self.env.flush_all()
        self.assertEqual((self._stored(chunk), self._stored(import_record)), before)

    # ------------------------------------------------------------------
    # Read: the company's officers and the starter
    # ------------------------------------------------------------------
    def test_who_reads(self):
        """RELIABILITY #44: the officer who started a step or an import and the
        company's other officer read it; rep, lead, manager and another company's
        officer do not (read refused, search empty)."""
        batch = self._generate_in_jobs()
        import_record = self._import_record()
        self.env.flush_all()
        self.env.invalidate_all()
        chunk = self._as(batch.chunk_ids[0], self.officer)
        self.assertEqual(chunk.display_name, f"Generate Evaluations · {self.month.name} 1")
        for records in (batch, batch.chunk_ids, import_record):
            Model = self.env[records._name]
            for user in (self.hr, self.officer):
                with self.subTest(model=records._name, user=user.login):
                    self.assertEqual(
                        len(self._as(records, user).read(["create_date"])), len(records)
                    )
                    self.assertEqual(self._as(Model, user).search([]), records)
            for role, user in self.outsiders.items():
                with self.subTest(model=records._name, user=role):
                    with self.assertRaises(AccessError):
                        self._as(records, user).read(["create_date"])
                    self.assertFalse(self._as(Model, user).search([]))

    def test_the_manager_who_started_a_step_reads_it(self):
        """RELIABILITY #44: a manager's own Compute Scores in jobs is his to read (and
        the officers'); another manager (a lead) does not read it."""
        with no_job_runner(self.env):
            self._month_as(self.hr).action_generate_evaluations()
        self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
        with job_runner(self.env.cr.dbname), trap_jobs():
            self._month_as(self.manager).action_compute_scores()
        batch = self._batch("compute_scores")
        self.assertEqual(batch.user_id, self.manager)
        for user in (self.manager, self.hr, self.officer):
            self.assertEqual(len(batch.chunk_ids.with_user(user).read(["state"])), 2, user.login)
        for user in (self.lead, self.rep, self.other_officer):
            with self.assertRaises(AccessError):
                self._as(batch, user).read(["state"])
        with self.assertRaises(AccessError):
            batch.with_user(self.lead).action_retry()

    def test_period_shows_progress_to_its_readers(self):
        """RELIABILITY #44: the period's progress (counts and step names, no record
        of a batch) is shown to whoever reads the period; the batches themselves only
        to the officers and the starter."""
        self._generate_in_jobs()
        for user in (self.rep, self.lead, self.hr):
            month = self._month_as(user)
            month.invalidate_recordset()
            self.assertEqual(
                (month.job_running, month.job_count, month.job_done_count), (True, 2, 0)
            )
            self.assertIn("Generate Evaluations · ", month.job_progress)
            self.assertIn("0 / 2 jobs done, 0 failed", month.job_progress)
        for user, seen in ((self.rep, 0), (self.lead, 0), (self.officer, 1), (self.hr, 1)):
            self.env.invalidate_all()
            read = self._month_as(user).web_read({"job_batch_ids": {"fields": {"state": {}}}})
            self.assertEqual(len(read[0]["job_batch_ids"]), seen, user.login)

    # ------------------------------------------------------------------
    # Actions: Retry, and what reaches a chatter
    # ------------------------------------------------------------------
    def test_retry_by_a_lead_is_refused(self):
        """RELIABILITY #44: Retry is an action of the company's officers (and the
        starter): a lead, a rep, a manager, another company's officer are refused,
        no job is queued, the batch stays failed."""
        batch = self._failed_approve()
        before = (self._stored(batch), self._stored(batch.chunk_ids))
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            for role, user in self.outsiders.items():
                with self.subTest(user=role), self.assertRaises(AccessError):
                    self._as(batch, user).action_retry()
            trap.assert_jobs_count(0)
        self.assertEqual((self._stored(batch), self._stored(batch.chunk_ids)), before)
        # the company's other officer may: he reads it and is in the step's group
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            batch.with_user(self.officer).action_retry()
            trap.assert_jobs_count(2)
            trap.perform_enqueued_jobs()
        self.assertEqual(batch.state, "done")
        # a step that did not fail is not retried
        with self.assertRaisesRegex(UserError, "only once it has failed"):
            batch.with_user(self.hr).action_retry()

    def test_forged_note_never_reaches_a_chatter(self):
        """RELIABILITY #44: a lead tries to write a note, an error or a result of the
        officer's batch, chunk or import (and to post on them); the officer presses
        Retry and the step ends: the forged text is in no mail.message at all, and
        the period's note is the system's own sentence."""
        batch = self._failed_approve()
        import_record = self._import_record()
        chunk = batch.chunk_ids.filtered(lambda chunk: chunk.state == "failed")
        attempts = [
            (batch, {"own_count": 1}),
            (batch, {"res_model": FORGED}),
            (chunk, {"error": FORGED}),
            (chunk, {"state": "done", "done_count": 2**40}),
            (import_record, {"result": FORGED}),
        ]
        for attacker in (self.lead, self.hr):
            for record, values in attempts:
                with self.subTest(user=attacker.login, model=record._name, values=values):
                    with self.assertRaises(AccessError):
                        self._as(record, attacker).write(values)
            with self.subTest(user=attacker.login, post=import_record._name):
                with self.assertRaises(AccessError):
                    self._as(import_record, attacker).message_post(body=FORGED)
        with self.assertRaises(AccessError):
            self.env["hr.kpi.job.batch"].with_user(self.lead).create(
                {"period_id": self.month.id, "step": "approve", "res_model": FORGED}
            )
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            batch.with_user(self.hr).action_retry()
            trap.perform_enqueued_jobs()
        self.assertEqual(batch.state, "done")
        self.env.flush_all()
        self.assertFalse(
            self.env["mail.message"].sudo().search([("body", "ilike", "FORGED-44")]),
            "a forged value reached a chatter",
        )
        self.assertEqual(
            self.env["mail.message"].sudo().search_count([("body", "ilike", "pay the lead")]), 0
        )
        self.assertIn("Approved 3 evaluations.", self.month.message_ids[0].body)
        self.assertEqual(self.month.message_ids[0].author_id, self.hr.partner_id)

    # ------------------------------------------------------------------
    # A "running" batch blocks a step only when its jobs are real
    # ------------------------------------------------------------------
    def test_only_a_real_running_batch_blocks_the_step(self):
        """RELIABILITY #44: a "running" batch without any job (only the system could
        make one) blocks nothing; a batch whose queued jobs wait refuses the step
        pressed again; once its jobs are gone (cancelled) it blocks nothing either.
        A batch set aside is "abandoned" and the step runs again."""
        fake = (
            self.env["hr.kpi.job.batch"]
            .sudo()
            .create(
                {
                    "period_id": self.month.id,
                    "step": "generate",
                    "res_model": "hr.employee",
                    "user_id": self.lead.id,
                    "chunk_ids": [Command.create({"sequence": 1, "res_ids": "[]"})],
                }
            )
        )
        month = self._month_as(self.hr)
        with job_runner(self.env.cr.dbname):
            self.assertIn("in 2 jobs", self._message(month.action_generate_evaluations()))
            self.assertEqual(fake.state, "abandoned")
            batch = self._batch("generate")
            self.assertNotEqual(batch, fake)
            self.assertEqual(batch._kpi_alive(), batch)  # its jobs are stored, pending
            with self.assertRaisesRegex(UserError, "already running in the background"):
                month.action_generate_evaluations()
            self.assertEqual(batch.state, "running")
            # its jobs cancelled: a stale "running" batch blocks nothing
            self.env["queue.job"].search(
                [("uuid", "in", [*batch.chunk_ids.mapped("job_uuid"), batch.finish_job_uuid])]
            ).button_cancelled()
            self.assertFalse(batch._kpi_alive())
            month.action_generate_evaluations()
        self.assertEqual(batch.state, "abandoned")
        again = self._batch("generate")
        self.assertNotIn(again, batch | fake)
        self.assertEqual(again.state, "running")


@tagged("post_install", "-at_install")
class TestSystemRecordsRpc(XmlRpcMixin, SystemRecordsCase, HttpCase):
    """Over real XML-RPC (run with ``--odoo-http``, as ``make test`` does)."""

    def test_writes_over_rpc_are_refused_cleanly(self):
        """RELIABILITY #44 over XML-RPC: the lead and the officer who started the step
        write a batch's state, a chunk's counter ('abc', 2**40) and an import's
        result, create a batch, delete a chunk: each a clean fault naming the rule,
        no traceback, nothing changed."""
        batch = self._generate_in_jobs(perform=True)
        chunk = batch.chunk_ids[0]
        import_record = self._import_record()
        before = [self._stored(records) for records in (batch, chunk, import_record)]
        for user in (self.lead, self.hr):
            for model, method, args in (
                ("hr.kpi.job.batch", "write", ([batch.id], {"state": "running"})),
                ("hr.kpi.job.chunk", "write", ([chunk.id], {"done_count": "abc"})),
                # XML-RPC carries 32-bit integers: 2**40 goes as a float
                ("hr.kpi.job.chunk", "write", ([chunk.id], {"skipped_count": 2.0**40})),
                ("hr.kpi.import.job", "write", ([import_record.id], {"result": FORGED})),
                (
                    "hr.kpi.job.batch",
                    "create",
                    ({"period_id": self.month.id, "step": "approve", "res_model": FORGED},),
                ),
                ("hr.kpi.job.chunk", "unlink", ([chunk.id],)),
            ):
                with self.subTest(user=user.login, model=model, method=method):
                    self.assertCleanFault(
                        lambda u=user, m=model, f=method, a=args: self._call(u, m, f, *a),
                        SYSTEM_ONLY,
                    )
        self.assertEqual(
            [self._stored(records) for records in (batch, chunk, import_record)], before
        )
