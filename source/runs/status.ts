/**
 * The stack's state as an operator asks for it (`netmigrate status`, the wizard's home): every
 * iteration's progress, where an interrupted one stopped, and who holds the lock. Reads only.
 */
import type {LoadedPlan} from '../plan/load.js';
import {steps} from '../../steps/index.js';
import {lockStatus, type LockStatus} from '../../state/lock.js';
import {readProgress, type IterationProgress, type ProgressView} from '../../state/progress.js';
import {loadWithProgress} from './open.js';

export type StackStatus = {
	root: string;
	project: string;
	/** Who holds the lock, and whether that process still runs (`holder`: alive, dead, or unknown on another host). */
	lock?: LockStatus;
	iterations: Array<{index: number; name: string; status: string; progress?: IterationProgress; interruptedAt?: string}>;
};

export function stackStatus(planFile: string): StackStatus {
	return loadStackStatus(planFile).status;
}

/** The plan (validated as `loadStackPlan` does) and every iteration's state, read once. */
export function loadStackStatus(planFile: string): {loaded: LoadedPlan; status: StackStatus} {
	const {loaded, progress} = loadWithProgress(planFile, readProgress);
	return {loaded, status: statusOf(loaded, progress)};
}

function statusOf(loaded: LoadedPlan, progress: ProgressView): StackStatus {
	const lock = lockStatus(loaded.project.root);
	return {
		root: loaded.project.root,
		project: loaded.project.projectName,
		...(lock ? {lock} : {}),
		iterations: loaded.plan.iterations.map((iteration, index) => {
			const record = progress.iteration(iteration.name);
			const interrupted =
				record && (record.status === 'running' || record.status === 'failed' || record.status === 'rolling-back')
					? steps.find((step) => record.steps[step.name]?.status !== 'done')?.title
					: undefined;
			return {
				index,
				name: iteration.name,
				status: record?.status ?? 'pending',
				...(record ? {progress: record} : {}),
				...(interrupted ? {interruptedAt: interrupted} : {}),
			};
		}),
	};
}
