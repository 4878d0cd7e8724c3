import type { ReactNode, SyntheticEvent } from 'react';

type Props = {
  onSubmit: (event: SyntheticEvent) => void;
  disabled?: boolean;
  primary?: boolean;
  children: ReactNode;
};

/**
 * A form's submit button that does the submitting itself. Figma's panel is a sandboxed iframe, and
 * where a sandbox lacks `allow-forms` the browser drops form submission before any submit event; a
 * click (which Enter in a field also makes on this button) still arrives, so the work is done there
 * and the native submission is cancelled.
 */
export function SubmitButton({ onSubmit, disabled, primary, children }: Props) {
  return (
    <button
      type="submit"
      className={`button${primary ? ' button--primary' : ''}`}
      disabled={disabled}
      onClick={(event) => {
        event.preventDefault();
        onSubmit(event);
      }}
    >
      {children}
    </button>
  );
}
