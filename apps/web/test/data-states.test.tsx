import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DataStates } from '../src/console/data-states.tsx';

const list = (
  items: string[] | undefined,
  error?: string,
  { empty }: { empty?: string } = { empty: 'No API key yet.' },
) =>
  render(
    <DataStates items={items} error={error} what="API keys" failed="Could not load the API keys" empty={empty}>
      {(rows) => (
        <ul aria-label="Keys">
          {rows.map((row) => (
            <li key={row}>{row}</li>
          ))}
        </ul>
      )}
    </DataStates>,
  );

describe('DataStates', () => {
  it('loading: says what it is loading, nothing else', () => {
    list(undefined);
    expect(screen.getByRole('status').textContent).toBe('Loading API keys…');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('failed before any answer: says why, and no longer that it is loading', () => {
    list(undefined, 'HTTP 500');
    expect(screen.getByRole('alert').textContent).toBe('Could not load the API keys: HTTP 500');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('empty: says what an empty list means', () => {
    const { container } = list([]);
    expect(container.querySelector('p.empty')?.textContent).toBe('No API key yet.');
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('empty without words of its own: the list itself', () => {
    list([], undefined, {});
    expect(screen.getByRole('list', { name: 'Keys' }).childElementCount).toBe(0);
  });

  it('data: the list', () => {
    list(['Reporting', 'Sync']);
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Reporting', 'Sync']);
  });

  it('a failed refresh: the list kept from before, and why it is not current', () => {
    list(['Reporting'], 'HTTP 503');
    expect(screen.getByRole('alert').textContent).toBe('Could not load the API keys: HTTP 503');
    expect(screen.getByRole('listitem').textContent).toBe('Reporting');
  });
});
