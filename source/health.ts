/**
 * Health, judged against the start. The backup records each container's state when the
 * iteration begins (`healthBaselineOf`); the checks step and the recreate gate judge the
 * containers of now against it (`judgeHealth`). What was already broken is not this iteration's
 * failure — a healthcheck that needs the internet on a host without it, a service still
 * "starting" that the plan does not touch, a one-shot that had exited — it is a warning, and it
 * neither fails an apply nor blocks a rollback. What was healthy and is not now fails; a
 * container that did not exist at the start must be healthy. A service in an inactive profile
 * has no container, so nothing here ever asks for it. Without a baseline (a backup made before
 * it was recorded) every container must be healthy, as before.
 * Pure: the engine is read by the caller (source/engine/health.ts, steps/backup.ts).
 */
import {
	probeLabel,
	type ContainerInfo,
	type HealthBaseline,
	type HealthDetail,
	type HealthResult,
	type HealthState,
	type RunKind,
} from './domain.js';
import {wayOn} from './errors.js';

export function healthStateOf(container: HealthState): HealthState {
	const {service, state, health, exitCode, restartPolicy} = container;
	return {
		...(service ? {service} : {}),
		state,
		health,
		...(exitCode === undefined ? {} : {exitCode}),
		...(restartPolicy === undefined ? {} : {restartPolicy}),
	};
}

/** Every container of the stack but netmigrate's probes, by name (a swarm task by its slot). */
export function healthBaselineOf(containers: ContainerInfo[]): HealthBaseline {
	const baseline: HealthBaseline = {};
	for (const container of containers)
		if (!container.labels[probeLabel]) baseline[container.slot ?? container.name] = healthStateOf(container);
	return baseline;
}

/** Running and passing its healthcheck (or having none); or a one-shot (`restart: "no"`, a permissions fixer) that exited 0: it has done its work. */
export function isHealthy(state: HealthState): boolean {
	if (state.state === 'running') return state.health === 'healthy' || state.health === 'none';
	return (
		state.state === 'exited' &&
		state.exitCode === 0 &&
		(state.restartPolicy === 'no' || state.restartPolicy === '' || state.restartPolicy === undefined)
	);
}

/** `running, unhealthy`, `exited (1)`, `running`: a state as the operator reads it. */
export function describeState(state: {state: string; health: string; exitCode?: number}): string {
	if (state.state === 'exited') return state.exitCode === undefined ? 'exited' : `exited (${state.exitCode})`;
	return state.health === 'none' ? state.state : `${state.state}, ${state.health}`;
}

/** Each container of `now`, judged against `baseline` (see the file's head), sorted by name. */
export function judgeHealth(now: HealthDetail[], baseline: HealthBaseline | undefined): HealthResult[] {
	return now
		.map((detail) => ({
			container: detail.container,
			service: detail.service ?? detail.container,
			state: detail.state,
			health: detail.health,
			...(detail.state === 'exited' && detail.exitCode !== undefined ? {exitCode: detail.exitCode} : {}),
			...verdict(detail, baseline),
			...(detail.lastOutput && !isHealthy(detail) ? {lastOutput: detail.lastOutput} : {}),
		}))
		.sort((a, b) => a.container.localeCompare(b.container));
}

function verdict(detail: HealthDetail, baseline: HealthBaseline | undefined): Pick<HealthResult, 'ok' | 'unhealthyBefore' | 'reason'> {
	if (isHealthy(detail)) return {ok: true};
	if (!baseline) return {ok: false};
	const before = baseline[detail.slot ?? detail.container];
	if (!before) return {ok: false, reason: 'it did not exist when the iteration began'};
	if (!isHealthy(before)) return {ok: true, unhealthyBefore: true, reason: `already ${describeState(before)} when the iteration began`};
	return {ok: false, reason: `${describeState(before)} when the iteration began`};
}

/**
 * What a gate does with its judgement: pass when nothing failed; wait while every failure may
 * still come good (a healthcheck still starting, a container created or restarting); else fail.
 */
export function gateOutcome(results: HealthResult[]): 'pass' | 'wait' | 'fail' {
	const failed = results.filter((result) => !result.ok);
	if (failed.length === 0) return 'pass';
	const pending = (result: HealthResult) =>
		(result.state === 'running' && result.health === 'starting') || result.state === 'created' || result.state === 'restarting';
	return failed.every(pending) ? 'wait' : 'fail';
}

/** `media-sonarr-1 (running, unhealthy; healthy when the iteration began; last check: "…")`. */
export function describeResult(result: HealthResult): string {
	const details = [
		describeState(result),
		...(result.reason ? [result.reason] : []),
		...(result.lastOutput ? [`last check: ${JSON.stringify(result.lastOutput)}`] : []),
	];
	return `${result.container} (${details.join('; ')})`;
}

/** The warning for a container that was not healthy before the iteration began either. */
export function unhealthyBeforeWarning(result: HealthResult): string {
	return `${result.container} is ${describeState(result)}, as it was when the iteration began${result.lastOutput ? ` (last check: ${JSON.stringify(result.lastOutput)})` : ''}: not a failure of this iteration`;
}

/** `18 containers healthy`, or `16 containers healthy, 2 unhealthy before the iteration began`. */
export function healthSummary(health: HealthResult[]): string {
	const before = health.filter((result) => result.unhealthyBefore).length;
	return `${health.length - before} containers healthy${before > 0 ? `, ${before} unhealthy before the iteration began` : ''}`;
}

/** The checks step's line for the containers that fail. */
export function unhealthyContainers(results: HealthResult[]): string {
	const failed = results.filter((result) => !result.ok);
	return failed.length > 0 ? `unhealthy: ${failed.map(describeResult).join(', ')}` : '';
}

export type RecreateJudgement = {outcome: 'pass' | 'wait' | 'fail'; results: HealthResult[]; missing: string[]};

/**
 * The recreate gate, after compose's `--wait` gave up: the project's containers judged against
 * the start, and each recreated service must have a container (compose made one, or it failed
 * before). A container compose waited on that was already unhealthy does not fail it.
 */
export function judgeRecreate(services: string[], now: HealthDetail[], baseline: HealthBaseline | undefined): RecreateJudgement {
	const results = judgeHealth(now, baseline);
	const missing = services.filter((service) => !now.some((detail) => detail.service === service));
	return {outcome: missing.length > 0 ? 'fail' : gateOutcome(results), results, missing};
}

/**
 * The recreate gate's message when it fails: each container that fails named with its state,
 * why it fails and its last health output; each service without a container; what compose said.
 */
export function recreateGateMessage(
	services: string[],
	judgement: Pick<RecreateJudgement, 'results' | 'missing'>,
	composeSaid: string,
): string {
	const failed = judgement.results.filter((result) => !result.ok).map(describeResult);
	const missing = judgement.missing.map((service) => `no container of ${service}`);
	return `recreating ${services.join(', ')}: not healthy: ${[...failed, ...missing].join('; ')} — compose said: ${composeSaid}`;
}

/** Where to look (the first failing container's logs and healthcheck), and how the run goes on in its direction. */
export function recreateGateHint(judgement: Pick<RecreateJudgement, 'results' | 'missing'>, run: RunKind): string {
	const first = judgement.results.find((result) => !result.ok)?.container;
	const look = first
		? `look at \`docker logs ${first}\` and its healthcheck (\`docker inspect --format '{{json .State.Health}}' ${first}\`)`
		: 'look at `docker compose ps -a` and the service logs';
	return `${look}; fix the cause, ${wayOn(run)}`;
}
