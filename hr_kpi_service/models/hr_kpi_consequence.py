from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from ..engine import (
    ANNUAL_DEMOTION,
    ANNUAL_PRIORITY,
    BOTTOM_RANK,
    DEMOTION_WARNING,
    NO_RAISE,
    NO_YEAR_END_AWARD,
    PROMOTION,
    SALARY_DOWN,
    annual_consequences,
    grade_consequences,
    monthly_run_consequences,
    rank_consequences,
    year_award_consequence,
)

CONSEQUENCE_RULES = [
    (PROMOTION, "Promotion suggestion (3 consecutive monthly top grades)"),
    (DEMOTION_WARNING, "Demotion warning (3 low grades within 6 months)"),
    (ANNUAL_PRIORITY, "Priority for awards and raises (annual top grade)"),
    (ANNUAL_DEMOTION, "Demotion review (annual grade C or worse)"),
    (NO_YEAR_END_AWARD, "No year-end award (two results below 90 in the year)"),
    (NO_RAISE, "No raise (grade 中 or 较差)"),
    (SALARY_DOWN, "One salary grade down (grade 差)"),
    (BOTTOM_RANK, "Retraining / transfer review (bottom rank)"),
]
HISTORY_MONTHS = 12


class HrKpiConsequence(models.Model):
    """A consequence suggested to HR by the results (never applied silently).

    Each one is created once per employee, rule and triggering results, with an
    HR activity that says which results triggered it.
    """

    _name = "hr.kpi.consequence"
    _description = "KPI Consequence"
    _order = "create_date desc, id desc"
    _inherit = ["mail.thread", "mail.activity.mixin", "hr.kpi.protected.mixin"]
    _check_company_auto = True
    # Suggested by the results only (publication, aggregation); HR follows them up
    # through the activity and the chatter.
    _kpi_protected_fields = (
        "employee_id",
        "company_id",
        "rule",
        "trigger_key",
        "evaluation_ids",
        "result_ids",
        "description",
        "activity_id",
    )

    employee_id = fields.Many2one("hr.employee", required=True, index=True, check_company=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    rule = fields.Selection(CONSEQUENCE_RULES, required=True)
    trigger_key = fields.Char(required=True, help="The triggering results, as stored ids.")
    evaluation_ids = fields.Many2many("hr.kpi.evaluation", string="Triggering Evaluations")
    result_ids = fields.Many2many("hr.kpi.result", string="Triggering Results")
    description = fields.Text(readonly=True)
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")

    _sql_constraints = [
        (
            "rule_trigger_uniq",
            "unique(employee_id, rule, trigger_key)",
            "This consequence was already suggested.",
        ),
    ]

    # ------------------------------------------------------------------
    @api.model
    def _detect(self, evaluations):
        """Run the monthly rules for the employees of `evaluations`; create what is new."""
        Evaluation = self.env["hr.kpi.evaluation"]
        if not evaluations:
            return self.browse()
        latest = max(evaluations.mapped("period_date_from"))
        history = Evaluation.search(
            [
                ("employee_id", "in", evaluations.employee_id.ids),
                ("period_id.period_type", "=", "monthly"),
                ("state", "in", ("published", "appealed", "closed")),
                ("period_date_from", ">", latest - timedelta(days=31 * HISTORY_MONTHS)),
            ],
            order="period_date_from",
        )
        by_employee = defaultdict(list)
        for evaluation in history:
            by_employee[evaluation.employee_id].append(evaluation)
        department_sizes = {
            (period.id, department.id): count
            for period, department, count in Evaluation._read_group(
                [("period_id", "in", evaluations.period_id.ids), ("state", "!=", "draft")],
                ["period_id", "department_id"],
                ["__count"],
            )
        }
        found = []
        for employee, items in by_employee.items():
            found += self._monthly_rules(employee, items, evaluations, department_sizes)
        return self._create_new(found)

    def _monthly_rules(self, employee, items, current, department_sizes):
        """[(employee, Consequence, evaluations)] for one employee's chronological history."""
        by_id = {item.id: item for item in items}
        found = []
        # A month without a grade still counts as a month (it breaks a run of top
        # grades and takes a place in the six-month window).
        bands = [item.grade_band_id for item in items]
        top = tuple({band.code for band in bands if band.is_top})
        low = tuple({band.code for band in bands if band.is_low})
        runs = monthly_run_consequences(
            self._month_by_month(items),
            top_codes=top,
            bottom_codes=low,
        )
        found += [(employee, c, c.keys) for c in runs]
        for year in {item.period_date_from.year for item in items}:
            year_items = [i for i in items if i.period_date_from.year == year]
            found += [
                (employee, c, c.keys)
                for c in year_award_consequence([(i.id, i.total_score) for i in year_items])
            ]
        for item in items:
            if item not in current:
                continue
            band = item.grade_band_id
            if band:
                found += [
                    (employee, c, c.keys)
                    for c in grade_consequences(
                        item.id,
                        band.code,
                        no_raise_codes=(band.code,) if band.no_raise else (),
                        salary_down_codes=(band.code,) if band.salary_down else (),
                    )
                ]
            if item.rank_department:
                count = max(
                    department_sizes.get((item.period_id.id, item.department_id.id), 0),
                    item.rank_department,
                )
                found += [
                    (employee, c, c.keys)
                    for c in rank_consequences(item.id, item.rank_department, count)
                ]
        return [(emp, c, [by_id[k] for k in keys if k in by_id]) for emp, c, keys in found]

    @api.model
    def _month_by_month(self, items):
        """[(evaluation id or gap key, grade code or None)] with a None for every
        month without an evaluation between the first and the last one."""
        history = []
        previous = None
        for item in items:
            month = item.period_date_from
            if previous:
                gap = (month.year - previous.year) * 12 + month.month - previous.month - 1
                history += [(f"gap-{previous}-{n}", None) for n in range(max(gap, 0))]
            history.append((item.id, item.grade_band_id.code or None))
            previous = month
        return history

    @api.model
    def _detect_annual(self, results):
        found = []
        for result in results.filtered(lambda r: r.period_type == "annual" and r.grade_band_id):
            band = result.grade_band_id
            for consequence in annual_consequences(
                result.id,
                band.code,
                top_codes=(band.code,) if band.is_top else (),
                demotion_codes=(band.code,) if band.annual_demotion else (),
            ):
                found.append((result.employee_id, consequence, result))
        return self._create_new(found, results=True)

    def _create_new(self, found, results=False):
        """Create the consequences not suggested before, each with an HR activity."""
        if not found:
            return self.browse()
        keys = {(emp.id, c.rule, ",".join(map(str, c.keys))) for emp, c, _src in found}
        existing = {
            (rec.employee_id.id, rec.rule, rec.trigger_key)
            for rec in self.search(
                [
                    ("employee_id", "in", list({k[0] for k in keys})),
                    ("rule", "in", list({k[1] for k in keys})),
                ]
            )
        }
        labels = dict(self._fields["rule"]._description_selection(self.env))
        vals_list, seen = [], set()
        for employee, consequence, sources in found:
            key = (employee.id, consequence.rule, ",".join(map(str, consequence.keys)))
            if key in existing or key in seen:
                continue
            seen.add(key)
            records = sources if results else self.env["hr.kpi.evaluation"].concat(*sources)
            names = ", ".join(records.mapped("display_name"))
            vals_list.append(
                {
                    "employee_id": employee.id,
                    "company_id": employee.company_id.id,
                    "rule": consequence.rule,
                    "trigger_key": key[2],
                    "result_ids" if results else "evaluation_ids": [(6, 0, records.ids)],
                    "description": self.env._(
                        "%(rule)s for %(employee)s, triggered by: %(results)s",
                        rule=labels[consequence.rule],
                        employee=employee.name,
                        results=names,
                    ),
                }
            )
        consequences = self.create(vals_list)
        consequences._schedule_activities()
        return consequences

    def _schedule_activities(self):
        """One to-do per consequence, on the consequence itself (it names the employee
        and links the triggering results)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id(self._name)
        activities = self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model,
                    "res_id": consequence.id,
                    "activity_type_id": todo.id,
                    "summary": dict(self._fields["rule"]._description_selection(self.env))[
                        consequence.rule
                    ],
                    "note": consequence.description,
                    "user_id": consequence._responsible_user().id,
                }
                for consequence in self
            ]
        )
        for consequence, activity in zip(self, activities, strict=True):
            consequence.activity_id = activity

    def _responsible_user(self):
        """HR contact for the suggestion: the department manager's user, else the current user."""
        self.ensure_one()
        manager_user = self.employee_id.department_id.manager_id.user_id
        return manager_user or self.env.user
