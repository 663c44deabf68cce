// A role has one Japanese name everywhere (docs/glossary.md): the badge in the header says セキュリティ責任者, so the
// copy that tells a member to hand over to, or wait for, another one says so too, not リーダー.
import { describe, expect, it } from "vitest";
import { ja, NAMESPACES } from "~/i18n/resources";
import { labelAt, leafKeys } from "../support/translation-keys";

describe("the security lead's Japanese name", () => {
  it("is the glossary's in every Japanese message", () => {
    const other = NAMESPACES.flatMap((namespace) =>
      leafKeys(ja[namespace])
        .filter((key) => labelAt(ja[namespace], key).includes("リーダー"))
        .map((key) => `${namespace}:${key}`),
    );
    expect(other).toEqual([]);
  });
});
