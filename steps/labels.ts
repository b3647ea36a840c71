/**
 * Labels: set what the iteration's `labels:` says on each service (e.g. `traefik.docker.network`,
 * so a proxy that now shares several networks with a service it routes picks the right one),
 * in its compose file, then recreate it — a running container's labels cannot change — with the
 * services in its namespace, waited on until healthy. A label already set as planned changes
 * nothing and restarts nothing.
 */
import type {Action} from '../source/actions.js';
import {namespaceDependents} from '../source/compose/project.js';
import {pendingFileWrites, type PlanContext} from './context.js';
import {hostChangingStep} from './step.js';

export const labelsStep = hostChangingStep({name: 'labels', title: 'Set labels'}, planLabels);

export function planLabels(context: PlanContext): Action[] {
	const writes: Action[] = [];
	const recreates: Action[] = [];
	for (const [service, labels] of Object.entries(context.iteration.labels)) {
		context.editor.setLabels(service, labels);
		const keys = Object.keys(labels).join(', ');
		const written = pendingFileWrites(context, `labels ${keys} of ${service}`);
		if (written.length === 0) {
			context.notes.push(`${service}: ${keys} already set as planned`);
			continue;
		}
		writes.push(...written);
		recreates.push({
			kind: 'service.recreate',
			service,
			dependents: namespaceDependents(context.project, service),
			reason: `load the labels ${keys} (a container's labels cannot change while it runs)`,
		});
	}
	// The files first, then the recreates together: the executor runs independent ones side by side.
	return [...writes, ...recreates];
}
