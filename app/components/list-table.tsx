// A page's list in a card: one sentence when there is nothing to show, else a table with a heading per column. The
// rows stay with the page, since each list's cells are its own.
import type { ReactNode } from "react";

export interface ListColumn {
  /** null: a column without a heading (the row's buttons or links). */
  label: ReactNode;
  /** Figures, aligned right. */
  numeric?: boolean;
}

export function ListTable({
  columns,
  isEmpty,
  emptyText,
  emptyTestId,
  testId,
  className = "card",
  children,
}: {
  columns: ListColumn[];
  isEmpty: boolean;
  emptyText: string;
  emptyTestId?: string;
  testId?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section className={className}>
      {isEmpty ? (
        <p className="text-sm text-slate-600" data-testid={emptyTestId}>
          {emptyText}
        </p>
      ) : (
        <table className="min-w-full text-sm" data-testid={testId}>
          <thead className="text-left text-slate-500">
            <tr>
              {columns.map((column, i) =>
                column.label === null ? (
                  <th key={i} className="py-1" />
                ) : (
                  <th key={i} className={`py-1 pr-4 ${column.numeric ? "text-right " : ""}font-medium`}>
                    {column.label}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">{children}</tbody>
        </table>
      )}
    </section>
  );
}
