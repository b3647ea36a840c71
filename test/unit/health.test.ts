/**
 * Health judged against the start (issue 14): each rule of the judge, the recreate gate's
 * decision, and every message the operator reads, with its exact text.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {probeLabel, type ContainerInfo, type HealthBaseline, type HealthDetail} from '../../source/domain.js';
import {healthWaitLine} from '../../source/engine/compose.js';
import {lastHealthOutput} from '../../source/engine/health.js';
import {formatError, NetmigrateError, wayOn} from '../../source/errors.js';
import {
	describeResult,
	gateOutcome,
	healthBaselineOf,
	healthSummary,
	judgeHealth,
	judgeRecreate,
	recreateGateHint,
	recreateGateMessage,
	unhealthyBeforeWarning,
	unhealthyContainers,
} from '../../source/health.js';

const running = (container: string, health: HealthDetail['health'], change: Partial<HealthDetail> = {}): HealthDetail => ({
	container,
	service: container.replace(/^media-|-\d+$/g, ''),
	state: 'running',
	health,
	...change,
});
const exited = (container: string, exitCode: number, restartPolicy = 'no'): HealthDetail => ({
	container,
	service: container.replace(/^media-|-\d+$/g, ''),
	state: 'exited',
	health: 'none',
	exitCode,
	restartPolicy,
});
const baselineOf = (...details: HealthDetail[]): HealthBaseline =>
	Object.fromEntries(details.map(({container, lastOutput: _output, ...state}) => [container, state]));
const judgeOne = (now: HealthDetail, baseline: HealthBaseline | undefined) => judgeHealth([now], baseline)[0];

test('a container healthy now is ok, whatever it was at the start; one without a healthcheck counts as healthy when running', () => {
	const baseline = baselineOf(running('media-sonarr-1', 'unhealthy'));
	assert.deepEqual(judgeOne(running('media-sonarr-1', 'healthy'), baseline), {
		container: 'media-sonarr-1',
		service: 'sonarr',
		state: 'running',
		health: 'healthy',
		ok: true,
	});
	assert.equal(judgeOne(running('media-dozzle-1', 'none'), undefined)?.ok, true);
});

test('without a baseline (a backup from before it was recorded) every container must be healthy, as before', () => {
	assert.deepEqual(judgeOne(running('media-sonarr-1', 'unhealthy'), undefined), {
		container: 'media-sonarr-1',
		service: 'sonarr',
		state: 'running',
		health: 'unhealthy',
		ok: false,
	});
	assert.equal(judgeOne(running('media-sonarr-1', 'starting'), undefined)?.ok, false);
	assert.equal(judgeOne(exited('media-fixer-1', 0), undefined)?.ok, true, 'a one-shot that finished is done, not down');
	assert.equal(
		judgeOne(exited('media-fixer-1', 0, 'unless-stopped'), undefined)?.ok,
		false,
		'a long-running service that stopped is down',
	);
});

test('a container already unhealthy or still starting at the start, and not healthy now, is a warning: unhealthy before the iteration began', () => {
	const baseline = baselineOf(running('media-jellyseerr-1', 'unhealthy'), running('media-bazarr-1', 'starting'));
	const unhealthy = judgeOne(running('media-jellyseerr-1', 'unhealthy', {lastOutput: 'wget: bad address api.themoviedb.org'}), baseline);
	assert.deepEqual(unhealthy, {
		container: 'media-jellyseerr-1',
		service: 'jellyseerr',
		state: 'running',
		health: 'unhealthy',
		ok: true,
		unhealthyBefore: true,
		reason: 'already running, unhealthy when the iteration began',
		lastOutput: 'wget: bad address api.themoviedb.org',
	});
	assert.equal(judgeOne(running('media-bazarr-1', 'starting'), baseline)?.unhealthyBefore, true, 'still starting');
	assert.equal(judgeOne(running('media-bazarr-1', 'unhealthy'), baseline)?.unhealthyBefore, true, 'starting then, unhealthy now');
});

test('a one-shot that had exited at the start and is still exited is fine; one that had finished and fails now is not', () => {
	assert.deepEqual(judgeOne(exited('media-fixer-1', 0), baselineOf(exited('media-fixer-1', 0))), {
		container: 'media-fixer-1',
		service: 'fixer',
		state: 'exited',
		health: 'none',
		exitCode: 0,
		ok: true,
	});
	const failedBefore = judgeOne(exited('media-migrate-1', 1), baselineOf(exited('media-migrate-1', 1)));
	assert.equal(failedBefore?.ok, true);
	assert.equal(failedBefore?.reason, 'already exited (1) when the iteration began');
	const failsNow = judgeOne(exited('media-fixer-1', 2), baselineOf(exited('media-fixer-1', 0)));
	assert.equal(failsNow?.ok, false);
	assert.equal(failsNow?.reason, 'exited (0) when the iteration began');
});

test('a container healthy at the start and not now fails this iteration', () => {
	const result = judgeOne(
		running('media-sonarr-1', 'unhealthy', {lastOutput: 'curl: (7) Failed to connect'}),
		baselineOf(running('media-sonarr-1', 'healthy')),
	);
	assert.deepEqual(result, {
		container: 'media-sonarr-1',
		service: 'sonarr',
		state: 'running',
		health: 'unhealthy',
		ok: false,
		reason: 'running, healthy when the iteration began',
		lastOutput: 'curl: (7) Failed to connect',
	});
	assert.equal(judgeOne(exited('media-radarr-1', 137, 'unless-stopped'), baselineOf(running('media-radarr-1', 'none')))?.ok, false);
});

test('a container that did not exist at the start must be healthy', () => {
	const baseline = baselineOf(running('media-sonarr-1', 'healthy'));
	assert.deepEqual(judgeOne(running('media-sonarr-2', 'starting'), baseline), {
		container: 'media-sonarr-2',
		service: 'sonarr',
		state: 'running',
		health: 'starting',
		ok: false,
		reason: 'it did not exist when the iteration began',
	});
	assert.equal(judgeOne(running('media-sonarr-2', 'healthy'), baseline)?.ok, true);
});

test('a service in an inactive profile has no container: nothing requires it, and a container gone since the start is not judged here', () => {
	// The baseline holds what ran then; the debug profile's service never had a container.
	const baseline = baselineOf(running('media-sonarr-1', 'healthy'), running('media-old-1', 'healthy'));
	const results = judgeHealth([running('media-sonarr-1', 'healthy')], baseline);
	assert.deepEqual(
		results.map((result) => [result.container, result.ok]),
		[['media-sonarr-1', true]],
	);
	assert.equal(judgeRecreate(['sonarr'], [running('media-sonarr-1', 'healthy')], baseline).outcome, 'pass');
});

test('the baseline holds every container but the probes, by name — a swarm task by its slot — with exit code and restart policy', () => {
	const container = (name: string, change: Partial<ContainerInfo>): ContainerInfo => ({
		id: name,
		name,
		service: 'x',
		state: 'running',
		pid: 1,
		health: 'healthy',
		networkMode: 'default',
		networks: [],
		env: [],
		image: 'busybox',
		labels: {},
		...change,
	});
	const baseline = healthBaselineOf([
		container('media-sonarr-1', {service: 'sonarr', health: 'unhealthy'}),
		container('media-fixer-1', {service: 'fixer', state: 'exited', health: 'none', exitCode: 0, restartPolicy: 'no'}),
		container('media_traefik.1.abc', {service: 'traefik', slot: 'media_traefik.1'}),
		container('netmigrate-probe-1', {labels: {[probeLabel]: 'true'}}),
	]);
	assert.deepEqual(baseline, {
		'media-sonarr-1': {service: 'sonarr', state: 'running', health: 'unhealthy'},
		'media-fixer-1': {service: 'fixer', state: 'exited', health: 'none', exitCode: 0, restartPolicy: 'no'},
		'media_traefik.1': {service: 'traefik', state: 'running', health: 'healthy'},
	});
	const task = judgeHealth(
		[{container: 'media_traefik.1.xyz', slot: 'media_traefik.1', service: 'traefik', state: 'running', health: 'starting'}],
		{'media_traefik.1': {state: 'running', health: 'starting'}},
	);
	assert.equal(task[0]?.unhealthyBefore, true, 'a new task of the slot is judged against the slot');
});

test('the gate passes when nothing fails, waits while every failure may still come good, and fails otherwise', () => {
	const baseline = baselineOf(running('media-sonarr-1', 'healthy'), running('media-radarr-1', 'healthy'));
	assert.equal(gateOutcome(judgeHealth([running('media-sonarr-1', 'healthy')], baseline)), 'pass');
	assert.equal(
		gateOutcome(
			judgeHealth(
				[running('media-sonarr-1', 'starting'), {container: 'media-radarr-1', service: 'radarr', state: 'created', health: 'none'}],
				baseline,
			),
		),
		'wait',
	);
	assert.equal(
		gateOutcome(judgeHealth([running('media-sonarr-1', 'starting'), running('media-radarr-1', 'unhealthy')], baseline)),
		'fail',
	);
});

test('the recreate gate: already-unhealthy containers do not fail it; a recreated service without a container does', () => {
	const baseline = baselineOf(
		running('media-jellyseerr-1', 'unhealthy'),
		running('media-gluetun-1', 'healthy'),
		running('media-qbittorrent-1', 'healthy'),
	);
	const now = [
		running('media-jellyseerr-1', 'unhealthy'),
		running('media-gluetun-1', 'healthy'),
		running('media-qbittorrent-1', 'healthy'),
	];
	assert.equal(judgeRecreate(['jellyseerr'], now, baseline).outcome, 'pass');
	const gone = judgeRecreate(['gluetun', 'qbittorrent'], now.slice(0, 2), baseline);
	assert.deepEqual([gone.outcome, gone.missing], ['fail', ['qbittorrent']]);
});

test('the recreate gate names each failing container, its state, why and its last health output, then what compose said', () => {
	const baseline = baselineOf(
		running('media-gluetun-1', 'healthy'),
		running('media-qbittorrent-1', 'healthy'),
		running('media-jellyseerr-1', 'unhealthy'),
	);
	const judgement = judgeRecreate(
		['gluetun', 'qbittorrent'],
		[
			running('media-gluetun-1', 'unhealthy', {lastOutput: 'ping: bad address cloudflare.com'}),
			exited('media-qbittorrent-1', 1, 'unless-stopped'),
			running('media-jellyseerr-1', 'unhealthy'),
		],
		baseline,
	);
	assert.equal(judgement.outcome, 'fail');
	assert.equal(
		recreateGateMessage(['gluetun', 'qbittorrent'], judgement, 'application not healthy after 2m0s'),
		'recreating gluetun, qbittorrent: not healthy: media-gluetun-1 (running, unhealthy; running, healthy when the iteration began; last check: "ping: bad address cloudflare.com"); media-qbittorrent-1 (exited (1); running, healthy when the iteration began) — compose said: application not healthy after 2m0s',
	);
	assert.equal(
		recreateGateMessage(['qbittorrent'], {results: [], missing: ['qbittorrent']}, 'container media-qbittorrent-1 exited (1)'),
		'recreating qbittorrent: not healthy: no container of qbittorrent — compose said: container media-qbittorrent-1 exited (1)',
	);
});

test('the gate\'s hint fits the direction: an apply resumes or rolls back, a rollback is run again — never "resume" during a rollback', () => {
	const judgement = {results: judgeHealth([running('media-gluetun-1', 'unhealthy')], undefined), missing: []};
	assert.equal(
		recreateGateHint(judgement, 'apply'),
		"look at `docker logs media-gluetun-1` and its healthcheck (`docker inspect --format '{{json .State.Health}}' media-gluetun-1`); fix the cause, then resume (run the same command again) or roll back (`netmigrate rollback`)",
	);
	const rollback = recreateGateHint(judgement, 'rollback');
	assert.equal(
		rollback,
		"look at `docker logs media-gluetun-1` and its healthcheck (`docker inspect --format '{{json .State.Health}}' media-gluetun-1`); fix the cause, then run `netmigrate rollback` again to finish the rollback",
	);
	assert.doesNotMatch(rollback, /resume/);
	assert.equal(
		recreateGateHint({results: [], missing: ['gluetun']}, 'rollback'),
		'look at `docker compose ps -a` and the service logs; fix the cause, then run `netmigrate rollback` again to finish the rollback',
	);
	assert.equal(wayOn('rollback'), 'then run `netmigrate rollback` again to finish the rollback');
	assert.equal(
		formatError(new NetmigrateError('x', {hint: `fix it, ${wayOn('apply')}`})),
		'error: x\n  fix: fix it, then resume (run the same command again) or roll back (`netmigrate rollback`)',
	);
});

test('warnings and summaries read as the operator expects', () => {
	const baseline = baselineOf(
		running('media-jellyseerr-1', 'unhealthy'),
		running('media-sonarr-1', 'healthy'),
		running('media-radarr-1', 'healthy'),
	);
	const results = judgeHealth(
		[
			running('media-jellyseerr-1', 'unhealthy', {lastOutput: 'wget: bad address api.themoviedb.org'}),
			running('media-sonarr-1', 'healthy'),
			running('media-radarr-1', 'unhealthy'),
		],
		baseline,
	);
	const before = results.find((result) => result.unhealthyBefore);
	assert.ok(before);
	assert.equal(
		unhealthyBeforeWarning(before),
		'media-jellyseerr-1 is running, unhealthy, as it was when the iteration began (last check: "wget: bad address api.themoviedb.org"): not a failure of this iteration',
	);
	assert.equal(
		describeResult(before),
		'media-jellyseerr-1 (running, unhealthy; already running, unhealthy when the iteration began; last check: "wget: bad address api.themoviedb.org")',
	);
	assert.equal(healthSummary(results), '2 containers healthy, 1 unhealthy before the iteration began');
	assert.equal(healthSummary(results.filter((result) => !result.unhealthyBefore)), '2 containers healthy');
	assert.equal(unhealthyContainers(results), 'unhealthy: media-radarr-1 (running, unhealthy; running, healthy when the iteration began)');
	assert.equal(unhealthyContainers(results.filter((result) => result.ok)), '');
});

test('the last health output is kept on one line and cut to about 200 characters', () => {
	assert.equal(
		lastHealthOutput([{Output: 'old'}, {Output: '  Connecting to localhost:8989\nwget: server returned error: HTTP/1.1 503\n'}]),
		'Connecting to localhost:8989 wget: server returned error: HTTP/1.1 503',
	);
	const long = lastHealthOutput([{Output: 'x'.repeat(500)}]);
	assert.equal(long?.length, 200);
	assert.ok(long?.endsWith('…'));
	assert.equal(lastHealthOutput([]), undefined);
	assert.equal(lastHealthOutput(undefined), undefined);
	assert.equal(lastHealthOutput([{Output: '  \n'}]), undefined);
});

test("compose's wait giving up on health is told apart from its other failures", () => {
	const output = ' Container media-gluetun-1  Recreated\n Container media-gluetun-1  Waiting\n container media-gluetun-1 is unhealthy\n';
	assert.equal(healthWaitLine(output, false), 'container media-gluetun-1 is unhealthy');
	assert.equal(
		healthWaitLine(' Container media-fixer-1  Started\napplication not healthy after 2m0s\n', false),
		'application not healthy after 2m0s',
	);
	assert.equal(
		healthWaitLine('dependency failed to start: container media-fixer-1 exited (1)', false),
		'dependency failed to start: container media-fixer-1 exited (1)',
	);
	assert.equal(healthWaitLine('network dmz-net declared as external, but could not be found', false), undefined);
	assert.equal(
		healthWaitLine(' Container media-gluetun-1  Waiting', true),
		'no answer from compose within its wait timeout (Container media-gluetun-1  Waiting)',
	);
});
