import { useCallback, useMemo, useRef, useState } from 'react';
import { Intro } from './components/Intro.js';
import { SettingsPanel } from './components/SettingsPanel.js';
import { TestFileGenerator } from './components/TestFileGenerator.js';
import { Workbench, type WorkbenchHandle } from './components/Workbench.js';
import { localeOf, useDocumentTheme } from './settings/demoDisplay.js';
import { DEFAULT_SETTINGS, settingsKey } from './settings/demoSettings.js';
import { toUploaderOptions } from './settings/toUploaderOptions.js';
import { useTestFileGenerator } from './testFile/useTestFileGenerator.js';

export function App() {
  const [settings, setSettings] = useState(DEFAULT_SETTINGS);
  const [busy, setBusy] = useState(false);
  const workbench = useRef<WorkbenchHandle | null>(null);
  const options = useMemo(() => toUploaderOptions(settings), [settings]);
  const onReady = useCallback((handle: WorkbenchHandle | null) => {
    workbench.current = handle;
  }, []);
  const onGenerated = useCallback((file: File) => workbench.current?.add([file]), []);
  const generator = useTestFileGenerator(onGenerated);
  useDocumentTheme(settings.theme);

  return (
    <div className="page">
      <Intro />
      <main>
        <Workbench key={settingsKey(settings)} options={options} locale={localeOf(settings.language)} onReady={onReady} onBusyChange={setBusy}>
          <TestFileGenerator {...generator} />
        </Workbench>
        <SettingsPanel settings={settings} onChange={setSettings} locked={busy} />
      </main>
      <footer className="footer">
        <p>
          Uploads go to a tus 1.0 server (or an S3-compatible one) inside this page&rsquo;s dev server and are stored in{' '}
          <code>.uploads/demo</code> (<code>.uploads/demo-s3</code> for S3).
          Nothing leaves this machine.
        </p>
      </footer>
    </div>
  );
}
