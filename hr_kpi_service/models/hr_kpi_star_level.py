from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import (
    LEAD_MAX_STARS,
    REP_MAX_STARS,
    SEED_003_LEAD_LEVELS,
    SEED_003_REP_LEVELS,
    KpiEngineError,
    StarLevel,
    check_star_levels,
)
from .hr_kpi_number_checks import MONEY, POINTS, check_numbers
from .kpi_policy import KpiPolicy

REP = "rep"
LEAD = "lead"
STAR_ROLES = [(REP, "Representative"), (LEAD, "Team Lead")]
ROLE_MAX_STARS = {REP: REP_MAX_STARS, LEAD: LEAD_MAX_STARS}
# The role of the star ladders from the role type of the employee's scheme.
SCHEME_STAR_ROLES = {"staff": REP, "lead": LEAD}
SEED_LEVELS = {REP: SEED_003_REP_LEVELS, LEAD: SEED_003_LEAD_LEVELS}
SCORE_DIGITS = (16, 2)


def fmt_number(value):
    """A score, share or amount as people write it: 92, 86.5, 1080 (no trailing .0)."""
    return f"{round(value or 0.0, 4):.4f}".rstrip("0").rstrip(".")


def engine_message(env, err, subject=None):
    """The translated message of an engine error, optionally naming its subject."""
    reason = env._(err.message, **err.params)
    if subject:
        reason = env._("%(subject)s: %(reason)s", subject=subject, reason=reason)
    return reason


# What a level is: fixed once a star review line or a monthly star points to it (its
# thresholds and pay stay configuration, a monthly star keeps the pay it computed).
IDENTITY_FIELDS = ("company_id", "role", "stars")

# Limits of the numeric fields (shared check: finite, within these bounds).
NUMBER_LIMITS = {
    "stars": (0, 5),
    "min_score": POINTS,
    "min_skill": POINTS,
    "pay": MONEY,
}




