/**
 * What the wizard shows, computed by the core: the stack overview, an iteration's review
 * (actions, masked diffs, networks, preflight warnings) and a checks-only run. The UI calls
 * these and renders plain data; it never talks to Docker itself.
 */
import {engineObserver} from './observe.js';
import path from 'node:path';
import {composeVersion} from './engine/compose.js';
import {defaultRoutesOf} from './engine/default-routes.js';
import {discover} from './engine/discover.js';
import {Engine} from './engine/docker.js';
import {firewallBackend} from './engine/firewall-backend.js';
import {readHostRoutes} from './engine/host-routes.js';
import {Prober} from './engine/probe.js';
import {swarmRole} from './engine/swarm.js';
import {formatProblem, NetmigrateError} from './errors.js';
import {fileDiffs} from './plan/dryrun.js';
import type {IntendedStack} from './plan/intent.js';
import type {LoadedPlan} from './plan/load.js';
import {plannedMap, runningStack, type NetworkMap} from './plan/map.js';
import type {ReachabilityMatrix} from './plan/matrix.js';
import {reachWarnings} from './plan/reach.js';
import {subnetSafetyProblems} from './plan/safety.js';
import {describe, type Action} from './actions.js';
import type {CheckResult, Discovered, HealthResult, Mode, StepInfo} from './domain.js';
import type {SavedPlan} from './plan/saved.js';
import type {Iteration} from './plan/schema.js';
import {loadStackPlan, loadStackStatus, stackRootOf, type StackStatus} from './run.js';
import {engineWarnings, stackFacts} from './tested-engines.js';
import {savePlanned} from './runs/reviewed.js';
import {readBackup} from '../state/backup.js';
import {readJournal} from '../state/journal.js';
import {checkHealth, runChecks} from '../steps/checks.js';
import {discoveredFromFiles} from '../steps/context.js';
import {planIteration} from '../steps/index.js';
import {verifyMatrix} from './verify.js';

export type Overview = {
	project: string;
	root: string;
	planFile: string;
	composeFiles: string[];
	/** Where the stack runs: one engine's containers, or a swarm stack (with the swarm's node count when the engine answered). */
	target: {kind: 'compose'} | {kind: 'swarm'; nodes?: number};
	engine: {version: string} | {error: string};
	services: Array<{name: string; state: string; networks: string[]}>;
	networks: Array<{name: string; subnet: string; internal: boolean; planned: boolean}>;
	status: StackStatus;
	/** The iteration `apply` would run next (0-based), or -1 when all are done. */
	next: number;
	lastReport?: string;
};

export async function loadOverview(planFile: string, host: string): Promise<Overview> {
	// The engine answers while the files are read: its first round trip costs the home screen nothing.
	const adapter = new Engine(host);
	const version = adapter.version();
	version.catch(() => undefined);
	const {loaded, status} = loadStackStatus(planFile);
	let engine: Overview['engine'];
	let nodes: number | undefined;
	let discovered: Discovered = discoveredFromFiles();
	try {
		engine = {version: (await version).version};
		if (loaded.plan.target === 'swarm') nodes = (await swarmRole(adapter)).nodes;
		discovered = await discover(adapter, loaded.project.projectName, {target: loaded.plan.target});
	} catch (error) {
		engine = {error: error instanceof Error ? error.message : String(error)};
	}
	const planned = new Set(Object.keys(loaded.plan.networks));
	// The legacy network first, then the planned ones in the plan's order.
	const order = [loaded.plan.legacy, ...planned];
	const relevant = [...discovered.networks.values()]
		.filter((network) => order.includes(network.name))
		.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
	// Services of an inactive profile are not part of the running stack: compose neither starts nor expects them.
	const services = [...loaded.project.services.values()]
		.filter((service) => service.active)
		.map(({name}) => {
			const containers = discovered.containers.get(name) ?? [];
			return {
				name,
				state: containers.some((container) => container.running) ? 'running' : containers.length > 0 ? 'stopped' : 'missing',
				networks: containers[0]?.networks ?? [],
			};
		});
	const reports = status.iterations
		.map((iteration) => iteration.progress?.report)
		.filter((report): report is string => report !== undefined);
	return {
		project: loaded.project.projectName,
		root: loaded.project.root,
		planFile: loaded.file,
		composeFiles: [...loaded.project.files.keys()].map((file) => path.relative(loaded.project.root, file)),
		target: loaded.plan.target === 'swarm' ? {kind: 'swarm', ...(nodes === undefined ? {} : {nodes})} : {kind: 'compose'},
		engine,
		services,
		networks: relevant.map((network) => ({
			name: network.name,
			subnet: network.subnet,
			internal: network.internal,
			planned: planned.has(network.name),
		})),
		status,
		next: status.iterations.findIndex((iteration) => iteration.status !== 'done'),
		...(reports.length > 0 ? {lastReport: reports.at(-1) as string} : {}),
	};
}

