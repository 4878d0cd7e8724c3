import { useEffect, useId, useRef, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useMediaQuery } from '@/hooks/use-media-query';
import { isPrefillState, type GenerateBody } from '@/lib/generate-settings';
import { useCreateJob } from '@/features/generate/api/create-job';
import { useModels } from '@/features/generate/api/get-models';
import { FormSummary } from '@/features/generate/components/FormSummary';
import { GenerateForm } from '@/features/generate/components/GenerateForm';
import { JobView } from '@/features/jobs/components/JobView';
import { useImageExtras } from '../image-extras';
import styles from './generate.module.css';

/** Where the page has two columns (generate.module.css); below it the job comes under the form. */
const TWO_COLUMNS = '(min-width: 60rem)';

const jobPath = (jobId: string) => `/?job=${encodeURIComponent(jobId)}`;

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
  const jobSectionRef = useRef<HTMLElement>(null);
  const [deleted, setDeleted] = useState(false);
  const twoColumns = useMediaQuery(TWO_COLUMNS);
  // What the last job here asked for, and whether the form is folded under its summary.
  const [submitted, setSubmitted] = useState<GenerateBody | null>(null);
  const [folded, setFolded] = useState(false);
  const [revealAt, setRevealAt] = useState(0);
  const formRegionId = useId();
  const createJob = useCreateJob();
  const models = useModels();
  const imageExtras = useImageExtras(jobId ?? '');

  // Deleting the job shown here stays on this page (the layout moves focus only between pages):
  // the job and the button pressed are gone, so focus goes to the heading of what replaced them.
  useEffect(() => {
    if (deleted && !jobId) {
      jobHeadingRef.current?.focus();
      setDeleted(false);
    }
  }, [deleted, jobId]);

  // One column: the new job is below the form, out of sight on a phone; bring it up, with focus
  // on its heading (the button pressed has folded away with the form).
  useEffect(() => {
    if (!revealAt || twoColumns) return;
    jobHeadingRef.current?.focus({ preventScroll: true });
    const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    jobSectionRef.current?.scrollIntoView({ block: 'start', behavior: still ? 'auto' : 'smooth' });
  }, [revealAt, twoColumns]);

  function show(jobIdShown: string, body: GenerateBody, keepState: unknown) {
    setSubmitted(body);
    setFolded(true);
    setRevealAt(Date.now());
    navigate(jobPath(jobIdShown), { state: keepState });
  }

  const reuse = (settings: GenerateBody) => {
    setFolded(false);
    navigate(jobId ? jobPath(jobId) : '/', { state: { prefill: settings, at: Date.now() } });
  };

  const showSummary = !twoColumns && submitted !== null;
  const formHidden = showSummary && folded;

  return (
    <div className={`page ${styles.layout}`}>
      <section className={styles.formColumn} aria-labelledby="generate-heading">
        <h1 id="generate-heading">Generate</h1>
        {showSummary ? (
          <FormSummary
            body={submitted}
            defaultModel={models.data?.[0]?.name}
            expanded={!folded}
            controls={formRegionId}
            onToggle={() => setFolded((f) => !f)}
          />
        ) : null}
        {/* Folded, not unmounted: what was typed stays. */}
        <div id={formRegionId} hidden={formHidden}>
          <GenerateForm
            key={formKey}
            prefill={prefill}
            autoFocus={!!prefill}
            onCreated={(job, body) =>
              // Keep the router state so the form (keyed on it) keeps what was typed.
              show(job.job_id, body, location.state)
            }
          />
        </div>
      </section>
      <section ref={jobSectionRef} className={styles.jobColumn} aria-labelledby="job-heading">
        <h2 id="job-heading" ref={jobHeadingRef} tabIndex={-1}>{jobId ? 'Your images' : 'Your images will appear here'}</h2>
        {jobId ? (
          <JobView
            key={jobId}
            jobId={jobId}
            placeholderStatus="queued"
            imageExtras={imageExtras}
            onReuse={reuse}
            onGenerateAgain={async (settings) => {
              const job = await createJob.mutateAsync(settings);
              show(job.job_id, settings, location.state);
            }}
            onRegenerated={(id) => navigate(jobPath(id))}
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
