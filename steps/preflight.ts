/**
 * Preflight: nothing changes until the engine answers, compose is v2, the plan is valid
 * against what is running (subnets free of every engine network and host route, planned
 * names not taken with other settings), the services it names are running, and the files it
 * will write are writable.
 */
import {accessSync, constants} from 'node:fs';
import {namespaceOwner, type ComposeModel} from '../source/compose/project.js';
import type {Discovered, HostRoute, Locate, Problem} from '../source/domain.js';
import {apiAtLeast, versionAtLeast} from '../source/versions.js';
import {composeVersion, runCompose, type ComposeProject} from '../source/engine/compose.js';
import {discover} from '../source/engine/discover.js';
import type {Engine} from '../source/engine/docker.js';
import {firewallBackend} from '../source/engine/firewall-backend.js';
import {engineHostRoutes} from '../source/engine/host-routes.js';
import {NetmigrateError} from '../source/errors.js';
import {reachWarnings} from '../source/plan/reach.js';
import {subnetSafetyProblems} from '../source/plan/safety.js';
import type {Iteration, Plan} from '../source/plan/schema.js';
import {engineWarnings, stackFacts} from '../source/tested-engines.js';
import {swarmProblems} from './preflight-swarm.js';
import type {Step} from './step.js';

/** Reads the engine's picture of the stack once; the steps after it plan from the same reading. */
export const preflightStep: Step = {
	name: 'preflight',
	title: 'Preflight',
	changesHost: false,
	async run(run) {
		const {loaded} = run;
		run.discovered = await discover(run.engine, loaded.project.projectName, {target: loaded.plan.target});
		// An engine on another machine: its host's routes are read there, with the probe image.
		const routes = await engineHostRoutes(run.host, run.prober);
		if (!routes)
			run.emit({
				type: 'log',
				level: 'warn',
				message:
					"the engine host's routes could not be read (no probe image): planned subnets were checked against the engine's networks only",
			});
		const [{facts, problems}, refusal] = await Promise.all([
			preflight(run.engine, loaded.plan, run.iteration, loaded.project, run.discovered, loaded.locate, routes ?? []),
			loaded.plan.target === 'swarm' ? undefined : composeRefusal(run.executor.compose),
		]);
		if (refusal) problems.push(refusal);
		run.engineVersion = facts.engineVersion;
		// Read here anyway: the plan made from this reading needs it (gw_priority in the files).
		run.discovered.composeVersion = facts.composeVersion;
		if (run.iteration.checks.length > 0) {
			try {
				run.emit({type: 'log', level: 'info', message: `probe image: ${await run.prober.prepare()}`});
			} catch (error) {
				if (!(error instanceof NetmigrateError)) throw error;
				problems.push({message: error.message, ...(error.hint ? {hint: error.hint} : {})});
			}
		}
		run.emit({
			type: 'log',
			level: 'info',
			message: `Docker ${facts.engineVersion} (API ${facts.apiVersion}), Compose ${facts.composeVersion}${facts.firewallBackend ? `, firewall backend ${facts.firewallBackend}` : ''}`,
		});
		// Newer than the tested matrix: the known differences, as warnings (issue 23), never a refusal.
		for (const message of engineWarnings({...facts, ...stackFacts(loaded.project, loaded.plan)}))
			run.emit({type: 'log', level: 'warn', message});
		// Warnings, not refusals: the operator may mean it (`plan` and the review show the same).
		for (const problem of reachWarnings(loaded.plan, loaded.project, loaded.locate, [...run.discovered.networks.values()]))
			run.emit({type: 'log', level: 'warn', message: problem.message});
		if (problems.length > 0) {
			throw new NetmigrateError(
				`preflight found ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed`,
				{problems, code: 'bad-input'},
			);
		}
		return 'engine, compose, plan, subnets and services ready';
	},
};

/** Engine API 1.41 (Docker 20.10) and Compose 2.17 — the oldest that have everything netmigrate asks of them. */
export const minimumApi = '1.41';
export const minimumCompose = '2.17.0';

