"""Two Odoo servers on one PostgreSQL database, the runner's server killed during a
month-end (issue 23): the other server's queue_job runner takes over and the month ends
with exact counts.

The test copies the test database (both addons at this code), runs
scripts/bench_month_end.py's failover mode on it at a small size (threshold and chunks
lowered so that every step runs in several jobs): two real servers (`--workers=2`
each, queue_job in server_wide_modules) on ports of this test, the server whose
runner holds queue_job's lock SIGKILLed as a whole process group in the middle of a
payslip job. It then checks, with SQL of its own on the copy, each employee's month:
one evaluation with one line per indicator, one payslip with each KPI input once, one
monthly star; and the unique indexes that back them. Every server, the benchmark and
the copy are removed whatever happens.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing, suppress
from datetime import timedelta
from pathlib import Path

import pytest

import odoo
from odoo import fields
from odoo.addons.queue_job import jobrunner
from odoo.tests import tagged

from .test_kpi_period_cockpit import CockpitCase
from .test_kpi_period_jobs import job_runner

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "scripts" / "bench_month_end.py"
EMPLOYEES = 60
HTTP_PORTS = range(18600, 18700)  # this test's own ports (README: how tests share a machine)
GEVENT_PORTS = range(18700, 18800)
LIMIT_S = 170


def free_ports(candidates, count):
    found = []
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("0.0.0.0", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    return None


def copy_test_database(source, target):
    """CREATE DATABASE ... TEMPLATE needs the source without other sessions: the
    tests' own runner thread (with --odoo-http) is stopped meanwhile and the pool's
    idle connections closed."""
    thread = jobrunner.runner_thread
    running = thread is not None and thread.is_alive()
    if running:
        thread.stop()
        thread.join(30)
    try:
        odoo.sql_db.close_db(source)
        with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
            cr._cnx.autocommit = True
            for attempt in range(10):
                try:
                    cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
                    break
                except Exception as err:
                    if attempt == 9:
                        cr.execute(
                            "SELECT pid, application_name, state FROM pg_stat_activity "
                            "WHERE datname = %s",
                            [source],
                        )
                        raise AssertionError(f"{source} is in use: {cr.fetchall()}") from err
                    time.sleep(1)
    finally:
        if running:
            jobrunner._start_runner_thread("threaded server")
    filestore = odoo.tools.config.filestore(source)
    if os.path.isdir(filestore):
        shutil.copytree(filestore, odoo.tools.config.filestore(target))


def drop_database(name):
    odoo.sql_db.close_db(name)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(odoo.tools.config.filestore(name), ignore_errors=True)


def kill_groups(pidfile, bench):
    """Every process the run started: the benchmark's group and each server's."""
    groups = [bench.pid] if bench else []
    if os.path.exists(pidfile):
        groups += [int(line) for line in Path(pidfile).read_text().split()]
    for group in groups:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
    if bench:
        with suppress(subprocess.TimeoutExpired):
            bench.wait(timeout=10)


def query(db, sql, args=()):
    with closing(odoo.sql_db.db_connect(db).cursor()) as cr:
        cr.execute(sql, args)
        return cr.fetchall()


@pytest.fixture
def two_server_run(tmp_path):
    """The failover run on a copy of the test database: (copy's name, the benchmark's
    figures, its output)."""
    if not shutil.which("pgrep"):
        pytest.skip("pgrep (procps) is missing: the servers' processes cannot be listed")
    ports, gevent_ports = free_ports(HTTP_PORTS, 2), free_ports(GEVENT_PORTS, 2)
    if not ports or not gevent_ports:
        pytest.skip("no free ports in 18600-18799 for two servers")
    source = odoo.tools.config["db_name"]
    copy = f"{source[:40]}_2srv_{os.getpid()}"
    pidfile, figures = str(tmp_path / "servers.pids"), str(tmp_path / "figures.json")
    bench = None
    copy_test_database(source, copy)
    try:
        bench = subprocess.Popen(
            [sys.executable, str(BENCH), "--db", copy, "--no-update", "--modes", "failover",
             "--failover-employees", str(EMPLOYEES), "--failover-step", "payslip_batch",
             "--threshold", "10", "--chunk", "15", "--payslip-chunk", "5",
             "--ports", ",".join(map(str, ports)),
             "--gevent-ports", ",".join(map(str, gevent_ports)),
             "--timeout", "150", "--json", figures, "--pidfile", pidfile,
             "--logdir", str(tmp_path)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True, cwd=REPO,
        )  # fmt: skip
        try:
            output, _ = bench.communicate(timeout=LIMIT_S)
        except subprocess.TimeoutExpired:
            kill_groups(pidfile, bench)
            output, _ = bench.communicate()
            pytest.fail(f"the failover run took more than {LIMIT_S} s:\n{output}")
        assert os.path.exists(figures), output
        with open(figures) as source_file:
            yield copy, json.load(source_file)["failover"], output
    finally:
        kill_groups(pidfile, bench)
        drop_database(copy)


def test_runner_server_killed_month_ends_exact(two_server_run):
    """RELIABILITY #38/#39 (and #26, #29) on two servers: the server whose queue_job
    runner holds the lock is SIGKILLed (its whole process group) in the middle of a
    payslip job; exactly one runner dispatches at any time, the other server's runner
    takes the lock, the dead jobs are requeued by the module's cron, and every
    employee's month is there exactly once: evaluation, lines, payslip, KPI inputs,
    monthly star; awards as the month decides them."""
    copy, run, output = two_server_run
    failover = run["failover"]
    assert failover.get("killed"), output
    killed, other = failover["killed"], failover["new_holder"]
    assert {killed, other} == {"A", "B"}, output
    assert failover["step"] == "payslip_batch"
    assert failover["takeover_s"] < 15, output  # queue_job retries the lock every 5 s

    # one runner at a time: the killed server's dispatched before the kill, the
    # other's only after, never both in the same window
    runners = run["runners"]
    assert runners["holders in turn"] == [killed, other], output
    assert runners["overlap"] is False
    windows = runners["servers"]
    assert windows[killed]["dispatched"] > 0 and windows[other]["dispatched"] > 0
    assert windows[killed]["last"] <= failover["killed_at"] + 0.5
    assert windows[other]["first"] >= failover["killed_at"]
    # the job killed with its server was requeued and dispatched by the new runner
    assert runners["dispatched again by the next runner"] >= 1, output

    # no sticky sessions needed with one data_dir: a session opened on server A is
    # read by both, and by the survivor after the kill
    session = run["session"]
    assert session["login uid"] and set(session["seen at start"].values()) == {session["login uid"]}
    assert session["seen at the end"] == {other: session["login uid"]}

    steps = {step["step"]: step for step in run["steps"]}
    assert [steps[s]["state"] for s in steps] == ["done"] * 7, output
    assert all(step["failed"] == 0 for step in steps.values()), output
    assert run["counts"]["exact"], output

    # the month's records, counted here: per employee and month, exactly once
    ids = run["ids"]
    company, period = ids["company"], ids["period"]
    per_employee = query(
        copy,
        """SELECT count(*),
                  min(e), max(e), min(s), max(s), min(m), max(m)
             FROM (SELECT emp.id,
                     (SELECT count(*) FROM hr_kpi_evaluation v
                       WHERE v.employee_id = emp.id AND v.period_id = %(period)s) e,
                     (SELECT count(*) FROM hr_payslip p JOIN hr_payslip_run r
                          ON r.id = p.payslip_run_id
                       WHERE p.employee_id = emp.id AND r.company_id = %(company)s
                         AND p.state <> 'cancel') s,
                     (SELECT count(*) FROM hr_kpi_star_month t
                       WHERE t.employee_id = emp.id AND t.period_id = %(period)s) m
                     FROM hr_employee emp WHERE emp.company_id = %(company)s) x""",
        {"company": company, "period": period},
    )
    assert per_employee == [(EMPLOYEES, 1, 1, 1, 1, 1, 1)]
    lines = query(
        copy,
        """SELECT min(n), max(n), min(d), max(d) FROM (
             SELECT count(l.id) n, count(DISTINCT l.indicator_id) d
               FROM hr_kpi_evaluation e JOIN hr_kpi_evaluation_line l ON l.evaluation_id = e.id
              WHERE e.period_id = %s GROUP BY e.id) x""",
        [period],
    )
    assert lines == [(3, 3, 3, 3)]
    inputs = query(
        copy,
        """SELECT count(*), min(n), max(n), bool_and(n = d) FROM (
             SELECT s.id, count(i.id) n, count(DISTINCT i.code) d
               FROM hr_payslip s JOIN hr_payslip_run r ON r.id = s.payslip_run_id
               LEFT JOIN hr_payslip_input i ON i.payslip_id = s.id AND i.code LIKE 'KPI%%'
              WHERE r.company_id = %s GROUP BY s.id) x""",
        [company],
    )
    count, fewest, most, each_once = inputs[0]
    assert (count, each_once, fewest == most) == (EMPLOYEES, True, True)
    assert fewest > 0
    allocations = query(
        copy,
        """SELECT count(*), count(DISTINCT a.payslip_id), count(DISTINCT a.employee_id)
             FROM hr_kpi_payslip_allocation a JOIN hr_payslip s ON s.id = a.payslip_id
             JOIN hr_payslip_run r ON r.id = s.payslip_run_id WHERE r.company_id = %s""",
        [company],
    )
    assert allocations == [(EMPLOYEES, EMPLOYEES, EMPLOYEES)]

    # what makes "twice" impossible, not only absent: the unique indexes
    unique = {
        (table, tuple(columns))
        for table, columns in query(
            copy,
            """SELECT t.relname, array_agg(a.attname::text ORDER BY a.attname)
                 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
                WHERE i.indisunique AND t.relname IN ('hr_kpi_evaluation',
                      'hr_kpi_evaluation_line', 'hr_kpi_star_month', 'hr_kpi_award',
                      'hr_kpi_payslip_allocation')
                GROUP BY t.relname, i.indexrelid""",
        )
    }
    for expected in [
        ("hr_kpi_evaluation", ("employee_id", "period_id", "scheme_id")),
        ("hr_kpi_evaluation_line", ("evaluation_id", "indicator_id")),
        ("hr_kpi_star_month", ("employee_id", "period_id")),
        ("hr_kpi_award", ("award_type", "employee_id", "period_id")),
        ("hr_kpi_payslip_allocation", ("payslip_id",)),
        ("hr_kpi_payslip_allocation", ("employee_id", "month")),
    ]:
        assert expected in unique, expected


@tagged("post_install", "-at_install")
class TestDeadRunnersJobs(CockpitCase):
    """What the failover relies on, in one database: 3 employees, jobs of 2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("hr_kpi_service.job_threshold", "2")
        params.set_param("hr_kpi_service.job_chunk_size", "2")

    def _batch(self, step):
        return self.env["hr.kpi.job.batch"].search(
            [("period_id", "=", self.month.id), ("step", "=", step)], limit=1
        )

    def test_jobs_left_enqueued_by_a_dead_runner_are_requeued(self):
        """RELIABILITY #39: a job the killed server's runner had enqueued, and that
        no worker took, is requeued by the module's cron once enqueued for 30 s (queue_job's
        own cron waits 5 minutes, during which the new runner counts it as running);
        one enqueued a moment ago is left to the live runner."""
        with job_runner(self.env.cr.dbname):
            self._month_as(self.hr).action_generate_evaluations()
        batch = self._batch("generate")
        jobs = self.env["queue.job"].search([("uuid", "in", batch.chunk_ids.mapped("job_uuid"))])
        self.assertEqual(len(jobs), 2)
        old, recent = jobs[0], jobs[1]
        now = fields.Datetime.now()
        old.write({"state": "enqueued", "date_enqueued": now - timedelta(minutes=1)})
        recent.write({"state": "enqueued", "date_enqueued": now})
        self.assertEqual(self.env["hr.kpi.job.batch"]._cron_requeue_dead_jobs(), 1)
        self.assertEqual((old.state, recent.state), ("pending", "enqueued"))
