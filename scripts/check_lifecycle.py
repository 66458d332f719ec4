"""Install, uninstall, reinstall and upgrade both addons in databases of their own
(issue 22), as an integrator would; exits 1 on the first failed check.

    python scripts/check_lifecycle.py [--prefix NAME] [--only reinstall|upgrade]
                                      [--from-rev REV] [--keep]

reinstall, with demo data and without (``--without-demo=all``):
    install with zh_CN; uninstall ``hr_kpi_service`` through the Apps button
    (``odoo shell``): 0 ERROR lines in the log, the "Customer service" structure
    kept under its Chinese name 客服人员 (the language the users read), with demo
    data a payslip of a kept contract computes and is confirmed; install again:
    no error, one structure KPI_CS, one user kpi.service, the demo story again.
upgrade:
    the addons of an earlier commit (default 2460a0b, version 18.0.1.1.0, through
    ``git worktree add``) installed with demo data into a fresh database, a
    private note written in the evaluations' old column; then ``-u`` with this
    checkout: commission groups made from the group names, team rewards given
    their team, the note moved, no evaluation, line, payslip, month or reward
    lost; a second ``-u`` migrates nothing (the structure is not written again).

Databases: PREFIX_demo, PREFIX_nodemo, PREFIX_upgrade (default prefix
kpi_lifecycle_<hash of the checkout's path>), dropped at the end unless --keep.
Takes about 15 minutes on a shared 2-core machine (about 4 without demo data, 6 with,
the rest for the upgrade, which installs the earlier version with demo data).
"""

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("PYTHON") or sys.executable
ADDONS = "hr_kpi_service,hr_kpi_service_reports"
ERROR_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.M)

UNINSTALL = """
module = env["ir.module.module"].search([("name", "=", "hr_kpi_service")])
module.button_immediate_uninstall()
env.cr.commit()
"""

AFTER_UNINSTALL = """
env = env(context={})
states = env["ir.module.module"].search([("name", "like", "hr_kpi_service")]).mapped("state")
assert set(states) == {"uninstalled"}, states
structures = env["hr.payroll.structure"].search([("code", "=", "KPI_CS")])
assert len(structures) == 1, structures
assert structures.name == "客服人员", structures.name
star = structures.rule_ids.input_ids.filtered(lambda i: i.code == "KPI_STAR")
assert star.name.startswith("星级"), star.name
rep = env.ref("hr_kpi_service_kept.employee_liu_yang_demo", False)  # kept by the uninstall
slip = env["hr.payslip"].search(
    [("state", "in", ("draft", "verify")), ("employee_id", "=", rep.id if rep else 0)], limit=1
)
if env.ref("base.user_demo", False):
    assert slip, "no open payslip on the kept structure"
    slip.compute_sheet()
    net = sum(slip.line_ids.filtered(lambda line: line.code == "NET").mapped("total"))
    assert net >= slip.contract_id.wage > 0, (net, slip.contract_id.wage)
    slip.action_payslip_done()
    assert slip.state == "done", slip.state
    assert slip.contract_id.struct_id == structures
env.cr.commit()
print("LIFECYCLE-CHECK-OK")
"""

AFTER_REINSTALL = """
structures = env["hr.payroll.structure"].search([("code", "=", "KPI_CS")])
assert len(structures) == 1, structures
english = structures.with_context(lang="en_US").name
assert english == "Customer service", english
assert structures.with_context(lang="zh_CN").name == "客服人员"
assert len(structures.rule_ids) == 16, structures.rule_ids  # the 16 rules of hr_kpi_payroll_data.xml
if env.ref("base.user_demo", False):
    assert env["res.users"].search_count([("login", "=", "kpi.service")]) == 1
    assert env["hr.kpi.evaluation"].search_count([]) > 0
    assert env["hr.kpi.commission.group"].search_count([]) == 1
    assert env.ref("hr_kpi_service.contract_zhao_hongwei_demo").kpi_reception_staff
print("LIFECYCLE-CHECK-OK")
"""

