// Which payment services have applied this switch's current version, and when (reported through the service API).
import { formatJst } from "~/lib/format";
import type { BoardSwitch } from "~/killswitch/ui/types";

function secondsAfter(from: string | null, to: string | null): string | null {
  if (!from || !to) return null;
  const seconds = (new Date(to).getTime() - new Date(from).getTime()) / 1000;
  return seconds >= 0 ? `${seconds.toFixed(1)} s after the change` : null;
}

export function ServicePickup({ item }: { item: BoardSwitch }) {
  if (item.services.length === 0) {
    return <p className="text-xs text-slate-500">No payment service is registered for the switch API yet.</p>;
  }
  return (
    <>
      {item.lagging.length > 0 ? <LaggingAlert item={item} /> : null}
      <ServiceTable item={item} />
    </>
  );
}

/** Services still on an older version well after the change may still be doing what the switch stops: say so loudly. */
function LaggingAlert({ item }: { item: BoardSwitch }) {
  const count = item.lagging.length;
  return (
    <div
      role="alert"
      data-testid={`lagging-${item.key}`}
      className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900"
    >
      <p className="font-semibold">
        {count === 1 ? "1 service instance has" : `${count} service instances have`} not applied version {item.version},
        in force since {formatJst(item.changedAt)}.
      </p>
      <p className="mt-1">
        {item.lagging.map((l) => `${l.serviceName}/${l.instance} (still on v${l.appliedVersion})`).join(", ")}. Until
        they do, they may still {item.engaged ? "let through what this switch stops" : "refuse what this switch allows"}
        : check them with their owners.
      </p>
    </div>
  );
}

function ServiceTable({ item }: { item: BoardSwitch }) {
  return (
    <details className="text-sm" data-testid={`services-${item.key}`} open={item.lagging.length > 0}>
      <summary className="cursor-pointer text-slate-700">
        Picked up by <strong>{item.servicesUpToDate}</strong> of {item.services.length} services (version {item.version}
        )
      </summary>
      <table className="mt-2 min-w-full text-left text-xs">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-3">Service</th>
            <th className="py-1 pr-3">Instance</th>
            <th className="py-1 pr-3">Applied</th>
            <th className="py-1 pr-3">Picked up</th>
            <th className="py-1">Last report</th>
          </tr>
        </thead>
        <tbody>
          {item.services.flatMap((service) =>
            service.instances.length === 0
              ? [
                  <tr key={service.serviceName} className="text-amber-800">
                    <td className="py-1 pr-3 font-medium">{service.serviceName}</td>
                    <td className="py-1 pr-3" colSpan={4}>
                      has not reported any version yet
                    </td>
                  </tr>,
                ]
              : service.instances.map((instance) => (
                  <tr
                    key={`${service.serviceName}/${instance.instance}`}
                    data-testid={`ack-${item.key}-${service.serviceName}-${instance.instance}`}
                    className={
                      instance.silent ? "text-slate-400" : instance.current ? "text-emerald-800" : "text-amber-800"
                    }
                  >
                    <td className="py-1 pr-3 font-medium">{service.serviceName}</td>
                    <td className="py-1 pr-3">{instance.instance}</td>
                    <td className="py-1 pr-3">
                      v{instance.appliedVersion} {instance.current ? "✓ current" : `behind (current v${item.version})`}
                    </td>
                    <td className="py-1 pr-3">
                      {formatJst(instance.appliedAt)}
                      {instance.current ? ` · ${secondsAfter(item.changedAt, instance.appliedAt) ?? ""}` : ""}
                    </td>
                    <td className="py-1">
                      {formatJst(instance.reportedAt)}
                      {instance.silent ? " · silent" : ""}
                    </td>
                  </tr>
                )),
          )}
        </tbody>
      </table>
    </details>
  );
}