/** A step of the review: its actions as the operator reads them (file paths relative to the stack), not as actions — the UI loads no action code. */
export type ReviewStep = StepInfo & {described: string[]};

export type Review = {
	index: number;
	name: string;
	mode: Mode;
	steps: ReviewStep[];
	diffs: Array<{path: string; diff: string}>;
	networks: Array<{name: string; subnet: string; internal: boolean; exists: boolean}>;
	checks: Array<{from: string; to: string; via?: string; expect: string}>;
	warnings: string[];
	notes: string[];
	/** The reviewed plan as a value (made from the engine's reading): the apply that follows runs exactly it, or refuses. */
	saved?: SavedPlan;
	/** Who is on which network now and after this iteration. */
	map: NetworkMap;
};

export async function loadReview(planFile: string, host: string, index: number, mode?: Mode): Promise<Review> {
	const loaded = loadStackPlan(planFile);
	const iteration = loaded.plan.iterations[index];
	if (!iteration) throw new NetmigrateError(`no iteration ${index + 1}`, {code: 'bad-input'});
	const {discovered, engineVersion, warnings} = await reviewedStack(host, loaded, iteration);
	const planned = planIteration(loaded.plan, index, loaded.project, discovered, mode);
	// Whether a service keeps (and only keeps) its way to the internet, as `plan` warns.
	warnings.push(
		...reachWarnings(loaded.plan, loaded.project, loaded.locate, [...discovered.networks.values()]).map((problem) =>
			formatProblem(problem).trim(),
		),
	);
	return {
		index,
		name: iteration.name,
		mode: planned.mode,
		steps: planned.steps.map(({actions, ...step}) => ({
			...step,
			described: actions.map((action) => describe(action, loaded.project.root)),
		})),
		diffs: fileDiffs(planned, loaded.project, loaded.plan),
		networks: Object.entries(loaded.plan.networks).map(([name, network]) => ({
			name,
			subnet: network.subnet,
			internal: network.internal,
			exists: discovered.networks.has(name),
		})),
		checks: iteration.checks.map((check) => ({
			from: check.from,
			to: check.to,
			...(check.via ? {via: check.via} : {}),
			expect: check.expect,
		})),
		warnings,
		notes: planned.notes,
		...(discovered.source === 'engine' && engineVersion
			? {saved: savePlanned(path.resolve(planFile), loaded, planned, discovered, engineVersion)}
			: {}),
		map: plannedMap(
			loaded.project,
			loaded.plan,
			index,
			discovered.source === 'engine' ? runningStack(loaded.project, loaded.plan, discovered) : undefined,
		),
	};
}

/**
 * The stack as the engine runs it, for a review, with what the run's preflight will warn about
 * (engine and compose versions, subnets that clash with the host's routes, a service to attach
 * that is not running); the compose files instead, with a warning, when the engine does not answer.
 */
