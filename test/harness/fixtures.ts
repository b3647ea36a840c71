/** Realistic screen data for the example stack, for screen tests that need no engine. */
import {describe, type Action} from '../../source/actions.js';
import type {Overview, Review} from '../../source/session.js';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import type {CheckResult, HealthResult} from '../../source/domain.js';
import type {ObservedPair} from '../../source/plan/matrix.js';
import {loadPlan} from '../../source/plan/load.js';
import {plannedMap, type NetworkMap} from '../../source/plan/map.js';
import {reachabilityMatrix, type ReachabilityMatrix} from '../../source/plan/matrix.js';
import {exampleStack, repoRoot} from './engine.js';

const services = [
	'traefik',
	'cloudflared',
	'jellyfin',
	'jellyseerr',
	'web-ui',
	'sonarr',
	'radarr',
	'prowlarr',
	'bazarr',
	'gluetun',
	'qbittorrent',
	'prometheus',
	'grafana',
	'cadvisor',
	'node-exporter',
	'alertmanager',
	'dozzle',
	'autoheal',
];
const iterationNames = ['network-foundation', 'port-consolidation', 'retire-legacy'];

export function overview(
	change: {
		statuses?: string[];
		error?: string;
		interruptedAt?: string;
		running?: number;
		lastReport?: string;
		settlePending?: string[];
	} = {},
): Overview {
	const statuses = change.statuses ?? ['pending', 'pending', 'pending'];
	return {
		project: 'media',
		root: '/srv/media',
		planFile: '/srv/media/netmigrate.yml',
		composeFiles: Array.from({length: 11}, (_, index) => `part${index}/docker-compose.yml`),
		target: {kind: 'compose'},
		engine: {version: '26.1.5'},
		services: services.map((name, index) => ({
			name,
			state: index < (change.running ?? services.length) ? 'running' : 'missing',
			networks: ['media-network'],
		})),
		networks: [{name: 'media-network', subnet: '172.18.0.0/16', internal: false, planned: false}],
		status: {
			root: '/srv/media',
			project: 'media',
			iterations: iterationNames.map((name, index) => ({
				index,
				name,
				status: statuses[index] ?? 'pending',
				...(statuses[index] && statuses[index] !== 'pending'
					? {
							progress: {
								name,
								index,
								status: statuses[index] as 'done',
								mode: 'live' as const,
								operator: 'root',
								toolVersion: '0.1.0',
								startedAt: '2026-11-23T10:00:00.000Z',
								finishedAt: '2026-11-23T10:00:12.000Z',
								journalStart: 0,
								steps: {},
								...(change.error ? {error: change.error} : {}),
								...(change.settlePending && statuses[index] === 'done' ? {settlePending: change.settlePending} : {}),
							},
						}
					: {}),
				...(change.interruptedAt && statuses[index] === 'failed' ? {interruptedAt: change.interruptedAt} : {}),
			})),
		},
		next: statuses.findIndex((status) => status !== 'done'),
		...(change.lastReport ? {lastReport: change.lastReport} : {}),
	};
}

/** Actions as the core describes them for the wizard (source/session.ts loadReview). */
const described = (actions: Action[]) => actions.map((action) => describe(action, '/srv/media'));

export function review(): Review {
	return {
		index: 0,
		name: 'network-foundation',
		mode: 'live',
		steps: [
			{
				name: 'networks',
				title: 'Create networks',
				changesHost: true,
				described: described([
					{kind: 'network.create', network: 'dmz-net', subnet: '172.20.0.0/24', internal: false, driver: 'bridge', labels: {}},
				]),
			},
			{
				name: 'multihome',
				title: 'Multi-home services',
				changesHost: true,
				described: described(
					Array.from({length: 30}, (_, index) => ({
						kind: 'network.connect' as const,
						network: 'mgmt-net',
						container: `svc${index}`,
						service: `svc${index}`,
						aliases: [`svc${index}`],
					})),
				),
			},
		],
		diffs: [
			{
				path: 'traefik/docker-compose.yml',
				diff: [
					'--- a/traefik/docker-compose.yml',
					'+++ b/traefik/docker-compose.yml',
					'@@ -21,6 +21,8 @@',
					'     networks:',
					'       - media-network',
					'+      - dmz-net',
					'+      - frontend-net',
					'       - WIREGUARD_PRIVATE_KEY=****',
				].join('\n'),
			},
		],
		networks: [
			{name: 'dmz-net', subnet: '172.20.0.0/24', internal: false, exists: false},
			{name: 'frontend-net', subnet: '172.20.1.0/24', internal: true, exists: true},
		],
		checks: [{from: 'traefik', to: 'jellyfin:8096', via: 'frontend-net', expect: 'reachable'}],
		warnings: [],
		notes: ['sonarr: its networks came from a merge key (<<); they are now written on the service so nothing else changes'],
		map: networkMapOf(0),
	};
}

/** The example stack's map: its compose files now against the plan after iteration `index` (0-based). */
export function networkMapOf(index: number): NetworkMap {
	const example = loadPlan(path.join(exampleStack, 'netmigrate.yml'));
	return plannedMap(example.project, example.plan, index);
}

/** The example stack's matrix after retire-legacy, from the hand-made observed result (2 mismatches, 1 path through the host). */
export function matrixAfterRetire(): ReachabilityMatrix {
	const example = loadPlan(path.join(exampleStack, 'netmigrate.yml'));
	const observed = JSON.parse(
		readFileSync(path.join(repoRoot, 'test/fixtures/observed/media-stack-after-retire-legacy.json'), 'utf8'),
	) as ObservedPair[];
	return reachabilityMatrix({project: example.project, plan: example.plan, through: 2, observed});
}

export const checks: CheckResult[] = [
	{
		from: 'traefik',
		to: 'jellyfin:8096',
		via: 'frontend-net',
		expect: 'reachable',
		ok: true,
		outcome: 'reachable',
		address: '172.20.1.3',
		latencyMs: 3.7,
		httpStatus: 200,
		resolved: ['172.20.1.3'],
		detail: 'HTTP 200',
	},
	{
		from: 'sonarr',
		to: 'qbittorrent:8080',
		via: 'download-net',
		expect: 'reachable',
		ok: false,
		outcome: 'blocked',
		address: '172.20.3.2',
		latencyMs: 9.1,
		httpStatus: 403,
		resolved: ['172.20.3.2'],
		detail: 'HTTP 403',
	},
	{
		from: 'cloudflared',
		to: 'sonarr:8989',
		via: 'backend-net',
		expect: 'blocked',
		ok: true,
		outcome: 'blocked',
		address: '172.20.2.3',
		detail: 'tcp=closed',
	},
];

export const health: HealthResult[] = services.map((name) => ({
	container: name,
	service: name,
	state: 'running',
	health: 'healthy',
	ok: true,
}));
