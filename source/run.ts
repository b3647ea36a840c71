/**
 * Runs, the one API the headless commands and the wizard both drive. They emit RunEvents
 * and never print. The house, from the top:
 *
 *   apply    source/runs/apply.ts     lock → each step of steps/index.ts in order, resumed
 *                                     where an interruption stopped it (preflight, backup,
 *                                     networks, multihome, firewall, labels, ports, detach, checks, report)
 *   rollback source/runs/rollback.ts  the journal's actions' inverses → verify against the backup
 *   settle   source/runs/settle.ts    recreate what live mode left behind its files, one at a time
 *   status   source/runs/status.ts    every iteration's progress and the lock
 *   set-up   source/runs/open.ts      plan + progress, lock, engine, journal, executor context
 *
 * What a step does is in its own file under steps/; how an action is applied and undone is its
 * kind's, in source/kinds/ (source/actions.ts and source/kinds/appliers.ts are the tables), walked
 * by source/executor.ts; the journal, progress and lock are in state/.
 */
export {applyIteration, type ApplyResult} from './runs/apply.js';
export {previewRollback, rollbackActions, rollbackIteration, type RollbackPreview, type RollbackResult} from './runs/rollback.js';
export {previewSettle, settleStack, type SettlePreview, type SettleResult} from './runs/settle.js';
export {loadStackStatus, stackStatus, type StackStatus} from './runs/status.js';
export {loadStackPlan, stackRootOf, type RunOptions} from './runs/open.js';
