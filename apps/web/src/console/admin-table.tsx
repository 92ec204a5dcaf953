import type { HTMLAttributes, ReactNode, TdHTMLAttributes } from 'react';

type CellProps = TdHTMLAttributes<HTMLTableCellElement> & { 'data-testid'?: string };
type RowProps = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** The cell's class (`nowrap`, `client-cell`…). */
  className?: string;
  /** Attributes that depend on the row: a title, a test id. */
  props?: (row: T) => CellProps;
}

/**
 * The console's tables (members, API keys, clients, connections, attempts): a labelled table in a
 * scrolling wrapper, one header per column, one row per item, and, when `actions` is given (an
 * admin's view), a last "Actions" column with the row's buttons. A member's view has no such column.
 */
export function AdminTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowProps,
  actions,
}: {
  /** The table's accessible name. */
  label: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowProps?: (row: T) => RowProps;
  actions?: ((row: T) => ReactNode) | undefined;
}) {
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
            {actions && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((column) => (
                <td key={column.header} className={column.className} {...column.props?.(row)}>
                  {column.cell(row)}
                </td>
              ))}
              {actions && <td>{actions(row)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
