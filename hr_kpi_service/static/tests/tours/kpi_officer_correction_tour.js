import { registry } from "@web/core/registry";

// Tour of issue 20 (finding 1): after an upheld appeal, HR corrects 客户满意度 in
// HR review, in zh_CN. Typing the value is refused naming the rating it comes from;
// the correction (an override with a reason) stays through 审批, and reaches the
// payslip (tests/test_tours.py: 刘洋丙, rated 98 by 李娜丙, score 90.80 → 92.00,
// star pay 1,200 → KPI_STAR 1,104.00).
const lineOf = (indicator) =>
    `.o_field_widget[name=line_ids] .o_data_row:has(.o_data_cell[name=indicator_id]:contains(${indicator}))`;
const statusIs = (state) => `.o_statusbar_status button.o_arrow_button_current[data-value=${state}]`;
const confirmDialog = ".modal:has(.modal-footer) .modal-footer .btn-primary";

registry.category("web_tour.tours").add("hr_kpi_service_officer_correction", {
    steps: () => [
        {
            content: "the web client speaks Chinese: the app is 绩效考核",
            trigger: ".o_main_navbar .o_menu_brand:contains(绩效考核)",
        },
        {
            content: "the upheld appeal sent the evaluation back to HR review (人力资源审核)",
            trigger: `${statusIs("hr_review")}:contains(人力资源审核)`,
        },
        {
            trigger: ".o_field_widget[name=total_score]:contains(90.80)",
        },
        {
            content: "type 100 into 客户满意度, as before",
            trigger: `${lineOf("客户满意度")} .o_data_cell[name=actual_value]`,
            run: "click",
        },
        {
            trigger: `${lineOf("客户满意度")}.o_selected_row .o_field_widget[name=actual_value] input`,
            run: "edit 100",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "refused, naming the rating of 李娜丙 the value comes from: nothing is lost in silence",
            trigger: ".modal .modal-body:contains(李娜丙)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "discard the typed value",
            trigger: "body:not(:has(.modal)) .o_form_button_cancel",
            run: "click",
        },
        {
            content: "nothing changed: still 90.80",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=total_score]:contains(90.80)",
        },
        {
            content: "correct the line",
            trigger: `${lineOf("客户满意度")} button[name=action_open_correction]`,
            run: "click",
        },
        {
            content: "the dialog names the rating the value comes from",
            trigger: ".modal .o_field_widget[name=source_summary]:contains(李娜丙)",
        },
        {
            trigger: ".modal .o_field_widget[name=value] input",
            run: "edit 100",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit 申诉成立：回访录音核实，客户满意度为100。",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the line is corrected, with its reason, and the score follows (92.00)",
            trigger: `body:not(:has(.modal)) ${lineOf("客户满意度")} .o_data_cell[name=correction_note]:contains(申诉成立)`,
        },
        {
            trigger: ".o_field_widget[name=total_score]:contains(92.00)",
        },
        {
            content: "approve (审批)",
            trigger: ".o_form_statusbar button[name=action_approve]",
            run: "click",
        },
        {
            content: "approved: the corrected value and score stay",
            trigger: `${statusIs("approved")}`,
        },
        {
            trigger: `${lineOf("客户满意度")} .o_data_cell[name=actual_value]:contains(100)`,
        },
        {
            trigger: ".o_field_widget[name=total_score]:contains(92.00)",
        },
        {
            content: "the correction is in the chatter",
            trigger: ".o-mail-Message:contains(申诉成立)",
        },
        {
            content: "to the month",
            trigger: ".o_field_widget[name=period_id] a",
            run: "click",
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
            trigger: ".o_form_view .o_field_widget[name=slip_ids] .o_data_row:contains(刘洋丙) .o_data_cell:first",
            run: "click",
        },
        {
            content: "the payslip pays the corrected score: 1,200 × 92 % = 1,104.00",
            trigger: ".modal .o_field_widget[name=input_line_ids] .o_data_row:has(.o_data_cell[name=code]:contains(KPI_STAR)) .o_data_cell[name=amount]:contains(1,104.00)",
        },
    ],
});
