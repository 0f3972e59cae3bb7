import { useEffect, useRef, useState } from "preact/hooks";
import type { Api, CreatedApiKey, Organization, Project, ReplayedApiKey } from "../api/client.js";
import { formProblem, type FormProblem } from "../api/formProblem.js";
import {
  formFromSettings,
  REMOVE_AFTER_INACTIVE_DAYS,
  SETTINGS_FIELDS,
  settingsChange,
  settingsProblem,
  validateSettings,
  type SettingsForm,
} from "../forms/settings.js";
import { FormErrors, SelectField, TextAreaField, TextField, fieldId, focusFirstError } from "./fields.js";
import { formatTime } from "./format.js";
import type { OrgContext } from "./OrgLayout.js";
import { CreateProject } from "./Projects.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";

const NO_ERRORS: FormProblem = { fields: {}, messages: [] };
const FORM = "org-settings";
const SHOWN_BEFORE_LINKS = [
  "invitationTtlDays", "maxAccessDays", "requireAccessEndDate", "requireJustification", "invitesPerDay", "keepInvitationsOfDepartedInviters",
  "removeAfterInactiveDays", "defaultStakeholders", "invitationRequests", "invitationRequestDays", "requireSecondApproval", "reviewsByProjectManagers", "internalDomains", "allowedEmailDomains", "blockConsumerDomains", "emailPattern", "emailPatternMode", "loginMethod", "loginUrl", "ssoDomains", "ssoLoginUrl", "supportContact",
] as const satisfies readonly (typeof SETTINGS_FIELDS)[number][];

/** The org's settings (§9), its projects with their identify settings, and their API keys; admins only. */
export function Settings(context: OrgContext) {
  const { api, membership } = context;
  if (membership.orgRole !== "admin") {
    return (
      <>
        <ScreenHeading title="Settings" />
        <p class="empty">Only admins of this organization can see and change its settings.</p>
      </>
    );
  }
  return (
    <>
      <ScreenHeading title="Settings" />
      <OrgSettingsSection api={api} orgId={membership.orgId} />
      <ProjectsSection api={api} orgId={membership.orgId} />
    </>
  );
}

function OrgSettingsSection({ api, orgId }: { api: Api; orgId: string }) {
  const [loaded, reload] = useLoad(() => api.getOrg(orgId), `org:${orgId}`);
  // The org as last saved here; a save answers the new version, so no re-read is needed.
  const [saved, setSaved] = useState<Organization | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  let body;
  if (loaded.state === "loading") body = <Loading what="the settings" />;
  else if (loaded.state === "error") body = <LoadError what="the settings" problem={loaded.problem} onRetry={reload} />;
  else {
    const org = saved && saved.version >= loaded.data.version ? saved : loaded.data;
    body = (
      <OrgSettingsForm
        key={org.version}
        api={api}
        org={org}
        notice={notice}
        onSaved={(changed) => {
          setSaved(changed);
          setNotice("Settings saved.");
        }}
        onStale={() => {
          // Someone saved meanwhile: show their version; the form starts again from it.
          setSaved(null);
          setNotice("These settings were changed by someone else meanwhile. The newest settings are shown; make your change again.");
          reload();
        }}
      />
    );
  }
  return (
    <section aria-labelledby="settings-org">
      <h2 id="settings-org">Organization settings</h2>
      {body}
    </section>
  );
}

function Checkbox({
  name,
  label,
  checked,
  onChange,
  hint,
  error,
}: {
  name: string;
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  hint?: string;
  /** The API's refusal of this setting, shown beside it (the form places every settings error on its field). */
  error?: string | undefined;
}) {
  const id = fieldId(FORM, name);
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <>
      <div class="choice">
        <input type="checkbox" id={id} checked={checked} aria-invalid={error ? "true" : undefined} aria-describedby={describedBy} onChange={(e) => onChange(e.currentTarget.checked)} />
        <label for={id}>{label}</label>
        {hint && (
          <p id={`${id}-hint`} class="hint">
            {hint}
          </p>
        )}
      </div>
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </>
  );
}

