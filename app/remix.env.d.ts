/// <reference types="@remix-run/dev" />

// Single fetch is on (remix.config.js): loader and action data keep their types (a Date stays a Date), and a
// `data()` return is unwrapped, so `useLoaderData<typeof loader>` infers what the page really receives.
import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
