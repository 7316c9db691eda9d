// An app's own code: it imports the installed package by name, as a user would.
import { createUploader, tus } from 'lean-upload';

const MiB = 1024 * 1024;
const uploader = createUploader({
  protocol: tus({ endpoint: '/files' }),
  checksum: 'sha-256',
  partSize: 2 * MiB,
  resume: false,
});
const output = document.querySelector('output');
uploader.subscribe(() => {
  const file = uploader.getSnapshot().files[0];
  if (file?.status === 'completed' || file?.status === 'failed') {
    output.dataset.status = file.status;
    output.textContent = file.error ? String(file.error) : file.status;
  }
});
document.querySelector('input').addEventListener('change', (event) => uploader.add(event.target.files));