function OrgSettingsForm({
  api,
  org,
  notice,
  onSaved,
  onStale,
}: {
  api: Api;
  org: Organization;
  notice: string | null;
  onSaved: (org: Organization) => void;
  onStale: () => void;
}) {
  const [form, setForm] = useState<SettingsForm>(() => formFromSettings(org.settings));
  const [errors, setErrors] = useState<FormProblem>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [unchanged, setUnchanged] = useState(false);
  const set =
    <K extends keyof SettingsForm>(field: K) =>
    (value: SettingsForm[K]) => {
      setUnchanged(false);
      setForm((current) => ({ ...current, [field]: value }));
    };
  // The fields in the order shown, so a refused save focuses the first error on the page.
  const order = [...SHOWN_BEFORE_LINKS, ...form.welcomeLinks.flatMap((_, i) => [`welcomeLinks.${i}.title`, `welcomeLinks.${i}.url`]), "welcomeLinks", "roleTemplates", "auditRetentionDays"];

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const checked = validateSettings(form);
    if (Object.keys(checked).length > 0) {
      setErrors({ fields: checked, messages: [] });
      focusFirstError(FORM, checked, order);
      return;
    }
    const change = settingsChange(org.settings, form);
    if (Object.keys(change).length === 0) {
      setErrors(NO_ERRORS);
      setUnchanged(true);
      return;
    }
    setBusy(true);
    const result = await api.updateOrg(org.id, org.version, { settings: change });
    setBusy(false);
    if (result.ok) return onSaved(result.data);
    if (result.problem.status === 412) return onStale();
    const shown = settingsProblem(result.problem, form);
    setErrors(shown);
    focusFirstError(FORM, shown.fields, order);
  }

  const links = form.welcomeLinks;
  const setLink = (index: number, part: "title" | "url") => (value: string) =>
    set("welcomeLinks")(links.map((link, i) => (i === index ? { ...link, [part]: value } : link)));
  const err = errors.fields;
  return (
    <form onSubmit={submit} noValidate aria-label="Organization settings">
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <FormErrors messages={errors.messages} />
      <fieldset>
        <legend>Invitations and access</legend>
        <TextField form={FORM} name="invitationTtlDays" label="Invitation link lifetime (days)" type="number" min="1" max="30" hint="1 to 30." required value={form.invitationTtlDays} onInput={set("invitationTtlDays")} error={err.invitationTtlDays} />
        <TextField form={FORM} name="maxAccessDays" label="Longest access (days)" type="number" min="1" max="3650" hint="The furthest an access end may be: 1 to 3650." required value={form.maxAccessDays} onInput={set("maxAccessDays")} error={err.maxAccessDays} />
        <Checkbox name="requireAccessEndDate" label="Require an access end date" checked={form.requireAccessEndDate} onChange={set("requireAccessEndDate")} error={err.requireAccessEndDate} />
        <Checkbox name="requireJustification" label="Require a justification" checked={form.requireJustification} onChange={set("requireJustification")} error={err.requireJustification} />
        <TextField form={FORM} name="invitesPerDay" label="Invitations per day" type="number" min="1" max="500" hint="Per UTC day: 1 to 500." required value={form.invitesPerDay} onInput={set("invitesPerDay")} error={err.invitesPerDay} />
        <Checkbox name="keepInvitationsOfDepartedInviters" label="Keep the pending invitations of inviters who leave" checked={form.keepInvitationsOfDepartedInviters} onChange={set("keepInvitationsOfDepartedInviters")} error={err.keepInvitationsOfDepartedInviters} />
        <TextField form={FORM} name="removeAfterInactiveDays" label="Remove collaborators inactive for (days)" type="number" min={String(REMOVE_AFTER_INACTIVE_DAYS[0])} max={String(REMOVE_AFTER_INACTIVE_DAYS[1])} hint={`${REMOVE_AFTER_INACTIVE_DAYS[0]} to ${REMOVE_AFTER_INACTIVE_DAYS[1]}; they and their inviter are warned 7 days before. Empty: never.`} value={form.removeAfterInactiveDays} onInput={set("removeAfterInactiveDays")} error={err.removeAfterInactiveDays} />
        <TextAreaField form={FORM} name="defaultStakeholders" label="Default stakeholders" hint="Added to every invitation; one address a line." value={form.defaultStakeholders} onInput={set("defaultStakeholders")} error={err.defaultStakeholders} />
      </fieldset>
      <fieldset>
        <legend>Invitation requests and approvals</legend>
        <SelectField form={FORM} name="invitationRequests" label="Who may ask for an invitation" hint="Admins approve or deny each request on Requests. Admins may always ask." value={form.invitationRequests} options={[{ value: "off", label: "Nobody besides admins" }, { value: "managers", label: "Project managers, for their projects" }, { value: "members", label: "Any member" }]} onChange={(v) => set("invitationRequests")(v as SettingsForm["invitationRequests"])} error={err.invitationRequests} />
        <TextField form={FORM} name="invitationRequestDays" label="A request waits for a decision (days)" type="number" min="1" max="90" hint="1 to 90; undecided, it expires." required value={form.invitationRequestDays} onInput={set("invitationRequestDays")} error={err.invitationRequestDays} />
        <Checkbox name="requireSecondApproval" label="Two-person rule: a second admin approves admin roles and addresses outside the internal domains" hint="Such an invitation waits on Requests, even when an admin sends it. Nobody approves their own." checked={form.requireSecondApproval} onChange={set("requireSecondApproval")} error={err.requireSecondApproval} />
      </fieldset>
      <fieldset>
        <legend>Access reviews</legend>
        <Checkbox name="reviewsByProjectManagers" label="Project managers review the members of their projects" hint="In each access review, a project manager decides the members whose every project they manage. Admins review everyone, always." checked={form.reviewsByProjectManagers} onChange={set("reviewsByProjectManagers")} error={err.reviewsByProjectManagers} />
      </fieldset>
      <fieldset>
        <legend>Email addresses</legend>
        <TextAreaField form={FORM} name="internalDomains" label="Internal domains" hint="One a line. Addresses outside them are warned about when invited without an end date." value={form.internalDomains} onInput={set("internalDomains")} error={err.internalDomains} />
        <TextAreaField form={FORM} name="allowedEmailDomains" label="Allowed email domains" hint="One a line; none allows any domain." value={form.allowedEmailDomains} onInput={set("allowedEmailDomains")} error={err.allowedEmailDomains} />
        <Checkbox name="blockConsumerDomains" label="Refuse consumer email domains (gmail.com, …)" checked={form.blockConsumerDomains} onChange={set("blockConsumerDomains")} error={err.blockConsumerDomains} />
        <TextField form={FORM} name="emailPattern" label="Email pattern" hint="A regular expression addresses should match; empty for none." value={form.emailPattern} onInput={set("emailPattern")} error={err.emailPattern} />
        <SelectField form={FORM} name="emailPatternMode" label="When an address does not match the pattern" value={form.emailPatternMode} options={[{ value: "warn", label: "Warn" }, { value: "enforce", label: "Refuse the invitation" }]} onChange={(v) => set("emailPatternMode")(v as SettingsForm["emailPatternMode"])} error={err.emailPatternMode} />
      </fieldset>
      <fieldset>
        <legend>Sign-in and welcome email</legend>
        <SelectField form={FORM} name="loginMethod" label="Login method" hint="How collaborators sign in; the invitation, accept page and welcome email say so." value={form.loginMethod} options={[{ value: "", label: "Not said" }, { value: "password", label: "Password" }, { value: "google", label: "Google" }, { value: "sso", label: "SSO" }]} onChange={(v) => set("loginMethod")(v as SettingsForm["loginMethod"])} error={err.loginMethod} />
        <TextField form={FORM} name="loginUrl" label="Login address" hint="Where collaborators sign in to the analytics platform (https://…); empty for none." value={form.loginUrl} onInput={set("loginUrl")} error={err.loginUrl} />
        <TextAreaField
          form={FORM}
          name="ssoDomains"
          label="SSO domains"
          hint="One a line (or separated by commas). Addresses at these domains sign in with the organization's SSO; with the SSO login method, others sign in with an email and password and are warned about when invited."
          value={form.ssoDomains}
          onInput={set("ssoDomains")}
          error={err.ssoDomains}
        />
        <TextField form={FORM} name="ssoLoginUrl" label="SSO login address" hint="Where SSO domain addresses sign in (https://…); empty: the login address." value={form.ssoLoginUrl} onInput={set("ssoLoginUrl")} error={err.ssoLoginUrl} />
        <TextField form={FORM} name="supportContact" label="Support contact" hint="Empty for none." value={form.supportContact} onInput={set("supportContact")} error={err.supportContact} />
        <fieldset aria-describedby={err.welcomeLinks ? fieldId(FORM, "welcomeLinks-error") : undefined}>
          <legend>Welcome links</legend>
          {links.length === 0 && <p class="empty">No welcome links.</p>}
          {links.map((link, index) => (
            <div class="welcome-link" key={index}>
              <TextField form={FORM} name={`welcomeLinks.${index}.title`} label={`Link ${index + 1} title`} required value={link.title} onInput={setLink(index, "title")} error={err[`welcomeLinks.${index}.title`]} />
              <TextField form={FORM} name={`welcomeLinks.${index}.url`} label={`Link ${index + 1} address`} required value={link.url} onInput={setLink(index, "url")} error={err[`welcomeLinks.${index}.url`]} />
              <button type="button" class="link-button" onClick={() => set("welcomeLinks")(links.filter((_, i) => i !== index))}>
                Remove link {index + 1}
              </button>
            </div>
          ))}
          {err.welcomeLinks && (
            <p id={fieldId(FORM, "welcomeLinks-error")} class="field-error">
              {err.welcomeLinks}
            </p>
          )}
          <button
            type="button"
            onClick={() => {
              set("welcomeLinks")([...links, { title: "", url: "" }]);
              // The new link's title, once rendered, so typing can start at once.
              requestAnimationFrame(() => document.getElementById(fieldId(FORM, `welcomeLinks.${links.length}.title`))?.focus());
            }}
          >
            Add a welcome link
          </button>
        </fieldset>
      </fieldset>
      <fieldset>
        <legend>Roles and audit</legend>
        <TextAreaField form={FORM} name="roleTemplates" label="Role templates" hint="One a line: name: admin or member, then optionally , manager, analyst or viewer. The built-in templates are always there." value={form.roleTemplates} onInput={set("roleTemplates")} error={err.roleTemplates} />
        <TextField form={FORM} name="auditRetentionDays" label="Audit retention (days)" type="number" min="1" max="3650" hint="1 to 3650." required value={form.auditRetentionDays} onInput={set("auditRetentionDays")} error={err.auditRetentionDays} />
      </fieldset>
      {unchanged && (
        <p class="notice" role="status">
          Nothing was changed.
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? "Saving…" : "Save settings"}
      </button>
    </form>
  );
}

