import {
  CHECKSUMS,
  PART_SIZES,
  CONCURRENCIES,
  LANGUAGES,
  MEMORY_BUDGETS,
  SERVERS,
  STARTS,
  THEMES,
  type DemoSettings,
} from '../settings/demoSettings.js';
import { SelectField } from './SelectField.js';
import { S3Status } from './S3Status.js';

interface SettingsPanelProps {
  settings: DemoSettings;
  onChange: (settings: DemoSettings) => void;
  /** True while files are uploading: a new uploader would drop them, so settings wait. */
  locked: boolean;
}

export function SettingsPanel({ settings, onChange, locked }: SettingsPanelProps) {
  const set = <K extends keyof DemoSettings>(key: K) => (value: DemoSettings[K]) => onChange({ ...settings, [key]: value });
  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <form className="settings" aria-describedby="settings-note" onSubmit={(event) => event.preventDefault()}>
        <fieldset disabled={locked}>
          <legend className="visually-hidden">Uploader settings</legend>
          <SelectField name="partSize" label="Part size" value={settings.partSize} choices={PART_SIZES} onChange={set('partSize')} />
          <SelectField
            name="memoryBudget"
            label="Memory budget"
            value={settings.memoryBudget}
            choices={MEMORY_BUDGETS}
            onChange={set('memoryBudget')}
          />
          <SelectField
            name="concurrency"
            label="Files at once"
            value={settings.concurrency}
            choices={CONCURRENCIES}
            onChange={set('concurrency')}
          />
          <SelectField className="wide" name="checksum" label="Checksum" value={settings.checksum} choices={CHECKSUMS} onChange={set('checksum')} />
          <SelectField className="wide" name="server" label="Server" value={settings.server} choices={SERVERS} onChange={set('server')} />
          <SelectField className="wide" name="start" label="Start uploads" value={settings.start} choices={STARTS} onChange={set('start')} />
        </fieldset>
        {/* Display only: changes the widget in place, so it stays open while files upload. */}
        <fieldset className="display">
          <legend className="visually-hidden">Display</legend>
          <SelectField name="language" label="Language" value={settings.language} choices={LANGUAGES} onChange={set('language')} />
          <SelectField name="theme" label="Theme" value={settings.theme} choices={THEMES} onChange={set('theme')} />
        </fieldset>
        {(settings.server === '/s3' || settings.server === '/files-s3') && <S3Status endpoint="/s3" />}
        <p id="settings-note" className="note" aria-live="polite">
          {locked
            ? 'Settings are locked while files upload.'
            : 'Changing a setting starts a fresh uploader with an empty list.'}
        </p>
      </form>
    </section>
  );
}
