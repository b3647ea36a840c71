/**
 * Everything the wizard does to the stack and the host, in one module so the wizard can load
 * it after its first frame (dockerode, yaml and zod take longer to load than Ink).
 */
import {readFile} from 'node:fs/promises';
import {applyIteration as apply, rollbackIteration as rollback, settleStack as settle, type RunOptions} from './run.js';
import {rememberingStack} from './recent-stacks.js';

export {previewRollback} from './run.js';
export {recentStacks} from './recent-stacks.js';

/** Runs that record their stack among the operator's recent ones when they start. */
export const applyIteration = (options: RunOptions) => apply(rememberingStack(options));
export const rollbackIteration = (options: RunOptions) => rollback(rememberingStack(options));
export const settleStack = (options: RunOptions) => settle(rememberingStack(options));
export {checksOnly, journalLines, loadMap, loadOverview, loadReview, verifyIsolation} from './session.js';

export const readText = (file: string) => readFile(file, 'utf8');
