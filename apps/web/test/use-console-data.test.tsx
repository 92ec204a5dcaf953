import { MemberList } from '@enginy/contracts/console';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ConsoleProvider, consoleContext } from '../src/console/console-context.tsx';
import { useConsoleData } from '../src/console/use-console-data.ts';
import { answer, fakeAuthApi, refusal } from './support/fake-auth-api.ts';
import { ADMIN_MEMBER, ADMIN_SESSION, PLAIN_MEMBER, WORKSPACE } from './support/fixtures.ts';

const signedOut = vi.fn();
const context = consoleContext(ADMIN_SESSION, WORKSPACE, signedOut);
const wrapper = ({ children }: { children: ReactNode }) => (
  <ConsoleProvider value={context}>{children}</ConsoleProvider>
);
const ONE = answer(MemberList, { members: [ADMIN_MEMBER] });
const TWO = answer(MemberList, { members: [ADMIN_MEMBER, PLAIN_MEMBER] });
const count = (data: { members: unknown[] } | undefined) => data?.members.length;

describe('useConsoleData', () => {
  it("reads the path under the console's workspace", async () => {
    const fake = fakeAuthApi({ 'GET /members': ONE });
    const { result } = renderHook(() => useConsoleData<{ members: unknown[] }>('/members'), { wrapper });
    expect(result.current.data).toBeUndefined();
    await waitFor(() => expect(count(result.current.data)).toBe(1));
    expect(fake.requests.map((r) => r.path)).toEqual(['/members']);
  });

  it('reads again every interval while shown, and stops when no longer shown', async () => {
    const fake = fakeAuthApi({ 'GET /members': [ONE, TWO] });
    const { result, unmount } = renderHook(() => useConsoleData<{ members: unknown[] }>('/members', 20), { wrapper });
    await waitFor(() => expect(count(result.current.data)).toBe(2));
    unmount();
    const asked = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(fake.requests.length).toBe(asked);
  });

  it('a failed refresh keeps the last answer and reports why; reload reads at once', async () => {
    fakeAuthApi({ 'GET /members': [ONE, refusal(503, 'error', 'HTTP 503'), TWO] });
    const { result } = renderHook(() => useConsoleData<{ members: unknown[] }>('/members'), { wrapper });
    await waitFor(() => expect(count(result.current.data)).toBe(1));
    await act(() => result.current.reload());
    expect([count(result.current.data), result.current.error]).toEqual([1, 'HTTP 503']);
    await act(() => result.current.reload());
    expect([count(result.current.data), result.current.error]).toEqual([2, undefined]);
  });

  it('another path (a new filter) starts over at loading, never showing the old answer', async () => {
    fakeAuthApi({
      'GET /attempts?outcome=denied': answer(MemberList, { members: [] }),
      'GET /attempts': ONE,
    });
    const { result, rerender } = renderHook(({ path }) => useConsoleData<{ members: unknown[] }>(path), {
      wrapper,
      initialProps: { path: '/attempts' },
    });
    await waitFor(() => expect(count(result.current.data)).toBe(1));
    rerender({ path: '/attempts?outcome=denied' });
    expect(result.current.data).toBeUndefined();
    await waitFor(() => expect(count(result.current.data)).toBe(0));
  });

  it('an ended session sends the console back to sign-in', async () => {
    fakeAuthApi({ 'GET /members': refusal(401, 'not_signed_in', 'Sign in first') });
    const { result } = renderHook(() => useConsoleData('/members'), { wrapper });
    await waitFor(() => expect(result.current.error).toBe('Sign in first'));
    expect(signedOut).toHaveBeenCalled();
  });
});
