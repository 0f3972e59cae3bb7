import { render } from "preact";
import { localAuth } from "./auth/localAuth.js";
import { localClock } from "./time/clock.js";
import { App } from "./ui/App.js";
import "./styles.css";

// The console shares its origin with the API (the local stack, or CloudFront in AWS): no CORS.
const origin = location.origin;
const auth = localAuth({ baseUrl: origin, storage: sessionStorage });
// The local stack's clock, which tests move; OIDC sign-in in AWS will come with the browser's clock.
const clock = localClock({ baseUrl: origin });
const root = document.getElementById("app");
if (root) render(<App auth={auth} clock={clock} base={import.meta.env.BASE_URL} origin={origin} />, root);
