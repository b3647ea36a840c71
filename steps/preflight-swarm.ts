/**
 * Preflight on a swarm (`target: swarm`): the engine is a manager of an active swarm, the stack
 * is deployed, every service the iteration names is one of its services, each allow-list's
 * running value is the stack file's, and the iteration asks only what netmigrate does on a swarm
 * so far: networks, multi-homing, allow-lists and checks.
 */
import type {ComposeModel} from '../source/compose/project.js';
import type {Discovered, Problem} from '../source/domain.js';
import type {Engine} from '../source/engine/docker.js';
import {swarmRole} from '../source/engine/swarm.js';
import type {Iteration} from '../source/plan/schema.js';
import {swarmAllowListProblems} from '../source/plan/swarm-allowlists.js';

export async function swarmProblems(
	engine: Engine,
	project: ComposeModel,
	iteration: Iteration,
	discovered: Discovered,
	needed: Set<string>,
): Promise<Problem[]> {
	const stack = project.projectName;
	const role = await swarmRole(engine);
	if (role.state !== 'active' || !role.manager) {
		return [
			{
				message: `the plan's target is a swarm, but this engine is ${role.state === 'active' ? 'a worker, not a manager' : 'not in a swarm'}`,
				hint: 'run netmigrate against a manager of the swarm (--host / DOCKER_HOST), or set `target: compose` for a single-host stack',
			},
		];
	}
	const services = discovered.swarm ?? new Map();
	if (services.size === 0)
		return [
			{
				message: `no stack ${stack} is deployed on this swarm (no service is labelled com.docker.stack.namespace=${stack})`,
				hint: `deploy it first (\`docker stack deploy -c <file> ${stack}\`), or name the stack in the plan's \`stack.project\``,
			},
		];
	const problems: Problem[] = [];
	for (const service of needed) {
		if (!services.has(service))
			problems.push({
				message: `service ${service} is in the plan but not a service of stack ${stack}`,
				where: {service},
				hint: `\`docker stack services ${stack}\` lists them`,
			});
	}
	problems.push(...swarmAllowListProblems(project, iteration, services));
	const unsupported = [
		[Object.keys(iteration.unpublish).length, 'unpublish'],
		[Object.keys(iteration.detach).length, 'detach'],
		[Object.keys(iteration.labels).length, 'labels'],
	] as const;
	for (const [count, what] of unsupported) {
		if (count > 0)
			problems.push({
				message: `iteration ${iteration.name}: ${what} is not done on a swarm yet`,
				hint: 'keep this iteration to networks, attach, firewall and checks on a swarm; the rest by hand (`docker service update`) for now',
			});
	}
	return problems;
}
