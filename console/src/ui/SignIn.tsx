import { useState } from "preact/hooks";
import type { Auth } from "../auth/auth.js";
import { formProblem } from "../api/formProblem.js";
import { FormErrors, TextField, focusFirstError } from "./fields.js";
import { ScreenHeading } from "./ScreenHeading.js";

const FORM = "sign-in";
const FIELDS = ["email"] as const;

export function SignIn({ auth, notice, onSignedIn }: { auth: Auth; notice: string | null; onSignedIn: () => void }) {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ fields: Record<string, string>; messages: string[] }>({ fields: {}, messages: [] });

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await auth.signIn(email);
    if (result.ok) {
      // OIDC: the browser is on its way to the identity provider; stay busy until it leaves.
      if (auth.kind === "local") {
        setBusy(false);
        onSignedIn();
      }
      return;
    }
    setBusy(false);
    const shown = formProblem(result.problem, FIELDS);
    setErrors(shown);
    focusFirstError(FORM, shown.fields, FIELDS);
  }

  const oidc = auth.kind === "oidc";
  return (
    <main id="main" class="narrow">
      <ScreenHeading title="Sign in" />
      <p>
        {oidc
          ? "Sign in with your organization's identity provider. You come back here once you have."
          : "The local stack signs you in with an email address alone; no password is asked."}
      </p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate aria-label="Sign in">
        <FormErrors messages={errors.messages} />
        {!oidc && (
          <TextField
            form={FORM}
            name="email"
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onInput={setEmail}
            error={errors.fields.email}
          />
        )}
        <button type="submit" disabled={busy}>
          {busy ? (oidc ? "Opening the sign-in page…" : "Signing in…") : "Sign in"}
        </button>
      </form>
    </main>
  );
}
