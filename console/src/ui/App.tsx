import type { ComponentChildren } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { createApi } from "../api/client.js";
import type { Auth } from "../auth/auth.js";
import type { Clock } from "../time/clock.js";
import { Link } from "./Link.js";
import { Invitations } from "./Invitations.js";
import { Invite } from "./Invite.js";
import { Audit } from "./Audit.js";
import { MemberPage } from "./MemberPage.js";
import { Duplicates, Members } from "./Members.js";
import { OrgLayout } from "./OrgLayout.js";
import { Orgs } from "./Orgs.js";
import { Overview } from "./Overview.js";
import { Requests } from "./Requests.js";
import { ReviewPage, Reviews } from "./Reviews.js";
import { parseRoute } from "./router.js";
import { ScreenHeading } from "./ScreenHeading.js";
import { Settings } from "./Settings.js";
import { SignIn } from "./SignIn.js";

export function App({
  auth,
  clock,
  base,
  origin,
  initialNotice = null,
}: {
  auth: Auth;
  clock: Clock;
  base: string;
  origin: string;
  /** Shown on the sign-in screen at start, e.g. why an OpenID Connect sign-in did not complete. */
  initialNotice?: string | null;
}) {
  const [signedIn, setSignedIn] = useState(auth.token() !== null);
  const [notice, setNotice] = useState<string | null>(initialNotice);
  const [path, setPath] = useState(location.pathname);
  const [search, setSearch] = useState(location.search);

  useEffect(() => {
    const onPop = () => {
      setPath(location.pathname);
      setSearch(location.search);
    };
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);

  const api = useMemo(
    () =>
      createApi({
        baseUrl: origin,
        token: () => auth.token(),
        onUnauthenticated: () => {
          auth.signOut();
          setNotice("Your sign-in has ended. Sign in again.");
          setSignedIn(false);
        },
      }),
    [auth, origin],
  );

  const navigate = (href: string) => {
    history.pushState(null, "", href);
    const url = new URL(href, location.href);
    setPath(url.pathname);
    setSearch(url.search);
  };

  if (!signedIn) {
    return (
      <Shell email={null} onSignOut={null} base={base} navigate={navigate}>
        <SignIn
          auth={auth}
          notice={notice}
          onSignedIn={() => {
            setNotice(null);
            setSignedIn(true);
          }}
        />
      </Shell>
    );
  }

  const route = parseRoute(path, base);
  const signOut = () => {
    auth.signOut();
    setNotice("You have signed out.");
    setSignedIn(false);
  };
  return (
    <Shell email={auth.email()} onSignOut={signOut} base={base} navigate={navigate}>
      {route.name === "orgs" && <Orgs api={api} base={base} navigate={navigate} />}
      {route.name === "org" && (
        <OrgLayout
          key={route.orgId}
          api={api}
          clock={clock}
          orgId={route.orgId}
          base={base}
          navigate={navigate}
          screen={route.screen}
          search={search}
          render={(context) => {
            switch (route.screen) {
              case "overview":
                return <Overview {...context} />;
              case "invite":
              case "batch":
                return <Invite key={route.screen} context={context} batch={route.screen === "batch"} />;
              case "invitations":
                return <Invitations {...context} />;
              case "requests":
                return <Requests {...context} />;
              case "reviews":
                return <Reviews {...context} />;
              case "review":
                return <ReviewPage key={route.reviewId} context={context} reviewId={route.reviewId ?? ""} />;
              case "members":
                return <Members {...context} />;
              case "duplicates":
                return <Duplicates {...context} />;
              case "member":
                return <MemberPage key={route.memberId} context={context} memberId={route.memberId ?? ""} />;
              case "audit":
                return <Audit {...context} />;
              case "settings":
                return <Settings {...context} />;
            }
          }}
        />
      )}
      {route.name === "notFound" && (
        <main id="main">
          <ScreenHeading title="Page not found" />
          <p>The console has no page at {route.path}.</p>
          <p>
            <Link href={base} navigate={navigate}>
              Go to your organizations
            </Link>
          </p>
        </main>
      )}
    </Shell>
  );
}

function Shell({
  email,
  onSignOut,
  base,
  navigate,
  children,
}: {
  email: string | null;
  onSignOut: (() => void) | null;
  base: string;
  navigate: (href: string) => void;
  children: ComponentChildren;
}) {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">
          <Link href={base} navigate={navigate}>
            Tenure console
          </Link>
        </span>
        {email && onSignOut && (
          <span class="who">
            Signed in as <strong>{email}</strong>
            <button type="button" class="link-button" onClick={onSignOut}>
              Sign out
            </button>
          </span>
        )}
      </header>
      {children}
    </>
  );
}