function ProjectsSection({ api, orgId }: { api: Api; orgId: string }) {
  const [projects, reload] = useLoad(() => api.allProjects(orgId), `settings-projects:${orgId}`);
  const [created, setCreated] = useState<string | null>(null);
  // While the list is read again, the projects read before stay shown (with their keys made here and a secret still shown).
  const last = useRef<Project[] | null>(null);
  if (projects.state === "ready") last.current = projects.data;
  const list = projects.state === "ready" ? projects.data : projects.state === "loading" ? last.current : null;
  let body;
  if (projects.state === "error") body = <LoadError what="projects" problem={projects.problem} onRetry={reload} />;
  else if (list === null) body = <Loading what="projects" />;
  else if (list.length === 0) body = <p class="empty">No projects yet. Create one below.</p>;
  // Keyed by id only: a re-read updates a project in place.
  else body = list.map((project) => <ProjectSettings key={project.id} api={api} project={project} onStale={reload} />);
  return (
    <section aria-labelledby="settings-projects">
      <h2 id="settings-projects">Projects</h2>
      {body}
      {created && (
        <p class="notice" role="status">
          Created project {created}.
        </p>
      )}
      <CreateProject
        api={api}
        orgId={orgId}
        onCreated={(name) => {
          setCreated(name);
          reload();
        }}
      />
    </section>
  );
}

