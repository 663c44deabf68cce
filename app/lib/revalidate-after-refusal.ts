// Under single fetch Remix does not run a page's loaders again after its action answers 4xx: nothing changed, so the
// page is taken to be current. On a page that shows what other staff change at the same time, a refusal is often the
// news that it is not (a switch engaged meanwhile, a request another lead has decided): such a page exports this as
// its `shouldRevalidate`, so the person sees the current state beside the refusal (docs/decisions/054-single-fetch.md).
import type { ShouldRevalidateFunction } from "@remix-run/react";

export const revalidateAfterRefusal: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus !== undefined && actionStatus >= 400 && actionStatus < 500 ? true : defaultShouldRevalidate;
