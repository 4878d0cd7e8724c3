import type { components } from '@/api/schema';
import { percent } from '@/lib/format';
import styles from './ImageFacts.module.css';

export type BrandMatch = components['schemas']['BrandMatch'];

export function brandScoreText(score: number): string {
  return `On-brand colours: ${percent(score)}`;
}

/**
 * How much of an image is in its style's palette, and the palette colours found with their shares.
 * Each swatch is named by its hex and share, so the colour is never the only way to tell them apart;
 * `withText` also writes them out (the large view has the room).
 */
export function BrandMatchFacts({ brand, withText = false }: { brand: BrandMatch | null | undefined; withText?: boolean }) {
  if (!brand) return null;
  return (
    <div className={styles.brand}>
      <p className={styles.score}>{brandScoreText(brand.score)}</p>
      {brand.colors.length ? (
        <ul className={styles.swatches} aria-label="Brand colours found">
          {brand.colors.map((color) => {
            const name = `${color.hex}, ${percent(color.share)} of the image`;
            return (
              <li key={color.hex} className={styles.swatchItem}>
                {withText ? (
                  <>
                    <span aria-hidden="true" className={styles.swatch} style={{ background: color.hex }} />
                    <span className={styles.swatchText}>{name}</span>
                  </>
                ) : (
                  <span role="img" aria-label={name} title={name} className={styles.swatch} style={{ background: color.hex }} />
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
