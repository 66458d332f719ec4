import { registry } from "@web/core/registry";

// Tour (c) of issue 13: the import wizard lists each error row of a bad file and
// imports the fixed one (tests/test_tours.py: employee 服务代表乙, badge 7710001).
const HEADER = "工号 / Badge ID,日期 / Date,类型 / Type,说明 / Description\n";
const BAD_FILE =
    HEADER +
    "7710001,2026-13-01,valid_complaint,月份写错\n" +
    "7799999,2026-11-09,valid_complaint,工号写错\n" +
    "7710001,2026-11-10,no_such_type,类型写错\n";
const FIXED_FILE =
    HEADER +
    "7710001,2026-11-01,valid_complaint,月份写错\n" +
    "7710001,2026-11-09,valid_complaint,工号写错\n" +
    "7710001,2026-11-10,valid_complaint,类型写错\n";

function upload(content, name) {
    const input = document.querySelector(".modal .o_field_widget[name=file] input[type=file]");
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], name, { type: "text/csv" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("hr_kpi_service_import", {
    steps: () => [
        {
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            trigger: ".o_app[data-menu-xmlid='hr_kpi_service.menu_hr_kpi_root']",
            run: "click",
        },
        {
            content: "the web client speaks Chinese: the app is 绩效考核",
            trigger: ".o_main_navbar .o_menu_brand:contains(绩效考核)",
        },
        {
            trigger: ".o_main_navbar [data-menu-xmlid='hr_kpi_service.menu_hr_kpi_records']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='hr_kpi_service.menu_hr_kpi_import']",
            run: "click",
        },
        {
            content: "the wizard, in Chinese, incidents chosen",
            trigger: `.modal .o_field_widget[name=import_type] input[data-value=incident]:checked`,
        },
        {
            content: "upload a file with three bad rows",
            trigger: ".modal .o_field_widget[name=file]",
            run: () => upload(BAD_FILE, "incidents_bad.csv"),
        },
        {
            trigger: ".modal .o_field_widget[name=file] .o_clear_file_button",
        },
        {
            trigger: ".modal-footer button[name=action_import]",
            run: "click",
        },
        {
            content: "the refusal counts 3 problems (文件未导入：发现 3 个问题)",
            trigger: ".o_error_dialog:contains(文件未导入：发现 3 个问题)",
        },
        {
            content: "row 2: the date",
            trigger: ".o_error_dialog:contains(第 2 行):contains(2026-13-01)",
        },
        {
            content: "row 3: the unknown badge",
            trigger: ".o_error_dialog:contains(第 3 行):contains(未知员工“7799999”)",
        },
        {
            content: "row 4: the unknown type",
            trigger: ".o_error_dialog:contains(第 4 行):contains(no_such_type)",
        },
        {
            trigger: ".o_error_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "nothing was imported; clear the bad file",
            trigger: "body:not(:has(.o_error_dialog)) .modal .o_field_widget[name=file] .o_clear_file_button",
            run: "click",
        },
        {
            content: "the fixed file",
            trigger: ".modal .o_field_widget[name=file]:not(:has(.o_clear_file_button))",
            run: () => upload(FIXED_FILE, "incidents_fixed.csv"),
        },
        {
            trigger: ".modal .o_field_widget[name=file] .o_clear_file_button",
        },
        {
            trigger: ".modal-footer button[name=action_import]",
            run: "click",
        },
        {
            content: "imported: 新增 3 条，已导入过 0 条",
            trigger: ".modal .alert-success .o_field_widget[name=result]:contains(新增 3 条，已导入过 0 条)",
        },
        {
            trigger: ".modal .o_field_widget[name=new_count]:contains(3)",
        },
    ],
});
