import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AdminTable, type Column } from '../src/console/admin-table.tsx';

type Key = { id: string; name: string; used: string };
const KEYS: Key[] = [
  { id: 'k1', name: 'Reporting', used: 'never' },
  { id: 'k2', name: 'Sync', used: 'today' },
];
const COLUMNS: Column<Key>[] = [
  { header: 'Name', cell: (k) => <strong>{k.name}</strong> },
  { header: 'Last used', className: 'nowrap', cell: (k) => k.used, props: (k) => ({ title: `used ${k.used}` }) },
];

describe('AdminTable', () => {
  it('is a table named by its label, one header per column and one row per item', () => {
    render(<AdminTable label="API keys" columns={COLUMNS} rows={KEYS} rowKey={(k) => k.id} />);
    const table = screen.getByRole('table', { name: 'API keys' });
    expect(table.parentElement?.className).toBe('table-wrap');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Name', 'Last used']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((td) => td.textContent),
      ),
    ).toEqual([
      ['Reporting', 'never'],
      ['Sync', 'today'],
    ]);
  });

  it("gives a cell its class and the row's own attributes", () => {
    render(
      <AdminTable
        label="API keys"
        columns={COLUMNS}
        rows={KEYS}
        rowKey={(k) => k.id}
        rowProps={(k) => ({ 'data-testid': `key-${k.id}` })}
      />,
    );
    const cell = within(screen.getByTestId('key-k2')).getByText('today');
    expect(cell.className).toBe('nowrap');
    expect(cell.getAttribute('title')).toBe('used today');
  });

  it("adds an Actions column with each row's buttons when given them (an admin), and none without", () => {
    const { rerender } = render(
      <AdminTable
        label="API keys"
        columns={COLUMNS}
        rows={KEYS}
        rowKey={(k) => k.id}
        actions={(k) => <button type="button">Revoke {k.name}</button>}
      />,
    );
    expect(screen.getAllByRole('columnheader').at(-1)?.textContent).toBe('Actions');
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Revoke Reporting', 'Revoke Sync']);
    rerender(<AdminTable label="API keys" columns={COLUMNS} rows={KEYS} rowKey={(k) => k.id} actions={undefined} />);
    expect(screen.queryByRole('columnheader', { name: 'Actions' })).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
