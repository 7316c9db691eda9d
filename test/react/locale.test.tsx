// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { checkRestrictions, describeRejection, UploadError } from '../../src/index.js';
import type { Rejection, UploadErrorCode } from '../../src/index.js';
import { createFormat, en, UploadWidget } from '../../src/react.js';
import type { Locale } from '../../src/react.js';
import { de } from '../../src/react/locales/de.js';
import { zhCN } from '../../src/react/locales/zh-CN.js';
import { loadWidgetFiles } from '../../src/react/useWidgetFiles.js';
import { createFakeUploader, fakeFile } from '../support/fakeUploader.js';

// The widget's totals and rows are a chunk of their own (useWidgetFiles): loaded before the tests,
// they render in the widget's first frame, as these tests read them.
beforeAll(() => loadWidgetFiles());

const MB = 1_000_000;

// Node 20 has no Intl.DurationFormat: these expectations are the NumberFormat fallback's.
describe('formatting with Intl in each language', () => {
  test.each([
    [en, '12.3 MB', '5 bytes', '2.1 MB/s', '42%', '2 min 5 sec', '1 hr 3 min'],
    [de, '12,3 MB', '5 Byte', '2,1 MB/s', '42\u00a0%', '2 Min. 5 Sek.', '1 Std. 3 Min.'],
    [zhCN, '12.3 MB', '5字节', '2.1 MB/秒', '42%', '2分钟 5秒', '1小时 3分钟'],
  ] as const)('%#: bytes, speed, percent, time left', (locale, mb, bytes, speed, percent, minutes, hours) => {
    const format = createFormat(locale);
    expect(format.bytes(12.3 * MB)).toBe(mb);
    expect(format.bytes(5)).toBe(bytes);
    expect(format.speed(2.1 * MB)).toBe(speed);
    expect(format.percent(0.429)).toBe(percent);
    expect(format.eta(125)).toBe(minutes);
    expect(format.eta(3780)).toBe(hours);
    expect(format.eta(null)).toBe('');
  });

  test('rounds up a unit instead of showing 1,000 kB, and never says 100% before done', () => {
    const format = createFormat(en);
    expect(format.bytes(999_960)).toBe('1 MB');
    expect(format.percent(0.999)).toBe('99%');
    expect(format.percent(1)).toBe('100%');
  });

  test('plural forms follow Intl.PluralRules of the language', () => {
    expect(createFormat(en).t('filesNeeded', { n: 1 })).toBe('Add 1 more file to upload.');
    expect(createFormat(en).t('filesNeeded', { n: 2 })).toBe('Add 2 more files to upload.');
    expect(createFormat(de).t('filesNeeded', { n: 1 })).toBe('Noch 1 Datei hinzufügen, um hochzuladen.');
    expect(createFormat(de).t('filesNeeded', { n: 1200 })).toBe('Noch 1.200 Dateien hinzufügen, um hochzuladen.');
    expect(createFormat(zhCN).t('filesNeeded', { n: 3 })).toBe('还需添加 3 个文件才能上传。');
  });
});

describe('restriction messages are data, worded in the current language', () => {
  const file = new File([new Uint8Array(2 * MB)], 'big.bin');
  const tooLarge = checkRestrictions(file, { maxFileSize: MB }, 0) as Rejection;
  const tooMany = checkRestrictions(file, { maxFiles: 1 }, 1) as Rejection;

  test('the core keeps code and params beside its English message', () => {
    expect(tooLarge).toEqual({
      code: 'file-too-large',
      params: { name: 'big.bin', size: 2 * MB, limit: MB },
      message: 'big.bin is 2 MB; the largest allowed is 1 MB (maxFileSize).',
    });
    expect(describeRejection(tooMany)).toBe('big.bin was not added: at most 1 file allowed (maxFiles).');
  });

  test.each([
    [de, 'big.bin ist 2 MB groß; erlaubt sind höchstens 1 MB (maxFileSize).', 'big.bin wurde nicht hinzugefügt: höchstens 1 Datei erlaubt (maxFiles).'],
    [zhCN, 'big.bin 的大小为 2 MB，最大允许 1 MB（maxFileSize）。', 'big.bin 未添加：最多允许 1 个文件（maxFiles）。'],
  ] as const)('%#: in another language', (locale, large, many) => {
    expect(createFormat(locale).rejection(tooLarge)).toBe(large);
    expect(createFormat(locale).rejection(tooMany)).toBe(many);
  });

  test('every rule has a message in every shipped language', () => {
    for (const locale of [en, de, zhCN] as Locale[]) {
      for (const code of Object.keys(en.rules)) expect(locale.rules[code as keyof Locale['rules']]).toBeTruthy();
      expect(Object.keys(locale.words).sort()).toEqual(Object.keys(en.words).sort());
      expect(Object.keys(locale.status).sort()).toEqual(Object.keys(en.status).sort());
    }
  });
});

