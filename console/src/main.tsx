import { render } from "preact";
import { localAuth } from "./auth/localAuth.js";
import { App } from "./ui/App.js";
import "./styles.css";

// The console shares its origin with the API (the local stack, or CloudFront in AWS): no CORS.
const origin = location.origin;
const auth = localAuth({ baseUrl: origin, storage: sessionStorage });
const root = document.getElementById("app");
if (root) render(<App auth={auth} base={import.meta.env.BASE_URL} origin={origin} />, root);
