import { Fragment } from "preact";
import { useEffect, useReducer, useRef, useState } from "preact/hooks";
import type { Invitation } from "../api/client.js";
import type { ApiProblem } from "../api/problem.js";
import { correctedText, staleText } from "../forms/correction.js";
import {
  DELIVERY_CHOICES,
  INVITATION_STATUSES,
  invitationFilterSearch,
  invitationsHeading,
  noInvitationsText,
  readInvitationFilter,
  type InvitationListFilter,
} from "../forms/filters.js";
import { confirmStep, type RowAction } from "./confirm.js";
import { CorrectAddressForm } from "./Correction.js";
import { SelectField } from "./fields.js";
import { deliveryLabel, describeDelivery, describeRoles, formatTime, projectNames } from "./format.js";
import { Link } from "./Link.js";
import type { OrgContext } from "./OrgLayout.js";
import { orgHref } from "./router.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";
import { Pager } from "./Pager.js";

const PAGE_SIZE = 20;
const COLUMNS = 7;

/** The org's invitations by status and email delivery (both kept in the URL), page by page, with Resend, Revoke and Correct address. */
export function Invitations(context: OrgContext) {
  const { base, navigate, membership } = context;
  const filter = readInvitationFilter(context.search);
  const show = (next: InvitationListFilter) => navigate(orgHref(base, membership.orgId, "invitations", invitationFilterSearch(next)));
  return (
    <>
      <ScreenHeading title="Invitations" />
      <p>
        <Link href={orgHref(base, membership.orgId, "invite")} navigate={navigate}>
          Invite a collaborator
        </Link>
      </p>
      <div class="filters">
        <SelectField
          form="invitations"
          name="status"
          label="Show invitations"
          value={filter.status}
          options={INVITATION_STATUSES.map((status) => ({ value: status, label: status === "all" ? "all statuses" : status }))}
          onChange={(value) => show({ ...filter, status: value as InvitationListFilter["status"] })}
        />
        <SelectField
          form="invitations"
          name="delivery"
          label="Email delivery"
          value={filter.delivery}
          options={DELIVERY_CHOICES}
          onChange={(value) => show({ ...filter, delivery: value as InvitationListFilter["delivery"] })}
        />
      </div>
      {/* A new filter starts again at the first page. */}
      <InvitationList key={`${filter.status}:${filter.delivery}`} context={context} filter={filter} />
    </>
  );
}

type Notice = { ok: true; text: string } | { ok: false; text: string };

