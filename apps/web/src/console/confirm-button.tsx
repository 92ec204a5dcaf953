import type { ButtonHTMLAttributes, ReactNode } from 'react';

/**
 * A button for a change that cannot be undone (revoke, delete, rotate): it asks `question` with the
 * browser's own confirmation first, and does nothing unless the answer is OK.
 */
export function ConfirmButton({
  question,
  onConfirm,
  className = 'danger small',
  children,
  ...button
}: {
  question: string;
  onConfirm: () => void;
  children: ReactNode;
} & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'onClick' | 'children'>) {
  return (
    <button
      type="button"
      className={className}
      {...button}
      onClick={() => {
        if (window.confirm(question)) onConfirm();
      }}
    >
      {children}
    </button>
  );
}
