#!/usr/bin/env python3
"""Benchmark of the evaluations' month-end: generate, score, approve, rank (DESIGN.md §2).

DESIGN §2 asks the ORM layer to gather inputs for many employees "with a
constant number of queries" and to write results back in batch. This script
checks that on a real database, and the target of issue 23 (issue 11 asked 5 s):
the four steps for 2,000 employees x 10 indicators in under 3 s on a quiet machine
(the CPU time of this process and the load average are printed beside the wall
time, for a run on a shared machine):

    python3 scripts/bench_evaluations.py [--db kpi_bench] [--sizes 200,2000] [--indicators 10]
                                         [--profile generate,score,approve,rank]

The run happens in a throwaway copy of the database (`<db>_bench_<pid>`, made from
--db once the addon is current there, and dropped at the end, also on failure):
every step commits, as the period's buttons do, so nothing is rolled back and
--db itself is never written to. For every size it builds, in a company of its own
(a database with demo data has other employees on monthly schemes in the main
company), a scheme with N indicators of mixed scoring methods, a job holding `size`
employees, a monthly period and a KPI officer who is not evaluated, then measures as
that officer (real actions, with their group, four-eyes, row-lock and
protected-field checks), each step in a transaction of its own:

  generate  hr.kpi.evaluation._generate(period), as the generation wizard calls it
  values    the actuals typed, one write per (indicator, distinct value) with the
            value-entry checks (the month's data entry: shown, not in the target)
  score     action_compute_scores()
  approve   action_approve() on all: scores, grades, ranks, approves
  rank      _compute_rankings() of the period alone (a re-rank)

The actuals are drawn per employee and indicator from realistic spreads (seeded, so
every run draws the same), so that totals, grades and ranks differ as in a real month:
the distinct totals and ranks are printed.

--profile runs the named steps once more at the largest size under cProfile and
prints the top of each profile (cumulative and own time); with the environment
variable BENCH_PROFILE_DIR set, the whole profile is also saved there as STEP.prof
(for pstats: callers, callees).

One transaction per step matters: PostgreSQL checks again every foreign key of a row
updated by the transaction that inserted it (a check it skips for rows inserted by an
earlier transaction). An earlier version ran all steps in one rolled-back transaction
and so counted about 0.4 s of such checks in Compute Scores alone that a month-end
never makes.

Each step starts with an empty record cache and a new cursor (as a new request
would) and ends with cr.commit(): the pending writes are flushed, the precommit hooks
(mail tracking) run and the transaction commits, all inside the measured time.

The database --db is the template of the copy: created with the addon (no demo data) when
missing, installed/updated when the addon is missing, its version changed or a
stored field of the addon has no column yet (code changed without a version
bump), reused otherwise.
"""

import argparse
import cProfile
import logging
import os
import pstats
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from contextlib import closing, contextmanager
from datetime import date

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "hr_kpi_service"
TARGET_SIZE = 2000
TARGET_SECONDS = 3.0
QUERY_GROWTH_LIMIT = 1.5
BULK_ROWS = 10  # an INSERT/UPDATE of this many rows or more is a bulk write
BULK_READ_ROWS = 1000  # a SELECT of this many rows is a full read batch of the ORM
BULK_MIN_ROWS = 50  # ... and bulk statements must average this many rows
WARMUP_SIZE = 20
PROFILE_LINES = 30
SEED = 2026  # the actuals are drawn per (employee, indicator) from this seed

