/** Plans an iteration of a plan file from its compose files alone, for pure tests. */
import path from 'node:path';
import {loadPlan} from '../../source/plan/load.js';
import {discoveredFromFiles} from '../../steps/context.js';
import type {IterationPlan} from '../../source/actions.js';
import {planIteration} from '../../steps/index.js';

export function planFromFiles(planFile: string, index: number): IterationPlan & {root: string} {
	const loaded = loadPlan(planFile);
	return {...planIteration(loaded.plan, index, loaded.project, discoveredFromFiles()), root: loaded.project.root};
}

/** The files an iteration changes, relative to the stack root, with their new text. */
export function changedFiles(planned: IterationPlan & {root: string}): Map<string, string> {
	return new Map(planned.files.map((file) => [path.relative(planned.root, file.path), file.after]));
}
