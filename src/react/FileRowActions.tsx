import type { FileSnapshot, FileStatus, Uploader } from '../index.js';

/** The per-file commands a row offers; an Uploader satisfies it, and so does useUpload's result. */
export type FileActions = Pick<Uploader, 'start' | 'pause' | 'resume' | 'cancel' | 'retry' | 'remove'>;

type Command = 'start' | 'pause' | 'resume' | 'retry' | 'cancel' | 'remove';

const LABELS: Record<Command, string> = {
  start: 'Start',
  pause: 'Pause',
  resume: 'Resume',
  retry: 'Retry',
  cancel: 'Cancel',
  remove: 'Remove',
};

/**
 * Two fixed slots per status. Pause and Resume share one button element (and Cancel and Remove the
 * other), so the button a keyboard user just pressed keeps focus when its label flips.
 */
const SLOTS: Record<FileStatus, readonly [Command | null, Command]> = {
  queued: ['start', 'cancel'],
  uploading: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  failed: ['retry', 'remove'],
  completed: [null, 'remove'],
  canceled: [null, 'remove'],
  rejected: [null, 'remove'],
};

function run(actions: FileActions, command: Command, id: string) {
  // cancel() settles when the server upload is terminated; its failures show in the snapshot.
  if (command === 'cancel') void actions.cancel(id).catch(() => undefined);
  else actions[command](id);
}

/** After Remove, the row disappears: hand focus to the neighbouring row instead of the page. */
function focusNeighbour(button: HTMLButtonElement) {
  const row = button.closest('li');
  const next = row?.nextElementSibling ?? row?.previousElementSibling;
  const target = next?.querySelector<HTMLButtonElement>('.lu-file-actions button:last-child');
  target?.focus();
}

export interface FileRowActionsProps {
  file: FileSnapshot;
  actions: FileActions;
  /** Hide Start for queued files when uploads start by themselves. */
  autoStart?: boolean;
}

export function FileRowActions({ file, actions, autoStart = true }: FileRowActionsProps) {
  const [primary, secondary] = SLOTS[file.status];
  const shown = primary === 'start' && autoStart ? null : primary;
  const button = (slot: string, command: Command) => (
    <button
      key={slot}
      type="button"
      className="lu-button"
      data-command={command}
      onClick={(event) => {
        if (command === 'remove') focusNeighbour(event.currentTarget);
        run(actions, command, file.id);
      }}
    >
      {LABELS[command]}
      <span className="lu-visually-hidden"> {file.name}</span>
    </button>
  );
  return (
    <div className="lu-file-actions">
      {shown && button('primary', shown)}
      {button('secondary', secondary)}
    </div>
  );
}
