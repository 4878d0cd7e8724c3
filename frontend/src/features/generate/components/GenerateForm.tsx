import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { DemoLabel } from '@/components/DemoLabel';
import { ApiError } from '@/lib/api-error';
import { describeError, secondsText } from '@/lib/errors';
import { ASPECT_RATIOS, PROMPT_MAX, type AspectRatio, type GenerateBody } from '@/lib/generate-settings';
import { useCountdown } from '@/hooks/use-countdown';
import { askForNotificationsOnce } from '@/hooks/use-finished-notice';
import { useTouchOnly } from '@/hooks/use-media-query';
import { useCreateJob, type JobAccepted } from '../api/create-job';
import { overLimitText, PromptCounter, promptLength } from './PromptCounter';
import { useModels } from '../api/get-models';
import { useStyles } from '../api/get-styles';
import styles from './GenerateForm.module.css';

/** The form field a server field error belongs to (`seed`, not `seed.0`). */
function topField(field: string): string {
  return field.split('.')[0]!;
}

const MAX_SEED = 4294967295;
const FIELDS = ['prompt', 'style', 'model', 'aspect_ratio', 'num_images', 'seed'] as const;
type Field = (typeof FIELDS)[number];
/** How a field error shown above the form (not beside its field) names the field. */
const FIELD_NAMES: Record<string, string> = { model: 'Model' };

type Values = {
  prompt: string;
  style: string;
  model: string;
  aspectRatio: AspectRatio;
  numImages: number;
  seed: string;
};

function initialValues(prefill?: GenerateBody): Values {
  return {
    prompt: prefill?.prompt ?? '',
    style: prefill?.style ?? '',
    model: prefill?.model ?? '',
    aspectRatio: prefill?.aspect_ratio ?? '1:1',
    numImages: prefill?.num_images ?? 4,
    seed: prefill?.seed === undefined || prefill.seed === null ? '' : String(prefill.seed),
  };
}

