/**
 * Firewall: extend allow-lists (e.g. gluetun's FIREWALL_OUTBOUND_SUBNETS) with the new
 * subnets, then recreate the service and every service in its network namespace — those
 * lose networking when it restarts and fail with "No such container" when it is recreated
 * without them — each waited on until healthy. On a swarm the stack file gets the value (so the
 * next `docker stack deploy` keeps it) and the running service the same value by spec update,
 * as `docker service update --env-add` does.
 */
import type {Action, SwarmEnv} from '../source/actions.js';
import {extendAllowList} from '../source/compose/allowlist.js';
import {namespaceDependents} from '../source/compose/project.js';
import {envValue} from '../source/domain.js';
import type {FirewallRule} from '../source/plan/schema.js';
import {updateOrder} from '../source/plan/attach.js';
import {allowListDrift} from '../source/plan/swarm-allowlists.js';
import {pendingFileWrites, type PlanContext} from './context.js';
import {hostChangingStep} from './step.js';

export const firewallStep = hostChangingStep({name: 'firewall', title: 'Update firewall allow-lists'}, planFirewall);

export function planFirewall(context: PlanContext): Action[] {
	const actions: Action[] = [];
	const swarm = context.plan.target === 'swarm';
	for (const rule of context.iteration.firewall) {
		const change = context.editor.ensureAllowList(rule.service, rule.variable, rule.ensure);
		const writes =
			change.added.length > 0 ? pendingFileWrites(context, `${rule.variable} of ${rule.service}: + ${change.added.join(', ')}`) : [];
		const update = swarm ? swarmEnvUpdate(context, rule, change.before) : undefined;
		if (writes.length === 0 && !update) {
			context.notes.push(`${rule.service}: ${rule.variable} already covers ${rule.ensure.join(', ')}`);
			continue;
		}
		actions.push(...writes);
		if (update) actions.push(update);
		else if (!swarm)
			actions.push({
				kind: 'service.recreate',
				service: rule.service,
				dependents: namespaceDependents(context.project, rule.service),
				reason: `load ${rule.variable}`,
			});
	}
	return actions;
}

/**
 * The running service's value extended as the file's is, when it does not cover the rule yet.
 * When the two values differ the plan says so: apply refuses (preflight) until they agree.
 */
function swarmEnvUpdate(context: PlanContext, rule: FirewallRule, written: string): SwarmEnv | undefined {
	const service = context.discovered.swarm?.get(rule.service);
	if (!service) {
		const note = "the swarm's services are read from a manager: with none answering, their spec updates are not planned here";
		if (!context.notes.includes(note)) context.notes.push(note);
		return undefined;
	}
	const drift = allowListDrift(context.project, rule, service, written);
	if (drift) context.notes.push(`${drift.message}: apply refuses until they agree — ${drift.hint}`);
	const before = envValue(service.env, rule.variable);
	const extended = extendAllowList(before ?? '', rule.ensure);
	if (before !== undefined && extended.added.length === 0) return undefined;
	return {
		kind: 'swarm.env',
		service: service.name,
		variable: rule.variable,
		...(before === undefined ? {} : {before}),
		after: extended.after,
		...updateOrder(service),
	};
}
