#!/usr/bin/env python3
"""Month-end at scale (issues 11 and 23): the period's steps for N employees, side by side.

    python3 scripts/bench_month_end.py [--db kpi_jobs_bench] [--employees 20000]
        [--modes inprocess,jobs,failover] [--failover-employees 2000]
        [--failover-step payslip_batch] [--ports 8079,8080] [--gevent-ports 8179,8180]

Steps, each as the KPI officer (also payroll officer) pressing the period's button:
generate -> (values typed, evaluations sent to HR review: not measured) -> compute
scores -> approve -> star review -> monthly stars -> awards -> payslip batch (OCA's
batch wizard: payslips with their KPI lines, computed).

* inprocess: in this process, one transaction per step (committed), below the
  background threshold (set to N + 1): wall time, SQL queries and queries per
  employee per step, the process's peak memory (ru_maxrss).
* jobs: two Odoo servers on one database as README's deployment runs them
  (scripts/two_servers.py: --workers=2 each, queue_job in server_wide_modules,
  channels root:2,root.hr_kpi:2; threshold 1,000, chunks of 500, payslips 100); the
  buttons are pressed over XML-RPC on each server in turn (as a proxy spreads them);
  wall time per step from the press to the step's last job; queries and the longest
  request from the servers' access logs (the press and every run of the step's jobs);
  which server's queue_job runner dispatched the jobs (one at a time: the runner lock).
  --kill STEP kills a worker (SIGKILL) in the middle of a job of STEP.
* failover: the same on a company of --failover-employees; during --failover-step the
  server whose runner holds the lock is SIGKILLed as a whole process group in the
  middle of a job; the other server's runner takes the lock, the module's cron
  requeues the dead jobs, and the month's counts are checked exact per employee and
  month (evaluations, lines, payslips, KPI inputs, monthly stars, awards).

Each mode works on its own company (3 indicators each, a contract, the seed star
levels), created and committed in the benchmark database (kept for inspection). The
machine is shared: absolute times are inflated while other work runs; query counts are
not. Exit status 1 when a mode's counts are not exact.
"""

import argparse
import cProfile
import io
import itertools
import json
import os
import pstats
import resource
import signal
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from datetime import date, timedelta

import two_servers

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "hr_kpi_service"


def _last_month_of_last_quarter(today):
    """The star review runs once its quarter has ended: the month-end is the last
    month of the last quarter ended before today."""
    quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return (quarter_start - timedelta(days=1)).replace(day=1)


MONTH = _last_month_of_last_quarter(date.today())
PASSWORD = "bench-officer"
TARGET_REQUEST_S = 60.0
STEPS = [
    ("generate", "action_generate_evaluations"),
    ("compute_scores", "action_compute_scores"),
    ("approve", "action_approve_evaluations"),
    ("star_review", "action_star_review"),
    ("monthly_stars", "action_monthly_stars"),
    ("awards", "action_awards"),
    ("payslip_batch", "action_payslip_batch"),
]
INDICATORS = [
    {"name": "服务工作标准执行", "weight": 50, "scoring_method": "deduction",
     "full_points": 50, "deduction_cost": 1},
    {"name": "客户满意度调查", "weight": 20, "scoring_method": "likert", "likert_scale": "20"},
    {"name": "服务投诉", "weight": 30, "scoring_method": "deduction", "full_points": 30,
     "deduction_cost": 6, "deduction_cost_major": 12},
]  # fmt: skip
VALUES = {
    "服务工作标准执行": [0, 2, 5, 9],
    "客户满意度调查": [20, 18, 16, 12],
    "服务投诉": [0, 0, 1, 2],
}


STARTED = time.time()


