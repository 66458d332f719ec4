import { registry } from "@web/core/registry";

// Tour of issue 20 (findings 3 and 5): a lead logs in and lands on his "To Rate"
// list, opens the rating of his rep, sees the attitude rating not entered (an empty
// cell, not 0) and rates it 0; he types 92 calls against a target of 8,000, is
// warned, is refused at Submit, confirms the value and submits
// (tests/test_tours_raters.py).
const line = (indicator) =>
    `.o_field_widget[name=line_ids] .o_data_row:has(.o_data_cell[name=indicator_id]:contains(${indicator}))`;

registry.category("web_tour.tours").add("hr_kpi_service_lead_rates_zero", {
    steps: () => [
        {
            content: "logged in, the lead lands on the ratings waiting for him",
            trigger: ".o_action_manager .o_list_view .o_data_row .o_data_cell[name=employee_id]:contains(服务代表丙)",
        },
        {
            content: "only his pending rating is listed",
            trigger: ".o_list_view:not(:has(.o_data_row:nth-child(2))) .o_data_row .o_data_cell[name=employee_id]",
            run: "click",
        },
        {
            content: "the form says what to type: unit, scale and plausible range",
            trigger: `${line("工作态度")} .o_data_cell[name=unit]:contains(分)`,
        },
        {
            trigger: `${line("工作态度")} .o_data_cell[name=plausible_range]:contains(100)`,
        },
        {
            content: "not entered: an empty cell, not 0",
            trigger: `${line("工作态度")} .o_data_cell[name=value]:not(:contains(0))`,
        },
        {
            trigger: `${line("工作态度")} .o_data_cell[name=value]`,
            run: "click",
        },
        {
            content: "rate 0",
            trigger: `${line("工作态度")} .o_field_widget[name=value] input`,
            run: "edit 0",
        },
        {
            trigger: ".o_form_view .o_form_sheet",
            run: "click",
        },
        {
            content: "0 is shown as entered",
            trigger: `${line("工作态度")} .o_data_cell[name=value]:contains(0)`,
        },
        {
            trigger: `${line("月度通话量")} .o_data_cell[name=value]`,
            run: "click",
        },
        {
            content: "92 calls against a target of 8,000",
            trigger: `${line("月度通话量")} .o_field_widget[name=value] input`,
            run: "edit 92",
        },
        {
            trigger: ".o_form_view .o_form_sheet",
            run: "click",
        },
        {
            content: "warned as it is typed: the plausible range is 800 to 80,000",
            trigger: ".modal .modal-body:contains(92):contains(80,000)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved .o_form_statusbar button[name=action_submit]:contains(提交)",
            run: "click",
        },
        {
            content: "Submit refuses the unconfirmed value, naming it",
            trigger: ".modal .modal-body:contains(月度通话量):contains(92)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "confirm the value on its line (a click on the cell ticks it)",
            trigger: `body:not(:has(.modal)) ${line("月度通话量")} .o_data_cell[name=value_confirmed]:has(input:not(:checked))`,
            run: "click",
        },
        {
            trigger: `${line("月度通话量")} .o_field_widget[name=value_confirmed] input:checked`,
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "submit (提交)",
            trigger: ".o_form_view .o_form_saved .o_form_statusbar button[name=action_submit]:contains(提交)",
            run: "click",
        },
        {
            content: "submitted: no refusal, the rating is done",
            trigger: "body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current[data-value=submitted]",
        },
    ],
});
