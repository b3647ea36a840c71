import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {parseDefaultGateway, parseProcRoutes} from '../../source/engine/host-routes.js';
import {defaultRouteOf, movedDefaultRoutes} from '../../source/engine/default-routes.js';
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

test('the default route: the gateway of the all-zero destination and mask, or none', () => {
	const table = (...rows: string[]) =>
		['Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT', ...rows].join('\n');
	const subnet = 'eth1\t000314AC\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0';
	assert.equal(parseDefaultGateway(table('eth1\t00000000\t010314AC\t0003\t0\t0\t0\t00000000\t0\t0\t0', subnet)), '172.20.3.1');
	assert.equal(parseDefaultGateway(table(subnet)), undefined, 'only internal networks: no default route');
});

test("a container's default route is named by the network whose gateway it uses, only when the pid is that container's", () => {
	const proc = mkdtempSync(path.join(tmpdir(), 'nm-proc-'));
	mkdirSync(path.join(proc, '4242/net'), {recursive: true});
	writeFileSync(path.join(proc, '4242/cgroup'), '0::/docker/abc123\n');
	writeFileSync(
		path.join(proc, '4242/net/route'),
		'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth1\t00000000\t010014AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n',
	);
	const container = {
		id: 'abc123',
		name: 'traefik',
		state: 'running',
		pid: 4242,
		health: 'none' as const,
		networkMode: 'media-network',
		env: [],
		image: 'busybox',
		labels: {},
		networks: [
			{network: 'media-network', ipv4: '172.18.0.2', aliases: [], gateway: '172.18.0.1'},
			{network: 'dmz-net', ipv4: '172.20.0.2', aliases: [], gateway: '172.20.0.1'},
		],
	};
	assert.equal(defaultRouteOf(container, proc), 'dmz-net');
	assert.equal(
		defaultRouteOf({...container, id: 'other'}, proc),
		undefined,
		"a pid that is not this container's (another pid namespace) is not trusted",
	);
	assert.equal(
		defaultRouteOf({...container, networkMode: 'container:def456'}, proc),
		undefined,
		'a shared namespace is reported for its owner',
	);
	assert.equal(defaultRouteOf({...container, state: 'exited', pid: 0}, proc), undefined);
	assert.deepEqual(
		movedDefaultRoutes(
			{traefik: 'media-network', jellyfin: 'media-network', db: null},
			{traefik: 'dmz-net', jellyfin: 'media-network', db: null},
		),
		[{container: 'traefik', before: 'media-network', after: 'dmz-net'}],
	);
	rmSync(proc, {recursive: true, force: true});
});

test('a planned subnet overlapping an engine network or a VPN route is reported; the same network existing as planned is reused', () => {
	const plan = planSchema.parse({
		version: 1,
		legacy: 'media-network',
		networks: {
			'dmz-net': {subnet: '172.20.0.0/24'},
			'frontend-net': {subnet: '172.21.1.0/24'},
			'backend-net': {subnet: '172.22.2.0/24', internal: true},
		},
		iterations: [{name: 'one'}],
	});
	const existing = new Map([
		[
			'other',
			{
				id: 'n1',
				name: 'other',
				subnet: '172.20.0.0/16',
				subnets: [{subnet: '172.20.0.0/16'}],
				internal: false,
				driver: 'bridge',
				labels: {},
				members: [],
			},
		],
		[
			'backend-net',
			{
				id: 'n2',
				name: 'backend-net',
				subnet: '172.22.2.0/24',
				subnets: [{subnet: '172.22.2.0/24'}],
				internal: false,
				driver: 'bridge',
				labels: {},
				members: [],
			},
		],
	]);
	const problems = subnetSafetyProblems(plan, existing, [{interface: 'wg0', subnet: '172.21.0.0/16'}], () => ({file: 'netmigrate.yml'}));
	const messages = problems.map((problem) => problem.message);
	assert.deepEqual(messages, [
		'network dmz-net (172.20.0.0/24) overlaps the existing network other (172.20.0.0/16)',
		'network frontend-net (172.21.1.0/24) overlaps the host route 172.21.0.0/16 on wg0',
		'network backend-net already exists with other settings: internal false (planned true)',
	]);
});
