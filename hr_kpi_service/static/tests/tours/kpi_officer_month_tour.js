import { registry } from "@web/core/registry";

// Tour (a) of issue 13: an officer runs a month from its period, in zh_CN: generate,
// rate, approve, publish, payslip batch, Add KPI lines; the payslip shows the
// amounts of the evaluation (tests/test_tours.py sets up the month: one service
// manager, commission base 5,000 ¥, scored 95 → KPI_PERF 4,750, net 9,950).
const lineOf = (indicator) =>
    `.o_field_widget[name=line_ids] .o_data_row:has(.o_data_cell[name=indicator_id]:contains(${indicator}))`;
const statusIs = (state) => `.o_statusbar_status button.o_arrow_button_current[data-value=${state}]`;
const notification = ".o_notification_manager .o_notification";
const confirmDialog = ".modal:has(.modal-footer) .modal-footer .btn-primary";

registry.category("web_tour.tours").add("hr_kpi_service_officer_month", {
    steps: () => [
        {
            content: "the web client speaks Chinese: the app is 绩效考核",
            trigger: ".o_main_navbar .o_menu_brand:contains(绩效考核)",
        },
        {
            content: "the web client speaks Chinese: the period's state reads 开放",
            trigger: `${statusIs("open")}:contains(开放)`,
        },
        {
            content: "no evaluation yet: Generate is the primary step",
            trigger: ".o_form_statusbar button.btn-primary[name=action_generate_evaluations]",
            run: "click",
        },
        {
            content: "the notification says what was generated",
            trigger: `${notification}:contains(1)`,
        },
        {
            content: "the smart button counts the new evaluation",
            trigger: ".oe_stat_button[name=action_open_evaluations] div[name=evaluation_count]:contains(1)",
            run: "click",
        },
        {
            content: "open the service manager's evaluation (草稿)",
            trigger: ".o_list_view .o_data_row:has(.o_data_cell[name=employee_id]:contains(服务经理甲)) .o_data_cell[name=employee_id]",
            run: "click",
        },
        {
            trigger: `${statusIs("draft")}:contains(草稿)`,
        },
        {
            content: "rate: the monthly performance",
            trigger: `${lineOf("月度绩效")} .o_data_cell[name=actual_value]`,
            run: "click",
        },
        {
            trigger: `${lineOf("月度绩效")}.o_selected_row .o_field_widget[name=actual_value] input`,
            run: "edit 95",
        },
        {
            content: "rate: the red line is kept (1 = pass)",
            trigger: `${lineOf("服务红线")} .o_data_cell[name=actual_value]`,
            run: "click",
        },
        {
            trigger: `${lineOf("服务红线")}.o_selected_row .o_field_widget[name=actual_value] input`,
            run: "edit 1",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "points (0–100) show no decimals: 95, not 95.0000",
            trigger: `.o_form_saved ${lineOf("月度绩效")} .o_data_cell[name=actual_value]:contains(95):not(:contains(95.0))`,
        },
        {
            trigger: "button[name=action_start]",
            run: "click",
        },
        {
            trigger: `${statusIs("self_assessment")}`,
        },
        {
            trigger: "button[name=action_to_rating]",
            run: "click",
        },
        {
            trigger: `${statusIs("rating")}`,
        },
        {
            trigger: "button[name=action_to_hr_review]",
            run: "click",
        },
        {
            content: "in HR review (人力资源审核), scored 95.00",
            trigger: `${statusIs("hr_review")}:contains(人力资源审核)`,
        },
        {
            trigger: ".o_field_widget[name=total_score]:contains(95.00)",
        },
        {
            content: "back to the period",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(2026-11)",
            run: "click",
        },
        {
            trigger: ".oe_stat_button div[name=evaluation_hr_review_count]:contains(1)",
        },
        {
            content: "approve every evaluation in HR review",
            trigger: ".o_form_statusbar button[name=action_approve_evaluations]",
            run: "click",
        },
        {
            trigger: confirmDialog,
            run: "click",
        },
        {
            trigger: ".oe_stat_button div[name=evaluation_approved_count]:contains(1)",
        },
        {
            content: "publish every approved evaluation",
            trigger: ".o_form_statusbar button[name=action_publish_evaluations]",
            run: "click",
        },
        {
            trigger: confirmDialog,
            run: "click",
        },
        {
            content: "published",
            trigger: ".oe_stat_button div[name=evaluation_published_count]:contains(1)",
        },
        {
            content: "the month's payslip batch",
            trigger: ".o_form_statusbar button[name=action_payslip_batch]",
            run: "click",
        },
        {
            trigger: confirmDialog,
            run: "click",
        },
        {
            content: "the batch opens with its payslip",
            trigger: ".o_form_view .o_field_widget[name=slip_ids] .o_data_row:contains(服务经理甲)",
        },
        {
            content: "Add KPI lines to the batch",
            trigger: ".o_form_statusbar button[name=action_add_kpi_lines]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=slip_ids] .o_data_row:contains(服务经理甲) .o_data_cell:first",
            run: "click",
        },
        {
            content: "the payslip's KPI input: 5,000 × 95 % = 4,750.00",
            trigger: ".modal .o_field_widget[name=input_line_ids] .o_data_row:has(.o_data_cell[name=code]:contains(KPI_PERF)) .o_data_cell[name=amount]:contains(4,750.00)",
        },
        {
            trigger: ".modal .o_notebook .nav-link[name=computation]",
            run: "click",
        },
        {
            content: "net pay: 5,000 + 4,750 + 200 full attendance = 9,950.00",
            trigger: ".modal .o_field_widget[name=dynamic_filtered_payslip_lines] .o_data_row:has(.o_data_cell[name=code]:contains(NET)) .o_data_cell[name=total]:contains(9,950.00)",
        },
    ],
});
