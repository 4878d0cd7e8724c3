import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** The file name from Content-Disposition (needs the API to expose that header across origins). */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain parameter */
    }
  }
  const plain = /filename\s*=\s*("?)([^";]+)\1/i.exec(header);
  return plain?.[2]?.trim() || fallback;
}

/**
 * GET /jobs/{id}/archive with the bearer token, saved through an object URL: a plain link
 * cannot carry the Authorization header.
 */
export async function downloadJobArchive(jobId: string): Promise<string> {
  const { data, response } = await api().GET('/jobs/{job_id}/archive', {
    params: { path: { job_id: jobId } },
    parseAs: 'blob',
  });
  const blob = data as Blob;
  const filename = filenameFromDisposition(response.headers.get('Content-Disposition'), `job-${jobId}.zip`);
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.rel = 'noopener';
    link.style.display = 'none';
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Give the browser a moment to start the download before the URL is revoked.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return filename;
}

export function useDownloadJobArchive(jobId: string) {
  return useMutation({ mutationFn: () => downloadJobArchive(jobId) });
}
