import { useId } from 'react';
import { FieldError } from './FieldError';

type Props = {
  label: string;
  /** The API's name for the field: server field errors and focus find it by this. */
  field: string;
  value: string;
  options: { value: string; label: string }[];
  /** Said under the field (a brand style's description). */
  hint?: string;
  error?: string;
  onChange: (value: string) => void;
};

/** A labelled menu with its hint and error beside it, both read out with the field. */
export function SelectField({ label, field, value, options, hint, error, onChange }: Props) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-field={field}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
