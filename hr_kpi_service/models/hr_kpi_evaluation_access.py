"""The record rules of many evaluations at once, checked by PostgreSQL.

Odoo 18 checks the record rules of ``check_access`` in Python, record by record
(``filtered_domain`` over the rules' domain, reading every field it names): at 2,000
evaluations one check cost 0.2 to 0.35 s (the manager's ``child_of`` rule walks the
org chart per record), and Compute Scores and Approve check the batch several times
(``bench_evaluations --profile score,approve``). From BULK_RULE_CHECK records on,
the same domain is given to PostgreSQL as one search restricted to the records'
ids, as Odoo 16 and 17 did: the same rules (``ir.rule._compute_domain``, the
user's groups and companies), the same operation, the model's access right checked
first. The search flushes the fields of the domain, so pending changes count as in
the Python check. Anything but "all allowed" is handed to Odoo's own check, which
names the forbidden records (or a deleted one) exactly as it always did.
"""

from odoo import models
from odoo.osv import expression

# From this many evaluations on, their record rules are one query.
BULK_RULE_CHECK = 50


class HrKpiEvaluation(models.Model):
    _inherit = "hr.kpi.evaluation"

    def _check_access(self, operation):
        if self.env.su or len(self._ids) < BULK_RULE_CHECK or not all(self._ids):
            return super()._check_access(operation)
        if not self.env["ir.model.access"].check(self._name, operation, raise_exception=False):
            return super()._check_access(operation)
        domain = self.env["ir.rule"]._compute_domain(self._name, operation)
        if not domain:
            return None
        ids = list(set(self._ids))
        allowed = (
            self.sudo()
            .with_context(active_test=False)
            .search_count(expression.AND([domain, [("id", "in", ids)]]))
        )
        if allowed == len(ids):
            return None
        return super()._check_access(operation)
