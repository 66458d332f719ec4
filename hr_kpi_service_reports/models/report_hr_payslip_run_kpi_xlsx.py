from odoo import models

SLIP = "hr.payslip"


class ReportHrPayslipRunKpiXlsx(models.AbstractModel):
    """The KPI amounts of a payslip batch: one row per payslip, one column per KPI
    input code, the KPI total and the net pay. One sheet per batch."""

    _name = "report.hr_kpi_service_reports.payslip_run_kpi_xlsx"
    _inherit = "report.hr_kpi_service_reports.xlsx_common"
    _description = "Payslip Batch KPI Amounts Spreadsheet"

    def generate_xlsx_report(self, workbook, data, runs):
        formats = self._formats(workbook)
        slips = self.env[SLIP].search_read(
            [("payslip_run_id", "in", runs.ids)],
            ["payslip_run_id", "number", "employee_id", "date_from", "date_to"],
            order="payslip_run_id, employee_id",
        )
        amounts, codes = self._kpi_input_amounts([("payslip_run_id", "in", runs.ids)])
        net = dict(
            (slip.id, total)
            for slip, total in self.env["hr.payslip.line"]._read_group(
                [("slip_id", "in", [slip["id"] for slip in slips]), ("code", "=", "NET")],
                ["slip_id"],
                ["total:sum"],
            )
        )
        by_run = {}
        for slip in slips:
            by_run.setdefault(slip["payslip_run_id"][0], []).append(slip)
        headers = [
            self._label(SLIP, "employee_id"),
            self._label(SLIP, "number"),
            self._label(SLIP, "date_from"),
            self._label(SLIP, "date_to"),
            *[self._code_label(code) for code in codes],
            self.env._("KPI pay total"),
            self.env._("Net pay"),
        ]
        kinds = ["text"] * 4 + ["amount"] * (len(codes) + 2)
        for run in runs.read(["name"]):  # read(): the field groups apply, as over RPC
            sheet = workbook.add_worksheet(run["name"][:31])
            sheet.write_string(0, 0, run["name"], formats["title"])
            table = []
            for slip in by_run.get(run["id"], []):
                slip_amounts = amounts.get(slip["id"], {})
                table.append(
                    [
                        slip["employee_id"][1],
                        slip["number"] or None,
                        str(slip["date_from"]),
                        str(slip["date_to"]),
                        *[slip_amounts.get(code, 0.0) for code in codes],
                        round(sum(slip_amounts.values()), 2),
                        net.get(slip["id"]),
                    ]
                )
            self._write_table(sheet, formats, 1, headers, table, kinds, widths={0: 14})