async function reviewedStack(
	host: string,
	loaded: LoadedPlan,
	iteration: Iteration,
): Promise<{discovered: Discovered; engineVersion: string | undefined; warnings: string[]}> {
	const warnings: string[] = [];
	let discovered: Discovered;
	let engineVersion: string | undefined;
	try {
		const engine = new Engine(host);
		[discovered, {version: engineVersion}] = await Promise.all([
			discover(engine, loaded.project.projectName, {forPlanning: true, target: loaded.plan.target}),
			engine.version(),
		]);
		// Preflight warns the same when the run starts; the review shows it before the operator says yes.
		const [compose, backend] = await Promise.all([
			composeVersion(host).catch(() => undefined),
			firewallBackend(engine).catch(() => undefined),
		]);
		if (compose)
			warnings.push(
				...engineWarnings({
					engineVersion,
					composeVersion: compose,
					...(backend ? {firewallBackend: backend} : {}),
					...stackFacts(loaded.project, loaded.plan),
				}),
			);
		warnings.push(
			...subnetSafetyProblems(loaded.plan, discovered.networks, readHostRoutes(), loaded.locate).map((problem) =>
				formatProblem(problem).trim(),
			),
		);
		for (const service of Object.keys(iteration.attach)) {
			if (!(discovered.containers.get(service) ?? []).some((container) => container.running))
				warnings.push(`service ${service} is not running; start it before applying`);
		}
	} catch (error) {
		discovered = discoveredFromFiles();
		warnings.push(
			`the engine did not answer (${error instanceof Error ? error.message : String(error)}); planned from the compose files`,
		);
	}
	return {discovered, engineVersion, warnings};
}

/**
 * The network map: now (the running containers when the engine answers, else the compose
 * files) against the plan after iteration `index` (default: the one `apply` would run next).
 */
export async function loadMap(planFile: string, host: string, index?: number): Promise<NetworkMap> {
	const {loaded, status} = loadStackStatus(planFile);
	const next = status.iterations.findIndex((iteration) => iteration.status !== 'done');
	return plannedMap(
		loaded.project,
		loaded.plan,
		index ?? (next >= 0 ? next : loaded.plan.iterations.length - 1),
		await runningStackOn(host, loaded),
	);
}

/**
 * The stack as the engine at `host` runs it — each container's networks, and the default
 * routes where they can be read from here — or undefined when no engine answers there.
 */
export async function runningStackOn(host: string, loaded: LoadedPlan): Promise<IntendedStack | undefined> {
	const engine = new Engine(host);
	try {
		const discovered = await discover(engine, loaded.project.projectName, {target: loaded.plan.target});
		const routes = await defaultRoutesOf(engine, host, loaded.project.projectName).catch(() => ({}));
		return runningStack(loaded.project, loaded.plan, discovered, routes);
	} catch (error) {
		if (error instanceof NetmigrateError && error.code === 'engine-unreachable') return undefined;
		throw error;
	}
}

/** Every pair of the stack's namespaces probed against the plan after the last done iteration. */
export async function verifyIsolation(planFile: string, host: string): Promise<ReachabilityMatrix> {
	return verifyMatrix(planFile, {}, engineObserver(host));
}

/** Runs an iteration's checks (and container health) without changing anything. */
export async function checksOnly(planFile: string, host: string, index: number): Promise<{checks: CheckResult[]; health: HealthResult[]}> {
	const loaded = loadStackPlan(planFile);
	const iteration = loaded.plan.iterations[index];
	if (!iteration) throw new NetmigrateError(`no iteration ${index + 1}`, {code: 'bad-input'});
	const engine = new Engine(host);
	const prober = new Prober(engine, loaded.project.projectName);
	try {
		// Judged against the iteration's start when its backup recorded it (a checks-only run before any apply has none).
		const health = await checkHealth(engine, loaded.project.projectName, readBackup(loaded.project.root, iteration.name)?.health);
		const checks = await runChecks(iteration.checks, {engine, project: loaded.project, prober});
		return {checks, health};
	} finally {
		await prober.close();
	}
}

/** The journal as lines an operator reads: sequence, time, run, step, outcome, action. */
export function journalLines(planFile: string): string[] {
	const root = stackRootOf(planFile);
	const entries = readJournal(root);
	if (entries.length === 0) return ['The journal is empty: nothing has been applied yet.'];
	const intents = new Map(
		entries.filter((entry) => entry.action).map((entry) => [`${entry.run}:${entry.iteration}:${entry.id}`, entry.action as Action]),
	);
	return entries.map((entry) => {
		const action = entry.action ?? intents.get(`${entry.run}:${entry.iteration}:${entry.id}`);
		const what = entry.phase === 'planned' ? `${entry.actions?.length ?? 0} actions planned` : action ? describe(action) : entry.id;
		return `${String(entry.seq).padStart(4)} ${entry.at.slice(11, 19)} ${entry.run.padEnd(8)} ${entry.step.padEnd(10)} ${entry.phase.padEnd(7)} ${what}${entry.error ? ` — ${entry.error}` : ''}`;
	});
}
