import type { ComponentChildren } from "preact";
import type { Api, Membership } from "../api/client.js";
import { mayReview } from "../forms/reviews.js";
import type { Clock } from "../time/clock.js";
import { Link } from "./Link.js";
import { orgHref, type OrgScreen } from "./router.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";

export type Nav = (href: string) => void;

/** What every org screen is given: the API, where it is, and the signed-in user's membership of the org. */
export interface OrgContext {
  api: Api;
  /** "Now" as the API sees it (the local stack's own clock there). */
  clock: Clock;
  base: string;
  navigate: Nav;
  membership: Membership;
  /** The URL's query (the Invitations filter and page live there, so they can be linked to). */
  search: string;
}

const ADMINS = (membership: Membership) => membership.orgRole === "admin";
const EVERYONE = () => true;

const TABS: { screen: OrgScreen; label: string; shown: (membership: Membership) => boolean }[] = [
  { screen: "overview", label: "Overview", shown: EVERYONE },
  { screen: "invite", label: "Invite", shown: ADMINS },
  { screen: "invitations", label: "Invitations", shown: ADMINS },
  // Members see their own invitation requests there and ask for one.
  { screen: "requests", label: "Requests", shown: EVERYONE },
  // Project managers too: the org may ask them to review (reviewsByProjectManagers, which only admins can read).
  { screen: "reviews", label: "Reviews", shown: mayReview },
  { screen: "members", label: "Members", shown: ADMINS },
  { screen: "audit", label: "Audit", shown: ADMINS },
  { screen: "settings", label: "Settings", shown: ADMINS },
];

/**
 * The frame of an org's screens: the membership from GET /me (loaded once per org, kept while
 * moving between its screens), a breadcrumb and the org's navigation.
 */
export function OrgLayout(props: {
  api: Api;
  clock: Clock;
  orgId: string;
  base: string;
  navigate: Nav;
  screen: OrgScreen;
  search: string;
  render: (context: OrgContext) => ComponentChildren;
}) {
  const { api, orgId, base, navigate, screen } = props;
  const [me, reload] = useLoad(() => api.me(), `me:${orgId}`);
  if (me.state === "loading") {
    return (
      <main id="main">
        <ScreenHeading title="Organization" />
        <Loading what="the organization" />
      </main>
    );
  }
  if (me.state === "error") {
    return (
      <main id="main">
        <ScreenHeading title="Organization" />
        <LoadError what="the organization" problem={me.problem} onRetry={reload} />
      </main>
    );
  }
  const membership = me.data.memberships.find((m) => m.orgId === orgId);
  if (!membership) {
    return (
      <main id="main">
        <ScreenHeading title="Organization not found" />
        <p>You are not a member of this organization, or your access to it has ended.</p>
        <p>
          <Link href={base} navigate={navigate}>
            Back to your organizations
          </Link>
        </p>
      </main>
    );
  }
  // The batch form is part of Invite.
  const current = screen === "batch" ? "invite" : screen === "member" || screen === "duplicates" ? "members" : screen === "review" ? "reviews" : screen;
  return (
    <>
      <nav aria-label={membership.orgName} class="org-nav">
        <Link href={base} navigate={navigate}>
          Organizations
        </Link>
        <span class="org-nav-name" aria-hidden="true">
          {membership.orgName}
        </span>
        <ul>
          {TABS.filter((tab) => tab.shown(membership)).map((tab) => (
            <li key={tab.screen}>
              <Link href={orgHref(base, orgId, tab.screen)} navigate={navigate} current={tab.screen === current}>
                {tab.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">{props.render({ api, clock: props.clock, base, navigate, membership, search: props.search })}</main>
    </>
  );
}
