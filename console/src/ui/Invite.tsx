import { useEffect, useRef, useState } from "preact/hooks";
import type { Api, Invitation, InvitationRequest, Organization, Project, Warning } from "../api/client.js";
import { approvalsText } from "../forms/requests.js";
import { batchRows, correctedRow, MAX_BATCH, parseBatchLines, rowResult, type BatchRow } from "../forms/batch.js";
import { correctedText, typoSuggestions } from "../forms/correction.js";
import {
  buildInvite,
  emailHints,
  emptyInviteForm,
  firstErrorField,
  idempotencyKeyFor,
  inviteErrors,
  ORG_ROLES,
  PROJECT_ROLES,
  templateChoices,
  togglePicked,
  type InviteErrors,
  type InviteForm,
  type LastAttempt,
  type ProjectRole,
} from "../forms/invite.js";
import { FormErrors, SelectField, TextAreaField, TextField, fieldId } from "./fields.js";
import { UseSuggestion } from "./Correction.js";
import { deliveryLabel, describeDelivery, describeRoles, formatTime, projectNames } from "./format.js";
import { Link } from "./Link.js";
import type { OrgContext } from "./OrgLayout.js";
import { orgHref } from "./router.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";

const FORM = "invite";
const NO_ERRORS: InviteErrors = { fields: {}, messages: [] };

/** Invite one collaborator, or (batch) up to 10 with the same roles: the org's settings and projects shape the form. */
export function Invite({ context, batch }: { context: OrgContext; batch: boolean }) {
  const { api, membership } = context;
  const orgId = membership.orgId;
  const [org, reloadOrg] = useLoad(() => api.getOrg(orgId), `org:${orgId}`);
  const [projects, reloadProjects] = useLoad(() => api.allProjects(orgId), `all-projects:${orgId}`);
  const title = batch ? "Invite several collaborators" : "Invite a collaborator";
  let body;
  if (org.state === "loading" || projects.state === "loading") body = <Loading what="the organization's settings and projects" />;
  else if (org.state === "error" && org.problem.code === "forbidden") body = <p class="empty">Only admins of this organization invite collaborators.</p>;
  else if (org.state === "error") body = <LoadError what="the organization's settings" problem={org.problem} onRetry={reloadOrg} />;
  else if (projects.state === "error") body = <LoadError what="projects" problem={projects.problem} onRetry={reloadProjects} />;
  else body = <InviteFormView context={context} batch={batch} org={org.data} projects={projects.data} />;
  return (
    <>
      <ScreenHeading title={title} />
      <p class="mode-switch">
        {batch ? (
          <Link href={orgHref(context.base, orgId, "invite")} navigate={context.navigate}>
            Invite one person instead
          </Link>
        ) : (
          <Link href={orgHref(context.base, orgId, "batch")} navigate={context.navigate}>
            Invite up to {MAX_BATCH} people at once
          </Link>
        )}
      </p>
      {body}
    </>
  );
}

