"""Fixtures of the facts a team reward reads (issue 21): the team's confirmed
monthly repair revenue and its manager's approved target plan for the quarter with
the stretch target of the repair revenue indicator (code REVENUE)."""

from dateutil.relativedelta import relativedelta

from odoo.addons.hr_kpi_service.models.kpi_policy import kpi_action_scope


def record_team_facts(env, department, quarter, revenue, stretch, confirmer):
    """Create them as the system (superuser): the revenue split over the quarter's
    three months (the rounding remainder on the last), confirmed by `confirmer`, and
    the department manager's plan, approved. Returns every record created."""
    company = department.company_id
    Period = env["hr.kpi.period"]
    starts = [quarter.date_from + relativedelta(months=n) for n in range(3)]
    share = round(revenue / 3, 2)
    amounts = [share, share, round(revenue - 2 * share, 2)]
    revenues = env["hr.kpi.team.revenue"].create(
        [
            {
                "company_id": company.id,
                "department_id": department.id,
                "period_id": Period._get_or_create(start, "monthly", company).id,
                "amount": amount,
            }
            for start, amount in zip(starts, amounts, strict=True)
        ]
    )
    revenues.write({"state": "confirmed", "confirmed_by_id": confirmer.id})
    scheme = env["hr.kpi.scheme"].create(
        {
            "name": f"目标责任书 {department.name} (test)",
            "company_id": company.id,
            "period_type": "quarterly",
        }
    )
    indicator = env["hr.kpi.indicator"].create(
        {
            "scheme_id": scheme.id,
            "name": "维修收入",
            "code": "REVENUE",
            "weight": 100,
            "scoring_method": "ratio",
            "target": stretch,
        }
    )
    plan = env["hr.kpi.target.plan"].create(
        {
            "employee_id": department.manager_id.id,
            "company_id": company.id,
            "period_id": quarter.id,
            "line_ids": [
                (0, 0, {"indicator_id": indicator.id, "target": stretch, "stretch": stretch})
            ],
        }
    )
    plan.write({"state": "approved"})
    return revenues, plan, indicator, scheme


def remove_team_facts(env, department_ids):
    """Remove the facts of these departments (committed fixtures)."""
    revenues = env["hr.kpi.team.revenue"].search([("department_id", "in", department_ids)])
    managers = env["hr.department"].browse(department_ids).manager_id
    plans = env["hr.kpi.target.plan"].search([("employee_id", "in", managers.ids)])
    indicators = plans.line_ids.indicator_id
    with kpi_action_scope(revenues, plans):
        revenues.write({"state": "draft"})
        revenues.unlink()
        plans.write({"state": "draft"})
        plans.unlink()
    schemes = indicators.scheme_id
    indicators.unlink()
    schemes.unlink()
