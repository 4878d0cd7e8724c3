import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import type { SelectionInfo } from '../../messages';
import { ApiError, type FieldError } from '../api/api-error';
import type { Api, AspectRatio, GenerateBody, Model, Style } from '../api/client';
import { createJob, listModels, listStyles } from '../api/operations';
import { useCountdown } from '../hooks/use-countdown';
import { nearestAspectRatio } from '../lib/aspect-ratio';
import { describeError } from '../lib/errors';
import {
  checkFields,
  fieldLabel,
  firstInvalid,
  placeServerErrors,
  type Field,
  type FieldErrors,
} from '../lib/generate-fields';
import { secondsText } from '../lib/job-text';
import { AspectRatioField } from './AspectRatioField';
import { FieldError as FieldErrorText } from './FieldError';
import { SelectField } from './SelectField';
import { SubmitButton } from './SubmitButton';


type Props = {
  api: Api;
  selection: SelectionInfo;
  /** A job of this form is still running: one at a time from the panel. */
  busy: boolean;
  onCreated: (jobId: string) => void;
  onAuthError: (error: unknown) => void;
};

export function GenerateForm({ api, selection, busy, onCreated, onAuthError }: Props) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [models, setModels] = useState<Model[]>([]);
  const [styles, setStyles] = useState<Style[]>([]);
  const [prompt, setPrompt] = useState('');
  const [style, setStyle] = useState('');
  const [model, setModel] = useState('');
  // The selection's shape until the person picks a ratio themselves.
  const [chosenRatio, setChosenRatio] = useState<AspectRatio | null>(null);
  const [numImages, setNumImages] = useState(4);
  const [seed, setSeed] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [unplacedErrors, setUnplacedErrors] = useState<FieldError[]>([]);
  const [sending, setSending] = useState(false);
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const secondsLeft = useCountdown(retryUntil);

  const [listsFailed, setListsFailed] = useState(false);
  useEffect(() => {
    const failed = (error: unknown) => {
      setListsFailed(true);
      onAuthError(error);
    };
    listModels(api).then(setModels, failed);
    listStyles(api).then(setStyles, failed);
  }, [api]);

  const selectedModel = models.find((m) => m.name === model) ?? models[0];
  const styleOptions = styles.filter((s) => !selectedModel || s.family === selectedModel.family);
  const selectedStyle = styleOptions.find((s) => s.name === style);
  const showsModel = models.length > 1;
  const ratio = chosenRatio ?? nearestAspectRatio(selection.width, selection.height);

  function focusField(field: Field) {
    formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`)?.focus();
  }

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (sending || busy || secondsLeft > 0) return;
    const errors = checkFields({ prompt, seed });
    setFieldErrors(errors);
    setUnplacedErrors([]);
    const invalid = firstInvalid(errors);
    if (invalid) return focusField(invalid);

    const body: GenerateBody = { prompt: prompt.trim(), aspect_ratio: ratio, num_images: numImages };
    if (style && selectedStyle) body.style = style;
    if (showsModel && selectedModel) body.model = selectedModel.name;
    if (seed.trim()) body.seed = Number(seed.trim());

    setSending(true);
    setError(null);
    try {
      const accepted = await createJob(api, body);
      onCreated(accepted.job_id);
    } catch (caught) {
      onAuthError(caught);
      setError(caught);
      if (!(caught instanceof ApiError)) return;
      if (caught.retryAfterSeconds !== null && (caught.status === 429 || caught.status === 503)) {
        setRetryUntil(Date.now() + caught.retryAfterSeconds * 1000);
      }
      if (caught.status === 400) {
        const { placed, unplaced } = placeServerErrors(caught.fields, (f) => f !== 'model' || showsModel);
        setFieldErrors(placed);
        setUnplacedErrors(unplaced);
        const first = firstInvalid(placed);
        if (first) focusField(first);
      }
    } finally {
      setSending(false);
    }
  }

  const describedBy = (field: Field, hint?: string) =>
    [hint, fieldErrors[field] ? `${id}-${field}-error` : null].filter(Boolean).join(' ') || undefined;
  const waiting = secondsLeft > 0;

  return (
    <form ref={formRef} className="stack" onSubmit={submit} noValidate aria-label="Generate images">
      {error ? (
        <div role="alert" className="alert">
          <p>{describeError(error)}</p>
          {unplacedErrors.map((f) => (
            <p key={f.field}>
              {fieldLabel(f.field)}: {f.message}
            </p>
          ))}
          {waiting ? <p>Try again in {secondsText(secondsLeft)}.</p> : null}
        </div>
      ) : null}

      <div className="field">
        <label htmlFor={`${id}-prompt`}>Prompt</label>
        <textarea
          id={`${id}-prompt`}
          data-field="prompt"
          rows={3}
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          aria-invalid={fieldErrors.prompt ? true : undefined}
          aria-describedby={describedBy('prompt')}
          placeholder="Our water bottle on a mossy rock, morning light"
        />
        <FieldErrorText id={`${id}-prompt-error`} message={fieldErrors.prompt} />
      </div>

      {showsModel ? (
        <SelectField
          label="Model"
          field="model"
          value={selectedModel?.name ?? ''}
          options={models.map((m, i) => ({
            value: m.name,
            label: `${m.name}${i === 0 ? ' (default)' : ''}${m.demo ? ' — demo' : ''}`,
          }))}
          error={fieldErrors.model}
          onChange={setModel}
        />
      ) : null}

      <SelectField
        label="Brand style"
        field="style"
        value={selectedStyle ? style : ''}
        options={[{ value: '', label: 'Default' }, ...styleOptions.map((s) => ({ value: s.name, label: s.name }))]}
        hint={selectedStyle?.description || undefined}
        error={fieldErrors.style}
        onChange={setStyle}
      />

      {listsFailed ? <p className="hint">The models and brand styles could not be loaded; the defaults are used.</p> : null}

      {selectedModel?.demo ? (
        <p className="hint">Demo model: the images are noise, for trying the plugin out.</p>
      ) : null}

      <AspectRatioField
        value={ratio}
        fromSelection={chosenRatio === null && selection.width !== null}
        error={fieldErrors.aspect_ratio}
        onChange={setChosenRatio}
      />

      <div className="row">
        <SelectField
          label="Number of images"
          field="num_images"
          value={String(numImages)}
          options={['1', '2', '3', '4'].map((n) => ({ value: n, label: n }))}
          error={fieldErrors.num_images}
          onChange={(n) => setNumImages(Number(n))}
        />
        <div className="field">
          <label htmlFor={`${id}-seed`}>Seed (optional)</label>
          <input
            id={`${id}-seed`}
            data-field="seed"
            inputMode="numeric"
            autoComplete="off"
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
            aria-invalid={fieldErrors.seed ? true : undefined}
            aria-describedby={describedBy('seed')}
          />
          <FieldErrorText id={`${id}-seed-error`} message={fieldErrors.seed} />
        </div>
      </div>

      <SubmitButton primary onSubmit={submit} disabled={sending || busy || waiting}>
        {sending ? 'Sending…' : busy ? 'Generating…' : 'Generate'}
      </SubmitButton>
    </form>
  );
}