# Indicator templates, cycled to reach --indicators. `draw(rng)` is the actual of
# one employee (a dict of line fields when more than the actual), drawn from a
# spread of realistic values: totals, grades and ranks differ from employee to
# employee as in a real month, not in a handful of buckets.
# Weights are assigned afterwards so that the weighted ones sum to 100.
INDICATOR_TEMPLATES = [
    {
        "vals": {"name": "Achievement ratio", "scoring_method": "ratio", "target": 100, "cap": 120},
        "draw": lambda rng: rng.randint(60, 135),
    },
    {
        "vals": {
            "name": "Banded points",
            "scoring_method": "banded",
            "target": 100,
            "stretch": 120,
        },
        "draw": lambda rng: rng.randint(60, 130),
    },
    {
        "vals": {
            "name": "Deduction per incident (typed)",
            "scoring_method": "deduction",
            "full_points": 50,
            "deduction_cost": 1,
            "deduction_cost_major": 12,
        },
        "draw": lambda rng: {
            "actual_value": rng.choices([0, 1, 2, 3, 4, 6], [45, 25, 12, 8, 6, 4])[0],
            "actual_major": 1 if rng.random() < 0.1 else 0,
        },
    },
    {
        "vals": {"name": "Manual rating", "scoring_method": "manual", "rater_role": "superior"},
        "draw": lambda rng: rng.randint(55, 100),
    },
    {
        "vals": {
            "name": "Threshold bands (%)",
            "scoring_method": "threshold",
            "full_points": 10,
            "band_ids": [
                (0, 0, {"lower": 100, "no_upper": True, "value": 0, "sequence": 1}),
                (0, 0, {"lower": 95, "upper": 100, "value": 1, "sequence": 2}),
                (0, 0, {"lower": 80, "upper": 95, "value": 2, "sequence": 3}),
                (0, 0, {"lower": 75, "upper": 80, "value": 3, "sequence": 4}),
                (0, 0, {"no_lower": True, "upper": 75, "value": 5, "sequence": 5}),
            ],
        },
        "draw": lambda rng: rng.randint(65, 100),
    },
    {
        "vals": {"name": "Survey (Likert 20)", "scoring_method": "likert", "likert_scale": "20"},
        "draw": lambda rng: rng.randint(6, 20),
    },
    {
        "vals": {
            "name": "Linear per unit",
            "scoring_method": "linear",
            "direction": "lower",
            "full_points": 10,
            "linear_limit": 2,
            "linear_step": 0.5,
            "linear_points": 2,
            "linear_zero_beyond": 5,
        },
        "draw": lambda rng: rng.randint(2, 10) / 2,
    },
    {
        # Actual counted from confirmed incidents by _compute_scores when the
        # record models exist; typed like the others otherwise.
        "vals": {
            "name": "Complaints (from incidents)",
            "scoring_method": "deduction",
            "full_points": 30,
            "deduction_cost": 6,
            "deduction_cost_major": 12,
        },
        "sourced": "incident_count",
        "draw": lambda rng: {
            "actual_value": rng.choices([0, 1, 2, 3], [60, 25, 10, 5])[0],
            "actual_major": 1 if rng.random() < 0.05 else 0,
        },
    },
    {
        "vals": {
            "name": "Capped penalty",
            "scoring_method": "penalty",
            "penalty_per_unit": 2,
            "penalty_cap": 10,
        },
        "weightless": True,
        "draw": lambda rng: rng.choices([0, 1, 2, 3, 6], [50, 20, 15, 10, 5])[0],
    },
    {
        "vals": {"name": "Veto item", "scoring_method": "veto"},
        "weightless": True,
        "draw": lambda rng: 0 if rng.random() < 0.02 else 1,
    },
    {
        "vals": {
            "name": "Escalating deduction",
            "scoring_method": "escalating",
            "full_points": 10,
        },
        "draw": lambda rng: rng.choices([0, 1, 2, 3, 4], [40, 25, 15, 12, 8])[0],
    },
    {
        "vals": {"name": "Self assessment", "scoring_method": "manual", "rater_role": "self"},
        "draw": lambda rng: rng.randint(60, 100),
    },
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="kpi_bench", help="database (created if missing)")
    parser.add_argument(
        "--sizes", default="200,2000", help="comma-separated employee counts (default 200,2000)"
    )
    parser.add_argument(
        "--indicators", type=int, default=10, help="indicators in the scheme (default 10)"
    )
    parser.add_argument(
        "--profile",
        default="",
        help="comma-separated steps to run once more under cProfile at the largest size "
        f"({', '.join(step for step, _key in STEPS)}); prints the top of each profile",
    )
    args = parser.parse_args(argv)
    args.profile = [step for step in args.profile.split(",") if step.strip()]
    unknown = set(args.profile) - {step for step, _key in STEPS}
    if unknown:
        parser.error(f"--profile: unknown step(s) {', '.join(sorted(unknown))}")
    try:
        args.sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        parser.error("--sizes must be comma-separated integers, e.g. 200,2000")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes needs at least one positive employee count")
    if args.indicators < 1:
        parser.error("--indicators must be at least 1")
    return args


# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------


def _module_state(db):
    """(exists, state, installed version) of the addon in `db`."""
    import psycopg2

    import odoo

    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        if not cr.fetchone():
            return False, None, None
    try:
        with odoo.sql_db.db_connect(db).cursor() as cr:
            cr.execute(
                "SELECT state, latest_version FROM ir_module_module WHERE name = %s", [MODULE]
            )
            row = cr.fetchone()
    except psycopg2.Error:  # an empty or foreign database: (re)install
        row = None
    finally:
        odoo.sql_db.close_db(db)
    return True, row[0] if row else None, row[1] if row else None


