from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import (
    KpiEngineError,
    check_result_table,
    complaint_rate,
    deferral,
    low_score_cut,
    profit_pool,
)
from .hr_kpi_number_checks import COUNT, MONEY, PERCENT, POINTS, check_numbers
from .kpi_policy import KpiPolicy

# Limits of the company's KPI settings (the shared number check names field and limit).
KPI_SETTING_LIMITS = {
    "kpi_appeal_working_days": (0, 365),
    "kpi_sla_urgent_minutes": (1, 525600),
    "kpi_sla_general_minutes": (1, 525600),
    "kpi_sla_consultation_minutes": (1, 525600),
    "kpi_sla_complaint_response_days": (0, 365),
    "kpi_sla_complaint_solution_days": (0, 365),
    "kpi_import_max_kb": (1, 1048576),
    "kpi_five_star_pct": PERCENT,
    "kpi_attendance_limit": (0, 1000),
    "kpi_award_amount": MONEY,
    "kpi_five_star_award_amount": MONEY,
    "kpi_excellence_award_amount": MONEY,
    "kpi_good_award_amount": MONEY,
    "kpi_attendance_bonus": MONEY,
    "kpi_full_attendance_limit": (0, 1000),
    "kpi_low_score_threshold": POINTS,
    "kpi_low_score_cut_pct": PERCENT,
    "kpi_complaint_cut_1_pct": PERCENT,
    "kpi_complaint_cut_2_pct": PERCENT,
    "kpi_complaint_cut_3_pct": PERCENT,
    "kpi_reception_threshold": POINTS,
    "kpi_reception_cut_pct": PERCENT,
    "kpi_deferral_pct": PERCENT,
    "kpi_pool_revenue_pct": PERCENT,
    "kpi_pool_pct": PERCENT,
    "kpi_pool_coef_service_manager": COUNT,
    "kpi_pool_coef_parts": COUNT,
    "kpi_pool_coef_quality": COUNT,
    "kpi_result_x_pct": PERCENT,
    "kpi_result_y_pct": PERCENT,
    "kpi_result_z_pct": PERCENT,
}