/** Older engines and composes are refused before any change, naming what is missing. */
export function versionProblems(apiVersion: string, compose: string): Problem[] {
	const problems: Problem[] = [];
	if (!apiAtLeast(apiVersion, minimumApi))
		problems.push({
			message: `the engine speaks API ${apiVersion}; netmigrate needs ${minimumApi} (Docker 20.10) or newer`,
			hint: 'upgrade Docker Engine on this host',
		});
	if (!versionAtLeast(compose, minimumCompose)) {
		problems.push({
			message: `Docker Compose ${compose} is older than ${minimumCompose}: recreates need its \`up --wait --wait-timeout\` and settle its \`--dry-run\``,
			hint: "upgrade the compose plugin (Debian: docker-compose from trixie; or Docker's docker-compose-plugin)",
		});
	}
	return problems;
}

export type PreflightFacts = {engineVersion: string; apiVersion: string; composeVersion: string; firewallBackend?: string};

/**
 * The stack as the engine's own compose reads it: the steps recreate services with it, so a file
 * it refuses (Compose 2.40 refuses a YAML date as an environment value that 2.26 took as text)
 * must stop the run before anything changes, not halfway.
 */
async function composeRefusal(compose: ComposeProject): Promise<Problem | undefined> {
	try {
		await runCompose(compose, ['config', '--quiet'], {timeoutMs: 60_000});
		return undefined;
	} catch (error) {
		const output = String((error as {all?: string}).all ?? (error as Error).message).trim();
		return {
			message: `docker compose refuses the stack: ${output.split('\n').at(-1)}`,
			hint: 'fix what compose names (netmigrate recreates services with it, and `docker compose up` would fail the same way), then run again',
		};
	}
}

export async function preflight(
	engine: Engine,
	plan: Plan,
	iteration: Iteration,
	project: ComposeModel,
	discovered: Discovered,
	locate: Locate,
	hostRoutes: HostRoute[],
): Promise<{facts: PreflightFacts; problems: Problem[]}> {
	const version = await engine.version();
	// Only for a warning: an engine that will not say runs on as before.
	const backend = await firewallBackend(engine).catch(() => undefined);
	let compose: string;
	try {
		compose = await composeVersion(engine.host);
	} catch {
		throw new NetmigrateError('Docker Compose v2 is not available (`docker compose version` failed)', {
			hint: "install the compose plugin (Debian: docker-compose from trixie, or Docker's docker-compose-plugin)",
		});
	}
	const problems: Problem[] = [
		...versionProblems(version.apiVersion, compose),
		...subnetSafetyProblems(plan, discovered.networks, hostRoutes, locate),
	];

	const needed = new Set<string>();
	for (const service of Object.keys(iteration.attach)) needed.add(service);
	for (const rule of iteration.firewall) needed.add(rule.service);
	for (const service of Object.keys(iteration.labels)) needed.add(service);
	for (const check of iteration.checks) {
		needed.add(namespaceOwner(project, check.from));
		needed.add(namespaceOwner(project, check.to.split(':')[0] as string));
	}
	if (plan.target === 'swarm') problems.push(...(await swarmProblems(engine, project, iteration, discovered, needed)));
	else
		for (const service of needed) {
			const containers = discovered.containers.get(service) ?? [];
			if (!containers.some((container) => container.running)) {
				problems.push({
					message: `service ${service} is in the plan but not running`,
					where: {service},
					hint: `start it first (\`docker compose up -d ${service}\`); netmigrate migrates running containers`,
				});
			}
		}
	const writable = [...project.files.keys(), ...(project.env ? [project.env.path] : [])];
	for (const file of writable) {
		try {
			accessSync(file, constants.R_OK | constants.W_OK);
		} catch {
			problems.push({
				message: `permission denied: netmigrate cannot write ${file}`,
				where: {file},
				hint: 'run netmigrate as the owner of the stack files (or with sudo)',
			});
		}
	}
	return {
		facts: {
			engineVersion: version.version,
			apiVersion: version.apiVersion,
			composeVersion: compose,
			...(backend ? {firewallBackend: backend} : {}),
		},
		problems,
	};
}