def log(*args):
    print(f"[{time.time() - STARTED:6.1f} s]", *args, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------
# Database and data (in this process, committed)
# ----------------------------------------------------------------------
def open_registry(db, update=True):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-d", db, "--addons-path", REPO, "--log-level", "warn"])
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        exists = cr.fetchone()
    if exists and not update:
        return Registry(db)
    if not exists:
        log(f"{db}: creating it with {MODULE} (no demo data), a few minutes ...")
    else:
        # The companies are kept between runs; the code may have changed meanwhile
        # (a model whose table is missing breaks the jobs' cron, not only the steps).
        log(f"{db}: updating {MODULE} to the code first")
    subprocess.run(
        [sys.executable, "-m", "odoo", f"--addons-path={REPO}", "-d", db,
         "-u" if exists else "-i", MODULE, "--without-demo=all", "--stop-after-init",
         "--log-level=warn"],
        check=True,
    )  # fmt: skip
    return Registry(db)


def build_company(registry, label, size):
    """A company with `size` reps on a 3-indicator scheme, contracts, star levels, an
    officer (KPI officer and payroll manager) and the month's period. Committed."""
    from odoo import Command, api

    started = time.time()
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {"tracking_disable": True, "mail_create_nolog": True})
        company = env["res.company"].create({"name": f"Bench {label} {size} {int(started)}"})
        company.resource_calendar_id.tz = "Asia/Shanghai"
        env["hr.kpi.star.level"]._create_seed_levels(company.ids)
        department = env["hr.department"].create({"name": "客户服务部", "company_id": company.id})
        job = env["hr.job"].create({"name": "客服代表", "company_id": company.id})
        scheme = env["hr.kpi.scheme"].create(
            {"name": "客服代表方案", "company_id": company.id, "role_type": "staff",
             "job_ids": [Command.set(job.ids)]}
        )  # fmt: skip
        for sequence, vals in enumerate(INDICATORS):
            env["hr.kpi.indicator"].create(dict(vals, scheme_id=scheme.id, sequence=sequence))
        scheme.action_activate()
        groups = [
            env.ref(xmlid).id
            for xmlid in (
                "base.group_user",
                "hr_kpi_service.group_kpi_officer",
                "payroll.group_payroll_manager",
            )
        ]
        officer = env["res.users"].create(
            {
                "name": f"Bench officer {company.id}",
                "login": f"bench_officer_{company.id}",
                "password": PASSWORD,
                "groups_id": [Command.set(groups)],
                "company_id": company.id,
                # the shipped payroll structure is the main company's
                "company_ids": [Command.set((company | env.ref("base.main_company")).ids)],
            }
        )
        employees = env["hr.employee"]
        for start in range(0, size, 2000):
            employees |= env["hr.employee"].create(
                [
                    {"name": f"员工{n:05d}", "company_id": company.id, "job_id": job.id,
                     "department_id": department.id, "barcode": f"{company.id:03d}{n:06d}",
                     "resource_calendar_id": company.resource_calendar_id.id}
                    for n in range(start, min(size, start + 2000))
                ]
            )  # fmt: skip
            env.flush_all()
        structure = env.ref("hr_kpi_service.payroll_structure_customer_service")
        for start in range(0, size, 2000):
            env["hr.contract"].create(
                [
                    {"name": f"{employee.name} 合同", "employee_id": employee.id,
                     "company_id": company.id, "wage": 2000 + (employee.id % 5) * 100,
                     "date_start": date(MONTH.year, 1, 1), "struct_id": structure.id,
                     "resource_calendar_id": company.resource_calendar_id.id, "state": "open"}
                    for employee in employees[start : start + 2000]
                ]
            )  # fmt: skip
            env.flush_all()
        period = env["hr.kpi.period"].with_company(company)._get_or_create(
            MONTH, "monthly", company
        )
        ids = {"company": company.id, "officer": officer.id, "login": officer.login,
               "period": period.id, "size": size,
               "companies": [company.id, env.ref("base.main_company").id]}  # fmt: skip
    log(f"  company {label}: {size} employees built in {time.time() - started:.0f} s")
    return ids


def send_to_review(registry, ids):
    """The month's values typed and the evaluations sent to HR review (not measured):
    grouped writes as the superuser, who stands for the workflow."""
    from odoo import api

    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {"tracking_disable": True})
        evaluations = env["hr.kpi.evaluation"].search([("period_id", "=", ids["period"])])
        for line_name, values in VALUES.items():
            lines = evaluations.line_ids.filtered(
                lambda line, n=line_name: line.indicator_id.name == n
            )
            buckets = len(values)
            for index, value in enumerate(values):
                lines.filtered(
                    lambda line, i=index, b=buckets: line.evaluation_id.id % b == i
                ).write({"actual_value": value, "has_actual": True})
        evaluations.write({"state": "hr_review"})


