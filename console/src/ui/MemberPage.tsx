import { useEffect, useReducer, useRef, useState } from "preact/hooks";
import type { Member, Project } from "../api/client.js";
import { formProblem } from "../api/formProblem.js";
import { ORG_ROLES, PROJECT_ROLES } from "../forms/invite.js";
import { buildMemberPatch, differences, memberErrors, memberForm, reapply, saveStep, type MemberForm } from "../forms/member.js";
import { focusFirstError, FormErrors, SelectField, TextAreaField, TextField } from "./fields.js";
import { describeCheckin, formatTime, projectNames } from "./format.js";
import { Link } from "./Link.js";
import { describeProjectRoles } from "./Members.js";
import type { OrgContext } from "./OrgLayout.js";
import { orgHref } from "./router.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";

const EDIT = "member-edit";
const REMOVE = "member-remove";
const FIELD_LABELS: Record<string, string> = { orgRole: "Org role", projects: "Project roles", accessEndsAt: "Access ends", stakeholders: "Stakeholders" };

/** One member: what they hold and until when; change roles or the end date with a justification; remove with a reason. */
export function MemberPage({ context, memberId }: { context: OrgContext; memberId: string }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  const [loaded, reload] = useLoad(() => api.getMember(orgId, memberId), `member:${orgId}:${memberId}`);
  const [projects] = useLoad(() => api.allProjects(orgId), `all-projects:${orgId}`);
  const [removed, setRemoved] = useState<string | null>(null);
  return (
    <>
      <ScreenHeading title={loaded.state === "ready" ? loaded.data.email : "Member"} />
      <p>
        <Link href={orgHref(base, orgId, "members")} navigate={navigate}>
          Back to the members
        </Link>
      </p>
      {loaded.state === "loading" && <Loading what="the member" />}
      {loaded.state === "error" && loaded.problem.code === "not_found" && <p class="empty">This organization has no such member.</p>}
      {loaded.state === "error" && loaded.problem.code !== "not_found" && <LoadError what="the member" problem={loaded.problem} onRetry={reload} />}
      {loaded.state === "ready" && (
        <MemberDetail
          key={`${loaded.data.version}:${loaded.data.status}`}
          context={context}
          initial={loaded.data}
          projects={projects.state === "ready" ? projects.data.filter((p) => !p.archived || p.id in loaded.data.projects) : []}
          initialNotice={removed && loaded.data.status === "removed" ? { ok: true, text: removed } : null}
          onRemoved={(text) => {
            setRemoved(text);
            reload();
          }}
        />
      )}
    </>
  );
}

type Notice = { ok: boolean; text: string };

