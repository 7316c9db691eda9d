import type { FileSnapshot, FileStatus, Uploader } from '../index.js';
import { useFormat } from './format.js';

/** The per-file commands a row offers; an Uploader satisfies it, and so does useUpload's result. */
export type FileActions = Pick<Uploader, 'start' | 'pause' | 'resume' | 'cancel' | 'retry' | 'remove'>;

/** 'discard' is remove() worded for a restored entry (an upload of an earlier page). */
type Command = 'start' | 'pause' | 'resume' | 'retry' | 'cancel' | 'remove' | 'discard';

/** The command that moves each unfinished status on; finished files offer only Remove. */
const PRIMARY: Partial<Record<FileStatus, Command>> = { queued: 'start', uploading: 'pause', paused: 'resume', failed: 'retry' };

function run(actions: FileActions, command: Command, id: string) {
  // cancel() settles when the server upload is terminated; its failures show in the snapshot.
  if (command === 'cancel') void actions.cancel(id).catch(() => undefined);
  else actions[command === 'discard' ? 'remove' : command](id);
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
}

/** The commands of the two slots: [primary (or none), secondary]. */
function commandsOf(file: FileSnapshot): [Command | undefined, Command] {
  // A restored entry: Resume when a kept file handle allows it (the browser asks for permission), else
  // the user drops or chooses the file again; Discard ends it on the server.
  if (file.restored) return [file.restored === 'reopen' ? 'resume' : undefined, 'discard'];
  const primary = PRIMARY[file.status];
  // Start shows only for a file that waits for it (autoStart off), not for one waiting for a free slot.
  const waiting = file.status === 'checking' || file.waiting === 'start';
  return [primary === 'start' && file.waiting !== 'start' ? undefined : primary, primary && primary !== 'retry' && !waiting ? 'cancel' : 'remove'];
}

/**
 * Two fixed slots. Pause and Resume share one button element (and Cancel and Remove the other),
 * so the button a keyboard user just pressed keeps focus when its label flips. A file that has not
 * started (being checked, or waiting for Start) is removed in one step: remove() cancels it first.
 */
export function FileRowActions({ file, actions }: FileRowActionsProps) {
  const { t } = useFormat();
  const button = (slot: string, command: Command | undefined) =>
    command && (
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
        {t(command)}
        <span className="lu-visually-hidden"> {file.name}</span>
      </button>
    );
  const [primary, secondary] = commandsOf(file);
  return (
    <div className="lu-file-actions">
      {button('primary', primary)}
      {button('secondary', secondary)}
    </div>
  );
}
