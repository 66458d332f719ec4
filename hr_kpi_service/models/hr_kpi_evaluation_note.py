from collections import defaultdict

from odoo import api, fields, models

from .kpi_policy import KpiPolicy, kpi_action


class HrKpiEvaluationNote(models.Model):
    """The managers' and HR's private note about an evaluated employee (seed 001 §6).

    A model of its own so that its record rules can say "minus own" (RELIABILITY
    #46, DESIGN §5.2): the managers above the employee and HR read and write it,
    never the employee himself, even when he is a lead, a manager or an officer
    (field groups are per user, not per record). The evaluation shows it as its
    ``private_note``, read with the user's rights; a note is created only through
    that field (``evaluation_id`` is protected: it never moves to another
    evaluation). Notes written while they were a column of the evaluations'
    table move here once (migrations/18.0.1.2.0)."""

    _name = "hr.kpi.evaluation.note"
    _description = "KPI Evaluation Private Note"
    _inherit = ["hr.kpi.protected.mixin"]
    _order = "evaluation_id, id"
    _rec_name = "evaluation_id"
    _check_company_auto = True
    # created and changed through the evaluation's private note (its inverse)
    _kpi_policy = KpiPolicy(protected=("evaluation_id", "company_id", "employee_id"), unlink="free")

    evaluation_id = fields.Many2one(
        "hr.kpi.evaluation",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True, index=True)
    employee_id = fields.Many2one(
        related="evaluation_id.employee_id", string="Evaluated Employee", store=True, index=True
    )
    note = fields.Text(string="Private Note")

    _sql_constraints = [
        ("evaluation_uniq", "unique(evaluation_id)", "An evaluation has one private note."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        notes = super().create(vals_list)
        self._forget_evaluation_notes()
        return notes

    def write(self, vals):
        result = super().write(vals)
        self._forget_evaluation_notes()
        return result

    def unlink(self):
        result = super().unlink()
        self._forget_evaluation_notes()
        return result

    def _forget_evaluation_notes(self):
        """The evaluations' ``private_note`` is read from here: drop its cached value."""
        self.env["hr.kpi.evaluation"].invalidate_model(["private_note"])

    @api.model
    @kpi_action
    def _kpi_set_notes(self, texts):
        """Set the notes of {evaluation: text} (the evaluation's ``private_note``
        inverse: the evaluation's write checked the caller, his write access and
        four-eyes). Runs with the user's rights: the notes' record rules apply to
        every read, write and create here."""
        existing = {
            note.evaluation_id.id: note
            for note in self.search([("evaluation_id", "in", [e.id for e in texts])])
        }
        emptied, by_text, new = self.browse(), defaultdict(self.browse), []
        for evaluation, text in texts.items():
            note = existing.get(evaluation.id)
            if note and text:
                by_text[text] |= note
            elif note:
                emptied |= note
            elif text:
                new.append({"evaluation_id": evaluation.id, "note": text})
        for text, notes in by_text.items():  # one write per text (a batch clears them all)
            notes.write({"note": text})
        emptied.unlink()
        self.create(new)
