import { useId } from 'react';
import type { AspectRatio } from '../api/client';
import { ASPECT_RATIOS } from '../lib/aspect-ratio';
import { FieldError } from './FieldError';

type Props = {
  value: AspectRatio;
  /** The value follows the selected layer's shape (nothing chosen by hand yet). */
  fromSelection: boolean;
  error: string | undefined;
  onChange: (value: AspectRatio) => void;
};

/** The API's presets as radio buttons, each with a small drawing of its shape. */
export function AspectRatioField({ value, fromSelection, error, onChange }: Props) {
  const id = useId();
  const describedBy = [fromSelection ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <span id={`${id}-label`} className="label">
        Aspect ratio
      </span>
      <div role="radiogroup" aria-labelledby={`${id}-label`} aria-describedby={describedBy || undefined} className="ratios">
        {ASPECT_RATIOS.map((r) => (
          <label key={r.value} className="ratio" title={r.label}>
            <input
              type="radio"
              name={`${id}-ratio`}
              value={r.value}
              data-field={r.value === value ? 'aspect_ratio' : undefined}
              checked={value === r.value}
              onChange={() => onChange(r.value)}
            />
            <span
              aria-hidden="true"
              className="shape"
              style={{ aspectRatio: `${r.w} / ${r.h}`, [r.w >= r.h ? 'width' : 'height']: '14px' }}
            />
            <span>{r.value}</span>
          </label>
        ))}
      </div>
      {fromSelection ? (
        <p id={`${id}-hint`} className="hint">
          Closest to the selected layer's shape.
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
