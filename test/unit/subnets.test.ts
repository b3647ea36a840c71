import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseProcRoutes} from '../../source/engine/host-routes.js';
import {subnetSafetyProblems} from '../../source/plan/safety.js';
import {planSchema} from '../../source/plan/schema.js';
import {cidrProblem, contains, nextFreeSubnet, overlapsText, parseCidr} from '../../source/plan/subnets.js';

test('overlap and containment of CIDR ranges', () => {
	assert.equal(overlapsText('172.20.0.0/16', '172.20.3.0/24'), true);
	assert.equal(overlapsText('172.20.3.0/24', '172.20.0.0/16'), true);
	assert.equal(overlapsText('172.20.0.0/24', '172.20.1.0/24'), false);
	assert.equal(overlapsText('10.0.0.0/8', 'fd00::/8'), false);
	assert.equal(contains(parseCidr('172.20.0.0/16')!, parseCidr('172.20.3.0/24')!), true);
	assert.equal(contains(parseCidr('172.20.3.0/24')!, parseCidr('172.20.0.0/16')!), false);
	assert.equal(cidrProblem('172.20.1.0/24'), undefined);
	assert.match(cidrProblem('172.20.1.5/24') ?? '', /host bits/);
	assert.match(cidrProblem('banana') ?? '', /not a CIDR/);
});

test('the next free /24 skips every used range', () => {
	assert.equal(nextFreeSubnet('172.20.0.0/16', 24, []), '172.20.0.0/24');
	assert.equal(nextFreeSubnet('172.20.0.0/16', 24, ['172.20.0.0/23', '172.20.2.0/24']), '172.20.3.0/24');
	assert.equal(nextFreeSubnet('172.20.0.0/23', 24, ['172.20.0.0/16']), undefined);
});

test('host routes are read from /proc/net/route, little-endian, without the default route', () => {
	const text = [
		'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
		'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
		'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
		'wg0\t000014AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
	].join('\n');
	assert.deepEqual(parseProcRoutes(text), [
		{interface: 'eth0', subnet: '192.0.2.0/24'},
		{interface: 'wg0', subnet: '172.20.0.0/16'},
	]);
});

test('a planned subnet overlapping an engine network or a VPN route is reported; the same network existing as planned is reused', () => {
	const plan = planSchema.parse({
		version: 1,
		legacy: 'media-network',
		networks: {'dmz-net': {subnet: '172.20.0.0/24'}, 'frontend-net': {subnet: '172.21.1.0/24'}, 'backend-net': {subnet: '172.22.2.0/24', internal: true}},
		iterations: [{name: 'one'}],
	});
	const existing = new Map([
		['other', {name: 'other', subnet: '172.20.0.0/16', internal: false, driver: 'bridge', labels: {}, members: []}],
		['backend-net', {name: 'backend-net', subnet: '172.22.2.0/24', internal: false, driver: 'bridge', labels: {}, members: []}],
	]);
	const problems = subnetSafetyProblems(plan, existing, [{interface: 'wg0', subnet: '172.21.0.0/16'}], () => ({file: 'netmigrate.yml'}));
	const messages = problems.map((problem) => problem.message);
	assert.deepEqual(messages, [
		'network dmz-net (172.20.0.0/24) overlaps the existing network other (172.20.0.0/16)',
		'network frontend-net (172.21.1.0/24) overlaps the host route 172.21.0.0/16 on wg0',
		'network backend-net already exists with other settings: internal false (planned true)',
	]);
});