/**
 * Every code a failed upload can carry. A Record keyed by the whole UploadErrorCode, so a code added
 * to the core and not named here fails the typecheck; `false` marks the codes that never reach a row
 * as a failure ('aborted' is never one, a refused file shows its rejection).
 */
const FAILURE: Record<UploadErrorCode, boolean> = {
  network: true,
  'http-status': true,
  protocol: true,
  stalled: true,
  timeout: true,
  'checksum-mismatch': true,
  'rejected-file': false,
  'file-changed': true,
  unauthorized: true,
  aborted: false,
};
const failureCodes = Object.keys(FAILURE).filter((code) => FAILURE[code as UploadErrorCode]) as (keyof Locale['errors'])[];

describe('a failed upload, worded for the user in the current language', () => {
  test('every shipped language has a sentence for every failure code, with the same placeholders', () => {
    const placeholders = (text: Locale['errors'][keyof Locale['errors']]) => JSON.stringify(text).match(/\{\w+\}/g) ?? [];
    for (const locale of [en, de, zhCN] as Locale[]) {
      expect(Object.keys(locale.errors).sort(), locale.lang).toEqual([...failureCodes].sort());
      for (const code of failureCodes) {
        expect(locale.errors[code], `${locale.lang} ${code}`).toBeTruthy();
        expect(placeholders(locale.errors[code]), `${locale.lang} ${code}`).toEqual(placeholders(en.errors[code]));
      }
    }
  });

  const changed = new UploadError('file-changed', 'The file can no longer be read: x (read 0 of 1048576 bytes)');
  const refused = UploadError.fromResponse('http-status', 'S3 backend: request failed', { method: 'POST', url: 'https://s3.example/sign' }, {
    status: 503,
    body: 'SlowDown',
    header: () => null,
  });

  test.each([
    [de, changed, 'Die Datei lässt sich nicht mehr lesen: Sie wurde geändert, verschoben oder gelöscht. Bitte erneut auswählen.', 'fehlgeschlagen'],
    [de, refused, 'Der Server hat den Upload abgelehnt (Status 503). Bitte später erneut versuchen.', 'fehlgeschlagen'],
    [zhCN, changed, '无法再读取该文件：它可能已被修改、移动或删除。请重新选择该文件。', '上传失败'],
    [zhCN, refused, '服务器拒绝了此次上传（状态码 503）。请稍后重试。', '上传失败'],
  ] as const)('%#: the row shows the words, the title keeps the technical message, the live region announces the words', (locale, error, words, failed) => {
    const uploader = createFakeUploader([fakeFile({ id: 'a', name: 'a.mov', status: 'uploading', size: 10 * MB })]);
    render(<UploadWidget uploader={uploader} locale={locale} />);
    act(() => uploader.patchFile('a', { status: 'failed', error }));
    const problem = document.querySelector('.lu-file-error');
    expect(problem?.textContent).toBe(words);
    expect(problem?.getAttribute('data-code')).toBe(error.code);
    // The words again (a windowed list cuts them to one line), then the technical message.
    expect(problem?.getAttribute('title')).toBe(`${words}\n${error.message}`);
    expect(error.message).toMatch(/^(The file can no longer be read|S3 backend: request failed \(POST https:\/\/s3\.example\/sign → 503: SlowDown\))/);
    expect(screen.getByRole('status').textContent).toBe(locale === de ? `a.mov ${failed}: ${words}` : `a.mov ${failed}：${words}`);
    // The technical English sentence is shown nowhere but in the title.
    expect(document.body.textContent).not.toContain(error.message);
  });

  test('English by default; a code the locale has no words for shows the error message', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a', name: 'a.mov', status: 'failed', error: new UploadError('unauthorized', 'tus: PATCH failed (PATCH https://x/files/1 → 401)') })]);
    render(<UploadWidget uploader={uploader} />);
    expect(document.querySelector('.lu-file-error')?.textContent).toBe('Not allowed to upload. Sign in again, then retry.');
    // A custom format's lookup misses for a code outside FailureCode: the message, never an empty row.
    expect(createFormat(de).failure(new UploadError('aborted', 'Aborted by the caller'))).toBe('Aborted by the caller');
  });
});

