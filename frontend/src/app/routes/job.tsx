import { Link, useNavigate, useParams } from 'react-router';
import { useDocumentTitle } from '@/hooks/use-document-title';
import type { GenerateBody } from '@/lib/generate-settings';
import { useJob } from '@/features/jobs/api/get-job';
import { JobView } from '@/features/jobs/components/JobView';

/** `/jobs/:jobId`: one job, from a link, the history or a bookmark. */
export default function JobPage() {
  const { jobId = '' } = useParams();
  const navigate = useNavigate();
  const job = useJob(jobId);
  useDocumentTitle(job.data ? `Job: ${job.data.prompt.slice(0, 40)}` : job.error ? 'Job not found' : 'Job');

  return (
    <div className="page page--medium stack">
      <p className="breadcrumb">
        <Link to="/jobs">← History</Link>
      </p>
      <h1>Job</h1>
      <JobView
        jobId={jobId}
        onReuse={(settings: GenerateBody) => navigate('/', { state: { prefill: settings, at: Date.now() } })}
        onDeleted={() => navigate('/jobs', { replace: true })}
      />
    </div>
  );
}
