from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..engine import COEFFICIENT_MAX, KPI_COMMISSION, AdvisorMonth
from .hr_kpi_number_checks import COUNT, MONEY, check_numbers
from .kpi_policy import KpiPolicy, kpi_action

COEFFICIENT = (0.0, COEFFICIENT_MAX)
OFFICER_GROUP = "hr_kpi_service.group_kpi_officer"
MANAGER_GROUP = "hr_kpi_service.group_kpi_manager"
# Whose month it is and whose pool it shares: fixed once created (RELIABILITY #43).
OWNER_FIELDS = ("employee_id", "group_id", "company_id")
# What a confirmed month counts with: locked until an officer withdraws the confirmation.
# An advisor's month as typed or imported: the amounts, then his share's coefficient.
AMOUNTS = (
    "repair_receipts",
    "warranty_claims",
    "accident_repairs",
    "production_target",
    "intake",
    "intake_target",
    "accessory_sales",
    "accessory_list",
)
ADVISOR_FIGURES = (*AMOUNTS, "coefficient")
FIGURE_LIMITS = {
    **dict.fromkeys(AMOUNTS, MONEY),
    "intake": COUNT,
    "intake_target": COUNT,
    "coefficient": COEFFICIENT,
}
FIGURES = (*OWNER_FIELDS, "period_id", *ADVISOR_FIGURES)


def _group_key(month):
    """The months sharing one pool: a commission group's months of one period."""
    return (month.group_id.id, month.period_id.id)


