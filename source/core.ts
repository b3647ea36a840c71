/**
 * Everything the wizard does to the stack and the host, in one module so the wizard can load
 * it after its first frame (dockerode, yaml and zod take longer to load than Ink).
 */
import {readFile} from 'node:fs/promises';

export {applyIteration, previewRollback, rollbackIteration, settleStack} from './run.js';
export {checksOnly, journalLines, loadMap, loadOverview, loadReview, verifyIsolation} from './session.js';

export const readText = (file: string) => readFile(file, 'utf8');