# ----------------------------------------------------------------------
# In one process
# ----------------------------------------------------------------------
def run_inprocess(registry, ids, steps=STEPS, profile=()):
    from odoo import api

    with registry.cursor() as cr:
        api.Environment(cr, 1, {})["ir.config_parameter"].set_param(
            "hr_kpi_service.job_threshold", str(ids["size"] + 1)
        )
    results = []
    for step, method in steps:
        with registry.cursor() as cr:
            env = api.Environment(
                cr, ids["officer"], {"lang": "en_US", "allowed_company_ids": ids["companies"]}
            )
            period = env["hr.kpi.period"].browse(ids["period"])
            env.invalidate_all()
            queries = cr.sql_log_count
            profiler = cProfile.Profile() if step in profile else None
            started = time.time()
            if profiler:
                profiler.enable()
            action = getattr(period, method)()
            env.flush_all()
            if profiler:
                profiler.disable()
            elapsed = time.time() - started
            if profiler:
                log(f"  profile of {step} (cumulative):")
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
                log(out.getvalue())
            queries = cr.sql_log_count - queries
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        message = action.get("params", {}).get("message", "") if isinstance(action, dict) else ""
        results.append({"step": step, "s": elapsed, "queries": queries, "peak_mb": peak})
        log(f"  {step}: {elapsed:.1f} s, {queries} queries, peak {peak:.0f} MB — {message}")
        if step == "generate":
            send_to_review(registry, ids)
    return results


# ----------------------------------------------------------------------
# Exact counts: nothing twice, nothing missing (grouped by employee and month)
# ----------------------------------------------------------------------
EXACT_SQL = {
    # employees of the company without exactly one evaluation in the period
    "employees without exactly 1 evaluation": """
        SELECT count(*) FROM (
            SELECT emp.id FROM hr_employee emp
              LEFT JOIN hr_kpi_evaluation e ON e.employee_id = emp.id AND e.period_id = %(period)s
             WHERE emp.company_id = %(company)s GROUP BY emp.id HAVING count(e.id) <> 1) t""",
    # evaluations without exactly one line per indicator of the scheme
    "evaluations without exactly 1 line per indicator": """
        SELECT count(*) FROM (
            SELECT e.id FROM hr_kpi_evaluation e
              LEFT JOIN hr_kpi_evaluation_line l ON l.evaluation_id = e.id
             WHERE e.period_id = %(period)s GROUP BY e.id
            HAVING count(l.id) <> %(indicators)s
                OR count(l.id) <> count(DISTINCT l.indicator_id)) t""",
    "employees without exactly 1 payslip in the month": """
        SELECT count(*) FROM (
            SELECT emp.id FROM hr_employee emp
              LEFT JOIN (hr_payslip s JOIN hr_payslip_run r ON r.id = s.payslip_run_id
                                      AND r.date_start = %(month)s AND s.state <> 'cancel')
                     ON s.employee_id = emp.id
             WHERE emp.company_id = %(company)s GROUP BY emp.id HAVING count(s.id) <> 1) t""",
    # payslips whose KPI inputs are not each code once, or fewer codes than the others
    "payslips with a KPI input twice or missing": """
        WITH slip AS (
            SELECT s.id, count(i.id) AS inputs, count(DISTINCT i.code) AS codes
              FROM hr_payslip s JOIN hr_payslip_run r ON r.id = s.payslip_run_id
              LEFT JOIN hr_payslip_input i ON i.payslip_id = s.id AND i.code LIKE 'KPI%%'
             WHERE r.company_id = %(company)s AND r.date_start = %(month)s
             GROUP BY s.id)
        SELECT count(*) FROM slip
         WHERE inputs <> codes OR codes <> (SELECT max(codes) FROM slip)""",
    "employees without exactly 1 monthly star": """
        SELECT count(*) FROM (
            SELECT emp.id FROM hr_employee emp
              LEFT JOIN hr_kpi_star_month m ON m.employee_id = emp.id AND m.period_id = %(period)s
             WHERE emp.company_id = %(company)s GROUP BY emp.id HAVING count(m.id) <> 1) t""",
    "awards given twice (month, type, employee)": """
        SELECT count(*) FROM (
            SELECT 1 FROM hr_kpi_award WHERE period_id = %(period)s
             GROUP BY award_type, employee_id HAVING count(*) > 1) t""",
}
TOTALS_SQL = """
    SELECT (SELECT count(*) FROM hr_employee WHERE company_id = %(company)s),
           (SELECT count(*) FROM hr_kpi_evaluation WHERE period_id = %(period)s),
           (SELECT count(*) FROM hr_kpi_evaluation_line l
              JOIN hr_kpi_evaluation e ON e.id = l.evaluation_id WHERE e.period_id = %(period)s),
           (SELECT count(*) FROM hr_kpi_evaluation
             WHERE period_id = %(period)s AND state = 'approved'),
           (SELECT count(*) FROM hr_payslip s JOIN hr_payslip_run r ON r.id = s.payslip_run_id
             WHERE r.company_id = %(company)s AND r.date_start = %(month)s),
           (SELECT count(*) FROM hr_payslip_input i JOIN hr_payslip s ON s.id = i.payslip_id
              JOIN hr_payslip_run r ON r.id = s.payslip_run_id
             WHERE r.company_id = %(company)s AND r.date_start = %(month)s
               AND i.code LIKE 'KPI%%'),
           (SELECT count(*) FROM hr_kpi_star_month WHERE period_id = %(period)s),
           (SELECT count(*) FROM hr_kpi_award WHERE period_id = %(period)s)"""