SET_ZH_CN = """
env.ref("base.user_admin").lang = "zh_CN"
env.cr.commit()
print("LIFECYCLE-CHECK-OK")
"""

# name -> SQL whose single value must not change across the upgrade
UPGRADE_COUNTS = {
    "evaluations": "SELECT count(*) FROM hr_kpi_evaluation",
    "evaluation lines": "SELECT count(*) FROM hr_kpi_evaluation_line",
    "payslips": "SELECT count(*) FROM hr_payslip",
    "payslip lines": "SELECT count(*) FROM hr_payslip_line",
    "commission months": "SELECT count(*) FROM hr_kpi_commission_month",
    "team rewards": "SELECT count(*) FROM hr_kpi_team_reward",
    "star months": "SELECT count(*) FROM hr_kpi_star_month",
}
OLD_NOTE = "升级前写下的备注（lifecycle check）"


def fail(message):
    print(f"FAILED: {message}", flush=True)
    sys.exit(1)


def step(message):
    print(f"== {message}", flush=True)


def odoo(db, *args, addons=ROOT, log=None, stdin=None, level="warn", command=()):
    """Run Odoo (or its `command`, e.g. shell) on `db`; return its log, failing on a
    non-zero exit."""
    cmd = [PYTHON, "-m", "odoo", *command, f"--addons-path={addons}", "-d", db]
    cmd += [f"--log-level={level}", *args]
    result = subprocess.run(cmd, input=stdin, capture_output=True, text=True, cwd=ROOT, check=False)
    output = result.stdout + result.stderr
    if log:
        Path(log).write_text(output)
    if result.returncode:
        fail(f"{' '.join(cmd)} exited {result.returncode}:\n{output[-3000:]}")
    return output


def no_errors(output, what):
    errors = ERROR_LINE.findall(output)
    lines = [line for line in output.splitlines() if ERROR_LINE.match(line + "\n")]
    if errors:
        fail(f"{what}: {len(errors)} ERROR lines, the first: {lines[:3]}")
    print(f"   {what}: 0 ERROR lines", flush=True)