type Props = {
  prefill?: GenerateBody;
  /** Put the cursor in the prompt (after "Generate again" brought settings here). */
  autoFocus?: boolean;
  /** The job was accepted; `body` is what was sent (the page sums it up). */
  onCreated: (job: JobAccepted, body: GenerateBody) => void;
};

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export function GenerateForm({ prefill, autoFocus, onCreated }: Props) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Values>(() => initialValues(prefill));
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const secondsLeft = useCountdown(retryUntil);
  const createJob = useCreateJob();
  const modelsQuery = useModels();
  const stylesQuery = useStyles();
  const touchOnly = useTouchOnly();

  const models = modelsQuery.data ?? [];
  const selectedModel = models.find((m) => m.name === values.model) ?? models[0];
  const styleOptions = useMemo(
    () => (stylesQuery.data ?? []).filter((s) => !selectedModel || s.family === selectedModel.family),
    [stylesQuery.data, selectedModel],
  );
  const selectedStyle = styleOptions.find((s) => s.name === values.style);
  // With one model there is no Model field to show its error beside.
  const showsModel = models.length > 1;
  const placeable = (field: string): field is Field =>
    FIELDS.includes(field as Field) && (field !== 'model' || showsModel);

  useEffect(() => {
    if (autoFocus) focusField('prompt');
    // Only when the form opens.
  }, []);

  // A prefilled model or style this server no longer offers falls back to the default.
  useEffect(() => {
    if (modelsQuery.data && values.model && !modelsQuery.data.some((m) => m.name === values.model)) {
      setValues((v) => ({ ...v, model: '' }));
    }
  }, [modelsQuery.data, values.model]);
  useEffect(() => {
    if (stylesQuery.data && values.style && !styleOptions.some((s) => s.name === values.style)) {
      setValues((v) => ({ ...v, style: '' }));
    }
  }, [stylesQuery.data, styleOptions, values.style]);

  function update<K extends keyof Values>(key: K, value: Values[K]) {
    setValues((v) => ({ ...v, [key]: value }));
  }

  function focusField(field: Field) {
    const el = formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`);
    el?.focus();
  }

  function validate(): Partial<Record<Field, string>> {
    const errors: Partial<Record<Field, string>> = {};
    if (!values.prompt.trim()) errors.prompt = 'Write a prompt: what should the images show?';
    else if (promptLength(values.prompt) > PROMPT_MAX) errors.prompt = overLimitText(promptLength(values.prompt));
    const seed = values.seed.trim();
    if (seed && (!/^\d+$/.test(seed) || Number(seed) > MAX_SEED)) {
      errors.seed = `A seed is a whole number from 0 to ${MAX_SEED}, or leave it empty for a random one.`;
    }
    return errors;
  }

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (createJob.isPending || secondsLeft > 0) return;
    const errors = validate();
    setFieldErrors(errors);
    const firstInvalid = FIELDS.find((f) => errors[f]);
    if (firstInvalid) {
      focusField(firstInvalid);
      return;
    }
    const body: GenerateBody = {
      prompt: values.prompt.trim(),
      aspect_ratio: values.aspectRatio,
      num_images: values.numImages,
    };
    if (values.style) body.style = values.style;
    if (showsModel && selectedModel) body.model = selectedModel.name;
    if (values.seed.trim()) body.seed = Number(values.seed.trim());

    // Here, in the click or key press itself: browsers ask for permission only from one.
    askForNotificationsOnce();
    createJob.mutate(body, {
      onSuccess: (job) => onCreated(job, body),
      onError: (error) => {
        if (!(error instanceof ApiError)) return;
        if (error.retryAfterSeconds !== null && (error.status === 429 || error.status === 503)) {
          setRetryUntil(Date.now() + error.retryAfterSeconds * 1000);
        }
        if (error.status === 400) {
          const next: Partial<Record<Field, string>> = {};
          for (const f of error.fields) {
            const field = topField(f.field);
            if (placeable(field) && !next[field]) next[field] = f.message;
          }
          setFieldErrors(next);
          const first = FIELDS.find((f) => next[f]);
          if (first) focusField(first);
        }
      },
    });
  }

  function onPromptKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  }

  const error = createJob.error;
  const unplacedFieldErrors =
    error instanceof ApiError && error.status === 400
      ? error.fields.filter((f) => !placeable(topField(f.field)))
      : [];

  const describedBy = (field: Field, hint?: string) =>
    [hint, fieldErrors[field] ? `${id}-${field}-error` : null].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: Field) =>
    fieldErrors[field] ? (
      <p id={`${id}-${field}-error`} className="field-error">
        {fieldErrors[field]}
      </p>
    ) : null;

  const waiting = secondsLeft > 0;
  const promptChars = promptLength(values.prompt);

  return (
    <form ref={formRef} className={styles.form} onSubmit={submit} noValidate aria-label="Generate images">
      {error ? (
        <div role="alert" className={styles.alert}>
          <p>{describeError(error)}</p>
          {unplacedFieldErrors.map((f) => (
            <p key={f.field}>
              {FIELD_NAMES[topField(f.field)] ?? f.field}: {f.message}
            </p>
          ))}
        </div>
      ) : null}

      <div className="field">
        <label htmlFor={`${id}-prompt`}>Prompt</label>
        <textarea
          id={`${id}-prompt`}
          data-field="prompt"
          name="prompt"
          rows={4}
          required
          value={values.prompt}
          onChange={(e) => update('prompt', e.target.value)}
          onKeyDown={onPromptKeyDown}
          aria-invalid={fieldErrors.prompt || promptChars > PROMPT_MAX ? true : undefined}
          aria-describedby={describedBy('prompt', `${id}-prompt-count${touchOnly ? '' : ` ${id}-prompt-hint`}`)}
          placeholder="A product shot of our new water bottle on a mossy rock, morning light"
        />
        <div className={styles.promptNotes}>
          {touchOnly ? null : (
            <p id={`${id}-prompt-hint`} className="field-hint">
              Press {isMac ? '⌘' : 'Ctrl'}+Enter to generate.
            </p>
          )}
          <PromptCounter id={`${id}-prompt-count`} length={promptChars} />
        </div>
        {fieldError('prompt')}
      </div>

      <div className={styles.row}>
        {showsModel ? (
          <div className="field">
            <label htmlFor={`${id}-model`}>Model</label>
            <select
              id={`${id}-model`}
              data-field="model"
              value={selectedModel?.name ?? ''}
              onChange={(e) => update('model', e.target.value)}
              aria-invalid={fieldErrors.model ? true : undefined}
              aria-describedby={describedBy('model')}
            >
              {models.map((m, i) => (
                <option key={m.name} value={m.name}>
                  {m.name}
                  {i === 0 ? ' (default)' : ''}
                  {m.demo ? ' — demo' : ''}
                </option>
              ))}
            </select>
            {fieldError('model')}
          </div>
        ) : null}

        <div className="field">
          <label htmlFor={`${id}-style`}>Brand style</label>
          <select
            id={`${id}-style`}
            data-field="style"
            value={values.style}
            onChange={(e) => update('style', e.target.value)}
            aria-invalid={fieldErrors.style ? true : undefined}
            aria-describedby={describedBy('style', selectedStyle ? `${id}-style-hint` : undefined)}
          >
            <option value="">Default</option>
            {styleOptions.map((s) => (
              <option key={s.name} value={s.name}>
                {s.version ? `${s.name} (v${s.version})` : s.name}
              </option>
            ))}
          </select>
          {selectedStyle?.description ? (
            <p id={`${id}-style-hint`} className="field-hint">
              {selectedStyle.description}
            </p>
          ) : null}
          {stylesQuery.isError ? <p className="field-hint">Brand styles could not be loaded.</p> : null}
          {fieldError('style')}
        </div>
      </div>

      {selectedModel?.demo ? <DemoLabel /> : null}

      <div className="field">
        <span id={`${id}-ratio-label`} className="label">
          Aspect ratio
        </span>
        <div
          role="radiogroup"
          aria-labelledby={`${id}-ratio-label`}
          aria-describedby={describedBy('aspect_ratio')}
          className={styles.ratios}
        >
          {ASPECT_RATIOS.map((r) => (
            <label key={r.value} className={styles.ratio} title={r.label}>
              <input
                type="radio"
                name={`${id}-ratio`}
                value={r.value}
                data-field={r.value === values.aspectRatio ? 'aspect_ratio' : undefined}
                checked={values.aspectRatio === r.value}
                onChange={() => update('aspectRatio', r.value)}
              />
              <span
                aria-hidden="true"
                className={styles.shape}
                style={{ aspectRatio: `${r.w} / ${r.h}`, [r.w >= r.h ? 'width' : 'height']: '1.25rem' }}
              />
              <span>{r.value}</span>
            </label>
          ))}
        </div>
        {fieldError('aspect_ratio')}
      </div>

      <div className={styles.row}>
        <div className="field">
          <label htmlFor={`${id}-count`}>Number of images</label>
          <select
            id={`${id}-count`}
            data-field="num_images"
            value={values.numImages}
            onChange={(e) => update('numImages', Number(e.target.value))}
            aria-invalid={fieldErrors.num_images ? true : undefined}
            aria-describedby={describedBy('num_images')}
          >
            {[1, 2, 3, 4].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          {fieldError('num_images')}
        </div>

        <div className="field">
          <label htmlFor={`${id}-seed`}>Seed (optional)</label>
          <input
            id={`${id}-seed`}
            data-field="seed"
            name="seed"
            inputMode="numeric"
            autoComplete="off"
            value={values.seed}
            onChange={(e) => update('seed', e.target.value)}
            aria-invalid={fieldErrors.seed ? true : undefined}
            aria-describedby={describedBy('seed', `${id}-seed-hint`)}
          />
          <p id={`${id}-seed-hint`} className="field-hint">
            The same seed and settings give the same images.
          </p>
          {fieldError('seed')}
        </div>
      </div>

      <div className={styles.actions}>
        <button
          type="submit"
          className="button button--primary"
          disabled={createJob.isPending || waiting}
          aria-describedby={waiting ? `${id}-wait` : undefined}
        >
          {createJob.isPending ? 'Generating…' : 'Generate'}
        </button>
        {waiting ? (
          <span id={`${id}-wait`} className="field-hint">
            Try again in {secondsText(secondsLeft)}
          </span>
        ) : null}
      </div>
    </form>
  );
}
