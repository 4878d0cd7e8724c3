import type { GenerateBody } from '@/lib/generate-settings';
import styles from './GenerateForm.module.css';

type Props = {
  body: GenerateBody;
  /** The model that ran when the body named none (the server's default). */
  defaultModel?: string;
  expanded: boolean;
  controls: string;
  onToggle: () => void;
};

/** Cuts a prompt to the start that fits on one line of a phone. */
function promptStart(prompt: string, max = 40): string {
  const text = prompt.trim().replace(/\s+/g, ' ');
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * On narrow screens, once a job has started, the form folds into one line of what was asked for
 * (prompt start, style, model) so the job is what one sees; the button opens it again.
 */
export function FormSummary({ body, defaultModel, expanded, controls, onToggle }: Props) {
  const model = body.model ?? defaultModel;
  return (
    <div className={styles.summary}>
      <p className={styles.summaryText}>
        <span className={styles.summaryPrompt}>“{promptStart(body.prompt)}”</span>
        {' · '}
        {body.style ?? 'Default style'}
        {model ? ` · ${model}` : null}
      </p>
      <button type="button" className="button button--small" aria-expanded={expanded} aria-controls={controls} onClick={onToggle}>
        {/* One name in both states (a disclosure): aria-expanded says whether the form is open. */}
        Change and generate
      </button>
    </div>
  );
}