TOTALS = ["employees", "evaluations", "lines", "approved", "payslips", "KPI inputs",
          "monthly stars", "awards"]  # fmt: skip


def exact_counts(registry, ids):
    """The month's totals, what is twice or missing per employee and month (all 0 when
    exact), and the awards the month decides when computed again in one transaction
    (rolled back) against those stored."""
    from odoo import api

    keys = {"company": ids["company"], "period": ids["period"], "month": MONTH,
            "indicators": len(INDICATORS)}  # fmt: skip
    with registry.cursor() as cr:
        cr.execute(TOTALS_SQL, keys)
        totals = dict(zip(TOTALS, cr.fetchone(), strict=True))
        wrong = {}
        for label, query in EXACT_SQL.items():
            cr.execute(query, keys)
            wrong[label] = cr.fetchone()[0]
        cr.execute(
            "SELECT award_type, employee_id FROM hr_kpi_award WHERE period_id = %s ORDER BY 1, 2",
            [ids["period"]],
        )
        stored = cr.fetchall()
        env = api.Environment(
            cr, ids["officer"], {"lang": "en_US", "allowed_company_ids": ids["companies"]}
        )
        env["hr.kpi.award"]._action_compute_periods(env["hr.kpi.period"].browse(ids["period"]))
        env.flush_all()
        cr.execute(
            "SELECT award_type, employee_id FROM hr_kpi_award WHERE period_id = %s ORDER BY 1, 2",
            [ids["period"]],
        )
        wrong["awards unlike the month's own decision"] = len(set(stored) ^ set(cr.fetchall()))
        cr.rollback()
    n = totals["employees"]
    expected = {"evaluations": n, "lines": n * len(INDICATORS), "approved": n, "payslips": n,
                "monthly stars": n}  # fmt: skip
    for label, value in expected.items():
        if totals[label] != value:
            wrong[f"{label}: {totals[label]}, expected {value}"] = 1
    return {"totals": totals, "wrong": wrong, "exact": not any(wrong.values())}


# ----------------------------------------------------------------------
# Through jobs on two servers (README's deployment), a runner failing over
# ----------------------------------------------------------------------
def set_job_params(registry, threshold, chunk, payslip_chunk):
    from odoo import api

    with registry.cursor() as cr:
        params = api.Environment(cr, 1, {})["ir.config_parameter"]
        params.set_param("hr_kpi_service.job_threshold", str(threshold))
        params.set_param("hr_kpi_service.job_chunk_size", str(chunk))
        params.set_param("hr_kpi_service.job_chunk_size_payslip", str(payslip_chunk))


def vm_hwm_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


def sql(db, query, args=()):
    import odoo

    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.execute(query, args)
        return cr.fetchall() if cr.description else None


def holder_of(db):
    import odoo

    with odoo.sql_db.db_connect(db).cursor() as cr:
        return two_servers.runner_holder(cr)


def start_servers(db, ports, gevent_ports, pidfile=None, logdir=None):
    servers = [
        two_servers.Server(name, db, port, gevent_port, REPO, logdir=logdir)
        for name, port, gevent_port in zip("AB", ports, gevent_ports, strict=True)
    ]
    for server in servers:
        server.start()
        if pidfile:  # the process groups, for whoever must clean up after a crash
            with open(pidfile, "a") as out:
                out.write(f"{server.process.pid}\n")
    for server in servers:
        server.wait_ready()
        log(f"  server {server.name}: pid {server.process.pid} on {server.url}, {server.logname}")
    deadline = time.time() + 60
    while not holder_of(db) and time.time() < deadline:
        time.sleep(0.5)
    log(f"  runner lock held by server {holder_of(db)}")
    return servers


