import type { ReactNode } from 'react';

/**
 * A labelled table with one row of column headings (an empty one heads a column of
 * buttons); the rows are the caller's, and so is an optional footer (a totals row, say).
 * The label is how the e2e specs find each table.
 */
export function DataTable({
  label,
  columns,
  children,
  footer,
}: {
  label: string;
  columns: readonly string[];
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th key={i}>{column}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
      {footer !== undefined && <tfoot>{footer}</tfoot>}
    </table>
  );
}
