import { useId, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api-error';
import { describeError } from '@/lib/errors';
import { useCreateToken, type CreatedToken } from '../api/create-token';
import type { TokenPolicy } from '../api/get-token-policy';
import { lifetimeChoices } from './token-dates';
import styles from './Tokens.module.css';

type Props = {
  policy: TokenPolicy;
  onCreated: (token: CreatedToken) => void;
};

/** Name and lifetime of a new token: a few common lifetimes, starting at the server's default, up to its maximum. */
export function CreateTokenForm({ policy, onCreated }: Props) {
  const id = useId();
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState(String(policy.default_days));
  const choices = useMemo(() => lifetimeChoices(policy), [policy]);

  const fieldError = (field: string) =>
    create.error instanceof ApiError ? create.error.fields.find((f) => f.field === field)?.message : undefined;
  const nameError = fieldError('name');
  const daysError = fieldError('expires_in_days');
  // Errors not about one field (too many tokens, the network) are shown above the button.
  const formError = create.error && !nameError && !daysError ? describeError(create.error) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), expires_in_days: Number(days) },
      {
        onSuccess: (created) => {
          setName('');
          setDays(String(policy.default_days));
          onCreated(created);
        },
      },
    );
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Create an access token">
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${id}-name-error` : `${id}-name-hint`}
        />
        {nameError ? (
          <p id={`${id}-name-error`} className="field-error">
            {nameError}
          </p>
        ) : (
          <p id={`${id}-name-hint`} className="field-hint">
            What the token is for, e.g. “Figma plugin”.
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-days`}>Expires after</label>
        <select
          id={`${id}-days`}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          aria-invalid={daysError ? true : undefined}
          aria-describedby={`${id}-days-hint${daysError ? ` ${id}-days-error` : ''}`}
        >
          {choices.map((choice) => (
            <option key={choice.days} value={choice.days}>
              {choice.label}
            </option>
          ))}
        </select>
        <p id={`${id}-days-hint`} className="field-hint">
          Every token expires; make a new one when it does.
        </p>
        {daysError ? (
          <p id={`${id}-days-error`} className="field-error">
            {daysError}
          </p>
        ) : null}
      </div>
      {formError ? (
        <p role="alert" className="field-error">
          {formError}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}