def step_jobs(db, period, step):
    """The step's last batch (id, state) and its jobs' uuids."""
    rows = sql(
        db,
        """SELECT b.id, b.state, b.finish_job_uuid,
                  array_agg(c.job_uuid) FILTER (WHERE c.job_uuid IS NOT NULL)
             FROM hr_kpi_job_batch b LEFT JOIN hr_kpi_job_chunk c ON c.batch_id = b.id
            WHERE b.period_id = %s AND b.step = %s
            GROUP BY b.id ORDER BY b.id DESC LIMIT 1""",
        [period, step],
    )
    if not rows:
        return None, None, []
    batch, state, finish, uuids = rows[0]
    return batch, state, [*(uuids or []), *([finish] if finish else [])]


def started_job(db, batch, min_age_s):
    """(worker pid, chunk sequence) of a job of `batch` running (queue_job's
    date_started is in whole seconds) for `min_age_s` already."""
    rows = sql(
        db,
        """SELECT q.worker_pid, c.sequence FROM queue_job q
             JOIN hr_kpi_job_chunk c ON c.job_uuid = q.uuid
            WHERE c.batch_id = %s AND q.state = 'started' AND q.worker_pid IS NOT NULL
              AND q.date_started <= now() at time zone 'utc' - make_interval(secs => %s)
            LIMIT 1""",
        [batch, min_age_s],
    )
    return rows[0] if rows else None


def watch_step(db, ids, step, servers, plan, state, timeout):
    """Until the step's batch is no longer running: samples the runner lock's holder,
    kills what `plan` says when a job of the step runs (`worker`: that job's worker;
    `failover`: the whole server holding the runner), the workers' peak memory."""
    started = time.time()
    while True:
        batch, batch_state, _uuids = step_jobs(db, ids["period"], step)
        holder = holder_of(db)
        if not state["holders"] or state["holders"][-1][1] != holder:
            state["holders"].append((time.time(), holder))
        failover = state.get("failover")
        if failover and failover.get("killed") and "takeover_s" not in failover and holder:
            failover["takeover_s"] = time.time() - failover["killed_at"]
            failover["new_holder"] = holder
            log(f"  server {holder}'s runner took the lock {failover['takeover_s']:.1f} s later")
        # a worker in a job that runs for a second; the runner's server as soon as a
        # job runs (a short job may end before it has run a second)
        min_age_s = 1 if plan.get(step) == "worker" else 0
        job = batch and batch_state == "running" and step in plan and started_job(
            db, batch, min_age_s
        )
        if job and plan[step] == "worker" and step not in state["worker_kills"]:
            os.kill(job[0], signal.SIGKILL)
            state["worker_kills"][step] = f"worker {job[0]} killed in job {job[1]}"
            log(f"  SIGKILL worker {job[0]} in the middle of {step} job {job[1]}")
        names = {server.name for server in servers if server.alive}
        if job and plan[step] == "failover" and not failover.get("killed") and holder in names:
            victim = next(server for server in servers if server.name == holder)
            victim.kill()
            failover.update(killed=victim.name, killed_at=victim.killed_at, step=step,
                            job=job[1], into_step_s=victim.killed_at - started)  # fmt: skip
            log(f"  SIGKILL server {victim.name} (its runner held the lock) in {step} job {job[1]}")
        for server in servers:
            for pid in server.pids() if server.alive else ():
                state["peak_mb"] = max(state["peak_mb"], vm_hwm_mb(pid))
        if not batch or batch_state != "running":
            return batch_state or "in request"
        if time.time() - started > timeout:
            raise RuntimeError(f"{step} still running after {timeout} s")
        # a kill to come: look often, short jobs end between two looks
        waiting_kill = plan.get(step) == "failover" and not failover.get("killed")
        time.sleep(0.1 if waiting_kill or plan.get(step) == "worker" else 0.5)


def job_outcomes(db, uuids):
    rows = sql(
        db,
        "SELECT count(*), count(*) FILTER (WHERE state = 'failed') FROM queue_job "
        "WHERE uuid = ANY(%s)",
        [list(uuids)],
    )
    return rows[0]


