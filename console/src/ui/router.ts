/**
 * The console's few routes, under the base Vite builds for (`/console/`). The local stack (and
 * CloudFront later) answer index.html for any path without a dot, so deep links load the app.
 */
export type Route = { name: "orgs" } | { name: "org"; orgId: string } | { name: "notFound"; path: string };

export function parseRoute(pathname: string, base: string): Route {
  const rest = pathname.startsWith(base) ? pathname.slice(base.length) : pathname.replace(/^\/+/, "");
  const parts = rest.split("/").filter((part) => part !== "");
  if (parts.length === 0) return { name: "orgs" };
  if (parts.length === 2 && parts[0] === "orgs" && parts[1]) return { name: "org", orgId: decodeURIComponent(parts[1]) };
  return { name: "notFound", path: pathname };
}

export function hrefFor(route: Route, base: string): string {
  switch (route.name) {
    case "orgs":
      return base;
    case "org":
      return `${base}orgs/${encodeURIComponent(route.orgId)}`;
    case "notFound":
      return route.path;
  }
}
