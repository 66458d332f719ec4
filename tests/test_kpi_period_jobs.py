"""Month-end steps as background jobs (OCA queue_job): chunks, retry, fallback.

The jobs are trapped and performed synchronously with queue_job's own test helper
(``trap_jobs``), as the user who started the step. A job runner "serves" the test
database when a second connection holds queue_job's runner lock, as the real runner's
master does (no mock of the detection).
"""

from contextlib import closing, contextmanager
from datetime import timedelta

from freezegun import freeze_time

import odoo
from odoo import fields
from odoo.addons.hr_kpi_service.models.hr_kpi_job_batch import CHUNK_LOCK
from odoo.addons.queue_job import jobrunner
from odoo.addons.queue_job.jobrunner.runner import PG_ADVISORY_LOCK_ID
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_kpi_period_cockpit import CockpitCase


@contextmanager
def job_runner(dbname):
    """Hold queue_job's runner lock on the database, as a live runner does (unless
    a real runner holds it: queue_job starts one with the HTTP server of the tests)."""
    with closing(odoo.sql_db.db_connect(dbname).cursor()) as cr:
        cr.execute("SELECT pg_try_advisory_lock(%s)", [PG_ADVISORY_LOCK_ID])
        locked = cr.fetchone()[0]
        try:
            yield
        finally:
            if locked:
                cr.execute("SELECT pg_advisory_unlock(%s)", [PG_ADVISORY_LOCK_ID])


@contextmanager
def no_job_runner(env):
    """No runner serves the database: the runner thread queue_job starts with the
    tests' HTTP server (--odoo-http) is stopped meanwhile, then started again."""
    thread = jobrunner.runner_thread
    running = thread is not None and thread.is_alive()
    if running:
        thread.stop()
        thread.join(30)
    try:
        yield
    finally:
        if running:
            jobrunner._start_runner_thread("threaded server")