function MemberDetail({
  context,
  initial,
  projects,
  initialNotice,
  onRemoved,
}: {
  context: OrgContext;
  initial: Member;
  projects: Project[];
  initialNotice: Notice | null;
  onRemoved: (text: string) => void;
}) {
  const { api, base, navigate } = context;
  const orgId = initial.orgId;
  // The version the form is based on: the one read, then each saved or re-applied one.
  const [read, setRead] = useState<Member>(initial);
  const [form, setForm] = useState<MemberForm>(() => memberForm(initial));
  const [save, dispatch] = useReducer(saveStep, { step: "editing" });
  const [errors, setErrors] = useState<{ fields: Record<string, string>; messages: string[] }>({ fields: {}, messages: [] });
  const [notice, setNotice] = useState<Notice | null>(initialNotice);
  const noticeRef = useRef<HTMLDivElement>(null);
  const staleRef = useRef<HTMLDivElement>(null);
  const names = projectNames(projects);
  const projectIds = projects.map((p) => p.id);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  useEffect(() => {
    if (save.step === "stale") staleRef.current?.focus();
  }, [save.step]);

  function edit(next: MemberForm) {
    setForm(next);
    if (save.step === "saved") dispatch({ type: "edit" });
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (save.step === "saving" || save.step === "stale") return;
    const built = buildMemberPatch(form, read);
    if (!built.ok) {
      setErrors({ fields: built.fields, messages: built.messages });
      focusFirstError(EDIT, built.fields, ["orgRole", ...projectIds.map((id) => `projects.${id}`), "accessEndsOn", "justification"]);
      return;
    }
    setErrors({ fields: {}, messages: [] });
    setNotice(null);
    dispatch({ type: "save" });
    const result = await api.updateMember(orgId, read.id, read.version, built.body);
    if (result.ok) {
      dispatch({ type: "saved", member: result.data });
      setRead(result.data);
      setForm(memberForm(result.data));
      setNotice({ ok: true, text: `Saved (version ${result.data.version}). ${describeAccess(result.data)}` });
      return;
    }
    if (result.problem.code === "version_mismatch") {
      // Someone changed the member since it was read: fetch the newer version and let the user choose.
      const newer = await api.getMember(orgId, read.id);
      if (newer.ok) {
        dispatch({ type: "stale", newer: newer.data });
        return;
      }
      dispatch({ type: "refused" });
      setErrors({ fields: {}, messages: [`The member changed meanwhile, and reading it again failed: ${newer.problem.detail || newer.problem.title}`] });
      return;
    }
    dispatch({ type: "refused" });
    const mapped = memberErrors(result.problem, projectIds);
    setErrors(mapped);
    focusFirstError(EDIT, mapped.fields, ["orgRole", ...projectIds.map((id) => `projects.${id}`), "accessEndsOn", "justification"]);
  }

  function reapplyOnNewer(newer: Member) {
    setForm(reapply(form, read, newer));
    setRead(newer);
    dispatch({ type: "reapplied" });
    setNotice({ ok: true, text: `Your changes are now laid on version ${newer.version}. Check them, then save again.` });
  }

  function discard(newer: Member) {
    setForm(memberForm(newer));
    setRead(newer);
    dispatch({ type: "reapplied" });
    setNotice({ ok: true, text: `Showing version ${newer.version}; your changes were dropped.` });
  }

  return (
    <>
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class={notice.ok ? "notice" : "form-errors"} role={notice.ok ? "status" : "alert"}>
          <p>{notice.text}</p>
        </div>
      )}
      <dl class="facts" aria-label="The member">
        <dt>Status</dt>
        <dd>{read.status}</dd>
        <dt>Org role</dt>
        <dd>{read.orgRole}</dd>
        <dt>Project roles</dt>
        <dd>{read.orgRole === "admin" ? "every project (admin)" : describeProjectRoles(read.projects, names)}</dd>
        <dt>Access ends</dt>
        <dd>{read.accessEndsAt ? formatTime(read.accessEndsAt) : "no end date"}</dd>
        <dt>Last activity</dt>
        <dd>{read.lastActiveAt ? formatTime(read.lastActiveAt) : "not yet"}</dd>
        <dt>Stakeholders</dt>
        <dd>{read.stakeholders.length ? read.stakeholders.join(", ") : "none"}</dd>
        {read.invitedBy && (
          <>
            <dt>Invited by</dt>
            <dd>{read.invitedBy}</dd>
          </>
        )}
        {read.acceptedAt && (
          <>
            <dt>Accepted</dt>
            <dd>{formatTime(read.acceptedAt)}</dd>
          </>
        )}
        {read.note?.engagement && (
          <>
            <dt>Engagement</dt>
            <dd>{read.note.engagement}</dd>
          </>
        )}
        {read.note?.reference && (
          <>
            <dt>Reference</dt>
            <dd>{read.note.reference}</dd>
          </>
        )}
        {read.note?.justification && (
          <>
            <dt>Why they were invited</dt>
            <dd>{read.note.justification}</dd>
          </>
        )}
        {read.checkin && (
          <>
            <dt>30-day check-in</dt>
            <dd>{describeCheckin(read.checkin)}</dd>
          </>
        )}
        <dt>Version</dt>
        <dd>{read.version}</dd>
      </dl>
      <p>
        <Link href={orgHref(base, orgId, "audit", { target: read.id })} navigate={navigate}>
          This member's audit events
        </Link>
      </p>
      {read.status === "removed" ? (
        <p class="empty">This member was removed; their access has ended.</p>
      ) : (
        <>
          {save.step === "stale" && (
            <div ref={staleRef} tabIndex={-1} class="form-errors stale" role="alert" aria-labelledby="stale-title">
              <h2 id="stale-title">Someone changed this member since you opened it</h2>
              <p>
                Your change was not saved. The member is now at version {save.newer.version} (you had version {read.version}). What changed:
              </p>
              <ul class="plain">
                {differences(read, save.newer, names).map((d) => (
                  <li key={d.field}>
                    {FIELD_LABELS[d.field]}: {d.field === "accessEndsAt" ? formatMaybe(d.before) : d.before} → {d.field === "accessEndsAt" ? formatMaybe(d.after) : d.after}
                  </li>
                ))}
                {differences(read, save.newer, names).length === 0 && <li>Nothing you can see here (a note or an internal field).</li>}
              </ul>
              <div class="actions">
                <button type="button" onClick={() => reapplyOnNewer(save.newer)}>
                  Re-apply my changes to version {save.newer.version}
                </button>
                <button type="button" class="secondary" onClick={() => discard(save.newer)}>
                  Discard my changes
                </button>
              </div>
            </div>
          )}
          <EditForm form={form} projects={projects} errors={errors} saving={save.step === "saving"} locked={save.step === "stale"} onEdit={edit} onSubmit={submit} />
          <RemoveMember context={context} member={read} onRemoved={onRemoved} />
        </>
      )}
    </>
  );
}

function formatMaybe(value: string): string {
  return /^\d{4}-/.test(value) ? formatTime(value) : value;
}

function describeAccess(member: Member): string {
  return member.accessEndsAt ? `Access ends ${formatTime(member.accessEndsAt)}.` : "Access has no end date.";
}

