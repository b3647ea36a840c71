/**
 * The report's text: a markdown record of an iteration like a hand-written migration report —
 * the step (steps/report.ts) gathers what happened, this writes it: networks, assignments,
 * checks with latencies, the map before and after, backups with hashes, duration and the
 * downtime each restart caused. It holds no environment values, so no secret can appear.
 */
import path from 'node:path';
import type {Action} from './actions.js';
import type {CheckResult, HealthResult, IterationReachability, MembershipSnapshot, MovedRoute, NetworkInfo} from './domain.js';
import {describeResult} from './health.js';
import type {NetworkMap} from './plan/map.js';
import {mapMarkdown} from './plan/map-render.js';
import {reachabilitySummary} from './plan/matrix-changes.js';
import type {Plan} from './plan/schema.js';
import type {BackupManifest} from '../state/backup.js';
import type {JournalEntry} from '../state/journal.js';

/**
 * Each recreate of this apply (a service with its namespace dependents) and how long it took to
 * come back healthy; each swarm service update with how long the service had no running task.
 */
export function restartsOf(runEntries: JournalEntry[], iteration: string): Restart[] {
	const entries = runEntries.filter((entry) => entry.iteration === iteration && entry.run === 'apply');
	const intents = new Map(
		entries.filter((entry) => entry.phase === 'intent' && entry.action).map((entry) => [entry.id, entry.action as Action]),
	);
	return entries
		.filter((entry) => entry.phase === 'done')
		.flatMap((entry): Restart[] => {
			const action = intents.get(entry.id);
			if (action?.kind === 'service.recreate')
				return [{services: [action.service, ...action.dependents], durationMs: entry.durationMs ?? 0}];
			if ((action?.kind === 'swarm.update' || action?.kind === 'swarm.env') && entry.downtimeMs !== undefined)
				return [{services: [action.service], durationMs: entry.downtimeMs, order: action.order}];
			return [];
		});
}

/** A restart the iteration caused: a recreate (until healthy), or a swarm update (`order`: the gap without a running task). */
export type Restart = {services: string[]; durationMs: number; order?: string};

function downtimeLine(restarts: Restart[]): string {
	if (restarts.length === 0) return '0 s — no service was restarted';
	const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const total = restarts.reduce((sum, restart) => sum + restart.durationMs, 0);
	const recreates = restarts.filter((restart) => !restart.order);
	const updates = restarts.filter((restart) => restart.order);
	const parts = [
		...(recreates.length > 0
			? [`only for ${recreates.map((restart) => restart.services.join(' + ')).join(', ')} (recreate until healthy)`]
			: []),
		...(updates.length > 0
			? [
					`per service update, from the old task's end to the new one running healthy: ${updates.map((restart) => `${restart.services.join(' + ')} ${seconds(restart.durationMs)} (${restart.order})`).join(', ')}`,
				]
			: []),
	];
	return `${seconds(total)} in total, ${parts.join('; ')}`;
}

export type ReportInput = {
	plan: Plan;
	index: number;
	stackRoot: string;
	mode: string;
	operator: string;
	toolVersion: string;
	engineVersion: string;
	startedAt: string;
	finishedAt: string;
	networks: NetworkInfo[];
	membership: MembershipSnapshot;
	checks: CheckResult[];
	health: HealthResult[];
	backup?: BackupManifest;
	/** service (with its dependents) → milliseconds from recreate start to healthy. */
	restarts: Restart[];
	allowLists: Array<{service: string; variable: string; value: string}>;
	/** How many containers' default routes were read, and those that moved (engines on this machine). */
	defaultRoutes?: {checked: number; moved: MovedRoute[]};
	/** Services whose containers are behind their compose files (a settle recreates them one at a time). */
	settlePending?: string[];
	/** Who is on which network before and after the iteration, as the plan intends. */
	networkMap?: NetworkMap;
	/** Every pair of namespaces probed by the checks step (absent: `--no-matrix`, or a swarm). */
	reachability?: IterationReachability;
};

