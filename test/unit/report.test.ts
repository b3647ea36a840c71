import assert from 'node:assert/strict';
import {test} from 'node:test';
import {planSchema} from '../../source/plan/schema.js';
import {renderReport, type ReportInput} from '../../steps/report.js';

const input: ReportInput = {
	plan: planSchema.parse({version: 1, legacy: 'media-network', networks: {'dmz-net': {subnet: '172.20.0.0/24'}}, iterations: [{name: 'network-foundation', attach: {traefik: ['dmz-net']}}]}),
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
	const moved = renderReport({...input, defaultRoutes: {checked: 17, moved: [{container: 'traefik', before: 'media-network', after: 'dmz-net'}]}});
	assert.match(moved, /## Default routes\n\nJoining networks moved 1 of 17 containers' default routes/);
	assert.match(moved, /\| traefik \| media-network \| dmz-net \|/);
	assert.match(renderReport({...input, defaultRoutes: {checked: 17, moved: []}}), /Every container's default route \(17 read\) leaves through the same network as before\./);
	assert.match(renderReport({...input, defaultRoutes: {checked: 0, moved: []}}), /Not read: the engine is not on this machine/);
	assert.doesNotMatch(renderReport(input), /## Default routes/, 'a report from before routes were recorded has no such section');
});