function EditForm({
  form,
  projects,
  errors,
  saving,
  locked,
  onEdit,
  onSubmit,
}: {
  form: MemberForm;
  projects: Project[];
  errors: { fields: Record<string, string>; messages: string[] };
  saving: boolean;
  locked: boolean;
  onEdit: (form: MemberForm) => void;
  onSubmit: (event: Event) => void;
}) {
  return (
    <form aria-labelledby="edit-title" noValidate onSubmit={onSubmit}>
      <h2 id="edit-title">Change roles or access end</h2>
      <FormErrors messages={errors.messages} />
      <SelectField
        form={EDIT}
        name="orgRole"
        label="Org role"
        value={form.orgRole}
        options={ORG_ROLES}
        onChange={(orgRole) => onEdit({ ...form, orgRole: orgRole as MemberForm["orgRole"] })}
        error={errors.fields.orgRole}
      />
      {projects.length > 0 && (
        <fieldset>
          <legend>Project roles</legend>
          {projects.map((project) => (
            <SelectField
              key={project.id}
              form={EDIT}
              name={`projects.${project.id}`}
              label={project.name}
              value={form.projects[project.id] ?? ""}
              options={[{ value: "", label: "no role" }, ...PROJECT_ROLES]}
              onChange={(role) => onEdit({ ...form, projects: { ...form.projects, [project.id]: role as MemberForm["projects"][string] } })}
              error={errors.fields[`projects.${project.id}`]}
            />
          ))}
        </fieldset>
      )}
      <TextField
        form={EDIT}
        name="accessEndsOn"
        label="Access ends on"
        type="date"
        hint="At the start of that day (UTC). Empty for no end date, if the organization allows it."
        value={form.accessEndsOn}
        onInput={(accessEndsOn) => onEdit({ ...form, accessEndsOn })}
        error={errors.fields.accessEndsOn}
      />
      <TextAreaField
        form={EDIT}
        name="justification"
        label="Justification"
        hint="Required: why this change; it goes to the audit trail."
        required
        value={form.justification}
        onInput={(justification) => onEdit({ ...form, justification })}
        error={errors.fields.justification}
      />
      <button type="submit" disabled={saving || locked}>
        {saving ? "Saving…" : "Save changes"}
      </button>
    </form>
  );
}

function RemoveMember({ context, member, onRemoved }: { context: OrgContext; member: Member; onRemoved: (text: string) => void }) {
  const { api } = context;
  const [step, setStep] = useState<"idle" | "confirming" | "removing">("idle");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<{ fields: Record<string, string>; messages: string[] }>({ fields: {}, messages: [] });
  const opener = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  useEffect(() => {
    if (step === "confirming" && !wasConfirming.current) document.getElementById(`${REMOVE}-reason`)?.focus();
    if (step === "idle" && wasConfirming.current) opener.current?.focus();
    wasConfirming.current = step !== "idle";
  }, [step]);

  function cancel() {
    setStep("idle");
    setReason("");
    setErrors({ fields: {}, messages: [] });
  }

  async function remove(event: Event) {
    event.preventDefault();
    if (step !== "confirming") return;
    if (reason.trim() === "") {
      setErrors({ fields: { reason: "Say why: the reason goes to the audit trail." }, messages: [] });
      document.getElementById(`${REMOVE}-reason`)?.focus();
      return;
    }
    setStep("removing");
    const result = await api.removeMember(member.orgId, member.id, reason.trim());
    if (result.ok) {
      onRemoved(`Removed ${member.email}: their access has ended. Reason recorded: ${reason.trim()}`);
      return;
    }
    setStep("confirming");
    const mapped = formProblem(result.problem, ["reason"]);
    setErrors(mapped);
    if (mapped.fields.reason) document.getElementById(`${REMOVE}-reason`)?.focus();
  }

  return (
    <section aria-labelledby="remove-title" class="danger-zone">
      <h2 id="remove-title">Remove from the organization</h2>
      {step === "idle" ? (
        <button type="button" ref={opener} class="danger" onClick={() => setStep("confirming")}>
          Remove {member.email}…
        </button>
      ) : (
        <form
          noValidate
          aria-label={`Confirm removing ${member.email}`}
          onSubmit={remove}
          onKeyDown={(event) => {
            if (event.key === "Escape" && step === "confirming") {
              event.preventDefault();
              cancel();
            }
          }}
        >
          <p>Remove {member.email}? Their access ends at once and cannot be given back without a new invitation.</p>
          <FormErrors messages={errors.messages} />
          <TextAreaField
            form={REMOVE}
            name="reason"
            label="Reason"
            hint="Required; it goes to the audit trail."
            required
            value={reason}
            onInput={setReason}
            error={errors.fields.reason}
          />
          <div class="actions">
            <button type="submit" class="danger" disabled={step === "removing"}>
              {step === "removing" ? "Removing…" : "Yes, remove"}
            </button>
            <button type="button" class="secondary" disabled={step === "removing"} onClick={cancel}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
