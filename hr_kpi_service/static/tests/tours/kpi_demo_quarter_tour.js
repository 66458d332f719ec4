import { registry } from "@web/core/registry";

// The "Done when" of issue 21 on the demo's 售后服务部 (tests/test_tours_demo_quarter.py,
// demo/after_sales_quarter.py): the specialists' third quarter, approved and waiting
// for its sign-off. One tour per user, in the order they meet it: HR draws up the
// results sheet (one 优 of five: outside the committee's "优 ≤ 10 %"); 陈志强 proposes
// to calibrate 吴晓梅 92.70 → 89.00 with a reason; 许静 confirms it (before and
// after on the move); HR submits; 周立新, 陈志强, 许静 and 沈国栋 sign their levels in
// order; HR publishes (公示); the specialist 郑凯 reads names and grades.
const statusIs = (state) => `.o_statusbar_status button.o_arrow_button_current[data-value=${state}]`;
const confirmDialog = ".modal:has(.modal-footer) .modal-footer .btn-primary";
const resultOf = (name) =>
    `.o_field_widget[name=line_ids] .o_data_row:has(.o_data_cell[name=employee_name]:contains(${name}))`;
const moveOf = (name) =>
    `.o_field_widget[name=move_ids] .o_data_row:has(.o_data_cell[name=employee_name]:contains(${name}))`;
const MOVE_REASON = "吴晓梅第三季度有两起投诉超过3个工作日才解决（第17条），且本季度“优”超出考核委员会的分布范围，校准为良。";

registry.category("web_tour.tours").add("hr_kpi_service_demo_quarter_draw_up", {
    steps: () => [
        {
            content: "the third quarter's period form, in Chinese",
            trigger: `.o_form_view ${statusIs("open")}:contains(开放)`,
        },
        {
            content: "HR draws up the quarter's results sheets",
            trigger: ".o_form_statusbar button[name=action_draw_up_results_sheets]",
            run: "click",
        },
        {
            content: "the 售后服务部's draft sheet",
            trigger: ".o_list_view .o_data_row:has(.o_data_cell[name=department_id]:contains(售后服务部)) .o_data_cell[name=department_id]",
            run: "click",
        },
        {
            trigger: `${statusIs("draft")}`,
        },
        {
            content: "five results, 吴晓梅 first with 92.70 (优)",
            trigger: `${resultOf("吴晓梅")} .o_data_cell[name=score]:contains(92.70)`,
        },
        {
            trigger: `${resultOf("蒋丽")} .o_data_cell[name=grade_band_id]:contains(较差)`,
        },
        {
            content: "the calibration page shows the distribution outside its range",
            trigger: ".o_notebook .nav-link[name=calibration]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=distribution_breaches]:contains(优 不超过 10 %)",
        },
    ],
});

registry.category("web_tour.tours").add("hr_kpi_service_demo_quarter_propose", {
    steps: () => [
        {
            content: "陈志强, a member of the committee, calibrates the draft sheet",
            trigger: `.o_form_view ${statusIs("draft")}`,
        },
        {
            trigger: ".o_form_statusbar button[name=action_open_move_wizard]",
            run: "click",
        },
        {
            content: "the result of 吴晓梅",
            trigger: ".modal .o_field_widget[name=line_id] input",
            run: "edit 吴晓梅",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item:contains(吴晓梅)",
            run: "click",
        },
        {
            content: "a new score: 89 (the grade follows: 良)",
            trigger: ".modal .o_field_widget[name=new_score] input",
            run: "edit 89",
        },
        {
            content: "the reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: `edit ${MOVE_REASON}`,
        },
        {
            content: "propose: another member confirms it",
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the move waits on the calibration page",
            trigger: "body:not(:has(.modal)) .o_notebook .nav-link[name=calibration]",
            run: "click",
        },
        {
            trigger: `${moveOf("吴晓梅")} .o_data_cell[name=state]:contains(已提交)`,
        },
        {
            content: "the result itself has not changed yet",
            trigger: ".o_notebook .nav-link[name=results]",
            run: "click",
        },
        {
            trigger: `${resultOf("吴晓梅")} .o_data_cell[name=score]:contains(92.70)`,
        },
    ],
});

