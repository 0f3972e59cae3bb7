import { useEffect, useRef, useState } from "preact/hooks";
import type { InvitationRequest, Project, Result } from "../api/client.js";
import { formProblem, type FormProblem } from "../api/formProblem.js";
import { idempotencyKeyFor, ORG_ROLES, type InviteErrors, type LastAttempt } from "../forms/invite.js";
import {
  actorName,
  approvalsText,
  approveBody,
  askErrors,
  buildAsk,
  decisionProblem,
  denyReasonError,
  emptyAskForm,
  firstAskError,
  readRequestFilter,
  REQUEST_FILTERS,
  type AskForm,
  type RequestFilter,
} from "../forms/requests.js";
import { FormErrors, SelectField, TextAreaField, TextField, fieldId, focusFirstError } from "./fields.js";
import { describeDelivery, describeRoles, formatTime, projectNames } from "./format.js";
import { ProjectRow, Warnings } from "./Invite.js";
import { Link } from "./Link.js";
import type { OrgContext } from "./OrgLayout.js";
import { Pager } from "./Pager.js";
import { orgHref } from "./router.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";

const PAGE_SIZE = 20;
const ASK_FORM = "ask";
const NO_ERRORS: InviteErrors = { fields: {}, messages: [] };

/**
 * Invitation requests (issue 14). Admins see every request and approve or deny the pending ones;
 * other members see their own and ask for an invitation. The admins' emails link here.
 */
export function Requests(context: OrgContext) {
  const { base, navigate, membership } = context;
  const admin = membership.orgRole === "admin";
  const status = readRequestFilter(context.search);
  // A request just made is read again with the list.
  const [asked, setAsked] = useState(0);
  return (
    <>
      <ScreenHeading title="Invitation requests" />
      <p>
        {admin
          ? "Members ask for invitations here when the organization lets them, and invitations under the two-person rule wait here for a second admin. Approve or deny each pending one; the person who asked is told."
          : "Ask the organization's admins to invite someone. An admin approves or denies your request, and you are emailed either way."}
      </p>
      {!admin && <AskSection context={context} onAsked={() => setAsked((n) => n + 1)} />}
      <SelectField
        form="requests"
        name="status"
        label="Show requests"
        value={status}
        options={REQUEST_FILTERS.map((filter) => ({ value: filter, label: filter === "all" ? "all statuses" : filter }))}
        onChange={(value) => navigate(orgHref(base, membership.orgId, "requests", { status: value }))}
      />
      {/* A new filter starts again at the first page. */}
      <RequestList key={`${status}:${asked}`} context={context} status={status} admin={admin} />
    </>
  );
}

type Notice = { ok: boolean; text: string; decided?: InvitationRequest };

function RequestList({ context, status, admin }: { context: OrgContext; status: RequestFilter; admin: boolean }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const [page, reload] = useLoad(
    () => api.listRequests(orgId, status === "all" ? undefined : status, cursor, PAGE_SIZE),
    `${orgId}:requests:${status}:${cursor ?? ""}`,
  );
  // Only admins may list the projects; a member's requests show project ids.
  const [projects] = useLoad(
    (): Promise<Result<Project[]>> => (admin ? api.allProjects(orgId) : Promise.resolve({ ok: true, status: 200, data: [] })),
    `all-projects:${orgId}:${admin}`,
  );
  const names = projectNames(projects.state === "ready" ? projects.data : undefined);
  const [notice, setNotice] = useState<Notice | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  function decided(request: InvitationRequest) {
    if (request.status === "denied") {
      setNotice({ ok: true, text: `Denied the request for ${request.email}; the person who asked is emailed the reason.` });
    } else if (request.invitation) {
      const sent = request.invitation.delivery?.status !== "failed";
      setNotice({
        ok: true,
        text: sent
          ? `Approved: the invitation was sent to ${request.email} (${describeDelivery(request.invitation.delivery)}).`
          : `Approved: the invitation to ${request.email} is saved, but its email was not sent. Resend it from Invitations.`,
        decided: request,
      });
    } else {
      setNotice({ ok: true, text: `Approved (${approvalsText(request)}): the request for ${request.email} now waits for another admin's approval.` });
    }
    reload();
  }

  const label = status === "all" ? "All requests" : `${status.charAt(0).toUpperCase()}${status.slice(1)} requests`;
  return (
    <section aria-labelledby="requests-list">
      <h2 id="requests-list">{admin ? label : `Your ${label.toLowerCase()}`}</h2>
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class={notice.ok ? "notice" : "form-errors"} role={notice.ok ? "status" : "alert"}>
          <p>{notice.text}</p>
          {notice.decided?.invitation && (
            <>
              <Warnings warnings={notice.decided.invitation.warnings ?? notice.decided.warnings ?? []} />
              <p>
                <Link href={orgHref(base, orgId, "invitations", { status: "pending" })} navigate={navigate}>
                  See the invitation in Invitations
                </Link>
              </p>
            </>
          )}
        </div>
      )}
      {page.state === "loading" && <Loading what="requests" />}
      {page.state === "error" && <LoadError what="requests" problem={page.problem} onRetry={reload} />}
      {page.state === "ready" && page.data.items.length === 0 && (
        <p class="empty">{cursors.length > 1 ? "No more requests." : `No ${status === "all" ? "" : `${status} `}requests.`}</p>
      )}
      {page.state === "ready" && page.data.items.length > 0 && (
        <ul class="requests">
          {page.data.items.map((request) => (
            <li key={request.id}>
              <RequestCard
                context={context}
                request={request}
                names={names}
                admin={admin}
                onDecided={decided}
                onStale={(text) => {
                  setNotice({ ok: false, text });
                  reload();
                }}
              />
            </li>
          ))}
        </ul>
      )}
      <Pager label="Request pages" cursors={cursors} setCursors={setCursors} nextCursor={page.state === "ready" ? page.data.nextCursor : undefined} />
    </section>
  );
}