function InvitationList({ context, filter }: { context: OrgContext; filter: InvitationListFilter }) {
  const { status, delivery } = filter;
  const { api, membership } = context;
  const orgId = membership.orgId;
  // The cursor of each page seen so far; the first page has none.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const [page, reload] = useLoad(
    () => api.listInvitations(orgId, status, cursor, PAGE_SIZE, delivery === "" ? undefined : delivery),
    `${orgId}:${status}:${delivery}:${cursor ?? ""}`,
  );
  const [projects] = useLoad(() => api.allProjects(orgId), `all-projects:${orgId}`);
  const names = projectNames(projects.state === "ready" ? projects.data : undefined);
  const [confirm, dispatch] = useReducer(confirmStep, { step: "idle" });
  const [notice, setNotice] = useState<Notice | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  // The button a question was asked from; focus goes back to it when the question is cancelled.
  const askedFrom = useRef<string | null>(null);
  const refocus = useRef(false);
  // The invitation whose address is being corrected (its form opens under its row).
  const [correcting, setCorrecting] = useState<string | null>(null);

  useEffect(() => {
    if (confirm.step === "confirming") document.getElementById(`confirm-${confirm.id}`)?.focus();
    if (confirm.step === "idle" && refocus.current && askedFrom.current) document.getElementById(askedFrom.current)?.focus();
    refocus.current = false;
  }, [confirm]);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  function ask(invitation: Invitation, action: RowAction) {
    askedFrom.current = `${action}-${invitation.id}`;
    setNotice(null);
    setCorrecting(null);
    dispatch({ type: "ask", id: invitation.id, action });
  }

  function openCorrection(invitation: Invitation) {
    if (confirm.step === "working") return;
    askedFrom.current = `correct-${invitation.id}`;
    setNotice(null);
    if (confirm.step === "confirming") dispatch({ type: "cancel" });
    setCorrecting(invitation.id);
  }

  function closeCorrection() {
    setCorrecting(null);
    // Back to the button the form was opened from, once it is shown again.
    requestAnimationFrame(() => {
      if (askedFrom.current) document.getElementById(askedFrom.current)?.focus();
    });
  }

  function corrected(invitation: Invitation, oldEmail: string) {
    setCorrecting(null);
    setNotice({ ok: true, text: correctedText(oldEmail, invitation, formatTime(invitation.expiresAt)) });
    reload();
  }

  function changed(newer: Invitation) {
    // Still pending: the form shows the newer version and saves against it; otherwise it closes.
    if (newer.status !== "pending") {
      setCorrecting(null);
      setNotice({ ok: false, text: staleText(newer) });
    }
    reload();
  }

  function cancel() {
    refocus.current = true;
    dispatch({ type: "cancel" });
  }

  async function act(invitation: Invitation) {
    if (confirm.step !== "confirming") return;
    const action = confirm.action;
    dispatch({ type: "confirm" });
    if (action === "resend") {
      const result = await api.resendInvitation(orgId, invitation.id);
      setNotice(
        result.ok
          ? {
              ok: true,
              text: `Sent again to ${result.data.email} (send ${result.data.sendCount}, ${describeDelivery(result.data.delivery)}); the new link expires ${formatTime(result.data.expiresAt)}.`,
            }
          : { ok: false, text: `Could not resend to ${invitation.email}: ${problemText(result.problem)}` },
      );
    } else {
      const result = await api.revokeInvitation(orgId, invitation.id);
      setNotice(
        result.ok
          ? { ok: true, text: `Revoked the invitation of ${invitation.email}; its link no longer works.` }
          : { ok: false, text: `Could not revoke the invitation of ${invitation.email}: ${problemText(result.problem)}` },
      );
    }
    dispatch({ type: "finished" });
    reload();
  }

  return (
    <section aria-labelledby="invitations-list">
      <h2 id="invitations-list">{invitationsHeading(filter)}</h2>
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class={notice.ok ? "notice" : "form-errors"} role={notice.ok ? "status" : "alert"}>
          <p>{notice.text}</p>
        </div>
      )}
      {page.state === "loading" && <Loading what="invitations" />}
      {page.state === "error" && page.problem.code === "forbidden" && <p class="empty">Only admins of this organization see its invitations.</p>}
      {page.state === "error" && page.problem.code !== "forbidden" && <LoadError what="invitations" problem={page.problem} onRetry={reload} />}
      {page.state === "ready" && page.data.items.length === 0 && (
        <p class="empty">{cursors.length > 1 ? "No more invitations." : noInvitationsText(filter)}</p>
      )}
      {page.state === "ready" && page.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Invitations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Roles</th>
                <th scope="col">Status</th>
                <th scope="col">Email delivery</th>
                <th scope="col">Sent</th>
                <th scope="col">Link expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((invitation) => (
                <Fragment key={invitation.id}>
                  <tr>
                    <th scope="row">{invitation.email}</th>
                    <td>{describeRoles(invitation, names)}</td>
                    <td>{invitation.status}</td>
                    <td>{deliveryLabel(invitation.delivery)}</td>
                    <td>
                      {invitation.sendCount} time{invitation.sendCount === 1 ? "" : "s"}
                      <span class="meta block">last {formatTime(invitation.lastSentAt)}</span>
                    </td>
                    <td>{formatTime(invitation.expiresAt)}</td>
                    <td>
                      <RowActions
                        invitation={invitation}
                        confirm={confirm}
                        correcting={correcting === invitation.id}
                        onAsk={ask}
                        onCancel={cancel}
                        onConfirm={act}
                        onCorrect={openCorrection}
                      />
                    </td>
                  </tr>
                  {correcting === invitation.id && invitation.status === "pending" && (
                    <tr class="row-form">
                      <td colSpan={COLUMNS}>
                        <CorrectAddressForm
                          api={api}
                          orgId={orgId}
                          invitation={invitation}
                          onCorrected={corrected}
                          onChanged={changed}
                          onCancel={closeCorrection}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Invitation pages"
        cursors={cursors}
        setCursors={setCursors}
        nextCursor={page.state === "ready" ? page.data.nextCursor : undefined}
      />
    </section>
  );
}

function RowActions({
  invitation,
  confirm,
  correcting,
  onAsk,
  onCancel,
  onConfirm,
  onCorrect,
}: {
  invitation: Invitation;
  confirm: ReturnType<typeof confirmStep>;
  correcting: boolean;
  onAsk: (invitation: Invitation, action: RowAction) => void;
  onCancel: () => void;
  onConfirm: (invitation: Invitation) => void;
  onCorrect: (invitation: Invitation) => void;
}) {
  // Accepted and revoked invitations are final (§5): nothing to resend or revoke.
  if (invitation.status !== "pending" && invitation.status !== "expired") return <span class="meta">—</span>;
  if (confirm.step !== "idle" && confirm.id === invitation.id) {
    const resend = confirm.action === "resend";
    const working = confirm.step === "working";
    return (
      <div
        class="confirm"
        role="group"
        aria-label={resend ? `Confirm resending to ${invitation.email}` : `Confirm revoking the invitation of ${invitation.email}`}
        onKeyDown={(event) => {
          if (event.key === "Escape" && !working) {
            event.preventDefault();
            onCancel();
          }
        }}
      >
        <p>{resend ? `Send a new link to ${invitation.email}? The old link stops working.` : `Revoke the invitation of ${invitation.email}? Its link stops working.`}</p>
        <button type="button" id={`confirm-${invitation.id}`} class={resend ? "" : "danger"} disabled={working} onClick={() => onConfirm(invitation)}>
          {working ? (resend ? "Resending…" : "Revoking…") : resend ? "Yes, resend" : "Yes, revoke"}
        </button>
        <button type="button" class="secondary" disabled={working} onClick={onCancel}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <div class="row-actions">
      <button type="button" id={`resend-${invitation.id}`} class="secondary" aria-label={`Resend to ${invitation.email}`} onClick={() => onAsk(invitation, "resend")}>
        Resend
      </button>
      <button type="button" id={`revoke-${invitation.id}`} class="secondary" aria-label={`Revoke the invitation of ${invitation.email}`} onClick={() => onAsk(invitation, "revoke")}>
        Revoke
      </button>
      {/* Only a pending invitation's address can be corrected; an expired one is resent instead. */}
      {invitation.status === "pending" && (
        <button
          type="button"
          id={`correct-${invitation.id}`}
          class="secondary"
          aria-label={`Correct address of ${invitation.email}`}
          aria-expanded={correcting ? "true" : "false"}
          onClick={() => onCorrect(invitation)}
        >
          Correct address
        </button>
      )}
    </div>
  );
}

function problemText(problem: ApiProblem): string {
  // The problem's detail already says a Retry-After wait in words ("Try again in 1 minute.").
  return problem.detail || problem.title;
}
