from odoo import models

LINE = "hr.kpi.star.review.line"
REVIEW = "hr.kpi.star.review"
# The five-star quota line under the title.
QUOTA_FIELDS = ("on_duty_count", "five_star_pct", "five_star_quota", "attendance_limit")


class ReportHrKpiStarReviewXlsx(models.AbstractModel):
    """A quarterly star review (季度星级评定表) with its lines, one sheet per review."""

    _name = "report.hr_kpi_service_reports.star_review_xlsx"
    _inherit = "report.hr_kpi_service_reports.xlsx_common"
    _description = "KPI Star Review Spreadsheet"

    COLUMNS = (
        ("employee_id", "text"),
        ("department_id", "text"),
        ("role", "text"),
        ("month_count", "int"),
        ("quarter_score", "score"),
        ("attendance_events", "int"),
        ("skill_score", "score"),
        ("stars", "int"),
        ("rule", "text"),
        ("explanation", "text"),
    )

    def generate_xlsx_report(self, workbook, data, reviews):
        formats = self._formats(workbook)
        fnames = [fname for fname, _kind in self.COLUMNS]
        lines = self.env[LINE].search_read(
            [("review_id", "in", reviews.ids)], ["review_id", *fnames]
        )
        by_review = {}
        for line in lines:
            by_review.setdefault(line["review_id"][0], []).append(line)
        selections = {
            fname: self._selection_labels(LINE, fname) for fname in ("role", "rule")
        }
        # read(), not the records' attributes: the field groups apply, as over RPC
        for review in reviews.read(["name", *QUOTA_FIELDS]):
            sheet = workbook.add_worksheet(review["name"][:31])
            sheet.write_string(0, 0, review["name"], formats["title"])
            sheet.write_string(
                1,
                0,
                "    ".join(
                    f"{self._label(REVIEW, fname)}: {review[fname]}" for fname in QUOTA_FIELDS
                ),
            )
            headers = [self._label(LINE, fname) for fname in fnames]
            table = []
            for line in by_review.get(review["id"], []):
                row = []
                for fname in fnames:
                    value = line[fname]
                    if fname in selections:
                        value = selections[fname].get(value) if value else None
                    elif isinstance(value, tuple | list):
                        value = value[1]
                    row.append(value)
                table.append(row)
            kinds = [kind for _fname, kind in self.COLUMNS]
            self._write_table(sheet, formats, 2, headers, table, kinds, widths={0: 14, 9: 50})
