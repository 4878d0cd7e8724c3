import { PROMPT_MAX } from '@/lib/generate-settings';
import styles from './GenerateForm.module.css';

/** The prompt's length as the API counts it: characters (code points, not UTF-16 units) of the
 * trimmed text in NFC. An emoji is one character there, and "e" with a combining accent is one. */
export function promptLength(prompt: string): number {
  return [...prompt.trim().normalize('NFC')].length;
}

export function overLimitText(length: number): string {
  const over = length - PROMPT_MAX;
  return `The prompt is ${over} ${over === 1 ? 'character' : 'characters'} over the limit of ${PROMPT_MAX}: shorten it to generate.`;
}

/**
 * "n / 2000" under the prompt. Nothing is cut: a longer prompt (typed or pasted) stays as it is
 * and is marked, and a live region says so when the limit is reached or passed (not on every key).
 */
export function PromptCounter({ id, length }: { id: string; length: number }) {
  const state = length > PROMPT_MAX ? 'over' : length === PROMPT_MAX ? 'full' : 'ok';
  return (
    <div className={styles.counter}>
      <p id={id} className={`field-hint ${state === 'ok' ? '' : styles.counterLimit}`}>
        {length} / {PROMPT_MAX} <span className="visually-hidden">characters</span>
      </p>
      <p role="status" className={state === 'over' ? 'field-error' : 'field-hint'}>
        {state === 'over' ? overLimitText(length) : state === 'full' ? 'The prompt has reached the limit.' : null}
      </p>
    </div>
  );
}
