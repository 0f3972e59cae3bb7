import type { ComponentChildren } from "preact";
import { useEffect, useReducer, useRef, useState } from "preact/hooks";
import type { Project, Result, ReviewCampaign, ReviewItem, ReviewWithItems } from "../api/client.js";
import type { FormProblem } from "../api/formProblem.js";
import { idempotencyKeyFor, ORG_ROLES, PROJECT_ROLES, type LastAttempt } from "../forms/invite.js";
import { actorName } from "../forms/requests.js";
import {
  buildDecision,
  buildOpenReview,
  DEFAULT_ENDS_IN_DAYS,
  decidedNotice,
  decisionErrors,
  decisionFields,
  decisionForm,
  decisionProblem,
  describeAccess,
  describeDecision,
  describeRoles,
  ENDS_IN_DAYS,
  evidenceRowCount,
  NOT_ASKED_TEXT,
  notAskedToReview,
  openReviewProblem,
  progressText,
  projectChoices,
  undecidedMembers,
  type Decision,
  type DecisionForm,
} from "../forms/reviews.js";
import { confirmStep } from "./confirm.js";
import { saveBlob } from "./download.js";
import { FormErrors, SelectField, TextAreaField, TextField, fieldId, focusFirstError } from "./fields.js";
import { formatTime, projectNames } from "./format.js";
import { Link } from "./Link.js";
import type { OrgContext } from "./OrgLayout.js";
import { Pager } from "./Pager.js";
import { orgHref, reviewHref } from "./router.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";

const PAGE_SIZE = 20;
const OPEN_FORM = "open-review";
const NO_ERRORS: FormProblem = { fields: {}, messages: [] };
const DECISION_LABELS: Record<Decision, string> = { keep: "Keep", change: "Change", remove: "Remove" };

type Notice = { ok: boolean; text: string };

/** A notice that takes the focus when it appears, so keyboard and screen reader users hear it. */
function NoticeBox({ notice, children }: { notice: Notice; children?: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [notice]);
  return (
    <div ref={ref} tabIndex={-1} class={notice.ok ? "notice" : "form-errors"} role={notice.ok ? "status" : "alert"}>
      <p>{notice.text}</p>
      {children}
    </div>
  );
}

/**
 * Access reviews (issue 14): the org's campaigns, newest first, and (for admins) opening one now.
 * Project managers may be asked to review (the org's reviewsByProjectManagers); the API's 403 says
 * they are not, and the screen says so plainly.
 */
export function Reviews(context: OrgContext) {
  const admin = context.membership.orgRole === "admin";
  // A review just opened is read again with the list.
  const [opened, setOpened] = useState(0);
  return (
    <>
      <ScreenHeading title="Access reviews" />
      <p>
        An access review asks, for every member, whether their access is still needed: keep it, change it or remove it, with a note. Each decision takes
        effect at once and is kept, with the access before and after, in the review's evidence.
      </p>
      {admin && <OpenReviewSection context={context} onOpened={() => setOpened((n) => n + 1)} />}
      <ReviewList key={opened} context={context} />
    </>
  );
}