def shell(db, code, what, addons=ROOT, level="warn"):
    """Run `code` in ``odoo shell`` (``env`` given); it prints LIFECYCLE-CHECK-OK."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(code)
    try:
        output = odoo(
            db,
            "--no-http",
            command=("shell",),
            addons=addons,
            level=level,
            stdin=f"exec(open({handle.name!r}).read())\n",
        )
    finally:
        os.unlink(handle.name)
    if "LIFECYCLE-CHECK-OK" not in output and code is not UNINSTALL:
        fail(f"{what}:\n{output[-3000:]}")
    return output


def drop(db):
    subprocess.run([PYTHON, "-m", "odoo", "db", "drop", db], capture_output=True, check=False)


def sql(db, query):
    result = subprocess.run(
        ["psql", "-d", db, "-tAc", query], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def install(db, demo, addons=ROOT):
    extra = [] if demo else ["--without-demo=all"]
    output = odoo(
        db, "-i", ADDONS, "--load-language=zh_CN", "--stop-after-init", *extra, addons=addons
    )
    no_errors(output, f"install in {db}")


def check_reinstall(db, demo):
    step(f"reinstall after uninstall, {'with' if demo else 'without'} demo data: {db}")
    drop(db)
    install(db, demo)
    if not demo:  # the users read Chinese: the kept names are the Chinese ones
        shell(db, SET_ZH_CN, "admin reads zh_CN")
    output = shell(db, UNINSTALL, "uninstall", level="info")
    no_errors(output, "uninstall")
    shell(db, AFTER_UNINSTALL, "after uninstall: structure, names and payslips")
    print("   after uninstall: 客服人员 kept, payslips compute and confirm", flush=True)
    output = odoo(db, "-i", ADDONS, "--stop-after-init")
    no_errors(output, "reinstall")
    shell(db, AFTER_REINSTALL, "after reinstall")
    print("   after reinstall: one structure, one kpi.service, the demo story", flush=True)


def check_upgrade(db, rev):
    step(f"upgrade from {rev} with demo data: {db}")
    drop(db)
    known = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if known.returncode:
        fail(f"commit {rev} is not in this clone (a shallow clone? git fetch --unshallow)")
    old = Path(tempfile.mkdtemp(prefix="kpi_lifecycle_old_")) / "tree"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(old), rev],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    try:
        install(db, True, addons=old)
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(old)],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
    sql(
        db,
        f"UPDATE hr_kpi_evaluation SET private_note = '{OLD_NOTE}' "
        "WHERE id = (SELECT min(id) FROM hr_kpi_evaluation)",
    )
    before = {name: sql(db, query) for name, query in UPGRADE_COUNTS.items()}
    names = sql(
        db,
        "SELECT string_agg(DISTINCT group_name, ',' ORDER BY group_name) "
        "FROM hr_kpi_commission_month WHERE group_name IS NOT NULL",
    )
    print(f"   before: {before}; group names: {names}", flush=True)
    output = odoo(db, "-u", ADDONS, "--stop-after-init")
    no_errors(output, "upgrade")
    after = {name: sql(db, query) for name, query in UPGRADE_COUNTS.items()}
    if after != before:
        fail(f"counts changed: {before} -> {after}")
    groups = sql(db, "SELECT string_agg(name, ',' ORDER BY name) FROM hr_kpi_commission_group")
    if not names or groups != names:
        fail(f"commission groups {groups!r}, group names {names!r}")
    if sql(db, "SELECT count(*) FROM hr_kpi_commission_month WHERE group_id IS NULL") != "0":
        fail("commission months without a group")
    if sql(db, "SELECT count(*) FROM hr_kpi_team_reward WHERE department_id IS NULL") != "0":
        fail("team rewards without a team")
    moved = sql(db, f"SELECT count(*) FROM hr_kpi_evaluation_note WHERE note = '{OLD_NOTE}'")
    column = sql(
        db,
        "SELECT count(*) FROM information_schema.columns WHERE "
        "table_name = 'hr_kpi_evaluation' AND column_name = 'private_note'",
    )
    if (moved, column) != ("1", "0"):
        fail(f"private note moved {moved} times, old column present: {column}")
    version = sql(db, "SELECT latest_version FROM ir_module_module WHERE name = 'hr_kpi_service'")
    print(f"   upgraded to {version}: counts kept, groups {groups}, note moved", flush=True)
    written = "SELECT write_date FROM hr_payroll_structure WHERE code = 'KPI_CS'"
    stamp = sql(db, written)
    no_errors(odoo(db, "-u", ADDONS, "--stop-after-init"), "second update")
    if sql(db, written) != stamp:
        fail("a second -u wrote the structure again (migration work on every update)")
    print("   second -u: nothing migrated again", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    digest = hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]
    parser.add_argument("--prefix", default=f"kpi_lifecycle_{digest}")
    parser.add_argument("--only", choices=("reinstall", "reinstall-demo", "upgrade"))
    parser.add_argument("--from-rev", default="2460a0b")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    databases = []
    if args.only in (None, "reinstall", "reinstall-demo"):
        for demo in (False, True) if args.only != "reinstall-demo" else (True,):
            db = f"{args.prefix}_{'demo' if demo else 'nodemo'}"
            databases.append(db)
            check_reinstall(db, demo)
    if args.only in (None, "upgrade"):
        databases.append(f"{args.prefix}_upgrade")
        check_upgrade(databases[-1], args.from_rev)
    if not args.keep:
        for db in databases:
            drop(db)
    print("lifecycle: all checks passed", flush=True)


if __name__ == "__main__":
    main()
