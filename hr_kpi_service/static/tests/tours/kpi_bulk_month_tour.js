import { registry } from "@web/core/registry";

// Tour of issue 20 (finding 2): an officer moves a month's evaluations in bulk from
// the list, in zh_CN: select all, 开始自评, 开始评分, 提交人力资源审核; the summary says
// per evaluation what was done and what was skipped and why (陈静's rater 王建国 has
// not rated), and opens her missing lines (tests/test_tours_month_steps.py).
const selectAll = "thead .o_list_record_selector input";
const summary = ".modal:has(.o_field_widget[name=line_ids])";
const closeSummary = ".modal-footer button[name=action_close]";

function bulkStep(button, done, skipped) {
    return [
        {
            content: "select every evaluation of the list",
            trigger: `.o_list_view:not(:has(.o_data_row .o_list_record_selector input:checked)) ${selectAll}`,
            run: "click",
        },
        {
            content: `the list's bulk action ${button}`,
            trigger: `button[name=${button}]`,
            run: "click",
        },
        {
            content: `the summary: ${done} done`,
            trigger: `${summary} .o_field_widget[name=done_count]:contains(${done})`,
        },
        {
            content: `the summary: ${skipped} skipped`,
            trigger: `${summary} .o_field_widget[name=skipped_count]:contains(${skipped})`,
        },
    ];
}

registry.category("web_tour.tours").add("hr_kpi_service_bulk_month", {
    steps: () => [
        {
            content: "the web client speaks Chinese: the app is 绩效考核",
            trigger: ".o_main_navbar .o_menu_brand:contains(绩效考核)",
        },
        {
            content: "three evaluations in draft (草稿)",
            trigger: ".o_list_view .o_data_row:eq(2) .o_data_cell[name=state]:contains(草稿)",
        },
        ...bulkStep("action_bulk_start", 3, 0),
        { trigger: closeSummary, run: "click" },
        {
            content: "back on the list: in self-assessment (自评)",
            trigger: "body:not(:has(.modal)) .o_list_view .o_data_row:eq(2) .o_data_cell[name=state]:contains(自评)",
        },
        ...bulkStep("action_bulk_to_rating", 3, 0),
        { trigger: closeSummary, run: "click" },
        {
            content: "back on the list: in rating (评分)",
            trigger: "body:not(:has(.modal)) .o_list_view .o_data_row:eq(2) .o_data_cell[name=state]:contains(评分)",
        },
        ...bulkStep("action_bulk_to_hr_review", 2, 1),
        {
            content: "陈静 is skipped: her rater 王建国 has not rated",
            trigger: `${summary} .o_data_row:has(.o_data_cell[name=evaluation_id]:contains(陈静)) .o_data_cell[name=reason]:contains(王建国)`,
        },
        {
            content: "刘洋 went to HR review (人力资源审核)",
            trigger: `${summary} .o_data_row:has(.o_data_cell[name=evaluation_id]:contains(刘洋)) .o_data_cell[name=state]:contains(人力资源审核)`,
        },
        {
            content: "open 陈静's missing lines",
            trigger: `${summary} .o_data_row:has(.o_data_cell[name=evaluation_id]:contains(陈静)) button[name=action_open_missing]`,
            run: "click",
        },
        {
            content: "her three lines, each saying what it waits for",
            trigger: ".o_list_view .o_data_row:eq(2) .o_data_cell[name=readiness_note]:contains(王建国)",
        },
        {
            trigger: ".o_list_view .o_data_row .o_data_cell[name=indicator_id]:contains(客户满意度调查)",
        },
    ],
});
