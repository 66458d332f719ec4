"""The results scoring and ranking compute, written for a whole batch in one UPDATE.

With realistic figures nearly every employee has a total, a rank and a previous
score of his own: written through the ORM, one write() per distinct set of values
ran the evaluation's write chain (mail tracking preparation, the policy's checks,
the followers, the payslip allocations) once per employee: at 2,000 employees
1,400-1,500 writes, about a third of Compute Scores, Approve and a re-rank each
(``bench_evaluations --profile score,approve,rank``).

Inside a workflow action (``@kpi_action``) the batch's write access is checked once
(the model's right and the evaluations' record rules), the values pass the policy's
value checks, the mail tracking of the tracked fields (score, veto, grade) is
prepared once for the batch as a write would (the chatter gets the same messages),
then ``kpi_bulk_rows.set_rows_dirty`` puts the rows that change in the record
cache as pending writes: the flush writes them with the evaluation's other pending
fields (Approve's state) in one UPDATE per row (a separate UPDATE of the results
made PostgreSQL write every row, and its ten indexes, once more). Outside actions, for
a few rows, or for fields other than these results, the ORM's grouped writes
(``_write_grouped``) run as before.
"""

from collections import defaultdict

from odoo import models

from .hr_kpi_evaluation import _write_grouped
from .kpi_bulk_rows import set_rows_dirty
from .kpi_policy import in_action

# Below this many rows, the ORM's write is as quick.
BULK_ROWS = 200
# What scoring, grading and ranking compute: nobody types them, no write() of the
# evaluation reacts to them (payslip allocations follow the state, notes their own).
RESULT_FIELDS = frozenset(
    {
        "total_score",
        "missing_count",
        "vetoed",
        "grade_band_id",
        "previous_score",
        "rank_department",
        "rank_company",
        "rank_flag",
        "most_improved",
    }
)


class HrKpiEvaluation(models.Model):
    _inherit = "hr.kpi.evaluation"

    def _kpi_write_results(self, values_by_record, checked=None):
        """Write {evaluation: {result field: value}}, as ``_write_grouped`` does
        (`checked`: the evaluations whose write access was checked already; empty:
        the caller checked them all)."""
        if not values_by_record:
            return
        records = self.browse([record.id for record in values_by_record])
        fnames = {name for values in values_by_record.values() for name in values}
        if (
            len(values_by_record) < BULK_ROWS
            or self.env.su
            or not in_action(records)
            or not fnames <= RESULT_FIELDS
        ):
            _write_grouped(values_by_record, checked=checked)
            return
        self.browse().check_access("write")
        (records if checked is None else checked).check_access("write")
        by_fields = defaultdict(dict)
        seen = set()
        for record, values in values_by_record.items():
            key = tuple(sorted(values.items()))
            if key not in seen:  # the policy's value checks, once per distinct values
                seen.add(key)
                self._kpi_check_values(values)
            by_fields[tuple(sorted(values))][record.id] = values
        context = self.env.context
        tracking = not (context.get("tracking_disable") or context.get("mail_notrack"))
        for names, rows in by_fields.items():
            if tracking:
                # the initial values, before the UPDATE (mail.thread's write does the same)
                self.browse(list(rows))._track_prepare(names)
            set_rows_dirty(self, names, rows)