def ensure_database(db):
    """Create `db` with the addon if missing; install/update it when needed."""
    import odoo

    exists, state, version = _module_state(db)
    wanted = odoo.modules.module.get_manifest(MODULE)["version"]
    if exists and state == "installed" and version == wanted:
        return "reused"
    if exists and state == "installed":
        _run_odoo(db, "-u", f"updating {MODULE} {version} -> {wanted}")
        return "updated"
    if exists:
        _run_odoo(db, "-i", f"installing {MODULE} (state: {state or 'absent'})")
        return "installed"
    _run_odoo(db, "-i", f"creating the database with {MODULE}, no demo data")
    return "created"


def _run_odoo(db, flag, reason):
    """Install (-i) or update (-u) the addon in `db` in a separate Odoo process."""
    print(f"{db}: {reason} (takes a minute or two) ...", file=sys.stderr, flush=True)
    command = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={REPO}",
        "-d",
        db,
        flag,
        MODULE,
        "--without-demo=all",
        "--stop-after-init",
        "--log-level=warn",
    ]
    if subprocess.run(command, cwd=REPO, check=False).returncode:
        sys.exit(f"{db}: `{' '.join(command)}` failed; see the log above.")
    _exists, state, _version = _module_state(db)
    if state != "installed":
        sys.exit(f"{db}: {MODULE} is still not installed (state: {state}); see the log above.")


def _missing_columns(registry):
    """Stored fields of the addon without their column: the code changed since the
    last install/update without a version bump."""
    cr = registry.cursor()
    try:
        cr.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema()"
        )
        columns = set(cr.fetchall())
    finally:
        cr.rollback()  # a read only: nothing to keep
        cr.close()
    missing = []
    for model in registry.values():
        if model._abstract or not model._auto:
            continue
        for name, field in model._fields.items():
            if field.store and field.column_type and getattr(field, "_module", None) == MODULE:
                if (model._table, name) not in columns:
                    missing.append(f"{model._name}.{name}")
    return sorted(missing)


# ---------------------------------------------------------------------------
# Fixture (committed in the throwaway copy)
# ---------------------------------------------------------------------------


def _indicator_plan(count):
    """Templates for `count` indicators, with weights of the weighted ones summing to 100."""
    plan = [dict(INDICATOR_TEMPLATES[i % len(INDICATOR_TEMPLATES)]) for i in range(count)]
    weighted = [item for item in plan if not item.get("weightless")]
    if not weighted:  # e.g. --indicators 1 would otherwise never reach 100 %
        plan[0] = dict(INDICATOR_TEMPLATES[0])
        weighted = [plan[0]]
    base, extra = divmod(100, len(weighted))
    for index, item in enumerate(weighted):
        item["weight"] = base + (1 if index < extra else 0)
    return plan


