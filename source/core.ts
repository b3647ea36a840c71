/**
 * Everything the wizard does to the stack and the host, in one module so the wizard can load
 * it after its first frame (dockerode, yaml and zod take longer to load than Ink).
 *
 * The wizard is shown actions as described lines, never as actions: the UI imports no action
 * code (test/unit/architecture.test.ts). So the gate before a step gets the step's actions
 * described, and the rollback preview carries its inverses described, both with file paths
 * relative to the stack.
 */
import {readFile} from 'node:fs/promises';
import {describe, type Action} from './actions.js';
import {rememberingStack} from './recent-stacks.js';
import * as run from './run.js';

export {recentStacks} from './recent-stacks.js';
export {checksOnly, journalLines, loadMap, loadOverview, loadReview, verifyIsolation} from './session.js';

/** Asked before each step that changes the host, with its actions as the operator reads them; false stops (state saved). */
export type DescribedConfirm = (step: {name: string; title: string}, lines: string[]) => Promise<boolean>;

/** A run's options as the wizard gives them: the gate is shown described lines. */
export type WizardRunOptions = Omit<run.RunOptions, 'confirm'> & {confirm?: DescribedConfirm};

/** The rollback preview, with its inverse actions described (`lines`, in the order they run): what the wizard shows. */
export type DescribedRollbackPreview = run.RollbackPreview & {lines: string[]};

/** The run's options with the wizard's gate behind one that describes the actions (relative to the stack). */
export function describedRun(options: WizardRunOptions): run.RunOptions {
	const {confirm, ...rest} = options;
	if (!confirm) return rest;
	const root = run.stackRootOf(options.planFile);
	return {
		...rest,
		confirm: (step, actions: Action[]) =>
			confirm(
				step,
				actions.map((action) => describe(action, root)),
			),
	};
}

/** Runs that record their stack among the operator's recent ones when they start. */
export const applyIteration = (options: WizardRunOptions) => run.applyIteration(rememberingStack(describedRun(options)));
export const rollbackIteration = (options: WizardRunOptions) => run.rollbackIteration(rememberingStack(describedRun(options)));
export const settleStack = (options: WizardRunOptions) => run.settleStack(rememberingStack(describedRun(options)));

export function previewRollback(planFile: string, iteration?: number): DescribedRollbackPreview {
	const preview = run.previewRollback(planFile, iteration);
	const root = run.stackRootOf(planFile);
	return {...preview, lines: preview.actions.map((action) => describe(action, root))};
}

export const readText = (file: string) => readFile(file, 'utf8');