export function renderReport(input: ReportInput): string {
	const iteration = input.plan.iterations[input.index];
	if (!iteration) throw new Error(`no iteration ${input.index + 1}`);
	const durationSeconds = (Date.parse(input.finishedAt) - Date.parse(input.startedAt)) / 1000;
	const passed = input.checks.filter((check) => check.ok).length;
	const healthy = input.health.filter((item) => item.ok && !item.unhealthyBefore).length;
	const before = input.health.filter((item) => item.unhealthyBefore);
	const ok = passed === input.checks.length && input.health.every((item) => item.ok);
	const lines: string[] = [];
	lines.push(`# Iteration ${input.index + 1}: ${iteration.name} — ${ok ? 'completed' : 'completed with failures'}`, '');
	lines.push(`- **Date:** ${input.finishedAt}`);
	lines.push(`- **Operator:** ${input.operator} (netmigrate ${input.toolVersion}, Docker ${input.engineVersion})`);
	lines.push(`- **Mode:** ${input.mode}`);
	lines.push(`- **Duration:** ${durationSeconds.toFixed(1)} s`);
	lines.push(`- **Measured downtime:** ${downtimeLine(input.restarts)}`);
	lines.push(
		`- **Checks:** ${passed}/${input.checks.length} passed; ${healthy}/${input.health.length} containers running and healthy${before.length > 0 ? ` (${before.length} unhealthy before the iteration began)` : ''}`,
		'',
	);

	const planned = Object.keys(input.plan.networks);
	const networks = input.networks.filter((network) => planned.includes(network.name) || network.name === input.plan.legacy);
	lines.push('## Networks', '', '| network | subnet | internal | containers |', '|---|---|---|---|');
	for (const network of networks.sort((a, b) => planned.indexOf(a.name) - planned.indexOf(b.name))) {
		lines.push(
			`| ${network.name}${network.name === input.plan.legacy ? ' (legacy)' : ''} | ${network.subnets.map((subnet) => subnet.subnet).join(', ')} | ${network.internal ? 'yes' : 'no'} | ${network.members.length} |`,
		);
	}
	lines.push('', '## Service network assignments', '', '| container | networks |', '|---|---|');
	for (const [container, list] of Object.entries(input.membership).sort(([a], [b]) => a.localeCompare(b))) {
		lines.push(`| ${container} | ${list.length > 0 ? list.join(', ') : "(shares another container's network namespace)"} |`);
	}
	if (input.networkMap) lines.push('', ...mapMarkdown(input.networkMap));
	if (input.allowLists.length > 0) {
		lines.push('', '## Firewall allow-lists', '');
		for (const change of input.allowLists) lines.push(`- ${change.service}: \`${change.variable}=${change.value}\``);
	}
	lines.push('', '## Checks', '', '| from | to | via | expected | result | latency | detail |', '|---|---|---|---|---|---|---|');
	for (const check of [...input.checks].sort((a, b) => Number(a.ok) - Number(b.ok))) {
		lines.push(
			`| ${check.from} | ${check.to} | ${check.via ?? '-'} | ${check.expect} | ${check.ok ? '✅' : '❌'} ${check.outcome} | ${check.latencyMs === undefined ? '-' : `${check.latencyMs} ms`} | ${check.detail.replace(/\|/g, '\\|')} |`,
		);
	}
	if (input.reachability) lines.push('', ...reachabilityMarkdown(input.reachability));
	if (input.defaultRoutes) {
		const {checked, moved} = input.defaultRoutes;
		lines.push('', '## Default routes', '');
		if (checked === 0)
			lines.push(
				"Not read: the engine is not on this machine (or its containers' processes are not visible from here), so a moved default route would go unnoticed.",
			);
		else if (moved.length === 0)
			lines.push(`Every container's default route (${checked} read) leaves through the same network as before.`);
		else {
			lines.push(
				`Joining networks moved ${moved.length} of ${checked} containers' default routes: their outbound traffic (to the internet, a VPN endpoint, the LAN) now leaves through another network. Check that this is what you want; rolling back restores them.`,
				'',
				'| container | before | after |',
				'|---|---|---|',
			);
			for (const move of moved) lines.push(`| ${move.container} | ${move.before ?? 'none'} | ${move.after ?? 'none'} |`);
		}
	}
	lines.push('', '## Container health', '', ...containerHealth(input.health));
	if (input.backup) {
		lines.push(
			'',
			'## Backups',
			'',
			`In \`${path.relative(input.stackRoot, path.join(input.stackRoot, '.netmigrate/backups', input.backup.iteration))}/\` (0600), taken ${input.backup.createdAt}:`,
			'',
			'| file | sha256 |',
			'|---|---|',
		);
		for (const file of input.backup.files) lines.push(`| ${path.relative(input.stackRoot, file.path)} | \`${file.sha256}\` |`);
		lines.push('', `Snapshots: ${input.backup.snapshots.join(', ')}.`);
	}
	if (input.settlePending?.length) {
		lines.push(
			'',
			'## Settle pending',
			'',
			`The compose files now define ${input.settlePending.length} service${input.settlePending.length === 1 ? '' : 's'} (${input.settlePending.join(', ')}) differently from their running containers, which were changed in place. A plain \`docker compose up -d\` would recreate ${input.settlePending.length === 1 ? 'it' : 'them all at once'}; \`netmigrate settle\` recreates them one at a time, each waited on until healthy, when it suits you.`,
		);
	}
	lines.push(
		'',
		'## Rollback',
		'',
		`\`netmigrate rollback --iteration ${input.index + 1}\` restores every file byte-identical from the backup and the network membership above to what it was before.`,
		'',
	);
	return lines.join('\n');
}

/** Failures first, then those judged against the start: unhealthy before the iteration began, not failures of it. */
function containerHealth(health: HealthResult[]): string[] {
	const failed = health.filter((item) => !item.ok);
	const before = health.filter((item) => item.unhealthyBefore);
	if (failed.length === 0 && before.length === 0) return [`All ${health.length} containers running; every healthcheck passing.`];
	return [
		...failed.map((item) => `- ❌ ${describeResult(item)}`),
		...before.map((item) => `- ⚠️ ${describeResult(item)}: not a failure of this iteration`),
	];
}

/** Who reaches whom after the iteration: the pairs it cut and opened, and every pair not as the plan intends. */
function reachabilityMarkdown(result: IterationReachability): string[] {
	const pairs = (list: IterationReachability['cut']) =>
		list.length === 0 ? 'none' : list.map((pair) => `${pair.from} → ${pair.to}${pair.asked ? '' : ' (not asked for)'}`).join(', ');
	return [
		'## Reachability',
		'',
		`${reachabilitySummary(result)}${result.durationMs === undefined ? '' : `; probed in ${(result.durationMs / 1000).toFixed(1)} s`}.`,
		'',
		`- **Cut:** ${pairs(result.cut)}`,
		`- **Opened:** ${pairs(result.opened)}`,
		...result.mismatches.map((pair) => `- ❗ ${pair.from} → ${pair.to}, expected ${pair.expected}: ${pair.reason}`),
		...result.throughHost.map((path) => `- ⚠️ ${path.from} → ${path.to} through the host: ${path.reason}`),
	];
}
