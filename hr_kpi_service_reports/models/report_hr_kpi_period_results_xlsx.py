from odoo import models

from .hr_kpi_evaluation_report import SCORED_STATES

REPORT = "hr.kpi.evaluation.report"


class ReportHrKpiPeriodResultsXlsx(models.AbstractModel):
    """A period's results (考核结果): one row per employee, a column per indicator
    (its points), then total, grade, ranks, stars and the KPI pay amounts of the
    period's payslips. One sheet per period and scheme (each scheme has its own
    indicators); a constant number of queries per period whatever the number of
    employees."""

    _name = "report.hr_kpi_service_reports.period_results_xlsx"
    _inherit = "report.hr_kpi_service_reports.xlsx_common"
    _description = "KPI Period Results Spreadsheet"

    def generate_xlsx_report(self, workbook, data, periods):
        formats = self._formats(workbook)
        # The period's fields below are read as over RPC (field groups included).
        periods.read(["name", "date_from", "date_to"])
        for period in periods:
            self._period_sheet(workbook, formats, period)

    def _period_rows(self, period):
        """(evaluation rows, {evaluation id: {indicator id: points}}, indicators).

        Rows are plain dicts: search_fetch reads the rows in one query (record rules
        applied) and the names of employees, departments, jobs and schemes are read
        for all of them at once (search_read formats each many2one value one by
        one: a second for 2,000 rows)."""
        records = self.env[REPORT].search_fetch(
            [("period_id", "=", period.id)],
            [
                "evaluation_id",
                "scheme_id",
                "employee_id",
                "department_id",
                "job_id",
                "score",
                "grade_band_id",
                "rank_department",
                "rank_company",
                "rank_flag",
                "most_improved",
                "stars",
                "has_stars",
                "state",
            ],
            order="scheme_id, department_id, rank_company, employee_id",
        )
        # The display names of the rows' many2one values, as read() gives them (the
        # ORM reads a many2one's display name as superuser): one query per model.
        employees, departments, jobs, schemes, grades = (
            dict(zip(related.ids, related.sudo().mapped("display_name"), strict=True))
            for related in (
                records.employee_id,
                records.department_id,
                records.job_id,
                records.scheme_id,
                records.grade_band_id,
            )
        )
        rows = [
            {
                "evaluation_id": record.evaluation_id.id,
                "scheme": (record.scheme_id.id, schemes.get(record.scheme_id.id)),
                "employee_id": record.employee_id.id,
                "employee": employees.get(record.employee_id.id),
                "department": departments.get(record.department_id.id),
                "job": jobs.get(record.job_id.id),
                "score": record.score if record.state in SCORED_STATES else None,
                "grade": grades.get(record.grade_band_id.id),
                "rank_department": record.rank_department,
                "rank_company": record.rank_company,
                "rank_flag": record.rank_flag,
                "most_improved": record.most_improved,
                "stars": record.stars if record.has_stars else None,
            }
            for record in records
        ]
        points, indicators = {}, self.env["hr.kpi.indicator"]
        groups = self.env["hr.kpi.evaluation.line"]._read_group(
            [("evaluation_id", "in", records.evaluation_id.ids)],
            ["evaluation_id", "indicator_id"],
            ["points:sum"],
        )
        for evaluation, indicator, value in groups:
            points.setdefault(evaluation.id, {})[indicator.id] = value
        indicators = indicators.browse({indicator.id for _e, indicator, _v in groups})
        indicators = indicators.sorted(lambda i: (i.scheme_id.id, i.sequence, i.id))
        return rows, points, indicators

    def _period_pay(self, period, employee_ids):
        """({employee id: {code: amount}}, codes) of the payslips over the period."""
        if not self._may_read_payroll() or not employee_ids:
            return {}, []
        domain = [
            ("employee_id", "in", employee_ids),
            ("date_from", "<=", period.date_to),
            ("date_to", ">=", period.date_from),
            ("state", "!=", "cancel"),
        ]
        by_slip, codes = self._kpi_input_amounts(domain)
        by_employee = {}
        for slip in self.env["hr.payslip"].browse(list(by_slip)):
            target = by_employee.setdefault(slip.employee_id.id, {})
            for code, amount in by_slip[slip.id].items():
                target[code] = target.get(code, 0.0) + amount
        return by_employee, codes

    def _period_sheet(self, workbook, formats, period):
        rows, points, indicators = self._period_rows(period)
        pay, codes = self._period_pay(period, [row["employee_id"] for row in rows])
        by_scheme = {}
        for row in rows:
            by_scheme.setdefault(row["scheme"], []).append(row)
        for scheme, scheme_rows in by_scheme.items():
            name = period.name if len(by_scheme) == 1 else f"{period.name} {scheme[1]}"
            self._scheme_sheet(
                workbook.add_worksheet(name[:31]),
                formats,
                self.env._(
                    "Results of %(period)s: %(scheme)s", period=period.name, scheme=scheme[1]
                ),
                scheme_rows,
                points,
                indicators.filtered(lambda i, scheme_id=scheme[0]: i.scheme_id.id == scheme_id),
                pay,
                codes,
            )

    def _scheme_sheet(self, sheet, formats, title, rows, points, indicators, pay, codes):
        evaluation = "hr.kpi.evaluation"
        flags = self._selection_labels(evaluation, "rank_flag")
        sheet.write_string(0, 0, title, formats["title"])
        headers = [
            self._label(evaluation, "employee_id"),
            self._label(evaluation, "department_id"),
            self._label(evaluation, "job_id"),
            *indicators.mapped("name"),
            self._label(evaluation, "total_score"),
            self._label(evaluation, "grade_band_id"),
            self._label(evaluation, "rank_department"),
            self._label(evaluation, "rank_company"),
            self._label(evaluation, "rank_flag"),
            self._label(evaluation, "most_improved"),
            self._label("hr.kpi.star.month", "stars"),
            *[self._code_label(code) for code in codes],
        ]
        kinds = ["text"] * 3 + ["score"] * len(indicators) + ["score", "text", "int", "int"]
        kinds += ["text", "text", "int"] + ["amount"] * len(codes)
        if codes:
            headers.append(self.env._("KPI pay total"))
            kinds.append("amount")
        yes = self.env._("Yes")
        table = []
        for row in rows:
            evaluation_points = points.get(row["evaluation_id"], {})
            amounts = pay.get(row["employee_id"], {})
            line = [
                row["employee"],
                row["department"],
                row["job"],
                *[evaluation_points.get(indicator.id) for indicator in indicators],
                row["score"],
                row["grade"],
                row["rank_department"] or None,
                row["rank_company"] or None,
                flags.get(row["rank_flag"]) if row["rank_flag"] else None,
                yes if row["most_improved"] else None,
                row["stars"],
                *[amounts.get(code, 0.0) if amounts else None for code in codes],
            ]
            if codes:
                line.append(round(sum(amounts.values()), 2) if amounts else None)
            table.append(line)
        self._write_table(sheet, formats, 1, headers, table, kinds, widths={0: 14})
