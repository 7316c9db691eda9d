import { useEffect, useState } from 'react';

/** Images larger than this get an icon: decoding them would cost more memory than a thumbnail is worth. */
const MAX_PREVIEW_BYTES = 32 * 1024 * 1024;

/** Whether `file` can get a preview here: a raster image, in a browser that decodes Blobs off the main thread. */
export function isPreviewable(file: File | null | undefined): file is File {
  return (
    !!file &&
    file.type.startsWith('image/') &&
    // Chromium's createImageBitmap refuses SVG Blobs.
    file.type !== 'image/svg+xml' &&
    file.size <= MAX_PREVIEW_BYTES &&
    typeof createImageBitmap === 'function'
  );
}

/**
 * A data: URL of a small preview of an image file (`width` px wide), or null: not an image, not
 * decoded yet, or undecodable. The cache lets go of it once no component uses it. For custom layouts:
 * `const url = usePreview(file.file)`.
 */
export function usePreview(file: File | null | undefined, width = 96): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!isPreviewable(file)) return undefined;
    let live = true;
    let release: (() => void) | undefined;
    // The decoder loads on the first image only: lists of other files never fetch it.
    void import('./PreviewCache.js').then(({ previews }) => {
      if (!live) return;
      const lease = previews.acquire(file, width);
      release = lease.release;
      void lease.url.then((found) => live && setUrl(found));
    });
    return () => {
      live = false;
      release?.();
      setUrl(null);
    };
  }, [file, width]);
  return url;
}

/** A short label for a file with no preview: its kind from the MIME type, else its extension. */
export function fileKind(file: Pick<File, 'name' | 'type'>): string {
  const [major = '', minor = ''] = file.type.split('/');
  if (minor === 'pdf') return 'PDF';
  if (major === 'image') return 'IMG';
  if (major === 'video') return 'VID';
  if (major === 'audio') return 'AUD';
  if (/zip|tar|compressed|7z|rar|gzip/.test(minor)) return 'ZIP';
  const dot = file.name.lastIndexOf('.');
  const extension = dot > 0 ? file.name.slice(dot + 1, dot + 5).toUpperCase() : '';
  return /^[A-Z0-9]+$/.test(extension) ? extension : major === 'text' ? 'TXT' : 'FILE';
}

export interface ThumbnailProps {
  /** Null for a restored entry whose file is not chosen yet: its icon comes from `name` and `type`. */
  file: File | null;
  name?: string;
  type?: string;
  /** CSS pixels; the preview is decoded at twice this for sharp high-density screens. Default 48. */
  size?: number;
  className?: string;
}

/** A preview of an image file, or an icon naming the file's kind. Decorative: the row names the file. */
export function Thumbnail({ file, name = file?.name ?? '', type = file?.type ?? '', size = 48, className = 'lu-thumb' }: ThumbnailProps) {
  const url = usePreview(file, size * 2);
  if (url) return <img className={className} src={url} alt="" width={size} height={size} data-preview="" />;
  const kind = fileKind({ name, type });
  return (
    <span className={className} aria-hidden="true" data-kind={kind}>
      {kind}
    </span>
  );
}