def run_jobs(registry, db, ids, args, steps, plan, timeout=3600):
    """The month through jobs on two servers (A and B, --workers=2 each, one database).
    `plan`: {step: "worker"|"failover"}. Returns (step results, state)."""
    payslip_chunk = args.payslip_chunk or max(args.chunk // 5, 1)
    set_job_params(registry, args.threshold, args.chunk, payslip_chunk)
    state = {"holders": [], "worker_kills": {}, "peak_mb": 0.0, "presses": []}
    if "failover" in plan.values():
        state["failover"] = {}
    servers = start_servers(db, args.ports, args.gevent_ports, args.pidfile, args.logdir)
    results = []
    try:
        # a user logged in through the first server; the others read his session
        browser, uid = two_servers.web_login(servers[0], ids["login"], PASSWORD)
        seen = {server.name: two_servers.session_uid(browser, server) for server in servers}
        state["session"] = {"login uid": uid, "seen at start": seen}
        for index, (step, method) in enumerate(steps):
            # the presses come through the proxy: to each living server in turn
            living = [server for server in servers if server.alive]
            server = living[index % len(living)]
            common = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/common")
            uid = common.authenticate(db, ids["login"], PASSWORD, {})
            models = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object", allow_none=True)
            started = time.time()
            action = models.execute_kw(
                db, uid, PASSWORD, "hr.kpi.period", method, [[ids["period"]]],
                {"context": {"lang": "en_US", "allowed_company_ids": ids["companies"]}},
            )  # fmt: skip
            request_s = time.time() - started
            state["presses"].append((server.name, started, time.time()))
            batch_state = watch_step(db, ids, step, servers, plan, state, timeout)
            elapsed = time.time() - started
            _batch, _state, uuids = step_jobs(db, ids["period"], step)
            jobs, failed = job_outcomes(db, uuids)
            message = action.get("params", {}).get("message", "")
            results.append({"step": step, "s": elapsed, "request_s": request_s, "jobs": jobs,
                            "failed": failed, "state": batch_state, "uuids": uuids,
                            "pressed_on": server.name})  # fmt: skip
            log(f"  {step}: {elapsed:.1f} s, press {request_s:.1f} s on {server.name}, "
                f"{jobs} jobs ({failed} failed), {batch_state} — {message}")  # fmt: skip
            if step == "generate":
                send_to_review(registry, ids)
        state["session"]["seen at the end"] = {
            server.name: two_servers.session_uid(browser, server)
            for server in servers
            if server.alive
        }
    finally:
        for server in servers:
            server.stop()
        log("  servers stopped")
    add_request_figures(results, servers, state)
    state["runners"] = runner_proof(servers, state)
    return results, state


def add_request_figures(results, servers, state):
    """Each step's queries and longest request from the servers' access logs: its
    press and every run of its jobs, on whichever server they ran."""
    requests = [request for server in servers for request in server.requests()]
    by_job = {}
    for request in requests:
        if request["job"]:
            by_job.setdefault(request["job"], []).append(request)
    for result, (name, begin, end) in zip(results, state["presses"], strict=True):
        server = next(server for server in servers if server.name == name)
        press = [r for r in server.requests() if r["path"] == "/xmlrpc/2/object"
                 and begin - 1 <= r["at"] <= end + 1]  # fmt: skip
        runs = [r for uuid in result["uuids"] for r in by_job.get(uuid, [])]
        result["queries"] = sum(r["queries"] for r in press + runs)
        result["longest_request_s"] = max((r["seconds"] for r in press + runs), default=0.0)
        result["job_runs"] = len(runs)
        del result["uuids"]


def runner_proof(servers, state):
    """Which runner dispatched what: per server, its dispatches and the window they
    fall in; `overlap` is true if two servers' runners dispatched in the same time."""
    windows, by_server = {}, []
    for server in servers:
        dispatches = server.dispatches()
        by_server.append({uuid for _at, uuid in dispatches})
        times = [at for at, _uuid in dispatches]
        windows[server.name] = {
            "dispatched": len(times),
            "first": min(times, default=None),
            "last": max(times, default=None),
            "took the lock at": server.runner_ready_times(),
        }
    spans = sorted((w["first"], w["last"]) for w in windows.values() if w["first"])
    overlap = any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(spans))
    holders = [name for _at, name in state["holders"] if name]
    in_turn = [name for i, name in enumerate(holders) if i == 0 or holders[i - 1] != name]
    # a job dispatched by two runners: the one the killed server ran, requeued
    again = set.intersection(*by_server) if len(by_server) > 1 else set()
    return {"servers": windows, "overlap": overlap, "holders in turn": in_turn,
            "dispatched again by the next runner": len(again)}  # fmt: skip


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------
def print_side_by_side(n, inprocess, jobs, args):
    print(f"\nMonth-end, {n} employees: one process | jobs on two servers (--workers=2 each, "
          f"threshold {args.threshold}, chunks of {args.chunk})")  # fmt: skip
    print(f"  {'step':<15} {'1 proc s':>9} {'queries':>9} {'q/empl':>7} | {'2 srv s':>8} "
          f"{'press s':>8} {'jobs':>5} {'queries':>9} {'longest req s':>13}")  # fmt: skip
    by_step = {r["step"]: r for r in jobs or []}
    for r in inprocess or [{"step": r["step"]} for r in jobs or []]:
        j = by_step.get(r["step"], {})
        left = (f"{r['s']:9.1f} {r['queries']:9d} {r['queries'] / n:7.2f}" if "s" in r
                else f"{'':9} {'':9} {'':7}")  # fmt: skip
        right = (f"{j['s']:8.1f} {j['request_s']:8.1f} {j['jobs']:5d} {j['queries']:9d} "
                 f"{j['longest_request_s']:13.1f}" if j else "")  # fmt: skip
        print(f"  {r['step']:<15} {left} | {right}")
    print(f"  (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: the "
          "machine's other work inflates the times, not the queries)")
    if inprocess:
        print(f"  one process: {sum(r['s'] for r in inprocess):.1f} s, longest request "
              f"{max(r['s'] for r in inprocess):.1f} s (target < {TARGET_REQUEST_S:.0f} s)")
    if jobs:
        print(f"  two servers: {sum(r['s'] for r in jobs):.1f} s, longest request "
              f"{max(r['longest_request_s'] for r in jobs):.1f} s (target < "
              f"{TARGET_REQUEST_S:.0f} s)")  # fmt: skip


