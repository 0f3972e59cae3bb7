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
  hint?: string;
  children: (props: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
}

function Field({ form, name, label, error, hint, children }: FieldProps) {
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
  hint?: string;
  type?: "text" | "email";
  autoComplete?: string;
  required?: boolean;
}) {
  return (
    <Field form={props.form} name={props.name} label={props.label} error={props.error} {...(props.hint ? { hint: props.hint } : {})}>
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
        return props.type === "email" ? <input type="email" {...attributes} /> : <input type="text" {...attributes} />;
      }}
    </Field>
  );
}

export function SelectField(props: {
  form: string;
  name: string;
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  return (
    <Field form={props.form} name={props.name} label={props.label} error={props.error}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          name={props.name}
          value={props.value}
          aria-invalid={invalid ? "true" : undefined}
          aria-describedby={describedBy}
          onChange={(event) => props.onChange(event.currentTarget.value)}
        >
          {props.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
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
