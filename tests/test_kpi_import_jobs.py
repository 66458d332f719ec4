"""Imports above a size run as one background job (issue 11 item 4): hr.kpi.import.job.

The jobs are trapped and performed synchronously with queue_job's own test helper
(``trap_jobs``), as the user who pressed Import; a job runner "serves" the test
database when a connection holds queue_job's runner lock (``job_runner``), as in
test_kpi_period_jobs. The files are real .xlsx/.csv files; the threshold is 2 rows.
"""

from contextlib import closing

import odoo
from odoo.addons.hr_kpi_service.models.hr_kpi_import_job import IMPORT_LOCK
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import GROUP_MANAGER
from .test_kpi_import import (
    ACTUAL_HEADER,
    EMAIL,
    INCIDENT_HEADER,
    NAME,
    OCT_9,
    ImportCase,
    csv_bytes,
    xlsx,
)
from .test_kpi_period_jobs import job_runner, no_job_runner

QUEUED = (
    "The file has 3 rows: it is imported in the background; you will be notified in "
    "Discuss and can follow it under Performance → Records → Imports."
)
ROWS = [
    INCIDENT_HEADER,
    ["7700001", "刘洋", OCT_9, "valid_complaint", "call-back forgotten", None, "是"],
    ["7700002", "陈静", OCT_9, "commendation", "customer letter", None, "yes"],
    ["7700003", "杨帆", OCT_9, "late", "", None, "是"],
]


