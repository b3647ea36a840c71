/**
 * sha256 of a file's bytes, hex: what a backup's manifest records, what a rollback's
 * verification compares, and what a saved plan holds of the files it was made from.
 */
import {createHash} from 'node:crypto';

export function sha256(content: string | Buffer): string {
	return createHash('sha256').update(content).digest('hex');
}
