"""Readiness of evaluations for HR review (issue 20, finding 2): Send to HR Review
checks what Approve checks (a value on every line), less what HR itself types in
HR review, and names each item: the line, the rater still waited for, or the
records its value comes from (engine/readiness.py says what is ready)."""

from odoo import models
from odoo.exceptions import RedirectWarning

from ..engine.readiness import BLOCKING, FOR_HR, NO_RECORDS, WAITING_RATER, line_readiness

# Items named in one refusal message (the list action shows them all).
MESSAGE_ITEMS = 25


class HrKpiEvaluation(models.Model):
    _inherit = "hr.kpi.evaluation"

    def _readiness(self):
        """{evaluation: [(line, reason)]} of the lines not ready (engine reasons),
        FOR_HR lines included (they do not block). Read after the scores were
        computed (sourced values filled, ratings averaged)."""
        result = {}
        for evaluation in self:
            ratings = evaluation.rating_ids
            pending_roles = set(ratings.filtered(lambda r: r.state == "todo").mapped("role"))
            rated_roles = set(ratings.mapped("role"))
            items = []
            for line in evaluation.line_ids:
                reason = line_readiness(
                    has_value=line.has_actual,
                    no_rater=line.no_rater,
                    sourced=line.indicator_id.source_type != "manual",
                    role=line.rater_role,
                    pending_roles=pending_roles,
                    rated_roles=rated_roles,
                )
                if reason != "ready":
                    items.append((line, reason))
            if items:
                result[evaluation] = items
        return result

    def _readiness_blocking(self):
        """{evaluation: [(line, reason)]} of the lines that keep it from HR review."""
        blocking = {}
        for evaluation, items in self._readiness().items():
            kept = [(line, reason) for line, reason in items if reason in BLOCKING]
            if kept:
                blocking[evaluation] = kept
        return blocking

    def _readiness_text(self, line, reason):
        """One item, as the user reads it: whose line, which indicator, what it waits for."""
        subject = f"{line.evaluation_id.employee_id.name} · {line.indicator_id.name}"
        if reason == WAITING_RATER:
            pending = line.evaluation_id.rating_ids.filtered(
                lambda r: r.state == "todo" and r.role == line.rater_role
            )
            roles = dict(pending._fields["role"]._description_selection(self.env))
            return self.env._(
                "%(line)s: waiting for the rating of %(raters)s (not submitted).",
                line=subject,
                raters=", ".join(
                    f"{rating.rater_employee_id.name} ({roles.get(rating.role, '')})"
                    for rating in pending
                ),
            )
        if reason == NO_RECORDS:
            return self.env._(
                "%(line)s: its value comes from %(origin)s, and nothing is recorded for "
                "%(period)s; add the records (or import them), then compute the scores.",
                line=subject,
                origin=line._value_source_label(),
                period=line.evaluation_id.period_id.name,
            )
        if reason == FOR_HR:
            return self.env._("%(line)s: HR enters it in HR review.", line=subject)
        return self.env._("%(line)s: no value entered.", line=subject)

    def _readiness_message(self, step, blocking):
        texts = [
            self._readiness_text(line, reason)
            for items in blocking.values()
            for line, reason in items
        ]
        more = len(texts) - MESSAGE_ITEMS
        body = "\n".join(f"• {text}" for text in texts[:MESSAGE_ITEMS])
        if more > 0:
            body += "\n" + self.env._("… and %(count)s more.", count=more)
        return self.env._(
            "%(step)s: %(count)s items are missing.\n%(items)s",
            step=step,
            count=len(texts),
            items=body,
        )

    def _check_ready_for_hr_review(self):
        """Refuse, naming each item, with a button opening the lines missing."""
        blocking = self._readiness_blocking()
        if not blocking:
            return
        lines = self.env["hr.kpi.evaluation.line"].union(
            *(line for items in blocking.values() for line, _reason in items)
        )
        raise RedirectWarning(
            self._readiness_message(self.env._("Send to HR Review"), blocking),
            lines._action_open_missing(),
            self.env._("Open the missing lines"),
        )
