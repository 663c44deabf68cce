// Where keyboard and screen-reader focus goes when a form submission settles, for every page at once:
//   - the answer shows an invalid field: focus the first one (Conform marks them aria-invalid), or else the form's
//     error summary (role="alert"), so the person hears what to fix and is where they fix it;
//   - otherwise the action succeeded (a redirect, usually with a toast): focus the page's main heading, so the reader
//     starts at the top of the page they landed on. The toast itself is announced by the live region it sits in.
// GET forms (search, filters) and fetchers are not actions a person waits on, and keep focus where it is.
import { useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";

const INVALID = '[aria-invalid="true"]';
const ERROR_SUMMARY = '[role="alert"]';

function focusable(element: HTMLElement): HTMLElement {
  // A heading or a message is not focusable by default; -1 lets a script focus it without adding a tab stop.
  if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
  return element;
}

export function FocusAfterAction() {
  const navigation = useNavigation();
  const submitted = useRef(false);
  useEffect(() => {
    if (navigation.state === "submitting" && navigation.formMethod && navigation.formMethod.toUpperCase() !== "GET") {
      submitted.current = true;
      return;
    }
    if (navigation.state !== "idle" || !submitted.current) return;
    submitted.current = false;
    // A refused action (4xx) settles without reloading the page's data (single fetch), so "idle" arrives in the same
    // render as the answer, before Conform has marked the fields it names invalid: look once that render is done.
    const frame = requestAnimationFrame(() => {
      const main = document.querySelector("main");
      if (!main) return;
      const target =
        main.querySelector<HTMLElement>(INVALID) ??
        main.querySelector<HTMLElement>(ERROR_SUMMARY) ??
        main.querySelector<HTMLElement>("h1");
      if (target) focusable(target).focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [navigation.state, navigation.formMethod]);
  return null;
}
