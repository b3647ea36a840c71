/**
 * Applying `file.write` (source/kinds/file-write.ts): the write itself, with its checks — a file
 * that already has the new contents is done, one changed by someone else since the step was
 * planned is refused, an operator's save racing the write is kept — is source/file-write.ts.
 */
import {applyFileWrite as writeFile} from '../file-write.js';
import type {Applier} from './applier.js';
import type {FileWrite} from './file-write.js';

export const applyFileWrite: Applier<FileWrite> = {
	apply: async (action, {run, keepReplaced}) => writeFile(action, run, keepReplaced),
};
