#!/usr/bin/env python3
"""Load: raters, readers and an officer at once on a --workers=4 server (issue 19 item 9).

    python3 scripts/bench_load.py [--db kpi_load_bench] [--copy-from DB] [--seconds 90]
                                  [--raters 40] [--readers 10] [--evaluations 200]
                                  [--raters-per-evaluation 8] [--port 8089] [--url URL]

Not a test: a bounded run (``--seconds``) that prints what the users met.

* The database: ``--db``, updated to the code; when it does not exist, a copy of
  ``--copy-from`` (e.g. a demo database), else built with hr_kpi_service and no demo
  data. Each run adds its own company (kept for inspection): a department, a scheme
  with two peer-rated indicators, ``--evaluations`` evaluated employees in rating,
  each rated by ``--raters-per-evaluation`` of the ``--raters`` rater users (real
  users, password = login), ``--readers`` department heads (KPI managers) and one
  KPI officer. All raters work through their ratings in the same order, so that
  several raters of one evaluation save at the same moment (the collision of
  issue 19 item 9).
* The server: started here on 127.0.0.1 with ``--workers=4`` (or ``--url``: an
  already running one serving ``--db``); its log gives the SQL queries per request.
* The users, over JSON-RPC as the web client (one session each):
  - each rater types his values (``web_save`` of the rating form, twice per rating,
    a think time between) and submits (``action_submit``), rating after rating;
  - each reader lists the period's evaluations (``web_search_read``) and opens one
    (``web_read`` with its lines);
  - the officer presses the period's Compute Scores, then waits 2 s
    (``--officer-pause``; 0: no officer), again.
* Printed: throughput, p50/p95 latency per request type, refusals per type (a
  conflict refusal is "another user is changing ..."; target 0 for the raters' saves
  and submits), other refusals, server errors (HTTP 500 or a non-user exception),
  connections lost (the client's, e.g. a worker's socket timeout on an overloaded
  machine), the evaluations Compute Scores left out because they were busy, PostgreSQL
  retries and ERROR lines of the server log, the SQL queries per request type; then
  lost writes (every value a rater saved, read back: 0), duplicates (ratings,
  rating values, evaluations: 0) and the scores' consistency (every peer line's
  value is the mean of its submitted ratings after a last Compute Scores, and a
  second Compute Scores changes nothing). A JSON report goes to /tmp.
"""

