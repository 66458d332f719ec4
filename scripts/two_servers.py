"""Odoo servers on one PostgreSQL database, as README's deployment runs them (issue 23).

Used by scripts/bench_month_end.py (and through it by tests/test_two_servers_failover.py):
each server is `python -m odoo` with --workers, queue_job in server_wide_modules and the
month-end channel's capacity, started in a process group of its own so that it can be
killed whole (SIGKILL of the group: master, HTTP workers, cron worker, gevent worker and
queue_job's runner worker, as a crashed host or `systemctl kill` would).

Which server's runner dispatches: queue_job 18.0 elects one runner per database with a
PostgreSQL advisory lock (`pg_try_advisory_lock(PG_ADVISORY_LOCK_ID)` on the runner's
own connection, jobrunner/runner.py `_acquire_master_lock`); a runner that does not get
it retries every 5 s (`MasterElectionLost`). Each server is started with
ODOO_PGAPPNAME=odoo-<name>-{pid}, so the lock holder's connection names its server in
pg_stat_activity, and each runner logs every job it dispatches ("asking Odoo to run job").
"""

import ctypes
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import xmlrpc.client
from contextlib import suppress
from datetime import datetime

# queue_job's runner lock (odoo.addons.queue_job.jobrunner.runner.PG_ADVISORY_LOCK_ID);
# pg_locks splits the bigint key into classid (high 32 bits) and objid (low 32 bits).
RUNNER_LOCK_ID = 2293787760715711918
CHANNELS = "root:2,root.hr_kpi:2"
PR_SET_PDEATHSIG = 1

LOG_TIME = r"(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<pid>\d+) \w+ \S+ "
DISPATCH = re.compile(LOG_TIME + r"odoo\.addons\.queue_job\.jobrunner\.runner: asking Odoo "
                      r"to run job (?P<uuid>[0-9a-f-]+) on db")  # fmt: skip
RUNNER_READY = re.compile(LOG_TIME + r"odoo\.addons\.queue_job\.jobrunner\.runner: queue job "
                          r"runner ready for db")  # fmt: skip
# werkzeug's access line as Odoo 18 writes it: ... "GET /path HTTP/1.1" 200 - queries
# query-seconds other-seconds
REQUEST = re.compile(
    LOG_TIME + r'werkzeug: .*"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d+) - '
    r"(?P<queries>\d+) (?P<sql_s>[\d.]+) (?P<other_s>[\d.]+)"
)
JOB_UUID = re.compile(r"job_uuid=([0-9a-f-]+)")


