import assert from 'node:assert/strict';
import {test} from 'node:test';
import {intendedStack} from '../../source/plan/intent.js';
import {loadPlan} from '../../source/plan/load.js';
import {networkMap} from '../../source/plan/map.js';
import {planSchema} from '../../source/plan/schema.js';
import {renderReport, type ReportInput} from '../../source/report.js';
import {exampleStack} from '../harness/engine.js';

const input: ReportInput = {
	plan: planSchema.parse({
		version: 1,
		legacy: 'media-network',
		networks: {'dmz-net': {subnet: '172.20.0.0/24'}},
		iterations: [{name: 'network-foundation', attach: {traefik: ['dmz-net']}}],
	}),
	index: 0,
	stackRoot: '/srv/media',
	mode: 'live',
	operator: 'root',
	toolVersion: '0.1.0',
	engineVersion: '26.1.5',
	startedAt: '2026-11-23T10:00:00.000Z',
	finishedAt: '2026-11-23T10:00:09.000Z',
	networks: [],
	membership: {traefik: ['dmz-net', 'media-network']},
	checks: [],
	health: [],
	restarts: [],
	allowLists: [],
};

test('the report lists the containers whose default route moved, says when none did, and when routes could not be read', () => {
	const moved = renderReport({
		...input,
		defaultRoutes: {checked: 17, moved: [{container: 'traefik', before: 'media-network', after: 'dmz-net'}]},
	});
	assert.match(moved, /## Default routes\n\nJoining networks moved 1 of 17 containers' default routes/);
	assert.match(moved, /\| traefik \| media-network \| dmz-net \|/);
	assert.match(
		renderReport({...input, defaultRoutes: {checked: 17, moved: []}}),
		/Every container's default route \(17 read\) leaves through the same network as before\./,
	);
	assert.match(renderReport({...input, defaultRoutes: {checked: 0, moved: []}}), /Not read: the engine is not on this machine/);
	assert.doesNotMatch(renderReport(input), /## Default routes/, 'a report from before routes were recorded has no such section');
});

test("the measured downtime says what each restart was: a recreate until healthy, or a swarm update's gap per service with its order", () => {
	assert.match(renderReport(input), /- \*\*Measured downtime:\*\* 0 s — no service was restarted\n/);
	assert.match(
		renderReport({...input, restarts: [{services: ['gluetun', 'qbittorrent'], durationMs: 2300}]}),
		/- \*\*Measured downtime:\*\* 2\.3 s in total, only for gluetun \+ qbittorrent \(recreate until healthy\)\n/,
	);
	const swarm = renderReport({
		...input,
		restarts: [
			{services: ['media_traefik'], durationMs: 0, order: 'start-first'},
			{services: ['media_prometheus'], durationMs: 6340, order: 'stop-first'},
		],
	});
	assert.match(
		swarm,
		/- \*\*Measured downtime:\*\* 6\.3 s in total, per service update, from the old task's end to the new one running healthy: media_traefik 0\.0 s \(start-first\), media_prometheus 6\.3 s \(stop-first\)\n/,
	);
});

test('container health: failures first, then those unhealthy before the iteration began, which do not make it fail', () => {
	const health = [
		{
			container: 'media-radarr-1',
			service: 'radarr',
			state: 'running',
			health: 'unhealthy',
			ok: false,
			reason: 'running, healthy when the iteration began',
		},
		{
			container: 'media-jellyseerr-1',
			service: 'jellyseerr',
			state: 'running',
			health: 'unhealthy',
			ok: true,
			unhealthyBefore: true,
			reason: 'already running, unhealthy when the iteration began',
			lastOutput: 'wget: bad address api.themoviedb.org',
		},
		{container: 'media-sonarr-1', service: 'sonarr', state: 'running', health: 'healthy', ok: true},
	];
	const failing = renderReport({...input, health});
	assert.match(failing, /completed with failures/);
	assert.match(failing, /1\/3 containers running and healthy \(1 unhealthy before the iteration began\)/);
	assert.ok(
		failing.includes(
			'## Container health\n\n- ❌ media-radarr-1 (running, unhealthy; running, healthy when the iteration began)\n- ⚠️ media-jellyseerr-1 (running, unhealthy; already running, unhealthy when the iteration began; last check: "wget: bad address api.themoviedb.org"): not a failure of this iteration\n',
		),
	);
	const passing = renderReport({...input, health: health.slice(1)});
	assert.match(passing, /— completed\n/);
	assert.match(passing, /1\/2 containers running and healthy \(1 unhealthy before the iteration began\)/);
	assert.match(renderReport({...input, health: health.slice(2)}), /All 1 containers running; every healthcheck passing\./);
});

test('the report carries the network map before and after the iteration, as text and as a Mermaid diagram', () => {
	const example = loadPlan(`${exampleStack}/netmigrate.yml`);
	const map = networkMap(intendedStack(example.project, example.plan, 1), intendedStack(example.project, example.plan, 2), {
		project: 'media',
		legacy: 'media-network',
		source: 'compose-files',
		afterName: 'retire-legacy',
		beforeLabel: 'before iteration 3',
	});
	const report = renderReport({...input, plan: example.plan, index: 2, networkMap: map});
	assert.match(report, /## Network map\n\n```text\nNetwork map of media: before iteration 3 -> after iteration 3 \(retire-legacy\)\n/);
	assert.match(report, /^cloudflared +- +o\*$/m, 'cloudflared leaves media-network and keeps dmz-net, its egress from now on');
	assert.match(report, /```mermaid\nflowchart LR\n[^`]*s_cloudflared -\.->\|leaves\| n_media_network\n/);
	assert.doesNotMatch(renderReport(input), /## Network map/, 'a report rendered without a map has no such section');
});

test('the report says who reaches whom after the iteration: the summary, the pairs cut and opened, and each pair not as intended', () => {
	const report = renderReport({
		...input,
		reachability: {
			pairs: 272,
			probed: 256,
			asIntended: 255,
			mismatches: [
				{from: 'jellyfin', to: 'sonarr', expected: 'blocked', reason: 'sonarr is on media-net, which the plan does not give it'},
			],
			cut: [{from: 'traefik', to: 'sonarr', asked: true}],
			opened: [{from: 'jellyfin', to: 'sonarr', asked: false}],
			throughHost: [{from: 'traefik', to: 'db', port: 5432, reason: 'db publishes port 5432 on the host'}],
			durationMs: 4200,
		},
	});
	assert.match(
		report,
		/## Reachability\n\n256 of 272 pairs probed, 1 not as intended; cut 1 \(as planned\), opened 1 \(1 not asked for\); 1 reachable through the host; probed in 4\.2 s\.\n\n- \*\*Cut:\*\* traefik → sonarr\n- \*\*Opened:\*\* jellyfin → sonarr \(not asked for\)\n- ❗ jellyfin → sonarr, expected blocked: sonarr is on media-net, which the plan does not give it\n- ⚠️ traefik → db through the host: db publishes port 5432 on the host\n/,
	);
	assert.doesNotMatch(renderReport(input), /## Reachability/, 'without a probed matrix (--no-matrix, a swarm) there is no such section');
});
