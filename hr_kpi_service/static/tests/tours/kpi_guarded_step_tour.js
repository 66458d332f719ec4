import { registry } from "@web/core/registry";

// Tour of issue 20 (finding 4): on the current month's period, in zh_CN, the star
// review of the quarter is refused with its reason (the quarter ends on its last
// day), and the payslip batch lists the evaluation that is not approved and asks
// before creating anything; the officer cancels (tests/test_tours_month_steps.py).
// The last day of the current quarter, as the refusal names it (YYYY-MM-DD).
function quarterEnd() {
    const today = new Date();
    const end = new Date(today.getFullYear(), Math.floor(today.getMonth() / 3) * 3 + 3, 0);
    const pad = (n) => String(n).padStart(2, "0");
    return `${end.getFullYear()}-${pad(end.getMonth() + 1)}-${pad(end.getDate())}`;
}

registry.category("web_tour.tours").add("hr_kpi_service_guarded_step", {
    steps: () => [
        {
            content: "the web client speaks Chinese: the period's state reads 开放",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=open]:contains(开放)",
        },
        {
            content: "the month's checklist: one evaluation not approved",
            trigger: ".o_kpi_checklist tr[name=unapproved] .o_field_widget[name=check_unapproved_count]:contains(1)",
        },
        {
            content: "run the quarter's star review now",
            trigger: ".o_form_statusbar button[name=action_star_review]",
            run: "click",
        },
        {
            content: "refused, with the quarter's end as reason",
            trigger: `.o_error_dialog:contains(${quarterEnd()})`,
        },
        {
            trigger: ".o_error_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the payslip batch of the month",
            trigger: "body:not(:has(.o_error_dialog)) .o_form_statusbar button[name=action_payslip_batch]",
            run: "click",
        },
        {
            content: "confirm the step",
            trigger: ".modal:has(.modal-footer) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the batch waits: 服务代表乙's evaluation is not approved",
            trigger: ".modal .o_field_widget[name=missing]:contains(服务代表乙)",
        },
        {
            content: "stop here",
            trigger: ".modal-footer button.btn-secondary",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
    ],
});
