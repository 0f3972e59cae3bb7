/**
 * How a form shows a refused submit: each field error next to its field when the form has that
 * field, and everything else (body-wide errors, errors on fields the form lacks, a problem with no
 * field errors) above the form.
 */
import type { ApiProblem } from "./problem.js";

export interface FormProblem {
  fields: Record<string, string>;
  messages: string[];
}

export function formProblem(problem: ApiProblem, formFields: readonly string[]): FormProblem {
  const fields: Record<string, string> = {};
  const messages = [...problem.formErrors];
  for (const [field, message] of Object.entries(problem.fieldErrors)) {
    if (formFields.includes(field)) fields[field] = message;
    else messages.push(`${field}: ${message}`);
  }
  if (Object.keys(fields).length === 0 && messages.length === 0) {
    messages.push(problem.detail || problem.title);
  }
  if (problem.requestId && problem.status >= 500) messages.push(`Request id: ${problem.requestId}`);
  return { fields, messages };
}
