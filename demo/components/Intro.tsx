/** The two sentences a visitor needs before the chart makes sense. */
export function Intro() {
  return (
    <header className="intro">
      <p className="eyebrow">lean-upload · live demo</p>
      <h1>Upload gigabytes, hold megabytes</h1>
      <p className="lead">
        Each file is read in chunks into a fixed pool of buffers that are reused from chunk to chunk, then sent to a real
        upload server running beside this page (tus, or S3 multipart in the settings). The chart shows the bytes the library holds in memory, which stay under the
        budget however large the file is.
      </p>
    </header>
  );
}