class HrKpiStarLevel(models.Model):
    """One star of a company's ladder (星级): its thresholds and monthly pay.

    A ladder is the set of levels of one company and role, every star from 0 to
    the role's top (5 for representatives, 4 for team leads) once. The engine
    checks it (``check_star_levels``) as soon as the top star exists.
    """

    _name = "hr.kpi.star.level"
    _description = "KPI Star Level"
    _inherit = ["hr.kpi.protected.mixin"]
    _kpi_policy = KpiPolicy(bounds=NUMBER_LIMITS)
    _order = "company_id, role, stars"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    role = fields.Selection(STAR_ROLES, required=True, default=REP)
    stars = fields.Integer(required=True, aggregator=None)
    min_score = fields.Float(
        aggregator=None,
        string="Minimum Quarter Score",
        digits=SCORE_DIGITS,
        help="The mean of the quarter's monthly scores this star needs.",
    )
    min_skill = fields.Float(
        aggregator=None,
        string="Minimum Skill Test",
        digits=SCORE_DIGITS,
        help="The skill test result this star needs, e.g. typing speed in characters per minute.",
    )
    pay = fields.Monetary(
        string="Monthly Star Pay",
        currency_field="currency_id",
        help="Star performance pay (星级绩效工资) of a month, before the month score percentage.",
    )

    _sql_constraints = [
        (
            "company_role_stars_uniq",
            "unique(company_id, role, stars)",
            "Each star appears once per company and role.",
        ),
    ]

    def write(self, vals):
        if set(vals) & set(IDENTITY_FIELDS):
            self._check_unused()
        return super().write(vals)

    def unlink(self):
        self._check_unused()
        return super().unlink()

    def _check_unused(self):
        """A level given by a star review or a monthly star keeps its stars, role and
        company, and is not deleted (the stars it gave would change or vanish)."""
        domain = [("star_level_id", "in", self.ids)]
        used = self.env["hr.kpi.star.review.line"].search(domain, limit=1).star_level_id
        used = used or self.env["hr.kpi.star.month"].search(domain, limit=1).star_level_id
        if used:
            raise UserError(
                self.env._(
                    "%(level)s was given by star reviews or monthly stars: its stars, role "
                    "and company no longer change, and it is not deleted.",
                    level=used.display_name,
                )
            )

    def _composed_names(self):
        """{level: "3 ★ role"} in the environment's language."""
        roles = dict(self._fields["role"]._description_selection(self.env))
        return {
            level: self.env._(
                "%(stars)s ★ %(role)s", stars=level.stars, role=roles.get(level.role, "")
            )
            for level in self
        }

    @api.depends("stars", "role")
    def _compute_name(self):
        for level, name in self._composed_names().items():
            level.name = name

    @api.depends("stars", "role")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # Composed in the reader's language; the stored name is the creator's.
        for level, name in self._composed_names().items():
            level.display_name = name

    @api.constrains("company_id", "role", "stars", "min_score", "min_skill", "pay")
    def _check_ladder(self):
        """Check each touched ladder with the engine once it reaches its top star.

        A ladder is entered level by level, so a ladder without its top star is
        only checked when it is used (:meth:`_ladders`).
        """
        for company, role in {(level.company_id, level.role) for level in self}:
            levels = self.search([("company_id", "=", company.id), ("role", "=", role)])
            top = ROLE_MAX_STARS[role]
            stars = levels.mapped("stars")
            if max(stars) < top and min(stars) >= 0:
                continue
            try:
                check_star_levels(levels._engine_levels(), top)
            except KpiEngineError as err:
                raise ValidationError(
                    engine_message(self.env, err, subject=levels[0]._ladder_label())
                ) from err

    def _engine_levels(self):
        return [
            StarLevel(level.stars, level.min_score, level.min_skill, level.pay) for level in self
        ]

    def _ladder_label(self):
        self.ensure_one()
        roles = dict(self._fields["role"]._description_selection(self.env))
        return self.env._(
            "Star ladder %(role)s of %(company)s",
            role=roles[self.role],
            company=self.company_id.name,
        )

    @api.model
    def _ladders(self, company):
        """{role: (engine ladder, {stars: level record})} of a company.

        Raises a UserError naming the ladder when it is missing or incomplete.
        """
        levels = self.search([("company_id", "=", company.id)])
        roles = dict(self._fields["role"]._description_selection(self.env))
        result = {}
        for role, _label in STAR_ROLES:
            ladder = levels.filtered(lambda level, r=role: level.role == r)
            if not ladder:
                raise UserError(
                    self.env._(
                        "The company %(company)s has no star levels for %(role)s: set "
                        "them up in Performance › Stars and Awards › Star Levels.",
                        company=company.name,
                        role=roles[role],
                    )
                )
            try:
                checked = check_star_levels(ladder._engine_levels(), ROLE_MAX_STARS[role])
            except KpiEngineError as err:
                raise UserError(
                    engine_message(self.env, err, subject=ladder[0]._ladder_label())
                ) from err
            result[role] = (checked, {level.stars: level for level in ladder})
        return result

    @api.model
    def _create_seed_levels(self, company_ids):
        """Create seed 003's demo ladders (rep 3 stars = 1200, lead 2 stars = 2000)
        for the companies that have no level of a role yet; returns the new levels."""
        companies = self.env["res.company"].browse(company_ids)
        existing = {
            (level.company_id.id, level.role)
            for level in self.search([("company_id", "in", companies.ids)])
        }
        vals_list = [
            {
                "company_id": company.id,
                "role": role,
                "stars": level.stars,
                "min_score": level.min_score,
                "min_skill": level.min_skill,
                "pay": level.pay,
            }
            for company in companies
            for role, levels in SEED_LEVELS.items()
            if (company.id, role) not in existing
            for level in levels
        ]
        return self.create(vals_list)

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
