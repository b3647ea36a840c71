/**
 * Firewall: extend allow-lists (e.g. gluetun's FIREWALL_OUTBOUND_SUBNETS) with the new
 * subnets, then recreate the service and every service in its network namespace — those
 * lose networking when it restarts and fail with "No such container" when it is recreated
 * without them — each waited on until healthy.
 */
import type {Action} from '../source/actions.js';
import {namespaceDependents} from '../source/compose/project.js';
import {pendingFileWrites, type PlanContext} from './context.js';
import {hostChangingStep} from './step.js';

export const firewallStep = hostChangingStep({name: 'firewall', title: 'Update firewall allow-lists'}, planFirewall);

export function planFirewall(context: PlanContext): Action[] {
	const actions: Action[] = [];
	for (const rule of context.iteration.firewall) {
		const change = context.editor.ensureAllowList(rule.service, rule.variable, rule.ensure);
		if (change.added.length === 0) {
			context.notes.push(`${rule.service}: ${rule.variable} already covers ${rule.ensure.join(', ')}`);
			continue;
		}
		actions.push(...pendingFileWrites(context, `${rule.variable} of ${rule.service}: + ${change.added.join(', ')}`));
		actions.push({kind: 'service.recreate', service: rule.service, dependents: namespaceDependents(context.project, rule.service), reason: `load ${rule.variable}`});
	}
	return actions;
}