def build_fixture(env, size, n_indicators):
    """Company records for one run: scheme, job, employees, period, incidents."""
    tag = f"bench-{size}-{time.time_ns()}"
    # A company of its own: a database with demo data (a helper's copy of the test
    # template) has other employees on monthly schemes in the main company.
    company = env["res.company"].create({"name": f"Bench company {tag}"})
    department = env["hr.department"].create({"name": f"Bench {tag}", "company_id": company.id})
    job = env["hr.job"].create(
        {"name": f"Bench rep {tag}", "company_id": company.id, "department_id": department.id}
    )
    scheme = env["hr.kpi.scheme"].create(
        {
            "name": f"Bench scheme {tag}",
            "code": tag,
            "company_id": company.id,
            "period_type": "monthly",
            "job_ids": [(6, 0, job.ids)],
        }
    )
    sourcing = "hr.kpi.incident" in env and "source_type" in env["hr.kpi.indicator"]._fields
    incident_type = major_type = None
    if sourcing:
        incident_type = env.ref(
            "hr_kpi_service.incident_type_valid_complaint", raise_if_not_found=False
        )
        major_type = env.ref(
            "hr_kpi_service.incident_type_major_complaint", raise_if_not_found=False
        )
        sourcing = bool(incident_type and major_type)
    plan = _indicator_plan(n_indicators)
    vals_list = []
    for sequence, item in enumerate(plan):
        vals = dict(
            item["vals"], scheme_id=scheme.id, sequence=sequence, weight=item.get("weight", 0)
        )
        vals["name"] = f"{sequence + 1:02d} {vals['name']}"
        if item.get("sourced") and sourcing:
            vals.update(
                source_type=item["sourced"],
                source_incident_type_ids=[(6, 0, incident_type.ids)],
                source_major_type_ids=[(6, 0, major_type.ids)],
            )
        vals_list.append(vals)
    indicators = env["hr.kpi.indicator"].create(vals_list)
    scheme._check_weights_for_activation()
    scheme.write({"state": "active"})
    env["hr.employee"]._recompute_kpi_scheme(company)

    manager = env["hr.employee"].create(
        {"name": f"Bench manager {tag}", "company_id": company.id, "department_id": department.id}
    )
    employees = env["hr.employee"].create(
        [
            {
                "name": f"Bench employee {index:05d}",
                "company_id": company.id,
                "department_id": department.id,
                "job_id": job.id,
                "parent_id": manager.id,
            }
            for index in range(size)
        ]
    )
    period = env["hr.kpi.period"]._get_or_create(date.today(), "monthly", company)
    # Each employee's actuals, drawn once: [employee index][indicator index].
    actuals = [
        [
            item["draw"](random.Random(f"{SEED}-{index}-{sequence}"))
            for sequence, item in enumerate(plan)
        ]
        for index in range(size)
    ]
    # Confirmed incidents matching the sourced indicator's draws.
    sourced_index = next((i for i, item in enumerate(plan) if item.get("sourced")), None)
    if sourcing and sourced_index is not None:
        day = period.date_from
        incidents = []
        for index, employee in enumerate(employees):
            drawn = actuals[index][sourced_index]
            counts = ((incident_type, drawn["actual_value"]), (major_type, drawn["actual_major"]))
            for kind, count in counts:
                incidents += [
                    {
                        "employee_id": employee.id,
                        "company_id": company.id,
                        "type_id": kind.id,
                        "date": day,
                        "confirmed": True,
                    }
                    for _ in range(int(count))
                ]
        env["hr.kpi.incident"].with_context(tracking_disable=True).create(incidents)
    return {
        "scheme": scheme,
        "indicators": indicators,
        "plan": plan,
        "employees": employees,
        "period": period,
        "sourcing": sourcing and sourced_index is not None,
        "actuals": actuals,
        "company": company,
    }


def _refuse_commit(*_args, **_kwargs):
    """The other benchmarks that reuse this module's helpers run rolled back: their
    cursor's commit is replaced by this."""
    raise RuntimeError("this benchmark never commits: the cursor is rolled back")


def _actual_writes(evaluations, fixture):
    """[(line ids, vals)]: one write per (indicator, distinct value), grouped outside
    the timing (as an import of the month's figures would group them)."""
    index_of = {employee.id: index for index, employee in enumerate(fixture["employees"])}
    sequence_of = {indicator.id: seq for seq, indicator in enumerate(fixture["indicators"])}
    by_key = defaultdict(list)
    for line in evaluations.line_ids:
        sequence = sequence_of[line.indicator_id.id]
        if fixture["sourcing"] and fixture["plan"][sequence].get("sourced"):
            continue  # filled from the incidents by _compute_scores
        value = fixture["actuals"][index_of[line.evaluation_id.employee_id.id]][sequence]
        vals = dict(value) if isinstance(value, dict) else {"actual_value": value}
        by_key[(line.indicator_id.id, tuple(sorted(vals.items())))].append(line.id)
    return [(ids, dict(key[1], has_actual=True)) for key, ids in sorted(by_key.items())]


# ---------------------------------------------------------------------------
# One run
# ---------------------------------------------------------------------------


