import { hash } from 'node:crypto';

/** SHA-256 of a UTF-8 string or of bytes (the one-shot API: no Hash object per call). */
export function sha256(data: string | Buffer): Buffer {
  return hash('sha256', data, 'buffer');
}