function InviteFormView({ context, batch, org, projects }: { context: OrgContext; batch: boolean; org: Organization; projects: Project[] }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  const settings = org.settings;
  const active = projects.filter((project) => !project.archived);
  const activeIds = active.map((project) => project.id);
  const names = projectNames(projects);

  const [form, setForm] = useState<InviteForm>(emptyInviteForm);
  const [emailsText, setEmailsText] = useState("");
  const [errors, setErrors] = useState<InviteErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [offerReplace, setOfferReplace] = useState(false);
  const [invited, setInvited] = useState<Invitation | null>(null);
  // What a correction of the invitation just sent did ("Corrected the address from … to …").
  const [correction, setCorrection] = useState<string | null>(null);
  const [awaiting, setAwaiting] = useState<InvitationRequest | null>(null);
  const [rows, setRows] = useState<BatchRow[] | null>(null);
  const lastAttempt = useRef<LastAttempt | null>(null);
  const outcomeHeading = useRef<HTMLHeadingElement>(null);

  const set = <K extends keyof InviteForm>(key: K) => (value: InviteForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  // After an answer, the outcome's heading takes focus, so it is read out and the keyboard starts there.
  // A corrected address is a new outcome too (its heading names the new address); a batch line's
  // correction keeps the focus on that line instead, and a 412 read again leaves it where it is.
  useEffect(() => {
    if (invited || awaiting || rows) outcomeHeading.current?.focus();
  }, [invited?.email, awaiting, rows === null]);

  function focusError(fields: Record<string, string>) {
    const first = firstErrorField(fields, activeIds);
    if (!first) return;
    const target =
      first === "projects" ? (activeIds[0] ? fieldId(FORM, `project-${activeIds[0]}`) : undefined) : fieldId(FORM, first.replace(":", "-"));
    if (target) document.getElementById(target)?.focus();
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    if (batch) await submitBatch();
    else await submitOne();
  }

  async function submitOne() {
    const built = buildInvite(form);
    const json = JSON.stringify(built.body);
    const key = idempotencyKeyFor(lastAttempt.current, json, () => crypto.randomUUID());
    setBusy(true);
    const result = await api.invite(orgId, built.body, key);
    setBusy(false);
    lastAttempt.current = { key, body: json, answered: result.ok || result.problem.status !== 0 };
    if (result.ok) {
      setErrors(NO_ERRORS);
      setOfferReplace(false);
      if ("approvalsNeeded" in result.data) setAwaiting(result.data);
      else setInvited(result.data);
      return;
    }
    const shown = inviteErrors(result.problem, built);
    if (result.problem.code === "invitation_pending") {
      // The API's detail names its body field (replaceExisting); say what the form offers instead.
      shown.messages = ["This address already has a pending invitation. Resend it from Invitations, or tick the box below the form to replace it."];
      setOfferReplace(true);
    }
    setErrors(shown);
    focusError(shown.fields);
  }

  async function submitBatch() {
    const lines = parseBatchLines(emailsText);
    if (!lines.ok) {
      const shown = { fields: { emails: lines.error }, messages: [] };
      setErrors(shown);
      focusError(shown.fields);
      return;
    }
    // The same roles, note and dates for every line; only the address differs.
    const built = lines.emails.map((email) => buildInvite({ ...form, email }));
    const bodies = built.map((b) => b.body);
    const json = JSON.stringify(bodies);
    const key = idempotencyKeyFor(lastAttempt.current, json, () => crypto.randomUUID());
    setBusy(true);
    // The previous batch's results go, so they cannot be taken for this one's.
    setRows(null);
    const result = await api.inviteBatch(orgId, bodies, key);
    setBusy(false);
    lastAttempt.current = { key, body: json, answered: result.ok || result.problem.status !== 0 };
    if (result.ok) {
      setErrors(NO_ERRORS);
      setRows(batchRows(lines.emails, result.data.results));
      return;
    }
    const shown = inviteErrors(result.problem, built[0] ?? { projectAt: [], stakeholdersSent: [] });
    setErrors(shown);
    setRows(null);
    focusError(shown.fields);
  }

  if (awaiting) {
    return (
      <section aria-labelledby="invite-outcome" class="outcome">
        <h2 id="invite-outcome" ref={outcomeHeading} tabIndex={-1}>
          {`Waiting for a second admin's approval: ${awaiting.email}`}
        </h2>
        <p>
          {`Nothing was sent yet. The organization's two-person rule applies because ${awaiting.secondApprovalBecause ?? "it needs two admins"}. Your invite counts as the first approval; once another admin approves it on Requests, the invitation goes out.`}
        </p>
        <dl class="facts">
          <dt>Roles</dt>
          <dd>{describeRoles(awaiting, names)}</dd>
          <dt>Approvals</dt>
          <dd>{approvalsText(awaiting)}</dd>
          <dt>Waits until</dt>
          <dd>{formatTime(awaiting.expiresAt)}</dd>
        </dl>
        <Warnings warnings={awaiting.warnings ?? []} />
        <p class="actions">
          <Link href={orgHref(base, orgId, "requests", { status: "pending" })} navigate={navigate}>
            See the requests waiting for approval
          </Link>
          <button
            type="button"
            onClick={() => {
              setAwaiting(null);
              setForm(emptyInviteForm());
            }}
          >
            Invite someone else
          </button>
        </p>
      </section>
    );
  }

  if (invited) {
    return (
      <InvitedPanel
        invitation={invited}
        names={names}
        headingRef={outcomeHeading}
        invitationsHref={orgHref(base, orgId, "invitations", { status: "pending" })}
        navigate={navigate}
        correction={correction}
        fix={{
          api,
          orgId,
          onCorrected: (corrected, oldEmail) => {
            setCorrection(correctedText(oldEmail, corrected, formatTime(corrected.expiresAt)));
            setInvited(corrected);
          },
          // The invitation as read again has no warnings (only an invite's answer has them): the ones shown stay.
          onChanged: (newer) => setInvited((shown) => ({ ...newer, warnings: shown?.warnings ?? [] })),
        }}
        onAnother={() => {
          setInvited(null);
          setCorrection(null);
          setForm(emptyInviteForm());
        }}
      />
    );
  }

  const hints = batch ? [] : emailHints(form.email, settings, form.accessEndsOn !== "");
  const ttl = settings.invitationTtlDays;
  return (
    <>
      {/* noValidate: the API's own rules decide, and its field errors are shown beside the fields. */}
      <form onSubmit={submit} noValidate aria-label={batch ? "Invite several" : "Invite"} class="invite-form">
        <FormErrors messages={errors.messages} />
        {batch ? (
          <TextAreaField
            form={FORM}
            name="emails"
            label="Email addresses"
            hint={`One address a line, at most ${MAX_BATCH}. Everyone gets the roles, note and dates below.`}
            rows={6}
            required
            value={emailsText}
            onInput={setEmailsText}
            error={errors.fields.emails}
          />
        ) : (
          <TextField
            form={FORM}
            name="email"
            label="Email"
            type="email"
            required
            hint={hints.length > 0 ? hints.join(" ") : "The address the invitation is sent to."}
            value={form.email}
            onInput={set("email")}
            error={errors.fields.email}
          />
        )}

        <fieldset>
          <legend>Roles</legend>
          <div class="choice">
            <input
              type="radio"
              id={fieldId(FORM, "mode-roles")}
              name="roleMode"
              checked={form.roleMode === "roles"}
              onChange={() => set("roleMode")("roles")}
            />
            <label for={fieldId(FORM, "mode-roles")}>An org role and a role on each project</label>
          </div>
          <div class="choice">
            <input
              type="radio"
              id={fieldId(FORM, "mode-template")}
              name="roleMode"
              checked={form.roleMode === "template"}
              onChange={() => set("roleMode")("template")}
            />
            <label for={fieldId(FORM, "mode-template")}>A role template</label>
          </div>
          {form.roleMode === "roles" ? (
            <SelectField
              form={FORM}
              name="orgRole"
              label="Org role"
              hint="An admin manages every project, member and setting; a member needs at least one project."
              value={form.orgRole}
              options={ORG_ROLES}
              onChange={(value) => set("orgRole")(value as InviteForm["orgRole"])}
              error={errors.fields.orgRole}
            />
          ) : (
            <SelectField
              form={FORM}
              name="template"
              label="Role template"
              hint="Gives its org role, and its project role on the projects picked below."
              value={form.template}
              options={[{ value: "", label: "Choose a template" }, ...templateChoices(settings.roleTemplates).map((c) => ({ value: c.name, label: c.label }))]}
              onChange={set("template")}
              error={errors.fields.template}
            />
          )}
        </fieldset>

        <fieldset aria-describedby={errors.fields.projects ? fieldId(FORM, "projects-error") : undefined}>
          <legend>Projects</legend>
          {active.length === 0 ? (
            <p class="empty">
              This organization has no active projects yet.{" "}
              <Link href={orgHref(base, orgId, "overview")} navigate={navigate}>
                Create one on the Overview
              </Link>
              .
            </p>
          ) : (
            active.map((project) => (
              <ProjectRow
                key={project.id}
                form={FORM}
                project={{ id: project.id, name: project.name, detail: `${project.environment}, ${project.platform}` }}
                picked={form.picked.includes(project.id)}
                withRole={form.roleMode === "roles"}
                role={form.projectRoles[project.id] ?? "viewer"}
                error={errors.fields[`project:${project.id}`]}
                onPick={(on) => setForm((f) => togglePicked(f, project.id, on, activeIds))}
                onRole={(role) => setForm((f) => ({ ...f, projectRoles: { ...f.projectRoles, [project.id]: role } }))}
              />
            ))
          )}
          {errors.fields.projects && (
            <p id={fieldId(FORM, "projects-error")} class="field-error">
              {errors.fields.projects}
            </p>
          )}
        </fieldset>

        <fieldset>
          <legend>Note</legend>
          <TextField form={FORM} name="note.engagement" label="Engagement" hint="The work the access is for." value={form.engagement} onInput={set("engagement")} error={errors.fields["note.engagement"]} />
          <TextField form={FORM} name="note.reference" label="Reference" hint="A contract, purchase order or ticket." value={form.reference} onInput={set("reference")} error={errors.fields["note.reference"]} />
          <TextAreaField
            form={FORM}
            name="note.justification"
            label="Justification"
            hint={settings.requireJustification ? "Why this access is needed. Required by this organization." : "Why this access is needed."}
            required={settings.requireJustification}
            value={form.justification}
            onInput={set("justification")}
            error={errors.fields["note.justification"]}
          />
        </fieldset>

        <TextField
          form={FORM}
          name="accessEndsAt"
          label="Access ends on"
          type="date"
          hint={`At 00:00 UTC on this day, at most ${settings.maxAccessDays} days ahead.${settings.requireAccessEndDate ? " Required by this organization." : " Empty: no end."}`}
          required={settings.requireAccessEndDate}
          value={form.accessEndsOn}
          onInput={set("accessEndsOn")}
          error={errors.fields.accessEndsAt}
        />
        <TextField
          form={FORM}
          name="expiresInDays"
          label="Link works for (days)"
          type="number"
          min="1"
          max="30"
          hint={`1 to 30. Empty: this organization's ${ttl} day${ttl === 1 ? "" : "s"}.`}
          value={form.expiresInDays}
          onInput={set("expiresInDays")}
          error={errors.fields.expiresInDays}
        />
        <TextAreaField
          form={FORM}
          name="stakeholders"
          label="Stakeholders"
          hint={`Copied on the welcome email and told when the access ends; one address a line.${
            settings.defaultStakeholders.length > 0 ? ` This organization adds ${settings.defaultStakeholders.join(", ")}.` : ""
          }`}
          value={form.stakeholders}
          onInput={set("stakeholders")}
          error={errors.fields.stakeholders}
        />
        {offerReplace && !batch && (
          <div class="choice">
            <input type="checkbox" id={fieldId(FORM, "replaceExisting")} checked={form.replaceExisting} onChange={(e) => set("replaceExisting")(e.currentTarget.checked)} />
            <label for={fieldId(FORM, "replaceExisting")}>Revoke the pending invitation of this address and send this one instead</label>
          </div>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Sending…" : batch ? "Send invitations" : "Send invitation"}
        </button>
      </form>
      {rows && (
        <BatchResults
          rows={rows}
          names={names}
          fix={{
            api,
            orgId,
            onCorrected: (corrected, oldEmail) => {
              const line = rows.find((row) => row.invitation?.id === corrected.id);
              setRows((all) => all && all.map((row) => (row.invitation?.id === corrected.id ? correctedRow(row, corrected, oldEmail) : row)));
              // The line's button is gone with the typo: the focus goes to the line, which now names the new address.
              if (line) requestAnimationFrame(() => document.getElementById(`batch-line-${line.index}`)?.focus());
            },
            onChanged: (newer) =>
              setRows((all) => all && all.map((row) => (row.invitation?.id === newer.id ? { ...row, invitation: { ...newer, warnings: row.invitation?.warnings ?? [] } } : row))),
          }}
          headingRef={outcomeHeading}
          invitationsHref={orgHref(base, orgId, "invitations", { status: "pending" })}
          requestsHref={orgHref(base, orgId, "requests", { status: "pending" })}
          navigate={navigate}
        />
      )}
    </>
  );
}

/** A project to pick, with a role on it when the roles are given one by one; the ask form of Requests uses it too. */
export function ProjectRow(props: {
  form: string;
  project: { id: string; name: string; detail?: string };
  picked: boolean;
  withRole: boolean;
  role: ProjectRole;
  error: string | undefined;
  onPick: (on: boolean) => void;
  onRole: (role: ProjectRole) => void;
}) {
  const id = fieldId(props.form, `project-${props.project.id}`);
  const errorId = `${id}-error`;
  const describedBy = props.error ? errorId : undefined;
  return (
    <div class={props.error ? "project-row field-invalid" : "project-row"}>
      <div class="choice">
        <input type="checkbox" id={id} checked={props.picked} aria-invalid={props.error ? "true" : undefined} aria-describedby={describedBy} onChange={(e) => props.onPick(e.currentTarget.checked)} />
        <label for={id}>
          {props.project.name} {props.project.detail && <span class="meta">({props.project.detail})</span>}
        </label>
      </div>
      {props.withRole && props.picked && (
        <div class="project-role">
          <label for={`${id}-role`}>Role on {props.project.name}</label>
          <select id={`${id}-role`} value={props.role} aria-describedby={describedBy} onChange={(e) => props.onRole(e.currentTarget.value as ProjectRole)}>
            {PROJECT_ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </div>
      )}
      {props.error && (
        <p id={errorId} class="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** What the "Use <suggestion>" action of a typo warning needs, and what it tells once done. */
interface Fix {
  api: Api;
  orgId: string;
  onCorrected: (corrected: Invitation, oldEmail: string) => void;
  onChanged: (newer: Invitation) => void;
}

function InvitedPanel(props: {
  invitation: Invitation;
  names: Map<string, string>;
  headingRef: { current: HTMLHeadingElement | null };
  invitationsHref: string;
  navigate: (href: string) => void;
  correction: string | null;
  fix: Fix;
  onAnother: () => void;
}) {
  const { invitation } = props;
  const sent = invitation.delivery?.status !== "failed";
  const warnings = invitation.warnings ?? [];
  return (
    <section aria-labelledby="invite-outcome" class="outcome">
      <h2 id="invite-outcome" ref={props.headingRef} tabIndex={-1}>
        {sent ? `Invitation sent to ${invitation.email}` : `Invitation saved for ${invitation.email}; its email was not sent`}
      </h2>
      {props.correction && (
        <p class="notice" role="status">
          {props.correction}
        </p>
      )}
      <dl class="facts">
        <dt>Status</dt>
        <dd>{invitation.status}</dd>
        <dt>Email delivery</dt>
        <dd>{deliveryLabel(invitation.delivery)}</dd>
        <dt>Roles</dt>
        <dd>{describeRoles(invitation, props.names)}</dd>
        <dt>Link expires</dt>
        <dd>{formatTime(invitation.expiresAt)}</dd>
        <dt>Access ends</dt>
        <dd>{invitation.accessEndsAt ? formatTime(invitation.accessEndsAt) : "no end date"}</dd>
        {invitation.stakeholders.length > 0 && (
          <>
            <dt>Stakeholders</dt>
            <dd>{invitation.stakeholders.join(", ")}</dd>
          </>
        )}
      </dl>
      <Warnings warnings={warnings} fix={{ ...props.fix, invitation }} />
      <p class="actions">
        <Link href={props.invitationsHref} navigate={props.navigate}>
          See pending invitations
        </Link>
        <button type="button" onClick={props.onAnother}>
          Invite someone else
        </button>
      </p>
    </section>
  );
}

/**
 * An answer's warnings (a duplicate, no end date, a possible typo, an address outside the SSO
 * domains, …), as the API words them. With `fix`, a possible typo offers "Use <suggestion>", which
 * corrects the invitation's address.
 */
export function Warnings({ warnings, fix }: { warnings: readonly Pick<Warning, "code" | "message" | "suggestion">[]; fix?: Fix & { invitation: Invitation } }) {
  if (warnings.length === 0) return null;
  return (
    <div class="warnings">
      <h3>Warnings</h3>
      <ul>
        {/* One code can come twice (a duplicate among members and among invitations). */}
        {warnings.map((warning, i) => (
          <li key={i}>
            {warning.message}
            {fix && warning.code === "possible_typo" && warning.suggestion && (
              <UseSuggestion
                api={fix.api}
                orgId={fix.orgId}
                invitation={fix.invitation}
                suggestion={warning.suggestion}
                onCorrected={fix.onCorrected}
                onChanged={fix.onChanged}
              />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function BatchResults(props: {
  rows: BatchRow[];
  names: Map<string, string>;
  fix: Fix;
  headingRef: { current: HTMLHeadingElement | null };
  invitationsHref: string;
  requestsHref: string;
  navigate: (href: string) => void;
}) {
  const invited = props.rows.filter((row) => row.ok && !row.request).length;
  const waiting = props.rows.filter((row) => row.request).length;
  return (
    <section aria-labelledby="batch-outcome" class="outcome">
      <h2 id="batch-outcome" ref={props.headingRef} tabIndex={-1}>
        {invited} of {props.rows.length} invited{waiting > 0 ? `, ${waiting} waiting for a second admin's approval` : ""}
      </h2>
      <table>
        <caption class="visually-hidden">Result of each line</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Email</th>
            <th scope="col">Result</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.index} class={row.ok ? "row-ok" : "row-failed"}>
              <td>{row.index + 1}</td>
              <th scope="row" id={`batch-line-${row.index}`} tabIndex={-1}>
                {row.email}
              </th>
              <td>{rowResult(row, describeDelivery)}</td>
              <td>
                {row.details.length > 0 ? (
                  <ul class="plain">
                    {row.details.map((detail, i) => (
                      <li key={i}>{detail}</li>
                    ))}
                  </ul>
                ) : (
                  "—"
                )}
                {row.invitation &&
                  typoSuggestions(row.invitation.warnings).map((suggestion) => (
                    <UseSuggestion
                      key={suggestion}
                      api={props.fix.api}
                      orgId={props.fix.orgId}
                      invitation={row.invitation as Invitation}
                      suggestion={suggestion}
                      onCorrected={props.fix.onCorrected}
                      onChanged={props.fix.onChanged}
                    />
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="actions">
        <Link href={props.invitationsHref} navigate={props.navigate}>
          See pending invitations
        </Link>
        {waiting > 0 && (
          <Link href={props.requestsHref} navigate={props.navigate}>
            See the requests waiting for approval
          </Link>
        )}
      </p>
    </section>
  );
}
