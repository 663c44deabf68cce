// "What would the wallet back end do with a top-up right now?" — the result of running its own admission check per
// channel (app/wallet/probe.server.ts) when this page was loaded.
import { CHANNEL_LABELS } from "~/killswitch/switch-keys";
import { formatJst } from "~/lib/format";
import type { Admission } from "~/killswitch/ui/types";

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function AdmissionPanel({ admissions, checkedAt }: { admissions: Admission[]; checkedAt: string }) {
  return (
    <section className="card space-y-2" aria-labelledby="admission-title" data-testid="admission-panel">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="admission-title" className="font-semibold">
          Wallet back end, checked {formatJst(checkedAt)}
        </h2>
        <a className="text-sm underline" href="/kill-switches">
          Check again
        </a>
      </div>
      <p className="text-sm text-slate-600">
        The same switch check a customer&apos;s top-up runs, inside its own database transaction. No money moves.
      </p>
      <ul className="grid gap-2 sm:grid-cols-3">
        {admissions.map((admission) => (
          <li
            key={admission.channel}
            data-testid={`admission-${admission.channel}`}
            className={`rounded-md px-3 py-2 text-sm ring-1 ${
              admission.admitted
                ? "bg-emerald-50 text-emerald-900 ring-emerald-200"
                : "bg-red-50 text-red-900 ring-red-200"
            }`}
          >
            <span className="font-semibold">{sentenceCase(CHANNEL_LABELS[admission.channel])} top-up:</span>{" "}
            {admission.admitted ? "accepted" : `refused (${admission.code})`}
            {admission.message ? <span className="block text-xs">{admission.message}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
