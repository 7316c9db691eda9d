import type { TestProject } from 'vitest/node';
import { SHARED_SWIFT_ENV } from '../../demo/server/s3Plugin.ts';
import { startSwift, SWIFT_INSTALL_COMMAND, swiftInstalled } from '../../demo/server/swift/startSwift.ts';

/**
 * One Swift (S3 engine) for the whole browser project: started before the first test file, named to
 * the S3 plugin through the environment, stopped at the end. Without Swift the S3 tests fail, saying
 * which command installs it.
 */
export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  if (!swiftInstalled()) {
    console.warn(`OpenStack Swift is not installed; the S3 browser tests will fail. Install: ${SWIFT_INSTALL_COMMAND}`);
    return async () => {};
  }
  const swift = await startSwift();
  process.env[SHARED_SWIFT_ENV] = JSON.stringify({ endpoint: swift.endpoint, region: swift.region, credentials: swift.credentials });
  return async () => {
    delete process.env[SHARED_SWIFT_ENV];
    await swift.stop();
  };
}
