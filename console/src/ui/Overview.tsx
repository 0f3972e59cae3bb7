import type { ComponentChildren } from "preact";
import type { MemberPage, Result } from "../api/client.js";
import { actorName, approvalsText } from "../forms/requests.js";
import { DELIVERY_PROBLEMS, daysFrom, describeDelivery, formatTime } from "./format.js";
import { Link } from "./Link.js";
import type { OrgContext } from "./OrgLayout.js";
import { Projects } from "./Projects.js";
import { memberHref, orgHref } from "./router.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";

const SHOWN = 5;
/** How far ahead "access ending soon" looks. */
const ENDING_WITHIN_DAYS = 14;
/** The delivery section looks at this many of the newest invitations, for the three troubled delivery states at once. */
const DELIVERY_SCAN = 100;

/** The org's home: what needs an admin's attention, each section linking to its list, then the projects. */
export function Overview(context: OrgContext) {
  const { membership } = context;
  return (
    <>
      <ScreenHeading title={membership.orgName} />
      <p class="meta">
        You are {membership.orgRole === "admin" ? "an admin" : "a member"} of {membership.orgSlug}.
      </p>
      {membership.orgRole === "admin" ? (
        <div class="overview">
          <RequestsSection context={context} />
          <InvitationsSection context={context} status="pending" title="Pending invitations" />
          <InvitationsSection context={context} status="expired" title="Expired invitations" />
          <DeliverySection context={context} />
          <EndingSection context={context} />
          <AuditSection context={context} />
        </div>
      ) : (
        <>
          <p>Invitations, members and the audit trail are for the organization's admins.</p>
          <p>
            <Link href={orgHref(context.base, membership.orgId, "requests")} navigate={context.navigate}>
              Ask for an invitation, or see your requests
            </Link>
          </p>
        </>
      )}
      <Projects api={context.api} membership={membership} />
    </>
  );
}

function Section<T>({
  id,
  title,
  load,
  loadKey,
  what,
  render,
  link,
}: {
  id: string;
  title: string;
  load: () => Promise<Result<T>>;
  loadKey: string;
  what: string;
  render: (data: T) => ComponentChildren;
  link?: ComponentChildren;
}) {
  const [state, reload] = useLoad(load, loadKey);
  return (
    <section aria-labelledby={id} class="overview-section">
      <h2 id={id}>{title}</h2>
      {state.state === "loading" && <Loading what={what} />}
      {state.state === "error" && <LoadError what={what} problem={state.problem} onRetry={reload} />}
      {state.state === "ready" && render(state.data)}
      {link && <p class="section-link">{link}</p>}
    </section>
  );
}

