import { useEffect, useState } from 'react';

interface Status {
  installed: boolean;
  installCommand: string;
}

/**
 * In the S3 mode, says so on the page when the S3 engine (OpenStack Swift) is not installed on the
 * machine that serves the demo, and which command installs it. Says nothing otherwise.
 */
export function S3Status({ endpoint }: { endpoint: string }) {
  const [status, setStatus] = useState<Status | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetch(`${endpoint}/status`, { signal: controller.signal })
      .then((answer) => (answer.ok ? (answer.json() as Promise<Status>) : null))
      .then(setStatus, () => setStatus(null));
    return () => controller.abort();
  }, [endpoint]);
  if (!status || status.installed) return null;
  return (
    <p className="note" role="status">
      The S3 mode needs OpenStack Swift (the S3 engine), which is not installed here. Install it with{' '}
      <code>{status.installCommand}</code> and restart the demo.
    </p>
  );
}