@tagged("post_install", "-at_install")
class TestPeriodJobs(CockpitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        # 3 employees are above a threshold of 2: 2 jobs of up to 2, and a last one.
        params.set_param("hr_kpi_service.job_threshold", "2")
        params.set_param("hr_kpi_service.job_chunk_size", "2")
        params.set_param("hr_kpi_service.job_chunk_size_payslip", "2")

    def _evaluations(self):
        return self.env["hr.kpi.evaluation"].search([("period_id", "=", self.month.id)])

    def _batch(self, step):
        return self.env["hr.kpi.job.batch"].search(
            [("period_id", "=", self.month.id), ("step", "=", step)], limit=1
        )

    def test_runner_detection(self):
        Batch = self.env["hr.kpi.job.batch"]
        with no_job_runner(self.env):
            self.assertFalse(Batch._runner_alive())
            with job_runner(self.env.cr.dbname):
                self.assertTrue(Batch._runner_alive())
            self.assertFalse(Batch._runner_alive())

    def test_generate_in_chunks(self):
        month = self._month_as(self.hr)
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            action = month.action_generate_evaluations()
            self.assertIn("in 2 jobs of up to 2", self._message(action))
            trap.assert_jobs_count(3)  # 2 chunks and the job that finishes
            self.assertFalse(self._evaluations())
            month.invalidate_recordset()
            self.assertEqual((month.job_running, month.job_count, month.job_done_count), (True, 2, 0))
            trap.perform_enqueued_jobs()
        self.assertEqual(len(self._evaluations()), 3)
        batch = self._batch("generate")
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.chunk_ids.mapped("done_count"), [2, 1])
        self.assertEqual(batch.chunk_ids.mapped("state"), ["done", "done"])
        month.invalidate_recordset()
        self.assertEqual((month.job_running, month.job_done_count, month.job_failed_count), (False, 2, 0))
        self.assertIn(
            "Generated 3 evaluations, skipped 0 that already existed.",
            self.month.message_ids[0].body,
        )

    def test_a_chunk_rerun_changes_nothing(self):
        """RELIABILITY #34: a chunk run again (a worker killed after its work, the
        job retried) creates nothing twice, and the counts stay exact."""
        month = self._month_as(self.hr)
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            month.action_generate_evaluations()
            trap.perform_enqueued_jobs()
        chunk = self._batch("generate").chunk_ids[0]
        lines = len(self._evaluations().line_ids)
        self.assertEqual(chunk.with_user(self.hr)._run(), "already done")
        chunk.state = "pending"  # as if its "done" had been lost with the worker
        self.assertEqual(chunk.with_user(self.hr)._run(), "0 done, 2 skipped")
        self.assertEqual(len(self._evaluations()), 3)
        self.assertEqual(len(self._evaluations().line_ids), lines)

    def test_failed_chunk_is_reported_and_retried(self):
        """A chunk refused (a value missing) fails with its reason in the period's
        chatter; the other chunk's work stays; the retry does only what is left and
        the period is ranked once."""
        month = self._month_as(self.hr)
        with no_job_runner(self.env):
            month.action_generate_evaluations()  # no runner: at once
        evaluations = self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
        last = evaluations.sorted("id")[-1]
        line = last.line_ids.filtered(lambda line: line.indicator_id.scoring_method == "manual")
        line.has_actual = False
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            month.action_approve_evaluations()
            trap.perform_enqueued_jobs()
        batch = self._batch("approve")
        self.assertEqual(batch.state, "failed")
        failed = batch.chunk_ids.filtered(lambda chunk: last in chunk._records())
        self.assertEqual(failed.state, "failed")
        self.assertEqual((batch.chunk_ids - failed).state, "done")
        self.assertIn("no value yet", failed.error)
        bodies = " ".join(self.month.message_ids.mapped("body"))
        self.assertIn(f"job {failed.sequence} of 2 failed", bodies)
        self.assertIn("1 of 2 jobs failed", bodies)
        self.assertEqual((evaluations - last).mapped("state"), ["approved", "approved"])
        self.assertEqual(last.state, "hr_review")

        line.write({"actual_value": last.total_score, "has_actual": True})
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            batch.with_user(self.hr).action_retry()
            trap.assert_jobs_count(2)  # the failed chunk only, and the finish
            trap.perform_enqueued_jobs()
        self.assertEqual(batch.state, "done")
        self.assertEqual(set(evaluations.mapped("state")), {"approved"})
        self.assertEqual(sorted(evaluations.mapped("rank_company")), [1, 2, 3])
        self.assertEqual(sum(batch.chunk_ids.mapped("done_count")), 3)

    def test_without_runner_the_step_runs_now(self):
        with no_job_runner(self.env), trap_jobs() as trap:
            action = self._month_as(self.hr).action_generate_evaluations()
            trap.assert_jobs_count(0)
        self.assertEqual(
            self._message(action), "Generated 3 evaluations, skipped 0 that already existed."
        )
        self.assertFalse(self._batch("generate"))

    def test_jobs_left_without_runner_are_abandoned(self):
        """Jobs never wait forever: when the runner is gone, pressing the step again
        runs it in the request and cancels the waiting jobs."""
        month = self._month_as(self.hr)
        with job_runner(self.env.cr.dbname), trap_jobs():
            month.action_generate_evaluations()
        batch = self._batch("generate")
        self.assertEqual(batch.state, "running")
        with no_job_runner(self.env):
            action = month.action_generate_evaluations()
        self.assertIn("Generated 3 evaluations", self._message(action))
        self.assertEqual(batch.state, "abandoned")

    def _star_months(self):
        return {
            star.employee_id.name: (star.stars, star.rule, star.pay, star.pay_score, star.explanation)
            for star in self.env["hr.kpi.star.month"].search([("period_id", "=", self.month.id)])
        }

    def test_monthly_stars_in_chunks(self):
        """Monthly stars in jobs of employees (each star follows from the employee's
        own records and his team's) give the stars, pay and explanations of the
        request; a share run again creates nothing twice (RELIABILITY #34)."""
        month = self._month_as(self.hr)
        with no_job_runner(self.env):
            month.action_generate_evaluations()
            self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
            month.action_approve_evaluations()
            self.assertIn("3 employees", self._message(month.action_monthly_stars()))
        in_request = self._star_months()
        self.assertEqual(len(in_request), 3)
        # no review yet: 0 stars, seed 003's 0-star pay, paid on the month's score
        self.assertEqual(in_request["赵敏"][:4], (0, "base", 600.0, 85.0))
        self.env["hr.kpi.star.month"].search([("period_id", "=", self.month.id)]).unlink()
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            action = month.action_monthly_stars()
            self.assertIn("in 2 jobs of up to 2", self._message(action))
            trap.assert_jobs_count(3)
            self.assertFalse(self._star_months())
            trap.perform_enqueued_jobs()
        batch = self._batch("monthly_stars")
        self.assertEqual((batch.state, batch.chunk_ids.mapped("done_count")), ("done", [2, 1]))
        self.assertEqual(self._star_months(), in_request)
        self.assertIn("Monthly stars computed for 3 employees.", self.month.message_ids[0].body)
        chunk = batch.chunk_ids[0]
        chunk.state = "pending"  # its "done" lost with a killed worker
        chunk.with_user(self.hr)._run()
        self.assertEqual(self._star_months(), in_request)
        self.assertEqual(
            self.env["hr.kpi.star.month"].search_count([("period_id", "=", self.month.id)]), 3
        )

    def test_star_review_is_one_job(self):
        """The five-star quota is decided over the whole quarter: one job (and the
        one that finishes), said so; the review has everybody's line."""
        month = self._month_as(self.hr)
        with no_job_runner(self.env):
            month.action_generate_evaluations()
            self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
            month.action_approve_evaluations()
        # the quarter's star review runs once the quarter has ended (issue 20)
        with freeze_time("2027-01-05"), job_runner(self.env.cr.dbname), trap_jobs() as trap:
            action = month.action_star_review()
            self.assertIn("Star Review · ", self._message(action))
            self.assertIn("runs in the background in one job;", self._message(action))
            trap.assert_jobs_count(2)
            trap.perform_enqueued_jobs()
        review = self.env["hr.kpi.star.review"].search([("period_id", "=", self.month.parent_id.id)])
        self.assertEqual(len(review.line_ids), 3)
        self.assertEqual(self._batch("star_review").state, "done")

    def test_payslip_batch_in_chunks(self):
        month = self._month_as(self.hr)
        with no_job_runner(self.env):
            month.action_generate_evaluations()
            self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
            month.action_approve_evaluations()
            month.action_publish_evaluations()
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            month.action_payslip_batch()
            trap.perform_enqueued_jobs()
        run = self.env["hr.payslip.run"].search([("date_start", "=", self.month.date_from)])
        self.assertEqual(len(run.slip_ids), 3)
        amounts = self._amounts(run)
        self.assertEqual(amounts[("赵敏", "KPI_ATT")], 200.0)
        # Re-run of both chunks: no second payslip, no duplicate input.
        chunks = self._batch("payslip_batch").chunk_ids
        chunks.state = "pending"
        for chunk in chunks:
            chunk.with_user(self.hr)._run()
        self.assertEqual(chunks.mapped("done_count"), [0, 0])
        self.assertEqual(len(run.slip_ids), 3)
        self.assertEqual(self._amounts(run), amounts)

    def test_a_job_checks_its_user_again(self):
        """RELIABILITY #4: a job runs as the user who started it and checks him again;
        queue_job's no-delay context runs it at once but grants nothing."""
        with self.assertRaises(AccessError):
            self._month_as(self.user).with_context(
                queue_job__no_delay=True
            ).action_generate_evaluations()
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            self._month_as(self.hr).action_generate_evaluations()
            # The officer lost his group before the jobs ran: they refuse.
            self.hr.groups_id -= self.env.ref("hr_kpi_service.group_kpi_officer")
            trap.perform_enqueued_jobs()
        self.assertFalse(self._evaluations())
        self.assertEqual(self._batch("generate").state, "failed")

    def test_payslip_run_add_kpi_lines_in_chunks(self):
        """The payslip batch's own Add KPI Lines: checked for the whole batch first,
        then done in jobs; a done payslip refuses the whole batch before any job."""
        month = self._month_as(self.hr)
        with no_job_runner(self.env):
            month.action_generate_evaluations()
            self._fill_and_review({"赵敏": 85, "钱进": 70, "孙莉": 95})
            month.action_approve_evaluations()
            month.action_publish_evaluations()
            month.action_payslip_batch()
        run = self.env["hr.payslip.run"].search([("date_start", "=", self.month.date_from)])
        amounts = self._amounts(run)
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            action = run.with_user(self.payroll).action_add_kpi_lines()
            self.assertIn("in 2 jobs", action["params"]["message"])
            trap.perform_enqueued_jobs()
        batch = self._batch("payslip_lines")
        self.assertEqual((batch.state, sum(batch.chunk_ids.mapped("done_count"))), ("done", 3))
        self.assertEqual(self._amounts(run), amounts)
        run.slip_ids[0].with_user(self.payroll).action_payslip_done()
        with job_runner(self.env.cr.dbname), trap_jobs() as trap:
            with self.assertRaisesRegex(UserError, "done or cancelled"):
                run.with_user(self.payroll).action_add_kpi_lines()
            trap.assert_jobs_count(0)

    def test_a_killed_workers_job_is_requeued(self):
        """RELIABILITY #34: a job left "started" by a killed worker is requeued (its
        lock is free); one that a live worker runs (its lock held) is not."""
        with job_runner(self.env.cr.dbname):
            self._month_as(self.hr).action_generate_evaluations()
        batch = self._batch("generate")
        jobs = self.env["queue.job"].search([("uuid", "in", batch.chunk_ids.mapped("job_uuid"))])
        self.assertEqual(len(jobs), 2)
        now = fields.Datetime.now()
        jobs.write({"state": "started", "date_started": now - timedelta(minutes=5)})
        Batch = self.env["hr.kpi.job.batch"]
        live = batch.chunk_ids[0]
        with closing(odoo.sql_db.db_connect(self.env.cr.dbname).cursor()) as worker:
            worker.execute("SELECT pg_advisory_lock(%s, %s)", [CHUNK_LOCK, live.id])
            self.assertEqual(Batch._cron_requeue_dead_jobs(), 1)
            worker.execute("SELECT pg_advisory_unlock(%s, %s)", [CHUNK_LOCK, live.id])
        by_chunk = {job.uuid: job.state for job in jobs}
        self.assertEqual(by_chunk[live.job_uuid], "started")
        self.assertEqual(by_chunk[batch.chunk_ids[1].job_uuid], "pending")
        # started a moment ago, its lock not taken yet: not dead, left alone
        jobs.filtered(lambda job: job.uuid == live.job_uuid).date_started = now
        self.assertEqual(Batch._cron_requeue_dead_jobs(), 0)
        self.assertEqual(set(jobs.mapped("state")), {"started", "pending"})

    def test_background_steps_open_from_the_period(self):
        with job_runner(self.env.cr.dbname), trap_jobs():
            self._month_as(self.hr).action_generate_evaluations()
        action = self._month_as(self.hr).action_open_job_batches()
        self.assertEqual(
            self.env["hr.kpi.job.batch"].search(action["domain"]), self._batch("generate")
        )