registry.category("web_tour.tours").add("hr_kpi_service_demo_quarter_confirm", {
    steps: () => [
        {
            content: "许静, another member, reads the proposed move: before and after",
            trigger: `.o_form_view ${statusIs("draft")}`,
        },
        {
            trigger: ".o_notebook .nav-link[name=calibration]",
            run: "click",
        },
        {
            trigger: `${moveOf("吴晓梅")} .o_data_cell[name=score_before]:contains(92.70)`,
        },
        {
            trigger: `${moveOf("吴晓梅")} .o_data_cell[name=score_after]:contains(89.00)`,
        },
        {
            trigger: `${moveOf("吴晓梅")} .o_data_cell[name=grade_before_id]:contains(优)`,
        },
        {
            trigger: `${moveOf("吴晓梅")} .o_data_cell[name=grade_after_id]:contains(良好)`,
        },
        {
            trigger: `${moveOf("吴晓梅")} .o_data_cell[name=proposed_by_id]:contains(陈志强)`,
        },
        {
            content: "she confirms it",
            trigger: `${moveOf("吴晓梅")} button[name=action_confirm]`,
            run: "click",
        },
        {
            trigger: `${moveOf("吴晓梅")} .o_data_cell[name=confirmed_by_id]:contains(许静)`,
        },
        {
            content: "the distribution is within its ranges now",
            trigger: ".o_form_view:not(:has(.o_field_widget[name=distribution_breaches]:visible))",
        },
        {
            content: "the results show the calibrated score and grade",
            trigger: ".o_notebook .nav-link[name=results]",
            run: "click",
        },
        {
            trigger: `${resultOf("吴晓梅")} .o_data_cell[name=score]:contains(89.00)`,
        },
        {
            trigger: `${resultOf("吴晓梅")} .o_data_cell[name=grade_band_id]:contains(良好)`,
        },
    ],
});

registry.category("web_tour.tours").add("hr_kpi_service_demo_quarter_submit", {
    steps: () => [
        {
            content: "HR submits the calibrated sheet for sign-off",
            trigger: `.o_form_view ${statusIs("draft")}`,
        },
        {
            trigger: ".o_form_statusbar button[name=action_submit]",
            run: "click",
        },
        {
            content: "the first level waits: 上级主管",
            trigger: `${statusIs("in_approval")}`,
        },
        {
            trigger: ".o_field_widget[name=current_level_name]:contains(上级主管)",
        },
    ],
});

// One tour per level: its signer finds the sheet waiting for his level and signs it.
for (const [tour, level] of [
    ["hr_kpi_service_demo_quarter_sign_superior", "上级主管"],
    ["hr_kpi_service_demo_quarter_sign_department", "职能部门经理"],
    ["hr_kpi_service_demo_quarter_sign_hr_director", "人力资源总监"],
    ["hr_kpi_service_demo_quarter_sign_general_manager", "总经理"],
]) {
    registry.category("web_tour.tours").add(tour, {
        steps: () => [
            {
                content: `the sheet waits for the level ${level}`,
                trigger: `.o_form_view ${statusIs("in_approval")}`,
            },
            {
                trigger: `.o_field_widget[name=current_level_name]:contains(${level})`,
            },
            {
                trigger: ".o_form_statusbar button[name=action_sign]",
                run: "click",
            },
            {
                content: "his signature is on the signatures page",
                trigger: `.o_form_view:not(:has(.o_field_widget[name=current_level_name]:contains(${level})))`,
            },
            {
                trigger: ".o_notebook .nav-link[name=signatures]",
                run: "click",
            },
            {
                trigger: `.o_field_widget[name=signature_ids] .o_data_row .o_data_cell[name=level_name]:contains(${level})`,
            },
        ],
    });
}

registry.category("web_tour.tours").add("hr_kpi_service_demo_quarter_publish", {
    steps: () => [
        {
            content: "every level signed: HR publishes the results (公示)",
            trigger: `.o_form_view ${statusIs("signed")}`,
        },
        {
            trigger: ".o_form_statusbar button[name=action_publish_results]",
            run: "click",
        },
        {
            trigger: confirmDialog,
            run: "click",
        },
        {
            content: "published: the appeal window counts from now",
            trigger: ".o_form_view .o_field_widget[name=published_date]:not(:empty)",
        },
    ],
});

registry.category("web_tour.tours").add("hr_kpi_service_demo_quarter_department_results", {
    steps: () => [
        {
            content: "郑凯 opens the quarter's published results of his department",
            trigger: ".o_list_view .o_group_header:contains(2026年第3季度)",
            run: "click",
        },
        {
            content: "names and grades: 吴晓梅 良好 (calibrated), 蒋丽 较差",
            trigger: ".o_list_view .o_data_row:has(.o_data_cell[name=employee_name]:contains(吴晓梅)) .o_data_cell[name=grade_name]:contains(良好)",
        },
        {
            trigger: ".o_list_view .o_data_row:has(.o_data_cell[name=employee_name]:contains(蒋丽)) .o_data_cell[name=grade_name]:contains(较差)",
        },
        {
            content: "no score is shown",
            trigger: ".o_list_view:not(:has(.o_data_cell[name=score]:contains(89))):not(:has(.o_data_cell[name=score]:contains(69)))",
        },
    ],
});
