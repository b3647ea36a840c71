/** Plans an iteration of a plan file from its compose files alone, for pure tests. */
import path from 'node:path';
import {loadPlan} from '../../source/plan/load.js';
import {discoveredFromFiles} from '../../steps/context.js';
import type {IterationPlan} from '../../source/actions.js';
import {planIteration} from '../../steps/index.js';

/** `engine`: the versions an engine would report (Engine 28 + Compose 2.40 write gw_priority), else none. */
export function planFromFiles(
	planFile: string,
	index: number,
	engine: {apiVersion?: string; composeVersion?: string} = {},
): IterationPlan & {root: string} {
	const loaded = loadPlan(planFile);
	return {...planIteration(loaded.plan, index, loaded.project, {...discoveredFromFiles(), ...engine}), root: loaded.project.root};
}

/** What Engine 28.5 and Compose 2.40 report: the files get gw_priority (test/golden/media-stack-iteration-1-engine-28). */
export const engine28 = {apiVersion: '1.51', composeVersion: '2.40.3'};

/** The files an iteration changes, relative to the stack root, with their new text. */
export function changedFiles(planned: IterationPlan & {root: string}): Map<string, string> {
	return new Map(planned.files.map((file) => [path.relative(planned.root, file.path), file.after]));
}
