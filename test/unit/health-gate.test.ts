/**
 * The recreate gate's waits (source/health-gate.ts), with a stand-in `docker` (a shell script that
 * answers as compose does: done, or "container … is unhealthy") and a stand-in engine that
 * reports one container with a healthcheck. Each wait long enough to say is said twice — a log
 * line for the printer, a wait-start for the wizard's bar — and every wait-start gets its
 * wait-done, whichever way the recreate ends.
 */
import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import type {HealthBaseline} from '../../source/domain.js';
import type {Engine} from '../../source/engine/docker.js';
import type {RunEvent} from '../../source/events.js';
import {recreateGated} from '../../source/health-gate.js';
import {formatEvent} from '../../source/commands/printer.js';

const folder = mkdtempSync(path.join(tmpdir(), 'nm-gate-'));
after(() => rmSync(folder, {recursive: true, force: true}));

/** A `docker` that says `output` and exits with `code`, as `docker compose up --wait` would. */
function standInDocker(name: string, output: string, code: number): string {
	const file = path.join(folder, name);
	writeFileSync(file, `#!/bin/sh\necho '${output}'\nexit ${code}\n`);
	chmodSync(file, 0o755);
	return file;
}

const seconds = (value: number) => value * 1e9;

/** One container of service `sonarr` in project `media`, with `healthcheck` and the given health. */
function engineWith(healthcheck: Record<string, unknown>, health = 'healthy'): Engine {
	const labels = {'com.docker.compose.project': 'media', 'com.docker.compose.service': 'sonarr'};
	const inspected = {
		Name: '/media-sonarr-1',
		Config: {Labels: labels, Healthcheck: healthcheck},
		State: {Status: 'running', Health: {Status: health, Log: []}},
		HostConfig: {},
	};
	return {
		listSummaries: async () => [{Id: 'c1', Labels: labels}],
		docker: {getContainer: () => ({inspect: async () => inspected})},
	} as unknown as Engine;
}

async function gate(engine: Engine, docker: string, baseline?: HealthBaseline): Promise<{events: RunEvent[]; error?: unknown}> {
	const events: RunEvent[] = [];
	process.env.NETMIGRATE_DOCKER_CLI = docker;
	try {
		await recreateGated(
			{
				engine,
				compose: {host: 'unix:///nowhere.sock', directory: folder, files: [], name: 'media'},
				run: 'apply',
				baseline: () => baseline,
				emit: (event) => events.push(event),
			},
			['sonarr'],
		);
		return {events};
	} catch (error) {
		return {events, error};
	} finally {
		delete process.env.NETMIGRATE_DOCKER_CLI;
	}
}

const everyMinute = {Test: ['CMD', 'true'], Interval: seconds(60), Retries: 3};

test('a wait for a first healthcheck a minute away is said as a log line and a wait-start, and ends healthy in a wait-done', async () => {
	const {events, error} = await gate(engineWith(everyMinute), standInDocker('docker-ok', 'Container media-sonarr-1 Healthy', 0));
	assert.equal(error, undefined);
	assert.deepEqual(events, [
		{
			type: 'log',
			level: 'info',
			message: "waiting for sonarr's first healthcheck: it runs every 1m (3 retries), so about 1m, at most 4m",
		},
		{type: 'wait-start', service: 'sonarr', waitsFor: 'first healthcheck', aboutMs: 60_000, mostMs: 240_000},
		{type: 'wait-done', service: 'sonarr', ok: true},
	]);
	assert.deepEqual(
		events.map(formatEvent).filter((line) => line !== undefined),
		["  waiting for sonarr's first healthcheck: it runs every 1m (3 retries), so about 1m, at most 4m"],
		'the line printer says the wait once, by its log line',
	);
});

test('a recreate that fails the gate still ends its wait, not ok', async () => {
	const docker = standInDocker('docker-unhealthy', 'container media-sonarr-1 is unhealthy', 1);
	const {events, error} = await gate(engineWith(everyMinute, 'unhealthy'), docker);
	assert.match(String(error), /not healthy: media-sonarr-1 \(running, unhealthy\)/);
	assert.deepEqual(events.at(-1), {type: 'wait-done', service: 'sonarr', ok: false});
});

test('a recreate compose gave up on, judged to stand (unhealthy before the iteration too), ends its wait ok', async () => {
	const docker = standInDocker('docker-gave-up', 'container media-sonarr-1 is unhealthy', 1);
	const before = {'media-sonarr-1': {service: 'sonarr', state: 'running', health: 'unhealthy' as const}};
	const {events, error} = await gate(engineWith(everyMinute, 'unhealthy'), docker, before);
	assert.equal(error, undefined);
	assert.deepEqual(
		events.filter((event) => event.type === 'wait-done'),
		[{type: 'wait-done', service: 'sonarr', ok: true}],
	);
});

test('a first healthcheck due within seconds is no wait worth a bar: no wait events', async () => {
	const quick = {Test: ['CMD', 'true'], Interval: seconds(5), Retries: 3};
	const {events} = await gate(engineWith(quick), standInDocker('docker-quick', 'Container media-sonarr-1 Healthy', 0));
	assert.deepEqual(events, []);
});
