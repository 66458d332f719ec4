"""Shared helpers of the KPI spreadsheet exports (OCA report_xlsx)."""

from odoo import models
from odoo.addons.hr_kpi_service.models.hr_payslip import KPI_CODES
from odoo.tools import LazyTranslate

_lt = LazyTranslate(__name__)

# Column headers of the KPI pay amounts (payslip input codes, DESIGN §7).
KPI_CODE_LABELS = {
    "KPI_STAR": _lt("Star performance pay"),
    "KPI_PERF": _lt("Performance pay"),
    "KPI_LOW": _lt("Low score cut"),
    "KPI_ATT": _lt("Full-attendance bonus"),
    "KPI_AWARD": _lt("Monthly awards"),
    "KPI_ANNUAL": _lt("Annual bonus"),
    "KPI_COMPLAINT": _lt("Complaint cut"),
    "KPI_DEFER": _lt("Commission held to year end"),
    "KPI_POOL": _lt("Profit pool share"),
    "KPI_COMMISSION": _lt("Service advisor commission"),
    "KPI_TEAM": _lt("Team reward"),
    "KPI_BACK": _lt("Performance pay paid back"),
    "KPI_STANDBY": _lt("Unpaid standby training"),
}
PAYROLL_GROUP = "payroll.group_payroll_user"


class ReportHrKpiXlsxCommon(models.AbstractModel):
    """Base of the KPI xlsx reports: headers in the user's language, frozen header
    rows, number formats. Data is gathered per report with a constant number of
    queries (grouped reads, no query per employee)."""

    _name = "report.hr_kpi_service_reports.xlsx_common"
    _inherit = "report.report_xlsx.abstract"
    _description = "KPI Spreadsheet Export Helpers"

    def _get_objs_for_report(self, docids, data):
        """The records to export, refused unless the user may read them
        (RELIABILITY #45): the check the PDF sheets make (access rights and record
        rules, as over RPC), in the base of every KPI spreadsheet, before any data
        is read. The reports then read their data with search_read, read and
        read_group, which apply the record rules and the field groups."""
        records = super()._get_objs_for_report(docids, data)
        records.check_access("read")
        return records

    def create_xlsx_report(self, docids, data):
        # Headers follow the user's language (a Chinese user gets Chinese headers),
        # whatever language the calling context carries.
        lang = self.env.user.lang or self.env.context.get("lang") or "en_US"
        return super(ReportHrKpiXlsxCommon, self.with_context(lang=lang)).create_xlsx_report(
            docids, data
        )

    def _label(self, model, fname):
        """A field's label in the environment's language."""
        return self.env[model]._fields[fname]._description_string(self.env)

    def _selection_labels(self, model, fname):
        field = self.env[model]._fields[fname]
        return dict(field._description_selection(self.env))

    def _code_label(self, code):
        label = KPI_CODE_LABELS.get(code)
        return f"{self.env._(label)} ({code})" if label else code

    def _formats(self, workbook):
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                 "valign": "vcenter"}
            ),
            "text": workbook.add_format({"border": 1}),
            "score": workbook.add_format({"border": 1, "num_format": "0.00"}),
            "int": workbook.add_format({"border": 1, "num_format": "0"}),
            "amount": workbook.add_format({"border": 1, "num_format": "#,##0.00"}),
        }

    def _write_table(self, sheet, formats, header_row, headers, rows, kinds, widths=None):
        """Write `headers` on `header_row`, the rows below it, and freeze the header
        rows and the first column. `kinds`: format key per column."""
        for col, header in enumerate(headers):
            sheet.write_string(header_row, col, header, formats["header"])
            sheet.set_column(col, col, (widths or {}).get(col, max(10, min(30, len(header) * 2))))
        for offset, row in enumerate(rows, start=header_row + 1):
            for col, value in enumerate(row):
                if value is None or value is False:
                    sheet.write_blank(offset, col, None, formats[kinds[col]])
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(offset, col, value, formats[kinds[col]])
                else:
                    sheet.write_string(offset, col, str(value), formats[kinds[col]])
        sheet.freeze_panes(header_row + 1, 1)

    def _may_read_payroll(self):
        return "hr.payslip.input" in self.env and self.env.user.has_group(PAYROLL_GROUP)

    def _kpi_input_amounts(self, payslip_domain):
        """({payslip id: {code: amount}}, codes with an amount) of the payslips
        matching `payslip_domain`: one grouped query."""
        amounts, codes = {}, set()
        groups = self.env["hr.payslip.input"]._read_group(
            [("payslip_id", "any", payslip_domain), ("code", "in", KPI_CODES)],
            ["payslip_id", "code"],
            ["amount:sum"],
        )
        for payslip, code, amount in groups:
            amounts.setdefault(payslip.id, {})[code] = amount
            if amount:  # a code nobody is paid gets no column
                codes.add(code)
        return amounts, [code for code in KPI_CODES if code in codes]