describe('<UploadWidget locale>', () => {
  function renderIn(locale: Locale | undefined, files = [fakeFile({ id: 'a', name: 'a.mov', status: 'uploading', size: 10 * MB, bytesAcknowledged: 4 * MB, progress: 0.4, speed: MB, eta: 65 })]) {
    const uploader = createFakeUploader(files);
    const view = render(<UploadWidget uploader={uploader} locale={locale} />);
    return { uploader, view };
  }

  test('German: every word, number and the rejection re-worded; lang set on the widget', () => {
    const { uploader, view } = renderIn(de);
    const widget = screen.getByRole('region', { name: 'Datei-Upload' });
    expect(widget.getAttribute('lang')).toBe('de');
    expect(screen.getByRole('button', { name: 'Dateien zum Hochladen auswählen' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Anhalten a.mov' })).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'a.mov' }).getAttribute('aria-valuetext')).toBe('40\u00a0% — 4 MB von 10 MB');
    expect(view.container.querySelector('.lu-file-detail')?.textContent).toBe('4 MB von 10 MB · 1 MB/s · noch 1 Min. 5 Sek.');
    expect(screen.getByText('Wird hochgeladen')).toBeTruthy();
    act(() =>
      uploader.setFiles([
        ...uploader.getSnapshot().files,
        fakeFile({ id: 'r', name: 'x.exe', status: 'rejected', rejection: { code: 'too-many-files', message: 'English', params: { name: 'x.exe', n: 2 } } }),
      ]),
    );
    const text = 'x.exe wurde nicht hinzugefügt: höchstens 2 Dateien erlaubt (maxFiles).';
    expect(screen.getByText(text, { selector: '.lu-file-error' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe(text);
  });

  test('Chinese, and English when no locale is given', () => {
    const chinese = renderIn(zhCN);
    expect(screen.getByRole('region', { name: '文件上传' })).toBeTruthy();
    expect(screen.getByText('已上传 0 / 1 · 1 MB/秒')).toBeTruthy();
    expect(document.querySelector('.lu-file-detail')?.textContent).toBe('4 MB / 10 MB · 1 MB/秒 · 剩余 1分钟 5秒');
    chinese.view.unmount();
    renderIn(undefined);
    expect(screen.getByText('0 of 1 uploaded · 1 MB/s')).toBeTruthy();
    expect(document.querySelector('.lu-file-detail')?.textContent).toBe('4 MB of 10 MB · 1 MB/s · 1 min 5 sec left');
  });

  test('a locale with dir: "rtl" sets dir on the widget; without one the page decides', () => {
    const rtl: Locale = { ...en, lang: 'ar', dir: 'rtl' };
    renderIn(rtl);
    expect(screen.getByRole('region', { name: 'File upload' }).getAttribute('dir')).toBe('rtl');
    expect(document.querySelector('.lu-uploader:not([dir])')).toBeNull();
  });
});

describe('the manual flow in the widget', () => {
  test('Upload all starts every queued file; a waiting file is removed in one step', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a', name: 'a.bin', waiting: 'start' }), fakeFile({ id: 'b', name: 'b.bin', waiting: 'start' })]);
    render(<UploadWidget uploader={uploader} />);
    fireEvent.click(screen.getByRole('button', { name: 'Upload all' }));
    expect(uploader.calls).toContainEqual({ method: 'start', args: [undefined] });
    const row = screen.getByText('b.bin', { selector: '.lu-file-name' }).closest('li') as HTMLElement;
    expect(within(row).queryByRole('button', { name: 'Cancel b.bin' })).toBeNull();
    fireEvent.click(within(row).getByRole('button', { name: 'Remove b.bin' }));
    expect(uploader.calls).toContainEqual({ method: 'remove', args: ['b'] });
  });

  test('while minFiles is unmet, Upload all stays focusable, says what is missing, and does nothing', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a', name: 'a.bin', waiting: 'start' })]);
    const snapshot = uploader.getSnapshot();
    vi.spyOn(uploader, 'getSnapshot').mockReturnValue({ ...snapshot, totals: { ...snapshot.totals, filesNeeded: 2 } });
    render(<UploadWidget uploader={uploader} />);
    const button = screen.getByRole('button', { name: 'Upload all' });
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Add 2 more files to upload.');
    fireEvent.click(button);
    expect(uploader.calls.filter((call) => call.method === 'start')).toEqual([]);
  });

  test('a file being checked shows its state and offers Remove', () => {
    const uploader = createFakeUploader([fakeFile({ id: 'a', name: 'a.bin', status: 'checking' })]);
    render(<UploadWidget uploader={uploader} />);
    expect(screen.getByText('Checking')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove a.bin' })).toBeTruthy();
  });
});
