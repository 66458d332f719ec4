import { registry } from "@web/core/registry";

// Tour (b) of issue 13: a rep opens his published evaluation and lodges an appeal
// within the window; a second appeal is refused (tests/test_tours.py: September was
// appealed, upheld and published again; October is published).
const statusIs = (state) => `.o_statusbar_status button.o_arrow_button_current[data-value=${state}]`;
const evaluationOf = (period) =>
    `.o_list_view .o_data_row:has(.o_data_cell[name=period_id]:contains(${period})) .o_data_cell[name=period_id]`;

registry.category("web_tour.tours").add("hr_kpi_service_rep_appeal", {
    steps: () => [
        {
            content: "the web client speaks Chinese: the app is 绩效考核",
            trigger: ".o_main_navbar .o_menu_brand:contains(绩效考核)",
        },
        {
            content: "my evaluations, in Chinese",
            trigger: `${evaluationOf("2026-10")}`,
            run: "click",
        },
        {
            content: "published (已公布), with the appeal deadline",
            trigger: `${statusIs("published")}:contains(已公布)`,
        },
        {
            trigger: ".o_field_widget[name=appeal_deadline]",
        },
        {
            trigger: ".o_form_statusbar button.o_kpi_lodge_appeal",
            run: "click",
        },
        {
            content: "the dialog names the window's end and no refusal",
            trigger: ".modal .o_field_widget[name=deadline_local]:not(:empty)",
        },
        {
            trigger: ".modal:not(:has(.alert-warning .o_field_widget[name=refusal] span:not(:empty))) .o_field_widget[name=reason] textarea",
            run: "edit 第二项指标的实际值录入有误，请复核。",
        },
        {
            content: "lodge it",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the evaluation is under appeal (申诉中) and offers no second appeal",
            trigger: `body:not(:has(.modal)) ${statusIs("appealed")}:contains(申诉中)`,
        },
        {
            trigger: ".o_form_view:not(:has(button.o_kpi_lodge_appeal)) .o_notebook .nav-link[name=appeals]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=appeal_ids] .o_data_row:contains(第二项指标)",
        },
        {
            content: "back to my evaluations",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "September: appealed once, upheld and published again",
            trigger: evaluationOf("2026-09"),
            run: "click",
        },
        {
            trigger: `${statusIs("published")}`,
        },
        {
            trigger: ".o_form_statusbar button.o_kpi_lodge_appeal",
            run: "click",
        },
        {
            content: "a second appeal is refused: the reason is shown, no Lodge button",
            trigger: ".modal .alert-warning .o_field_widget[name=refusal]:contains(申诉)",
        },
        {
            content: "no Lodge button",
            trigger: ".modal .modal-footer:not(:has(button.btn-primary:visible))",
        },
        {
            content: "close the dialog",
            trigger: ".modal .modal-footer button.btn-secondary",
            run: "click",
        },
        {
            trigger: `body:not(:has(.modal)) ${statusIs("published")}`,
        },
    ],
});
