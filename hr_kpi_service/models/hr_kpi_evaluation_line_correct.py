"""HR's corrections of evaluation lines (更正), after an upheld appeal or a reopen.

A KPI officer corrects a line of an evaluation in HR review, never his own
(four-eyes), with a reason. Three ways, each kept as an ``hr.kpi.evaluation.correction``
and posted in the chatter:

* ``value``: a typed line takes the new value; a line whose value scoring fills (the
  recorded facts, the submitted ratings, the import) is overridden: the override
  wins over the source in scoring and at approval, until an officer removes it;
* ``facts``: after the records were corrected (an incident, a survey card, an
  activity or service-level record edited or added; the line links to them), the
  line is re-read from them now;
* ``release``: the override is removed, and the line reads its source again.

The evaluation is scored again at once, so that the new score shows before approval.
"""

from odoo import fields, models
from odoo.exceptions import UserError

from .kpi_policy import kpi_action, kpi_action_scope

OFFICER = "hr_kpi_service.group_kpi_officer"
CORRECTION_MODES = ("value", "facts", "release")


class HrKpiEvaluationLine(models.Model):
    _inherit = "hr.kpi.evaluation.line"

    override_active = fields.Boolean(
        string="Overridden",
        readonly=True,
        copy=False,
        help="HR overrode the value read from the records (a correction with a reason): "
        "scoring keeps the override until an officer removes it.",
    )
    override_value = fields.Float(
        string="Override", digits=(16, 4), readonly=True, copy=False, aggregator=None
    )
    correction_ids = fields.One2many(
        "hr.kpi.evaluation.correction", "line_id", string="Corrections", readonly=True
    )
    correction_note = fields.Char(
        string="Correction",
        compute="_compute_correction_note",
        help="The last correction of this line: values, who and why.",
    )

    def _compute_correction_note(self):
        for line in self:
            last = line.correction_ids[:1]
            line.correction_note = (
                self.env._(
                    "%(change)s · %(kind)s · %(who)s: %(reason)s",
                    change=last.display_name.split(": ", 1)[-1],
                    kind=last._kind_label(),
                    who=last.corrected_by_id.name,
                    reason=last.reason,
                )
                if last
                else False
            )

    # ------------------------------------------------------------------
    # The action
    # ------------------------------------------------------------------
    @kpi_action
    def action_correct(self, mode, reason, value=None):
        """Correct this line (see the module docstring): `mode` "value" (with `value`),
        "facts" or "release"; `reason` is required. Returns the correction."""
        self.ensure_one()
        evaluation = self.evaluation_id
        evaluation._check_step(OFFICER, self.env._("Correct"))
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(
                self.env._(
                    "%(indicator)s: give the reason of the correction (it is kept with who "
                    "and when).",
                    indicator=self.indicator_id.name,
                )
            )
        if mode not in CORRECTION_MODES:
            raise UserError(self.env._("Choose how the line is corrected."))
        evaluation._lock_rows()
        if evaluation.state != "hr_review":
            raise UserError(
                self.env._(
                    "%(evaluation)s is %(state)s: a line is corrected in HR review. A KPI "
                    "officer reopens an approved evaluation first, with a reason.",
                    evaluation=evaluation.name,
                    state=evaluation._state_label(evaluation.state),
                )
            )
        if self.no_rater:
            raise UserError(
                self.env._(
                    "%(indicator)s: nobody rates this rater group for %(employee)s, so its "
                    "weight goes to the other groups and it takes no value.",
                    indicator=self.indicator_id.name,
                    employee=self.employee_id.name,
                )
            )
        source = self._scoring_source()
        before = {
            "old_has_value": self.has_actual,
            "old_value": self.actual_value,
            "score_before": evaluation.total_score,
            "source_note": self._source_text() if source else False,
        }
        kind = getattr(self, f"_correct_{mode}")(source, value)
        with kpi_action_scope(evaluation):
            evaluation._compute_scores()
        # a system record (its policy): written as the system after the checks above
        correction = self.env["hr.kpi.evaluation.correction"].sudo().create(
            dict(
                before,
                evaluation_id=evaluation.id,
                line_id=self.id,
                kind=kind,
                new_has_value=self.has_actual,
                new_value=self.actual_value,
                score_after=evaluation.total_score,
                reason=reason,
                appeal_id=evaluation.appeal_ids.filtered(lambda a: a.state == "upheld")[:1].id,
                corrected_by_id=self.env.user.id,
                correction_date=fields.Datetime.now(),
            )
        )
        correction = correction.sudo(False)
        evaluation.message_post(body=correction._chatter_text(), subtype_xmlid="mail.mt_note")
        return correction

    def _correct_value(self, source, value):
        if value is None or value is False or isinstance(value, bool):
            raise UserError(
                self.env._(
                    "%(indicator)s: give the corrected value.", indicator=self.indicator_id.name
                )
            )
        self._check_actual_numbers({"actual_value": value})
        if not source:
            self.write({"actual_value": value, "has_actual": True})
            return "typed"
        self.write(
            {
                "override_active": True,
                "override_value": value,
                "actual_value": value,
                "has_actual": True,
            }
        )
        return "override"

    def _correct_facts(self, source, value):
        if source == "override":
            raise UserError(
                self.env._(
                    "%(indicator)s is overridden: remove the override to read the records again.",
                    indicator=self.indicator_id.name,
                )
            )
        if source not in ("facts", "ratings"):
            raise UserError(
                self.env._(
                    "%(indicator)s is not read from records: correct its value instead.",
                    indicator=self.indicator_id.name,
                )
            )
        return "facts"

    def _correct_release(self, source, value):
        if source != "override":
            raise UserError(
                self.env._(
                    "%(indicator)s has no override to remove.", indicator=self.indicator_id.name
                )
            )
        self.write({"override_active": False, "override_value": 0.0})
        return "release"

    def action_open_correction(self):
        """The correction dialog of this line."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct %(indicator)s", indicator=self.indicator_id.name),
            "res_model": "hr.kpi.evaluation.correct",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id},
        }


class HrKpiEvaluation(models.Model):
    _inherit = "hr.kpi.evaluation"

    correction_ids = fields.One2many(
        "hr.kpi.evaluation.correction", "evaluation_id", string="Corrections", readonly=True
    )
