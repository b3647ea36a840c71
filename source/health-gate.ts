/**
 * The recreate's health gate. Compose's `up --wait` returns once the recreated containers run
 * and pass their healthchecks — or gives up, saying only "application not healthy after 2m0s"
 * or "container X is unhealthy", about a container that may have been unhealthy long before
 * netmigrate came (a healthcheck that needs the internet). Then the project's containers are
 * read with their last health output and judged against the iteration's start
 * (source/health.ts): if every container that is not healthy was not healthy then either, the
 * recreate stands and each is logged as a warning; else the error names each failing container,
 * its state and its last health output, with a hint in the run's direction. Containers still
 * starting are waited on, up to the recreate's wait timeout: compose stops waiting at the first
 * unhealthy one, which may leave the others of the recreate still starting.
 */
import type {HealthBaseline, RunKind} from './domain.js';
import {defaultWaitSeconds, HealthWaitFailed, recreateServices, type ComposeProject} from './engine/compose.js';
import type {Engine} from './engine/docker.js';
import {anAddressToKeep, keepAddresses, type AddressesToKeep} from './engine/keep-addresses.js';
import {healthDetails, healthRhythms, type HealthRhythm} from './engine/health.js';
import {NetmigrateError} from './errors.js';
import {waitDuration, type Emit} from './events.js';
import {judgeRecreate, recreateGateHint, recreateGateMessage, unhealthyBeforeWarning, type RecreateJudgement} from './health.js';

export type GateContext = {
	engine: Engine;
	compose: ComposeProject;
	run: RunKind;
	/** The containers' state when the iteration began (the backup's), read when the gate needs it; none: every container must be healthy. */
	baseline?: () => HealthBaseline | undefined;
	emit?: Emit;
	/** The addresses recreated containers keep (source/engine/keep-addresses.ts), read when a recreate needs them. */
	keepAddresses?: () => AddressesToKeep | undefined;
};

/**
 * Recreates `services` (see recreateServices) behind the gate. Each wait said before it
 * (sayWait) is said to end however the recreate ends — healthy, judged to stand, failed, or
 * given up on — so the wizard never keeps a bar for a wait that is over.
 */
export async function recreateGated(context: GateContext, services: string[], options: {withDependencies?: boolean} = {}): Promise<void> {
	const rhythms = context.compose.name
		? await healthRhythms(context.engine, context.compose.name, services)
		: new Map<string, HealthRhythm>();
	// Long enough for the slowest healthcheck to pass or give up: a fixed two minutes failed every
	// service on `interval: 5m`, whose first check had not even run.
	const waitMs = Math.max(defaultWaitSeconds * 1000, ...[...rhythms.values()].map((rhythm) => mostOf(rhythm) + 10_000));
	const deadline = Date.now() + waitMs;
	const waiting = sayWait(context, rhythms);
	let ok = false;
	try {
		await recreateJudged(context, services, {...options, timeoutSeconds: Math.ceil(waitMs / 1000)}, deadline);
		ok = true;
	} finally {
		for (const service of waiting) context.emit?.({type: 'wait-done', service, ok});
	}
}

/** The recreate, and when compose gives up waiting, the judgement against the iteration's start. */
async function recreateJudged(
	context: GateContext,
	services: string[],
	options: {withDependencies?: boolean; timeoutSeconds: number},
	deadline: number,
): Promise<void> {
	let gaveUp: HealthWaitFailed;
	try {
		const project = context.compose.name;
		const addresses = context.keepAddresses?.();
		const keep =
			addresses && project && (await anAddressToKeep(context.engine, project, services, addresses))
				? {beforeStart: keepAddresses(context.engine, project, addresses, warnings(context))}
				: {};
		await recreateServices(context.compose, services, {...options, run: context.run, ...keep});
		return;
	} catch (error) {
		if (!(error instanceof HealthWaitFailed) || !context.compose.name) throw error;
		gaveUp = error;
	}
	const judgement = await judgeUntilSettled(context, context.compose.name, services, deadline);
	if (judgement.outcome !== 'pass') {
		throw new NetmigrateError(recreateGateMessage(services, judgement, gaveUp.composeSaid), {
			where: {service: services[0] as string},
			hint: recreateGateHint(judgement, context.run),
			cause: gaveUp,
		});
	}
	const warn = (message: string) => context.emit?.({type: 'log', level: 'warn', message});
	for (const result of judgement.results.filter((item) => item.unhealthyBefore)) warn(unhealthyBeforeWarning(result));
	warn(
		`compose stopped waiting for ${services.join(', ')} (${gaveUp.composeSaid}); judged against the start of the iteration, no container failed: going on`,
	);
}

/** The judgement once nothing is still starting, or at the deadline (a container still starting then fails). */
async function judgeUntilSettled(context: GateContext, project: string, services: string[], deadline: number): Promise<RecreateJudgement> {
	for (;;) {
		const judgement = judgeRecreate(services, await healthDetails(context.engine, project), context.baseline?.());
		if (judgement.outcome !== 'wait') return judgement;
		if (Date.now() >= deadline) return {...judgement, outcome: 'fail'};
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

/**
 * What a recreate will wait for, and how long it may take, said before it waits: a healthcheck
 * on `interval: 1m` with no start_interval is first run a minute after the start, and the
 * operator otherwise watches a spinner for that minute without knowing why. Said twice: as a
 * log line (the line printer, CI logs) and as a wait-start event (the wizard's bar); returns the
 * services whose wait was said, each owed a wait-done.
 */
function sayWait(context: GateContext, rhythms: Map<string, HealthRhythm>): string[] {
	const waiting: string[] = [];
	for (const [service, rhythm] of rhythms) {
		const first = firstOf(rhythm);
		if (first < 10_000) continue;
		const most = mostOf(rhythm);
		context.emit?.({
			type: 'log',
			level: 'info',
			message: `waiting for ${service}'s first healthcheck: it runs every ${waitDuration(rhythm.intervalMs)} (${rhythm.retries} retries), so about ${waitDuration(first)}, at most ${waitDuration(most)}`,
		});
		context.emit?.({type: 'wait-start', service, waitsFor: 'first healthcheck', aboutMs: first, mostMs: most});
		waiting.push(service);
	}
	return waiting;
}

/** The first check runs one start_interval after the start inside a start period, else one interval after it. */
function firstOf(rhythm: HealthRhythm): number {
	return rhythm.startPeriodMs > 0 ? Math.min(rhythm.startIntervalMs, rhythm.intervalMs) : rhythm.intervalMs;
}

/** By then the container is healthy, or its retries are spent and it is unhealthy. */
function mostOf(rhythm: HealthRhythm): number {
	return Math.max(rhythm.startPeriodMs, firstOf(rhythm)) + rhythm.intervalMs * rhythm.retries;
}

/** A warning line of the run, where it has an emitter. */
function warnings(context: GateContext): ((message: string) => void) | undefined {
	const emit = context.emit;
	return emit ? (message) => emit({type: 'log', level: 'warn', message}) : undefined;
}
