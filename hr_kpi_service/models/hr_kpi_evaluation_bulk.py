"""Every transition of the evaluation as a bulk action of the evaluation list
(issue 20, finding 2): each selected evaluation moves on its own (its group, state,
four-eyes and readiness checks, in a savepoint), one that cannot move does not
stop the others, and a summary says per evaluation: done, or skipped and why."""

from odoo import models
from odoo.exceptions import AccessError, RedirectWarning, UserError, ValidationError

from .kpi_policy import kpi_action_scope

OFFICER = "hr_kpi_service.group_kpi_officer"
# step: the action each evaluation runs
BULK_STEPS = {
    "start": "action_start",
    "to_rating": "action_to_rating",
    "to_hr_review": "action_to_hr_review",
    "approve": "action_approve",
    "publish": "action_publish",
    "close": "action_close",
    "reopen": "action_reopen",
}
REFUSALS = (UserError, AccessError, ValidationError, RedirectWarning)


class HrKpiEvaluation(models.Model):
    _inherit = "hr.kpi.evaluation"

    def action_bulk_start(self):
        return self._bulk_transition("start")

    def action_bulk_to_rating(self):
        return self._bulk_transition("to_rating")

    def action_bulk_to_hr_review(self):
        return self._bulk_transition("to_hr_review")

    def action_bulk_approve(self):
        return self._bulk_transition("approve")

    def action_bulk_publish(self):
        return self._bulk_transition("publish")

    def action_bulk_close(self):
        return self._bulk_transition("close")

    def _bulk_step_label(self, step):
        return {
            "start": self.env._("Start Self-assessment"),
            "to_rating": self.env._("Start Rating"),
            "to_hr_review": self.env._("Send to HR Review"),
            "approve": self.env._("Approve"),
            "publish": self.env._("Publish"),
            "close": self.env._("Close"),
            "reopen": self.env._("Reopen"),
        }[step]

    def _bulk_transition(self, step, **kwargs):
        """Run `step` on each evaluation alone (`kwargs`: its arguments, a reopening's
        reason); the summary wizard lists the outcome."""
        rows = self._bulk_outcomes(step, **kwargs)
        return self.env["hr.kpi.evaluation.step"]._open_summary(self._bulk_step_label(step), rows)

    def _bulk_outcomes(self, step, **kwargs):
        """[(evaluation, done, reason, missing lines)] of `step` run per evaluation.

        Each evaluation runs in its own savepoint: a refusal undoes only its own
        changes. The chatter's tracking of the ones done is written before the next
        attempt (a savepoint's rollback drops the pending commit hooks)."""
        method = BULK_STEPS[step]
        rows = []
        done = self.browse()
        for evaluation in self.sorted(lambda e: (e.department_id.name or "", e.name or "")):
            try:
                with self.env.cr.savepoint():
                    if step == "approve":
                        evaluation._bulk_approve_one()
                    else:
                        getattr(evaluation, method)(**kwargs)
            except REFUSALS as err:
                missing = self.env["hr.kpi.evaluation.line"]
                if isinstance(err, RedirectWarning) and step == "to_hr_review":
                    evaluation.invalidate_recordset()
                    missing = missing.union(
                        *(line for line, _r in evaluation._readiness_blocking().get(evaluation, []))
                    )
                rows.append((evaluation, False, err.args[0], missing))
                continue
            self.env.cr.precommit.run()
            done |= evaluation
            rows.append((evaluation, True, evaluation._bulk_note(step), False))
        if step == "approve" and done:
            # ranked once for the periods, after the last approval
            with kpi_action_scope(done):
                done._compute_rankings()
        return rows

    def _bulk_approve_one(self):
        """Approve as action_approve does, without ranking (done once afterwards)."""
        self._check_step(OFFICER, self.env._("Approve"))
        with kpi_action_scope(self):
            self._approve(rank=False)

    def _bulk_note(self, step):
        """What the summary adds to a "done" (what HR still enters in HR review)."""
        if step != "to_hr_review":
            return False
        for_hr = [
            line.indicator_id.name
            for line, reason in self._readiness().get(self, [])
            if reason == "for_hr"
        ]
        if not for_hr:
            return False
        return self.env._("HR enters in HR review: %(lines)s", lines=", ".join(for_hr))
