import { render } from "preact";
import { createApi, type SignInConfig } from "./api/client.js";
import type { Auth } from "./auth/auth.js";
import { localAuth } from "./auth/localAuth.js";
import { browserClock, localClock, type Clock } from "./time/clock.js";
import { App } from "./ui/App.js";
import { Starting, StartFailed } from "./ui/Start.js";
import "./styles.css";

// The console shares its origin with the API (the local stack, or CloudFront in AWS): no CORS.
const origin = location.origin;
const base = import.meta.env.BASE_URL;
const root = document.getElementById("app");

/** Reads how to sign in (GET /console-config: nothing of a deployment is in the build), then shows the console. */
async function start(into: HTMLElement) {
  render(<Starting />, into);
  const config = await createApi({ baseUrl: origin, token: () => null }).consoleConfig();
  if (!config.ok) {
    render(<StartFailed problem={config.problem} onRetry={() => void start(into)} />, into);
    return;
  }
  const signIn: SignInConfig = config.data.signIn;
  let auth: Auth;
  let clock: Clock;
  let notice: string | null = null;
  if (signIn.type === "oidc") {
    // Loaded only when needed: the local stack's console never fetches the OIDC library.
    const { oidcAuth, userManager } = await import("./auth/oidcAuth.js");
    const manager = userManager({ issuer: signIn.issuer, clientId: signIn.clientId, scopes: signIn.scopes, redirectUri: `${origin}${base}`, storage: sessionStorage });
    const oidc = await oidcAuth(manager, { base, issuer: signIn.issuer, currentPath: () => location.pathname + location.search });
    if (oidc.isCallback(location.href)) {
      const done = await oidc.completeSignIn(location.href);
      // The code and state leave the address bar (and the history) either way.
      history.replaceState(null, "", done.ok ? done.data : base);
      if (!done.ok) notice = done.problem.detail;
    }
    auth = oidc;
    // In AWS the API's time is the real time.
    clock = browserClock;
  } else {
    auth = localAuth({ baseUrl: origin, storage: sessionStorage });
    // The local stack's clock, which tests move.
    clock = localClock({ baseUrl: origin });
  }
  render(<App auth={auth} clock={clock} base={base} origin={origin} initialNotice={notice} />, into);
}

if (root) void start(root);
