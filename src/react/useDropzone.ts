import { useCallback, useRef, useState } from 'react';
import type {
  ChangeEvent,
  ClipboardEvent,
  DragEvent,
  HTMLAttributes,
  InputHTMLAttributes,
  KeyboardEvent,
  MouseEvent,
  Ref,
  RefCallback,
  RefObject,
  SyntheticEvent,
} from 'react';
import { readDroppedFiles } from './readDroppedFiles.js';

export type RootProps = HTMLAttributes<HTMLElement> & { 'data-drag-active'?: '' };
export type InputProps = InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> };

export interface DropzoneOptions {
  /** Receives the files chosen, dropped (folders expanded) or pasted. */
  onFiles(files: File[]): void;
  /** `accept` attribute of the input (the core enforces restrictions either way). */
  accept?: readonly string[];
  /** Default true; false lets the dialog choose one file, and a drop or paste add only the first. */
  multiple?: boolean;
  disabled?: boolean;
  /** Reading a dropped folder failed; defaults to the global error reporter. */
  onDropError?: (error: unknown) => void;
  /**
   * Opens a dialog of its own instead of the input (useUpload: the File System Access picker, whose
   * files keep handles); returns false to let the input open. `fallback` opens the input later.
   */
  pick?: (fallback: () => void) => boolean;
}

export interface DropzoneState {
  getRootProps(props?: RootProps): RootProps;
  getInputProps(props?: InputProps): InputProps;
  isDragActive: boolean;
  /** Opens the file dialog (needs a user gesture, as every browser requires). */
  open(): void;
}

/**
 * Theirs first; ours only when theirs neither called preventDefault() nor stopPropagation(),
 * which is how a caller takes an event over (as in react-dropzone).
 */
export function composeHandlers<E extends SyntheticEvent>(theirs: ((event: E) => void) | undefined, ours: (event: E) => void) {
  return (event: E) => {
    theirs?.(event);
    if (event.isDefaultPrevented() || event.isPropagationStopped()) return;
    ours(event);
  };
}

// A method type, so the handlers' narrower event types are accepted (as React's own EventHandler does).
type Handler = { bivariant(event: SyntheticEvent<HTMLElement>): void }['bivariant'];

/** Each of our root handlers (named as the props), run after the caller's handler of the same name. */
function composeAll(props: RootProps, ours: Record<string, Handler>): RootProps {
  const theirs = props as Record<string, Handler | undefined>;
  const composed: Record<string, Handler> = {};
  for (const name in ours) composed[name] = composeHandlers(theirs[name], ours[name] as Handler);
  return composed;
}

function assignRef<T>(ref: Ref<T> | undefined, value: T | null) {
  if (typeof ref === 'function') ref(value);
  else if (ref) ref.current = value;
}

const reportDropError = (error: unknown) => globalThis.reportError?.(error);

/**
 * Our side of each root event; the prop getter composes them after the caller's. Positional
 * arguments: `add` already honours `multiple` (the first file only), as drops and pastes must.
 */
function rootHandlers(
  input: RefObject<HTMLInputElement | null>,
  dragDepth: RefObject<number>,
  setDragActive: (active: boolean) => void,
  open: () => void,
  add: (files: File[]) => void,
  disabled: boolean,
  onDropError: (error: unknown) => void,
) {
  /** A drag of files (not text or links) while enabled: take it over from the browser. */
  const takeDrag = (event: DragEvent<HTMLElement>): boolean => {
    const ours = !disabled && Array.from(event.dataTransfer?.types ?? []).includes('Files');
    if (ours) event.preventDefault();
    return ours;
  };
  const leave = (depth: number) => {
    dragDepth.current = depth;
    if (depth === 0) setDragActive(false);
  };
  return {
    onClick(event: MouseEvent<HTMLElement>) {
      if (event.target !== input.current) open();
    },
    onKeyDown(event: KeyboardEvent<HTMLElement>) {
      // Only the root itself: a key on a focusable child (a button) already clicks it.
      if (event.target !== event.currentTarget || (event.key !== 'Enter' && event.key !== ' ')) return;
      event.preventDefault();
      open();
    },
    onDragEnter(event: DragEvent<HTMLElement>) {
      if (!takeDrag(event)) return;
      dragDepth.current += 1;
      setDragActive(true);
    },
    onDragOver(event: DragEvent<HTMLElement>) {
      // Without preventDefault on dragover the browser refuses the drop.
      if (takeDrag(event)) event.dataTransfer.dropEffect = 'copy';
    },
    // Entering a child fires dragleave on the parent: count depth instead of trusting one event.
    onDragLeave: () => leave(Math.max(0, dragDepth.current - 1)),
    onDrop(event: DragEvent<HTMLElement>) {
      event.preventDefault();
      leave(0);
      if (!disabled) readDroppedFiles(event.dataTransfer).then((files) => files.length > 0 && add(files), onDropError);
    },
    onPaste(event: ClipboardEvent<HTMLElement>) {
      const files = Array.from(event.clipboardData?.files ?? []);
      if (disabled || files.length === 0) return;
      event.preventDefault();
      add(files);
    },
  };
}

/** Headless drag and drop, click, keyboard and paste handling for choosing files. */
export function useDropzone(options: DropzoneOptions): DropzoneState {
  const { onFiles, accept, multiple = true, disabled = false, onDropError = reportDropError, pick } = options;
  const input = useRef<HTMLInputElement | null>(null);
  const callerInputRef = useRef<Ref<HTMLInputElement> | undefined>(undefined);
  const dragDepth = useRef(0);
  const [isDragActive, setDragActive] = useState(false);

  const open = useCallback(() => {
    if (disabled) return;
    const fallback = () => input.current?.click();
    if (!pick?.(fallback)) fallback();
  }, [disabled, pick]);
  // Stable, so React does not detach and re-attach the input ref on every render.
  const setInputRef = useCallback<RefCallback<HTMLInputElement>>((element) => {
    input.current = element;
    assignRef(callerInputRef.current, element);
  }, []);

  // multiple: false holds for drops and pastes as it does for the dialog: the first file only.
  const add = (files: File[]) => onFiles(multiple ? files : files.slice(0, 1));
  const handlers = rootHandlers(input, dragDepth, setDragActive, open, add, disabled, onDropError);

  const getRootProps = (props: RootProps = {}): RootProps => ({
    role: 'button',
    tabIndex: disabled ? -1 : 0,
    'aria-disabled': disabled || undefined,
    ...props,
    'data-drag-active': isDragActive ? '' : undefined,
    ...composeAll(props, handlers),
  });

  const getInputProps = ({ ref, ...props }: InputProps = {}): InputProps => {
    callerInputRef.current = ref;
    return {
      type: 'file',
      multiple,
      accept: accept?.join(','),
      hidden: true,
      tabIndex: -1,
      disabled,
      ...props,
      ref: setInputRef,
      // The input sits inside the root: its own click must never bubble up and open it again.
      onClick: (event: MouseEvent<HTMLInputElement>) => {
        props.onClick?.(event);
        event.stopPropagation();
      },
      onChange: composeHandlers(props.onChange, (event: ChangeEvent<HTMLInputElement>) => {
        const files = Array.from(event.target.files ?? []);
        // Clear the value so choosing the same file again fires change again.
        event.target.value = '';
        if (files.length > 0) onFiles(files);
      }),
    };
  };

  return { getRootProps, getInputProps, isDragActive, open };
}
