/**
 * Correcting a pending invitation's address: the "Use <suggestion>" action of a `possible_typo`
 * warning (Invite, one or a batch) and the small form of Invitations. Both send the PATCH with the
 * version read (If-Match); a 412 reads the invitation again and says what changed.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Api, Invitation, InvitationAddressCorrection, Result } from "../api/client.js";
import type { FormProblem } from "../api/formProblem.js";
import { buildCorrection, correctionErrors, correctionForm, staleText, typoCorrection, type CorrectionForm } from "../forms/correction.js";
import { FormErrors, TextAreaField, TextField, fieldId, focusFirstError } from "./fields.js";

/** How a correction came out: corrected, stale (the invitation as read again), or refused. */
export type CorrectionOutcome =
  | { kind: "corrected"; invitation: Invitation }
  | { kind: "stale"; invitation: Invitation }
  | { kind: "refused"; problem: FormProblem };

/**
 * One correction against the version read (If-Match); on a 412 the invitation is read again, so
 * the admin sees what changed (a repeat of a correction whose answer was lost lands here too).
 */
function useCorrect(api: Api, orgId: string) {
  return async (invitation: Invitation, body: InvitationAddressCorrection): Promise<CorrectionOutcome> => {
    const result: Result<Invitation> = await api.correctInvitationAddress(orgId, invitation.id, invitation.version, body);
    if (result.ok) return { kind: "corrected", invitation: result.data };
    if (result.problem.status === 412) {
      const newer = await api.getInvitation(orgId, invitation.id);
      if (newer.ok) return { kind: "stale", invitation: newer.data };
      return {
        kind: "refused",
        problem: { fields: {}, messages: [`The invitation changed meanwhile, and reading it again failed: ${newer.problem.detail || newer.problem.title}`] },
      };
    }
    return { kind: "refused", problem: correctionErrors(result.problem, body.email) };
  };
}

/**
 * The "Use <suggestion>" action of a `possible_typo` warning: corrects the invitation just sent to
 * the address it probably meant, saying any refusal beside the button.
 */
export function UseSuggestion(props: {
  api: Api;
  orgId: string;
  invitation: Invitation;
  suggestion: string;
  onCorrected: (corrected: Invitation, oldEmail: string) => void;
  /** The invitation as read again after a 412: the next try uses its version. */
  onChanged: (newer: Invitation) => void;
}) {
  const correct = useCorrect(props.api, props.orgId);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const id = `use-${props.invitation.id}-${props.suggestion.replace(/[^a-zA-Z0-9]+/g, "-")}`;

  async function use() {
    if (busy) return;
    setBusy(true);
    setSaid(null);
    const outcome = await correct(props.invitation, typoCorrection(props.invitation, props.suggestion));
    setBusy(false);
    if (outcome.kind === "corrected") return props.onCorrected(outcome.invitation, props.invitation.email);
    if (outcome.kind === "stale") {
      setSaid(staleText(outcome.invitation));
      return props.onChanged(outcome.invitation);
    }
    const { fields, messages } = outcome.problem;
    setSaid([fields.email, fields.justification, ...messages].filter(Boolean).join(" "));
  }

  const pending = props.invitation.status === "pending";
  return (
    <div class="use-suggestion">
      <button type="button" class="secondary" id={id} disabled={busy || !pending} aria-describedby={said ? `${id}-error` : undefined} onClick={use}>
        {busy ? `Correcting to ${props.suggestion}…` : `Use ${props.suggestion}`}
      </button>
      {said && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {said}
        </p>
      )}
    </div>
  );
}

const NO_ERRORS: FormProblem = { fields: {}, messages: [] };

/**
 * The Invitations list's "Correct address" form for one pending invitation: the new address and a
 * justification. The API's 422 and conflicts show beside the fields; a 412 shows the invitation as
 * read again (the form then saves against it); Escape or Cancel closes it.
 */
export function CorrectAddressForm(props: {
  api: Api;
  orgId: string;
  invitation: Invitation;
  onCorrected: (corrected: Invitation, oldEmail: string) => void;
  /** The invitation as read again after a 412 (the list shows it; when no longer pending the form closes). */
  onChanged: (newer: Invitation) => void;
  onCancel: () => void;
}) {
  const form = `correct-${props.invitation.id}`;
  const correct = useCorrect(props.api, props.orgId);
  // The version the form saves against: the one listed, then the one read again after a 412.
  const [read, setRead] = useState<Invitation>(props.invitation);
  const [values, setValues] = useState<CorrectionForm>(() => correctionForm(props.invitation));
  const [errors, setErrors] = useState<FormProblem>(NO_ERRORS);
  const [stale, setStale] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const staleRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const email = document.getElementById(fieldId(form, "email")) as HTMLInputElement | null;
    email?.focus();
    email?.select();
    // Only when the form opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    if (stale) staleRef.current?.focus();
  }, [stale]);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const built = buildCorrection(values, read);
    if (!built.ok) {
      setErrors({ fields: built.fields, messages: [] });
      focusFirstError(form, built.fields, ["email", "justification"]);
      return;
    }
    setErrors(NO_ERRORS);
    setStale(null);
    setBusy(true);
    const outcome = await correct(read, built.body);
    setBusy(false);
    if (outcome.kind === "corrected") return props.onCorrected(outcome.invitation, read.email);
    if (outcome.kind === "stale") {
      setRead(outcome.invitation);
      setStale(staleText(outcome.invitation));
      props.onChanged(outcome.invitation);
      return;
    }
    setErrors(outcome.problem);
    focusFirstError(form, outcome.problem.fields, ["email", "justification"]);
  }

  const pending = read.status === "pending";
  return (
    <form
      class="correct-address"
      noValidate
      aria-label={`Correct the address of ${props.invitation.email}`}
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === "Escape" && !busy) {
          event.preventDefault();
          props.onCancel();
        }
      }}
    >
      <p>
        The invitation keeps its roles, note and expiry; a new link goes to the new address, and the link sent to {read.email} stops working.
      </p>
      {stale && (
        <div ref={staleRef} tabIndex={-1} class="form-errors" role="alert">
          <p>{stale}</p>
        </div>
      )}
      <FormErrors messages={errors.messages} />
      <TextField
        form={form}
        name="email"
        label="New address"
        type="email"
        required
        value={values.email}
        onInput={(email) => setValues({ ...values, email })}
        error={errors.fields.email}
      />
      <TextAreaField
        form={form}
        name="justification"
        label="Justification"
        hint="Required: why the address changes; it goes to the audit trail with both addresses."
        required
        rows={2}
        value={values.justification}
        onInput={(justification) => setValues({ ...values, justification })}
        error={errors.fields.justification}
      />
      <div class="actions">
        <button type="submit" disabled={busy || !pending}>
          {busy ? "Correcting…" : "Correct the address"}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