class Measure:
    """Wall time and SQL query count of a block; ends with cr.commit() (flush, precommit
    hooks such as mail tracking, and the COMMIT itself): one step, one transaction.
    With commit=False (the other benchmarks, which run rolled back), it ends with the
    flush and the precommit hooks only, as a COMMIT would run them.

    Also the CPU time of this process (time.process_time: the Python side, less
    inflated than the wall time when other work shares the cores) and the time spent
    waiting for the queries (PostgreSQL's side, as the client sees it).

    Also counts the bulk statements, INSERT/UPDATE of BULK_ROWS rows or more and
    SELECT of BULK_READ_ROWS rows or more: the ORM writes at most 100 rows per
    statement and reads at most 1,000 records per query (PREFETCH_MAX), so their
    number necessarily grows with the rows written or read, unlike the other queries.
    """

    def __init__(self, env, profile=False, name="", commit=False):
        self.env = env
        self.name = name
        self.commit = commit
        self.profiler = cProfile.Profile() if profile else None
        self.seconds = self.queries = self.bulk = self.bulk_rows = 0
        self.cpu = self.sql = 0.0
        self.slowest = []

    def _hook(self, cr, query, params, start, delay):
        if isinstance(query, bytes):
            query = query.decode(errors="replace")
        verb = str(query).lstrip()[:6].upper()
        rows = cr._obj.rowcount
        self.sql += delay
        self.slowest = sorted([*self.slowest, (delay, str(query)[:300])], reverse=True)[:3]
        if (verb in ("INSERT", "UPDATE") and rows >= BULK_ROWS) or (
            verb == "SELECT" and rows >= BULK_READ_ROWS
        ):
            self.bulk += 1
            self.bulk_rows += rows

    def __enter__(self):
        self.env.invalidate_all()  # cold record cache, as in a new request
        thread = threading.current_thread()
        self._saved_hooks = getattr(thread, "query_hooks", None)
        thread.query_hooks = [*(self._saved_hooks or ()), self._hook]
        self._queries = self.env.cr.sql_log_count
        self._start = time.perf_counter()
        self._cpu = time.process_time()
        if self.profiler:
            self.profiler.enable()
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None and self.commit:
                self.env.cr.commit()  # flush, precommit hooks (mail tracking), COMMIT
            elif exc_type is None:
                self.env.flush_all()
                self.env.cr.flush()  # precommit hooks (mail tracking) as a COMMIT would run them
            self.seconds = time.perf_counter() - self._start
            self.cpu = time.process_time() - self._cpu
            self.queries = self.env.cr.sql_log_count - self._queries
            if self.profiler:
                self.profiler.disable()
                print(
                    f"  {self.seconds:.2f} s ({self.cpu:.2f} s CPU, {self.sql:.2f} s in "
                    f"queries), {self.queries} queries"
                )
                for delay, query in self.slowest:
                    print(f"  slowest query {delay:.3f} s: {query}")
                if os.environ.get("BENCH_PROFILE_DIR"):
                    self.profiler.dump_stats(
                        os.path.join(os.environ["BENCH_PROFILE_DIR"], f"{self.name}.prof")
                    )
                stats = pstats.Stats(self.profiler, stream=sys.stdout)
                stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
                stats.sort_stats("tottime").print_stats(PROFILE_LINES)
        finally:
            thread = threading.current_thread()
            if self._saved_hooks is None:
                del thread.query_hooks
            else:
                thread.query_hooks = self._saved_hooks
        return False


STEPS = (
    ("generate", "generate"),
    ("values", "values"),
    ("score", "score"),
    ("approve", "approve"),
    ("rank", "rank"),
)


def _officer(env, company):
    """A KPI officer who is no employee of the scheme (four-eyes lets him act)."""
    return (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True)
        .create(
            {
                "name": f"Bench officer {time.time_ns()}",
                "login": f"bench-officer-{time.time_ns()}",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            env.ref("base.group_user").id,
                            env.ref("hr_kpi_service.group_kpi_officer").id,
                        ],
                    )
                ],
            }
        )
    )


@contextmanager
def transaction(registry, uid):
    """An environment on a new cursor, committed when the block ends without error
    (one request of the month-end: one transaction)."""
    from odoo import api

    with registry.cursor() as cr:
        yield api.Environment(cr, uid, {})