function RequestCard(props: {
  context: OrgContext;
  request: InvitationRequest;
  names: Map<string, string>;
  admin: boolean;
  onDecided: (request: InvitationRequest) => void;
  onStale: (text: string) => void;
}) {
  const { request, names, admin, context } = props;
  const [open, setOpen] = useState<"approve" | "deny" | null>(null);
  const headingId = `request-${request.id}`;
  // Focus goes back to the button a form was opened from when it is cancelled.
  const cancel = (from: "approve" | "deny") => {
    setOpen(null);
    requestAnimationFrame(() => document.getElementById(`${from}-${request.id}`)?.focus());
  };
  return (
    <article aria-labelledby={headingId} class="request">
      <h3 id={headingId}>{request.email}</h3>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          {request.status}
          {request.decidedAt ? ` (${formatTime(request.decidedAt)})` : ""}
        </dd>
        <dt>Roles</dt>
        <dd>{describeRoles(request, names)}</dd>
        <dt>Access ends</dt>
        <dd>{request.accessEndsAt ? formatTime(request.accessEndsAt) : "no end date"}</dd>
        <dt>Reason</dt>
        <dd>{request.reason}</dd>
        <dt>Asked by</dt>
        <dd>
          {actorName(request.requestedBy)}, {formatTime(request.createdAt)}
        </dd>
        <dt>{request.status === "pending" ? "Expires" : request.status === "expired" ? "Expired" : "Would have expired"}</dt>
        <dd>{formatTime(request.expiresAt)}</dd>
        <dt>Approvals</dt>
        <dd>
          {approvalsText(request)}
          {request.approvals.length > 0 && (
            <ul class="plain">
              {request.approvals.map((approval, i) => (
                <li key={i}>
                  {actorName(approval.by)}, {formatTime(approval.at)}
                  {approval.reference ? ` · reference ${approval.reference}` : ""}
                  {approval.note ? ` · note: ${approval.note}` : ""}
                </li>
              ))}
            </ul>
          )}
        </dd>
        {request.approvalsNeeded === 2 && (
          <>
            <dt>Why two approvals</dt>
            <dd>{request.secondApprovalBecause ?? "the organization's two-person rule"}</dd>
          </>
        )}
        {request.status === "denied" && (
          <>
            <dt>Denied by</dt>
            <dd>{actorName(request.deniedBy)}</dd>
            <dt>Why denied</dt>
            <dd>{request.denialReason}</dd>
          </>
        )}
        {request.invitationId && admin && (
          <>
            <dt>Invitation</dt>
            <dd>
              <Link href={orgHref(context.base, context.membership.orgId, "invitations", { status: "all" })} navigate={context.navigate}>
                Sent; see Invitations
              </Link>
            </dd>
          </>
        )}
      </dl>
      {admin && request.status === "pending" && open === null && (
        <div class="row-actions">
          <button type="button" id={`approve-${request.id}`} aria-label={`Approve the request for ${request.email}`} onClick={() => setOpen("approve")}>
            Approve…
          </button>
          <button type="button" id={`deny-${request.id}`} class="secondary" aria-label={`Deny the request for ${request.email}`} onClick={() => setOpen("deny")}>
            Deny…
          </button>
        </div>
      )}
      {admin && request.status === "pending" && open === "approve" && (
        <ApproveForm context={context} request={request} onCancel={() => cancel("approve")} onDecided={props.onDecided} onStale={props.onStale} />
      )}
      {admin && request.status === "pending" && open === "deny" && (
        <DenyForm context={context} request={request} onCancel={() => cancel("deny")} onDecided={props.onDecided} onStale={props.onStale} />
      )}
    </article>
  );
}

