import { useId } from 'react';
import type { Job } from '../api/get-job';
import { formatTime, styleWithVersion } from '@/lib/format';
import styles from './JobView.module.css';

/** The settings a job ran with, folded away under "Job settings" (not "Settings": that is the page in the header). */
export function JobSettings({ job }: { job: Job }) {
  const summaryId = useId();
  return (
    <details className={styles.details}>
      <summary id={summaryId}>Job settings</summary>
      <dl aria-labelledby={summaryId}>
        <dt>Model</dt>
        <dd>{job.model}</dd>
        <dt>Brand style</dt>
        <dd>{styleWithVersion(job.style, job.style_version) || 'Default'}</dd>
        <dt>Size</dt>
        <dd>
          {job.width} × {job.height}
        </dd>
        <dt>Seed</dt>
        <dd>{job.seed}</dd>
        <dt>Steps</dt>
        <dd>{job.steps}</dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={job.created_at}>{formatTime(job.created_at)}</time>
        </dd>
        {job.pipeline_ms ? (
          <>
            <dt>Model time</dt>
            <dd>{(job.pipeline_ms / 1000).toFixed(1)} s</dd>
          </>
        ) : null}
      </dl>
    </details>
  );
}
