// Node environment on purpose: no window, no document. Touching either throws a ReferenceError.
import { renderToString } from 'react-dom/server';
import type { Protocol } from '../../src/index.js';
import { createFakeUploader, fakeFile } from '../support/fakeUploader.js';

const protocol: Protocol = { name: 'none', endpoint: '/files', open: () => Promise.reject(new Error('not used')) };

describe('server rendering', () => {
  it('runs where window and document do not exist', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  it('imports the React entry and renders the widget, the meter and the hook to HTML', async () => {
    const { UploadWidget, MemoryMeter, useUpload, preloadUploadWidget } = await import('../../src/react.js');
    // The widget's totals and rows are a chunk of their own; the server renders them once the public
    // preload has loaded it (renderToString waits for nothing): without it the row below is missing.
    await preloadUploadWidget();
    const uploader = createFakeUploader([fakeFile({ id: 'a', name: 'résumé.pdf', status: 'uploading', progress: 0.42 })]);
    function Custom() {
      const { files, getRootProps, getInputProps } = useUpload({ protocol });
      return (
        <div {...getRootProps()}>
          <input {...getInputProps()} />
          {`${files.length} files`}
        </div>
      );
    }

    const html = renderToString(
      <>
        <UploadWidget uploader={uploader} />
        <MemoryMeter uploader={uploader} />
        <Custom />
      </>,
    );

    expect(html).toContain('résumé.pdf');
    expect(html).toContain('aria-valuenow="42"');
    expect(html).toContain('role="meter"');
    expect(html).toContain('0 files');
  });
});
