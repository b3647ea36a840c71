/**
 * Docker Compose through the docker CLI plugin, with argument arrays only (execa, no shell).
 * Compose runs with the operator's own environment — DOCKER_CONFIG (which CLI plugins, so which
 * compose binary), TLS settings, COMPOSE_* — except that the engine is always named explicitly:
 * DOCKER_HOST is the run's engine and DOCKER_CONTEXT is dropped, so a stray context can never
 * point a run at another daemon than the one netmigrate reads.
 */
import {contextEndpoint, currentContext} from './endpoint.js';
import {execa, type ResultPromise} from 'execa';
import {onExit} from 'signal-exit';
import type {RunKind} from '../domain.js';
import {NetmigrateError, wayOn} from '../errors.js';
import {engineUnreachable} from './docker.js';

export type ComposeProject = {
	/** `unix:///…/docker.sock` or `tcp://…` of the engine the stack runs on. */
	host: string;
	/** Folder compose resolves relative paths and `.env` from. */
	directory: string;
	/** Compose files, relative to `directory` or absolute. */
	files: string[];
	/** Project name; omitted, compose takes the root file's `name:` or the folder name. */
	name?: string;
	/** Env files compose interpolates from (`--env-file`), in order; omitted, compose reads `.env`. */
	envFiles?: string[];
	/** Active profiles (`--profile`). */
	profiles?: string[];
};

export function dockerCli(): string {
	return process.env.NETMIGRATE_DOCKER_CLI ?? 'docker';
}

export function engineEnv(host: string): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && key !== 'DOCKER_HOST' && key !== 'DOCKER_CONTEXT') env[key] = value;
	}
	// An engine taken from the docker context reaches compose as that context, with its TLS files.
	const context = process.env.DOCKER_HOST ? undefined : currentContext();
	if (context && contextEndpoint(context)?.host === host) env.DOCKER_CONTEXT = context;
	else env.DOCKER_HOST = host;
	return env;
}

export function composeArgs(project: ComposeProject, args: string[]): string[] {
	const base = ['compose', '--ansi', 'never', '--progress', 'plain', '--project-directory', project.directory];
	for (const file of project.files) base.push('-f', file);
	if (project.name) base.push('-p', project.name);
	for (const file of project.envFiles ?? []) base.push('--env-file', file);
	for (const profile of project.profiles ?? []) base.push('--profile', profile);
	return [...base, ...args];
}

export function runCompose(
	project: ComposeProject,
	args: string[],
	options: {timeoutMs?: number; cancelSignal?: AbortSignal} = {},
): ResultPromise<{all: true; extendEnv: false}> {
	stopGroupsOnExit();
	const child = execa(dockerCli(), composeArgs(project, args), {
		cwd: project.directory,
		env: engineEnv(project.host),
		extendEnv: false,
		all: true,
		timeout: options.timeoutMs,
		cancelSignal: options.cancelSignal,
		...childOfTheRun,
	} as {all: true; extendEnv: false});
	return ownedByTheRun(child);
}

/**
 * Compose runs in a process group of its own (`detached`), so the terminal's Ctrl-C or hang-up —
 * sent to netmigrate's foreground group — does not reach it: the first Ctrl-C means "finish the
 * current action", and a recreate cut halfway would leave a service stopped. Yet it never outlives
 * the run unseen: when netmigrate exits (a second Ctrl-C, SIGTERM, SIGHUP in line mode, or an
 * error), every compose group still running is sent SIGTERM (the docker CLI and its compose
 * plugin both). Only a SIGKILL of netmigrate leaves one running; resume then finds what it did
 * (source/engine/recreated.ts).
 */
export const childOfTheRun = {cleanup: false, detached: true} as const;

const runningGroups = new Set<number>();
let exitHookSet = false;

/**
 * Set before the first compose starts, never after: with no SIGTERM listener yet, a SIGTERM that
 * lands while execa is still setting up the child kills netmigrate outright (the default action)
 * and the compose just started runs on unseen — seen in test/unit/compose-child.test.ts, 4 runs
 * in 6 when the signal came as the child's first line ran. With the listener in place, the
 * signal waits for the event loop, which turns only after the child's group is recorded.
 */
function stopGroupsOnExit(): void {
	if (exitHookSet) return;
	exitHookSet = true;
	onExit(() => {
		for (const group of runningGroups) {
			try {
				process.kill(-group, 'SIGTERM');
			} catch {
				// Already gone.
			}
		}
	});
}

function ownedByTheRun<T extends ResultPromise<{all: true; extendEnv: false}>>(child: T): T {
	const {pid} = child;
	if (pid === undefined) return child;
	runningGroups.add(pid);
	child.finally(() => runningGroups.delete(pid)).catch(() => undefined);
	return child;
}

export async function composeVersion(host: string): Promise<string> {
	const result = await execa(dockerCli(), ['compose', 'version', '--short'], {env: engineEnv(host), extendEnv: false});
	return result.stdout.trim();
}

/** How long `--wait` waits for a recreate's containers, unless told. */
export const defaultWaitSeconds = 120;

