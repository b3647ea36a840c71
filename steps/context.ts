/**
 * What a step plans from: the plan, the compose project, what is running (from the engine,
 * or derived from the compose files for a dry run without one), and one compose editor
 * shared by the iteration's steps so each step's file writes start from the previous one's.
 */
import type {FileWrite} from '../source/actions.js';
import type {ComposeEditor} from '../source/compose/edits.js';
import type {ComposeModel} from '../source/compose/project.js';
import type {Discovered, Mode, RunningContainer} from '../source/domain.js';
import {sha256} from '../source/hash.js';
import type {Iteration, Plan} from '../source/plan/schema.js';

export type PlanContext = {
	plan: Plan;
	iteration: Iteration;
	iterationIndex: number;
	project: ComposeModel;
	discovered: Discovered;
	mode: Mode;
	editor: ComposeEditor;
	/** The text each file will have after the steps planned so far. */
	written: Map<string, string>;
	/** Things the operator should know about the planned changes. */
	notes: string[];
};

/** File writes for whatever the editor changed since the last call, one per file. */
export function pendingFileWrites(context: PlanContext, reason: string | ((file: string) => string)): FileWrite[] {
	const writes: FileWrite[] = [];
	for (const change of context.editor.changes()) {
		const previous = context.written.get(change.path) ?? change.before;
		if (previous === change.after) continue;
		writes.push({
			kind: 'file.write',
			path: change.path,
			mode: change.mode,
			sha256Before: sha256(previous),
			sha256After: sha256(change.after),
			content: change.after,
			previous,
			reason: typeof reason === 'string' ? reason : reason(change.path),
		});
		context.written.set(change.path, change.after);
	}
	return writes;
}

/** The containers of a service; a dry run without an engine assumes compose's naming. */
export function containersOf(context: PlanContext, service: string): RunningContainer[] {
	const found = context.discovered.containers.get(service);
	if (found) return found;
	if (context.discovered.source === 'engine') return [];
	const model = context.project.services.get(service);
	const name =
		typeof model?.config.container_name === 'string' ? model.config.container_name : `${context.project.projectName}-${service}-1`;
	return [{name, networks: model?.networks ?? [], running: true}];
}

/** Discovery from the compose files alone (dry run with no engine). */
export function discoveredFromFiles(): Discovered {
	return {source: 'compose-files', containers: new Map(), networks: new Map()};
}

/** "networks of traefik, cloudflared" for the services of `services` defined in `file`. */
export function servicesIn(context: PlanContext, services: string[], what: string): (file: string) => string {
	return (file) =>
		`${what} of ${services.filter((service) => context.project.services.get(service)?.file === file).join(', ') || 'the stack'}`;
}
