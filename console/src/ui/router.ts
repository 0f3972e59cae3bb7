/**
 * The console's few routes, under the base Vite builds for (`/console/`). The local stack (and
 * CloudFront later) answer index.html for any path without a dot, so deep links load the app.
 */
export type OrgScreen = "overview" | "invite" | "batch" | "invitations";
export type Route = { name: "orgs" } | { name: "org"; orgId: string; screen: OrgScreen } | { name: "notFound"; path: string };

const SCREEN_PATHS: Record<OrgScreen, string> = { overview: "", invite: "/invite", batch: "/invite/batch", invitations: "/invitations" };

export function parseRoute(pathname: string, base: string): Route {
  const rest = pathname.startsWith(base) ? pathname.slice(base.length) : pathname.replace(/^\/+/, "");
  const parts = rest.split("/").filter((part) => part !== "");
  if (parts.length === 0) return { name: "orgs" };
  if (parts[0] === "orgs" && parts[1]) {
    const tail = parts.length > 2 ? `/${parts.slice(2).join("/")}` : "";
    const screen = (Object.keys(SCREEN_PATHS) as OrgScreen[]).find((name) => SCREEN_PATHS[name] === tail);
    if (screen) return { name: "org", orgId: decodeURIComponent(parts[1]), screen };
  }
  return { name: "notFound", path: pathname };
}

export function hrefFor(route: Route, base: string): string {
  switch (route.name) {
    case "orgs":
      return base;
    case "org":
      return `${base}orgs/${encodeURIComponent(route.orgId)}${SCREEN_PATHS[route.screen]}`;
    case "notFound":
      return route.path;
  }
}

/** A link to an org screen, with an optional query (the Invitations status filter). */
export function orgHref(base: string, orgId: string, screen: OrgScreen, query?: Record<string, string>): string {
  const search = query ? new URLSearchParams(query).toString() : "";
  return hrefFor({ name: "org", orgId, screen }, base) + (search ? `?${search}` : "");
}
