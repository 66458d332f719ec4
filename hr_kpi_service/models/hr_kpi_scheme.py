from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import KpiEngineError, check_weights
from .kpi_policy import KpiPolicy, kpi_action

SCHEME_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("archived", "Archived"),
]
ROLE_TYPES = [
    ("staff", "Staff"),
    ("lead", "Team Lead"),
    ("manager", "Manager"),
]
PERIOD_TYPES = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("semiannual", "Semi-annual"),
    ("annual", "Annual"),
]


class HrKpiScheme(models.Model):
    """A KPI scheme (考核方案): who it applies to, its perspectives and indicators."""

    _name = "hr.kpi.scheme"
    _description = "KPI Scheme"
    _inherit = ["mail.thread", "mail.activity.mixin", "hr.kpi.protected.mixin"]
    _order = "is_template desc, sequence, name, id"
    _check_company_auto = True
    # Activation checks the weights: the state changes only through the buttons.
    _kpi_policy = KpiPolicy(protected=("state",))

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(help="Short reference used in reports and imports.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        tracking=True,
        help="Empty only on shipped templates, which every company may copy.",
    )
    state = fields.Selection(
        SCHEME_STATES, default="draft", required=True, tracking=True, copy=False
    )
    is_template = fields.Boolean(
        string="Template",
        copy=False,
        help="Shipped model scheme: copy it as a new scheme to use it.",
    )
    role_type = fields.Selection(ROLE_TYPES, required=True, default="staff", tracking=True)
    period_type = fields.Selection(PERIOD_TYPES, required=True, default="monthly", tracking=True)
    job_ids = fields.Many2many(
        "hr.job",
        string="Jobs",
        check_company=True,
        help="The scheme applies to employees holding one of these jobs.",
    )
    department_ids = fields.Many2many(
        "hr.department",
        string="Departments",
        check_company=True,
        help="The scheme applies to employees of these departments.",
    )
    employee_ids = fields.Many2many(
        "hr.employee",
        "hr_kpi_scheme_hr_employee_rel",
        "scheme_id",
        "employee_id",
        string="Individual Employees",
        check_company=True,
        help="Named employees; these take precedence over jobs and departments.",
    )
    perspective_ids = fields.One2many(
        "hr.kpi.perspective", "scheme_id", string="Perspectives", copy=True
    )
    indicator_ids = fields.One2many("hr.kpi.indicator", "scheme_id", string="Indicators", copy=True)
    perspective_weight_total = fields.Float(
        string="Perspective Weights (%)",
        compute="_compute_weight_totals",
        digits=(16, 2),
    )
    indicator_weight_total = fields.Float(
        string="Indicator Weights (%)",
        compute="_compute_weight_totals",
        digits=(16, 2),
    )
    grade_scale_id = fields.Many2one(
        "hr.kpi.grade.scale",
        tracking=True,
        check_company=True,
        default=lambda self: self.env.ref(
            "hr_kpi_service.grade_scale_abcd", raise_if_not_found=False
        ),
        help="How total scores become grades (A/B/C/D, 优/良/中/较差/差, 优秀/合格/不合格).",
    )
    rater_config_id = fields.Many2one(
        "hr.kpi.rater.config",
        string="Rater Weights",
        tracking=True,
        check_company=True,
        help="Weights of self, superior, peers, subordinates and review group. Empty: "
        "each indicator is scored by its own rater and the weights of the indicators "
        "make the total.",
    )
    note = fields.Html(translate=True)
    assigned_employee_ids = fields.One2many(
        "hr.employee", "kpi_scheme_id", string="Assigned Employees"
    )
    assigned_employee_count = fields.Integer(compute="_compute_assigned_employee_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The scheme code must be unique per company.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("perspective_ids.weight", "indicator_ids.weight", "indicator_ids.scoring_method")
    def _compute_weight_totals(self):
        for scheme in self:
            scheme.perspective_weight_total = sum(scheme.perspective_ids.mapped("weight"))
            scheme.indicator_weight_total = sum(scheme.indicator_ids._weighted().mapped("weight"))

    def _compute_assigned_employee_count(self):
        counts = dict(
            self.env["hr.employee"]._read_group(
                [("kpi_scheme_id", "in", self.ids)], ["kpi_scheme_id"], ["__count"]
            )
        )
        for scheme in self:
            scheme.assigned_employee_count = counts.get(scheme, 0)

    # ------------------------------------------------------------------
    # Invariants
    # ------------------------------------------------------------------
    @api.constrains("state", "is_template", "company_id")
    def _check_template_state(self):
        for scheme in self:
            if not scheme.is_template and not scheme.company_id:
                raise ValidationError(
                    self.env._("The scheme %(name)s needs a company.", name=scheme.name)
                )
        self.filtered(lambda scheme: scheme.state == "active")._check_not_template()

    def _check_not_template(self):
        template = self.filtered("is_template")[:1]
        if template:
            raise ValidationError(
                self.env._(
                    "The template %(name)s cannot be activated: copy it as a new scheme first.",
                    name=template.name,
                )
            )

    @api.constrains("state", "perspective_ids", "indicator_ids")
    def _check_active_weights(self):
        """An active scheme keeps its weights at 100 %, however it is written."""
        self.filtered(lambda scheme: scheme.state == "active")._check_weights_for_activation()

    def _check_not_active(self):
        active = self.filtered(lambda scheme: scheme.state == "active")
        if active:
            raise UserError(
                self.env._(
                    "The scheme %(name)s is active: set it back to draft to remove "
                    "perspectives or indicators.",
                    name=active[0].name,
                )
            )

    def _check_weights_for_activation(self):
        """Raise a translated ValidationError naming the sum when weights are not 100 %.

        Tolerance: weights carry 2 decimals and their sum, rounded to 2 decimals, must
        be 100 (33.33 + 33.33 + 33.34 passes; 3 x 33.333 is stored as 3 x 33.33 = 99.99
        and refused, as is 60 + 30). Every weighted indicator and every perspective
        weighs more than 0.
        """
        for scheme in self:
            if not scheme.indicator_ids:
                raise ValidationError(
                    self.env._(
                        "The scheme %(name)s has no indicators and cannot be activated.",
                        name=scheme.name,
                    )
                )
            checks = (
                [(scheme.perspective_ids.mapped("weight"), self.env._("perspectives"))]
                if scheme.perspective_ids
                else []
            )
            checks.append(
                (scheme.indicator_ids._weighted().mapped("weight"), self.env._("indicators"))
            )
            weightless = scheme.perspective_ids.filtered(lambda p: p.weight <= 0) or (
                # a veto item (pass / fail) zeroes the pay it is linked to: no weight
                scheme.indicator_ids._weighted().filtered(
                    lambda i: i.weight <= 0 and not (i.is_veto or i.scoring_method == "veto")
                )
            )
            if weightless:
                raise ValidationError(
                    self.env._(
                        "The scheme %(name)s cannot be activated: %(item)s has no weight "
                        "(each weight must be above 0 %%).",
                        name=scheme.name,
                        item=weightless[0].name,
                    )
                )
            for weights, label in checks:
                try:
                    check_weights(weights, label=label)
                except KpiEngineError as err:
                    raise ValidationError(
                        self.env._(
                            "The scheme %(name)s cannot be activated: %(reason)s",
                            name=scheme.name,
                            reason=self.env._(err.message, **err.params),
                        )
                    ) from err
            for perspective in scheme.perspective_ids:
                perspective._check_matches_indicators()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_officer(self):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise UserError(self.env._("Only a KPI officer can change the state of a scheme."))
        self.check_access("write")

    @kpi_action
    def action_activate(self):
        self._check_not_template()
        self._check_officer()
        self._check_weights_for_activation()
        self.write({"state": "active"})
        self.env["hr.employee"]._recompute_kpi_scheme(self.company_id)
        return True

    @kpi_action
    def action_set_archived(self):
        self._check_officer()
        self.write({"state": "archived"})
        self.env["hr.employee"]._recompute_kpi_scheme(self.company_id)
        return True

    @kpi_action
    def action_reset_draft(self):
        self._check_officer()
        self.write({"state": "draft"})
        self.env["hr.employee"]._recompute_kpi_scheme(self.company_id)
        return True

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for scheme, vals in zip(self, vals_list, strict=True):
            if "name" not in (default or {}):
                vals["name"] = self.env._("%(name)s (copy)", name=scheme.name)
            if scheme.code and "code" not in (default or {}):
                vals["code"] = False
        return vals_list

    def copy(self, default=None):
        # Copied indicators first point to the source's perspectives: the check is
        # deferred to the remap below, which writes the copied perspectives.
        new_schemes = super(HrKpiScheme, self.with_context(kpi_scheme_copy=True)).copy(
            default=default
        )
        new_schemes = new_schemes.with_env(self.env)
        for source, new_scheme in zip(self, new_schemes, strict=True):
            new_scheme._remap_copied_perspectives(source)
        return new_schemes

    def _remap_copied_perspectives(self, source):
        """Point each copied indicator to the copy of its perspective."""
        old_to_new = dict(zip(source.perspective_ids, self.perspective_ids, strict=True))
        for indicator in self.indicator_ids:
            if indicator.perspective_id in old_to_new:
                indicator.perspective_id = old_to_new[indicator.perspective_id]

    def action_copy_as_new(self):
        """Copy a template (or any scheme) as a new draft scheme of the current company."""
        self.ensure_one()
        new_scheme = self.copy(
            {
                "name": self.name,
                "company_id": self.env.company.id,
                "is_template": False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.kpi.scheme",
            "res_id": new_scheme.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _copy_template_as(self, template_xmlid, new_xmlid, values=None, activate=True):
        """Copy a shipped template under a new XML id (used by demo data and tests).

        :param template_xmlid: full XML id of the template, ``module.name``
        :param new_xmlid: full XML id to give to the copy (skipped if it exists)
        :param values: extra field values for the copy (applicability, company...)
        :param activate: activate the copy after creation (weights are checked)
        :return: the new (or already existing) scheme
        """
        existing = self.env.ref(new_xmlid, raise_if_not_found=False)
        if existing:
            return existing
        template = self.env.ref(template_xmlid)
        scheme = template.copy(
            dict({"name": template.name, "is_template": False}, **(values or {}))
        )
        module, name = new_xmlid.split(".", 1)
        self.env["ir.model.data"].create(
            {
                "module": module,
                "name": name,
                "model": self._name,
                "res_id": scheme.id,
                "noupdate": True,
            }
        )
        if activate:
            scheme._check_weights_for_activation()
            scheme._kpi_write({"state": "active"})
            self.env["hr.employee"]._recompute_kpi_scheme(scheme.company_id)
        return scheme

    def action_open_try_wizard(self):
        self.ensure_one()
        wizard = self.env["hr.kpi.scheme.try"].create({"scheme_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Try this scheme"),
            "res_model": "hr.kpi.scheme.try",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_open_assigned_employees(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Employees on %(scheme)s", scheme=self.name),
            "res_model": "hr.employee",
            "view_mode": "list,form",
            "domain": [("kpi_scheme_id", "=", self.id)],
        }

    def write(self, vals):
        res = super().write(vals)
        if {"job_ids", "department_ids", "employee_ids", "sequence"} & set(vals):
            active = self.filtered(lambda s: s.state == "active")
            if active:
                self.env["hr.employee"]._recompute_kpi_scheme(active.company_id)
        return res
