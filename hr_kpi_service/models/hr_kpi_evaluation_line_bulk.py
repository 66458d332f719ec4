"""What scoring writes on evaluation lines, for a whole batch in one UPDATE.

Compute Scores and Approve write the points, maximum, weighted score, veto and
"scored on" of every line (and the sourced actuals before): at 2,000 employees x 10
indicators, 20,000 rows with different values. The ORM writes them 100 rows per
UPDATE after converting every value: 220 UPDATEs, 1.6 s in PostgreSQL and 0.9 s of
conversions, the largest item of Compute Scores' profile
(``bench_evaluations --profile score``); one ``UPDATE ... FROM (VALUES ...)`` of the
same 20,000 rows takes 0.25 s. Only the rows whose values differ from what the record
cache holds are written (Approve re-scores what Compute Scores scored: nothing
changes, nothing is written).

The checks of a write stay: this runs inside a workflow action (``@kpi_action``),
after the caller's write access to the evaluations was checked (the lines' record
rules are their evaluation's), with the model's access right and the lines' number
checks; the written fields are those scoring owns. The record cache is updated with
the written values and their dependents are marked as modified, as a write does.
"""

from collections import defaultdict

from odoo import models

from .hr_kpi_evaluation import _write_grouped
from .kpi_bulk_rows import update_rows
from .kpi_policy import in_action

# Below this many rows, the ORM's write is as quick.
BULK_ROWS = 200


class HrKpiEvaluationLine(models.Model):
    _inherit = "hr.kpi.evaluation.line"

    def _kpi_write_bulk(self, values_by_line, checked, evaluations=None, compared=False):
        """Write {line: {field: value}} (inside an action, `checked`: the evaluations
        whose write access was checked for their lines); otherwise, or for a few
        rows, through the ORM's grouped writes (``_write_grouped``). `evaluations`:
        the evaluations of the lines, when the caller read the lines from them (their
        lock is checked without reading the lines' evaluation). `compared`: the caller
        left out the lines whose values are stored already."""
        if not values_by_line:
            return
        lines = self.browse([line.id for line in values_by_line])
        if len(values_by_line) < BULK_ROWS or not (in_action(lines) or self.env.su):
            _write_grouped(values_by_line, checked=checked)
            return
        if not self.env.su:
            # the model's right; the rows' record rules are their evaluation's, checked
            # on `checked` (Odoo checks rules in Python row by row: 4 s for the lines)
            self.browse().check_access("write")
            checked.check_access("write")
        (lines.evaluation_id if evaluations is None else evaluations)._check_unlocked(["line_ids"])
        by_fields = defaultdict(dict)
        for line, values in values_by_line.items():
            self._check_actual_numbers(values)
            by_fields[tuple(sorted(values))][line.id] = values
        for fnames, rows in by_fields.items():
            self._kpi_update_rows(fnames, rows, compared)

    def _kpi_write_bulk_changed(self, values_by_line_id, current, checked, evaluations=None):
        """_kpi_write_bulk of {line id: {field: value}}, leaving out the values equal
        to `current` ({line id: {field: value as read}}: scoring's SQL pass), compared
        as the fields store them."""
        converted = {}  # (field name, value) -> cache value: scores repeat

        def as_cached(name, value):
            key = (name, value)
            if key not in converted:
                converted[key] = self._fields[name].convert_to_cache(value, self)
            return converted[key]

        changed = {}
        for line_id, values in values_by_line_id.items():
            now = current.get(line_id, {})
            for name, value in values.items():
                old = now.get(name)
                if not (old == value and old is not None) and as_cached(name, value) != as_cached(
                    name, old
                ):
                    changed[self.browse(line_id)] = values
                    break
        self._kpi_write_bulk(changed, checked, evaluations, compared=True)

    def _kpi_update_rows(self, fnames, rows, compared=False):
        """One UPDATE of `fnames` for {line id: values} (kpi_bulk_rows.update_rows)."""
        update_rows(self, fnames, rows, compared)