function OpenReviewSection({ context, onOpened }: { context: OrgContext; onOpened: () => void }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  const [endsInDays, setEndsInDays] = useState(String(DEFAULT_ENDS_IN_DAYS));
  const [errors, setErrors] = useState<FormProblem>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  // The notice is made once per opening: a new object on each render would take the focus again.
  const [opened, setOpened] = useState<{ review: ReviewCampaign; notice: Notice } | null>(null);
  const last = useRef<LastAttempt | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const built = buildOpenReview(endsInDays);
    if (!built.ok) {
      setErrors({ fields: built.fields, messages: [] });
      focusFirstError(OPEN_FORM, built.fields, ["endsInDays"]);
      return;
    }
    const body = JSON.stringify(built.body);
    const key = idempotencyKeyFor(last.current, body, () => crypto.randomUUID());
    setBusy(true);
    setOpened(null);
    const result = await api.openReview(orgId, built.body, key);
    setBusy(false);
    last.current = { key, body, answered: result.ok || result.problem.status !== 0 };
    if (result.ok) {
      setErrors(NO_ERRORS);
      const count = result.data.itemCount;
      setOpened({
        review: result.data,
        notice: { ok: true, text: `Opened an access review of ${count} member${count === 1 ? "" : "s"}; it ends ${formatTime(result.data.endsAt)}.` },
      });
      onOpened();
      return;
    }
    const shown = openReviewProblem(result.problem);
    setErrors(shown);
    focusFirstError(OPEN_FORM, shown.fields, ["endsInDays"]);
  }

  return (
    <section aria-labelledby="open-review-heading">
      <h2 id="open-review-heading">Open a review now</h2>
      <p>
        A review also opens by itself at the start of each quarter. It holds every member active now; undecided members are reminded to their reviewers
        after 7 days and escalated to every admin after 14.
      </p>
      {opened && (
        <NoticeBox notice={opened.notice}>
          <p>
            <Link href={reviewHref(base, orgId, opened.review.id)} navigate={navigate}>
              Decide the members of this review
            </Link>
          </p>
        </NoticeBox>
      )}
      <form onSubmit={submit} noValidate aria-label="Open a review now" class="filters">
        <FormErrors messages={errors.messages} />
        <TextField
          form={OPEN_FORM}
          name="endsInDays"
          label="Ends in (days)"
          type="number"
          min={String(ENDS_IN_DAYS[0])}
          max={String(ENDS_IN_DAYS[1])}
          hint={`${ENDS_IN_DAYS[0]} to ${ENDS_IN_DAYS[1]}; empty: ${DEFAULT_ENDS_IN_DAYS}. Members still undecided then are recorded as such.`}
          value={endsInDays}
          onInput={setEndsInDays}
          error={errors.fields.endsInDays}
        />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Opening…" : "Open a review"}
          </button>
        </div>
      </form>
    </section>
  );
}

