import { useState } from "preact/hooks";
import type { Member } from "../api/client.js";
import { ANY_ROLES, filterErrors, MEMBER_FILTER_FIELDS, memberFilterSearch, memberQuery, readMemberFilter, type MemberFilter } from "../forms/filters.js";
import { FormErrors, SelectField, TextField } from "./fields.js";
import { formatTime, projectNames } from "./format.js";
import { Link } from "./Link.js";
import type { OrgContext } from "./OrgLayout.js";
import { memberHref, orgHref } from "./router.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";
import { Pager } from "./Pager.js";

const PAGE_SIZE = 20;
const FORM = "members-filter";

/** Links between the members list and the duplicates report, under both screens' headings. */
export function MembersTabs({ context, current }: { context: OrgContext; current: "members" | "duplicates" }) {
  const { base, navigate, membership } = context;
  return (
    <ul class="subtabs">
      <li>
        <Link href={orgHref(base, membership.orgId, "members")} navigate={navigate} current={current === "members"}>
          Active members
        </Link>
      </li>
      <li>
        <Link href={orgHref(base, membership.orgId, "duplicates")} navigate={navigate} current={current === "duplicates"}>
          Duplicates report
        </Link>
      </li>
    </ul>
  );
}

/** The org's active members, filtered by project, role and access end (kept in the URL), page by page. */
export function Members(context: OrgContext) {
  const filter = readMemberFilter(context.search);
  const key = new URLSearchParams(memberFilterSearch(filter)).toString();
  return (
    <>
      <ScreenHeading title="Members" />
      <MembersTabs context={context} current="members" />
      {/* A new filter starts again at the first page. */}
      <MemberList key={key} context={context} filter={filter} />
    </>
  );
}

