import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { isPrefillState, type GenerateBody } from '@/lib/generate-settings';
import { GenerateForm } from '@/features/generate/components/GenerateForm';
import { JobView } from '@/features/jobs/components/JobView';
import styles from './generate.module.css';

/** `/`: the form, and the job just submitted (its id in `?job=`, so a reload keeps it). */
export default function GeneratePage() {
  useDocumentTitle('Generate');
  const location = useLocation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const jobId = params.get('job');
  const state: unknown = location.state;
  const prefill = isPrefillState(state) ? state.prefill : undefined;
  const formKey = isPrefillState(state) ? String((state as { at?: number }).at ?? 'prefill') : 'blank';
  const jobHeadingRef = useRef<HTMLHeadingElement>(null);
  const [deleted, setDeleted] = useState(false);

  // Deleting the job shown here stays on this page (the layout moves focus only between pages):
  // the job and the button pressed are gone, so focus goes to the heading of what replaced them.
  useEffect(() => {
    if (deleted && !jobId) {
      jobHeadingRef.current?.focus();
      setDeleted(false);
    }
  }, [deleted, jobId]);

  const reuse = (settings: GenerateBody) =>
    navigate(jobId ? `/?job=${encodeURIComponent(jobId)}` : '/', { state: { prefill: settings, at: Date.now() } });

  return (
    <div className={`page ${styles.layout}`}>
      <section className={styles.formColumn} aria-labelledby="generate-heading">
        <h1 id="generate-heading">Generate</h1>
        <GenerateForm
          key={formKey}
          prefill={prefill}
          autoFocus={!!prefill}
          onCreated={(job) =>
            // Keep the router state so the form (keyed on it) keeps what was typed.
            navigate(`/?job=${encodeURIComponent(job.job_id)}`, { state: location.state })
          }
        />
      </section>
      <section className={styles.jobColumn} aria-labelledby="job-heading">
        <h2 id="job-heading" ref={jobHeadingRef} tabIndex={-1}>{jobId ? 'Your images' : 'Your images will appear here'}</h2>
        {jobId ? (
          <JobView
            key={jobId}
            jobId={jobId}
            placeholderStatus="queued"
            onReuse={reuse}
            onDeleted={() => {
              setDeleted(true);
              navigate('/', { replace: true });
            }}
          />
        ) : (
          <p className={styles.empty}>Write a prompt and press Generate. Up to four images come back in about a minute.</p>
        )}
      </section>
    </div>
  );
}
