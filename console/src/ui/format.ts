/** How the screens write dates, roles and delivery states. */
import type { AuditEvent, Invitation, Member, Project } from "../api/client.js";

/** "2026-12-02 08:51 UTC": the API's times are UTC, and the console says so rather than guess a zone. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return "";
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

export function formatDate(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : "";
}

/** An ISO instant, whole seconds as the API takes them, `days` after `now`. */
export function daysFrom(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function projectNames(projects: readonly Project[] | undefined): Map<string, string> {
  return new Map((projects ?? []).map((project) => [project.id, project.name]));
}

/** "member · Web: analyst, iOS: viewer"; a project the console cannot name shows its id. */
export function describeRoles(invitation: Pick<Invitation, "orgRole" | "projects">, names: Map<string, string>): string {
  const projects = invitation.projects.map((grant) => `${names.get(grant.projectId) ?? grant.projectId}: ${grant.role}`);
  return [invitation.orgRole, projects.join(", ")].filter(Boolean).join(" · ");
}

/** Delivery states that mean the invitee may not have the email. */
export const DELIVERY_PROBLEMS: ReadonlySet<string> = new Set(["failed", "bounced", "complained"]);

/**
 * The latest email's delivery as a label for a table cell or a fact: "Delivered 2026-12-02 08:51 UTC",
 * "Delayed: <why>", "Bounced: <why>". A time is the one SES gave for that state (`since`).
 */
export function deliveryLabel(delivery: Invitation["delivery"]): string {
  if (!delivery) return "Not sent yet";
  const at = delivery.since ? ` ${formatTime(delivery.since)}` : "";
  const why = delivery.error ? `: ${delivery.error}` : "";
  switch (delivery.status) {
    case "sending":
      return `Sending${at}`;
    case "sent":
      return `Sent${at}`;
    case "delivered":
      return `Delivered${at}`;
    case "delayed":
      return `Delayed${why || ": the receiving mail server has not accepted it yet; the email service keeps trying"}`;
    case "failed":
      return `Failed${why || ": the email service did not take it"}`;
    case "bounced":
      return `Bounced${why}`;
    case "complained":
      return `Marked as spam by the recipient${at}`;
    case "unconfirmed":
      return "Unconfirmed: the send was cut short; resend it";
    default:
      // A state newer than this console: said as the API names it.
      return `${delivery.status}${why}`;
  }
}

/** The delivery inside a sentence: "email delivered 2026-12-02 08:51 UTC", "email bounced: <why>". */
export function describeDelivery(delivery: Invitation["delivery"]): string {
  const label = deliveryLabel(delivery);
  return `email ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
}

/** "accessEndsAt: 2027-03-01T00:00:00Z → 2027-04-01T00:00:00Z" for each changed field. */
export function describeChanges(changes: AuditEvent["changes"], projectName: (id: string) => string | undefined = () => undefined): string[] {
  const project = (id: string) => projectName(id) ?? id;
  const show = (value: unknown): string => {
    if (value === null || value === undefined) return "none";
    if (typeof value === "string") return PROJECT_ID.test(value) ? project(value) : value;
    // Project roles are stored as "prj_…:role": named here, as the member page names them.
    if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string" && PROJECT_ROLE.test(item))) {
      return value
        .map((item: string) => {
          const [, id, role] = PROJECT_ROLE.exec(item) ?? [];
          return `${project(id ?? "")}: ${role}`;
        })
        .join(", ");
    }
    return JSON.stringify(value);
  };
  return Object.entries(changes ?? {}).map(([field, pair]) => {
    const [before, after] = pair as unknown[];
    return `${field}: ${show(before)} → ${show(after)}`;
  });
}

const PROJECT_ID = /^prj_[0-9A-Za-z]+$/;
const PROJECT_ROLE = /^(prj_[0-9A-Za-z]+):([a-z_]+)$/;

/** The member's 30-day check-in as its inviter answered it (or not yet): what the member page says. */
export function describeCheckin(checkin: NonNullable<Member["checkin"]>): string {
  const sent = `sent ${formatTime(checkin.sentAt)}`;
  if (checkin.answer === "keep") return `Still needed: the inviter answered ${formatTime(checkin.answeredAt)} (${sent})`;
  if (checkin.answer === "remove") return `Remove access: the inviter answered ${formatTime(checkin.answeredAt)} (${sent})`;
  return `Not answered yet (${sent}; its links work until ${formatTime(checkin.expiresAt)})`;
}
