#!/usr/bin/env python3
"""Month-end at scale (issue 11 item 5): the period's steps for N employees, twice.

    python3 scripts/bench_month_end.py [--db kpi_jobs_bench] [--employees 20000]
                                       [--modes inprocess,jobs] [--kill generate,payslip_batch]

Steps, each as the KPI officer (also payroll officer) pressing the period's button:
generate -> (values typed, evaluations sent to HR review: not measured) -> compute
scores -> approve -> star review -> monthly stars -> awards -> payslip batch (OCA's
batch wizard: payslips with their KPI lines, computed).

* inprocess: in this process, one transaction per step (committed), below the
  background threshold (set to N + 1): wall time, SQL queries and queries per
  employee per step, the process's peak memory (ru_maxrss).
* jobs: an Odoo server started here with --workers=2, queue_job in
  server_wide_modules, channels root:2,root.hr_kpi:2 (threshold 1,000, chunks of 500);
  the buttons are pressed over XML-RPC; wall time per step from the press to the
  step's last job; the longest single request (the presses and every job, each an
  HTTP request of a worker, target < 60 s); the workers' peak memory (VmHWM). With
  --kill STEP, a worker running a job of STEP is killed (SIGKILL) in the middle of
  it; the module's cron requeues the job and the counts are checked exact.

Each mode works on its own company of N employees (3 indicators each, a contract,
the seed star levels), created and committed in the benchmark database (kept for
inspection; --fresh drops the companies' data first by using new ones). The machine
is shared: absolute times are inflated while other work runs; query counts are not.
"""

import argparse
import cProfile
import io
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
from datetime import date

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "hr_kpi_service"
MONTH = date(2026, 11, 1)
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


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------
# Database and data (in this process, committed)
# ----------------------------------------------------------------------
def open_registry(db):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-d", db, "--addons-path", REPO, "--log-level", "warn"])
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        exists = cr.fetchone()
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
                     "date_start": date(2026, 1, 1), "struct_id": structure.id,
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


def counts(registry, ids):
    """What must be exact after the month: nothing missing, nothing twice."""
    from odoo import api

    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        period = ids["period"]
        cr.execute(
            """SELECT count(*), count(DISTINCT employee_id),
                      count(*) FILTER (WHERE state = 'approved')
                 FROM hr_kpi_evaluation WHERE period_id = %s""",
            [period],
        )
        evaluations, employees, approved = cr.fetchone()
        cr.execute(
            """SELECT count(*), count(DISTINCT (l.evaluation_id, l.indicator_id))
                 FROM hr_kpi_evaluation_line l JOIN hr_kpi_evaluation e ON e.id = l.evaluation_id
                WHERE e.period_id = %s""",
            [period],
        )
        lines, distinct_lines = cr.fetchone()
        cr.execute(
            """SELECT count(*), count(DISTINCT s.employee_id),
                      (SELECT count(*) FROM hr_payslip_input i
                          JOIN hr_payslip s2 ON s2.id = i.payslip_id
                          JOIN hr_payslip_run r2 ON r2.id = s2.payslip_run_id
                        WHERE r2.company_id = %s AND r2.date_start = %s AND i.code LIKE 'KPI%%'),
                      (SELECT count(DISTINCT (i.payslip_id, i.code)) FROM hr_payslip_input i
                          JOIN hr_payslip s2 ON s2.id = i.payslip_id
                          JOIN hr_payslip_run r2 ON r2.id = s2.payslip_run_id
                        WHERE r2.company_id = %s AND r2.date_start = %s AND i.code LIKE 'KPI%%')
                 FROM hr_payslip s JOIN hr_payslip_run r ON r.id = s.payslip_run_id
                WHERE r.company_id = %s AND r.date_start = %s""",
            [ids["company"], MONTH] * 3,
        )
        slips, slip_employees, inputs, distinct_inputs = cr.fetchone()
        stars = env["hr.kpi.star.month"].search_count([("period_id", "=", period)])
    return {
        "evaluations": evaluations, "evaluated employees": employees, "approved": approved,
        "lines": lines, "distinct (evaluation, indicator)": distinct_lines,
        "payslips": slips, "employees paid": slip_employees, "KPI inputs": inputs,
        "distinct (payslip, code)": distinct_inputs, "monthly stars": stars,
    }  # fmt: skip


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
# Through jobs on a server with --workers=2
# ----------------------------------------------------------------------
def start_server(db, port):
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    # as README's deployment: the month-end channel gets its capacity (undeclared, a
    # channel runs one job at a time)
    conf.write(f"[options]\nhttp_port = {port}\n[queue_job]\nchannels = root:2,root.hr_kpi:2\n")
    conf.close()
    logfile = open(os.path.join(tempfile.gettempdir(), f"bench_month_end_{port}.log"), "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "odoo", "-c", conf.name, f"--addons-path={REPO}", "-d", db,
         f"--db-filter=^{db}$", "--workers=2", "--max-cron-threads=1",
         "--load=base,web,queue_job", "--limit-time-real=300",
         "--limit-time-cpu=300", "--log-level=info"],
        stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _i in range(120):
        try:
            xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
            break
        except OSError:
            time.sleep(1)
    return server, url, logfile.name