type Said = { text: string; error: boolean } | null;

function ProjectSettings({ api, project: read, onStale }: { api: Api; project: Project; onStale: () => void }) {
  const [project, setProject] = useState(read);
  const [said, setSaid] = useState<Said>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState(read.name);
  const [nameError, setNameError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const [hashing, setHashing] = useState(read.settings.identityHashing === "hmac-sha256");
  const [keyless, setKeyless] = useState(read.settings.keylessIdentify);
  useEffect(() => {
    // A newer version read (after a 412, or another re-read of the list) replaces what is shown.
    if (read.version > project.version) {
      setProject(read);
      setName(read.name);
      setHashing(read.settings.identityHashing === "hmac-sha256");
      setKeyless(read.settings.keylessIdentify);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [read.version]);
  const form = `project-${project.id}`;
  const headingId = `${form}-heading`;

  async function update(body: Parameters<Api["updateProject"]>[3], done: string): Promise<boolean> {
    setBusy(true);
    const result = await api.updateProject(project.orgId, project.id, project.version, body);
    setBusy(false);
    if (result.ok) {
      setProject(result.data);
      setSaid({ text: done, error: false });
      return true;
    }
    if (result.problem.status === 412) {
      setSaid({ text: `${project.name} was changed by someone else meanwhile; it is shown as it now is. Make your change again.`, error: true });
      onStale();
      return false;
    }
    const shown = formProblem(result.problem, ["name"]);
    if (shown.fields.name) {
      setNameError(shown.fields.name);
      document.getElementById(fieldId(form, "name"))?.focus();
    }
    if (shown.messages.length > 0) setSaid({ text: shown.messages.join(" "), error: true });
    return false;
  }

  async function rename(event: Event) {
    event.preventDefault();
    if (busy) return;
    if (name.trim() === "") {
      setNameError("Enter a name.");
      document.getElementById(fieldId(form, "name"))?.focus();
      return;
    }
    setNameError(undefined);
    await update({ name: name.trim() }, `Renamed to ${name.trim()}.`);
  }

  async function saveIdentify(event: Event) {
    event.preventDefault();
    if (busy) return;
    await update({ settings: { identityHashing: hashing ? "hmac-sha256" : "none", keylessIdentify: keyless } }, "Identify settings saved.");
  }

  return (
    <section class="project-settings" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {project.name} <span class="meta">({project.environment}, {project.platform}{project.archived ? ", archived" : ""})</span>
      </h3>
      <p class="meta">
        Project id (the identify API's app_id): <code>{project.id}</code>
      </p>
      {said && (
        <p class={said.error ? "form-errors" : "notice"} role={said.error ? "alert" : "status"}>
          {said.text}
        </p>
      )}
      <form onSubmit={rename} noValidate aria-label={`Rename ${project.name}`}>
        <TextField form={form} name="name" label={`Name of ${project.name}`} required value={name} onInput={setName} error={nameError} />
        <button type="submit" disabled={busy}>
          Rename
        </button>
      </form>
      <form onSubmit={saveIdentify} aria-label={`Identify settings of ${project.name}`}>
        <fieldset>
          <legend>Identify settings</legend>
          <div class="choice">
            <input type="checkbox" id={fieldId(form, "hashing")} checked={hashing} aria-describedby={`${fieldId(form, "hashing")}-hint`} onChange={(e) => setHashing(e.currentTarget.checked)} />
            <label for={fieldId(form, "hashing")}>Hash identities (HMAC-SHA-256)</label>
            <p id={`${fieldId(form, "hashing")}-hint`} class="hint">
              New identities are stored as h1:… under a key of this project; those already stored stay as they are.
            </p>
          </div>
          <div class="choice">
            <input type="checkbox" id={fieldId(form, "keyless")} checked={keyless} onChange={(e) => setKeyless(e.currentTarget.checked)} />
            <label for={fieldId(form, "keyless")}>Accept identify calls without an API key</label>
          </div>
          <p class="hint">Applies within a minute.</p>
          <button type="submit" disabled={busy}>
            Save identify settings
          </button>
        </fieldset>
      </form>
      <ApiKeys api={api} project={project} />
      <div class="danger-zone">
        {project.archived ? (
          <button type="button" disabled={busy} onClick={() => update({ archived: false }, `${project.name} is active again.`)}>
            Unarchive {project.name}
          </button>
        ) : confirming ? (
          <div class="confirm" role="group" aria-label={`Archive ${project.name}?`}>
            <p>Archive {project.name}? It can no longer be granted, and its API keys are refused.</p>
            <ConfirmButton
              label={`Archive ${project.name}`}
              disabled={busy}
              onClick={async () => {
                if (await update({ archived: true }, `${project.name} is archived.`)) setConfirming(false);
              }}
            />
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            Archive {project.name}…
          </button>
        )}
      </div>
    </section>
  );
}

/** The confirming button of an inline confirmation; it takes the focus when it appears. */
function ConfirmButton({ label, disabled, onClick }: { label: string; disabled: boolean; onClick: () => void }) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <button type="button" ref={button} class="danger" disabled={disabled} onClick={onClick}>
      {label}
    </button>
  );
}

type Key = CreatedApiKey | ReplayedApiKey;

/**
 * API keys made on this page. The API has no route listing a project's keys, so only the keys made
 * here since the page opened are listed. The secret lives in this component's state only, until "Done".
 */
function ApiKeys({ api, project }: { api: Api; project: Project }) {
  const form = `keys-${project.id}`;
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<FormProblem>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [keys, setKeys] = useState<Key[]>([]);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [said, setSaid] = useState<Said>(null);
  const secretBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (secret) secretBox.current?.focus();
  }, [secret]);

  async function create(event: Event) {
    event.preventDefault();
    if (busy) return;
    if (name.trim() === "") {
      setErrors({ fields: { name: "Enter a name for the key." }, messages: [] });
      document.getElementById(fieldId(form, "name"))?.focus();
      return;
    }
    setBusy(true);
    const result = await api.createApiKey(project.orgId, project.id, name.trim());
    setBusy(false);
    if (!result.ok) {
      const shown = formProblem(result.problem, ["name"]);
      setErrors(shown);
      focusFirstError(form, shown.fields, ["name"]);
      return;
    }
    setErrors(NO_ERRORS);
    setName("");
    setCopied(null);
    setSaid(null);
    const key = result.data;
    setKeys((all) => [...all, key]);
    if ("secret" in key) setSecret({ name: key.name, value: key.secret });
  }

  async function copy() {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret.value);
      setCopied("Copied to the clipboard.");
    } catch {
      setCopied("Could not copy; select the key and copy it yourself.");
    }
  }

  async function revoke(key: Key) {
    setBusy(true);
    const result = await api.revokeApiKey(project.orgId, project.id, key.id);
    setBusy(false);
    if (!result.ok) return setSaid({ text: `Could not revoke ${key.name}: ${result.problem.detail || result.problem.title}`, error: true });
    setConfirming(null);
    setKeys((all) => all.map((k) => (k.id === key.id ? { ...k, revoked: true } : k)));
    setSaid({ text: `Revoked ${key.name}; it is refused from now on.`, error: false });
  }

  const headingId = `${form}-heading`;
  return (
    <section aria-labelledby={headingId}>
      <h4 id={headingId}>API keys of {project.name}</h4>
      {secret && (
        <div class="secret notice" tabIndex={-1} ref={secretBox} role="region" aria-label={`New API key ${secret.name}`}>
          <p>
            The key <strong>{secret.name}</strong>. Copy it now: <strong>it will not be shown again</strong>, and the console does not keep it.
          </p>
          <p>
            <code class="secret-value">{secret.value}</code>
          </p>
          <button type="button" onClick={copy}>
            Copy the key
          </button>{" "}
          <button type="button" onClick={() => setSecret(null)}>
            Done
          </button>
          {copied && <p role="status">{copied}</p>}
        </div>
      )}
      {said && (
        <p class={said.error ? "form-errors" : "notice"} role={said.error ? "alert" : "status"}>
          {said.text}
        </p>
      )}
      {keys.length === 0 ? (
        <p class="empty">No keys made on this page yet. Keys made earlier keep working; the console cannot list them.</p>
      ) : (
        <table>
          <caption>Keys made on this page</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}</code>
                </td>
                <td>{formatTime(key.createdAt)}</td>
                <td>{key.revoked ? "Revoked" : "Active"}</td>
                <td>
                  {key.revoked ? null : confirming === key.id ? (
                    <div class="confirm" role="group" aria-label={`Revoke ${key.name}?`}>
                      <p>Revoke {key.name}? Calls with it are refused at once.</p>
                      <ConfirmButton label={`Revoke ${key.name}`} disabled={busy} onClick={() => revoke(key)} />
                      <button type="button" onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </div>
                  ) : (
                    <button type="button" onClick={() => setConfirming(key.id)}>
                      Revoke {key.name}…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={create} noValidate aria-label={`Create an API key for ${project.name}`}>
        <FormErrors messages={errors.messages} />
        <TextField form={form} name="name" label={`New key name for ${project.name}`} required value={name} onInput={setName} error={errors.fields.name} />
        <button type="submit" disabled={busy || project.archived}>
          Create API key
        </button>
      </form>
    </section>
  );
}

