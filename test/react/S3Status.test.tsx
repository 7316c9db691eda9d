// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { S3Status } from '../../demo/components/S3Status.js';
import { SWIFT_INSTALL_COMMAND } from '../../demo/server/swift/startSwift.js';

afterEach(() => vi.unstubAllGlobals());

function answering(body: unknown): void {
  vi.stubGlobal('fetch', vi.fn(async (url: string) => (url === '/s3/status' ? new Response(JSON.stringify(body), { status: 200 }) : new Response(null, { status: 404 }))));
}

test('without Swift, the demo says on the page which command installs it', async () => {
  answering({ installed: false, installCommand: SWIFT_INSTALL_COMMAND });
  render(<S3Status endpoint="/s3" />);
  const note = await screen.findByRole('status');
  expect(note.textContent).toContain('OpenStack Swift');
  expect(note.querySelector('code')?.textContent).toBe(SWIFT_INSTALL_COMMAND);
});
