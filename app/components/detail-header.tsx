// The top of a page about one thing (a request, a job): where it sits, what it is with its status, and the answer to
// the last action on it when that was refused.
import type { ReactNode } from "react";

export function DetailHeader({
  context,
  title,
  error,
}: {
  /** The line above the title: the link back and what the thing belongs to. */
  context: ReactNode;
  title: ReactNode;
  error?: string | null;
}) {
  return (
    <>
      <div>
        <p className="text-sm text-slate-500">{context}</p>
        <h1 className="text-2xl font-bold">{title}</h1>
      </div>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </>
  );
}