def _parse_time(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S,%f").timestamp()


def _die_with_parent():
    """In the server's master: SIGKILL when the process that started it dies (a
    benchmark or a test killed), so that no server outlives it."""
    try:
        ctypes.CDLL("libc.so.6").prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


class Server:
    """One Odoo server (`name`: A, B...) on `port`, its websocket on `gevent_port`."""

    def __init__(self, name, db, port, gevent_port, addons_path, workers=2, logdir=None):
        self.name, self.db, self.port, self.gevent_port = name, db, port, gevent_port
        self.addons_path, self.workers = addons_path, workers
        logdir = logdir or tempfile.gettempdir()
        self.logname = os.path.join(logdir, f"two_servers_{db}_{name}_{port}.log")
        self.confname = os.path.join(logdir, f"two_servers_{db}_{name}_{port}.conf")
        self.process = None
        self.killed_at = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        # the odoo.conf of README's deployment (proxy_mode as behind nginx; no proxy here)
        with open(self.confname, "w") as conf:
            conf.write(
                "[options]\n"
                f"http_port = {self.port}\ngevent_port = {self.gevent_port}\n"
                f"workers = {self.workers}\nmax_cron_threads = 1\n"
                "server_wide_modules = base,web,queue_job\n"
                f"db_name = {self.db}\ndbfilter = ^{self.db}$\nlist_db = False\n"
                "proxy_mode = True\nlimit_time_real = 300\nlimit_time_cpu = 300\n"
                f"[queue_job]\nchannels = {CHANNELS}\n"
            )
        env = dict(os.environ, ODOO_PGAPPNAME=f"odoo-{self.name}-{{pid}}")
        env.pop("ODOO_QUEUE_JOB_CHANNELS", None)
        self.log = open(self.logname, "w")  # closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, self._launcher(), "-c", self.confname,
             f"--addons-path={self.addons_path}", "--log-level=info"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True, preexec_fn=_die_with_parent,
        )  # fmt: skip
        return self

    def _launcher(self):
        """A script that starts Odoo as odoo-bin does. Not `python -m odoo`: the
        prefork server starts its websocket (gevent) process again from sys.argv[0],
        which for `-m odoo` is odoo/__main__.py, a file that cannot run alone (the
        gevent process then fails and is respawned in a loop)."""
        path = self.confname.replace(".conf", "_odoo_bin.py")
        with open(path, "w") as launcher:
            launcher.write('import os\nos.environ["TZ"] = "UTC"\nimport odoo\nodoo.cli.main()\n')
        return path

    def wait_ready(self, timeout=180):
        """Until the server answers XML-RPC on its HTTP port and on its websocket
        (gevent) port: its registry is loaded and its gevent process runs."""
        deadline = time.time() + timeout
        for port in (self.port, self.gevent_port):
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server {self.name} exited, see {self.logname}")
                try:
                    xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/common").version()
                    break
                except OSError:
                    if time.time() > deadline:
                        raise RuntimeError(
                            f"server {self.name} did not answer on {port} in {timeout} s "
                            f"({self.logname})"
                        ) from None
                    time.sleep(0.5)
        return self

    @property
    def alive(self):
        return self.process is not None and self.process.poll() is None and not self.killed_at

    def pids(self):
        """The processes of the server's group (master and every worker)."""
        if not self.process:
            return []
        out = subprocess.run(["pgrep", "-g", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def kill(self):
        """SIGKILL the whole process group, as a crashed host: nothing is cleaned up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.killed_at = time.time()
        self.process.wait(timeout=30)

    def stop(self):
        """Stop the server's whole group: TERM, up to 3 s for the master to go, then
        KILL for whatever is left (its work is over); safe to call twice. (Killed
        workers stay zombies until init reaps them: the master is waited for, not
        them.)"""
        if not self.process:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=3)
            os.killpg(self.process.pid, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self.log.close()

    # ------------------------------------------------------------------
    # What the server's log says
    # ------------------------------------------------------------------
    def _lines(self):
        with open(self.logname, errors="replace") as log:
            return log.readlines()

    def dispatches(self):
        """[(time, job uuid)] of the jobs this server's runner dispatched."""
        return [
            (_parse_time(m["at"]), m["uuid"])
            for m in map(DISPATCH.search, self._lines())
            if m
        ]

    def runner_ready_times(self):
        """When this server's runner took the lock (its 'ready for db' line)."""
        return [_parse_time(m["at"]) for m in map(RUNNER_READY.search, self._lines()) if m]

    def requests(self):
        """[{at, path, queries, seconds, job}] of the HTTP requests this server
        answered (a request killed with its worker is not logged)."""
        out = []
        for match in map(REQUEST.search, self._lines()):
            if match:
                job = JOB_UUID.search(match["path"])
                out.append(
                    {
                        "at": _parse_time(match["at"]),
                        "path": match["path"].split("?")[0],
                        "queries": int(match["queries"]),
                        "seconds": float(match["sql_s"]) + float(match["other_s"]),
                        "job": job.group(1) if job else None,
                    }
                )
        return out


def _json_rpc(opener, url, params):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with opener.open(request, timeout=30) as response:
        return json.load(response).get("result") or {}


def web_login(server, login, password):
    """A browser's session: logged in on `server`, its cookie kept in the returned
    opener."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    result = _json_rpc(opener, f"{server.url}/web/session/authenticate",
                       {"db": server.db, "login": login, "password": password})  # fmt: skip
    return opener, result.get("uid")


def session_uid(opener, server):
    """The user whom `server` sees behind the opener's session cookie (None: none)."""
    return _json_rpc(opener, f"{server.url}/web/session/get_session_info", {}).get("uid")


def runner_holder(cr):
    """The name of the server whose queue_job runner holds the database's runner lock
    (None: no runner serves it)."""
    cr.execute(
        """SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = %s AND l.objid::bigint = %s""",
        [RUNNER_LOCK_ID >> 32, RUNNER_LOCK_ID & 0xFFFFFFFF],
    )
    rows = [name for (name,) in cr.fetchall()]
    assert len(rows) <= 1, f"two runner locks on one database: {rows}"
    if not rows:
        return None
    parts = (rows[0] or "").split("-")
    return parts[1] if len(parts) == 3 and parts[0] == "odoo" else rows[0]