class HrKpiCommissionMonth(models.Model):
    """A service advisor's month (seed 000 4S店售后服务绩效考核方案, 业务接待岗位):
    the parts of his production value (产值), the vehicles received (接车台次), the
    targets, the accessories sold against their list value, his personal coefficient
    and his reception group (业务组, ``hr.kpi.commission.group``).

    The engine (``engine/commission.py``) turns the confirmed months of a group into
    each advisor's KPI_COMMISSION. Only confirmed months count; the group's manager or
    a KPI officer confirms, never his own month. A month is created for a member of
    its group, by an officer or the group's manager, and keeps its advisor and group.
    """

    _name = "hr.kpi.commission.month"
    _description = "KPI Service Advisor Month"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    _order = "period_id desc, group_id, employee_id"
    _check_company_auto = True
    _kpi_policy = KpiPolicy(
        protected=("confirmed", "confirmed_by_id"),
        # whose month in which pool (RELIABILITY #43)
        fixed=OWNER_FIELDS,
        # a confirmed month is what the payslip pays
        locked_when=("confirmed", (True,)),
        locked_fields=FIGURES,
        unlink="unlocked",
        bounds=FIGURE_LIMITS,
    )

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    period_id = fields.Many2one(
        "hr.kpi.period",
        string="Month",
        required=True,
        index=True,
        check_company=True,
        domain=[("period_type", "=", "monthly")],
        tracking=True,
    )
    group_id = fields.Many2one(
        "hr.kpi.commission.group",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="The reception group (业务组) whose commission is shared by personal "
        "coefficients (an advisor on his own is a group of one); by default the "
        "advisor's group. Fixed once the month is created.",
    )
    repair_receipts = fields.Monetary(
        help="正常维修结算单实际收款: repair invoices paid in the month.", tracking=True
    )
    warranty_claims = fields.Monetary(
        string="Warranty Claims Received",
        help="索赔实际回款: the maker's warranty payments.",
        tracking=True,
    )
    accident_repairs = fields.Monetary(
        help="事故车维修金额, including what the owner pays.", tracking=True
    )
    production_value = fields.Monetary(
        compute="_compute_production_value",
        store=True,
        help="产值 = repair receipts + warranty claims received + accident repairs.",
    )
    production_target = fields.Monetary(tracking=True)
    intake = fields.Float(string="Vehicles Received", digits=(16, 0), tracking=True)
    intake_target = fields.Float(string="Vehicle Intake Target", digits=(16, 0), tracking=True)
    accessory_sales = fields.Monetary(
        help="精品营业额: the amount received for accessories.", tracking=True
    )
    accessory_list = fields.Monetary(
        string="Accessory List Value",
        help="The list price of the accessories sold; at 80 % of it or less (8折) they "
        "earn no commission.",
        tracking=True,
    )
    coefficient = fields.Float(
        string="Personal Coefficient",
        default=1.0,
        digits=(16, 2),
        tracking=True,
        help="个人系数, from 0 to 3: his share of the group's pool is his coefficient over "
        "the group's total.",
    )
    group_coefficient_total = fields.Float(
        string="Group's Total Coefficient",
        compute="_compute_group_coefficient_total",
        digits=(16, 2),
        groups=MANAGER_GROUP,
        help="业务组总系数: the personal coefficients of all the group's months of this "
        "period, confirmed or not; each confirmed advisor's share is his coefficient over "
        "the total of the confirmed months.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    confirmed = fields.Boolean(readonly=True, copy=False, tracking=True)
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    import_key = fields.Char(index=True, copy=False, readonly=True)

    _sql_constraints = [
        (
            "employee_period_uniq",
            "unique(employee_id, period_id)",
            "An advisor has one commission month per period.",
        ),
        ("import_key_uniq", "unique(import_key)", "This row was already imported."),
    ]

    @api.depends("employee_id.name", "period_id.name")
    def _compute_display_name(self):
        for month in self:
            month.display_name = self.env._(
                "%(employee)s · %(period)s",
                employee=month.employee_id.name or "",
                period=month.period_id.name or "",
            )

    @api.depends("group_id", "period_id", "coefficient")
    def _compute_group_coefficient_total(self):
        """The group's total for the period: the saved months of the group (as
        superuser: the total is the denominator of every member's share, shown only
        to KPI managers and officers, even if a reader's rules hide a member's
        month), with the coefficients being edited in place of their saved ones."""
        keyed = self.filtered(lambda month: month.group_id and month.period_id)
        saved = {}
        if keyed:
            rows = (
                self.env["hr.kpi.commission.month"]
                .sudo()
                ._read_group(
                    [
                        ("group_id", "in", keyed.group_id._origin.ids),
                        ("period_id", "in", keyed.period_id._origin.ids),
                        ("id", "not in", [month._origin.id for month in keyed if month._origin]),
                    ],
                    ["group_id", "period_id"],
                    ["coefficient:sum"],
                )
            )
            saved = {(group.id, period.id): total for group, period, total in rows}
        edited = {}
        for month in keyed:
            key = (month.group_id._origin.id, month.period_id._origin.id)
            edited[key] = edited.get(key, 0.0) + month.coefficient
        for month in self:
            key = (month.group_id._origin.id, month.period_id._origin.id)
            month.group_coefficient_total = saved.get(key, 0.0) + edited.get(key, 0.0)

    @api.depends("repair_receipts", "warranty_claims", "accident_repairs")
    def _compute_production_value(self):
        for month in self:
            month.production_value = (
                month.repair_receipts + month.warranty_claims + month.accident_repairs
            )

    @api.constrains(*ADVISOR_FIGURES)
    def _check_figures(self):
        check_numbers(self, FIGURE_LIMITS)

    @api.constrains("employee_id", "group_id")
    def _check_member(self):
        """A month is recorded for a member of its group (RELIABILITY #43)."""
        for month in self:
            if month.employee_id not in month.group_id.member_ids:
                raise ValidationError(
                    self.env._(
                        "%(employee)s is not a member of the commission group %(group)s: "
                        "a month shares the pool of its advisor's own group.",
                        employee=month.employee_id.name,
                        group=month.group_id.name,
                    )
                )

    @api.model
    def _check_manages_groups(self, groups):
        """KPI officers record and confirm months for every group of their companies;
        a KPI manager only for the groups he manages (RELIABILITY #43)."""
        if self.env.su or self.env.user.has_group(OFFICER_GROUP):
            return
        managed = self.env["hr.kpi.commission.group"].search(
            [("id", "in", groups.ids), ("manager_id.user_id", "=", self.env.uid)]
        )
        foreign = groups - managed
        if foreign:
            raise AccessError(
                self.env._(
                    "Only a commission group's manager or a KPI officer records and confirms "
                    "the months of its members: you do not manage this group."
                )
            )

    @api.model
    def _advisor_group(self, employee_id):
        """The group the advisor is a member of (one at a time), among those the user reads."""
        return self.env["hr.kpi.commission.group"].search(
            [("member_ids", "in", [employee_id])], limit=1
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._kpi_check_values(vals)
            if not vals.get("group_id") and vals.get("employee_id"):
                vals["group_id"] = self._advisor_group(vals["employee_id"]).id
            group_id = vals.get("group_id")
            if not group_id:
                raise ValidationError(
                    self.env._(
                        "%(field)s: the advisor is in no commission group; HR adds him to "
                        "one (Configuration > Commission Groups) or the month names it.",
                        field=self._fields["group_id"]._description_string(self.env),
                    )
                )
        self._check_manages_groups(
            self.env["hr.kpi.commission.group"].browse({vals["group_id"] for vals in vals_list})
        )
        return super().create(vals_list)

    def _kpi_fixed_message(self, fnames):
        return self.env._(
            "A commission month keeps its %(fields)s: delete the unconfirmed month "
            "and record a new one.",
            fields=self._kpi_labels(fnames),
        )

    def _kpi_locked_message(self, locked, fnames):
        if not fnames:
            return self.env._(
                "A confirmed commission month cannot be deleted: a KPI officer withdraws "
                "the confirmation first."
            )
        return self.env._(
            "A confirmed commission month is locked: a KPI officer withdraws the "
            "confirmation first."
        )

    def _check_not_about_self(self):
        own = self.filtered(lambda month: month.employee_id.user_id == self.env.user)
        if own:
            raise UserError(
                self.env._(
                    "%(employee)s: nobody confirms his own commission figures; another KPI "
                    "manager or officer must do it.",
                    employee=own[0].employee_id.name,
                )
            )

    def _check_group_not_paid(self):
        """The months of a group decide each member's share: once a done payslip paid
        a member's commission for the month, the group's figures stay as paid (a
        refund of that payslip comes first)."""
        groups = {_group_key(month) for month in self}
        members = (
            self.sudo()
            .search(
                [("period_id", "in", self.period_id.ids), ("group_id", "in", self.group_id.ids)]
            )
            .filtered(lambda month: _group_key(month) in groups)
        ) | self.sudo()
        periods = members.period_id
        paid = (
            self.env["hr.payslip.input"]
            .sudo()
            .search(
                [
                    ("code", "=", KPI_COMMISSION),
                    ("payslip_id.state", "=", "done"),
                    ("payslip_id.credit_note", "=", False),
                    ("payslip_id.employee_id", "in", members.employee_id.ids),
                    ("payslip_id.date_from", "<=", max(periods.mapped("date_to"))),
                    ("payslip_id.date_to", ">=", min(periods.mapped("date_from"))),
                ],
                limit=1,
            )
        )
        if paid:
            raise UserError(
                self.env._(
                    "The commission of %(employee)s for this month is already paid by payslip "
                    "%(payslip)s: the group's figures stay as paid; refund the payslip first.",
                    employee=paid.payslip_id.employee_id.name,
                    payslip=paid.payslip_id._kpi_label(),
                )
            )

    @kpi_action
    def action_confirm(self):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_manager"):
            raise UserError(self.env._("Only a KPI manager or officer confirms commission months."))
        self.check_access("write")
        self._check_manages_groups(self.group_id)
        self._check_member()
        self._check_not_about_self()
        self._check_group_not_paid()
        self.write({"confirmed": True, "confirmed_by_id": self.env.user.id})
        for month in self:
            coefficient = format(month.coefficient, "g")
            total = format(month.group_coefficient_total, "g")
            month.message_post(
                body=self.env._(
                    "Confirmed with a personal coefficient of %(coefficient)s, out of a "
                    "total of %(total)s for the group %(group)s this month.",
                    coefficient=coefficient,
                    group=month.group_id.name,
                    total=total,
                )
            )
        return True

    @kpi_action
    def action_unconfirm(self):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise UserError(self.env._("Only a KPI officer withdraws a confirmation."))
        self.check_access("write")
        self._check_not_about_self()
        self._check_group_not_paid()
        self.write({"confirmed": False, "confirmed_by_id": False})
        return True

    @api.model
    def _kpi_import_create(self, vals_list):
        """Create imported rows; rows marked confirmed are confirmed as by Confirm."""
        records = self.create([dict(vals, confirmed=False) for vals in vals_list])
        to_confirm = self.browse(
            record.id
            for record, vals in zip(records, vals_list, strict=True)
            if vals.get("confirmed")
        )
        if to_confirm:
            to_confirm.action_confirm()
        return records

    # ------------------------------------------------------------------
    # Pay
    # ------------------------------------------------------------------
    @api.model
    def _groups(self, employees, periods):
        """{(employee id, period id): (((month id, AdvisorMonth), ...), own month id)}: the
        confirmed months of the employees' groups in `periods`, as the engine takes them
        (superuser: the payroll bridge checks the payroll group; three queries)."""
        own = self.sudo().search(
            [
                ("employee_id", "in", employees.ids),
                ("period_id", "in", periods.ids),
                ("confirmed", "=", True),
            ]
        )
        if not own:
            return {}
        members = own | self.sudo().search(
            [
                ("period_id", "in", own.period_id.ids),
                ("group_id", "in", own.group_id.ids),
                ("confirmed", "=", True),
            ]
        )
        on_probation = members._on_probation()
        by_group = {}
        for month in members:
            by_group.setdefault(_group_key(month), []).append(
                (month.id, month._engine_month(on_probation))
            )
        return {
            (month.employee_id.id, month.period_id.id): (
                tuple(by_group[_group_key(month)]),
                month.id,
            )
            for month in own
        }

    def _on_probation(self):
        """Ids of the months whose advisor is still on trial at the month's end (试用期):
        a contract of the month whose trial period ends on or after its last day."""
        contracts = (
            self.env["hr.contract"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", self.employee_id.ids),
                    ("state", "in", ("open", "close")),
                    ("trial_date_end", "!=", False),
                ]
            )
        )
        by_employee = {}
        for contract in contracts:
            by_employee.setdefault(contract.employee_id.id, []).append(contract)
        ids = set()
        for month in self:
            period = month.period_id
            for contract in by_employee.get(month.employee_id.id, ()):
                if (
                    contract.date_start <= period.date_to
                    and (not contract.date_end or contract.date_end >= period.date_from)
                    and contract.trial_date_end >= period.date_to
                ):
                    ids.add(month.id)
        return ids

    def _engine_month(self, on_probation):
        self.ensure_one()
        return AdvisorMonth(
            repair_receipts=self.repair_receipts,
            warranty_claims=self.warranty_claims,
            accident_repairs=self.accident_repairs,
            production_target=self.production_target,
            intake=self.intake,
            intake_target=self.intake_target,
            accessory_sales=self.accessory_sales,
            accessory_list=self.accessory_list,
            coefficient=self.coefficient,
            probation=self.id in on_probation,
        )