interface DecisionProps {
  context: OrgContext;
  request: InvitationRequest;
  onCancel: () => void;
  onDecided: (request: InvitationRequest) => void;
  onStale: (text: string) => void;
}

/**
 * Sends a decision with an Idempotency-Key kept for a retry of the same body after no answer, and
 * says a refusal: field errors beside the fields, a request decided meanwhile above the list.
 */
function useDecision(props: DecisionProps, form: string, fields: readonly string[]) {
  const [errors, setErrors] = useState<FormProblem>({ fields: {}, messages: [] });
  const [busy, setBusy] = useState(false);
  const last = useRef<LastAttempt | null>(null);
  async function send(body: string, call: (key: string) => Promise<Result<InvitationRequest>>) {
    const key = idempotencyKeyFor(last.current, body, () => crypto.randomUUID());
    setBusy(true);
    const result = await call(key);
    setBusy(false);
    last.current = { key, body, answered: result.ok || result.problem.status !== 0 };
    if (result.ok) return props.onDecided(result.data);
    if (Object.keys(result.problem.fieldErrors).length > 0) {
      const shown = formProblem(result.problem, fields);
      setErrors(shown);
      focusFirstError(form, shown.fields, fields);
      return;
    }
    const said = decisionProblem(result.problem, props.request);
    if (said.stale) return props.onStale(said.text);
    setErrors({ fields: {}, messages: [said.text] });
  }
  return { errors, setErrors, busy, send };
}

/** Escape cancels an open decision, as it cancels the Invitations screen's confirmations. */
function onEscape(cancel: () => void, busy: boolean) {
  return (event: KeyboardEvent) => {
    if (event.key === "Escape" && !busy) {
      event.preventDefault();
      cancel();
    }
  };
}