def run_size(registry, size, n_indicators, profile=None):
    """One measured run; `profile` names a step to run under cProfile (printed).

    Every step runs and commits in a transaction of its own, as the period's buttons
    do (a request each); everything is committed in the benchmark's throwaway copy
    of the database (see main)."""
    from odoo import SUPERUSER_ID
    from odoo.addons.hr_kpi_service.models.kpi_policy import kpi_action_scope

    measures = {}

    def measure(env, step):
        measures[step] = Measure(env, profile=profile == step, name=step, commit=True)
        return measures[step]

    with transaction(registry, SUPERUSER_ID) as env:
        fixture = build_fixture(env, size, n_indicators)
        officer_id = _officer(env, fixture["company"]).id
        period_id = fixture["period"].id

    # generate: the wizard's call, as the officer
    with transaction(registry, officer_id) as env, measure(env, "generate"):
        period = env["hr.kpi.period"].browse(period_id)
        evaluation_ids = env["hr.kpi.evaluation"]._generate(period).ids

    with transaction(registry, SUPERUSER_ID) as env:
        evaluations = env["hr.kpi.evaluation"].browse(evaluation_ids)
        line_count = len(evaluations.line_ids)
        if len(evaluations) != size or line_count != size * n_indicators:
            raise RuntimeError(
                f"_generate made {len(evaluations)} evaluations / {line_count} lines, "
                f"expected {size} / {size * n_indicators}"
            )
        # Not timed: self-assessment and rating happen over the month; HR review.
        evaluations.with_context(tracking_disable=True).write({"state": "hr_review"})
        fixture = {
            key: value.with_env(env) if hasattr(value, "with_env") else value
            for key, value in fixture.items()
        }
        writes = _actual_writes(evaluations, fixture)

    # values: the officer types the actuals (one write per indicator and value, with
    # the value-entry checks and row locks): the month's data entry, not in the target
    with transaction(registry, officer_id) as env, measure(env, "values"):
        for ids, vals in writes:
            env["hr.kpi.evaluation.line"].browse(ids).write(vals)

    # The month passes: autovacuum analyses the new rows before month-end.
    with transaction(registry, SUPERUSER_ID) as env:
        for table in ("hr_kpi_evaluation", "hr_kpi_evaluation_line", "hr_employee"):
            env.cr.execute(f"ANALYZE {table}")

    # score: Compute Scores
    with transaction(registry, officer_id) as env, measure(env, "score"):
        env["hr.kpi.evaluation"].browse(evaluation_ids).action_compute_scores()

    # approve: the button on all of them (scores, grades, ranks, approves)
    with transaction(registry, officer_id) as env, measure(env, "approve"):
        env["hr.kpi.evaluation"].browse(evaluation_ids).action_approve()

    # rank: the period's ranking again, alone (what a re-rank costs)
    with transaction(registry, officer_id) as env, measure(env, "rank"):
        evaluations = env["hr.kpi.evaluation"].browse(evaluation_ids)
        with kpi_action_scope(evaluations):
            evaluations._compute_rankings()

    with transaction(registry, SUPERUSER_ID) as env:
        evaluations = env["hr.kpi.evaluation"].browse(evaluation_ids)
        totals = evaluations.mapped("total_score")
        check = {
            "missing": sum(evaluations.mapped("missing_count")),
            "ungraded": len(evaluations.filtered(lambda e: not e.grade_band_id)),
            "unranked": len(evaluations.filtered(lambda e: not e.rank_company)),
            "unapproved": len(evaluations.filtered(lambda e: e.state != "approved")),
            "vetoed": len(evaluations.filtered("vetoed")),
            "grades": Counter(e.grade_band_id.code for e in evaluations),
            "min": min(totals),
            "max": max(totals),
            "sum": round(sum(totals), 2),
            "distinct_totals": len(set(totals)),
            "distinct_ranks": len(set(evaluations.mapped("rank_company"))),
            "sourced": fixture["sourcing"],
        }
    result = {
        "load": os.getloadavg()[0],  # the machine's load while the steps ran (1 min)
        "size": size,
        "indicators": n_indicators,
        "evaluations": len(evaluation_ids),
        "lines": line_count,
        "writes": len(writes),
        "check": check,
    }
    for step, key in STEPS:
        m = measures[step]
        result.update(
            {
                f"{key}_s": m.seconds,
                f"{key}_q": m.queries,
                f"{key}_bulk": m.bulk,
                f"{key}_bulk_rows": m.bulk_rows,
                f"{key}_cpu": m.cpu,
                f"{key}_sql": m.sql,
            }
        )
    return result


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


# Typing the values is the month's data entry (edits and imports over the month,
# see bench_import), measured and shown but not part of the month-end target.
TARGET_STEPS = tuple(step for step in STEPS if step[0] != "values")


def _total(r, what="s"):
    return sum(r[f"{key}_{what}"] for _step, key in TARGET_STEPS)