/** The requests waiting for an admin's decision: how many, and the newest few. */
function RequestsSection({ context }: { context: OrgContext }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  return (
    <Section
      id="overview-requests"
      title="Requests waiting for approval"
      what="invitation requests"
      load={() => api.listRequests(orgId, "pending", undefined, SHOWN)}
      loadKey={`${orgId}:requests`}
      render={(page) =>
        page.items.length === 0 ? (
          <p class="empty">No requests wait for approval.</p>
        ) : (
          <>
            <p>{page.nextCursor ? `More than ${page.items.length} requests wait for approval.` : `${page.items.length} request${page.items.length === 1 ? "" : "s"} wait${page.items.length === 1 ? "s" : ""} for approval.`}</p>
            <ul class="rows">
              {page.items.map((request) => (
                <li key={request.id}>
                  <strong>{request.email}</strong>
                  <span class="meta">
                    asked by {actorName(request.requestedBy)} · {approvalsText(request)} · expires {formatTime(request.expiresAt)}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )
      }
      link={
        <Link href={orgHref(base, orgId, "requests", { status: "pending" })} navigate={navigate}>
          All pending requests
        </Link>
      }
    />
  );
}

function InvitationsSection({ context, status, title }: { context: OrgContext; status: "pending" | "expired"; title: string }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  return (
    <Section
      id={`overview-${status}`}
      title={title}
      what={`${status} invitations`}
      load={() => api.listInvitations(orgId, status, undefined, SHOWN)}
      loadKey={`${orgId}:${status}`}
      render={(page) =>
        page.items.length === 0 ? (
          <p class="empty">No {status} invitations.</p>
        ) : (
          <>
            <ul class="rows">
              {page.items.map((invitation) => (
                <li key={invitation.id}>
                  <strong>{invitation.email}</strong>
                  <span class="meta">
                    {status === "pending" ? "link expires" : "expired"} {formatTime(invitation.expiresAt)} · {describeDelivery(invitation.delivery)}
                  </span>
                </li>
              ))}
            </ul>
            {page.nextCursor && <p class="meta">The newest {page.items.length} are shown; there are more.</p>}
          </>
        )
      }
      link={
        <Link href={orgHref(base, orgId, "invitations", { status })} navigate={navigate}>
          All {status} invitations
        </Link>
      }
    />
  );
}

function DeliverySection({ context }: { context: OrgContext }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  return (
    <Section
      id="overview-delivery"
      title="Emails that bounced or failed"
      what="invitations"
      load={() => api.listInvitations(orgId, "all", undefined, DELIVERY_SCAN)}
      loadKey={`${orgId}:delivery`}
      render={(page) => {
        // Accepted and revoked invitations need nothing more; pending and expired ones can be resent.
        const troubled = page.items.filter(
          (invitation) => (invitation.status === "pending" || invitation.status === "expired") && DELIVERY_PROBLEMS.has(invitation.delivery?.status ?? ""),
        );
        return (
          <>
            {troubled.length === 0 ? (
              <p class="empty">No invitation email bounced or failed.</p>
            ) : (
              <ul class="rows">
                {troubled.slice(0, SHOWN).map((invitation) => (
                  <li key={invitation.id}>
                    <strong>{invitation.email}</strong>
                    <span class="meta">
                      {invitation.status} · {describeDelivery(invitation.delivery)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {page.nextCursor && <p class="meta">Among the newest {page.items.length} invitations.</p>}
          </>
        );
      }}
      link={
        <Link href={orgHref(base, orgId, "invitations", { status: "all" })} navigate={navigate}>
          All invitations, with their delivery
        </Link>
      }
    />
  );
}

function EndingSection({ context }: { context: OrgContext }) {
  const { api, base, clock, navigate, membership } = context;
  const orgId = membership.orgId;
  return (
    <Section
      id="overview-ending"
      title={`Access ending within ${ENDING_WITHIN_DAYS} days`}
      what="members"
      load={async (): Promise<Result<{ page: MemberPage; endsBefore: string }>> => {
        const now = await clock.now();
        const page = await api.listMembers(orgId, { expiringBefore: daysFrom(now, ENDING_WITHIN_DAYS), limit: SHOWN });
        // The Members filter takes whole days: the day after the 14th, so the list holds everyone shown here.
        return page.ok ? { ...page, data: { page: page.data, endsBefore: daysFrom(now, ENDING_WITHIN_DAYS + 1).slice(0, 10) } } : page;
      }}
      loadKey={`${orgId}:ending`}
      render={({ page, endsBefore }) => (
        <>
          {page.items.length === 0 ? (
            <p class="empty">No member's access ends within {ENDING_WITHIN_DAYS} days.</p>
          ) : (
            <>
              <ul class="rows">
                {page.items.map((member) => (
                  <li key={member.id}>
                    <Link href={memberHref(base, orgId, member.id)} navigate={navigate}>
                      {member.email}
                    </Link>
                    <span class="meta">
                      access ends {formatTime(member.accessEndsAt)}
                      {member.stakeholders.length > 0 ? ` · stakeholders ${member.stakeholders.join(", ")}` : ""}
                    </span>
                  </li>
                ))}
              </ul>
              {page.nextCursor && <p class="meta">The first {page.items.length} are shown; there are more.</p>}
            </>
          )}
          <p class="section-link">
            <Link href={orgHref(base, orgId, "members", { endsBefore })} navigate={navigate}>
              Members whose access ends before {endsBefore}
            </Link>
          </p>
        </>
      )}
    />
  );
}

function AuditSection({ context }: { context: OrgContext }) {
  const { api, base, navigate, membership } = context;
  const orgId = membership.orgId;
  return (
    <Section
      id="overview-audit"
      title="Latest audit events"
      what="audit events"
      load={() => api.listAudit(orgId, { limit: 8 })}
      loadKey={`${orgId}:audit`}
      render={(page) =>
        page.items.length === 0 ? (
          <p class="empty">No audit events yet.</p>
        ) : (
          <ul class="rows">
            {page.items.map((event) => (
              <li key={event.id}>
                <strong>{event.action}</strong>
                <span class="meta">
                  {formatTime(event.at)} · by {event.actor.email ?? `${event.actor.type} ${event.actor.id}`} · {event.target.type} {event.target.id}
                </span>
              </li>
            ))}
          </ul>
        )
      }
      link={
        <Link href={orgHref(base, orgId, "audit")} navigate={navigate}>
          The whole audit trail
        </Link>
      }
    />
  );
}

