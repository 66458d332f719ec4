"""Commission months move from a free-text group name to a commission group record
(issue 19, RELIABILITY #43).

Each distinct (company, group name) of the existing months becomes a group; a month
without a name (an advisor on his own) gets a group of one named after him. The
advisors join the first group they appear in (one group at a time); the manager is
the advisor's superior, or his department's manager, or himself until HR names one.
The old ``group_name`` column stays in the table, unused.

Team rewards saved before get their team, and the private notes written while they
were a column of the evaluations' table move to their own model (RELIABILITY #46);
the column goes.
"""

from odoo import SUPERUSER_ID, api


def _group(env, cache, company_id, name, employee):
    Group = env["hr.kpi.commission.group"]
    key = (company_id, name or ("advisor", employee.id))
    if key in cache:
        return cache[key]
    if not name:
        name = employee.name
        if Group.search_count([("company_id", "=", company_id), ("name", "=", name)]):
            name = f"{employee.name} ({employee.id})"
    group = Group.search([("company_id", "=", company_id), ("name", "=", name)], limit=1)
    if not group:
        manager = employee.parent_id or employee.department_id.manager_id or employee
        group = Group.create({"name": name, "company_id": company_id, "manager_id": manager.id})
    cache[key] = group
    return group


def migrate(cr, version):
    _move_private_notes(cr)
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
        WHERE table_name = 'hr_kpi_team_reward' AND column_name = 'department_id'
        """
    )
    if cr.fetchone():
        _reward_teams(cr)
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
        WHERE table_name = 'hr_kpi_commission_month' AND column_name = 'group_name'
        """
    )
    if not cr.fetchone():
        return
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    cr.execute(
        """
        SELECT id, company_id, employee_id, NULLIF(TRIM(group_name), '')
        FROM hr_kpi_commission_month WHERE group_id IS NULL ORDER BY period_id, id
        """
    )
    cache = {}
    for month_id, company_id, employee_id, name in cr.fetchall():
        employee = env["hr.employee"].browse(employee_id)
        group = _group(env, cache, company_id, name, employee)
        member_of = env["hr.kpi.commission.group"].search([("member_ids", "in", employee.ids)])
        if not member_of:
            group.member_ids = [(4, employee.id)]
        cr.execute(
            "UPDATE hr_kpi_commission_month SET group_id = %s WHERE id = %s", (group.id, month_id)
        )
    env.flush_all()
    cr.execute("ALTER TABLE hr_kpi_commission_month ALTER COLUMN group_id SET NOT NULL")


def _reward_teams(cr):
    """Team rewards now belong to a team (hr.department, issue 19, RELIABILITY #43): a
    reward saved before gets the department most of its members belong to, else the
    department of the user who created it. Written in SQL: the team is fixed once a
    reward exists, and this is the one time it is set."""
    cr.execute(
        """
        UPDATE hr_kpi_team_reward reward
           SET department_id = COALESCE(
                (SELECT employee.department_id
                   FROM hr_kpi_team_reward_line line
                   JOIN hr_employee employee ON employee.id = line.employee_id
                  WHERE line.reward_id = reward.id AND employee.department_id IS NOT NULL
               GROUP BY employee.department_id
               ORDER BY count(*) DESC, employee.department_id
                  LIMIT 1),
                (SELECT employee.department_id
                   FROM hr_employee employee
                  WHERE employee.user_id = reward.create_uid
                    AND employee.department_id IS NOT NULL
                  LIMIT 1))
         WHERE reward.department_id IS NULL
        """
    )


def _move_private_notes(cr):
    """The evaluations' old ``private_note`` column becomes hr.kpi.evaluation.note
    records (written by the evaluation's last writer), then is dropped."""
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
        WHERE table_name = 'hr_kpi_evaluation' AND column_name = 'private_note'
        """
    )
    if not cr.fetchone():
        return
    cr.execute(
        """
        INSERT INTO hr_kpi_evaluation_note (
            evaluation_id, company_id, employee_id, note,
            create_uid, create_date, write_uid, write_date
        )
        SELECT evaluation.id, evaluation.company_id, evaluation.employee_id,
               evaluation.private_note, evaluation.write_uid, evaluation.write_date,
               evaluation.write_uid, evaluation.write_date
          FROM hr_kpi_evaluation evaluation
         WHERE evaluation.private_note IS NOT NULL AND evaluation.private_note != ''
           AND NOT EXISTS (
               SELECT 1 FROM hr_kpi_evaluation_note note
                WHERE note.evaluation_id = evaluation.id
           )
        """
    )
    cr.execute("ALTER TABLE hr_kpi_evaluation DROP COLUMN private_note")
