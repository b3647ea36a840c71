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
import {ComposeEditor} from '../source/compose/edits.js';
import {namespaceDependents, type ComposeModel} from '../source/compose/project.js';
import {envValue, type Problem, type SwarmService} from '../source/domain.js';
import {NetmigrateError} from '../source/errors.js';
import type {FirewallRule, Iteration} from '../source/plan/schema.js';
import {pendingFileWrites, type PlanContext} from './context.js';
import {updateOrder} from './multihome.js';
import {hostChangingStep} from './step.js';

export const firewallStep = hostChangingStep({name: 'firewall', title: 'Update firewall allow-lists'}, planFirewall);

export function planFirewall(context: PlanContext): Action[] {
	const actions: Action[] = [];
	const swarm = context.plan.target === 'swarm';
	for (const rule of context.iteration.firewall) {
		const change = context.editor.ensureAllowList(rule.service, rule.variable, rule.ensure);
		const writes = change.added.length > 0 ? pendingFileWrites(context, `${rule.variable} of ${rule.service}: + ${change.added.join(', ')}`) : [];
		const update = swarm ? swarmEnvUpdate(context, rule, change.before) : undefined;
		if (writes.length === 0 && !update) {
			context.notes.push(`${rule.service}: ${rule.variable} already covers ${rule.ensure.join(', ')}`);
			continue;
		}
		actions.push(...writes);
		if (update) actions.push(update);
		else if (!swarm) actions.push({kind: 'service.recreate', service: rule.service, dependents: namespaceDependents(context.project, rule.service), reason: `load ${rule.variable}`});
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
		const note = 'the swarm\'s services are read from a manager: with none answering, their spec updates are not planned here';
		if (!context.notes.includes(note)) context.notes.push(note);
		return undefined;
	}
	const drift = allowListDrift(context.project, rule, service, written);
	if (drift) context.notes.push(`${drift.message}: apply refuses until they agree — ${drift.hint}`);
	const before = envValue(service.env, rule.variable);
	const extended = extendAllowList(before ?? '', rule.ensure);
	if (before !== undefined && extended.added.length === 0) return undefined;
	return {kind: 'swarm.env', service: service.name, variable: rule.variable, ...(before === undefined ? {} : {before}), after: extended.after, ...updateOrder(service)};
}

/**
 * A running value that is not the stack file's: changed by hand (`docker service update
 * --env-add`), or the file edited since the last deploy. netmigrate writes one value to both,
 * so it would either drop the running change or write a file the next `docker stack deploy`
 * undoes; the operator chooses which value stays. `written`: the value where the file writes it
 * (the editor's reading), used when `environment:` does not set it (an env file does).
 */
export function allowListDrift(project: ComposeModel, rule: FirewallRule, service: SwarmService, written: string): Problem | undefined {
	const running = envValue(service.env, rule.variable);
	const file = project.services.get(rule.service)?.environment.find((entry) => entry.key === rule.variable)?.value ?? written;
	if (running === file) return undefined;
	return {
		message: `${rule.variable} of ${service.name} is ${running === undefined ? 'not set' : `"${running}"`} in the running service but "${file}" in the stack file`,
		where: {service: rule.service},
		hint: 'to keep the running value write it into the stack file; to drop it, `docker stack deploy` the file; then run netmigrate again',
	};
}

/** Preflight on a swarm: every allow-list of the iteration whose running value is not the stack file's (or that the editor refuses). */
export function swarmAllowListProblems(project: ComposeModel, iteration: Iteration, services: Map<string, SwarmService>): Problem[] {
	const editor = new ComposeEditor(project);
	const problems: Problem[] = [];
	for (const rule of iteration.firewall) {
		const service = services.get(rule.service);
		if (!service) continue;
		try {
			const drift = allowListDrift(project, rule, service, editor.ensureAllowList(rule.service, rule.variable, []).before);
			if (drift) problems.push(drift);
		} catch (error) {
			if (!(error instanceof NetmigrateError)) throw error;
			problems.push({message: error.message, ...(error.where ? {where: error.where} : {}), ...(error.hint ? {hint: error.hint} : {})});
		}
	}
	return problems;
}
