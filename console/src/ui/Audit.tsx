import { useState } from "preact/hooks";
import type { AuditEvent } from "../api/client.js";
import { AUDIT_ACTIONS, AUDIT_FILTER_FIELDS, auditFilterSearch, filterErrors, auditQuery, readAuditFilter, type AuditFilter } from "../forms/filters.js";
import { saveBlob } from "./download.js";
import { FormErrors, SelectField, TextField } from "./fields.js";
import { describeChanges, formatTime, projectNames } from "./format.js";
import { Link } from "./Link.js";
import type { OrgContext } from "./OrgLayout.js";
import { orgHref } from "./router.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";
import { Pager } from "./Pager.js";

const PAGE_SIZE = 20;
const FORM = "audit-filter";

/** The org's audit trail, newest first: a time range, an action and a target (kept in the URL), paged, and a CSV download. */
export function Audit(context: OrgContext) {
  const filter = readAuditFilter(context.search);
  const key = new URLSearchParams(auditFilterSearch(filter)).toString();
  return (
    <>
      <ScreenHeading title="Audit" />
      <AuditList key={key} context={context} filter={filter} />
    </>
  );
}

type Errors = { fields: Record<string, string>; messages: string[] };

type Download = { state: "idle" } | { state: "working" } | { state: "done"; text: string } | { state: "failed"; text: string };

function AuditList({ context, filter }: { context: OrgContext; filter: AuditFilter }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  const [draft, setDraft] = useState<AuditFilter>(filter);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const query = auditQuery(filter);
  const [page, reload] = useLoad(
    () => api.listAudit(orgId, { ...query, limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) }),
    `${orgId}:${JSON.stringify(query)}:${cursor ?? ""}`,
  );
  const [projects] = useLoad(() => api.allProjects(orgId), `all-projects:${orgId}`);
  const names = projectNames(projects.state === "ready" ? projects.data : undefined);
  const projectName = (id: string) => names.get(id);
  const [download, setDownload] = useState<Download>({ state: "idle" });
  const [csvErrors, setCsvErrors] = useState<Errors>({ fields: {}, messages: [] });
  const refused = filterErrors(page.state === "error" ? page.problem : null, AUDIT_FILTER_FIELDS);
  const fieldErrors = { ...csvErrors.fields, ...refused.fields };
  const filtered = Object.keys(query).length > 0;

  async function downloadCsv() {
    setDownload({ state: "working" });
    setCsvErrors({ fields: {}, messages: [] });
    const result = await api.auditCsv(orgId, query);
    if (!result.ok) {
      setCsvErrors(filterErrors(result.problem, AUDIT_FILTER_FIELDS));
      setDownload({ state: "failed", text: `The CSV could not be made: ${result.problem.detail || result.problem.title}` });
      return;
    }
    saveBlob(result.data.blob, result.data.filename);
    // Rows = lines after the header; quoted cells may hold new lines, so this counts record starts.
    const text = await result.data.blob.text();
    const rows = text.split(/\r?\n(?=")/).length - 1;
    setDownload({ state: "done", text: `Downloaded ${result.data.filename} (${rows} event${rows === 1 ? "" : "s"}, at most 5,000 per file).` });
  }

  return (
    <>
      <form
        class="filters"
        aria-label="Filter the audit"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          navigate(orgHref(base, orgId, "audit", auditFilterSearch(draft)));
        }}
      >
        <TextField form={FORM} name="since" label="From (UTC day)" type="date" value={draft.since} onInput={(since) => setDraft({ ...draft, since })} error={fieldErrors.since} />
        <TextField form={FORM} name="until" label="To (UTC day, included)" type="date" value={draft.until} onInput={(until) => setDraft({ ...draft, until })} error={fieldErrors.until} />
        <SelectField
          form={FORM}
          name="action"
          label="Action"
          value={draft.action}
          options={[{ value: "", label: "any action" }, ...AUDIT_ACTIONS]}
          onChange={(action) => setDraft({ ...draft, action })}
          error={fieldErrors.action}
        />
        <TextField
          form={FORM}
          name="targetId"
          label="Target id"
          hint="A member, invitation, project or key id (mem_…, inv_…)."
          value={draft.targetId}
          onInput={(targetId) => setDraft({ ...draft, targetId })}
          error={fieldErrors.targetId}
        />
        <div class="actions">
          <button type="submit">Apply filters</button>
          {filtered && (
            <Link href={orgHref(base, orgId, "audit")} navigate={navigate}>
              Clear filters
            </Link>
          )}
        </div>
      </form>
      <div class="actions download">
        <button type="button" class="secondary" disabled={download.state === "working"} onClick={downloadCsv}>
          {download.state === "working" ? "Preparing the CSV…" : filtered ? "Download these events as CSV" : "Download as CSV"}
        </button>
        {download.state === "done" && (
          <p role="status" class="meta">
            {download.text}
          </p>
        )}
      </div>
      {download.state === "failed" && <FormErrors messages={[download.text, ...csvErrors.messages.filter((m) => !download.text.includes(m))]} />}
      <section aria-labelledby="audit-list">
        <h2 id="audit-list">{filtered ? "Events matching the filters" : "All events"}, newest first</h2>
        {page.state === "loading" && <Loading what="audit events" />}
        {page.state === "error" && page.problem.code === "forbidden" && <p class="empty">Only admins of this organization see its audit trail.</p>}
        {page.state === "error" && page.problem.code === "validation_failed" && <FormErrors messages={refused.messages.length ? refused.messages : ["Check the filters marked above."]} />}
        {page.state === "error" && page.problem.code !== "forbidden" && page.problem.code !== "validation_failed" && (
          <LoadError what="audit events" problem={page.problem} onRetry={reload} />
        )}
        {page.state === "ready" && page.data.items.length === 0 && (
          <p class="empty">{cursors.length > 1 ? "No more events." : filtered ? "No event matches these filters." : "No audit events yet."}</p>
        )}
        {page.state === "ready" && page.data.items.length > 0 && (
          <div class="table-wrap" tabIndex={0} /* a keyboard can scroll a table wider than the screen */ role="region" aria-label="Audit events table">
            <table class="audit-table">
              <caption class="visually-hidden">Audit events, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">By</th>
                  <th scope="col">Target</th>
                  <th scope="col">Changes and note</th>
                </tr>
              </thead>
              <tbody>
                {page.data.items.map((event) => (
                  <EventRow key={event.id} event={event} projectName={projectName} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          label="Audit pages"
          cursors={cursors}
          setCursors={setCursors}
          nextCursor={page.state === "ready" ? page.data.nextCursor : undefined}
        />
      </section>
    </>
  );
}

function EventRow({ event, projectName }: { event: AuditEvent; projectName: (id: string) => string | undefined }) {
  const changes = describeChanges(event.changes, projectName);
  return (
    <tr>
      <td>{formatTime(event.at)}</td>
      <th scope="row">{event.action}</th>
      <td>{event.actor.email ?? `${event.actor.type} ${event.actor.id}`}</td>
      <td>
        {event.target.type} <span class="meta">{event.target.id}</span>
      </td>
      <td>
        {changes.map((line) => (
          <span key={line} class="block">
            {line}
          </span>
        ))}
        {event.note && <span class="block meta">“{event.note}”</span>}
      </td>
    </tr>
  );
}