def print_counts(label, counts):
    verdict = "EXACT" if counts["exact"] else "NOT EXACT"
    print(f"  {label} counts {verdict}: {counts['totals']}")
    for what, value in counts["wrong"].items():
        if value:
            print(f"    {what}: {value}")


def print_session(session):
    print(f"    a session opened on A (uid {session['login uid']}): read at start by "
          f"{session['seen at start']}, at the end by {session.get('seen at the end')}")


def print_runners(proof):
    for name, window in proof["servers"].items():
        print(f"    server {name}: runner dispatched {window['dispatched']} jobs")
    print(f"    runner lock held in turn by: {' -> '.join(proof['holders in turn']) or 'nobody'}; "
          f"two runners dispatching at once: {'YES' if proof['overlap'] else 'never'}; "
          f"jobs of the dead runner dispatched again by the next: "
          f"{proof['dispatched again by the next runner']}")


def print_failover(n, results, state, counts):
    failover = state.get("failover") or {}
    print(f"\nFailover, {n} employees (two servers; the one whose runner holds the lock "
          "SIGKILLed as a whole process group during a job):")
    if not failover.get("killed"):
        print("  NOT DONE: no job of the step ran long enough to kill its server")
    else:
        print(f"  server {failover['killed']} killed {failover['into_step_s']:.1f} s into "
              f"{failover['step']} (job {failover['job']}); server "
              f"{failover.get('new_holder', '?')}'s runner took the lock "
              f"{failover.get('takeover_s', float('nan')):.1f} s later")
        step = next(r for r in results if r["step"] == failover["step"])
        after = step["s"] - failover["into_step_s"]
        print(f"  {failover['step']} ended {step['state']} {after:.1f} s "
              f"after the kill ({step['job_runs']} job runs for {step['jobs']} jobs, "
              f"{step['failed']} failed); month-end {sum(r['s'] for r in results):.1f} s in all")
    print_runners(state["runners"])
    print_session(state["session"])
    print_counts("failover", counts)