import argparse
import http.cookiejar
import itertools
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from datetime import date

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "hr_kpi_service"
MONTH = date(2026, 10, 1)
INDICATORS = [("团队合作", 50), ("服务态度", 50)]
# "Another user is changing ... / Another save of ... is still running", en and zh
CONFLICT_MARKERS = ("Another user is changing", "Another save of", "其他用户正在修改", "另一次保存")
USER_ERRORS = ("UserError", "ValidationError", "AccessError", "MissingError", "RedirectWarning")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------
# Database and data (in this process, committed)
# ----------------------------------------------------------------------
def database_exists(db):
    out = subprocess.run(
        ["psql", "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{db}'"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout.strip() == "1"


def prepare_database(db, copy_from):
    odoo = [sys.executable, "-m", "odoo", f"--addons-path={REPO}", "-d", db]
    if database_exists(db):
        log(f"{db}: updating {MODULE} to the code")
        args = ["-u", MODULE]
    elif copy_from:
        log(f"{db}: a copy of {copy_from}, updated to the code")
        subprocess.run(
            [sys.executable, "-m", "odoo", "db", "duplicate", copy_from, db],
            check=True, capture_output=True,
        )  # fmt: skip
        args = ["-u", MODULE]
    else:
        log(f"{db}: building it with {MODULE}, no demo data (a few minutes)")
        args = ["-i", MODULE, "--without-demo=all"]
    subprocess.run(
        [*odoo, *args, "--stop-after-init", "--log-level=warn"], check=True
    )


def open_registry(db):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-d", db, "--addons-path", REPO, "--log-level", "warn"])
    return Registry(db)


def build(registry, args):
    """The run's company, users, evaluations in rating and their ratings. Committed."""
    from odoo import Command, api

    tag = f"{int(time.time()) % 100000:05d}"
    rng = random.Random(int(tag))
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {"tracking_disable": True, "mail_create_nolog": True})
        lang = "zh_CN" if env["res.lang"]._lang_get("zh_CN") else "en_US"
        company = env["res.company"].create({"name": f"负载测试 {tag}"})
        department = env["hr.department"].create({"name": "客户服务部", "company_id": company.id})
        job = env["hr.job"].create({"name": "客服代表", "company_id": company.id})
        scheme = env["hr.kpi.scheme"].create(
            {"name": f"负载测试 {tag}", "company_id": company.id, "job_ids": [Command.set(job.ids)]}
        )
        env["hr.kpi.indicator"].create(
            [
                {"scheme_id": scheme.id, "name": name, "weight": weight, "sequence": n,
                 "scoring_method": "manual", "rater_role": "peer"}
                for n, (name, weight) in enumerate(INDICATORS)
            ]
        )  # fmt: skip
        scheme.action_activate()

        def users(prefix, count, groups):
            group_ids = [env.ref(xmlid).id for xmlid in groups]
            return env["res.users"].create(
                [
                    {"name": f"{prefix} {n:02d}", "login": f"load_{tag}_{prefix}_{n:02d}",
                     "password": f"load_{tag}_{prefix}_{n:02d}", "lang": lang,
                     "groups_id": [Command.set(group_ids)], "company_id": company.id,
                     "company_ids": [Command.set(company.ids)]}
                    for n in range(count)
                ]
            )  # fmt: skip

        manager_groups = ("base.group_user", "hr_kpi_service.group_kpi_manager")
        officer_groups = ("base.group_user", "hr_kpi_service.group_kpi_officer")
        rater_users = users("rater", args.raters, ("base.group_user",))
        reader_users = users("reader", args.readers, manager_groups)
        officer_user = users("officer", 1, officer_groups)

        def employees(vals_list):
            return env["hr.employee"].create(
                [
                    dict(vals, company_id=company.id, department_id=department.id)
                    for vals in vals_list
                ]
            )

        heads = employees([{"name": u.name, "user_id": u.id} for u in reader_users])
        raters = employees([{"name": u.name, "user_id": u.id} for u in rater_users])
        employees(
            [
                {"name": f"员工 {n:03d}", "job_id": job.id, "parent_id": heads[n % len(heads)].id}
                for n in range(args.evaluations)
            ]
        )
        period = env["hr.kpi.period"].with_company(company)._get_or_create(
            MONTH, "monthly", company
        )
        evaluations = env["hr.kpi.evaluation"].with_company(company)._generate(period)
        evaluations = evaluations.sorted("id")
        evaluations.action_start()
        evaluations.rating_ids.unlink()  # the org chart's proposal: replaced below
        per_evaluation = min(args.raters_per_evaluation, len(raters))
        vals_list = []
        for n, evaluation in enumerate(evaluations):
            lines = evaluation.line_ids.filtered(lambda line: line.rater_role == "peer")
            first = (n * per_evaluation) % len(raters)
            for k in range(per_evaluation):
                rater = raters[(first + k) % len(raters)]
                vals_list.append(
                    {"evaluation_id": evaluation.id, "role": "peer",
                     "rater_employee_id": rater.id,
                     "line_ids": [Command.create({"evaluation_line_id": line.id})
                                  for line in lines]}
                )  # fmt: skip
        ratings = env["hr.kpi.rating"].create(vals_list)
        evaluations.action_to_rating()
        plans = defaultdict(list)  # rater login -> [(rating id, [line ids])], evaluation order
        for rating in ratings.sorted(lambda r: (r.evaluation_id.id, r.id)):
            plans[rating.rater_user_id.login].append((rating.id, rating.line_ids.ids))
        ids = {
            "tag": tag,
            "company": company.id,
            "period": period.id,
            "evaluations": evaluations.ids,
            "ratings": ratings.ids,
            "raters": {login: plan for login, plan in plans.items()},
            "readers": reader_users.mapped("login"),
            # a reader (a department head, KPI manager) reads his own team's evaluations
            "team": {
                user.login: evaluations.filtered(
                    lambda e, user=user: e.employee_id.parent_id.user_id == user
                ).ids
                for user in reader_users
            },
            "officer": officer_user.login,
        }
        rng.shuffle(ids["readers"])
    log(
        f"company {tag}: {len(ids['evaluations'])} evaluations in rating, "
        f"{len(ids['ratings'])} ratings of {args.raters} raters, {args.readers} readers"
    )
    return ids


# ----------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------
def start_server(db, port, workers):
    logname = os.path.join(tempfile.gettempdir(), f"bench_load_{port}.log")
    logfile = open(logname, "w")  # kept open by the server
    server = subprocess.Popen(
        [sys.executable, "-m", "odoo", f"--addons-path={REPO}", "-d", db,
         f"--db-filter=^{db}$", f"--workers={workers}", "--max-cron-threads=0",
         "--http-interface=127.0.0.1", f"--http-port={port}", "--limit-time-real=300",
         "--limit-time-cpu=300", "--log-level=info"],
        stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _i in range(120):
        try:
            urllib.request.urlopen(f"{url}/web/webclient/version_info", b"{}", timeout=5)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(1)
    return server, url, logname


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


# ----------------------------------------------------------------------
# The users
# ----------------------------------------------------------------------
class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.outcomes = defaultdict(lambda: defaultdict(int))
        self.examples = {}
        self.busy_skipped = 0

    def add(self, kind, seconds, outcome, detail=""):
        with self.lock:
            self.latency[kind].append(seconds)
            self.outcomes[kind][outcome] += 1
            if outcome != "ok" and (kind, outcome) not in self.examples:
                self.examples[(kind, outcome)] = detail[:300]


class Client:
    """One user's web session (JSON-RPC, as the web client)."""

    ids = itertools.count()

    def __init__(self, url, db, login, stats):
        self.url, self.stats = url, stats
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        result = self._post("/web/session/authenticate",
                            {"db": db, "login": login, "password": login})  # fmt: skip
        if "error" in result:
            raise RuntimeError(f"{login}: {result['error']}")

    def _post(self, path, params):
        body = {"jsonrpc": "2.0", "method": "call", "params": params, "id": next(self.ids)}
        request = urllib.request.Request(
            self.url + path, json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=300) as response:
            return json.load(response)

    def call(self, kind, model, method, args, kwargs=None):
        """(outcome, result): ok, conflict, refused, server_error, http_500 or
        connection."""
        started = time.monotonic()
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}
        try:
            reply = self._post(f"/web/dataset/call_kw/{model}/{method}", params)
        except urllib.error.HTTPError as error:
            self.stats.add(kind, time.monotonic() - started, "http_500", str(error))
            return "http_500", None
        except OSError as error:
            # the connection itself (a worker closes a socket whose request did not
            # arrive within its timeout, on an overloaded machine): not the server's
            # answer, counted apart
            self.stats.add(kind, time.monotonic() - started, "connection", repr(error))
            return "connection", None
        seconds = time.monotonic() - started
        if "error" not in reply:
            self.stats.add(kind, seconds, "ok")
            return "ok", reply["result"]
        data = reply["error"].get("data", {})
        message = data.get("message") or reply["error"].get("message", "")
        if not data.get("name", "").endswith(USER_ERRORS):
            outcome = "server_error"
        elif any(marker in message for marker in CONFLICT_MARKERS):
            outcome = "conflict"
        else:
            outcome = "refused"
        self.stats.add(kind, seconds, outcome, f"{data.get('name')}: {message}")
        return outcome, None


def rater(client, plan, deadline, saved, rng):
    """Type each rating's values twice (the form's save), then submit it."""
    for rating_id, line_ids in plan:
        for _typing in range(2):
            if time.time() > deadline:
                return
            values = {line_id: float(rng.randint(60, 100)) for line_id in line_ids}
            outcome, _result = client.call(
                "rater save", "hr.kpi.rating", "web_save",
                [[rating_id], {"line_ids": [[1, lid, {"value": v}] for lid, v in values.items()]}],
                {"specification": {"state": {}}},
            )  # fmt: skip
            if outcome == "ok":
                saved.update(values)
            time.sleep(rng.uniform(0.2, 0.6))
        if time.time() > deadline:
            return
        client.call("rater submit", "hr.kpi.rating", "action_submit", [[rating_id]])
        time.sleep(rng.uniform(0.2, 0.6))


def reader(client, period_id, evaluation_ids, deadline, rng):
    name = {"fields": {"display_name": {}}}
    spec = {"name": {}, "state": {}, "total_score": {}, "employee_id": name}
    line_spec = {"actual_value": {}, "points": {}, "indicator_id": name}
    while time.time() < deadline:
        client.call(
            "reader list", "hr.kpi.evaluation", "web_search_read", [],
            {"domain": [["period_id", "=", period_id]], "specification": spec, "limit": 80},
        )  # fmt: skip
        time.sleep(rng.uniform(0.3, 0.8))
        client.call(
            "reader open", "hr.kpi.evaluation", "web_read", [[rng.choice(evaluation_ids)]],
            {"specification": dict(spec, line_ids={"fields": line_spec})},
        )  # fmt: skip
        time.sleep(rng.uniform(0.3, 0.8))


def officer(client, period_id, deadline, stats, pause):
    while time.time() < deadline:
        outcome, result = client.call(
            "officer compute scores", "hr.kpi.period", "action_compute_scores", [[period_id]]
        )
        if outcome == "ok":
            message = result.get("params", {}).get("message", "")
            busy = re.search(r"(?:left out|跳过了) (\d+)", message)
            if busy:
                with stats.lock:
                    stats.busy_skipped += int(busy.group(1))
        time.sleep(pause)


def run(url, db, ids, seconds, officer_pause):
    stats = Stats()
    rng = random.Random(ids["tag"])
    clients = {
        login: Client(url, db, login, stats)
        for login in [*ids["raters"], *ids["readers"], ids["officer"]]
    }
    saved = {}  # rating line id -> last value saved (each line has one rater)
    deadline = time.time() + seconds
    threads = [
        threading.Thread(
            target=rater, args=(clients[login], plan, deadline, saved, random.Random(login))
        )
        for login, plan in ids["raters"].items()
    ]
    threads += [
        threading.Thread(
            target=reader,
            args=(
                clients[login], ids["period"], ids["team"][login], deadline, random.Random(login)
            ),
        )
        for login in ids["readers"]
    ]
    if officer_pause:
        threads.append(
            threading.Thread(
                target=officer,
                args=(clients[ids["officer"]], ids["period"], deadline, stats, officer_pause),
            )
        )
    rng.shuffle(threads)
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stats, saved, time.monotonic() - started


# ----------------------------------------------------------------------
# After the run: read back, count, recompute
# ----------------------------------------------------------------------
def check(registry, ids, saved):
    from odoo import api

    result = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        lines = env["hr.kpi.rating.line"].browse(list(saved))
        values = {line.id: line.value for line in lines}
        result["values_saved"] = len(saved)
        result["lost_writes"] = sum(
            1 for line_id, value in saved.items() if abs(values.get(line_id, -1) - value) > 1e-6
        )
        cr.execute(
            """SELECT (SELECT count(*) FROM (SELECT 1 FROM hr_kpi_rating
                        WHERE evaluation_id IN %(e)s GROUP BY evaluation_id, role,
                              rater_employee_id HAVING count(*) > 1) d),
                      (SELECT count(*) FROM (SELECT 1 FROM hr_kpi_rating_line
                        WHERE rating_id IN %(r)s GROUP BY rating_id, evaluation_line_id
                       HAVING count(*) > 1) d),
                      (SELECT count(*) FROM (SELECT 1 FROM hr_kpi_evaluation
                        WHERE period_id = %(p)s GROUP BY employee_id, scheme_id, period_id
                       HAVING count(*) > 1) d)""",
            {"e": tuple(ids["evaluations"]), "r": tuple(ids["ratings"]), "p": ids["period"]},
        )
        kinds = ("ratings", "rating values", "evaluations")
        result["duplicates"] = dict(zip(kinds, cr.fetchone(), strict=True))
        ratings = env["hr.kpi.rating"].browse(ids["ratings"])
        result["ratings_submitted"] = len(ratings.filtered(lambda r: r.state == "submitted"))
        evaluations = env["hr.kpi.evaluation"].browse(ids["evaluations"])
        evaluations._compute_scores()
        env.flush_all()
        first = {e.id: e.total_score for e in evaluations}
        submitted = defaultdict(list)
        for line in ratings.filtered(lambda r: r.state == "submitted").line_ids:
            submitted[line.evaluation_line_id.id].append(line.value)
        wrong = 0
        for line in evaluations.line_ids:
            if line.id in submitted:
                wrong += abs(line.actual_value - statistics.mean(submitted[line.id])) > 1e-4
        evaluations._compute_scores()
        env.flush_all()
        result["peer_lines_not_the_mean"] = wrong
        result["scores_changed_on_recompute"] = sum(
            1 for e in evaluations if abs(e.total_score - first[e.id]) > 1e-6
        )
        cr.commit()
    return result


def server_log_figures(logname, offset):
    """Queries per request path, ERROR lines and PostgreSQL retries of the run."""
    queries = defaultdict(list)
    errors, retries = [], 0
    pattern = re.compile(r'"POST (/web/dataset/call_kw/\S+) HTTP/[\d.]+" (\d+) - (\d+) ')
    with open(logname, encoding="utf-8", errors="replace") as logfile:
        logfile.seek(offset)
        for line in logfile:
            match = pattern.search(line)
            if match:
                queries[match.group(1)].append(int(match.group(3)))
            elif " ERROR " in line:
                errors.append(line.strip()[:200])
            elif "tries left, try again" in line:
                retries += 1
    return queries, errors, retries


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(args, ids, stats, elapsed, checks, queries, errors, retries):
    total = sum(len(v) for v in stats.latency.values())
    print(
        f"\nLoad, {elapsed:.0f} s on a --workers={args.workers} server: {len(ids['raters'])} "
        f"raters, {len(ids['readers'])} readers, {1 if args.officer_pause else 0} officer; "
        f"{len(ids['evaluations'])} "
        f"evaluations x {args.raters_per_evaluation} raters"
    )
    print(f"  throughput: {total} requests, {total / elapsed:.1f} requests/s")
    header = f"  {'request':24} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'conflict':>9} " \
             f"{'refused':>8} {'server err':>10} {'HTTP 500':>9} {'conn lost':>9}"  # fmt: skip
    print(header)
    for kind in sorted(stats.latency):
        latency, outcome = stats.latency[kind], stats.outcomes[kind]
        print(
            f"  {kind:24} {len(latency):>6} {percentile(latency, 0.5) * 1000:>8.0f} "
            f"{percentile(latency, 0.95) * 1000:>8.0f} {outcome['conflict']:>9} "
            f"{outcome['refused']:>8} {outcome['server_error']:>10} {outcome['http_500']:>9} "
            f"{outcome['connection']:>9}"
        )
    for (kind, outcome), example in sorted(stats.examples.items()):
        print(f"    e.g. {kind} {outcome}: {example}")
    print(f"  Compute Scores left out {stats.busy_skipped} busy evaluations in all its presses")
    print("  SQL queries per request (server log): " + "; ".join(
        f"{path.rsplit('/', 2)[-2]}.{path.rsplit('/', 1)[-1]} "
        f"{statistics.mean(counts):.0f} mean, {max(counts)} max"
        for path, counts in sorted(queries.items())
    ))  # fmt: skip
    bad_queries = [line for line in errors if "bad query" in line]
    timeouts = [line for line in errors if "Request timed out" in line]
    print(
        f"  server log: {len(errors)} ERROR lines ({len(bad_queries)} \"bad query\", "
        f"{len(timeouts)} \"Request timed out\": a worker's socket timeout reading a request "
        f"on an overloaded machine, {len(errors) - len(bad_queries) - len(timeouts)} other), "
        f"{retries} PostgreSQL retries (INFO)"
    )
    for line in [*bad_queries[:3], *[e for e in errors if e not in bad_queries][:3]]:
        print(f"    {line}")
    print(
        f"  lost writes: {checks['lost_writes']} of {checks['values_saved']} values saved; "
        f"duplicates: {checks['duplicates']}; ratings submitted: {checks['ratings_submitted']} "
        f"of {len(ids['ratings'])}"
    )
    print(
        f"  scores: {checks['peer_lines_not_the_mean']} peer lines not the mean of their "
        f"submitted ratings, {checks['scores_changed_on_recompute']} scores changed on a "
        "second Compute Scores"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="kpi_load_bench")
    parser.add_argument("--copy-from", help="a database to copy when --db does not exist")
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--raters", type=int, default=40)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--evaluations", type=int, default=300)
    parser.add_argument("--raters-per-evaluation", type=int, default=8)
    parser.add_argument(
        "--officer-pause", type=float, default=2.0,
        help="seconds between the officer's Compute Scores (0: no officer)",
    )  # fmt: skip
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--url", help="an Odoo server already serving --db (not started here)")
    args = parser.parse_args(argv)

    if not args.url:
        prepare_database(args.db, args.copy_from)
    registry = open_registry(args.db)
    ids = build(registry, args)
    server = None
    if args.url:
        url, logname = args.url, None
    else:
        server, url, logname = start_server(args.db, args.port, args.workers)
    offset = os.path.getsize(logname) if logname else 0
    try:
        log(f"running {args.seconds:.0f} s against {url} ...")
        stats, saved, elapsed = run(url, args.db, ids, args.seconds, args.officer_pause)
    finally:
        if server:
            stop_server(server)
    queries, errors, retries = (
        server_log_figures(logname, offset) if logname else ({}, [], 0)
    )
    checks = check(registry, ids, saved)
    report(args, ids, stats, elapsed, checks, queries, errors, retries)
    out = os.path.join(tempfile.gettempdir(), f"bench_load_{ids['tag']}.json")
    with open(out, "w") as handle:
        json.dump(
            {
                "args": vars(args), "elapsed": elapsed, "checks": checks, "errors": errors,
                "retries": retries, "busy_skipped": stats.busy_skipped,
                "latency": {k: sorted(v) for k, v in stats.latency.items()},
                "outcomes": {k: dict(v) for k, v in stats.outcomes.items()},
                "queries": dict(queries),
            },
            handle, default=str,
        )  # fmt: skip
    log(f"report: {out}")


if __name__ == "__main__":
    main()
