// The console's menu marks the entry of the section a page is in itself (app/components/app-shell.tsx, ADR 082): it
// must mark the same entry NavLink marked (NavLink's own rule, rendered here for every menu entry and URL shape).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { NavLink } from "react-router-dom";
import { StaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { isCurrentSection, NAVIGATION } from "~/components/app-shell";

const PATHS = [
  "/",
  "/accounts",
  "/accounts/",
  "/accounts/3f0c9a8e-1b2c-4d5e-8f90-123456789abc",
  "/accounts/3f0c9a8e-1b2c-4d5e-8f90-123456789abc/reverse",
  "/ACCOUNTS/abc",
  "/accountsx",
  "/incidents",
  "/incidents/INC-1/cases",
  "/alerts/42",
  "/admin/staff",
  "/admin/staff/7",
  "/admin/service-tokens",
  "/admin",
  "/audit/integrity",
  "/notifications/incidents/1",
  "/sign-in",
];

function navLinkMarks(pathname: string, to: string): boolean {
  const html = renderToStaticMarkup(
    createElement(StaticRouter, { location: pathname }, createElement(NavLink, { to, end: to === "/" }, "x")),
  );
  return html.includes('aria-current="page"');
}

describe("the menu's current section", () => {
  it("is the entry NavLink marks, for every entry and URL shape", () => {
    const differences = PATHS.flatMap((pathname) =>
      NAVIGATION.filter(({ to }) => isCurrentSection(pathname, to) !== navLinkMarks(pathname, to)).map(
        ({ to }) => `${pathname} in ${to}`,
      ),
    );
    expect(differences).toEqual([]);
  });

  it("is one entry at most and none outside the menu", () => {
    expect(NAVIGATION.filter(({ to }) => isCurrentSection("/accounts/abc", to)).map(({ to }) => to)).toEqual([
      "/accounts",
    ]);
    expect(NAVIGATION.filter(({ to }) => isCurrentSection("/sign-in", to))).toEqual([]);
  });
});
