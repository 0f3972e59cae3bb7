/** Labelled form fields whose problem+json error is shown next to them and announced with them. */
import type { ComponentChildren } from "preact";

export function fieldId(form: string, name: string): string {
  return `${form}-${name.replace(/\./g, "-")}`;
}

interface FieldProps {
  form: string;
  name: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  children: (props: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
}

export function Field({ form, name, label, error, hint, children }: FieldProps) {
  const id = fieldId(form, name);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : "", error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={id}>{label}</label>
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      {children({ id, describedBy, invalid: Boolean(error) })}
      {error && (
        <p id={errorId} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function TextField(props: {
  form: string;
  name: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  type?: "text" | "email" | "date" | "number";
  autoComplete?: string;
  required?: boolean;
  min?: string;
  max?: string;
}) {
  return (
    <Field form={props.form} name={props.name} label={props.label} error={props.error} hint={props.hint}>
      {({ id, describedBy, invalid }) => {
        const attributes = {
          id,
          name: props.name,
          value: props.value,
          autoComplete: props.autoComplete ?? "off",
          "aria-required": props.required ? ("true" as const) : undefined,
          "aria-invalid": invalid ? ("true" as const) : undefined,
          "aria-describedby": describedBy,
          onInput: (event: Event) => props.onInput((event.currentTarget as HTMLInputElement).value),
        };
        // Preact types each input type apart, hence one element per type.
        if (props.type === "email") return <input type="email" {...attributes} />;
        if (props.type === "date") return <input type="date" min={props.min} max={props.max} {...attributes} />;
        if (props.type === "number") return <input type="number" inputMode="numeric" min={props.min} max={props.max} step="1" {...attributes} />;
        return <input type="text" {...attributes} />;
      }}
    </Field>
  );
}

export function TextAreaField(props: {
  form: string;
  name: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  rows?: number;
  required?: boolean;
}) {
  return (
    <Field form={props.form} name={props.name} label={props.label} error={props.error} hint={props.hint}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          name={props.name}
          rows={props.rows ?? 3}
          value={props.value}
          spellcheck={false}
          aria-required={props.required ? "true" : undefined}
          aria-invalid={invalid ? "true" : undefined}
          aria-describedby={describedBy}
          onInput={(event) => props.onInput(event.currentTarget.value)}
        />
      )}
    </Field>
  );
}

export function SelectField(props: {
  form: string;
  name: string;
  label: string;
  value: string;
  /** Values shown as they are, or value and label pairs. */
  options: readonly (string | { value: string; label: string })[];
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
}) {
  return (
    <Field form={props.form} name={props.name} label={props.label} error={props.error} hint={props.hint}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          name={props.name}
          value={props.value}
          aria-invalid={invalid ? "true" : undefined}
          aria-describedby={describedBy}
          onChange={(event) => props.onChange(event.currentTarget.value)}
        >
          {props.options.map((option) => {
            const { value, label } = typeof option === "string" ? { value: option, label: option } : option;
            return (
              <option key={value} value={value}>
                {label}
              </option>
            );
          })}
        </select>
      )}
    </Field>
  );
}

/** Errors of the form as a whole (not of one field), and any problem without field errors. */
export function FormErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div class="form-errors" role="alert">
      {messages.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}

/** After a refused submit: focus the first field in error, so keyboard and screen reader users land on it. */
export function focusFirstError(form: string, fieldErrors: Record<string, string>, order: readonly string[]): void {
  const first = order.find((name) => fieldErrors[name]);
  if (first) document.getElementById(fieldId(form, first))?.focus();
}
