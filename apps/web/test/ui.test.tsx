import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CopyButton, InlineError, Loading, ScopeList, Uri } from '../src/console/ui.tsx';

describe('the console building blocks', () => {
  it('Loading says what is loading, in a live region', () => {
    render(<Loading what="members" />);
    expect(screen.getByRole('status').textContent).toBe('Loading members…');
  });

  it('InlineError is an alert with the message, and nothing without one', () => {
    const { rerender } = render(<InlineError message={undefined} />);
    expect(screen.queryByRole('alert')).toBeNull();
    rerender(<InlineError message="Not saved: HTTP 500" />);
    expect(screen.getByRole('alert').textContent).toBe('Not saved: HTTP 500');
  });

  it('ScopeList marks WRITE scopes and ALL, and says (none) for an empty list', () => {
    const { container, rerender } = render(<ScopeList scopes={['CONTACTS_READ', 'CONTACTS_WRITE', 'ALL']} />);
    const chips = [...container.querySelectorAll('code')].map((c) => [c.textContent, c.className]);
    expect(chips).toEqual([
      ['CONTACTS_READ', 'chip'],
      ['CONTACTS_WRITE', 'chip chip-write'],
      ['ALL', 'chip chip-write'],
    ]);
    rerender(<ScopeList scopes={[]} />);
    expect(container.textContent).toBe('(none)');
  });

  it('Uri keeps the whole URI as its text, breakable only after a slash', () => {
    const { container } = render(<Uri value="http://localhost:3118/callback" />);
    expect(container.textContent).toBe('http://localhost:3118/callback');
    expect([...container.querySelectorAll('code > span')].map((s) => s.textContent)).toEqual([
      'http:/',
      '/',
      'localhost:3118/',
      'callback',
    ]);
  });
});

describe('CopyButton', () => {
  it('copies the text and says so', async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    render(<CopyButton text="ek_secret" label="Copy API key" />);
    await user.click(screen.getByRole('button', { name: 'Copy API key' }));
    expect(writeText).toHaveBeenCalledWith('ek_secret');
    expect(screen.getByRole('status').textContent).toBe('Copied');
  });

  it('explains what to do when the browser refuses the clipboard', async () => {
    const user = userEvent.setup();
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    render(<CopyButton text="ek_secret" label="Copy API key" />);
    await user.click(screen.getByRole('button', { name: 'Copy API key' }));
    expect(screen.getByRole('status').textContent).toBe(
      'The browser refused the clipboard: select the text and copy it',
    );
  });
});
