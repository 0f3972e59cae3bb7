import { useState } from "preact/hooks";
import type { Api, Membership } from "../api/client.js";
import { formProblem, type FormProblem } from "../api/formProblem.js";
import { FormErrors, TextField, focusFirstError } from "./fields.js";
import { Link } from "./Link.js";
import { hrefFor } from "./router.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";

const FORM = "create-org";
const FIELDS = ["name"] as const;

export function Orgs({ api, base, navigate }: { api: Api; base: string; navigate: (href: string) => void }) {
  const [me, reload] = useLoad(() => api.me(), "me");
  const [created, setCreated] = useState<string | null>(null);
  return (
    <main id="main">
      <ScreenHeading title="Organizations" />
      <section aria-labelledby="orgs-yours">
        <h2 id="orgs-yours">Your organizations</h2>
        {me.state === "loading" && <Loading what="your organizations" />}
        {me.state === "error" && <LoadError what="your organizations" problem={me.problem} onRetry={reload} />}
        {me.state === "ready" &&
          (me.data.memberships.length === 0 ? (
            <p class="empty">You are not a member of any organization yet. Create one below.</p>
          ) : (
            <ul class="cards">
              {me.data.memberships.map((membership) => (
                <OrgCard key={membership.orgId} membership={membership} base={base} navigate={navigate} />
              ))}
            </ul>
          ))}
        {created && (
          <p class="notice" role="status">
            Created {created}.
          </p>
        )}
      </section>
      <CreateOrg
        api={api}
        onCreated={(name) => {
          setCreated(name);
          reload();
        }}
      />
    </main>
  );
}

function OrgCard({ membership, base, navigate }: { membership: Membership; base: string; navigate: (href: string) => void }) {
  return (
    <li>
      <Link href={hrefFor({ name: "org", orgId: membership.orgId, screen: "overview" }, base)} navigate={navigate}>
        {membership.orgName}
      </Link>
      <span class="meta">
        {membership.orgRole === "admin" ? "Admin" : "Member"} · {membership.orgSlug}
        {membership.accessEndsAt ? ` · access ends ${membership.accessEndsAt.slice(0, 10)}` : ""}
      </span>
    </li>
  );
}

function CreateOrg({ api, onCreated }: { api: Api; onCreated: (name: string) => void }) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormProblem>({ fields: {}, messages: [] });

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await api.createOrg({ name });
    setBusy(false);
    if (result.ok) {
      setErrors({ fields: {}, messages: [] });
      setName("");
      onCreated(result.data.name);
      return;
    }
    const shown = formProblem(result.problem, FIELDS);
    setErrors(shown);
    focusFirstError(FORM, shown.fields, FIELDS);
  }

  return (
    <section aria-labelledby="orgs-create">
      <h2 id="orgs-create">Create an organization</h2>
      {/* noValidate: the API's own rules decide, and its field errors are shown like any other. */}
      <form onSubmit={submit} noValidate aria-labelledby="orgs-create">
        <FormErrors messages={errors.messages} />
        <TextField
          form={FORM}
          name="name"
          label="Organization name"
          hint="You become its first admin."
          required
          value={name}
          onInput={setName}
          error={errors.fields.name}
        />
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create organization"}
        </button>
      </form>
    </section>
  );
}
