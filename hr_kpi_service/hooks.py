"""The module's install and uninstall hooks.

Install: with demo data, the demo story runs once the module's data, demo records
and translations are loaded (``demo/story.py`` says why there).

Uninstall keeps payroll intact (issue 11).

Odoo deletes every record an uninstalled module created from its data files.
The "Customer service" salary structure, its rules, their inputs and the salary
rule categories are payroll records that contracts and payslips keep using
after the addon is gone (done payslips reference its rules): before the module's
data is removed, they are detached from the module (their ``ir.model.data``
entries are deleted), so Odoo leaves them as ordinary payroll records. The KPI
rules then read missing inputs as 0 (a rule applies only when its input holds
an amount); amounts typed as "other inputs" with the same codes still pay.

Installing the addon again creates a new "Customer service" structure; the kept
one stays as it is.
"""

from .demo import story as demo_story

# The payroll models whose shipped records outlive the addon.
PAYROLL_MODELS = (
    "hr.payroll.structure",
    "hr.salary.rule",
    "hr.rule.input",
    "hr.salary.rule.category",
)
MODULE = "hr_kpi_service"


def kept_payroll_data(env):
    """The ``ir.model.data`` entries of the shipped payroll records."""
    return (
        env["ir.model.data"]
        .sudo()
        .search([("module", "=", MODULE), ("model", "in", PAYROLL_MODELS)])
    )


def uninstall_hook(env):
    """Detach the shipped payroll structure, rules, inputs and categories from
    the module, so that uninstalling it does not delete them."""
    kept_payroll_data(env).unlink()


def post_init_hook(env):
    """Run the demo story when the module was installed with demo data."""
    if env["ir.module.module"]._get(MODULE).demo:
        demo_story.run(env)
