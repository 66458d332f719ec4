/** @odoo-module **/
// The KPI overview managers and officers land on: cards of the current month, each
// opening its filtered list, charts drawn with the Chart.js that Odoo ships (the
// graph view's bundle). The figures come from one server call
// (hr.kpi.evaluation.report.get_kpi_overview), read with the user's rights.
import { Component, onMounted, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { getColor } from "@web/core/colors/colors";
import { cookie } from "@web/core/browser/cookie";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

const CHART_CARDS = ["states", "grades", "departments", "stars"];

export class KpiOverview extends Component {
    static template = "hr_kpi_service_reports.KpiOverview";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        this.root = useRef("root");
        this.charts = [];
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            this.state.data = await this.orm.call(
                "hr.kpi.evaluation.report", "get_kpi_overview", []
            );
        });
        onMounted(() => this.drawCharts());
        onWillUnmount(() => this.charts.forEach((chart) => chart.destroy()));
    }

    get cards() {
        return this.state.data.cards;
    }

    hasChart(key) {
        const card = this.cards[key];
        return Boolean(card && card.values.length);
    }

    open(action) {
        return this.action.doAction(action);
    }

    openSegment(key, index) {
        const card = this.cards[key];
        this.open({ ...card.action, domain: card.domains[index] });
    }

    drawCharts() {
        const scheme = cookie.get("color_scheme");
        for (const key of CHART_CARDS) {
            const canvas = this.root.el.querySelector(`.o_kpi_card_${key} canvas`);
            if (!canvas || !this.hasChart(key)) {
                continue;
            }
            const card = this.cards[key];
            const config =
                key === "departments"
                    ? this.barConfig(card, scheme)
                    : this.doughnutConfig(card, scheme);
            config.options.onClick = (event, elements) => {
                if (elements.length) {
                    this.openSegment(key, elements[0].index);
                }
            };
            this.charts.push(new window.Chart(canvas, config));
        }
    }

    doughnutConfig(card, scheme) {
        return {
            type: "doughnut",
            data: {
                labels: card.labels,
                datasets: [
                    {
                        data: card.values,
                        backgroundColor: card.values.map((_v, i) =>
                            getColor(i, scheme, card.values.length)
                        ),
                    },
                ],
            },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                plugins: { legend: { display: true, position: "bottom" } },
            },
        };
    }

    barConfig(card, scheme) {
        return {
            type: "bar",
            data: {
                labels: card.labels,
                datasets: [
                    { label: card.series[0], data: card.values, backgroundColor: getColor(0, scheme, 2) },
                    { label: card.series[1], data: card.previous, backgroundColor: getColor(1, scheme, 2) },
                ],
            },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                scales: { y: { beginAtZero: true } },
                plugins: { legend: { display: true, position: "bottom" } },
            },
        };
    }
}

registry.category("actions").add("hr_kpi_service_reports.overview", KpiOverview);
