// Text shown for someone to judge (the audit trail), with every invisible direction control drawn as a visible badge
// naming its code point, so the characters read in the order they are stored (app/lib/direction-controls.ts).
import { useTranslation } from "react-i18next";
import { hasDirectionControl, splitAtDirectionControls } from "~/lib/direction-controls";

export function RevealedText({ text }: { text: string }) {
  const { t } = useTranslation("common");
  // The common case costs one regular-expression test and renders the plain string.
  if (!hasDirectionControl(text)) return <>{text}</>;
  return (
    <>
      {splitAtDirectionControls(text).map((part, index) =>
        "text" in part ? (
          <span key={index}>{part.text}</span>
        ) : (
          <abbr
            key={index}
            title={t("directionControl", { codePoint: part.control })}
            className="mx-0.5 rounded bg-amber-200 px-1 font-mono text-xs text-amber-950 no-underline"
            data-testid="direction-control"
          >
            {part.control}
          </abbr>
        ),
      )}
    </>
  );
}
