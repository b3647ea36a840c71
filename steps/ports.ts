/**
 * Port consolidation: stop publishing host ports the reverse proxy now serves (one proxy
 * owns 80/443; static ports only by exception). Published ports cannot change on a running
 * container, so each touched service is recreated.
 */
import type {Action} from '../source/actions.js';
import {namespaceDependents} from '../source/compose/project.js';
import {pendingFileWrites, servicesIn, type PlanContext} from './context.js';
import {hostChangingStep} from './step.js';

export const portsStep = hostChangingStep({name: 'ports', title: 'Unpublish ports'}, planUnpublish);

export function planUnpublish(context: PlanContext): Action[] {
	const entries = Object.entries(context.iteration.unpublish);
	if (entries.length === 0) return [];
	for (const [service, ports] of entries) context.editor.removePorts(service, ports);
	const writes = pendingFileWrites(
		context,
		servicesIn(
			context,
			entries.map(([service]) => service),
			'ports',
		),
	);
	const recreates: Action[] = entries.map(([service, ports]) => ({
		kind: 'service.recreate',
		service,
		dependents: namespaceDependents(context.project, service),
		reason: `stop publishing ${ports.join(', ')}`,
	}));
	return [...writes, ...recreates];
}
