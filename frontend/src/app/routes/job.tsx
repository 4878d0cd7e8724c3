import { Link, useNavigate, useParams } from 'react-router';
import { useDocumentTitle } from '@/hooks/use-document-title';
import type { GenerateBody } from '@/lib/generate-settings';
import { useCreateJob } from '@/features/generate/api/create-job';
import { useJob } from '@/features/jobs/api/get-job';
import { JobView } from '@/features/jobs/components/JobView';
import { useImageExtras } from '../image-extras';
import { shortPrompt } from '@/features/jobs/components/status-text';

/** `/jobs/:jobId`: one job, from a link, the history or a bookmark. */
export default function JobPage() {
  const { jobId = '' } = useParams();
  const navigate = useNavigate();
  const job = useJob(jobId);
  const createJob = useCreateJob();
  const imageExtras = useImageExtras(jobId);
  // The page is named after what the job makes; the full prompt is under the heading.
  const name = job.data ? shortPrompt(job.data.prompt) : null;
  useDocumentTitle(name ?? (job.error ? 'Job not found' : 'Job'));

  return (
    <div className="page page--medium stack">
      <p className="breadcrumb">
        <Link to="/jobs">← History</Link>
      </p>
      <h1>{name ?? (job.error ? 'Job not found' : 'Job')}</h1>
      <JobView
        key={jobId}
        jobId={jobId}
        imageExtras={imageExtras}
        onReuse={(settings: GenerateBody) => navigate('/', { state: { prefill: settings, at: Date.now() } })}
        onGenerateAgain={async (settings) => {
          const started = await createJob.mutateAsync(settings);
          navigate(`/jobs/${encodeURIComponent(started.job_id)}`);
        }}
        onDeleted={() => navigate('/jobs', { replace: true })}
        onRegenerated={(id) => navigate(`/jobs/${encodeURIComponent(id)}`)}
      />
    </div>
  );
}