@tagged("post_install", "-at_install")
class TestImportJobs(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("hr_kpi_service.import_job_rows", "2")
        cls.importer.notification_type = "inbox"
        # The job answers in the language of the user who pressed Import.
        (cls.importer | cls.manager).lang = "en_US"
        cls.ImportJob = cls.env["hr.kpi.import.job"]

    def _queue(self, rows=ROWS, user=None, filename="big.xlsx", import_type="incident", **vals):
        """Press Import (as the importer unless `user`); returns the wizard."""
        wizard = self._wizard(import_type, filename, xlsx(rows), user, **vals)
        wizard.action_import()
        return wizard

    def _records(self):
        return self.ImportJob.search([])

    def _inbox(self, record, user):
        """The notifications of `user` for the messages posted on `record`."""
        return self.env["mail.notification"].search(
            [
                ("mail_message_id", "in", record.message_ids.ids),
                ("res_partner_id", "=", user.partner_id.id),
            ]
        )

    def test_large_file_is_imported_by_one_job(self):
        """RELIABILITY #35: all or nothing holds in the job: nothing before it runs,
        every row after; the user is told in his inbox."""
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            wizard = self._queue()
            trap.assert_jobs_count(1)
            self.assertEqual(wizard.state, "queued")
            self.assertEqual(wizard.result, QUEUED)
            self.assertFalse(wizard.file)
            record = wizard.import_job_id
            self.assertEqual(
                (record.state, record.row_count, record.user_id, record.import_type),
                ("queued", 3, self.importer, "incident"),
            )
            self.assertEqual(record.display_name, "Incidents · big.xlsx")
            self.assertTrue(record.file)
            self.assertEqual(trap.enqueued_jobs[0].uuid, record.job_uuid)
            self.assertEqual(trap.enqueued_jobs[0].channel, "root.hr_kpi")
            self.assertFalse(self._incidents(), "nothing is imported before the job runs")
            trap.perform_enqueued_jobs()
        record.invalidate_recordset()
        self.assertEqual(
            (record.state, record.new_count, record.skipped_count, record.result),
            ("done", 3, 0, "3 new, 0 already imported."),
        )
        self.assertTrue(record.date_done)
        self.assertFalse(record.file, "the kept file is deleted once imported")
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", record._name), ("res_id", "=", record.id)]
            )
        )
        incidents = self._incidents()
        self.assertEqual(len(incidents), 3)
        self.assertEqual(incidents.recorded_by_id, self.importer)
        # the result is posted on the record and reaches the importer's inbox
        posted = record.message_ids.filtered(lambda message: message.message_type == "comment")
        self.assertEqual(len(posted), 1)
        self.assertIn("Incidents · big.xlsx is imported.", posted.body)
        self.assertIn("3 new, 0 already imported.", posted.body)
        self.assertEqual(posted.author_id, self.importer.partner_id)
        notification = self._inbox(record, self.importer)
        self.assertEqual(notification.mapped("notification_type"), ["inbox"])
        self.assertIn(self.importer.partner_id, record.message_partner_ids)
        # the wizard's button opens the record
        action = wizard.action_open_import_job()
        self.assertEqual((action["res_model"], action["res_id"]), (record._name, record.id))

    def test_a_rerun_changes_nothing(self):
        """RELIABILITY #39: a job run again (a killed worker, a retry) imports nothing
        twice; a second import of the same file skips every row by its key."""
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            record = self._queue().import_job_id
            trap.perform_enqueued_jobs()
        messages = len(record.message_ids)
        self.assertEqual(record.with_user(self.importer)._run(), "already done")
        record.invalidate_recordset()
        self.assertEqual((record.state, record.new_count, record.skipped_count), ("done", 3, 0))
        self.assertEqual(len(record.message_ids), messages)
        self.assertEqual(len(self._incidents()), 3)
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            again = self._queue().import_job_id
            trap.perform_enqueued_jobs()
        again.invalidate_recordset()
        self.assertEqual(
            (again.state, again.new_count, again.skipped_count, again.result),
            ("done", 0, 3, "0 new, 3 already imported."),
        )
        self.assertEqual(len(self._incidents()), 3)

    def test_bad_file_in_a_job_writes_nothing(self):
        """RELIABILITY #35/#37: one bad row refuses the file in the job: the record is
        failed with every problem listed, nothing is written, the user is told."""
        rows = [list(row) for row in ROWS]
        rows[2][3] = "bogus"
        rows[3][0], rows[3][1] = "7799999", "无名氏"
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            record = self._queue(rows).import_job_id
            trap.perform_enqueued_jobs()
        record.invalidate_recordset()
        self.assertEqual(record.state, "failed")
        self.assertEqual((record.new_count, record.skipped_count), (0, 0))
        self.assertIn("2 problem(s) found", record.result)
        self.assertIn('Unknown incident type "bogus"', record.result)
        self.assertIn('Unknown employee "7799999"', record.result)
        self.assertIn("Row 3, column 类型 / Type: Unknown incident type", record.result)
        self.assertIn("Row 4, column 工号 / Badge ID: Unknown employee", record.result)
        self.assertFalse(self._incidents(), "2 good rows + 2 bad: nothing written")
        self.assertFalse(record.file)
        posted = record.message_ids.filtered(lambda message: message.message_type == "comment")
        self.assertIn("is refused: nothing of the file was imported.", posted.body)
        self.assertIn("bogus", posted.body)
        self.assertEqual(self._inbox(record, self.importer).mapped("notification_type"), ["inbox"])
        # tracked: queued -> failed (tracking is written when the job's transaction commits)
        self.env.cr.flush()
        tracked = record.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "state"
        )
        self.assertEqual(tracked.mapped("new_value_char"), ["Failed"])

    def test_small_file_or_no_runner_imports_in_the_request(self):
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            wizard = self._queue(ROWS[:3])  # 2 rows: not above the threshold of 2
            trap.assert_jobs_count(0)
        self.assertEqual((wizard.state, wizard.new_count), ("done", 2))
        self.assertEqual(wizard.result, "2 new, 0 already imported.")
        self.assertFalse(wizard.import_job_id)
        with no_job_runner(self.env), trap_jobs() as trap:
            wizard = self._queue()  # 3 rows, no runner
            trap.assert_jobs_count(0)
        self.assertEqual((wizard.state, wizard.new_count, wizard.skipped_count), ("done", 1, 2))
        self.assertEqual(len(self._incidents()), 3)
        self.assertFalse(self._records())

    def test_file_checks_stay_in_the_request(self):
        """What is cheap is refused at once, before any record or job: no period for
        actuals, a file beyond the company's size."""
        rows = [ACTUAL_HEADER] + [["7700001", "刘洋", "SQ", 1, None]] * 3
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            wizard = self._wizard("actual", "a.xlsx", xlsx(rows))
            with self.assertRaisesRegex(UserError, "Choose the period"):
                wizard.action_import()
            trap.assert_jobs_count(0)
        self.assertFalse(self._records())

    def test_actuals_in_a_job_set_the_same_values_again(self):
        """Actuals are keyed by their evaluation line: the job sets them, a second
        import sets the same values."""
        scheme = self._scheme(
            [
                {"name": "工作量", "code": "LOAD", "weight": 50, "scoring_method": "manual"},
                {"name": "满意度", "code": "CSAT", "weight": 50, "scoring_method": "manual"},
            ]
        )
        eval_a = self._evaluation(self.rep_a, scheme)
        eval_b = self._evaluation(self.rep_b, scheme)
        rows = [
            ACTUAL_HEADER,
            ["7700001", "刘洋", "LOAD", 80, None],
            ["7700001", "刘洋", "CSAT", 90, None],
            ["7700002", "陈静", "LOAD", 70, None],
            ["7700002", "陈静", "CSAT", 95, None],
        ]
        for _run in range(2):
            with job_runner(self.env.cr.dbname), trap_jobs() as trap:
                record = self._queue(
                    rows, import_type="actual", period_id=self.period.id
                ).import_job_id
                trap.perform_enqueued_jobs()
            record.invalidate_recordset()
            self.assertEqual(
                (record.state, record.new_count, record.period_id), ("done", 4, self.period)
            )
            self.assertIn("4 indicator values set", record.result)
            values = [
                (line.indicator_id.code, line.actual_value)
                for line in (eval_a | eval_b).line_ids.sorted("id")
            ]
            self.assertEqual(
                values, [("LOAD", 80.0), ("CSAT", 90.0), ("LOAD", 70.0), ("CSAT", 95.0)]
            )
        self.assertEqual(len(self._records()), 2)

    def test_actuals_changed_after_queueing_are_not_overwritten(self):
        """A value typed after the file was queued is newer than the file: the job
        refuses the whole file (nothing written) and says which values changed."""
        scheme = self._scheme(
            [
                {"name": "工作量", "code": "LOAD", "weight": 50, "scoring_method": "manual"},
                {"name": "满意度", "code": "CSAT", "weight": 50, "scoring_method": "manual"},
            ]
        )
        evaluation = self._evaluation(self.rep_a, scheme)
        other = self._evaluation(self.rep_b, scheme)
        rows = [
            ACTUAL_HEADER,
            ["7700001", "刘洋", "LOAD", 80, None],
            ["7700001", "刘洋", "CSAT", 90, None],
            ["7700002", "陈静", "LOAD", 70, None],
        ]
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            record = self._queue(rows, import_type="actual", period_id=self.period.id).import_job_id
            load = evaluation.line_ids.filtered(lambda line: line.indicator_id.code == "LOAD")
            load.actual_value = 75  # typed while the file waits
            self.env.flush_all()
            # the job runs later than the typing (one transaction here: dates set apart)
            self.env.cr.execute(
                "UPDATE hr_kpi_evaluation_line SET write_date = %s + interval '1 minute' "
                "WHERE id = %s",
                [record.create_date, load.id],
            )
            load.invalidate_recordset()
            trap.perform_enqueued_jobs()
        record.invalidate_recordset()
        self.assertEqual(record.state, "failed")
        self.assertIn("1 of these values changed after the file was queued", record.result)
        self.assertIn("刘洋 / 工作量", record.result)
        evaluation.line_ids.invalidate_recordset()
        self.assertEqual(
            sorted(
                (line.indicator_id.code, line.actual_value, line.has_actual)
                for line in evaluation.line_ids
            ),
            [("CSAT", 0.0, False), ("LOAD", 75.0, True)],
        )
        self.assertEqual(set(other.line_ids.mapped("has_actual")), {False})

    def test_a_job_checks_its_user_again(self):
        """RELIABILITY #6: the job runs as the user who pressed Import and checks his
        group again: a manager who lost the group before it ran is refused."""
        rows = [
            [EMAIL, NAME, "日期 / Date", "类型 / Type"],
            ["liu.yang@test.example", "", OCT_9, "late"],
            ["chen.jing@test.example", "", OCT_9, "late"],
            ["yang.fan@test.example", "", OCT_9, "late"],
        ]
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            wizard = self._wizard("incident", "m.csv", csv_bytes(rows), self.manager)
            wizard.action_import()
            record = wizard.import_job_id
            self.assertEqual(record.user_id, self.manager)
            self.manager.groups_id -= self.env.ref(GROUP_MANAGER)
            trap.perform_enqueued_jobs()
        record.invalidate_recordset()
        self.assertEqual(record.state, "failed")
        self.assertEqual(
            record.result, "Only a KPI manager or officer can import spreadsheets of KPI data."
        )
        self.assertFalse(self._incidents())
        # he still sees his own record (and its result) as a KPI user
        self.assertEqual(record.with_user(self.manager).read(["state"])[0]["state"], "failed")

    def test_record_rules_and_protected_fields(self):
        """RELIABILITY #1/#3/#13: another manager cannot read someone else's import
        record; an officer reads those of his companies only; nobody writes the
        state or the counts himself."""
        with job_runner(self.env.cr.dbname), trap_jobs():
            record = self._queue().import_job_id
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            record.with_user(self.manager).read(["state"])
        self.assertFalse(self.ImportJob.with_user(self.manager).search([]))
        self.assertEqual(self.ImportJob.with_user(self.officer).search([]), record)
        self.assertEqual(self.ImportJob.with_user(self.importer).search([]), record)
        other_officer = new_test_user(
            self.env,
            "kpi_officer_b_t",
            groups="base.group_user,hr_kpi_service.group_kpi_officer",
            company_id=self.other_company.id,
            company_ids=[(6, 0, self.other_company.ids)],
        )
        with self.assertRaises(AccessError):
            record.with_user(other_officer).read(["state"])
        for vals in ({"state": "done"}, {"new_count": 99}, {"result": "ok"}, {"file": False}):
            with self.assertRaisesRegex(AccessError, "kept by the system"):
                record.with_user(self.importer).write(vals)
        with self.assertRaises(AccessError):
            self.ImportJob.with_user(self.importer).create(
                {"import_type": "incident", "state": "done", "filename": "x.csv"}
            )
        with self.assertRaises(AccessError):
            record.with_user(self.importer).unlink()
        self.assertEqual(record.state, "queued")

    def test_a_killed_workers_job_is_requeued(self):
        """RELIABILITY #39: an import job left "started" by a killed worker is requeued
        (its lock is free); one that a live worker runs (its lock held) is not."""
        with job_runner(self.env.cr.dbname):
            first = self._queue().import_job_id
            second = self._queue(filename="other.xlsx").import_job_id
        jobs = self.env["queue.job"].search([("uuid", "in", (first | second).mapped("job_uuid"))])
        self.assertEqual(len(jobs), 2)
        jobs.write({"state": "started"})
        with closing(odoo.sql_db.db_connect(self.env.cr.dbname).cursor()) as worker:
            worker.execute("SELECT pg_advisory_lock(%s, %s)", [IMPORT_LOCK, first.id])
            self.assertEqual(self.env["hr.kpi.job.batch"]._cron_requeue_dead_jobs(), 1)
            worker.execute("SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK, first.id])
        states = {job.uuid: job.state for job in jobs}
        self.assertEqual(states[first.job_uuid], "started")
        self.assertEqual(states[second.job_uuid], "pending")

    def test_result_in_the_users_language(self):
        """The job speaks the language of the user who pressed Import."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["hr_kpi_service"], ["zh_CN"], overwrite=True
        )
        self.importer.lang = "zh_CN"
        rows = [list(row) for row in ROWS]
        rows[2][3] = "bogus"
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            # pressed in an English session: the job still answers in his language
            wizard = self._wizard("incident", "big.xlsx", xlsx(rows)).with_context(lang="en_US")
            wizard.action_import()
            self.assertEqual(wizard.result, QUEUED)
            record = wizard.import_job_id
            trap.perform_enqueued_jobs()
        record.invalidate_recordset()
        self.assertEqual(record.state, "failed")
        self.assertNotIn("problem(s) found", record.result)
        self.assertRegex(record.result, "[\u4e00-\u9fff]")
        self.assertIn("bogus", record.result)
        posted = record.message_ids.filtered(lambda message: message.message_type == "comment")
        self.assertNotIn("is refused", posted.body)
        self.assertRegex(posted.body, "[\u4e00-\u9fff]")
