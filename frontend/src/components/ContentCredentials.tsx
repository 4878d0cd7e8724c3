import { useId, useState } from 'react';
import type { components } from '@/api/schema';
import { formatTime, styleWithVersion } from '@/lib/format';
import styles from './ImageFacts.module.css';

export type Credentials = components['schemas']['ContentCredentials'];

const STATE_WORDS: Record<Credentials['state'], string> = {
  trusted: 'trusted',
  valid: 'valid, signer not trusted here',
  invalid: 'invalid',
};

const STATE_MEANING: Record<Credentials['state'], string> = {
  trusted: 'Signed by a certificate this organisation trusts, and the image is as it was signed.',
  valid: 'The image is as it was signed, but the signer is not one this organisation trusts.',
  invalid: 'The image does not match its signature: it was changed after it was signed.',
};

/**
 * An IPTC digital source type as words: "trainedAlgorithmicMedia", or the same as the IPTC URL,
 * becomes "Trained algorithmic media".
 */
export function sourceTypeText(value: string): string {
  const last = value.split(/[/#]/).filter(Boolean).pop() ?? value;
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A weights fingerprint is 64 hex digits: the first 12 tell versions apart on screen. */
function shortVersion(version: string): string {
  return /^[0-9a-f]{20,}$/i.test(version) ? `${version.slice(0, 12)}…` : version;
}

/**
 * The "Content credentials" badge: what the image's signed C2PA manifest says, behind a disclosure
 * button (the state is in the button's name, so it is read without opening it). Nothing when the
 * image carries none.
 */
export function ContentCredentialsBadge({ credentials }: { credentials: Credentials | null | undefined }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  if (!credentials) return null;
  const c = credentials;
  const rows: [string, string | null | undefined][] = [
    ['Made with', c.generator],
    ['Source', sourceTypeText(c.source_type)],
    ['Model', c.model_version ? `${c.model} ${shortVersion(c.model_version)}` : c.model],
    ['Brand style', styleWithVersion(c.style, c.style_version) || null],
    ['Signed by', c.issuer],
    ['Signed', c.signed_at ? formatTime(c.signed_at) : null],
  ];
  return (
    <div className={styles.credentials} data-state={c.state}>
      <button
        type="button"
        className={`${styles.credentialsButton} ${styles[c.state]}`}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && open) {
            // Closes the panel, not a dialog around it.
            event.stopPropagation();
            setOpen(false);
          }
        }}
      >
        <span aria-hidden="true" className={styles.credentialsMark}>
          {c.state === 'invalid' ? '!' : 'cr'}
        </span>
        Content credentials: {STATE_WORDS[c.state]}
      </button>
      <div id={`${id}-panel`} className={styles.credentialsPanel} hidden={!open}>
        <p className={styles.credentialsMeaning}>{STATE_MEANING[c.state]}</p>
        <dl className={styles.facts}>
          {rows
            .filter((row): row is [string, string] => Boolean(row[1]))
            .map(([term, value]) => (
              <div key={term}>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
        </dl>
      </div>
    </div>
  );
}