function MemberList({ context, filter }: { context: OrgContext; filter: MemberFilter }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  const [draft, setDraft] = useState<MemberFilter>(filter);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const [page, reload] = useLoad(() => api.listMembers(orgId, memberQuery(filter, PAGE_SIZE, cursor)), `${orgId}:${JSON.stringify(filter)}:${cursor ?? ""}`);
  const [projects] = useLoad(() => api.allProjects(orgId), `all-projects:${orgId}`);
  const names = projectNames(projects.state === "ready" ? projects.data : undefined);
  const refused = filterErrors(page.state === "error" ? page.problem : null, MEMBER_FILTER_FIELDS);
  const filtered = filter.projectId !== "" || filter.role !== "" || filter.endsBefore !== "";

  return (
    <>
      <form
        class="filters"
        aria-label="Filter members"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          navigate(orgHref(base, orgId, "members", memberFilterSearch(draft)));
        }}
      >
        <SelectField
          form={FORM}
          name="projectId"
          label="Project"
          value={draft.projectId}
          options={[{ value: "", label: "any project" }, ...(projects.state === "ready" ? projects.data : []).map((p) => ({ value: p.id, label: p.name }))]}
          onChange={(projectId) => setDraft({ ...draft, projectId })}
          error={refused.fields.projectId}
        />
        <SelectField
          form={FORM}
          name="role"
          label="Role"
          hint="An org role, or a project role (on the project picked)."
          value={draft.role}
          options={[{ value: "", label: "any role" }, ...ANY_ROLES]}
          onChange={(role) => setDraft({ ...draft, role: role as MemberFilter["role"] })}
          error={refused.fields.role}
        />
        <TextField
          form={FORM}
          name="endsBefore"
          label="Access ends before"
          type="date"
          value={draft.endsBefore}
          onInput={(endsBefore) => setDraft({ ...draft, endsBefore })}
          error={refused.fields.endsBefore}
        />
        <div class="actions">
          <button type="submit">Apply filters</button>
          {filtered && (
            <Link href={orgHref(base, orgId, "members")} navigate={navigate}>
              Clear filters
            </Link>
          )}
        </div>
      </form>
      <section aria-labelledby="members-list">
        <h2 id="members-list">{filtered ? "Members matching the filters" : "All active members"}</h2>
        {page.state === "loading" && <Loading what="members" />}
        {page.state === "error" && page.problem.code === "forbidden" && <p class="empty">Only admins of this organization see its members.</p>}
        {page.state === "error" && page.problem.code === "validation_failed" && (
          <FormErrors messages={refused.messages.length ? refused.messages : ["Check the filters marked above."]} />
        )}
        {page.state === "error" && page.problem.code !== "forbidden" && page.problem.code !== "validation_failed" && (
          <LoadError what="members" problem={page.problem} onRetry={reload} />
        )}
        {page.state === "ready" && page.data.items.length === 0 && (
          <p class="empty">{cursors.length > 1 ? "No more members." : filtered ? "No member matches these filters." : "No active members."}</p>
        )}
        {page.state === "ready" && page.data.items.length > 0 && (
          <div class="table-wrap" tabIndex={0} /* a keyboard can scroll a table wider than the screen */ role="region" aria-label="Members table">
            <table>
              <caption class="visually-hidden">Members, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Org role</th>
                  <th scope="col">Project roles</th>
                  <th scope="col">Access ends</th>
                  <th scope="col">Last activity</th>
                </tr>
              </thead>
              <tbody>
                {page.data.items.map((member) => (
                  <MemberRow key={member.id} member={member} names={names} context={context} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          label="Member pages"
          cursors={cursors}
          setCursors={setCursors}
          nextCursor={page.state === "ready" ? page.data.nextCursor : undefined}
        />
      </section>
    </>
  );
}

export function describeProjectRoles(projects: Member["projects"], names: Map<string, string>): string {
  const entries = Object.entries(projects).map(([id, role]) => `${names.get(id) ?? id}: ${role}`);
  return entries.length ? entries.join(", ") : "none";
}

function MemberRow({ member, names, context }: { member: Member; names: Map<string, string>; context: OrgContext }) {
  return (
    <tr>
      <th scope="row">
        <Link href={memberHref(context.base, member.orgId, member.id)} navigate={context.navigate}>
          {member.email}
        </Link>
      </th>
      <td>{member.orgRole}</td>
      <td>{member.orgRole === "admin" ? "every project (admin)" : describeProjectRoles(member.projects, names)}</td>
      <td>{member.accessEndsAt ? formatTime(member.accessEndsAt) : "no end date"}</td>
      <td>{member.lastActiveAt ? formatTime(member.lastActiveAt) : "not yet"}</td>
    </tr>
  );
}

/** Members and pending invitations whose addresses are variants of one another (the API's canonical form). */
export function Duplicates(context: OrgContext) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  const [report, reload] = useLoad(() => api.memberDuplicates(orgId), `duplicates:${orgId}`);
  return (
    <>
      <ScreenHeading title="Duplicates report" />
      <MembersTabs context={context} current="duplicates" />
      <p class="meta">
        Members and pending invitations whose addresses differ only by case, a +tag, or (at Gmail) dots: maybe one person twice.
      </p>
      {report.state === "loading" && <Loading what="the duplicates report" />}
      {report.state === "error" && <LoadError what="the duplicates report" problem={report.problem} onRetry={reload} />}
      {report.state === "ready" && report.data.groups.length === 0 && <p class="empty">No duplicates: every address is one person's.</p>}
      {report.state === "ready" &&
        report.data.groups.map((group) => (
          <section key={group.canonical} aria-labelledby={`dup-${group.canonical}`} class="dup-group">
            <h2 id={`dup-${group.canonical}`}>{group.canonical}</h2>
            <ul class="rows">
              {group.entries.map((entry) => (
                <li key={entry.memberId ?? entry.invitationId ?? entry.email}>
                  {entry.type === "member" && entry.memberId ? (
                    <Link href={memberHref(base, orgId, entry.memberId)} navigate={navigate}>
                      {entry.email}
                    </Link>
                  ) : (
                    <strong>{entry.email}</strong>
                  )}
                  <span class="meta">{entry.type === "member" ? "member" : "pending invitation"}</span>
                </li>
              ))}
            </ul>
          </section>
        ))}
    </>
  );
}