class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "hr.kpi.protected.mixin"]
    _kpi_policy = KpiPolicy(bounds=KPI_SETTING_LIMITS)

    kpi_collection_day_from = fields.Integer(string="KPI Data Collection From (day)", default=10)
    kpi_collection_day_to = fields.Integer(string="KPI Data Collection To (day)", default=15)
    kpi_pay_day = fields.Integer(string="KPI Pay Day", default=20)
    kpi_appeal_working_days = fields.Integer(
        string="Appeal Window (working days)",
        default=3,
        help="Seed 003: an employee may appeal within 3 working days of publication.",
    )

    kpi_sla_urgent_minutes = fields.Integer(string="Urgent: First Response (min)", default=30)
    kpi_sla_general_minutes = fields.Integer(string="General: First Response (min)", default=120)
    kpi_sla_consultation_minutes = fields.Integer(
        string="Consultation: First Response (min)", default=1440
    )
    kpi_sla_complaint_response_days = fields.Integer(
        string="Complaint: Response (working days)", default=1
    )
    kpi_sla_complaint_solution_days = fields.Integer(
        string="Complaint: Solution (working days)", default=3
    )
    kpi_import_max_kb = fields.Integer(
        string="Largest Import File (KB)",
        default=20480,
        help="Files above this size are refused before they are read.",
    )

    # Star reviews and monthly awards (seed 003)
    kpi_five_star_pct = fields.Float(
        string="Five-star Quota (%)",
        default=5.0,
        help="Five stars go to at most this share of the representatives on duty in "
        "the reviewed quarter, rounded down (5 %: 19 reps give no place, 20 give 1, "
        "40 give 2), by rank among those who qualify; unused places lapse and "
        "over-quota reps get 4 stars.",
    )
    kpi_attendance_limit = fields.Integer(
        string="Attendance Events Allowed per Quarter",
        default=3,
        help="Late arrivals, early leaves and approved time off (sick, personal, time "
        "off in lieu) a quarter may hold; more cap the star review at 1 star (0 when "
        "the score misses 1 star).",
    )
    kpi_attendance_leave_type_ids = fields.Many2many(
        "hr.leave.type",
        "res_company_kpi_attendance_leave_type_rel",
        "company_id",
        "leave_type_id",
        string="Time Off Counted for Attendance",
        help="Approved time off of these types counts as attendance events; leave "
        "empty to count every type.",
    )
    kpi_award_amount = fields.Monetary(
        string="Monthly Star Award",
        currency_field="currency_id",
        default=200.0,
        help="Amount of each monthly award: service star, progress star, efficiency "
        "star (seed 003: 200).",
    )
    kpi_five_star_award_amount = fields.Monetary(
        string="Five-star Award (one-time)",
        currency_field="currency_id",
        help="Paid once, with the month's awards (KPI_AWARD), to a representative whom a "
        "written commendation lifts to five stars (seed 003 names the award, not its "
        "amount).",
    )
    kpi_excellence_award_amount = fields.Monetary(
        string="Excellence Award (top 10 %)",
        currency_field="currency_id",
        help="Monthly amount for the top 10 % of the company ranking (seed 003 names the "
        "award, not its amount); without an amount no such award is given.",
    )
    kpi_good_award_amount = fields.Monetary(
        string="Good Performance Award (10–30 %)",
        currency_field="currency_id",
        help="Monthly amount for the 10–30 % band of the company ranking; without an "
        "amount no such award is given.",
    )

    @api.constrains("kpi_collection_day_from", "kpi_collection_day_to", "kpi_pay_day")
    def _check_kpi_days(self):
        for company in self:
            days = (
                company.kpi_collection_day_from,
                company.kpi_collection_day_to,
                company.kpi_pay_day,
            )
            if not all(1 <= day <= 28 for day in days) or days[0] > days[1]:
                raise ValidationError(
                    self.env._(
                        "KPI calendar days must lie between 1 and 28, and data collection "
                        "must start before it ends."
                    )
                )

    # ------------------------------------------------------------------
    # Pay formulas of the payroll bridge (DESIGN §7). The salary rules of the
    # "Customer service" structure only read payslip inputs; every percentage
    # that turns a score into an amount is configured here, per company.
    # ------------------------------------------------------------------
    kpi_attendance_bonus = fields.Monetary(
        string="Full-attendance Bonus",
        currency_field="currency_id",
        default=200.0,
        help="Paid as KPI_ATT in a month of full attendance (seed 003: 200).",
    )
    kpi_full_attendance_limit = fields.Integer(
        string="Attendance Events Allowed per Month",
        default=3,
        help="Seed 003: a month with at most this many late arrivals, early leaves and "
        "approved time off (of the types counted for attendance) and no absenteeism is a "
        "month of full attendance. The one rule decides both the full-attendance bonus "
        "(KPI_ATT) and the monthly awards' attendance condition. Set 0 to require none "
        "at all.",
    )
    kpi_low_score_threshold = fields.Float(
        string="Low Score Below",
        default=60.0,
        help="Seed 001: a month scored below this loses part of its performance pay.",
    )
    kpi_low_score_cut_pct = fields.Float(
        string="Low Score Cut (%)",
        default=30.0,
        help="Share of the month's performance pay (star pay and performance pay) cut "
        "below the low-score threshold; the base salary is untouched (KPI_LOW).",
    )
    kpi_complaint_cut_1_pct = fields.Float(string="Commission Cut, 1st Complaint (%)", default=5.0)
    kpi_complaint_cut_2_pct = fields.Float(string="Commission Cut, 2nd Complaint (%)", default=20.0)
    kpi_complaint_cut_3_pct = fields.Float(
        string="Commission Cut, 3rd Complaint (%)",
        default=50.0,
        help="Seed 000: the commission is cut by the rate of the number of substantiated "
        "complaints of the month (the last rate from the 3rd on), KPI_COMPLAINT.",
    )
    kpi_reception_threshold = fields.Float(
        string="Reception Score Below",
        default=96.0,
        help="Seed 000: for contracts marked as reception staff, a month score below this "
        "cuts the commission further.",
    )
    kpi_reception_cut_pct = fields.Float(string="Reception Score Cut (%)", default=10.0)
    kpi_deferral_pct = fields.Float(
        string="Commission Held to Year End (%)",
        default=30.0,
        help="Seed 000: this share of the commission above the base salary is held to the "
        "year-end settlement (KPI_DEFER).",
    )
    kpi_pool_revenue_pct = fields.Float(
        string="Profit Pool: Revenue Share (%)",
        default=34.0,
        help="Seed 000: bonus base = (gross profit - revenue x this %) x pool share.",
    )
    kpi_pool_pct = fields.Float(string="Profit Pool: Pool Share (%)", default=3.0)
    kpi_pool_coef_service_manager = fields.Float(
        string="Pool Coefficient: Service Manager", default=3.0
    )
    kpi_pool_coef_parts = fields.Float(string="Pool Coefficient: Parts", default=5.0)
    kpi_pool_coef_quality = fields.Float(
        string="Pool Coefficient: Quality Inspection",
        default=2.0,
        help="Seed 000: the pool is split between the holders of the positions in "
        "proportion to these coefficients (3 : 5 : 2).",
    )
    kpi_result_x_pct = fields.Float(
        string="Result Table: Bonus at 80-89 (%)",
        default=80.0,
        help="Seed 003 result table: 90-100 points pay the full bonus, 80-89 this share.",
    )
    kpi_result_y_pct = fields.Float(string="Result Table: Bonus at 70-79 (%)", default=50.0)
    kpi_result_z_pct = fields.Float(
        string="Result Table: Fixed Pay Cut below 70 (%)",
        default=10.0,
        help="Below 70 points no bonus, and the fixed pay is cut by this share.",
    )

    def _kpi_pay_settings(self):
        """The pay parameters of one company, as the engine takes them."""
        self.ensure_one()
        return {
            "attendance_bonus": self.kpi_attendance_bonus,
            "attendance_limit": self.kpi_full_attendance_limit,
            "low_threshold": self.kpi_low_score_threshold,
            "low_cut": self.kpi_low_score_cut_pct,
            "complaint_steps": (
                self.kpi_complaint_cut_1_pct,
                self.kpi_complaint_cut_2_pct,
                self.kpi_complaint_cut_3_pct,
            ),
            "reception_threshold": self.kpi_reception_threshold,
            "reception_cut": self.kpi_reception_cut_pct,
            "deferral": self.kpi_deferral_pct,
            "pool_ratio": self.kpi_pool_revenue_pct,
            "pool_pct": self.kpi_pool_pct,
            "pool_coefficients": {
                "service_manager": self.kpi_pool_coef_service_manager,
                "parts": self.kpi_pool_coef_parts,
                "quality_inspection": self.kpi_pool_coef_quality,
            },
            "result_table": (
                (90.0, 100.0),
                (80.0, self.kpi_result_x_pct),
                (70.0, self.kpi_result_y_pct),
            ),
            "result_cut": self.kpi_result_z_pct,
        }

    @api.constrains(*KPI_SETTING_LIMITS)
    def _check_kpi_numbers(self):
        check_numbers(self, KPI_SETTING_LIMITS)

    @api.constrains(
        "kpi_attendance_bonus",
        "kpi_full_attendance_limit",
        "kpi_low_score_threshold",
        "kpi_low_score_cut_pct",
        "kpi_complaint_cut_1_pct",
        "kpi_complaint_cut_2_pct",
        "kpi_complaint_cut_3_pct",
        "kpi_reception_threshold",
        "kpi_reception_cut_pct",
        "kpi_deferral_pct",
        "kpi_pool_revenue_pct",
        "kpi_pool_pct",
        "kpi_pool_coef_service_manager",
        "kpi_pool_coef_parts",
        "kpi_pool_coef_quality",
        "kpi_result_x_pct",
        "kpi_result_y_pct",
        "kpi_result_z_pct",
    )
    def _check_kpi_pay_settings(self):
        """Let the engine validate the pay parameters (it raises on bad ones)."""
        for company in self:
            settings = company._kpi_pay_settings()
            try:
                if company.kpi_attendance_bonus < 0 or company.kpi_full_attendance_limit < 0:
                    raise ValidationError(
                        self.env._(
                            "The full-attendance bonus and the attendance events allowed "
                            "per month cannot be negative."
                        )
                    )
                low_score_cut(0.0, 100.0, settings["low_threshold"], settings["low_cut"])
                complaint_rate(
                    1,
                    settings["complaint_steps"],
                    0.0,
                    settings["reception_threshold"],
                    settings["reception_cut"],
                )
                deferral(0.0, 0.0, settings["deferral"])
                profit_pool(
                    0.0,
                    0.0,
                    100.0,
                    settings["pool_coefficients"],
                    settings["pool_ratio"],
                    settings["pool_pct"],
                )
                check_result_table(settings["result_table"])
                low_score_cut(0.0, 100.0, 70.0, settings["result_cut"])
            except KpiEngineError as err:
                raise ValidationError(
                    self.env._(
                        "%(company)s: %(reason)s",
                        company=company.name,
                        reason=self.env._(err.message, **err.params),
                    )
                ) from err
