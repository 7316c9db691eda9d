// Min+gzip size of what an app ships for the upload widget: core + tus + useUpload + <UploadWidget>.
// Vite's library build keeps whitespace in ES output (for consumers' tree-shaking), so the number a
// user pays is measured here with rolldown minifying an app-like entry. CSS is reported separately.
import { build } from 'rolldown';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entries = {
  'core + tus': "export { createUploader, tus } from './src/index.ts';",
  'core + tus + useUpload + <UploadWidget>':
    "export { createUploader, tus } from './src/index.ts'; export { useUpload, UploadWidget } from './src/react.ts';",
  'everything (+ MemoryMeter, parts)': "export * from './src/index.ts'; export * from './src/react.ts';",
};

const virtual = {
  name: 'entries-and-no-css',
  resolveId(id) {
    if (id.startsWith('entry:')) return `\0${id}`;
    if (id.endsWith('.css')) return '\0empty-css';
    return null;
  },
  load(id) {
    if (id === '\0empty-css') return 'export {}';
    if (id.startsWith('\0entry:')) return entries[id.slice('\0entry:'.length)];
    return null;
  },
};

export async function measureBundles() {
  const rows = [];
  for (const name of Object.keys(entries)) {
    const result = await build({
      cwd: root,
      input: `entry:${name}`,
      external: [/^react($|\/)/, /^react-dom($|\/)/],
      plugins: [virtual],
      write: false,
      logLevel: 'silent',
      output: { minify: true, format: 'esm' },
      transform: { jsx: 'react-jsx' },
    });
    const code = result.output.filter((o) => o.type === 'chunk').map((o) => o.code).join('\n');
    rows.push({ name, minBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length });
  }
  const css = readFileSync(`${root}src/react/lean-upload.css`);
  rows.push({ name: 'lean-upload.css', minBytes: css.length, gzipBytes: gzipSync(css, { level: 9 }).length });
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const row of await measureBundles()) {
    console.log(`${row.name.padEnd(40)} ${(row.gzipBytes / 1024).toFixed(1).padStart(6)} KiB min+gzip`);
  }
}
