import { act, render, renderHook, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useAction } from '../src/console/use-action.tsx';

const shown = (report: ReturnType<typeof useAction>['report']) => {
  const view = render(<div>{report}</div>);
  const text = [screen.getByRole('status').textContent, screen.queryByRole('alert')?.textContent];
  view.unmount();
  return text;
};

describe('useAction', () => {
  it('says what it is doing, is busy meanwhile, then says what was done and reloads', async () => {
    const { result } = renderHook(() => useAction());
    let finish: (text: string) => void = () => {};
    const after = vi.fn(async () => {});
    let running: Promise<void> = Promise.resolve();
    act(() => {
      running = result.current.run('Revoking…', () => new Promise<string>((resolve) => (finish = resolve)), { after });
    });
    expect(result.current.busy).toBe(true);
    expect(shown(result.current.report)).toEqual(['Revoking…', undefined]);
    await act(async () => {
      finish('API key Reporting revoked');
      await running;
    });
    expect(result.current.busy).toBe(false);
    expect(shown(result.current.report)).toEqual(['API key Reporting revoked', undefined]);
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('a failure says why in an alert, in its own words, and reloads nothing', async () => {
    const { result } = renderHook(() => useAction());
    const after = vi.fn(async () => {});
    await act(() =>
      result.current.run(
        'Revoking…',
        async () => {
          throw new Error('Connection not found');
        },
        { failed: (reason) => `Not revoked: ${reason}`, after },
      ),
    );
    expect(shown(result.current.report)).toEqual(['', 'Not revoked: Connection not found']);
    expect(result.current.busy).toBe(false);
    expect(after).not.toHaveBeenCalled();
  });

  it('fail says why without trying; clear forgets it', () => {
    const { result } = renderHook(() => useAction());
    act(() => result.current.fail('Choose at least one scope.'));
    expect(shown(result.current.report)).toEqual(['', 'Choose at least one scope.']);
    act(() => result.current.clear());
    expect(shown(result.current.report)).toEqual(['', undefined]);
  });
});
