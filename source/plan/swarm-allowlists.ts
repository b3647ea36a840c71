/**
 * A swarm service's allow-list against its stack file: the running value (changed by hand, or
 * the file edited since the last deploy) must be the file's before netmigrate writes one value
 * to both. The firewall step notes a difference in its plan; preflight on a swarm refuses it.
 */
import {ComposeEditor} from '../compose/edits.js';
import type {ComposeModel} from '../compose/project.js';
import {envValue, type Problem, type SwarmService} from '../domain.js';
import {NetmigrateError} from '../errors.js';
import type {FirewallRule, Iteration} from './schema.js';

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
			problems.push({
				message: error.message,
				...(error.where ? {where: error.where} : {}),
				...(error.hint ? {hint: error.hint} : {}),
			});
		}
	}
	return problems;
}
