import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/views/fields/formatters";
import { FloatField, floatField } from "@web/views/fields/float/float_field";

// Most decimals a value shows (the columns hold 4).
const MAX_DIGITS = 4;

/**
 * An indicator's value with the decimals of its unit: the record's `value_digits`
 * (0 for counts, 2 for percentages), more when the value has them (1,107 calls,
 * 95.50 %, 2.5 hours), never the column's four zeros.
 *
 * With the option `entered_field` (a boolean of the record: whether a value was
 * entered), a value not entered shows an empty cell, not 0: typing 0 into it is
 * saved and counts as entered (the form's onchange sets the flag), and emptying the
 * cell sends `false`, which makes the value "not entered" again.
 */
export class KpiValueField extends FloatField {
    static props = {
        ...FloatField.props,
        digitsField: { type: String, optional: true },
        enteredField: { type: String, optional: true },
    };

    get notEntered() {
        const { enteredField, record, name } = this.props;
        return Boolean(enteredField) && (record.data[name] === false || !record.data[enteredField]);
    }

    get formattedValue() {
        if (this.notEntered) {
            return "";
        }
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

    parse(value) {
        if (this.props.enteredField && !value.trim()) {
            return false;
        }
        const parsed = super.parse(value);
        const { record, name } = this.props;
        if (this.notEntered && parsed === record.data[name]) {
            // The input hook commits only a value that differs from the record's, and a
            // value not entered is 0 in the record: 0 typed into it is committed here.
            record.update({ [name]: parsed });
        }
        return parsed;
    }
}

export const kpiValueField = {
    ...floatField,
    component: KpiValueField,
    extractProps: (fieldInfo, dynamicInfo) => {
        const props = {
            ...floatField.extractProps(fieldInfo, dynamicInfo),
            digitsField: fieldInfo.options.digits_field,
            enteredField: fieldInfo.options.entered_field,
        };
        if (props.enteredField && !props.placeholder) {
            props.placeholder = _t("Not entered");
        }
        return props;
    },
};

registry.category("fields").add("kpi_value", kpiValueField);