function ApproveForm(props: DecisionProps) {
  const { api, membership } = props.context;
  const { request } = props;
  const form = `approve-${request.id}`;
  const [reference, setReference] = useState("");
  const [note, setNote] = useState("");
  const { errors, busy, send } = useDecision(props, form, ["approvalReference", "note"]);
  useEffect(() => document.getElementById(fieldId(form, "approvalReference"))?.focus(), [form]);
  const last = request.approvals.length + 1 >= request.approvalsNeeded;
  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const body = approveBody(reference, note);
    await send(JSON.stringify(body), (key) => api.approveRequest(membership.orgId, request.id, body, key));
  }
  return (
    <form onSubmit={submit} noValidate aria-label={`Approve the request for ${request.email}`} class="decision" onKeyDown={onEscape(props.onCancel, busy)}>
      <p>
        {last
          ? `Approving sends the invitation to ${request.email} now, as from ${actorName(request.requestedBy)}.`
          : `This is the first of ${request.approvalsNeeded} approvals; the invitation goes out after another admin's.`}
      </p>
      <FormErrors messages={errors.messages} />
      <TextField form={form} name="approvalReference" label="Approval reference" hint="A ticket or change number, kept with your approval. Optional." value={reference} onInput={setReference} error={errors.fields.approvalReference} />
      <TextAreaField form={form} name="note" label="Note" hint="Optional." rows={2} value={note} onInput={setNote} error={errors.fields.note} />
      <p class="actions">
        <button type="submit" disabled={busy}>
          {busy ? "Approving…" : last ? "Approve and send the invitation" : "Approve"}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={props.onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}

function DenyForm(props: DecisionProps) {
  const { api, membership } = props.context;
  const { request } = props;
  const form = `deny-${request.id}`;
  const [reason, setReason] = useState("");
  const { errors, setErrors, busy, send } = useDecision(props, form, ["reason"]);
  useEffect(() => document.getElementById(fieldId(form, "reason"))?.focus(), [form]);
  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const refused = denyReasonError(reason);
    if (refused) {
      setErrors({ fields: { reason: refused }, messages: [] });
      focusFirstError(form, { reason: refused }, ["reason"]);
      return;
    }
    await send(JSON.stringify({ reason: reason.trim() }), (key) => api.denyRequest(membership.orgId, request.id, reason.trim(), key));
  }
  return (
    <form onSubmit={submit} noValidate aria-label={`Deny the request for ${request.email}`} class="decision" onKeyDown={onEscape(props.onCancel, busy)}>
      <FormErrors messages={errors.messages} />
      <TextAreaField form={form} name="reason" label="Reason" hint={`Emailed to ${actorName(request.requestedBy)}. Nothing is sent to ${request.email}.`} rows={2} required value={reason} onInput={setReason} error={errors.fields.reason} />
      <p class="actions">
        <button type="submit" class="danger" disabled={busy}>
          {busy ? "Denying…" : "Deny the request"}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={props.onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}

/**
 * A member's "Ask for an invitation": the invitation's address, roles and end, and why. Members
 * cannot read the org's settings or project list (admins only), so the projects offered are the
 * member's own, by id; the API decides what may be asked and its refusal is shown beside the fields.
 */
function AskSection({ context, onAsked }: { context: OrgContext; onAsked: () => void }) {
  const { api, membership } = context;
  const orgId = membership.orgId;
  const own = Object.entries(membership.projects).map(([id, role]) => ({ id, name: id, detail: `your role: ${role}` }));
  const ownIds = own.map((project) => project.id);
  const [form, setForm] = useState<AskForm>(emptyAskForm);
  const [errors, setErrors] = useState<InviteErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<InvitationRequest | null>(null);
  const lastAttempt = useRef<LastAttempt | null>(null);
  const sentRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (sent) sentRef.current?.focus();
  }, [sent]);
  const set = <K extends keyof AskForm>(key: K) => (value: AskForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const built = buildAsk(form);
    const json = JSON.stringify(built.body);
    const key = idempotencyKeyFor(lastAttempt.current, json, () => crypto.randomUUID());
    setBusy(true);
    const result = await api.fileRequest(orgId, built.body, key);
    setBusy(false);
    lastAttempt.current = { key, body: json, answered: result.ok || result.problem.status !== 0 };
    if (result.ok) {
      setErrors(NO_ERRORS);
      setSent(result.data);
      setForm(emptyAskForm());
      onAsked();
      return;
    }
    const shown = askErrors(result.problem, built);
    setErrors(shown);
    const first = firstAskError(shown.fields, ownIds);
    if (first) document.getElementById(fieldId(ASK_FORM, first === "projects" ? `project-${ownIds[0] ?? ""}` : first.replace(":", "-")))?.focus();
  }

  return (
    <section aria-labelledby="ask-heading">
      <h2 id="ask-heading">Ask for an invitation</h2>
      {sent && (
        <div ref={sentRef} tabIndex={-1} class="notice" role="status">
          <p>{`Your request for ${sent.email} was sent to the organization's admins (${approvalsText(sent)}). It waits until ${formatTime(sent.expiresAt)}.`}</p>
        </div>
      )}
      <form onSubmit={submit} noValidate aria-label="Ask for an invitation" class="invite-form">
        <FormErrors messages={errors.messages} />
        <TextField form={ASK_FORM} name="email" label="Email" type="email" required hint="The address the invitation would be sent to." value={form.email} onInput={set("email")} error={errors.fields.email} />
        <SelectField
          form={ASK_FORM}
          name="orgRole"
          label="Org role"
          hint="An admin manages every project, member and setting; a member needs at least one project."
          value={form.orgRole}
          options={ORG_ROLES}
          onChange={(value) => set("orgRole")(value as AskForm["orgRole"])}
          error={errors.fields.orgRole}
        />
        <fieldset aria-describedby={errors.fields.projects ? fieldId(ASK_FORM, "projects-error") : undefined}>
          <legend>Projects</legend>
          {own.length === 0 ? (
            <p class="empty">You have no projects in this organization to ask access to.</p>
          ) : (
            own.map((project) => (
              <ProjectRow
                key={project.id}
                form={ASK_FORM}
                project={project}
                picked={form.picked.includes(project.id)}
                withRole
                role={form.projectRoles[project.id] ?? "viewer"}
                error={errors.fields[`project:${project.id}`]}
                onPick={(on) => setForm((f) => ({ ...f, picked: ownIds.filter((id) => (id === project.id ? on : f.picked.includes(id))) }))}
                onRole={(role) => setForm((f) => ({ ...f, projectRoles: { ...f.projectRoles, [project.id]: role } }))}
              />
            ))
          )}
          {errors.fields.projects && (
            <p id={fieldId(ASK_FORM, "projects-error")} class="field-error">
              {errors.fields.projects}
            </p>
          )}
        </fieldset>
        <TextField form={ASK_FORM} name="accessEndsAt" label="Access ends on" type="date" hint="At 00:00 UTC on this day. Empty: no end." value={form.accessEndsOn} onInput={set("accessEndsOn")} error={errors.fields.accessEndsAt} />
        <TextAreaField form={ASK_FORM} name="reason" label="Reason" hint="Why this person needs the access; the admins read it. At most 500 characters." required value={form.reason} onInput={set("reason")} error={errors.fields.reason} />
        <button type="submit" disabled={busy}>
          {busy ? "Sending…" : "Send the request"}
        </button>
      </form>
    </section>
  );
}