/**
 * Compose's `up --wait` gave up on health: a container it waited on became unhealthy or exited,
 * or the wait timed out ("application not healthy after 2m0s"). `composeSaid` is its line; the
 * caller reads the containers and judges them (source/health-gate.ts).
 */
export class HealthWaitFailed extends NetmigrateError {
	constructor(
		readonly services: string[],
		readonly composeSaid: string,
		hint: string,
	) {
		super(`docker compose could not recreate ${services.join(', ')}: ${composeSaid}`, {hint});
	}
}

/** The line of compose's output that says its wait gave up on health, if that is why it failed. */
export function healthWaitLine(output: string, timedOut: boolean): string | undefined {
	const lines = output
		.trim()
		.split('\n')
		.map((line) => line.trim());
	const said = lines
		.filter((line) =>
			/application not healthy after|container \S+ is unhealthy|container \S+ exited \(\d+\)|didn't complete successfully/i.test(
				line,
			),
		)
		.at(-1);
	if (said) return said;
	return timedOut ? `no answer from compose within its wait timeout (${lines.at(-1) ?? 'no output'})` : undefined;
}

/**
 * Recreates services in one call: `up -d --no-deps --force-recreate --wait`, so compose brings
 * them back in dependency order (a service in another's namespace after it) and returns once
 * every one is running and, where it has a healthcheck, healthy. `withDependencies` drops
 * --no-deps (see ServiceRecreate in source/actions.ts). `run`: the direction the hints point
 * on in (an apply resumes or rolls back; a rollback is run again). `beforeStart`: called between
 * two calls — `up --no-start --force-recreate` creates the new containers, then `up -d --wait`
 * starts them — for what must be set before a container's first start (a rollback's addresses,
 * source/engine/keep-addresses.ts).
 */
export async function recreateServices(
	project: ComposeProject,
	services: string[],
	options: {
		withDependencies?: boolean;
		timeoutSeconds?: number;
		run?: RunKind;
		beforeStart?: (services: string[]) => Promise<void>;
	} = {},
): Promise<void> {
	const timeoutSeconds = options.timeoutSeconds ?? defaultWaitSeconds;
	const noDeps = options.withDependencies ? [] : ['--no-deps'];
	const wait = ['--wait', '--wait-timeout', String(timeoutSeconds)];
	if (options.beforeStart) {
		await composeUp(project, services, ['up', '-d', '--no-start', ...noDeps, '--force-recreate', ...services], options.run);
		await options.beforeStart(services);
		await composeUp(project, services, ['up', '-d', ...noDeps, ...wait, ...services], options.run, timeoutSeconds);
		return;
	}
	await composeUp(project, services, ['up', '-d', ...noDeps, '--force-recreate', ...wait, ...services], options.run, timeoutSeconds);
}

/** One `docker compose up` of a recreate, its failure said in the operator's words. */
async function composeUp(
	project: ComposeProject,
	services: string[],
	args: string[],
	run: RunKind = 'apply',
	timeoutSeconds = defaultWaitSeconds,
) {
	const goOn = wayOn(run);
	try {
		await runCompose(project, args, {timeoutMs: (timeoutSeconds + 30) * 1000});
	} catch (error) {
		const output = String((error as {all?: string}).all ?? (error as Error).message);
		const last = output.trim().split('\n').slice(-3).join(' | ');
		if (/Cannot connect to the Docker daemon|Is the docker daemon running/i.test(output))
			throw engineUnreachable('compose cannot connect', `recreating ${services.join(', ')}`);
		const said = healthWaitLine(output, (error as {timedOut?: boolean}).timedOut === true);
		if (said) throw new HealthWaitFailed(services, said, `look at \`docker compose ps\` and the service logs; fix the cause, ${goOn}`);
		throw new NetmigrateError(`docker compose could not recreate ${services.join(', ')}: ${last}`, {
			hint: /not found|could not be found/i.test(output)
				? `a network the compose files name does not exist; run \`netmigrate status\`, ${goOn}`
				: `look at \`docker compose ps\` and the service logs; fix the cause, ${goOn}`,
		});
	}
}

/**
 * The containers a plain `docker compose up -d` would recreate now, as compose itself decides
 * it (`--dry-run`, Compose 2.17+): its own hash of each definition against the container's
 * label, with what it resolves first (a `network_mode: service:` follower's owner) — which
 * comparing `config --hash` with the labels gets wrong. `only`: asked as a recreate of those
 * services was made (with `--no-deps`, compose hashes a service without its depends_on).
 */
export async function wouldRecreate(
	project: ComposeProject,
	only: {services: string[]; noDeps: boolean} = {services: [], noDeps: false},
): Promise<string[]> {
	const result = await runCompose(project, ['--dry-run', 'up', '-d', ...(only.noDeps ? ['--no-deps'] : []), ...only.services]);
	const names = new Set<string>();
	for (const line of result.all.split('\n')) {
		const name = /Container (\S+)\s+Recreate$/.exec(line.trim())?.[1];
		if (name) names.add(name);
	}
	return [...names];
}
