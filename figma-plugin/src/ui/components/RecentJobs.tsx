import { useEffect, useState } from 'react';
import type { Api, Job } from '../api/client';
import { listRecentJobs } from '../api/operations';
import type { usePlacer } from '../hooks/use-placer';
import { describeError } from '../lib/errors';
import { Results } from './Results';

type Props = {
  api: Api;
  placer: ReturnType<typeof usePlacer>;
  onAuthError: (error: unknown) => void;
};

type State = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'loaded'; jobs: Job[] };

/** The person's finished jobs, newest first, to place again without generating again. */
export function RecentJobs({ api, placer, onAuthError }: Props) {
  const [list, setList] = useState<State>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    listRecentJobs(api).then(
      (jobs) => live && setList({ state: 'loaded', jobs }),
      (error) => {
        if (!live) return;
        onAuthError(error);
        setList({ state: 'failed', message: describeError(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (list.state === 'loading') return <p role="status">Loading your recent jobs…</p>;
  if (list.state === 'failed') {
    return (
      <p role="alert" className="alert">
        {list.message}
      </p>
    );
  }
  if (list.jobs.length === 0) return <p>No finished jobs yet. Images you generate appear here.</p>;
  return (
    <ul className="recent" aria-label="Recent jobs">
      {list.jobs.map((job) => (
        <li key={job.job_id} className="recent-job">
          <p className="recent-prompt" title={job.prompt}>
            {job.prompt}
          </p>
          <p className="hint">
            {[job.style, `${job.width} × ${job.height}`].filter(Boolean).join(' · ')}
          </p>
          <Results job={job} placer={placer} compact />
        </li>
      ))}
    </ul>
  );
}
