/**
 * Checks: every container of the stack running and healthy — judged against its state when the
 * iteration began, so one already unhealthy then is a warning, not a failure; on the networks
 * the iteration leaves it on, with the aliases and pinned addresses it had (a follower: in a
 * live namespace); then each planned check from a probe in the source's network namespace to
 * the target's address **on the `via` network** (not whatever address DNS returns first), with
 * its latency; `expect: blocked` must fail to connect. The target's name must also resolve from
 * the source (an alias lost on reconnect is a classic failure). Isolation is judged on the
 * network: a TCP connection that opens is reachable, whatever HTTP then answers, so
 * `expect: blocked` fails on an open port that says 403. `expect: reachable` asks more: a 403 or
 * a 5xx is a refusal (a firewall or a proxy whose upstream is gone), not a working path.
 */
import type {ComposeModel} from '../source/compose/project.js';
import {namespaceOwner} from '../source/compose/project.js';
import type {CheckResult, ContainerInfo, HealthBaseline, HealthResult, Target} from '../source/domain.js';
import type {Engine} from '../source/engine/docker.js';
import {healthDetails} from '../source/engine/health.js';
import {stackContainers, withRemoteTasks} from '../source/engine/swarm-tasks.js';
import type {NodeProbe, ProbeOutcome, Prober} from '../source/engine/probe.js';
import {NetmigrateError} from '../source/errors.js';
import type {Emit} from '../source/events.js';
import type {Check} from '../source/plan/schema.js';
import {healthSummary, judgeHealth, unhealthyBeforeWarning, unhealthyContainers} from '../source/health.js';
import {expectedAfter, membershipProblems, recordFromNames} from '../source/membership.js';
import {membershipRecordOf} from '../source/stack-membership.js';
import {inPool} from '../source/pool.js';
import {setTimeout as sleep} from 'node:timers/promises';
import {cutOff, probeEveryPair} from './checks-matrix.js';
import type {RunContext, Step} from './step.js';

export const checksStep: Step = {
	name: 'checks',
	title: 'Connectivity checks',
	changesHost: false,
	total: (run) => run.iteration.checks.length,
	async run(run) {
		const {project} = run.current();
		const target = run.loaded.plan.target;
		const health = await checkHealth(run.engine, project.projectName, run.manifest?.health, target);
		for (const item of health.filter((result) => result.unhealthyBefore))
			run.emit({type: 'log', level: 'warn', message: unhealthyBeforeWarning(item)});
		const membership = await membershipAfterApply(run, project.projectName);
		const checks = await runChecks(run.iteration.checks, {engine: run.engine, project, prober: run.prober, emit: run.emit, target});
		const reachability = await probeEveryPair(run);
		run.results = {checks, health, ...(reachability ? {reachability} : {})};
		run.progress.update(run.iteration.name, (item) => {
			item.checks = checks;
			item.health = health;
			if (reachability) item.reachability = reachability;
		});
		const failed = checks.filter((check) => !check.ok);
		const unhealthy = health.filter((item) => !item.ok);
		if (failed.length > 0 || unhealthy.length > 0 || (membership?.length ?? 0) > 0 || cutOff(reachability)) {
			throw new NetmigrateError(
				[
					failedChecks(failed, checks.length),
					unhealthyContainers(unhealthy),
					differentMembership(membership ?? []),
					cutOff(reachability),
				]
					.filter(Boolean)
					.join('; '),
				{
					hint: 'fix the cause and run the same command again to re-run the checks, or roll back (`netmigrate rollback`)',
				},
			);
		}
		return `${checks.length} checks passed, ${healthSummary(health)}${membership ? ', membership as planned' : ''}${reachability ? `, ${reachability.probed} pairs probed` : ''}`;
	},
};

function failedChecks(failed: CheckResult[], total: number): string {
	if (failed.length === 0) return '';
	return `${failed.length} of ${total} checks failed: ${failed.map((check) => `${check.from} → ${check.to}${check.via ? ` via ${check.via}` : ''} (${check.detail})`).join('; ')}`;
}