def print_table(results):
    header = (
        f"{'size':>6} {'lines':>7} "
        + " ".join(f"{step + ' s':>10} {'queries':>7} {'(bulk)':>6}" for step, _key in STEPS)
        + f" {'total s':>8} {'queries':>7}"
    )
    print("  total: generate + score + approve + rank (the values are typed during the month)")
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['size']:>6} {r['lines']:>7} "
            + " ".join(
                f"{r[key + '_s']:>10.2f} {r[key + '_q']:>7} {r[key + '_bulk']:>6}"
                for _step, key in STEPS
            )
            + f" {_total(r):>8.2f} {_total(r, 'q'):>7}"
        )
    print()
    print("  where the time went: CPU of this process (Python) / waiting for queries (SQL)")
    for r in results:
        print(
            f"{r['size']:>6} "
            + " ".join(
                f"{step} {r[key + '_cpu']:.2f} / {r[key + '_sql']:.2f}" for step, key in STEPS
            )
            + f"; total {_total(r, 'cpu'):.2f} / {_total(r, 'sql'):.2f}"
        )
    print(
        f"  (bulk) = INSERT/UPDATE statements of >= {BULK_ROWS} rows and SELECTs of >= "
        f"{BULK_READ_ROWS} rows among the queries; the ORM writes at most 100 rows per "
        "statement and reads at most 1,000 records per query."
    )
    print(
        "  generate: _generate as the wizard calls it; values: the actuals typed (one write "
        "per indicator and value; the month's data entry, not in the total); score: "
        "Compute Scores; approve: Approve on all (scores, grades, "
        "ranks, approves, with the four-eyes, row-lock and protected-field checks); rank: "
        "the period re-ranked alone. All as a KPI officer who is not evaluated."
    )
    print()
    for r in results:
        c = r["check"]
        grades = ", ".join(f"{code} {count}" for code, count in sorted(c["grades"].items()))
        print(
            f"  size {r['size']}: scores {c['min']:.2f}-{c['max']:.2f} (sum {c['sum']:.2f}); "
            f"grades {grades}; vetoed {c['vetoed']}; missing values {c['missing']}; "
            f"ungraded {c['ungraded']}; unranked {c['unranked']}; not approved "
            f"{c['unapproved']}; {c['distinct_totals']} distinct totals, "
            f"{c['distinct_ranks']} distinct ranks; {r['writes']} actual writes; "
            f"incident-sourced indicator "
            f"{'on' if c['sourced'] else 'off (typed)'}"
        )


def evaluate_targets(results):
    """[(passed or None, text)] for the two targets."""
    targets = []
    at_target = next((r for r in results if r["size"] == TARGET_SIZE), None)
    label = (
        f"{TARGET_SIZE:,} employees generated, scored, approved and ranked in under "
        f"{TARGET_SECONDS:g} s"
    )
    if at_target:
        total = _total(at_target)
        steps = " + ".join(f"{step} {at_target[key + '_s']:.2f} s" for step, key in TARGET_STEPS)
        targets.append(
            (
                total < TARGET_SECONDS,
                f"{label}: {total:.2f} s ({steps}, {at_target['indicators']} indicators; "
                f"CPU of this process {_total(at_target, 'cpu'):.2f} s, waiting for "
                f"PostgreSQL {_total(at_target, 'sql'):.2f} s, {_total(at_target, 'q')} "
                f"queries; load average {at_target['load']:.2f})",
            )
        )
    else:
        targets.append((None, f"{label}: not measured ({TARGET_SIZE} is not in --sizes)"))

    label = "query count must not grow with the number of employees"
    rule = (
        f"Rule, per step: queries other than bulk statements at the largest size <= "
        f"{QUERY_GROWTH_LIMIT:g} x those at the smallest size, and bulk statements at the "
        f"largest size average >= {BULK_MIN_ROWS} rows (the ORM's own batching: at most "
        f"100 rows per INSERT/UPDATE and 1,000 per read, so their count grows with the "
        f"rows by design)."
    )
    if len(results) < 2:
        targets.append((None, f"{label}: needs two sizes. {rule}"))
    else:
        small, large = results[0], results[-1]
        parts, passed = [], True
        for phase, key in STEPS:
            q_small = small[f"{key}_q"] - small[f"{key}_bulk"]
            q_large = large[f"{key}_q"] - large[f"{key}_bulk"]
            bulk, rows = large[f"{key}_bulk"], large[f"{key}_bulk_rows"]
            per_bulk = rows / bulk if bulk else float("inf")
            ok_other = q_large <= QUERY_GROWTH_LIMIT * q_small
            ok_bulk = per_bulk >= BULK_MIN_ROWS
            passed = passed and ok_other and ok_bulk
            raw = large[f"{key}_q"] / small[f"{key}_q"] if small[f"{key}_q"] else float("inf")
            parts.append(
                f"{phase}: other queries {q_small} -> {q_large} "
                f"(x{q_large / q_small if q_small else float('inf'):.2f}, "
                f"{'ok' if ok_other else 'grows'}); bulk statements {bulk} averaging "
                f"{per_bulk:.0f} rows ({'ok' if ok_bulk else 'too small'}); all queries "
                f"{small[f'{key}_q']} -> {large[f'{key}_q']} (x{raw:.2f})"
            )
        targets.append(
            (
                passed,
                f"{label}: {small['size']} -> {large['size']} employees\n"
                + "".join(f"           {part}\n" for part in parts)
                + f"           {rule}",
            )
        )
    return targets