def worker_pids(server):
    out = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


def vm_hwm_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


def run_jobs(registry, db, ids, port, kill_steps, threshold, chunk, steps=STEPS):
    import odoo

    with registry.cursor() as cr:
        from odoo import api

        params = api.Environment(cr, 1, {})["ir.config_parameter"]
        params.set_param("hr_kpi_service.job_threshold", str(threshold))
        params.set_param("hr_kpi_service.job_chunk_size", str(chunk))
        params.set_param("hr_kpi_service.job_chunk_size_payslip", str(max(chunk // 5, 1)))
    server, url, logname = start_server(db, port)
    log(f"  server pid {server.pid} on {url}, log {logname}")
    results, peak, kills = [], 0.0, []
    try:
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        uid = common.authenticate(db, ids["login"], PASSWORD, {})
        models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        # the runner needs a moment to find the database and take its lock
        for _i in range(60):
            with odoo.sql_db.db_connect(db).cursor() as cr:
                cr.execute("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1")
                if cr.fetchone():
                    break
            time.sleep(1)
        for step, method in steps:
            started = time.time()
            action = models.execute_kw(
                db, uid, PASSWORD, "hr.kpi.period", method, [[ids["period"]]],
                {"context": {"lang": "en_US", "allowed_company_ids": ids["companies"]}},
            )  # fmt: skip
            request_s = time.time() - started
            killed = False
            while True:
                with odoo.sql_db.db_connect(db).cursor() as cr:
                    cr.execute(
                        """SELECT id, state FROM hr_kpi_job_batch
                            WHERE period_id = %s AND step = %s ORDER BY id DESC LIMIT 1""",
                        [ids["period"], step],
                    )
                    batch = cr.fetchone()
                    if step in kill_steps and not killed and batch:
                        cr.execute(
                            """SELECT q.worker_pid, c.sequence FROM queue_job q
                                 JOIN hr_kpi_job_chunk c ON c.job_uuid = q.uuid
                                WHERE c.batch_id = %s AND q.state = 'started'
                                  AND q.date_started < now() at time zone 'utc' - interval '1 s'
                                LIMIT 1""",
                            [batch[0]],
                        )
                        row = cr.fetchone()
                        if row and row[0]:
                            os.kill(row[0], signal.SIGKILL)
                            killed = True
                            kills.append(f"{step}: worker {row[0]} killed in job {row[1]}")
                            log(f"  SIGKILL worker {row[0]} in the middle of {step} job {row[1]}")
                for pid in worker_pids(server):
                    peak = max(peak, vm_hwm_mb(pid))
                if not batch or batch[1] != "running":
                    break
                time.sleep(1)
            elapsed = time.time() - started
            with odoo.sql_db.db_connect(db).cursor() as cr:
                cr.execute(
                    """SELECT count(*), max(extract(epoch FROM q.date_done - q.date_started)),
                              count(*) FILTER (WHERE q.state = 'failed')
                         FROM queue_job q
                        WHERE q.uuid IN (SELECT c.job_uuid FROM hr_kpi_job_chunk c
                                          JOIN hr_kpi_job_batch b ON b.id = c.batch_id
                                         WHERE b.period_id = %s AND b.step = %s
                                         UNION SELECT b.finish_job_uuid FROM hr_kpi_job_batch b
                                         WHERE b.period_id = %s AND b.step = %s)""",
                    [ids["period"], step] * 2,
                )
                jobs, longest_job, failed = cr.fetchone()
                cr.execute(
                    "SELECT state FROM hr_kpi_job_batch WHERE period_id = %s AND step = %s "
                    "ORDER BY id DESC LIMIT 1",
                    [ids["period"], step],
                )
                state = (cr.fetchone() or ["in request"])[0]
            message = action.get("params", {}).get("message", "")
            results.append(
                {"step": step, "s": elapsed, "request_s": request_s, "jobs": jobs,
                 "longest_job_s": float(longest_job or 0), "failed": failed, "state": state}
            )  # fmt: skip
            log(
                f"  {step}: {elapsed:.1f} s, press {request_s:.1f} s, {jobs} jobs "
                f"(longest {float(longest_job or 0):.1f} s, {failed} failed), {state} — {message}"
            )
            if state == "failed":
                log("  step failed: see the period's chatter")
            if step == "generate":
                send_to_review(registry, ids)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    return results, peak, kills


# ----------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="kpi_jobs_bench")
    parser.add_argument("--employees", type=int, default=20000)
    parser.add_argument("--modes", default="inprocess,jobs")
    parser.add_argument("--kill", default="generate,payslip_batch")
    parser.add_argument("--port", type=int, default=8079)
    parser.add_argument("--threshold", type=int, default=1000, help="jobs mode's threshold")
    parser.add_argument(
        "--chunk", type=int, default=500, help="jobs mode's chunk size (payslips: a fifth)"
    )
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
    modes = args.modes.split(",")
    wanted = set(args.steps.split(","))
    steps = [(step, method) for step, method in STEPS if step in wanted]
    registry = open_registry(args.db)
    n = args.employees
    print(f"Month-end benchmark, {n} employees x 3 indicators, database {args.db}", flush=True)
    if args.build_only:
        built = {mode: build_company(registry, mode, n) for mode in modes}
        with open(args.companies or f"bench_month_end_{n}.json", "w") as out:
            json.dump(built, out, indent=1)
        print(f"built {', '.join(modes)}: {args.companies}")
        return
    prebuilt = {}
    if args.companies:
        with open(args.companies) as source:
            prebuilt = json.load(source)

    def company(mode):
        return prebuilt[mode] if mode in prebuilt else build_company(registry, mode, n)

    report = {}
    if "inprocess" in modes:
        ids = company("inprocess")
        results = run_inprocess(registry, ids, steps, args.profile.split(","))
        report["inprocess"] = {"steps": results, "counts": counts(registry, ids)}
        print("\nIn one process (one request per step):")
        for r in results:
            print(
                f"  {r['step']:<15} {r['s']:8.1f} s  {r['queries']:>8} queries  "
                f"{r['queries'] / n:6.2f} q/employee  peak {r['peak_mb']:.0f} MB"
            )
        longest = max(r["s"] for r in results)
        print(
            f"  total {sum(r['s'] for r in results):.1f} s; longest single request "
            f"{longest:.1f} s (target < {TARGET_REQUEST_S:.0f} s)"
        )
        print(f"  counts: {report['inprocess']['counts']}", flush=True)
    if "jobs" in modes:
        ids = company("jobs")
        kill = [s for s in args.kill.split(",") if s]
        results, peak, kills = run_jobs(
            registry, args.db, ids, args.port, kill, args.threshold, args.chunk, steps
        )
        report["jobs"] = {"steps": results, "counts": counts(registry, ids), "kills": kills}
        print(
            f"\nThrough jobs (--workers=2, queue_job root:2,root.hr_kpi:2, threshold "
            f"{args.threshold}, chunks of {args.chunk}):"
        )
        for r in results:
            print(
                f"  {r['step']:<15} {r['s']:8.1f} s  press {r['request_s']:5.1f} s  "
                f"{r['jobs']:>3} jobs, longest {r['longest_job_s']:5.1f} s, {r['failed']} failed"
                f"  ({r['state']})"
            )
        longest = max(max(r["request_s"], r["longest_job_s"]) for r in results)
        print(f"  total {sum(r['s'] for r in results):.1f} s; longest single request "
              f"{longest:.1f} s (target < {TARGET_REQUEST_S:.0f} s); workers' peak "
              f"{peak:.0f} MB")  # fmt: skip
        print(f"  killed: {kills or 'none'}")
        print(f"  counts: {report['jobs']['counts']}", flush=True)
    path = os.path.join(tempfile.gettempdir(), f"bench_month_end_{n}.json")
    with open(path, "w") as out:
        json.dump(report, out, indent=1, default=str)
    print(f"\n(figures also in {path})")


if __name__ == "__main__":
    main()
