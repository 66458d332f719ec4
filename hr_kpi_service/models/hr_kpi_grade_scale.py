from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import GradeBand, KpiEngineError, check_grade_scale, grade_for


class HrKpiGradeScale(models.Model):
    """An ordered set of grade bands (A/B/C/D, 优/良/中/较差/差, 优秀/合格/不合格)."""

    _name = "hr.kpi.grade.scale"
    _description = "KPI Grade Scale"
    _order = "sequence, id"
    _inherit = ["hr.kpi.shared.config.mixin"]

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    band_ids = fields.One2many("hr.kpi.grade.band", "scale_id", string="Bands", copy=True)
    note = fields.Text(translate=True)

    def _engine_bands(self):
        self.ensure_one()
        return [
            GradeBand(band.code, None if band.is_bottom else band.min_score)
            for band in self.band_ids
        ]

    @api.constrains("band_ids")
    def _check_bands(self):
        for scale in self:
            try:
                check_grade_scale(scale._engine_bands())
            except KpiEngineError as err:
                raise ValidationError(
                    self.env._(
                        "Grade scale %(scale)s: %(reason)s",
                        scale=scale.name,
                        reason=self.env._(err.message, **err.params),
                    )
                ) from err

    def _band_ids_for(self, scores):
        """{score: band id (False: none)} for many scores on this scale: its bands
        read once (grading 2,000 employees called _band_for once per distinct total,
        which read and filtered the bands each time)."""
        self.ensure_one()
        engine_bands = self._engine_bands()
        by_code = {}
        for band in self.band_ids:
            by_code.setdefault(band.code, band.id)
        return {score: by_code.get(grade_for(score, engine_bands), False) for score in scores}

    def _band_for(self, score):
        """The band record of `score` on this scale."""
        self.ensure_one()
        code = grade_for(score, self._engine_bands())
        return self.band_ids.filtered(lambda band: band.code == code)[:1]