# ----------------------------------------------------------------------
def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="kpi_jobs_bench")
    parser.add_argument("--employees", type=int, default=20000)
    parser.add_argument("--modes", default="inprocess,jobs,failover")
    parser.add_argument(
        "--failover-employees", type=int, default=2000, help="the failover run's size"
    )
    parser.add_argument("--failover-step", default="payslip_batch",
                        help="the step during which the runner's server is killed")  # fmt: skip
    parser.add_argument("--kill", default="", help="steps in which a worker is killed (jobs)")
    parser.add_argument("--ports", default="8079,8080", help="the two servers' HTTP ports")
    parser.add_argument("--gevent-ports", default="8179,8180", help="their websocket ports")
    parser.add_argument("--threshold", type=int, default=1000, help="jobs mode's threshold")
    parser.add_argument("--chunk", type=int, default=500, help="jobs mode's chunk size")
    parser.add_argument("--payslip-chunk", type=int, default=0, help="default: a fifth")
    parser.add_argument("--timeout", type=int, default=3600, help="a step's limit, s")
    parser.add_argument("--no-update", action="store_true",
                        help="the database has the addons at this code: no -u first")  # fmt: skip
    parser.add_argument("--json", default="", help="where to write the figures")
    parser.add_argument("--logdir", default="", help="the servers' logs (default: /tmp)")
    parser.add_argument("--pidfile", default="",
                        help="the servers' process groups are appended there")  # fmt: skip
    parser.add_argument(
        "--companies",
        default="",
        help="a JSON file of companies built before (--build-only): each mode takes its "
        "own from it instead of building one (building 20,000 employees with contracts "
        "takes longer than the month-end itself); a company is used once",
    )
    parser.add_argument(
        "--steps",
        default=",".join(step for step, _method in STEPS),
        help="the steps to run, in their order (default: all); a step run again on the "
        "same company recomputes (star review, monthly stars, awards replace their records)",
    )
    parser.add_argument(
        "--profile", default="", help="in-process steps to run under cProfile (prints the top)"
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build one company per mode, write their ids to --companies, and stop",
    )
    args = parser.parse_args(argv)
    args.ports = [int(port) for port in args.ports.split(",")]
    args.gevent_ports = [int(port) for port in args.gevent_ports.split(",")]
    return args


def main(argv=None):
    args = parse_args(argv)
    modes = args.modes.split(",")
    wanted = set(args.steps.split(","))
    steps = [(step, method) for step, method in STEPS if step in wanted]
    registry = open_registry(args.db, update=not args.no_update)
    n = args.employees
    sizes = {"inprocess": n, "jobs": n, "failover": args.failover_employees}
    print(f"Month-end benchmark, {n} employees x 3 indicators (failover: "
          f"{args.failover_employees}), database {args.db}", flush=True)  # fmt: skip
    if args.build_only:
        built = {mode: build_company(registry, mode, sizes[mode]) for mode in modes}
        with open(args.companies or f"bench_month_end_{n}.json", "w") as out:
            json.dump(built, out, indent=1)
        print(f"built {', '.join(modes)}: {args.companies}")
        return 0
    prebuilt = {}
    if args.companies:
        with open(args.companies) as source:
            prebuilt = json.load(source)

    def company(mode):
        return prebuilt[mode] if mode in prebuilt else build_company(registry, mode, sizes[mode])

    report = {}
    if "inprocess" in modes:
        ids = company("inprocess")
        results = run_inprocess(registry, ids, steps, args.profile.split(","))
        report["inprocess"] = {"steps": results, "counts": exact_counts(registry, ids)}
    if "jobs" in modes:
        ids = company("jobs")
        plan = {step: "worker" for step in args.kill.split(",") if step}
        results, state = run_jobs(registry, args.db, ids, args, steps, plan, args.timeout)
        report["jobs"] = {"steps": results, "counts": exact_counts(registry, ids), **state}
    if "inprocess" in report or "jobs" in report:
        print_side_by_side(n, report.get("inprocess", {}).get("steps"),
                           report.get("jobs", {}).get("steps"), args)  # fmt: skip
    for mode in ("inprocess", "jobs"):
        if mode in report:
            print_counts(mode, report[mode]["counts"])
    if "jobs" in report:
        print(f"  two servers' runners (workers' peak {report['jobs']['peak_mb']:.0f} MB; "
              f"workers killed: {report['jobs']['worker_kills'] or 'none'}):")
        print_runners(report["jobs"]["runners"])
    if "failover" in modes:
        ids = company("failover")
        plan = {args.failover_step: "failover"}
        results, state = run_jobs(registry, args.db, ids, args, steps, plan, args.timeout)
        counts = exact_counts(registry, ids)
        log("  counted")
        report["failover"] = {"steps": results, "counts": counts, "ids": ids, **state}
        print_failover(args.failover_employees, results, state, counts)
    path = args.json or os.path.join(tempfile.gettempdir(), f"bench_month_end_{n}.json")
    with open(path, "w") as out:
        json.dump(report, out, indent=1, default=str)
    print(f"\n(figures also in {path})", flush=True)
    exact = all(mode["counts"]["exact"] for mode in report.values())
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