function differentMembership(problems: string[]): string {
	return problems.length > 0 ? `membership differs from the plan: ${problems.join('; ')}` : '';
}

/**
 * Each container against the backup's record: on its recorded networks plus those the iteration
 * joins it to, minus those it leaves; on the networks it kept, the same aliases and pinned
 * addresses; a follower in a live namespace. Undefined where not compared: on a swarm an update
 * replaces tasks (the old one may still be stopping beside the new), and the rollback compares names.
 */
async function membershipAfterApply(run: RunContext, project: string): Promise<string[] | undefined> {
	if (run.loaded.plan.target === 'swarm' || !run.manifest) return undefined;
	const record = run.manifest.record ?? recordFromNames(run.manifest.membership);
	return membershipProblems(expectedAfter(record, run.iteration), await membershipRecordOf(run.engine, run.host, project));
}

/**
 * Every container of the project judged against `baseline`, its state when the iteration began
 * (source/health.ts): one already unhealthy then is a warning, not a failure. Without a
 * baseline every container must be running and healthy, or a one-shot that finished. On a swarm,
 * a task on another node counts as its task state says (running means its healthcheck passed).
 */
export async function checkHealth(
	engine: Engine,
	project: string,
	baseline?: HealthBaseline,
	target: Target = 'compose',
): Promise<HealthResult[]> {
	const [local, remote] = await Promise.all([
		healthDetails(engine, project),
		target === 'swarm' ? withRemoteTasks(engine, project, []) : [],
	]);
	const tasks = remote.map((task) => ({
		container: task.name,
		...(task.service ? {service: task.service} : {}),
		...(task.slot ? {slot: task.slot} : {}),
		state: task.state,
		health: task.health,
	}));
	return judgeHealth([...local, ...tasks], baseline);
}

export async function runChecks(
	checks: Check[],
	context: {engine: Engine; project: ComposeModel; prober: Prober; emit?: Emit; target?: Target},
): Promise<CheckResult[]> {
	const [containers, networks] = await Promise.all([
		stackContainers(context.engine, context.project.projectName, context.target),
		context.engine.listNetworkSpecs(),
	]);
	const overlays = new Set(networks.filter((network) => network.driver === 'overlay').map((network) => network.name));
	// Checks only read, so they run side by side (a few at a time); results keep the plan's order.
	return inPool(checks, 4, async (check) => {
		let result = await runCheck(check, containers, {...context, overlays});
		// A service recreated a moment ago (a follower after its owner, on a busy host) may not listen
		// yet: a reachable check whose connect failed is tried once more, 2 s later, before it counts.
		if (!result.ok && check.expect === 'reachable' && result.outcome === 'blocked' && result.address) {
			await sleep(2000);
			result = await runCheck(check, containers, {...context, overlays});
		}
		context.emit?.({type: 'check', result});
		return result;
	});
}

/** What a check found, past the check's own fields (from, to, via, expect). */
type Verdict = Omit<CheckResult, 'from' | 'to' | 'via' | 'expect'>;

/** The source container, the target's namespace owner and, with `via`, the target's address there: what a probe needs. */
type CheckEnds = {source: ContainerInfo; targetOwner: string; address?: string};

async function runCheck(
	check: Check,
	containers: ContainerInfo[],
	context: {project: ComposeModel; prober: Prober; overlays: Set<string>},
): Promise<CheckResult> {
	const base = {from: check.from, to: check.to, ...(check.via ? {via: check.via} : {}), expect: check.expect};
	const ends = checkEnds(check, containers, context);
	if (!('source' in ends)) return {...base, ...ends};
	return {...base, ...judgeProbe(check, ends, await probeCheck(check, ends, context.prober))};
}

/**
 * Both ends of a check, running, and the target's address on `via`; or the verdict when no probe
 * is sent: an end without a running container, a target not on `via`, a source off the overlay `via`.
 */
