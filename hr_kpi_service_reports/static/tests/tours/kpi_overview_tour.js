import { registry } from "@web/core/registry";

// The KPI overview (issue 20): an officer logs in and lands on it, every chart is
// drawn with its legend, no card scrolls sideways, and a card opens its filtered
// list (tests/test_reports_overview.py: October 2026, two open appeals).
function checkCharts() {
    const canvases = document.querySelectorAll(".o_kpi_overview .o_kpi_chart canvas");
    if (canvases.length !== 4) {
        throw new Error(`expected 4 charts, found ${canvases.length}`);
    }
    for (const canvas of canvases) {
        const chart = window.Chart.getChart(canvas);
        if (!chart || !chart.options.plugins.legend.display) {
            throw new Error("a chart without its legend");
        }
    }
}

function checkNoSidewaysScroll() {
    const overview = document.querySelector(".o_kpi_overview");
    for (const element of [overview, ...overview.querySelectorAll(".card")]) {
        if (element.scrollWidth > element.clientWidth + 1) {
            throw new Error(`${element.className} scrolls sideways`);
        }
    }
}

registry.category("web_tour.tours").add("hr_kpi_service_reports_overview", {
    steps: () => [
        {
            content: "the officer lands on the overview of October: 2026年10月",
            trigger: ".o_kpi_overview .o_kpi_overview_title:contains(2026年10月)",
        },
        {
            content: "four charts, each with its legend",
            trigger: ".o_kpi_card_stars .o_kpi_chart canvas",
            run: checkCharts,
        },
        {
            content: "the cards wrap: nothing scrolls sideways",
            trigger: ".o_kpi_card_appeals .list-group-item:contains(领班甲)",
            run: checkNoSidewaysScroll,
        },
        {
            content: "two ratings overdue",
            trigger: ".o_kpi_card_ratings .o_kpi_ratings_overdue .display-6:contains(2)",
        },
        {
            content: "open the appeals card",
            trigger: ".o_kpi_card_appeals .o_kpi_card_open",
            run: "click",
        },
        {
            content: "its list: the two open appeals, not the rejected one",
            trigger: ".o_list_view .o_data_row:contains(客服乙)",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains(售后甲)))",
        },
        {
            content: "back to the overview",
            // a breadcrumb at desktop width, a back arrow at phone width
            trigger: ".o_breadcrumb .breadcrumb-item a, button.o_back_button",
            run: "click",
        },
        {
            trigger: ".o_kpi_overview .o_kpi_card_states canvas",
        },
    ],
});

// The evaluation analysis' graph opens by month, stacked by grade: months read
// 2026年10月 and grades by name (优秀), more than one bar.
registry.category("web_tour.tours").add("hr_kpi_service_reports_analysis_graph", {
    steps: () => [
        {
            trigger: ".o_graph_renderer canvas",
            run() {
                const chart = window.Chart.getChart(document.querySelector(".o_graph_renderer canvas"));
                const labels = chart.data.labels.map(String);
                const series = chart.data.datasets.map((dataset) => dataset.label);
                if (!labels.includes("2026年10月") || !labels.includes("2026年9月")) {
                    throw new Error(`months read ${labels.join(", ")}`);
                }
                if (!series.includes("优秀") || series.length < 2) {
                    throw new Error(`grades read ${series.join(", ")}`);
                }
                if (!chart.options.plugins.legend.display) {
                    throw new Error("the graph has no legend");
                }
            },
        },
    ],
});
