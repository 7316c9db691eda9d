import { enRules } from '../index.js';
import type { FileStatus, RuleTexts, Text, UploadErrorCode } from '../index.js';

/**
 * The codes a failed file's `error` can carry: 'aborted' is never a failure, and a refused file shows
 * its `rejection` (worded by `rules`), not its 'rejected-file' error.
 */
export type FailureCode = Exclude<UploadErrorCode, 'aborted' | 'rejected-file'>;

/** The widget's words; `{name}`-style placeholders, plural forms chosen by `{n}`. */
export interface Words {
  /** Accessible name of the widget. */
  widget: Text;
  /** The drop area's keyboard target. */
  choose: Text;
  drop: Text;
  dropActive: Text;
  orClick: Text;
  /** Accessible name of the file list, and of the overall progress bar. */
  files: Text;
  allFiles: Text;
  start: Text;
  pause: Text;
  resume: Text;
  retry: Text;
  cancel: Text;
  remove: Text;
  startAll: Text;
  pauseAll: Text;
  resumeAll: Text;
  retryAll: Text;
  /** Why Upload all waits: restrictions.minFiles is not met ({n} files missing). */
  filesNeeded: Text;
  /** A progress bar's spoken value: {percent}, {done}, {total}. */
  progress: Text;
  /** {done} of {total} bytes. */
  ofTotal: Text;
  /** {done} of {n} files uploaded. */
  summary: Text;
  failedCount: Text;
  resumed: Text;
  /** FileSnapshot.waiting: the browser is offline, or another tab sends this upload. */
  waitingOffline: Text;
  waitingOtherTab: Text;
  /** A restored entry (an unfinished upload of an earlier page): {done} the server holds, of {total}. */
  onServer: Text;
  chooseAgain: Text;
  resumeToContinue: Text;
  discard: Text;
  /** {time} is a duration ("2 min, 5 sec"). */
  timeLeft: Text;
  /** Announcements: {name}; {message} is the failure's sentence from `errors` (with its own full stop). */
  uploaded: Text;
  failed: Text;
}

/**
 * Every word the widget and the restriction messages show, and the language `Intl` formats numbers,
 * bytes, speeds, percentages and durations in. English is built in; others are their own modules
 * ('lean-upload/locales/de', 'lean-upload/locales/zh-CN'), so an app ships only the ones it imports.
 */
export interface Locale extends RuleTexts {
  /** Set on the widget when given; leave it out to follow the page ('rtl' for Arabic, Hebrew...). */
  readonly dir?: 'ltr' | 'rtl';
  readonly status: Readonly<Record<FileStatus, string>>;
  readonly words: Readonly<Words>;
  /**
   * What a failed upload shows and announces, per error code: a sentence a user understands and can act
   * on ({status} is the HTTP status of 'http-status'). The error's technical message stays in the row's
   * title and in the snapshot.
   */
  readonly errors: Readonly<Record<FailureCode, Text>>;
}

export const en: Locale = {
  ...enRules,
  status: {
    checking: 'Checking',
    queued: 'Waiting',
    uploading: 'Uploading',
    paused: 'Paused',
    completed: 'Uploaded',
    failed: 'Failed',
    canceled: 'Canceled',
    rejected: 'Not added',
  },
  words: {
    widget: 'File upload',
    choose: 'Choose files to upload',
    drop: 'Drop files or folders here',
    dropActive: 'Drop to upload',
    orClick: 'or click to choose',
    files: 'Files',
    allFiles: 'All files',
    start: 'Start',
    pause: 'Pause',
    resume: 'Resume',
    retry: 'Retry',
    cancel: 'Cancel',
    remove: 'Remove',
    startAll: 'Upload all',
    pauseAll: 'Pause all',
    resumeAll: 'Resume all',
    retryAll: 'Retry failed',
    filesNeeded: { one: 'Add {n} more file to upload.', other: 'Add {n} more files to upload.' },
    progress: '{percent} — {done} of {total}',
    ofTotal: '{done} of {total}',
    summary: '{done} of {n} uploaded',
    failedCount: '{n} failed',
    resumed: 'resumed',
    waitingOffline: 'offline, waiting',
    waitingOtherTab: 'uploading in another tab',
    onServer: '{done} of {total} on the server',
    chooseAgain: 'choose the file again to continue',
    resumeToContinue: 'resume to continue',
    discard: 'Discard',
    timeLeft: '{time} left',
    uploaded: '{name} uploaded.',
    failed: '{name} failed: {message}',
  },
  errors: {
    network: 'No connection to the server. Check the connection and retry.',
    'http-status': 'The server refused the upload (status {status}). Retry later.',
    protocol: 'The server answered in a way the uploader does not understand.',
    stalled: 'The upload stopped making progress. Retry.',
    timeout: 'The server did not answer in time. Retry.',
    'checksum-mismatch': 'The server received different bytes than were sent. Retry.',
    'file-changed': 'The file can no longer be read: it changed, moved or was deleted. Choose it again.',
    unauthorized: 'Not allowed to upload. Sign in again, then retry.',
  },
};