function checkEnds(
	check: Check,
	containers: ContainerInfo[],
	context: {project: ComposeModel; overlays: Set<string>},
): CheckEnds | Verdict {
	const [targetService] = check.to.split(':') as [string, string];
	const running = (service: string) => containers.find((container) => container.service === service && container.state === 'running');
	const source = running(namespaceOwner(context.project, check.from));
	const targetOwner = namespaceOwner(context.project, targetService);
	const target = running(targetOwner);
	if (!source || !target) {
		const missing = !source ? check.from : targetService;
		return {ok: false, outcome: 'blocked', detail: `${missing} has no running container`};
	}
	if (!check.via) return {source, targetOwner};
	const address = target.networks.find((endpoint) => endpoint.network === check.via)?.ipv4;
	// A check via a network the target is not on proves nothing either way, `blocked` included: the
	// plan meant a path that does not exist, so it fails and says so.
	if (!address)
		return {
			ok: false,
			outcome: 'blocked',
			detail: `${targetOwner} is not on ${check.via}`,
		};
	// An overlay's addresses are reachable only from its members; a probe from outside it would
	// leave through the source's default route, off this machine. Nothing is sent there.
	if (context.overlays.has(check.via) && !source.networks.some((endpoint) => endpoint.network === check.via)) {
		return {
			ok: check.expect === 'blocked',
			outcome: 'blocked',
			address,
			resolved: [],
			detail: `${check.from} is not on the overlay ${check.via}: only its members reach it (not probed)`,
		};
	}
	return {source, targetOwner, address};
}

/** The target's name resolved and its port probed from the source's namespace. */
function probeCheck(check: Check, {source, targetOwner, address}: CheckEnds, prober: Prober): Promise<NodeProbe> {
	const port = Number(check.to.split(':')[1]);
	// A source task on another swarm node is stood in for by a probe task placed there.
	return source.node
		? prober.probeFromNode(
				{node: source.node, networks: source.networks.map((endpoint) => endpoint.network)},
				targetOwner,
				address,
				port,
				check.timeout,
			)
		: probeHere(prober, source.id, targetOwner, address, port, check.timeout);
}

/** The probe against the check's expectation; a reachable target must also be found by its name. */
function judgeProbe(check: Check, {source, targetOwner}: CheckEnds, {resolved, probe, address}: NodeProbe): Verdict {
	const where = source.node ? {node: source.node} : {};
	if (!address || !probe)
		return {
			ok: check.expect === 'blocked',
			outcome: 'blocked',
			resolved,
			...where,
			detail: `${targetOwner} does not resolve from ${check.from}`,
		};

	const outcome = probe.connected ? 'reachable' : 'blocked';
	let ok = meetsExpectation(check.expect, probe);
	let detail =
		probe.httpStatus !== undefined ? `HTTP ${probe.httpStatus}` : probe.connected ? 'TCP open' : probe.detail || 'no connection';
	if (ok && check.expect === 'reachable' && resolved.length === 0) {
		ok = false;
		detail += `; but the name ${targetOwner} does not resolve from ${check.from} (alias lost?)`;
	}
	return {
		ok,
		outcome,
		address,
		...(probe.latencyMs === undefined ? {} : {latencyMs: probe.latencyMs}),
		...(probe.httpStatus === undefined ? {} : {httpStatus: probe.httpStatus}),
		resolved,
		...where,
		detail,
	};
}

/** From a probe in the source's own namespace: its resolver's answer, then the probe of `address` (or of the first answer). */
async function probeHere(
	prober: Prober,
	source: string,
	name: string,
	address: string | undefined,
	port: number,
	timeoutSeconds: number,
): Promise<NodeProbe> {
	const resolved = await prober.resolve(source, name);
	const chosen = address ?? resolved[0];
	if (!chosen) return {resolved};
	return {resolved, address: chosen, probe: await prober.probe(source, chosen, port, timeoutSeconds)};
}

/** Blocked means no TCP connection opens; reachable means one opens and HTTP, if spoken, does not refuse. */
export function meetsExpectation(expect: Check['expect'], probe: Pick<ProbeOutcome, 'connected' | 'httpStatus'>): boolean {
	if (expect === 'blocked') return !probe.connected;
	const refused = probe.httpStatus !== undefined && (probe.httpStatus === 403 || probe.httpStatus >= 500);
	return probe.connected && !refused;
}
