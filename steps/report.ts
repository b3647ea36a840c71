/**
 * The report: a markdown record of the iteration like a hand-written migration report —
 * networks, assignments, checks with latencies, backups with hashes, duration and the
 * measured downtime (time each recreated service took to come back healthy; on a swarm, each
 * updated service's gap without a running task; live multi-homing restarts nothing). Secrets never appear: it holds no environment values.
 */
import path from 'node:path';
import {defaultRoutesOf, movedDefaultRoutes} from '../source/engine/default-routes.js';
import {intendedStack} from '../source/plan/intent.js';
import {networkMap, type NetworkMap} from '../source/plan/map.js';
import {writeReport} from '../state/backup.js';
import {renderReport, restartsOf, type ReportInput} from '../source/report.js';
import {membershipOf} from '../source/stack-membership.js';
import {readStaleness} from '../source/engine/staleness.js';
import type {RunContext, Step} from './step.js';

export const reportStep: Step = {
	name: 'report',
	title: 'Report',
	changesHost: false,
	async run(run) {
		const finishedAt = new Date().toISOString();
		const {project} = run.current();
		const [networks, membership, routes, settlePending] = await Promise.all([
			run.engine.listNetworks(),
			membershipOf(run.engine, project.projectName),
			defaultRoutesOf(run.engine, run.host, project.projectName, {prober: run.prober}),
			// A swarm's next `docker stack deploy` rolls its services itself; settle is a single-host matter.
			run.loaded.plan.target === 'swarm' ? [] : pendingSettle(run),
		]);
		const movedRoutes = movedDefaultRoutes(run.manifest?.defaultRoutes ?? {}, routes);
		for (const move of movedRoutes) {
			run.emit({
				type: 'log',
				level: 'warn',
				message: `${move.container}'s default route moved from ${move.before ?? 'none'} to ${move.after ?? 'none'}: its outbound traffic now leaves through ${move.after ?? 'no network'}`,
			});
		}
		run.progress.update(run.iteration.name, (item) => {
			item.movedRoutes = movedRoutes;
			if (settlePending.length > 0) item.settlePending = settlePending;
			else delete item.settlePending;
		});
		if (settlePending.length > 0) {
			run.emit({
				type: 'log',
				level: 'info',
				message: `settle pending: a plain \`docker compose up -d\` would now recreate ${settlePending.join(', ')} at once; \`netmigrate settle\` recreates them one at a time, when it suits you`,
			});
		}
		run.engineVersion ??= (await run.engine.version()).version;
		const text = renderReport(
			reportInput(run, {
				finishedAt,
				networks,
				membership,
				defaultRoutes: {checked: Object.keys(routes).length, moved: movedRoutes},
				settlePending,
			}),
		);
		const root = run.loaded.project.root;
		const file = writeReport(
			root,
			`${String(run.index + 1).padStart(2, '0')}-${run.iteration.name}-${finishedAt.replace(/[:.]/g, '-')}.md`,
			text,
		);
		run.progress.update(run.iteration.name, (item) => {
			item.report = file;
		});
		return `report written to ${path.relative(root, file)}`;
	},
};

/** The services a plain `docker compose up -d` would now recreate at once (live mode leaves the files ahead of the containers). */
async function pendingSettle(run: RunContext): Promise<string[]> {
	try {
		return (await readStaleness(run.engine, run.executor.compose, run.loaded.project.projectName)).stale;
	} catch (error) {
		// An old compose without --dry-run: the report says nothing of a settle rather than fail the iteration.
		run.emit({
			type: 'log',
			level: 'warn',
			message: `could not ask compose what \`up -d\` would recreate now (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); \`netmigrate settle\` will ask again`,
		});
		return [];
	}
}

function reportInput(
	run: RunContext,
	read: Pick<ReportInput, 'finishedAt' | 'networks' | 'membership' | 'defaultRoutes' | 'settlePending'>,
): ReportInput {
	const {record} = run;
	const {project} = run.current();
	return {
		...read,
		plan: run.loaded.plan,
		index: run.index,
		stackRoot: run.loaded.project.root,
		mode: run.mode,
		operator: record.operator,
		toolVersion: record.toolVersion,
		engineVersion: run.engineVersion ?? '',
		startedAt: record.startedAt,
		checks: run.results.checks,
		health: run.results.health,
		...(run.results.reachability ? {reachability: run.results.reachability} : {}),
		...(run.manifest ? {backup: run.manifest} : {}),
		restarts: restartsOf(run.journal.since(record.journalStart), run.iteration.name),
		networkMap: iterationMap(run),
		allowLists: run.iteration.firewall.map((rule) => ({
			service: rule.service,
			variable: rule.variable,
			value:
				project.services.get(rule.service)?.environment.find((entry) => entry.key === rule.variable)?.value ?? '(from an env file)',
		})),
	};
}

/** The plan's intent before this iteration against after it: who joins and leaves which network. */
function iterationMap(run: RunContext): NetworkMap {
	const {project, plan} = run.loaded;
	const before = intendedStack(project, plan, run.index - 1);
	return networkMap(before, intendedStack(project, plan, run.index), {
		project: project.projectName,
		legacy: plan.legacy,
		source: 'compose-files',
		afterName: run.iteration.name,
		beforeLabel: `before iteration ${run.index + 1}`,
	});
}