function ReviewList({ context }: { context: OrgContext }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const [page, reload] = useLoad(() => api.listReviews(orgId, cursor, PAGE_SIZE), `${orgId}:reviews:${cursor ?? ""}`);
  return (
    <section aria-labelledby="reviews-list">
      <h2 id="reviews-list">Reviews, newest first</h2>
      {page.state === "loading" && <Loading what="reviews" />}
      {page.state === "error" && notAskedToReview(page.problem) && <p class="empty">{NOT_ASKED_TEXT}</p>}
      {page.state === "error" && !notAskedToReview(page.problem) && <LoadError what="reviews" problem={page.problem} onRetry={reload} />}
      {page.state === "ready" && page.data.items.length === 0 && <p class="empty">{cursors.length > 1 ? "No more reviews." : "No access reviews yet."}</p>}
      {page.state === "ready" && page.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Access reviews, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Review</th>
                <th scope="col">Status</th>
                <th scope="col">Opened</th>
                <th scope="col">Ends</th>
                <th scope="col">Decided</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((review) => (
                <tr key={review.id}>
                  <th scope="row">
                    <Link href={reviewHref(base, orgId, review.id)} navigate={navigate}>
                      {review.label}
                    </Link>
                  </th>
                  <td>{review.status === "closed" && review.closedAt ? `closed ${formatTime(review.closedAt)}` : review.status}</td>
                  <td>
                    {formatTime(review.openedAt)}
                    <span class="meta block">by {actorName(review.openedBy)}</span>
                  </td>
                  <td>{formatTime(review.endsAt)}</td>
                  <td>{progressText(review)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Review pages" cursors={cursors} setCursors={setCursors} nextCursor={page.state === "ready" ? page.data.nextCursor : undefined} />
    </section>
  );
}

type Download = { state: "idle" } | { state: "working"; format: "csv" | "json" } | { state: "done"; text: string } | { state: "failed"; text: string };

/**
 * One review (a deep link: the emails about a review link here): the campaign, then one card per
 * member with the access reviewed and either the decision made or a form to make it.
 */
export function ReviewPage({ context, reviewId }: { context: OrgContext; reviewId: string }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  const admin = membership.orgRole === "admin";
  const [loaded, reload] = useLoad(() => api.getReview(orgId, reviewId), `review:${orgId}:${reviewId}`);
  // Only admins may list the projects (every project, to add one in a change).
  const [projects] = useLoad(
    (): Promise<Result<Project[]>> => (admin ? api.allProjects(orgId) : Promise.resolve({ ok: true, status: 200, data: [] })),
    `all-projects:${orgId}:${admin}`,
  );
  const readable = admin && projects.state === "ready" ? projects.data : undefined;
  const [notice, setNotice] = useState<Notice | null>(null);
  const review = loaded.state === "ready" ? loaded.data : null;
  // The review names the projects its members hold (a project manager cannot list them); an admin's list adds the rest.
  const names = new Map([...Object.entries(review?.projects ?? {}), ...projectNames(readable)]);

  return (
    <>
      <ScreenHeading title={review ? `Access review: ${review.label}` : "Access review"} />
      <p>
        <Link href={orgHref(base, orgId, "reviews")} navigate={navigate}>
          All access reviews
        </Link>
      </p>
      {loaded.state === "loading" && <Loading what="the review" />}
      {loaded.state === "error" && notAskedToReview(loaded.problem) && <p class="empty">{NOT_ASKED_TEXT}</p>}
      {loaded.state === "error" && loaded.problem.code === "not_found" && <p class="empty">This organization has no such review.</p>}
      {loaded.state === "error" && !notAskedToReview(loaded.problem) && loaded.problem.code !== "not_found" && (
        <LoadError what="the review" problem={loaded.problem} onRetry={reload} />
      )}
      {review && (
        <>
          {!admin && <p>You review the members whose every project is one you manage; the organization's admins review everyone.</p>}
          <CampaignFacts review={review} />
          {/* The evidence (every item) is for admins; a project manager sees only the members they review. */}
          {admin && <Evidence context={context} review={review} />}
          <section aria-labelledby="review-items">
            <h2 id="review-items">Members ({progressText(review)})</h2>
            {notice && <NoticeBox notice={notice} />}
            {review.items.length === 0 && <p class="empty">This review has no members for you to decide.</p>}
            <ul class="requests">
              {review.items.map((item) => (
                <li key={item.memberId}>
                  <ItemCard
                    context={context}
                    review={review}
                    item={item}
                    names={names}
                    readable={readable}
                    onDecided={(decided) => {
                      const last = review.decidedCount + 1 >= review.itemCount;
                      setNotice({ ok: true, text: `${decidedNotice(decided, names)}${last ? " Every member is decided: the review is closed." : ""}` });
                      reload();
                    }}
                    onStale={(text) => {
                      setNotice({ ok: false, text });
                      reload();
                    }}
                  />
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}

function CampaignFacts({ review }: { review: ReviewWithItems }) {
  const left = review.status === "closed" ? undecidedMembers(review, review.items) : [];
  return (
    <dl class="facts" aria-label="The review">
      <dt>Status</dt>
      <dd>{review.status === "closed" ? `closed${review.closedAt ? ` ${formatTime(review.closedAt)}` : ""}` : "open"}</dd>
      <dt>Opened by</dt>
      <dd>
        {actorName(review.openedBy)}, {formatTime(review.openedAt)}
      </dd>
      <dt>{review.status === "open" ? "Ends" : "Was to end"}</dt>
      <dd>{formatTime(review.endsAt)}</dd>
      <dt>Decided</dt>
      <dd>{progressText(review)}</dd>
      {review.remindedAt && (
        <>
          <dt>Reviewers reminded</dt>
          <dd>{formatTime(review.remindedAt)}</dd>
        </>
      )}
      {review.escalatedAt && (
        <>
          <dt>Escalated to the admins</dt>
          <dd>{formatTime(review.escalatedAt)}</dd>
        </>
      )}
      {review.status === "closed" && (
        <>
          <dt>Left undecided</dt>
          <dd>
            {left.length === 0 ? (
              "none: every member was decided"
            ) : (
              <ul class="plain">
                {left.map((who) => (
                  <li key={who}>{who}</li>
                ))}
              </ul>
            )}
          </dd>
        </>
      )}
    </dl>
  );
}

/** The evidence as CSV or JSON: fetched with the bearer token (a bare link could not send it) and saved through a blob link. */
function Evidence({ context, review }: { context: OrgContext; review: ReviewWithItems }) {
  const { api, membership } = context;
  const [download, setDownload] = useState<Download>({ state: "idle" });
  async function save(format: "csv" | "json") {
    setDownload({ state: "working", format });
    const result = await api.reviewEvidence(membership.orgId, review.id, format);
    if (!result.ok) {
      setDownload({ state: "failed", text: `The evidence could not be downloaded: ${result.problem.detail || result.problem.title}` });
      return;
    }
    saveBlob(result.data.blob, result.data.filename);
    const rows = format === "csv" ? evidenceRowCount(await result.data.blob.text()) : review.items.length;
    setDownload({ state: "done", text: `Downloaded ${result.data.filename} (${rows} member${rows === 1 ? "" : "s"}).` });
  }
  const working = download.state === "working";
  return (
    <section aria-labelledby="review-evidence">
      <h2 id="review-evidence">Evidence</h2>
      <p>Every member with the decision, reviewer, time and note, and the access before and after: what an auditor asks for.</p>
      <div class="actions download">
        <button type="button" class="secondary" disabled={working} onClick={() => save("csv")}>
          {working && download.format === "csv" ? "Preparing the CSV…" : "Download the evidence as CSV"}
        </button>
        <button type="button" class="secondary" disabled={working} onClick={() => save("json")}>
          {working && download.format === "json" ? "Preparing the JSON…" : "Download the evidence as JSON"}
        </button>
        {download.state === "done" && (
          <p role="status" class="meta">
            {download.text}
          </p>
        )}
      </div>
      {download.state === "failed" && <FormErrors messages={[download.text]} />}
    </section>
  );
}

function ItemCard(props: {
  context: OrgContext;
  review: ReviewWithItems;
  item: ReviewItem;
  names: Map<string, string>;
  readable: Project[] | undefined;
  onDecided: (item: ReviewItem) => void;
  onStale: (text: string) => void;
}) {
  const { item, names, review } = props;
  const headingId = `item-${item.memberId}`;
  return (
    <article aria-labelledby={headingId} class="request">
      <h3 id={headingId}>{item.email}</h3>
      <dl class="facts">
        <dt>Roles reviewed</dt>
        <dd>{describeRoles(item.before, names)}</dd>
        <dt>Last activity</dt>
        <dd>{item.lastActiveAt ? formatTime(item.lastActiveAt) : "none recorded"}</dd>
        <dt>Access ends</dt>
        <dd>{item.before.accessEndsAt ? formatTime(item.before.accessEndsAt) : "no end date"}</dd>
        <dt>Justification</dt>
        <dd>{item.justification ?? "none given"}</dd>
        {item.decision && (
          <>
            <dt>Decision</dt>
            <dd>{describeDecision(item, names)}</dd>
            <dt>Decided by</dt>
            <dd>
              {actorName(item.decidedBy)}, {formatTime(item.decidedAt)}
            </dd>
            <dt>Note</dt>
            <dd>{item.note}</dd>
            <dt>Access after</dt>
            <dd>{describeAccess(item.after, names)}</dd>
          </>
        )}
      </dl>
      {!item.decision && review.status === "closed" && <p class="meta">Left undecided when the review closed.</p>}
      {!item.decision && review.status === "open" && <DecideForm {...props} />}
    </article>
  );
}

/**
 * Keep, change or remove one member, with a note. A change shows the new access (the org role for
 * admins only); a removal asks once more before it is sent. The decision carries an Idempotency-Key
 * kept for a retry of the same body after no answer.
 */
function DecideForm(props: {
  context: OrgContext;
  review: ReviewWithItems;
  item: ReviewItem;
  names: Map<string, string>;
  readable: Project[] | undefined;
  onDecided: (item: ReviewItem) => void;
  onStale: (text: string) => void;
}) {
  const { context, review, item, readable, names } = props;
  const { api, membership } = context;
  const admin = membership.orgRole === "admin";
  const form = `decide-${item.memberId}`;
  const managed = Object.entries(membership.projects)
    .filter(([, role]) => role === "manager")
    .map(([id]) => id);
  const choices = projectChoices(item.before, readable, managed, names);
  const order = decisionFields(choices.map((choice) => choice.id));
  const [values, setValues] = useState<DecisionForm>(() => decisionForm(item));
  const [errors, setErrors] = useState<FormProblem>(NO_ERRORS);
  // A removal goes through the inline confirmation; keep and change are sent at once.
  const [confirm, dispatch] = useReducer(confirmStep, { step: "idle" });
  const [sending, setSending] = useState(false);
  const last = useRef<LastAttempt | null>(null);
  const asked = useRef(false);
  const busy = sending || confirm.step === "working";
  const set = <K extends keyof DecisionForm>(key: K) => (value: DecisionForm[K]) => setValues((current) => ({ ...current, [key]: value }));

  useEffect(() => {
    if (confirm.step === "confirming") document.getElementById(`confirm-${form}`)?.focus();
    // A cancelled question gives the focus back to the button it was asked from.
    if (confirm.step === "idle" && asked.current) document.getElementById(`${form}-submit`)?.focus();
    asked.current = confirm.step === "confirming";
  }, [confirm.step, form]);

  function check(): string | null {
    const built = buildDecision(values, item, admin);
    if (built.ok) return JSON.stringify(built.body);
    setErrors({ fields: built.fields, messages: built.messages });
    focusFirstError(form, built.fields, order);
    return null;
  }

  async function send(body: string) {
    const key = idempotencyKeyFor(last.current, body, () => crypto.randomUUID());
    setSending(true);
    const result = await api.decideReviewItem(membership.orgId, review.id, item.memberId, JSON.parse(body), key);
    setSending(false);
    last.current = { key, body, answered: result.ok || result.problem.status !== 0 };
    dispatch({ type: "finished" });
    if (result.ok) return props.onDecided(result.data);
    if (Object.keys(result.problem.fieldErrors).length > 0 || result.problem.formErrors.length > 0) {
      const shown = decisionErrors(result.problem, choices.map((choice) => choice.id));
      setErrors(shown);
      focusFirstError(form, shown.fields, order);
      return;
    }
    const said = decisionProblem(result.problem, item);
    if (said.stale) return props.onStale(said.text);
    setErrors({ fields: {}, messages: [said.text] });
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (busy || confirm.step !== "idle") return;
    const body = check();
    if (body === null) return;
    setErrors(NO_ERRORS);
    if (values.decision === "remove") return dispatch({ type: "ask", id: item.memberId, action: "remove" });
    await send(body);
  }

  async function confirmRemoval() {
    const body = check();
    if (body === null) return dispatch({ type: "cancel" });
    dispatch({ type: "confirm" });
    await send(body);
  }

  const submitLabel =
    values.decision === "keep" ? "Keep the access" : values.decision === "change" ? "Save the change" : values.decision === "remove" ? "Remove…" : "Decide";
  const decisionError = errors.fields.decision;
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={`Decide ${item.email}`}
      class="decision"
      onKeyDown={(event) => {
        if (event.key === "Escape" && confirm.step === "confirming") {
          event.preventDefault();
          dispatch({ type: "cancel" });
        }
      }}
    >
      <FormErrors messages={errors.messages} />
      <fieldset aria-describedby={decisionError ? `${fieldId(form, "decision")}-error` : undefined}>
        <legend>Decision</legend>
        {(["keep", "change", "remove"] as const).map((decision, index) => {
          // The first choice carries the field's id, so a missing decision focuses it.
          const id = index === 0 ? fieldId(form, "decision") : `${fieldId(form, "decision")}-${decision}`;
          return (
            <div class="choice" key={decision}>
              <input
                type="radio"
                id={id}
                name={`${form}-decision`}
                value={decision}
                checked={values.decision === decision}
                aria-invalid={decisionError ? "true" : undefined}
                disabled={busy || confirm.step !== "idle"}
                onChange={() => set("decision")(decision)}
              />
              <label for={id}>{DECISION_LABELS[decision]}</label>
            </div>
          );
        })}
        {decisionError && (
          <p id={`${fieldId(form, "decision")}-error`} class="field-error">
            {decisionError}
          </p>
        )}
      </fieldset>
      {values.decision === "change" && (
        <fieldset>
          <legend>New access</legend>
          {admin && (
            <SelectField
              form={form}
              name="orgRole"
              label="Org role"
              value={values.orgRole}
              options={ORG_ROLES}
              onChange={(role) => set("orgRole")(role as DecisionForm["orgRole"])}
              error={errors.fields.orgRole}
            />
          )}
          {choices.length > 0 && (
            <fieldset aria-describedby={errors.fields.projects ? `${fieldId(form, "projects")}-error` : undefined}>
              <legend>Project roles</legend>
              {choices.map((project) => (
                <SelectField
                  key={project.id}
                  form={form}
                  name={`projects.${project.id}`}
                  label={project.name}
                  value={values.projects[project.id] ?? ""}
                  options={[{ value: "", label: "no role" }, ...PROJECT_ROLES]}
                  onChange={(role) => set("projects")({ ...values.projects, [project.id]: role as DecisionForm["projects"][string] })}
                  error={errors.fields[`projects.${project.id}`]}
                />
              ))}
              {errors.fields.projects && (
                <p id={`${fieldId(form, "projects")}-error`} class="field-error">
                  {errors.fields.projects}
                </p>
              )}
            </fieldset>
          )}
          <TextField
            form={form}
            name="accessEndsOn"
            label="Access ends on"
            type="date"
            hint="At the start of that day (UTC). Empty for no end date, if the organization allows it."
            value={values.accessEndsOn}
            onInput={set("accessEndsOn")}
            error={errors.fields.accessEndsOn}
          />
        </fieldset>
      )}
      <TextAreaField
        form={form}
        name="note"
        label="Note"
        hint="Why this decision; it is kept in the evidence. At most 500 characters."
        rows={2}
        required
        value={values.note}
        onInput={set("note")}
        error={errors.fields.note}
      />
      {confirm.step === "idle" ? (
        <p class="actions">
          <button type="submit" id={`${form}-submit`} class={values.decision === "remove" ? "danger" : ""} disabled={busy}>
            {busy ? "Saving…" : submitLabel}
          </button>
        </p>
      ) : (
        <div class="confirm" role="group" aria-label={`Confirm removing ${item.email}`}>
          <p>
            Remove {item.email}? Their access ends at once and their pending invitations are withdrawn; only a new invitation gives access back.
          </p>
          <button type="button" id={`confirm-${form}`} class="danger" disabled={busy} onClick={confirmRemoval}>
            {busy ? "Removing…" : "Yes, remove"}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => dispatch({ type: "cancel" })}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}
