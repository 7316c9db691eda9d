import { createUploader } from '../../src/core/createUploader.js';
import { memoryUrlStorage, resumeKey } from '../../src/core/resumeStorage.js';
import { tus } from '../../src/protocols/index.js';
import { bytes, settle, track, until } from '../core/harness.js';
import { createFakeClock } from '../support/fakeClock.js';
import { FakeHttp, tusAnswers } from '../support/fakeHttp.js';
import { ENDPOINT, UPLOAD_URL } from './tusTranscript.js';

/**
 * tus creates a large file's upload with a bodiless POST and sends the first part right after, in
 * one sendPart call: the URL must be kept as soon as the POST is answered (the session reports a
 * resume point), not when the part is acknowledged, or a reload during the first part starts the
 * whole file over.
 */
test('the new upload URL is stored once the creating POST is answered, before any acknowledgement', async () => {
  const http = new FakeHttp();
  const storage = memoryUrlStorage();
  const uploader = track(createUploader({
    protocol: tus({ endpoint: ENDPOINT, http }),
    clock: createFakeClock(1_000_000),
    resume: storage,
    checksum: false,
    partSize: 1000,
    maxPartSize: 1000,
  }));
  const file = new File([bytes(2500, 7)], 'clip.mov', { type: 'video/quicktime', lastModified: 1 });
  uploader.add([file]);
  (await http.next('OPTIONS')).respond(204, tusAnswers.options('creation,creation-with-upload,termination'));
  (await http.next('POST', ENDPOINT)).respond(201, tusAnswers.created(UPLOAD_URL));
  const first = await http.next('PATCH', UPLOAD_URL);
  await until(() => storage.get(resumeKey(ENDPOINT, file)) !== undefined, 'the stored record');
  expect(storage.get(resumeKey(ENDPOINT, file))).toMatchObject({ url: UPLOAD_URL });

  first.progress(100);
  await settle();
  expect(uploader.getSnapshot().files[0]).toMatchObject({ url: UPLOAD_URL, bytesAcknowledged: 0 });
});
