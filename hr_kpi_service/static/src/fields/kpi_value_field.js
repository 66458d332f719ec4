import { registry } from "@web/core/registry";
import { formatFloat } from "@web/views/fields/formatters";
import { FloatField, floatField } from "@web/views/fields/float/float_field";

// Most decimals a value shows (the columns hold 4).
const MAX_DIGITS = 4;

/**
 * An indicator's value with the decimals of its unit: the record's `value_digits`
 * (0 for counts, 2 for percentages), more when the value has them (1,107 calls,
 * 95.50 %, 2.5 hours), never the column's four zeros.
 */
export class KpiValueField extends FloatField {
    static props = { ...FloatField.props, digitsField: { type: String, optional: true } };

    get formattedValue() {
        const value = this.value;
        if (!this.props.formatNumber || typeof value !== "number") {
            return super.formattedValue;
        }
        let digits = this.props.record.data[this.props.digitsField || "value_digits"] || 0;
        while (digits < MAX_DIGITS && Math.abs(value - Number(value.toFixed(digits))) > 1e-9) {
            digits++;
        }
        return formatFloat(value, { digits: [16, digits] });
    }
}

export const kpiValueField = {
    ...floatField,
    component: KpiValueField,
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...floatField.extractProps(fieldInfo, dynamicInfo),
        digitsField: fieldInfo.options.digits_field,
    }),
};

registry.category("fields").add("kpi_value", kpiValueField);
