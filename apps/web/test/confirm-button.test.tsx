import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmButton } from '../src/console/confirm-button.tsx';
import { answerConfirmations } from './support/render-in-console.tsx';

describe('ConfirmButton', () => {
  it('asks its question and acts only on OK', async () => {
    const user = userEvent.setup();
    const confirm = answerConfirmations(false, true);
    const onConfirm = vi.fn();
    render(
      <ConfirmButton question="Delete CI client? Its connections end at once." onConfirm={onConfirm}>
        Delete
      </ConfirmButton>,
    );
    const button = screen.getByRole('button', { name: 'Delete' });
    await user.click(button);
    expect(confirm).toHaveBeenLastCalledWith('Delete CI client? Its connections end at once.');
    expect(onConfirm).not.toHaveBeenCalled();
    await user.click(button);
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('looks destructive unless told otherwise, and passes its name and state to the button', () => {
    render(
      <>
        <ConfirmButton question="?" onConfirm={() => {}} aria-label="Revoke Reporting" disabled>
          Revoke
        </ConfirmButton>
        <ConfirmButton question="?" onConfirm={() => {}} className="secondary small">
          Rotate secret
        </ConfirmButton>
      </>,
    );
    const revoke = screen.getByRole('button', { name: 'Revoke Reporting' }) as HTMLButtonElement;
    expect([revoke.className, revoke.disabled, revoke.type]).toEqual(['danger small', true, 'button']);
    expect(screen.getByRole('button', { name: 'Rotate secret' }).className).toBe('secondary small');
  });

  it('a disabled button asks nothing', async () => {
    const user = userEvent.setup();
    const confirm = answerConfirmations(true);
    const onConfirm = vi.fn();
    render(
      <ConfirmButton question="?" onConfirm={onConfirm} disabled>
        Revoke
      </ConfirmButton>,
    );
    await user.click(screen.getByRole('button', { name: 'Revoke' }));
    expect(confirm).not.toHaveBeenCalled();
    expect(onConfirm).not.toHaveBeenCalled();
  });
});