def open_database(db, ready=None):
    """Configure Odoo for `db`, make sure the addon is installed and current, and
    return (registry, status). `ready(registry)` may add a check of its own (a
    record the benchmark needs); when it fails, or a stored field has no column
    (code changed without a version bump), the addon is updated once."""
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-d", db, "--addons-path", REPO, "--log-level", "warn"])
    logging.getLogger("odoo").setLevel(logging.WARNING)
    status = ensure_database(db)
    registry = Registry(db)

    def problem():
        missing = _missing_columns(registry)
        if missing:
            return f"{len(missing)} column(s) missing, e.g. {missing[0]}"
        if ready and not ready(registry):
            return "a record the benchmark needs is missing"
        return None

    reason = problem()
    if reason:
        Registry.delete(db)
        odoo.sql_db.close_db(db)
        _run_odoo(db, "-u", f"schema out of date ({reason}): updating {MODULE}")
        registry = Registry(db)
        reason = problem()
        if reason:
            sys.exit(f"{db}: still out of date after the update: {reason}")
        status = "updated"
    return registry, status


def print_targets(targets, note):
    """Print [(passed or None, text)] and the measuring note; return the exit code."""
    print()
    print("Targets")
    for passed, text in targets:
        verdict = "n/a " if passed is None else ("PASS" if passed else "FAIL")
        print(f"  [{verdict}] {text}")
    print()
    print(note)
    return 1 if any(passed is False for passed, _text in targets) else 0


@contextmanager
def throwaway_copy(db):
    """A copy of `db` made for this run, dropped when the block ends (also on error)."""
    import odoo
    from odoo.modules.registry import Registry
    from odoo.service import db as db_service

    copy = f"{db}_bench_{os.getpid()}"
    Registry.delete(db)
    odoo.sql_db.close_db(db)
    db_service.exp_duplicate_database(db, copy)
    try:
        yield Registry(copy), copy
    finally:
        # Not exp_drop: with -d set it only drops the databases named by -d.
        Registry.delete(copy)
        odoo.sql_db.close_db(copy)
        with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
            cr._cnx.autocommit = True  # DROP DATABASE cannot run in a transaction
            db_service._drop_conn(cr, copy)
            cr.execute(f'DROP DATABASE "{copy}"')
        shutil.rmtree(odoo.tools.config.filestore(copy), ignore_errors=True)


def main(argv=None):
    args = parse_args(argv)
    _registry, status = open_database(args.db)
    with throwaway_copy(args.db) as (registry, copy):
        return _run(args, registry, status, copy)


def _run(args, registry, status, copy):
    print(
        f"hr_kpi_service evaluation benchmark: database {args.db} ({status}), run in its "
        f"throwaway copy {copy} (dropped at the end); sizes "
        f"{','.join(map(str, args.sizes))}, {args.indicators} indicators; each step "
        f"commits a transaction of its own.",
        flush=True,
    )
    # Warm the registry's caches so the first size is not charged for them.
    run_size(registry, WARMUP_SIZE, args.indicators)
    print(f"(warm-up run of {WARMUP_SIZE} employees done, not shown)\n", flush=True)

    results = []
    for size in args.sizes:
        results.append(run_size(registry, size, args.indicators))
        r = results[-1]
        print(
            f"  measured {size} employees: "
            + ", ".join(
                f"{step} {r[key + '_s']:.2f} s (cpu {r[key + '_cpu']:.2f}, sql "
                f"{r[key + '_sql']:.2f}) / {r[key + '_q']} q"
                for step, key in STEPS
            ),
            file=sys.stderr,
            flush=True,
        )
    if args.profile:
        size = max(args.sizes)
        for step in args.profile:
            print(f"\nProfile of {step} at {size} employees (cProfile, cumulative):")
            run_size(registry, size, args.indicators, profile=step)
    print()
    print_table(results)
    return print_targets(
        evaluate_targets(results),
        "Timings: time.perf_counter; queries: cr.sql_log_count. Each step starts with a "
        "new cursor and an empty record cache and ends with its COMMIT (flush, precommit "
        "hooks such as mail tracking, commit), as a request of the period's buttons.",
    )


if __name__ == "__main__":
    sys.exit(main())
