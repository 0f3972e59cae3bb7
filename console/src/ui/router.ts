/**
 * The console's few routes, under the base Vite builds for (`/console/`). The local stack (and
 * CloudFront later) answer index.html for any path without a dot, so deep links load the app.
 */
export type OrgScreen =
  | "overview"
  | "invite"
  | "batch"
  | "invitations"
  | "requests"
  | "reviews"
  | "review"
  | "members"
  | "duplicates"
  | "member"
  | "audit"
  | "settings";
export type Route =
  | { name: "orgs" }
  | { name: "org"; orgId: string; screen: OrgScreen; memberId?: string; reviewId?: string }
  | { name: "notFound"; path: string };

const SCREEN_PATHS: Record<Exclude<OrgScreen, "member" | "review">, string> = {
  overview: "",
  invite: "/invite",
  batch: "/invite/batch",
  invitations: "/invitations",
  requests: "/requests",
  reviews: "/reviews",
  members: "/members",
  duplicates: "/members/duplicates",
  audit: "/audit",
  settings: "/settings",
};
const SCREENS = Object.keys(SCREEN_PATHS) as Exclude<OrgScreen, "member" | "review">[];

export function parseRoute(pathname: string, base: string): Route {
  const rest = pathname.startsWith(base) ? pathname.slice(base.length) : pathname.replace(/^\/+/, "");
  const parts = rest.split("/").filter((part) => part !== "");
  if (parts.length === 0) return { name: "orgs" };
  if (parts[0] === "orgs" && parts[1]) {
    const tail = parts.length > 2 ? `/${parts.slice(2).join("/")}` : "";
    const screen = SCREENS.find((name) => SCREEN_PATHS[name] === tail);
    if (screen) return { name: "org", orgId: decodeURIComponent(parts[1]), screen };
    // A member's page: /orgs/{orgId}/members/mem_…
    if (parts.length === 4 && parts[2] === "members" && parts[3]?.startsWith("mem_")) {
      return { name: "org", orgId: decodeURIComponent(parts[1]), screen: "member", memberId: decodeURIComponent(parts[3]) };
    }
    // An access review: /orgs/{orgId}/reviews/rev_… (the emails about a review link here).
    if (parts.length === 4 && parts[2] === "reviews" && parts[3]?.startsWith("rev_")) {
      return { name: "org", orgId: decodeURIComponent(parts[1]), screen: "review", reviewId: decodeURIComponent(parts[3]) };
    }
  }
  return { name: "notFound", path: pathname };
}

export function hrefFor(route: Route, base: string): string {
  switch (route.name) {
    case "orgs":
      return base;
    case "org":
      return `${base}orgs/${encodeURIComponent(route.orgId)}${
        route.screen === "member"
          ? `/members/${encodeURIComponent(route.memberId ?? "")}`
          : route.screen === "review"
            ? `/reviews/${encodeURIComponent(route.reviewId ?? "")}`
            : SCREEN_PATHS[route.screen]
      }`;
    case "notFound":
      return route.path;
  }
}

/** A link to an org screen, with an optional query (the Invitations and Requests status filters). */
export function orgHref(base: string, orgId: string, screen: OrgScreen, query?: Record<string, string>): string {
  const search = query ? new URLSearchParams(query).toString() : "";
  return hrefFor({ name: "org", orgId, screen }, base) + (search ? `?${search}` : "");
}

export function memberHref(base: string, orgId: string, memberId: string): string {
  return hrefFor({ name: "org", orgId, screen: "member", memberId }, base);
}

export function reviewHref(base: string, orgId: string, reviewId: string): string {
  return hrefFor({ name: "org", orgId, screen: "review", reviewId }, base);
}
