import { registry } from "@web/core/registry";

// Tours of issue 21 (tests/test_tours_signoff.py): on a results sheet of a two-level
// chain, a committee member confirms another member's calibration move (95 → 90)
// and submits the sheet; then each level's signer signs it.
const statusIs = (state) => `.o_statusbar_status button.o_arrow_button_current[data-value=${state}]`;

registry.category("web_tour.tours").add("hr_kpi_service_signoff_calibrate", {
    steps: () => [
        {
            content: "the draft results sheet",
            trigger: `${statusIs("draft")}`,
        },
        {
            content: "the calibration page lists the proposed move",
            trigger: ".o_notebook .nav-link[name=calibration]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=move_ids] .o_data_row:has(.o_data_cell[name=employee_name]:contains(服务经理甲)) button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the move is confirmed by this second member",
            trigger: ".o_field_widget[name=move_ids] .o_data_row .o_data_cell[name=score_after]:contains(90.00)",
        },
        {
            content: "the results show the calibrated score",
            trigger: ".o_notebook .nav-link[name=results]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_data_cell[name=score]:contains(90.00)",
        },
        {
            content: "submit the sheet for sign-off",
            trigger: ".o_form_statusbar button[name=action_submit]",
            run: "click",
        },
        {
            trigger: `${statusIs("in_approval")}`,
        },
    ],
});

registry.category("web_tour.tours").add("hr_kpi_service_signoff_sign", {
    steps: () => [
        {
            content: "the sheet waits for this signer's level",
            trigger: `${statusIs("in_approval")}`,
        },
        {
            trigger: ".o_form_statusbar button[name=action_sign]",
            run: "click",
        },
        {
            content: "one more signature on the signatures page",
            trigger: ".o_notebook .nav-link[name=signatures]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=signature_ids] .o_data_row .o_data_cell[name=decision]",
        },
    ],
});
