import type { ReactNode } from 'react';
import { useFormat } from './format.js';
import type { DropzoneState } from './useDropzone.js';

export interface DropzoneProps extends Pick<DropzoneState, 'getRootProps' | 'getInputProps' | 'isDragActive'> {
  /** Visible text of the drop area. */
  children?: ReactNode;
  /** Accessible name of the keyboard target. */
  buttonLabel?: string;
  className?: string;
  disabled?: boolean;
}

/**
 * The drop area. Pointer users click or drop anywhere on it; keyboard users reach a real, visually
 * hidden button (Enter/Space opens the dialog; paste while it has focus adds pasted files), and the
 * area shows that button's focus ring.
 */
export function Dropzone(props: DropzoneProps) {
  const { t } = useFormat();
  const { getRootProps, getInputProps, isDragActive, children, buttonLabel = t('choose') } = props;
  const rootProps = getRootProps({
    className: props.className ? `lu-dropzone ${props.className}` : 'lu-dropzone',
    // The hidden button is the focus target, so the area itself is neither a button nor a tab stop.
    role: undefined,
    tabIndex: undefined,
  });
  return (
    <div {...rootProps}>
      <input {...getInputProps()} />
      <button type="button" className="lu-visually-hidden lu-dropzone-button" disabled={props.disabled}>
        {buttonLabel}
      </button>
      <div className="lu-dropzone-text" aria-hidden="true">
        {children ?? (
          <>
            <strong>{t(isDragActive ? 'dropActive' : 'drop')}</strong>
            <span>{t('orClick')}</span>
          </>
        )}
      </div>
    </div>
  );
}
